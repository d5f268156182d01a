/**
 * The Graph adapter against a local HTTPS server standing in for Graph: the real
 * @microsoft/microsoft-graph-client (auth, retry and redirect handlers included) sends real
 * requests; the server checks their shape and behaves as Graph does where it matters
 * (transactionId dedupes creates, events found by an extended property, Retry-After, errors).
 *
 * Why HTTPS: the client adds the bearer token only to https URLs whose host is Graph's or listed
 * in `customHosts` (GraphRequestUtil.isValidEndpoint); over plain http it sends no token at all.
 */
import { type IncomingMessage, type ServerResponse, createServer as createHttpServer } from "node:http";
import { type Server, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { FetchOptions } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import type { Effect } from "../../shared/dispute/effects";
import { actionableCard, actionableCardOf, embedActionableCard } from "../../shared/cards/actionableMessage";
import type { MailHtml } from "../../functions/ports";
import { renderNotice } from "../../shared/messages/notices";
import {
  ENTRY_KEY_PROPERTY,
  createGraphClient,
  createGraphSink,
  entryTransactionId,
  meetingTransactionId,
} from "../../functions/adapters/graphSink";
import { apply, ctx, raised } from "../fixtures/disputes";
import { MON_1_FEB, TUE_2_FEB, redbridge } from "../fixtures/lifecycle";
import { alex, iro, megan } from "../fixtures/people";

// A self-signed certificate for 127.0.0.1, for this test only (valid to 2126).
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgiGYdxYL4o6oFggAG
M5eqgThXsS14zY9hhXHGhwLgvzKhRANCAAS5MjCn0hkDHBuHxarpSmikF06NkbQz
Fq4rg2mLxRCGRXdjWXz5RT0OHdQzw3V8N1YzmV73SCCqfnfGoEZ+eJ0k
-----END PRIVATE KEY-----`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBkTCCATagAwIBAgIUeMSiGk6jTsytFoiirHZA6qN1LGIwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMzExMjg1NFoYDzIxMjYxMDMw
MTEyODU0WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAS5MjCn0hkDHBuHxarpSmikF06NkbQzFq4rg2mLxRCGRXdjWXz5RT0O
HdQzw3V8N1YzmV73SCCqfnfGoEZ+eJ0ko2QwYjAdBgNVHQ4EFgQUxsU8hhj6q56z
t4HD8wB0e12e1DgwHwYDVR0jBBgwFoAUxsU8hhj6q56zt4HD8wB0e12e1DgwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC
IQCxTQYzRcYeVYVOyeH2877tr60dxwfqVRojbu/JWlE5BAIhAJoOHw5TlwytJvNI
H95kILF8LhqB/Ya112qVGFkc+dbr
-----END CERTIFICATE-----`;

const SENDER = "resolve-noreply@council.example";
const TOKEN = "test-token-123";

/**
 * A fetch dispatcher that trusts the test certificate. Node's fetch is undici; its Agent class is
 * not exported by Node 20, but the global dispatcher is one: make another with our CA.
 */
async function trustingDispatcher(): Promise<unknown> {
  await fetch("http://127.0.0.1:9/").catch(() => undefined); // makes sure the global dispatcher exists
  const global = (globalThis as Record<symbol, { constructor: new (o: unknown) => unknown } | undefined>)[Symbol.for("undici.globalDispatcher.1")];
  if (!global) throw new Error("Node's fetch dispatcher was not found: cannot trust the test certificate");
  return new global.constructor({ connect: { ca: TEST_CERT } });
}

// ——— the stand-in for Graph ———

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: any;
}
type Reply = { status: number; headers?: Record<string, string>; body?: unknown } | "hang" | "store-then-503" | "store-then-hang" | "pass";
interface GraphEvent {
  id: string;
  upn: string;
  transactionId?: string;
  body: any;
}

class FakeGraph {
  seen: Seen[] = [];
  events = new Map<string, GraphEvent>();
  /** Replies to give, in order, before behaving normally: by "METHOD path-suffix". */
  script: { match: (s: Seen) => boolean; reply: Reply }[] = [];
  private next = 1;
  private hanging: ServerResponse[] = [];

  reset() {
    this.seen = [];
    this.events.clear();
    this.script = [];
    for (const r of this.hanging) r.destroy();
    this.hanging = [];
  }

  inject(method: string, pathEnd: string | RegExp, reply: Reply, times = 1) {
    for (let i = 0; i < times; i++) {
      this.script.push({ match: (s) => s.method === method && (typeof pathEnd === "string" ? s.path.endsWith(pathEnd) : pathEnd.test(s.path)), reply });
    }
  }

  eventsOf(upn: string) {
    return [...this.events.values()].filter((e) => e.upn === upn);
  }

  handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "https://127.0.0.1");
      const text = Buffer.concat(chunks).toString("utf8");
      const seen: Seen = { method: req.method ?? "GET", path: decodeURIComponent(url.pathname), query: url.searchParams, headers: req.headers, body: text ? JSON.parse(text) : undefined };
      this.seen.push(seen);
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        const payload = body === undefined ? "" : JSON.stringify(body);
        res.writeHead(status, { ...(payload ? { "content-type": "application/json" } : {}), ...headers });
        res.end(payload);
      };
      const i = this.script.findIndex((s) => s.match(seen));
      const scripted = i >= 0 ? this.script.splice(i, 1)[0]!.reply : "pass";
      if (scripted === "hang") {
        this.hanging.push(res);
        return;
      }
      if (typeof scripted === "object") return send(scripted.status, scripted.body, scripted.headers);
      const answer = this.route(seen);
      if (scripted === "store-then-hang") {
        this.hanging.push(res);
        return;
      }
      if (scripted === "store-then-503") return send(503, { error: { code: "ServiceUnavailable", message: "Try again" } }, { "Retry-After": "0" });
      send(answer.status, answer.body);
    });
  };

  private route(s: Seen): { status: number; body?: unknown } {
    if (s.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "Access token is empty." } } };
    let m = /^\/v1\.0\/users\/([^/]+)\/sendMail$/.exec(s.path);
    if (m && s.method === "POST") return { status: 202 };
    m = /^\/v1\.0\/users\/([^/]+)\/events$/.exec(s.path);
    if (m && s.method === "POST") {
      const upn = m[1]!;
      // Graph: a create with a transactionId already used returns the event made the first time.
      const same = [...this.events.values()].find((e) => e.upn === upn && s.body.transactionId && e.transactionId === s.body.transactionId);
      if (same) return { status: 201, body: { id: same.id, ...same.body } };
      const event: GraphEvent = { id: `AAMk-${this.next++}`, upn, transactionId: s.body.transactionId, body: s.body };
      this.events.set(event.id, event);
      return { status: 201, body: { id: event.id, ...event.body } };
    }
    if (m && s.method === "GET") {
      const upn = m[1]!;
      const filter = s.query.get("$filter") ?? "";
      const f = /^singleValueExtendedProperties\/Any\(ep: ep\/id eq '((?:[^']|'')*)' and ep\/value eq '((?:[^']|'')*)'\)$/.exec(filter);
      if (!f) return { status: 400, body: { error: { code: "BadRequest", message: `Invalid filter clause: ${filter}` } } };
      const [id, value] = [f[1]!.replace(/''/g, "'"), f[2]!.replace(/''/g, "'")];
      const hits = this.eventsOf(upn).filter((e) => (e.body.singleValueExtendedProperties ?? []).some((p: { id: string; value: string }) => p.id === id && p.value === value));
      return { status: 200, body: { value: hits.map((e) => ({ id: e.id })) } };
    }
    m = /^\/v1\.0\/users\/([^/]+)\/events\/([^/]+)$/.exec(s.path);
    if (m) {
      const event = this.events.get(m[2]!);
      if (!event || event.upn !== m[1]) return { status: 404, body: { error: { code: "ErrorItemNotFound", message: "The specified object was not found in the store." } } };
      if (s.method === "PATCH") {
        event.body = { ...event.body, ...s.body };
        return { status: 200, body: { id: event.id, ...event.body } };
      }
      if (s.method === "DELETE") {
        this.events.delete(event.id);
        return { status: 204 };
      }
    }
    return { status: 400, body: { error: { code: "BadRequest", message: `Unexpected ${s.method} ${s.path}` } } };
  }
}

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

const graph = new FakeGraph();
let server: Server;
let base = "";
let dispatcher: unknown;
let tokenCalls = 0;

function sinkWith(opts: { timeoutMs?: number; maxRetries?: number; maxInlineWaitSeconds?: number; baseUrl?: string; mailHtml?: MailHtml } = {}) {
  const client = createGraphClient({
    authProvider: {
      getAccessToken: async () => {
        tokenCalls++;
        return TOKEN;
      },
    },
    baseUrl: opts.baseUrl ?? base,
    customHosts: ["127.0.0.1"],
    timeoutMs: opts.timeoutMs ?? 2_000,
    retry: { maxRetries: opts.maxRetries ?? 1, delaySeconds: 0, maxInlineWaitSeconds: opts.maxInlineWaitSeconds ?? 2 },
    fetchOptions: { dispatcher } as unknown as FetchOptions,
  });
  return createGraphSink({ client, senderMailbox: SENDER, now: () => new Date(MON_1_FEB), ...(opts.mailHtml ? { mailHtml: opts.mailHtml } : {}) });
}

beforeAll(async () => {
  dispatcher = await trustingDispatcher();
  server = createServer({ key: TEST_KEY, cert: TEST_CERT }, graph.handle);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  graph.reset();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await (dispatcher as { close(): Promise<void> }).close();
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
  it("sendMail from the sender mailbox: HTML body, the recipient, the effect id header, saved to Sent Items", async () => {
    const outcome = await sinkWith().deliver(mailEffect, dispute);
    expect(outcome).toEqual({ ok: true, detail: `mail sent (effect ${mailEffect.id})` });
    expect(graph.seen).toHaveLength(1);
    const [s] = graph.seen;
    expect(s!.method).toBe("POST");
    expect(s!.path).toBe(`/v1.0/users/${SENDER}/sendMail`);
    expectGraphHeaders(s!, true);
    const rendered = renderNotice({ notice: mailEffect.notice, dispute, to: mailEffect.to, role: mailEffect.role });
    expect(s!.body).toEqual({
      message: {
        subject: rendered.subject,
        body: { contentType: "HTML", content: rendered.html },
        toRecipients: [{ emailAddress: { address: mailEffect.to.upn } }],
        internetMessageHeaders: [{ name: "x-resolve-effect-id", value: mailEffect.id }],
      },
      saveToSentItems: true,
    });
    expect(s!.body.message.subject).not.toContain(dispute.child.reference);
    expect(tokenCalls).toBe(1);
  });

  it("a Teams notice handed over as the fallback goes as mail, and says so", async () => {
    const outcome = await sinkWith().deliver(teamsEffect, dispute);
    expect(outcome).toEqual({ ok: true, detail: `mail instead of Teams (effect ${teamsEffect.id})` });
    expect(graph.seen[0]!.body.message.toRecipients).toEqual([{ emailAddress: { address: megan.upn } }]);
  });

  it("the HTML Graph is given is the finished mail: with the Actionable Message card embedded when the mail asks its reader to act", async () => {
    const card = actionableCard({ type: "AdaptiveCard", version: "1.5", body: [] }, "c0ffee00-1234-4abc-8def-0123456789ab");
    const mailHtml: MailHtml = async (effect, _subject, html) => (effect.notice === "alert" ? embedActionableCard(html, card) : html);
    expect((await sinkWith({ mailHtml }).deliver(teamsEffect, dispute)).ok).toBe(true);
    const sent = graph.seen.map((s) => JSON.stringify(s.body)).find((b) => b.includes("adaptivecard+json"));
    expect(sent, "no request to Graph carried the card").toBeTruthy();
    const html = JSON.parse(sent!).message.body.content as string;
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
    graph.inject("POST", "/sendMail", { status: 429, headers: { "Retry-After": "7" }, body: { error: { code: "TooManyRequests", message: "Too many requests" } } });
    const outcome = await sinkWith().deliver(mailEffect, dispute);
    expect(outcome).toEqual({ ok: false, retryable: true, retryAfterMs: 7000, error: "Graph sendMail: 429 TooManyRequests: Too many requests" });
    expect(graph.seen).toHaveLength(1);
  });

  it("429 with a short Retry-After: the client waits and retries; when it gives up, retryable with retryAfterMs", async () => {
    graph.inject("POST", "/sendMail", { status: 429, headers: { "Retry-After": "1" }, body: { error: { code: "TooManyRequests", message: "Slow down" } } }, 2);
    const started = Date.now();
    const outcome = await sinkWith({ maxRetries: 1 }).deliver(mailEffect, dispute);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(graph.seen).toHaveLength(2);
    expect(graph.seen[1]!.headers["retry-attempt"]).toBe("1");
    expect(outcome).toMatchObject({ ok: false, retryable: true, retryAfterMs: 1000 });
  });

  it("429 once, then success: the client's retry handler honours Retry-After and the mail goes", async () => {
    graph.inject("POST", "/sendMail", { status: 429, headers: { "Retry-After": "1" }, body: { error: { code: "TooManyRequests", message: "Slow down" } } });
    const started = Date.now();
    expect((await sinkWith().deliver(mailEffect, dispute)).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(graph.seen).toHaveLength(2);
  });

  it("503 and 502, 500: retryable", async () => {
    graph.inject("POST", "/sendMail", { status: 503, body: { error: { code: "ServiceUnavailable", message: "Down" } } }, 2);
    expect(await sinkWith({ maxRetries: 1 }).deliver(mailEffect, dispute)).toEqual({ ok: false, retryable: true, error: "Graph sendMail: 503 ServiceUnavailable: Down" });
    graph.inject("POST", "/sendMail", { status: 502, body: "<html>Bad gateway</html>" });
    expect(await sinkWith().deliver(mailEffect, dispute)).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/^Graph sendMail: 502/) });
    graph.inject("GET", "/events", { status: 500, body: { error: { code: "InternalServerError", message: "Oops" } } });
    expect(await sinkWith().deliver(upsertMegan, dispute)).toMatchObject({ ok: false, retryable: true, error: "Graph calendar upsert: 500 InternalServerError: Oops" });
  });

  it("a hanging call ends at the time limit as a retryable failure", async () => {
    graph.inject("POST", "/sendMail", "hang");
    const started = Date.now();
    const outcome = await sinkWith({ timeoutMs: 300 }).deliver(mailEffect, dispute);
    const took = Date.now() - started;
    expect(outcome).toEqual({ ok: false, retryable: true, error: "Graph sendMail: timed out" });
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(5_000);
  });

  it("403, 404 and 400 are not retried; the error carries Graph's code and message, without addresses", async () => {
    graph.inject("POST", "/sendMail", { status: 403, body: { error: { code: "ErrorAccessDenied", message: `Access is denied for ${SENDER}. Check credentials and try again.` } } });
    const denied = await sinkWith().deliver(mailEffect, dispute);
    expect(denied).toEqual({ ok: false, retryable: false, error: "Graph sendMail: 403 ErrorAccessDenied: Access is denied for <address> Check credentials and try again." });
    expect(graph.seen).toHaveLength(1);
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
      req.on("end", () => res.writeHead(202).end());
    });
    await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
    try {
      const outcome = await sinkWith({ baseUrl: `http://127.0.0.1:${(plain.address() as AddressInfo).port}/` }).deliver(mailEffect, dispute);
      expect(outcome.ok).toBe(true);
      expect(headers).toHaveLength(1);
      expect(headers[0]!.authorization).toBeUndefined();
      expect(tokenCalls).toBe(0);
    } finally {
      plain.closeAllConnections();
      await new Promise<void>((r) => plain.close(() => r()));
    }
  });
});
