/**
 * No notice is left pending forever: several relays at once, a claim that lapses, a marker lost,
 * a backlog in backoff, timers overdue, and the auditor that finds and repairs them. Real Azurite;
 * Teams through the real adapter to a Bot Connector stand-in over HTTP; mail to the local mailbox.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRoutingSink, createTeamsSink } from "../../bot/teamsSink";
import { createLocalMailboxSink } from "../../functions/adapters/localMailbox";
import { type App, SWEEP_PERIOD_MS, composeApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { readSettings } from "../../functions/settings";
import { type AuditorReport, DEEP_SCAN_EVERY_MS, type Heartbeat, runAuditor } from "../../functions/usecases/auditor";
import { createHeartbeats } from "../../functions/adapters/heartbeats";
import { actOnDispute } from "../../functions/usecases/act";
import { raiseDispute } from "../../functions/usecases/raise";
import { type RelayDeps, relay, relayDispute } from "../../functions/usecases/relay";
import type { Services } from "../../functions/usecases/services";
import { type ConnectorStandIn, startConnectorStandIn } from "../fixtures/connectorStandIn";

const base = `frelay-${Math.random().toString(36).slice(2, 8)}`;
let app: App;
let connector: ConnectorStandIn;
const START = new Date("2027-01-11T09:00:00Z");

const details = {
  child: { reference: "MOS-600666", initials: "E.F.", legalStatus: "child-in-need", team: "demo-team" },
  category: "statutory-responsibilities",
  reason: "no allocated social worker",
  concerns: "No social worker.",
  outcomesSought: "One allocated.",
};

let beats: ReturnType<typeof createHeartbeats>;

beforeAll(async () => {
  app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: `${base}-dev` }));
  beats = createHeartbeats(app.tables);
  connector = await startConnectorStandIn();
});
afterAll(async () => {
  await connector.stop();
});

/** An authority of its own, everyone reachable in Teams through the stand-in, relays scoped to it. */
async function authority(name: string) {
  app.setClock(START);
  const tenantId = `${base}-${name}`;
  await app.directory.seed(demoAuthority("lambeth", tenantId, `${tenantId}-entra`));
  for (const p of Object.values(demoPeople)) {
    await app.conversations.save(tenantId, p.id, { serviceUrl: connector.url, channelId: "msteams", conversation: { id: `a:${tenantId}:${p.id}` } as never, bot: { id: "resolve", name: "Resolve" } });
  }
  const services: Services = { ...app.services, directory: { ...app.services.directory, tenants: async () => [(await app.services.directory.tenant(tenantId))!] } };
  const teams = createTeamsSink({ adapter: (await app.bot()).adapter, appId: "", services, conversations: app.conversations, timeoutMs: 1_000 });
  const deps: RelayDeps = { services, outbox: app.outbox, sink: createRoutingSink({ mail: createLocalMailboxSink(app.tables, undefined, { clock: app.services.clock }), teams }), random: () => 0 };
  const raise = async () => {
    const r = await raiseDispute(services, { tenantId, raisedBy: demoPeople.alex, source: "api", details });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.dispute.id;
  };
  const teamsSent = (personId: string) => connector.delivered().filter((c) => c.method === "POST" && c.conversationId === `a:${tenantId}:${personId}`).length;
  // Its own beat in the heartbeats table: what the auditor did for other authorities does not count here.
  const heartbeat: Heartbeat = { record: (r) => beats.beat(`auditor-${tenantId}`, new Date(r.at), r), last: () => beats.detail<AuditorReport>(`auditor-${tenantId}`) };
  const auditor = () => runAuditor({ ...deps, heartbeat, periodMs: SWEEP_PERIOD_MS });
  return { tenantId, services, deps, raise, teamsSent, auditor, heartbeat };
}

const statuses = async (tenantId: string, id: string) => (await app.outbox.all(tenantId, id)).map((e) => e.status);

describe("several relays at once", () => {
  it("three relays and a kick over the same disputes: every notice delivered once, no marker left", async () => {
    const a = await authority("three");
    const ids = [await a.raise(), await a.raise(), await a.raise(), await a.raise()];
    await Promise.all([relay(a.deps), relay(a.deps), relay(a.deps), ...ids.map(async (id) => relayDispute(a.deps, (await app.outbox.marker(a.tenantId, id))!, { delivered: 0, retrying: 0, failed: 0, dropped: 0 }))]);
    // A relay that lost a claim leaves the marker to the one that holds it: one more pass settles anything left.
    await relay(a.deps);
    for (const id of ids) expect(await statuses(a.tenantId, id)).not.toContain("pending");
    expect(await app.outbox.work(a.tenantId)).toEqual([]);
    // Each alert reached Megan's chat exactly once.
    expect(a.teamsSent(demoPeople.megan.id)).toBe(ids.length);
  });

  it("relays racing while Teams fails: no entry is left pending without a marker", async () => {
    const a = await authority("racing");
    const ids = [await a.raise(), await a.raise(), await a.raise()];
    connector.fail("503", 4, "POST");
    await Promise.all([relay(a.deps), relay(a.deps), relay(a.deps)]);
    connector.heal();
    const markers = new Set((await app.outbox.work(a.tenantId)).map((m) => m.disputeId));
    for (const id of ids) {
      if ((await statuses(a.tenantId, id)).includes("pending")) expect(markers.has(id), id).toBe(true);
    }
  });
});

describe("the auditor", () => {
  it("an entry pending whose marker was lost gets a marker and is delivered; the repair is recorded on the heartbeat", async () => {
    const a = await authority("lost");
    const id = await a.raise();
    await app.tables.client("indexes").deleteEntity(a.tenantId, `work|${id}`);
    app.setClock(new Date(START.getTime() + 60_000));
    const report = await a.auditor();
    expect(report.pendingWithoutMarker).toBe(1);
    expect(report.relayed.delivered).toBeGreaterThan(0);
    expect(await statuses(a.tenantId, id)).not.toContain("pending");
    expect(await app.outbox.work(a.tenantId)).toEqual([]);
    expect((await a.heartbeat.last())?.at).toBe(report.at);
  });

  it("reads every dispute's outbox for lost markers once a day; in between, only the markers and the due index", async () => {
    const a = await authority("daily");
    const first = await a.auditor();
    expect(first.deepScanAt).toBe(first.at);
    const id = await a.raise();
    await app.tables.client("indexes").deleteEntity(a.tenantId, `work|${id}`);
    app.setClock(new Date(START.getTime() + 60_000));
    const counter = app.tables.counter;
    const before = counter.count;
    const between = await a.auditor();
    // The heartbeat, the markers, the due index and the new beat: nothing that grows with the disputes.
    expect(counter.count - before).toBeLessThanOrEqual(4);
    expect(between).toMatchObject({ pendingWithoutMarker: 0, deepScanAt: first.at });
    app.setClock(new Date(START.getTime() + DEEP_SCAN_EVERY_MS + 60_000));
    const nextDay = await a.auditor();
    expect(nextDay, JSON.stringify(nextDay)).toMatchObject({ pendingWithoutMarker: 1 });
    expect(nextDay.deepScanAt).toBe(nextDay.at);
  });

  it("a claim whose relay died lapses and the entry is taken up again", async () => {
    const a = await authority("lapsed");
    const id = await a.raise();
    // A relay claimed every entry (two minutes) and died before sending.
    for (const e of await app.outbox.pending(a.tenantId, id)) await app.outbox.update(e, { status: "pending", attempts: e.attempts, nextAttemptAt: new Date(START.getTime() + 120_000).toISOString() });
    await relay(a.deps);
    expect(await statuses(a.tenantId, id)).toContain("pending");
    expect(await app.outbox.marker(a.tenantId, id)).toBeDefined();
    app.setClock(new Date(START.getTime() + 121_000));
    await relay(a.deps);
    expect(await statuses(a.tenantId, id)).not.toContain("pending");
  });

  it("a marker no relay took up within a sweep period is relayed by the auditor", async () => {
    const a = await authority("stale");
    const id = await a.raise();
    app.setClock(new Date(START.getTime() + 2 * SWEEP_PERIOD_MS));
    // The marker was written by the store's own clock (now); the auditor judges by its timestamp.
    await app.outbox.deferWork((await app.outbox.marker(a.tenantId, id))!, START.toISOString());
    const report = await a.auditor();
    expect(report.staleMarkers).toBe(1);
    expect(await statuses(a.tenantId, id)).not.toContain("pending");
  });

  it("timers overdue beyond a sweep period are found and run", async () => {
    const a = await authority("timers");
    const id = await a.raise();
    await relay(a.deps);
    // Long past the first reminder and the deadline: no sweep ran.
    app.setClock(new Date("2027-02-15T09:00:00Z"));
    const report = await a.auditor();
    expect(report.overdueTimers).toBeGreaterThan(0);
    const events = (await app.services.store.events(a.tenantId, id)).map((e) => e.action);
    expect(events).toContain("deadline-passed");
    const again = await a.auditor();
    expect(again.overdueTimers).toBe(0);
  });
});

describe("a backlog in backoff does not starve newer work", () => {
  it("markers waiting in backoff are skipped; the newest due one is relayed first", async () => {
    const a = await authority("backlog");
    const waiting = [await a.raise(), await a.raise(), await a.raise()];
    connector.failAlways("503", "POST");
    await relay(a.deps);
    connector.heal();
    const deferred = await app.outbox.work(a.tenantId);
    expect(deferred.map((m) => m.disputeId).sort()).toEqual([...waiting].sort());
    expect(deferred.every((m) => m.dueAt && m.dueAt > app.services.clock.now().toISOString())).toBe(true);
    const fresh = await a.raise();
    const report = await relay(a.deps, 1);
    expect(report.delivered).toBeGreaterThan(0);
    expect(await app.outbox.marker(a.tenantId, fresh)).toBeUndefined();
    expect((await app.outbox.work(a.tenantId)).map((m) => m.disputeId).sort()).toEqual([...waiting].sort());
  });
});

describe("a commit landing while a relay is at work", () => {
  it("its notices wait for a pass that has read their version: never sent in the words of the dispute before it, never left without a marker", async () => {
    const a = await authority("midway");
    const id = await a.raise();
    await relay(a.deps);
    const raised = await statuses(a.tenantId, id);
    expect(raised.every((s) => s === "delivered")).toBe(true);
    const answered = { ...app.services.store };
    // Megan answers just after this relay has read the dispute, before it reads the outbox.
    answered.loadWithHistory = async (t, d) => {
      const read = await app.services.store.loadWithHistory(t, d);
      const r = await actOnDispute(a.services, { tenantId: a.tenantId, disputeId: id, person: demoPeople.megan, body: { action: "respond", response: "A social worker starts on Monday." }, source: "api" });
      expect(r.ok).toBe(true);
      return read;
    };
    // The IRO adds a note: the relay that takes it up is the one the answer overtakes.
    expect((await actOnDispute(a.services, { tenantId: a.tenantId, disputeId: id, person: demoPeople.alex, body: { action: "add-note", note: "Chased by phone." }, source: "api" })).ok).toBe(true);
    const noted = await statuses(a.tenantId, id);
    const marker = (await app.outbox.marker(a.tenantId, id))!;
    const racing = { ...a.deps, services: { ...a.services, store: answered } };
    await relayDispute(racing, marker, { delivered: 0, retrying: 0, failed: 0, dropped: 0 });
    // Nothing of the answer went out on the version read before it; its marker stands, due now.
    const after = await statuses(a.tenantId, id);
    expect(after.slice(0, noted.length).every((s) => s === "delivered")).toBe(true);
    expect(after.length).toBeGreaterThan(noted.length);
    expect(after.slice(noted.length).every((s) => s === "pending")).toBe(true);
    expect(await app.outbox.marker(a.tenantId, id)).toBeDefined();
    const told = a.teamsSent(demoPeople.alex.id);
    await relay(a.deps);
    expect((await statuses(a.tenantId, id)).every((s) => s === "delivered")).toBe(true);
    expect(a.teamsSent(demoPeople.alex.id)).toBe(told + 1);
    const card = JSON.stringify(connector.delivered().filter((c) => c.method === "POST" && c.conversationId === `a:${a.tenantId}:${demoPeople.alex.id}`).at(-1)?.body);
    expect(card).toContain("A social worker starts on Monday.");
  });
});
