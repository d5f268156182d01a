/**
 * The Graph adapter against a local HTTPS server standing in for Graph: the real
 * @microsoft/microsoft-graph-client (auth, retry and redirect handlers included) sends real
 * requests; the server checks their shape and behaves as Graph does where it matters
 * (transactionId dedupes creates, events found by an extended property, Retry-After, errors).
 *
 * Why HTTPS: the client adds the bearer token only to https URLs whose host is Graph's or listed
 * in `customHosts` (GraphRequestUtil.isValidEndpoint); over plain http it sends no token at all.
 */
import { type IncomingMessage, createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { FetchOptions } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import type { Effect } from "../../shared/dispute/effects";
import { actionableCard, actionableCardOf, embedActionableCard } from "../../shared/cards/actionableMessage";
import type { MailHtml } from "../../functions/ports";
import { type LabelsFor, renderNotice } from "../../shared/messages/notices";
import {
  EFFECT_ID_PROPERTY,
  ENTRY_KEY_PROPERTY,
  createGraphClient,
  createGraphSink,
  entryTransactionId,
  meetingTransactionId,
} from "../../functions/adapters/graphSink";
import { apply, ctx, raised } from "../fixtures/disputes";
import { MON_1_FEB, TUE_2_FEB, redbridge } from "../fixtures/lifecycle";
import { alex, iro, megan } from "../fixtures/people";
import { type GraphStandIn, type Seen, SENDER, TOKEN, startGraphStandIn } from "../fixtures/graphStandIn";

// ——— fixtures ———

const raise = raised(MON_1_FEB);
const dispute: Dispute = raise.dispute;
const mailEffect = raise.effects.find((e): e is Extract<Effect, { kind: "notify" }> => e.kind === "notify" && e.channel === "mail")!;
const teamsEffect = raise.effects.find((e): e is Extract<Effect, { kind: "notify" }> => e.kind === "notify" && e.channel === "teams")!;
const upsertMegan = raise.effects.find((e): e is Extract<Effect, { kind: "calendar" }> => e.kind === "calendar" && e.attendee.id === megan.id)!;
const extended = apply(dispute, { action: "extend", until: "2027-02-10", reason: "More time agreed" }, ctx(TUE_2_FEB, iro));
const movedMegan = extended.effects.find((e): e is Extract<Effect, { kind: "calendar" }> => e.kind === "calendar" && e.attendee.id === megan.id)!;
const withdrawn = apply(extended.dispute, { action: "withdraw", reason: "Raised in error" }, ctx(TUE_2_FEB, iro));
const cancelMegan = withdrawn.effects.find((e): e is Extract<Effect, { kind: "calendar" }> => e.kind === "calendar" && e.attendee.id === megan.id && e.op === "cancel")!;
const atMeeting = raised(MON_1_FEB, { startStage: 4, category: "reviews-and-care-planning", reason: "review-preparation" }, redbridge);
const meetingEffect = atMeeting.effects.find((e): e is Extract<Effect, { kind: "meeting" }> => e.kind === "meeting")!;

let standIn: GraphStandIn;
let graph: GraphStandIn["graph"];
let tokenCalls = 0;

function sinkWith(opts: { timeoutMs?: number; maxRetries?: number; maxInlineWaitSeconds?: number; baseUrl?: string; mailHtml?: MailHtml; renderLabels?: LabelsFor } = {}) {
  const client = createGraphClient({
    authProvider: {
      getAccessToken: async () => {
        tokenCalls++;
        return TOKEN;
      },
    },
    baseUrl: opts.baseUrl ?? standIn.base,
    customHosts: ["127.0.0.1"],
    timeoutMs: opts.timeoutMs ?? 2_000,
    retry: { maxRetries: opts.maxRetries ?? 1, delaySeconds: 0, maxInlineWaitSeconds: opts.maxInlineWaitSeconds ?? 2 },
    fetchOptions: { dispatcher: standIn.dispatcher } as unknown as FetchOptions,
  });
  return createGraphSink({ client, senderMailbox: SENDER, now: () => new Date(MON_1_FEB), ...(opts.mailHtml ? { mailHtml: opts.mailHtml } : {}), ...(opts.renderLabels ? { renderLabels: opts.renderLabels } : {}) });
}

beforeAll(async () => {
  standIn = await startGraphStandIn();
  graph = standIn.graph;
});

afterAll(async () => {
  await standIn.stop();
});

beforeEach(() => {
  graph.reset();
  tokenCalls = 0;
});

const expectGraphHeaders = (s: Seen, withBody: boolean) => {
  expect(s.headers.authorization).toBe(`Bearer ${TOKEN}`);
  if (withBody) expect(s.headers["content-type"]).toMatch(/^application\/json/);
  expect(s.headers.sdkversion).toMatch(/graph-js/);
};

describe("Graph sink: mail", () => {
  it("mail is made as a draft carrying the effect id, then sent: HTML body, the recipient, the effect id header", async () => {
    const outcome = await sinkWith().deliver(mailEffect, dispute);
    expect(outcome).toEqual({ ok: true, detail: `mail sent (effect ${mailEffect.id})` });
    expect(graph.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      `GET /v1.0/users/${SENDER}/messages`,
      `POST /v1.0/users/${SENDER}/messages`,
      `POST /v1.0/users/${SENDER}/messages/AAMkMsg-1/send`,
    ]);
    const [lookup, create] = graph.seen;
    expectGraphHeaders(lookup!, false);
    expect(lookup!.query.get("$filter")).toBe(`singleValueExtendedProperties/Any(ep: ep/id eq '${EFFECT_ID_PROPERTY}' and ep/value eq '${mailEffect.id}')`);
    expectGraphHeaders(create!, true);
    const rendered = renderNotice({ notice: mailEffect.notice, dispute, to: mailEffect.to, role: mailEffect.role });
    expect(create!.body).toEqual({
      subject: rendered.subject,
      body: { contentType: "HTML", content: rendered.html },
      toRecipients: [{ emailAddress: { address: mailEffect.to.upn } }],
      internetMessageHeaders: [{ name: "x-resolve-effect-id", value: mailEffect.id }],
      singleValueExtendedProperties: [{ id: EFFECT_ID_PROPERTY, value: mailEffect.id }],
    });
    expect(create!.body.subject).not.toContain(dispute.child.reference);
    expect(graph.inbox).toEqual([{ to: mailEffect.to.upn, subject: rendered.subject, effectId: mailEffect.id }]);
    expect(tokenCalls).toBe(3);
  });

  it("a Teams notice handed over as the fallback goes as mail, and says so", async () => {
    const outcome = await sinkWith().deliver(teamsEffect, dispute);
    expect(outcome).toEqual({ ok: true, detail: `mail instead of Teams (effect ${teamsEffect.id})` });
    expect(graph.inbox.map((m) => m.to)).toEqual([megan.upn]);
  });

  it("Graph answers 504 after sending: the retry finds the mail sent and sends nothing more", async () => {
    graph.inject("POST", "/send", "store-then-504", 2);
    const first = await sinkWith({ maxRetries: 0 }).deliver(mailEffect, dispute);
    expect(first.ok).toBe(true);
    expect(graph.inbox).toHaveLength(1);
    const again = await sinkWith().deliver(mailEffect, dispute);
    expect(again).toEqual({ ok: true, detail: `mail already sent (effect ${mailEffect.id})` });
    expect(graph.inbox).toHaveLength(1);
  });

  it("Graph answers 504 after storing the draft: the relay's retry sends that draft, one mail in all", async () => {
    graph.inject("POST", /\/messages$/, "store-then-504");
    const first = await sinkWith({ maxRetries: 0 }).deliver(mailEffect, dispute);
    expect(first).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/^Graph sendMail: 504/) });
    expect(graph.inbox).toHaveLength(0);
    const again = await sinkWith().deliver(mailEffect, dispute);
    expect(again.ok).toBe(true);
    expect(graph.inbox).toHaveLength(1);
    expect([...graph.messages.values()].filter((m) => m.isDraft)).toHaveLength(0);
  });

  it("the client's own retry of a create Graph stored (503) leaves a second draft: one mail is sent, the spare draft removed", async () => {
    graph.inject("POST", /\/messages$/, "store-then-503");
    const first = await sinkWith({ maxRetries: 1 }).deliver(mailEffect, dispute);
    expect(first.ok).toBe(true);
    expect(graph.inbox).toHaveLength(1);
    // The next delivery of the same effect (the relay's, after a lost answer) finds it sent.
    expect((await sinkWith().deliver(mailEffect, dispute)).ok).toBe(true);
    expect(graph.inbox).toHaveLength(1);
  });

  it("the HTML Graph is given is the finished mail: with the Actionable Message card embedded when the mail asks its reader to act", async () => {
    const card = actionableCard({ type: "AdaptiveCard", version: "1.5", body: [] }, "c0ffee00-1234-4abc-8def-0123456789ab");
    const mailHtml: MailHtml = async (effect, _subject, html) => (effect.notice === "alert" ? embedActionableCard(html, card) : html);
    expect((await sinkWith({ mailHtml }).deliver(teamsEffect, dispute)).ok).toBe(true);
    // The mail is made as a draft (POST …/messages with the message itself), then sent.
    const sent = graph.seen.filter((s) => s.body !== undefined).map((s) => JSON.stringify(s.body)).find((b) => b.includes("adaptivecard+json"));
    expect(sent, "no request to Graph carried the card").toBeTruthy();
    const html = JSON.parse(sent!).body.content as string;
    expect(actionableCardOf(html)).toEqual(card);
    expect(html).toContain(`Dear ${megan.displayName},`);
  });

  it("card updates are the bot's: nothing is sent", async () => {
    expect(await sinkWith().deliver({ kind: "card-update", id: "D-1:1:9", disputeId: "D-1" }, dispute)).toEqual({ ok: true, detail: "cards are the bot's" });
    expect(graph.seen).toHaveLength(0);
  });
});

describe("Graph sink: calendar entries", () => {
  const filterFor = (key: string) => `singleValueExtendedProperties/Any(ep: ep/id eq '${ENTRY_KEY_PROPERTY}' and ep/value eq '${key}')`;

  it("an upsert looks the entry up by its extended property, then creates it with a transactionId", async () => {
    const outcome = await sinkWith().deliver(upsertMegan, dispute);
    expect(outcome.ok).toBe(true);
    const [lookup, create] = graph.seen;
    expect(lookup!.method).toBe("GET");
    expect(lookup!.path).toBe(`/v1.0/users/${megan.upn}/events`);
    expect(lookup!.query.get("$filter")).toBe(filterFor(upsertMegan.entryKey));
    expect(lookup!.query.get("$select")).toBe("id");
    expectGraphHeaders(lookup!, false);
    expect(create!.method).toBe("POST");
    expect(create!.path).toBe(`/v1.0/users/${megan.upn}/events`);
    expectGraphHeaders(create!, true);
    expect(create!.body).toMatchObject({
      transactionId: entryTransactionId(upsertMegan.entryKey, upsertMegan.id),
      subject: "Dispute D-1: stage 1 response due",
      start: { dateTime: "2027-02-05T16:30:00.000", timeZone: "UTC" },
      end: { dateTime: "2027-02-05T17:00:00.000", timeZone: "UTC" },
      isReminderOn: true,
      showAs: "free",
      categories: ["Resolve"],
      singleValueExtendedProperties: [{ id: ENTRY_KEY_PROPERTY, value: upsertMegan.entryKey }],
      body: { contentType: "HTML" },
    });
    expect(create!.body.transactionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(create!.body.body.content).not.toContain(dispute.child.reference);
    expect(outcome).toEqual({ ok: true, detail: `calendar event ${graph.eventsOf(megan.upn)[0]!.id} created` });
  });

  it("an entry and a meeting name the stage, the team and the authority by name, never by id", async () => {
    // As compose.ts gives them: the team and the authority as the directory names them.
    const renderLabels: LabelsFor = () => ({ team: "Children in Care Team 1", authority: "Demo Borough Council" });
    const sink = sinkWith({ renderLabels });
    expect((await sink.deliver(upsertMegan, dispute)).ok).toBe(true);
    expect((await sink.deliver(meetingEffect, atMeeting.dispute)).ok).toBe(true);
    const [entry, meeting] = graph.seen.filter((x) => x.method === "POST").map((x) => x.body.body.content as string);
    for (const html of [entry!, meeting!]) {
      expect(html).toContain("Children in Care Team 1");
      expect(html).toContain("Demo Borough Council");
      expect(html).not.toContain("demo-team");
      expect(html).not.toContain(dispute.child.reference);
    }
    expect(entry).toContain("1, Team Manager");
    expect(entry).not.toContain("team-manager");
    const stage = atMeeting.dispute.ladder.stages.find((s) => s.stage === meetingEffect.stage)!;
    expect(meeting).toContain(`${stage.stage}, ${stage.title}`);
    expect(meeting).not.toContain(stage.role);
  });

  it("a create retried after a lost answer keeps its transactionId: Graph returns the first event, one exists", async () => {
    // Graph stores the event but answers 503; the client's retry handler sends the same create again.
    graph.inject("POST", "/events", "store-then-503");
    const outcome = await sinkWith().deliver(upsertMegan, dispute);
    expect(outcome.ok).toBe(true);
    const creates = graph.seen.filter((s) => s.method === "POST");
    expect(creates).toHaveLength(2);
    expect(creates[1]!.headers["retry-attempt"]).toBe("1");
    expect(creates[1]!.body.transactionId).toBe(creates[0]!.body.transactionId);
    expect(graph.eventsOf(megan.upn)).toHaveLength(1);
  });

  it("the relay delivering the same upsert again (its answer lost to a timeout) finds the event: still one", async () => {
    // Graph makes the event, but its answer never comes: the first delivery times out.
    graph.inject("POST", "/events", "store-then-hang");
    const first = await sinkWith({ timeoutMs: 300 }).deliver(upsertMegan, dispute);
    expect(first).toEqual({ ok: false, retryable: true, error: "Graph calendar upsert: timed out" });
    expect(graph.eventsOf(megan.upn)).toHaveLength(1);
    const again = await sinkWith().deliver(upsertMegan, dispute);
    expect(again.ok).toBe(true);
    expect(graph.eventsOf(megan.upn)).toHaveLength(1);
    expect(graph.seen.at(-1)!.method).toBe("PATCH");
  });

  it("a moved deadline patches the same event; a cancel deletes it; a second cancel is fine", async () => {
    const sink = sinkWith();
    await sink.deliver(upsertMegan, dispute);
    const [event] = graph.eventsOf(megan.upn);
    graph.seen = [];
    const moved = await sink.deliver(movedMegan, extended.dispute);
    expect(moved).toEqual({ ok: true, detail: `calendar event ${event!.id} updated` });
    const patch = graph.seen.find((s) => s.method === "PATCH")!;
    expect(patch.path).toBe(`/v1.0/users/${megan.upn}/events/${event!.id}`);
    expectGraphHeaders(patch, true);
    expect(patch.body).toMatchObject({ start: { dateTime: "2027-02-10T16:30:00.000", timeZone: "UTC" }, end: { dateTime: "2027-02-10T17:00:00.000", timeZone: "UTC" } });
    expect(patch.body.transactionId).toBeUndefined();
    expect(graph.eventsOf(megan.upn)).toHaveLength(1);
    expect(graph.eventsOf(megan.upn)[0]!.body.end.dateTime).toBe("2027-02-10T17:00:00.000");

    graph.seen = [];
    expect(await sink.deliver(cancelMegan, withdrawn.dispute)).toEqual({ ok: true, detail: "calendar entry deleted (1)" });
    expect(graph.seen.map((s) => s.method)).toEqual(["GET", "DELETE"]);
    expect(graph.seen[1]!.path).toBe(`/v1.0/users/${megan.upn}/events/${event!.id}`);
    expectGraphHeaders(graph.seen[1]!, false);
    expect(graph.eventsOf(megan.upn)).toHaveLength(0);
    expect(await sink.deliver(cancelMegan, withdrawn.dispute)).toEqual({ ok: true, detail: "no calendar entry to cancel" });
  });

  it("an event deleted between lookup and delete (404) counts as cancelled", async () => {
    const sink = sinkWith();
    await sink.deliver(upsertMegan, dispute);
    graph.inject("DELETE", /\/events\/[^/]+$/, { status: 404, body: { error: { code: "ErrorItemNotFound", message: "Not found" } } });
    expect(await sink.deliver(cancelMegan, withdrawn.dispute)).toEqual({ ok: true, detail: "calendar entry deleted (1)" });
  });

  it("an event deleted in Outlook before a moved deadline is written afresh", async () => {
    const sink = sinkWith();
    await sink.deliver(upsertMegan, dispute);
    graph.inject("PATCH", /\/events\/[^/]+$/, { status: 404, body: { error: { code: "ErrorItemNotFound", message: "Not found" } } });
    const outcome = await sink.deliver(movedMegan, extended.dispute);
    expect(outcome.ok && outcome.detail).toMatch(/created$/);
    expect(graph.seen.at(-1)!.body.transactionId).toBe(entryTransactionId(movedMegan.entryKey, movedMegan.id));
  });
});

describe("Graph sink: stage meetings", () => {
  it("a Teams meeting in the chair's calendar, attendees required, 10:00 London the working day before it falls due", async () => {
    const sink = sinkWith();
    const outcome = await sink.deliver(meetingEffect, atMeeting.dispute);
    expect(outcome.ok).toBe(true);
    const [create] = graph.seen;
    expect(create!.method).toBe("POST");
    expect(create!.path).toBe(`/v1.0/users/${meetingEffect.chair.upn}/events`);
    expectGraphHeaders(create!, true);
    // Due Monday 8 February 2027, 17:00: proposed Friday 5 February, 10:00–11:00 (GMT).
    expect(meetingEffect.by).toBe("2027-02-08T17:00:00.000Z");
    expect(create!.body).toMatchObject({
      subject: meetingEffect.subject,
      start: { dateTime: "2027-02-05T10:00:00.000", timeZone: "UTC" },
      end: { dateTime: "2027-02-05T11:00:00.000", timeZone: "UTC" },
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
      transactionId: meetingTransactionId(meetingEffect.id),
      body: { contentType: "HTML" },
    });
    expect(create!.body.attendees).toEqual(
      meetingEffect.invitees.filter((p) => p.upn !== meetingEffect.chair.upn).map((p) => ({ emailAddress: { address: p.upn, name: p.displayName }, type: "required" })),
    );
    expect(create!.body.attendees.map((a: { emailAddress: { address: string } }) => a.emailAddress.address)).toContain(alex.upn);
    // Delivered again: the same transactionId, so Graph gives back the same meeting.
    expect(await sink.deliver(meetingEffect, atMeeting.dispute)).toEqual(outcome);
    expect(graph.eventsOf(meetingEffect.chair.upn)).toHaveLength(1);
  });
});

describe("Graph sink: failures become outcomes the relay can act on", () => {
  it("429 with a long Retry-After is not waited for in-process: retryable, with retryAfterMs", async () => {
    graph.inject("POST", /\/messages$/, { status: 429, headers: { "Retry-After": "7" }, body: { error: { code: "TooManyRequests", message: "Too many requests" } } });
    const outcome = await sinkWith().deliver(mailEffect, dispute);
    expect(outcome).toEqual({ ok: false, retryable: true, retryAfterMs: 7000, error: "Graph sendMail: 429 TooManyRequests: Too many requests" });
    expect(graph.seen.map((x) => x.method)).toEqual(["GET", "POST"]);
  });

  it("429 with a short Retry-After: the client waits and retries; when it gives up, retryable with retryAfterMs", async () => {
    graph.inject("POST", /\/messages$/, { status: 429, headers: { "Retry-After": "1" }, body: { error: { code: "TooManyRequests", message: "Slow down" } } }, 2);
    const started = Date.now();
    const outcome = await sinkWith({ maxRetries: 1 }).deliver(mailEffect, dispute);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(graph.seen.map((x) => x.method)).toEqual(["GET", "POST", "POST"]);
    expect(graph.seen[2]!.headers["retry-attempt"]).toBe("1");
    expect(outcome).toMatchObject({ ok: false, retryable: true, retryAfterMs: 1000 });
  });

  it("429 once, then success: the client's retry handler honours Retry-After and the mail goes", async () => {
    graph.inject("POST", /\/messages$/, { status: 429, headers: { "Retry-After": "1" }, body: { error: { code: "TooManyRequests", message: "Slow down" } } });
    const started = Date.now();
    expect((await sinkWith().deliver(mailEffect, dispute)).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(graph.seen.map((x) => x.method)).toEqual(["GET", "POST", "POST", "POST"]);
    expect(graph.inbox).toHaveLength(1);
  });

  it("503 and 502, 500: retryable", async () => {
    graph.inject("POST", /\/messages$/, { status: 503, body: { error: { code: "ServiceUnavailable", message: "Down" } } }, 2);
    expect(await sinkWith({ maxRetries: 1 }).deliver(mailEffect, dispute)).toEqual({ ok: false, retryable: true, error: "Graph sendMail: 503 ServiceUnavailable: Down" });
    graph.inject("POST", /\/messages$/, { status: 502, body: "<html>Bad gateway</html>" });
    expect(await sinkWith().deliver(mailEffect, dispute)).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/^Graph sendMail: 502/) });
    graph.inject("GET", "/events", { status: 500, body: { error: { code: "InternalServerError", message: "Oops" } } });
    expect(await sinkWith().deliver(upsertMegan, dispute)).toMatchObject({ ok: false, retryable: true, error: "Graph calendar upsert: 500 InternalServerError: Oops" });
  });

  it("a hanging call ends at the time limit as a retryable failure", async () => {
    graph.inject("POST", /\/messages$/, "hang");
    const started = Date.now();
    const outcome = await sinkWith({ timeoutMs: 300 }).deliver(mailEffect, dispute);
    const took = Date.now() - started;
    expect(outcome).toEqual({ ok: false, retryable: true, error: "Graph sendMail: timed out" });
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(5_000);
  });

  it("403, 404 and 400 are not retried; the error carries Graph's code and message, without addresses", async () => {
    graph.inject("POST", /\/messages$/, { status: 403, body: { error: { code: "ErrorAccessDenied", message: `Access is denied for ${SENDER}. Check credentials and try again.` } } });
    const denied = await sinkWith().deliver(mailEffect, dispute);
    expect(denied).toEqual({ ok: false, retryable: false, error: "Graph sendMail: 403 ErrorAccessDenied: Access is denied for <address> Check credentials and try again." });
    expect(graph.seen.map((x) => x.method)).toEqual(["GET", "POST"]);
    graph.inject("POST", "/events", { status: 404, body: { error: { code: "ErrorInvalidUser", message: "The requested user 'meganb@example.com' is invalid." } } });
    const missing = await sinkWith().deliver(upsertMegan, dispute);
    expect(missing).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/^Graph calendar upsert: 404 ErrorInvalidUser/) });
    expect((missing as { error: string }).error).not.toContain("meganb");
    graph.inject("POST", "/events", { status: 400, body: { error: { code: "ErrorInvalidRequest", message: "Bad start time" } } });
    expect(await sinkWith().deliver(meetingEffect, atMeeting.dispute)).toEqual({ ok: false, retryable: false, error: "Graph meeting: 400 ErrorInvalidRequest: Bad start time" });
  });

  it("no answer at all (connection refused) is retryable", async () => {
    const closed = createHttpServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const outcome = await sinkWith({ baseUrl: `https://127.0.0.1:${port}/` }).deliver(mailEffect, dispute);
    expect(outcome).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/^Graph sendMail: no response/) });
  });
});

describe("the Graph client's own rule: the token goes only over https to Graph or a custom host", () => {
  it("over plain http the request is sent without an Authorization header, even with the host in customHosts", async () => {
    const headers: IncomingMessage["headers"][] = [];
    const plain = createHttpServer((req, res) => {
      headers.push(req.headers);
      req.resume();
      // The lookup finds nothing, the draft is made, then sent.
      req.on("end", () => {
        if (req.method === "GET") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value: [] }));
        else if (req.url?.endsWith("/messages")) res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: "draft-1" }));
        else res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
    try {
      const outcome = await sinkWith({ baseUrl: `http://127.0.0.1:${(plain.address() as AddressInfo).port}/` }).deliver(mailEffect, dispute);
      expect(outcome.ok).toBe(true);
      expect(headers).toHaveLength(3);
      expect(headers.map((h) => h.authorization)).toEqual([undefined, undefined, undefined]);
      expect(tokenCalls).toBe(0);
    } finally {
      plain.closeAllConnections();
      await new Promise<void>((r) => plain.close(() => r()));
    }
  });
});
