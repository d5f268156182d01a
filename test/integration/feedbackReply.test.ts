/**
 * Over real HTTP, in local mode, on the run's Azurite: a manager replies to good practice they were
 * sent (POST /api/feedback/{id}/replies); the reply is kept on the G- record with its audit event,
 * and the relay takes it back to the IRO (Teams cannot reach them here, so by mail, once). And an
 * exception raised by whoever first knows: a team manager with no IRO capability (Lambeth 9).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("fr");

import "../../functions/index";
import { listMailbox } from "../../functions/adapters/localMailbox";
import { type App, getApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import type { PositiveFeedback } from "../../shared/feedback/positiveFeedback";
import { relayed as settle } from "../fixtures/relayed";

const { alex, megan, rowan, sam, lynne, lscp, quinn } = demoPeople;

let host: LocalHost;
let app: App;

async function call(path: string, opts: { as?: string; method?: string; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = { "x-resolve-dev-user": opts.as ?? alex.upn };
  if (opts.body !== undefined || opts.raw !== undefined) headers["content-type"] = "application/json";
  const body = opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  return fetch(`${host.url}/api/${path}`, { method: opts.method ?? "GET", headers, ...(body !== undefined ? { body } : {}) });
}
const reply = (id: string, body: unknown, as: string) => call(`feedback/${id}/replies`, { method: "POST", body, as });

const relayed = (id: string) => settle(app, tenantId, id);

let recorded: PositiveFeedback;

beforeAll(async () => {
  host = await startLocalHost({ port: 0 });
  app = await getApp();
  await app.directory.seed(demoAuthority("lambeth", tenantId));
  expect((await call("dev/clock", { method: "POST", body: { now: "2027-02-01T10:00:00Z" } })).status).toBe(200);
  const r = await call("feedback", { method: "POST", body: { team: "demo-team", workerUpn: sam.upn, childReference: "MOS-100234", feedback: "Sam's direct work with J.S. was outstanding." } });
  expect(r.status).toBe(201);
  recorded = await r.json();
  await relayed(recorded.id);
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

describe("POST /api/feedback/{id}/replies", () => {
  it("the team manager it was sent to replies: 201, the reply kept on the record and audited on it", async () => {
    const r = await reply(recorded.id, { reply: "Thank you: I have shared it with Sam and the team." }, megan.upn);
    const body = (await r.json()) as PositiveFeedback;
    expect(r.status, JSON.stringify(body)).toBe(201);
    expect(body.replies).toEqual([{ text: "Thank you: I have shared it with Sam and the team.", by: { id: megan.id, upn: megan.upn, displayName: megan.displayName }, at: expect.stringMatching(/^2027-02-01T10:0/) }]);
    expect(await app.services.feedback.load(tenantId, recorded.id)).toEqual(body);
    const events = await app.services.feedback.events(tenantId, recorded.id);
    expect(events.map((e) => [e.id, e.action, e.actor.upn])).toEqual([
      [`${recorded.id}:1`, "record-positive-feedback", alex.upn],
      [`${recorded.id}:2`, "reply-positive-feedback", megan.upn],
    ]);
    expect(events[1]!.detail).toEqual({ reply: "Thank you: I have shared it with Sam and the team.", to: { id: alex.id, upn: alex.upn, displayName: alex.displayName } });
  });

  it("the reply returns to the IRO: the relay delivers it, and the mail is in the local mailbox, once", async () => {
    const entries = await relayed(recorded.id);
    const toIro = entries.filter((e) => e.effect.kind === "notify" && e.effect.notice === "feedback-reply");
    expect(toIro.map((e) => [e.effect.kind === "notify" && e.effect.to.upn, e.effect.kind === "notify" && e.effect.channel, e.status])).toEqual([
      [alex.upn, "teams", "delivered"],
      [alex.upn, "mail", "delivered"],
    ]);
    const mails = (await listMailbox(app.tables, tenantId, { to: alex.upn, limit: 100 })).filter((m) => m.disputeId === recorded.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ notice: "feedback-reply", subject: `Good practice ${recorded.id} · reply`, preview: `Reply to good practice – ${recorded.id}` });
    expect(mails[0]!.text).toContain("Dear Alex Wilber,");
    expect(mails[0]!.text).toContain("Megan Bowen replied to the good practice you recorded");
    expect(mails[0]!.text).toContain("Thank you: I have shared it with Sam and the team.");
    // Nobody else hears of the reply.
    for (const other of [megan, rowan, sam]) {
      expect((await listMailbox(app.tables, tenantId, { to: other.upn, limit: 100 })).filter((m) => m.disputeId === recorded.id && m.notice === "feedback-reply"), other.upn).toEqual([]);
    }
  });

  it("a second manager's reply is its own event and its own mail, telling their reply", async () => {
    expect((await reply(recorded.id, { reply: "Noted for the QA report." }, rowan.upn)).status).toBe(201);
    await relayed(recorded.id);
    const mails = (await listMailbox(app.tables, tenantId, { to: alex.upn, limit: 100 })).filter((m) => m.disputeId === recorded.id);
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => m.text).find((t) => t.includes("Rowan Ellis replied"))).toContain("Noted for the QA report.");
  });

  it("refused, nothing changes: the IRO (403), the worker praised or a stranger (404), bad bodies (400 naming the field)", async () => {
    const before = await app.services.feedback.events(tenantId, recorded.id);
    const iro = await reply(recorded.id, { reply: "Me too." }, alex.upn);
    expect(iro.status).toBe(403);
    expect((await iro.json()).error).toBe(`Only the managers good practice ${recorded.id} was sent to can reply to it.`);
    for (const as of [sam.upn, quinn.upn]) {
      const r = await reply(recorded.id, { reply: "Hello." }, as);
      expect(r.status, as).toBe(404);
      expect((await r.json()).error).toBe(`No good practice ${recorded.id} sent to you.`);
    }
    expect((await reply("G-NOSUCH", { reply: "Hello." }, megan.upn)).status).toBe(404);
    expect((await reply("D-ABC123", { reply: "Hello." }, megan.upn)).status).toBe(404);
    const cases: [unknown, string][] = [
      [{ reply: "  " }, "reply: must not be empty"],
      [{}, "reply: Invalid input: expected string, received undefined"],
      [{ reply: "Thanks", replyTo: "alex" }, "replyTo: is not a field here (misspelt?)"],
      [{ reply: "x".repeat(4001) }, "reply: must be at most 4000 characters"],
    ];
    for (const [body, message] of cases) {
      const r = await reply(recorded.id, body, megan.upn);
      expect(r.status, message).toBe(400);
      expect((await r.json()).error).toBe(message);
    }
    const notJson = await call(`feedback/${recorded.id}/replies`, { method: "POST", raw: "{nope", as: megan.upn });
    expect(notJson.status).toBe(400);
    expect(await app.services.feedback.events(tenantId, recorded.id)).toEqual(before);
  });

  it("two replies at once: both kept, each once, none lost", async () => {
    const [a, b] = await Promise.all([reply(recorded.id, { reply: "First at once." }, megan.upn), reply(recorded.id, { reply: "Second at once." }, rowan.upn)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const f = (await app.services.feedback.load(tenantId, recorded.id))!;
    expect(f.replies!.map((r) => r.text).sort()).toEqual(["First at once.", "Noted for the QA report.", "Second at once.", "Thank you: I have shared it with Sam and the team."]);
    expect((await app.services.feedback.events(tenantId, recorded.id)).map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it("the monthly report shows the record as an example of good practice, with its replies counted", async () => {
    const report = await (await call("reports/monthly?month=2027-02", { as: quinn.upn })).json();
    expect(report.goodPractice).toEqual([expect.objectContaining({ id: recorded.id, for: "Sam Kaur", team: "Children in Care Team 1", replies: 4 })]);
  });
});

describe("Lambeth 9 over HTTP: an exception raised by whoever first knows", () => {
  it("a team manager with no IRO capability raises one: 201, straight to the DCS, the DCS, the LSCP and QA told", async () => {
    const r = await call("disputes", {
      method: "POST",
      as: megan.upn,
      body: {
        exceptionKind: "life-changing-injury",
        child: { reference: "MOS-300001", initials: "T.W.", legalStatus: "child-protection", team: "demo-team" },
        category: "safeguarding",
        reason: "cp-plan-delay",
        concerns: "T.W. was admitted to hospital last night with injuries that may be life changing.",
        outcomesSought: "A strategy meeting today and the DCS and LSCP aware.",
      },
    });
    const view = await r.json();
    expect(r.status, JSON.stringify(view)).toBe(201);
    expect(view).toMatchObject({ stage: 5, raisedBy: { upn: megan.upn }, exception: { kind: "life-changing-injury", raisedAs: "staff" } });
    await relayed(view.id);
    for (const who of [lynne, lscp, rowan, quinn]) {
      const mails = (await listMailbox(app.tables, tenantId, { to: who.upn, limit: 100 })).filter((m) => m.disputeId === view.id && m.notice === "exception");
      expect(mails, who.upn).toHaveLength(1);
      expect(mails[0]!.text).toContain("Megan Bowen, who first came to know, raised dispute");
    }
  });

  it("the same team manager still cannot raise an ordinary dispute: that stays the IRO's", async () => {
    const r = await call("disputes", {
      method: "POST",
      as: megan.upn,
      body: { child: { reference: "MOS-300002", initials: "T.W.", legalStatus: "looked-after", team: "demo-team" }, category: "safeguarding", reason: "cp-plan-delay", concerns: "c", outcomesSought: "o" },
    });
    expect(r.status).toBe(403);
  });
});
