/**
 * The local mailbox on the run's real Azurite: effects become rows, a repeated effect stays one
 * row, a calendar entry keeps its latest state; and over real HTTP through the local host,
 * GET /api/dev/mailbox (JSON) and /api/dev/mailbox/page (HTML, escaped).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MAILBOX_TABLE, createLocalMailboxSink, listMailbox } from "../../functions/adapters/localMailbox";
import { type Tables, connectTables } from "../../functions/adapters/tables";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import type { Effect } from "../../shared/dispute/effects";
import { escapeHtml, noticeLabels } from "../../shared/messages/notices";
import { apply, ctx, lambeth, raised } from "../fixtures/disputes";
import { MON_1_FEB, TUE_2_FEB, WED_3_FEB, redbridge } from "../fixtures/lifecycle";
import { alex, iro, megan } from "../fixtures/people";

const SCRIPT = `<script>alert("x")</script>`;
const start = raised(MON_1_FEB, { concerns: `No allocated social worker ${SCRIPT} & "more"` });
const dispute = start.dispute;
const notifications = start.effects.filter((e): e is Extract<Effect, { kind: "notify" }> => e.kind === "notify");
const alert = notifications.find((e) => e.notice === "alert")!;
const mail = notifications.find((e) => e.channel === "mail")!;
const calendarFor = (effects: Effect[], personId: string) => effects.find((e): e is Extract<Effect, { kind: "calendar" }> => e.kind === "calendar" && e.attendee.id === personId)!;
const upsert = calendarFor(start.effects, megan.id);
const extended = apply(dispute, { action: "extend", until: "2027-02-10", reason: "Agreed" }, ctx(TUE_2_FEB, iro));
const moved = calendarFor(extended.effects, megan.id);
const withdrawn = apply(extended.dispute, { action: "withdraw", reason: "Raised in error" }, ctx(WED_3_FEB, iro));
const cancel = calendarFor(withdrawn.effects, megan.id);
const atMeeting = raised(MON_1_FEB, { startStage: 4, category: "reviews-and-care-planning", reason: "review-preparation" }, redbridge);
const meeting = atMeeting.effects.find((e): e is Extract<Effect, { kind: "meeting" }> => e.kind === "meeting")!;

let tables: Tables;
beforeAll(() => {
  tables = connectTables(inject("tablesConnection"));
});

/** A clock that moves one minute on each reading: every write has its own time. */
function steppingClock(from = MON_1_FEB) {
  let t = new Date(from).getTime();
  return { now: () => new Date((t += 60_000)) };
}

async function rawRows(tenant: string) {
  const rows: Record<string, unknown>[] = [];
  for await (const r of tables.client(MAILBOX_TABLE).listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${tenant}'` } })) rows.push(r);
  return rows;
}

describe("local mailbox sink (Azurite)", () => {
  it("a mail and a Teams notice land as rows with subject, text, html, recipient and time", async () => {
    const tenant = `mb${randomUUID().slice(0, 8)}`;
    const sink = createLocalMailboxSink(tables, () => tenant, { clock: steppingClock(), labels: (d) => noticeLabels(lambeth, d) });
    expect(await sink.deliver(alert, dispute)).toEqual({ ok: true, detail: "Teams message written to the local mailbox" });
    expect(await sink.deliver(mail, dispute)).toEqual({ ok: true, detail: "mail written to the local mailbox" });
    const items = await listMailbox(tables, tenant, { limit: 50 });
    expect(items.map((i) => [i.kind, i.effectId, i.to])).toEqual([
      ["mail", mail.id, mail.to.upn],
      ["teams", alert.id, megan.upn],
    ]);
    const teams = items[1]!;
    expect(teams.subject).toMatch(/^Dispute D-1 · stage 1 · due .* · please respond$/);
    expect(teams.preview).toMatch(/^Please respond – dispute D-1/);
    expect(teams.text).toContain("You hold dispute D-1 at stage 1 (Team Manager)");
    expect(teams.text).toContain("Failure to meet LA statutory responsibilities");
    expect(teams.text).toContain(SCRIPT);
    expect(teams.html).toContain(escapeHtml(SCRIPT));
    expect(teams.html).not.toContain("<script");
    expect(teams.notice).toBe("alert");
    expect(teams.toName).toBe("Megan Bowen");
    expect(teams.at).toBe("2027-02-01T10:01:00.000Z");
    expect(teams.id).toBe(`m|2027-02-01T10:01:00.000Z|${alert.id}`);
  });

  it("the same effect delivered twice (and at once) is one row", async () => {
    const tenant = `mb${randomUUID().slice(0, 8)}`;
    const sink = createLocalMailboxSink(tables, () => tenant, { clock: steppingClock() });
    await sink.deliver(mail, dispute);
    await sink.deliver(mail, dispute);
    await Promise.all([sink.deliver(alert, dispute), sink.deliver(alert, dispute), sink.deliver(alert, dispute)]);
    const items = await listMailbox(tables, tenant, { limit: 50 });
    expect(items.map((i) => i.effectId).sort()).toEqual([alert.id, mail.id].sort());
    expect((await rawRows(tenant)).filter((r) => String(r.rowKey).startsWith("m|"))).toHaveLength(2);
  });

  it("a calendar entry: upsert, moved, cancelled — one entry per key, its latest state; a late older effect changes nothing", async () => {
    const tenant = `mb${randomUUID().slice(0, 8)}`;
    const sink = createLocalMailboxSink(tables, () => tenant, { clock: steppingClock() });
    expect(await sink.deliver(upsert, dispute)).toEqual({ ok: true, detail: "calendar entry written to the local mailbox" });
    await sink.deliver(moved, extended.dispute);
    let [entry, ...others] = await listMailbox(tables, tenant, { limit: 50 });
    expect(others).toHaveLength(0);
    expect(entry).toMatchObject({ kind: "calendar", op: "upsert", cancelled: false, entryKey: upsert.entryKey, dueAt: "2027-02-10T17:00:00.000Z", to: megan.upn, effectId: moved.id });
    expect(entry!.start).toBe("2027-02-10T16:30:00.000Z");
    expect(entry!.end).toBe("2027-02-10T17:00:00.000Z");

    expect(await sink.deliver(cancel, withdrawn.dispute)).toEqual({ ok: true, detail: "calendar entry cancelled in the local mailbox" });
    // The relay retries an older upsert after the cancel: the entry stays cancelled.
    expect(await sink.deliver(upsert, dispute)).toEqual({ ok: true, detail: "a later change of this calendar entry is already in the mailbox" });
    // And the cancel again: the same effect, nothing new.
    expect((await sink.deliver(cancel, withdrawn.dispute)).ok).toBe(true);
    [entry, ...others] = await listMailbox(tables, tenant, { limit: 50 });
    expect(others).toHaveLength(0);
    expect(entry).toMatchObject({ kind: "calendar", op: "cancel", cancelled: true, entryKey: upsert.entryKey, effectId: cancel.id });
    expect(entry!.id).toBe(`c|${upsert.entryKey}`);
  });

  it("a meeting row has the chair, the invitees and the proposed slot; card updates write nothing", async () => {
    const tenant = `mb${randomUUID().slice(0, 8)}`;
    const sink = createLocalMailboxSink(tables, () => tenant, { clock: { now: () => new Date(MON_1_FEB) } });
    expect(await sink.deliver(meeting, atMeeting.dispute)).toEqual({ ok: true, detail: "meeting written to the local mailbox" });
    expect(await sink.deliver({ kind: "card-update", id: "D-1:1:9", disputeId: "D-1" }, dispute)).toEqual({ ok: true, detail: "no card posted yet" });
    const items = await listMailbox(tables, tenant, { limit: 50 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "meeting", to: meeting.chair.upn, start: "2027-02-05T10:00:00.000Z", end: "2027-02-05T11:00:00.000Z", dueAt: meeting.by });
    expect(items[0]!.attendees).toEqual([meeting.chair.upn, ...meeting.invitees.map((p) => p.upn)]);
    // An invitee sees it in their own mailbox view.
    expect(await listMailbox(tables, tenant, { to: alex.upn, limit: 50 })).toHaveLength(1);
  });

  it("lists newest first, filtered by recipient, up to the limit; an empty or unknown mailbox is empty", async () => {
    const tenant = `mb${randomUUID().slice(0, 8)}`;
    const sink = createLocalMailboxSink(tables, () => tenant, { clock: steppingClock() });
    for (const e of notifications) await sink.deliver(e, dispute);
    await sink.deliver(upsert, dispute);
    const all = await listMailbox(tables, tenant, { limit: 100 });
    expect(all).toHaveLength(notifications.length + 1);
    expect(all.map((i) => i.at)).toEqual([...all.map((i) => i.at)].sort().reverse());
    expect(all[0]!.kind).toBe("calendar");
    const forMegan = await listMailbox(tables, tenant, { to: "MEGANB@example.com", limit: 100 });
    expect(forMegan.length).toBeGreaterThanOrEqual(2);
    expect(forMegan.every((i) => i.to === megan.upn)).toBe(true);
    expect(await listMailbox(tables, tenant, { limit: 2 })).toHaveLength(2);
    expect(await listMailbox(tables, `none${randomUUID().slice(0, 8)}`, { limit: 10 })).toEqual([]);
  });
});

describe("mailbox over HTTP through the local host", () => {
  const tenant = `dev${randomUUID().slice(0, 8)}`;
  let host: LocalHost;
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.RESOLVE_MODE = "local";
    process.env.RESOLVE_TABLES_CONNECTION = inject("tablesConnection");
    process.env.RESOLVE_DEV_TENANT = tenant;
    // composeApp builds the bot adapter too; with no app id, botbuilder's SingleTenant default
    // (settings.ts) asserts "MicrosoftAppId is required". Not this test's subject: use MultiTenant.
    process.env.MicrosoftAppType ??= "MultiTenant";
    await import("../../functions/http/mailbox");
    host = await startLocalHost({ port: 0 });
    const sink = createLocalMailboxSink(tables, () => tenant, { clock: steppingClock(), labels: (d: Dispute) => noticeLabels(lambeth, d) });
    for (const e of [...notifications, upsert]) expect((await sink.deliver(e, dispute)).ok).toBe(true);
  });

  afterAll(async () => {
    await host?.stop();
    process.env = saved;
  });

  it("GET /api/dev/mailbox returns the items as JSON, newest first; ?to= filters", async () => {
    const res = await fetch(`${host.url}/api/dev/mailbox`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await res.json()) as { tenantId: string; items: { kind: string; to: string; subject: string; at: string; effectId: string }[] };
    expect(body.tenantId).toBe(tenant);
    expect(body.items).toHaveLength(notifications.length + 1);
    expect(body.items.map((i) => i.at)).toEqual([...body.items.map((i) => i.at)].sort().reverse());
    expect(body.items.map((i) => i.effectId)).toContain(alert.id);

    const filtered = (await (await fetch(`${host.url}/api/dev/mailbox?to=${encodeURIComponent(mail.to.upn)}`)).json()) as typeof body;
    expect(filtered.items.map((i) => i.effectId)).toEqual([mail.id]);
    expect(filtered.items[0]!.to).toBe(mail.to.upn);

    expect((await fetch(`${host.url}/api/dev/mailbox?limit=0`)).status).toBe(400);
  });

  it("GET /api/dev/mailbox/page is a readable page that updates itself in place (no meta refresh), its one script the one that draws mail cards, every user text escaped", async () => {
    const res = await fetch(`${host.url}/api/dev/mailbox/page?to=${encodeURIComponent(megan.upn)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    // No refresh of its own: it would wipe an answer being typed on a mail's card, and cannot be paused.
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toContain("Resolve local mailbox");
    expect(html).toContain(`value="${megan.upn}"`);
    expect(html).toContain("Mail and Teams messages");
    expect(html).toContain("Calendar entries");
    expect(html).toContain("Dispute D-1: stage 1 response due");
    expect(html).toContain("You hold dispute D-1 at stage 1 (Team Manager)");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;more&quot;");
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script type="module" src="/api/addin/mailbox.js">']);
    expect(html).toContain('id="pause"');
    expect(html).not.toContain(mail.to.upn); // filtered to Megan

    const escapedTo = await (await fetch(`${host.url}/api/dev/mailbox/page?to=${encodeURIComponent(`"><script>x</script>`)}`)).text();
    expect(escapedTo).not.toContain("<script>x");
    expect(escapedTo).toContain("&quot;&gt;&lt;script&gt;x&lt;/script&gt;");
  });
});
