/**
 * A failed Teams send is never recorded as delivered. The real bot adapter and Teams sink talk
 * over HTTP to a Bot Connector stand-in that answers 403/404/429/503 or hangs; storage is the
 * run's Azurite; mail goes to the local mailbox.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type App, composeApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { createLocalMailboxSink, listMailbox } from "../../functions/adapters/localMailbox";
import { createRoutingSink, createTeamsSink } from "../../bot/teamsSink";
import { readSettings } from "../../functions/settings";
import { raiseDispute } from "../../functions/usecases/raise";
import { relayDispute } from "../../functions/usecases/relay";
import type { OutboxEntry } from "../../functions/ports";
import { type ConnectorStandIn, startConnectorStandIn } from "../fixtures/connectorStandIn";

const base = `fteams-${Math.random().toString(36).slice(2, 8)}`;
let app: App;
let adapter: Awaited<ReturnType<App["bot"]>>["adapter"];
let connector: ConnectorStandIn;

const raiseBody = {
  child: { reference: "MOS-300222", initials: "R.B.", legalStatus: "looked-after", team: "demo-team" },
  category: "statutory-responsibilities",
  reason: "no allocated social worker",
  concerns: "No social worker for six weeks.",
  outcomesSought: "A social worker allocated this week.",
  startStage: 1,
};

beforeAll(async () => {
  app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: `${base}-dev` }));
  adapter = (await app.bot()).adapter;
  connector = await startConnectorStandIn();
});
afterAll(async () => {
  await connector.stop();
});

/** An authority whose team manager has a Teams chat with the bot (through the stand-in). */
async function authority(name: string) {
  const tenantId = `${base}-${name}`;
  await app.directory.seed(demoAuthority("lambeth", tenantId, `${tenantId}-entra`));
  await app.conversations.save(tenantId, demoPeople.megan.id, {
    serviceUrl: connector.url,
    channelId: "msteams",
    conversation: { id: `a:chat-${name}` } as never,
    bot: { id: "resolve", name: "Resolve" },
  });
  return tenantId;
}

function relayDeps(timeoutMs = 2_000) {
  const teams = createTeamsSink({ adapter, appId: "", services: app.services, conversations: app.conversations, timeoutMs });
  return { services: app.services, outbox: app.outbox, sink: createRoutingSink({ mail: createLocalMailboxSink(app.tables, undefined, { clock: app.services.clock }), teams }), random: () => 0 };
}

async function raiseAndRelay(tenantId: string, timeoutMs?: number) {
  const raised = await raiseDispute(app.services, { tenantId, raisedBy: demoPeople.alex, source: "api", details: raiseBody });
  if (!raised.ok) throw new Error(raised.error.message);
  const id = raised.value.dispute.id;
  const report = { delivered: 0, retrying: 0, failed: 0, dropped: 0 };
  await relayDispute(relayDeps(timeoutMs), (await app.outbox.marker(tenantId, id))!, report);
  const alert = (await app.outbox.all(tenantId, id)).find((e) => e.effect.kind === "notify" && e.effect.notice === "alert" && e.effect.to.id === demoPeople.megan.id) as OutboxEntry;
  return { id, alert, report };
}

const mailTo = async (tenantId: string, upn: string, disputeId: string) =>
  (await listMailbox(app.tables, tenantId, { limit: 500 })).filter((m) => m.to === upn && m.disputeId === disputeId && m.kind === "mail");

describe("a failed Teams send is never recorded as delivered", () => {
  it("Teams answers: the alert is delivered in Teams", async () => {
    const tenantId = await authority("ok");
    const { alert } = await raiseAndRelay(tenantId);
    expect(alert).toMatchObject({ status: "delivered", detail: "Teams" });
  });

  for (const status of ["403", "404"] as const) {
    it(`${status} (blocked, uninstalled, gone): the alert goes by mail through the outbox, recorded as such`, async () => {
      const tenantId = await authority(`gone${status}`);
      connector.fail(status, 1, "POST");
      const { id, alert } = await raiseAndRelay(tenantId);
      expect(alert.status).toBe("delivered");
      expect(alert.detail).toBe(`by mail instead: Teams: Teams said ${status}`);
      expect(await mailTo(tenantId, demoPeople.megan.upn, id)).toHaveLength(1);
    });
  }

  it("429 with Retry-After: not delivered; retried no sooner than Teams asked, by the one retry policy", async () => {
    const tenantId = await authority("throttled");
    connector.fail("429", 1, "POST");
    const before = app.services.clock.now().getTime();
    const { id, alert, report } = await raiseAndRelay(tenantId);
    expect(alert.status).toBe("pending");
    expect(alert.attempts).toBe(1);
    expect(alert.lastError).toMatch(/^Teams: 429/);
    expect(new Date(alert.nextAttemptAt).getTime() - before).toBeGreaterThanOrEqual(7_000);
    expect(report.delivered).toBeGreaterThan(0);
    expect(await mailTo(tenantId, demoPeople.megan.upn, id)).toHaveLength(0);
    expect(await app.outbox.marker(tenantId, id)).toBeDefined();
  });

  it("503 until the last attempt: parked as failed and listed for QA, never delivered", async () => {
    const tenantId = await authority("down");
    connector.failAlways("503", "POST");
    try {
      const { id } = await raiseAndRelay(tenantId);
      // Later attempts: move the entry's next attempt to now and relay again, until the policy parks it.
      for (let i = 0; i < 10; i++) {
        const entry = (await app.outbox.pending(tenantId, id)).find((e) => e.effect.kind === "notify" && e.effect.to.id === demoPeople.megan.id);
        if (!entry) break;
        await app.outbox.update(entry, { status: "pending", attempts: entry.attempts, nextAttemptAt: new Date(0).toISOString(), ...(entry.lastError ? { lastError: entry.lastError } : {}) });
        const marker = (await app.outbox.marker(tenantId, id))!;
        await relayDispute(relayDeps(), marker, { delivered: 0, retrying: 0, failed: 0, dropped: 0 });
      }
      const alert = (await app.outbox.all(tenantId, id)).find((e) => e.effect.kind === "notify" && e.effect.notice === "alert" && e.effect.to.id === demoPeople.megan.id)!;
      expect(alert.status).toBe("failed");
      expect(alert.lastError).toMatch(/^Teams: 503/);
      expect((await app.outbox.failed(tenantId, 50)).items.map((f) => f.effectId)).toContain(alert.effect.id);
      expect(await mailTo(tenantId, demoPeople.megan.upn, id)).toHaveLength(0);
    } finally {
      connector.heal();
    }
  });

  it("a connector that never answers: the send times out and is retried, not recorded as delivered", async () => {
    const tenantId = await authority("hang");
    connector.fail("hang", 1, "POST");
    const { alert } = await raiseAndRelay(tenantId, 300);
    expect(alert.status).toBe("pending");
    expect(alert.lastError).toMatch(/no answer within/);
  });

  it("a card update Teams refuses with 503 is retried; one it answers is delivered", async () => {
    const tenantId = await authority("update");
    const { id } = await raiseAndRelay(tenantId);
    expect((await app.conversations.cards(tenantId, id)).length).toBe(1);
    const teams = createTeamsSink({ adapter, appId: "", services: app.services, conversations: app.conversations });
    const dispute = (await app.services.store.load(tenantId, id))!.dispute;
    connector.fail("503", 1, "PUT");
    expect(await teams.deliver({ kind: "card-update", id: `${id}:9:1`, disputeId: id }, dispute)).toMatchObject({ ok: false, retryable: true, error: "card update: 503" });
    expect(await teams.deliver({ kind: "card-update", id: `${id}:9:1`, disputeId: id }, dispute)).toEqual({ ok: true, detail: "1 card(s) updated" });
    connector.fail("404", 1, "PUT");
    expect(await teams.deliver({ kind: "card-update", id: `${id}:9:1`, disputeId: id }, dispute)).toMatchObject({ ok: false, retryable: false });
  });
});
