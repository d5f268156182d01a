/**
 * Good practice over real HTTP, in local mode, on the run's Azurite: an IRO records it with
 * POST /api/feedback; the record, its audit event and its outbox entries are written together;
 * the relay sends each manager the procedure names a Teams card and a mail (here Teams cannot
 * reach them, so the mail alone arrives, once); the monthly report counts it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("fb");

import "../../functions/index";
import { listMailbox } from "../../functions/adapters/localMailbox";
import { type App, getApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import type { PositiveFeedback } from "../../shared/feedback/positiveFeedback";
import { relayed as settle } from "../fixtures/relayed";

const IRO = demoPeople.alex.upn;
const QA = demoPeople.quinn.upn;
const { megan, rowan, sam } = demoPeople;

let host: LocalHost;
let app: App;

async function call(path: string, opts: { as?: string | null; method?: string; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = {};
  const as = opts.as === undefined ? IRO : opts.as;
  if (as) headers["x-resolve-dev-user"] = as;
  if (opts.body !== undefined || opts.raw !== undefined) headers["content-type"] = "application/json";
  const body = opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  return fetch(`${host.url}/api/${path}`, { method: opts.method ?? "GET", headers, ...(body !== undefined ? { body } : {}) });
}

const feedback = (body: unknown, as?: string | null) => call("feedback", { method: "POST", body, ...(as !== undefined ? { as } : {}) });

const good = {
  team: "demo-team",
  workerUpn: sam.upn,
  childReference: "MOS-100234",
  feedback: "Sam's direct work with J.S. before the review was outstanding: the child's views were clear in every report.",
};

const relayed = (id: string) => settle(app, tenantId, id);

let recorded: PositiveFeedback;

beforeAll(async () => {
  host = await startLocalHost({ port: 0 });
  app = await getApp();
  await app.directory.seed(demoAuthority("lambeth", tenantId));
  expect((await call("dev/clock", { method: "POST", body: { now: "2027-02-01T10:00:00Z" } })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

describe("POST /api/feedback", () => {
  it("the IRO records good practice: 201 with the record, sent to the managers Lambeth names", async () => {
    const r = await feedback(good);
    const body = await r.json();
    expect(r.status, JSON.stringify(body)).toBe(201);
    recorded = body;
    expect(recorded.id).toMatch(/^G-[0-9A-Z]{6}$/);
    expect(recorded).toMatchObject({
      tenantId,
      recordedBy: { id: demoPeople.alex.id, upn: IRO, displayName: "Alex Wilber" },
      // The dev clock runs on from 10:00.
      recordedAt: expect.stringMatching(/^2027-02-01T10:0/),
      source: "api",
      worker: { id: sam.id, upn: sam.upn, displayName: sam.displayName },
      team: "demo-team",
      teamName: "Children in Care Team 1",
      childReference: "MOS-100234",
      feedback: good.feedback,
    });
    expect(recorded.sentTo.map((s) => [s.role, s.person.upn])).toEqual([
      ["team-manager", megan.upn],
      ["ad-quality-assurance", rowan.upn],
    ]);
  });

  it("is written with its audit event and an outbox entry per card and mail (the managers', and the worker's), beside it; not among the disputes' events", async () => {
    expect(await app.services.feedback.load(tenantId, recorded.id)).toEqual(recorded);
    const events = await app.services.feedback.events(tenantId, recorded.id);
    expect(events).toEqual([
      expect.objectContaining({ id: `${recorded.id}:1`, action: "record-positive-feedback", actor: recorded.recordedBy, source: "api", at: recorded.recordedAt, detail: expect.objectContaining({ team: "demo-team", sentTo: recorded.sentTo }) }),
    ]);
    const entries = await app.outbox.all(tenantId, recorded.id);
    expect(entries.map((e) => [e.effect.kind === "notify" ? e.effect.to.upn : "", e.effect.kind === "notify" ? e.effect.channel : ""])).toEqual([
      [megan.upn, "teams"],
      [megan.upn, "mail"],
      [rowan.upn, "teams"],
      [rowan.upn, "mail"],
      [sam.upn, "teams"],
      [sam.upn, "mail"],
    ]);
    expect(await app.services.store.allEvents(tenantId)).toEqual([]);
  });

  it("a team's good practice, with no worker or child named; the tab says where it came from", async () => {
    const r = await call("feedback", { method: "POST", body: { team: "demo-team", workerUpn: "", childReference: "", feedback: "The team turned the plan round in a week." } });
    expect(r.status).toBe(201);
    const record = (await r.json()) as PositiveFeedback;
    expect(record).not.toHaveProperty("worker");
    expect(record).not.toHaveProperty("childReference");
    const tab = await fetch(`${host.url}/api/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-resolve-dev-user": IRO, "x-resolve-source": "tab" },
      body: JSON.stringify({ team: "demo-team", feedback: "A thoughtful pathway plan." }),
    });
    expect(((await tab.json()) as PositiveFeedback).source).toBe("tab");
  });

  it("someone who is not an IRO: 403, and nothing is written", async () => {
    const before = (await app.services.feedback.list(tenantId)).length;
    for (const as of [megan.upn, QA]) {
      const r = await feedback(good, as);
      expect(r.status, as).toBe(403);
      expect(await r.json()).toEqual({ error: "Only an IRO or CP chair records positive feedback.", code: "forbidden" });
    }
    expect((await feedback(good, null)).status).toBe(401);
    expect(await app.services.feedback.list(tenantId)).toHaveLength(before);
  });

  it("bad input: 400 naming the field, and nothing is written", async () => {
    const before = (await app.services.feedback.list(tenantId)).length;
    const cases: [unknown, string][] = [
      [{ ...good, feedback: "   " }, "What you saw: must not be empty."],
      [{ team: "demo-team" }, "What you saw: must not be empty."],
      [{ ...good, feedback: "x".repeat(4001) }, "What you saw: must be at most 4000 characters."],
      [{ ...good, team: "Demo Team" }, "Team: must be a team id in lower-case-with-hyphens."],
      [{ ...good, team: "no-such-team" }, 'Team: there is no team "no-such-team" in this authority.'],
      [{ ...good, workerUpn: "nobody@example.com" }, 'Worker: nobody with the UPN "nobody@example.com" in this authority.'],
      [{ ...good, childReference: "John Smith" }, "Case reference: must be a case reference: letters, digits, - / _ (2 to 40)."],
    ];
    for (const [body, message] of cases) {
      const r = await feedback(body);
      expect(r.status, message).toBe(400);
      expect((await r.json()).error).toBe(message);
    }
    const notJson = await call("feedback", { method: "POST", raw: "{not json" });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toBe("The body is not JSON.");
    expect(await app.services.feedback.list(tenantId)).toHaveLength(before);
  });
});

describe("after the relay", () => {
  it("each manager has the mail in the local mailbox, once: Teams could not reach them, and the card is not mailed again", async () => {
    const entries = await relayed(recorded.id);
    expect(entries.every((e) => e.status === "delivered")).toBe(true);
    for (const e of entries.filter((x) => x.effect.kind === "notify" && x.effect.channel === "teams")) {
      expect(e.detail).toBe("not shown in Teams (Teams: the person has no chat with Resolve and none can be started); it goes by mail as well");
    }
    for (const manager of [megan, rowan]) {
      const mine = (await listMailbox(app.tables, tenantId, { to: manager.upn, limit: 100 })).filter((i) => i.disputeId === recorded.id);
      expect(mine, manager.upn).toHaveLength(1);
      const mail = mine[0]!;
      expect(mail).toMatchObject({ kind: "mail", notice: "positive-feedback", subject: `Good practice ${recorded.id} · noted`, preview: `Good practice noted – ${recorded.id}` });
      // The subject names no child and no worker; the body does, by case reference.
      expect(mail.subject).not.toContain("MOS-100234");
      expect(mail.subject).not.toContain("Sam");
      expect(mail.text).toContain(`Dear ${manager.displayName},`);
      expect(mail.text).toContain("Alex Wilber, the IRO, recorded good practice by Sam Kaur of Children in Care Team 1.");
      expect(mail.text).toContain("the child's views were clear in every report");
      expect(mail.text).toContain("Case reference: MOS-100234");
    }
    // The worker praised is told, in words to them.
    const told = (await listMailbox(app.tables, tenantId, { to: sam.upn, limit: 100 })).filter((i) => i.disputeId === recorded.id);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain("Dear Sam Kaur,");
    expect(told[0]!.text).toContain("Alex Wilber, the IRO, recorded good practice by you.");
    expect(told[0]!.text).toContain("Your managers have it too");
    expect(told[0]!.text).not.toContain("Please share it with");
    // Over HTTP too, as a developer reads it.
    const page = await call(`dev/mailbox?to=${megan.upn}`);
    expect(((await page.json()) as { items: { disputeId: string }[] }).items.some((i) => i.disputeId === recorded.id)).toBe(true);
  });

  it("the work marker is gone; relaying again sends nothing twice", async () => {
    expect((await app.outbox.work(tenantId, 500)).some((m) => m.disputeId === recorded.id)).toBe(false);
    await app.relayAll();
    expect((await listMailbox(app.tables, tenantId, { to: megan.upn, limit: 100 })).filter((i) => i.disputeId === recorded.id)).toHaveLength(1);
  });

  it("the monthly report counts the month's good practice, and only that month's", async () => {
    const feb = await (await call("reports/monthly?month=2027-02", { as: QA })).json();
    expect(feb.summary.positiveFeedback).toBe(3);
    const jan = await (await call("reports/monthly?month=2027-01", { as: QA })).json();
    expect(jan.summary.positiveFeedback).toBe(0);
    const csv = await (await call("reports/monthly?month=2027-02&format=csv", { as: QA })).text();
    expect(csv).toContain("\r\nPositive feedback recorded,3\r\n");
  });
});
