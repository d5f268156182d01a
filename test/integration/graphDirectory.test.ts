/**
 * The directory's Graph calls against a stand-in for Graph over HTTP: the real
 * @microsoft/microsoft-graph-client sends real requests (people search with the advanced-query
 * header, automatic replies), the stand-in checks their shape and answers as Graph does, errors too.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { createGraphAbsence, createGraphEntraDirectory } from "../../functions/adapters/graphDirectory";
import { createGraphClient } from "../../functions/adapters/graphSink";
import { composeApp } from "../../functions/compose";
import { readSettings } from "../../functions/settings";
import { createCoverRouting } from "../../functions/usecases/cover";
import { getDispute } from "../../functions/usecases/queries";
import { raiseDispute } from "../../functions/usecases/raise";
import { relayDispute } from "../../functions/usecases/relay";
import { renderNotice } from "../../shared/messages/notices";
import { TUE_2_FEB, raisedOnMonday } from "../fixtures/lifecycle";
import { adele, megan as meganRef, quinn } from "../fixtures/people";

interface Seen {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
}
type Reply = { status: number; headers?: Record<string, string>; body?: unknown } | "hang";

const seen: Seen[] = [];
let replies: Reply[] = [];
let server: Server;
let base: string;

const USERS = [
  { id: "e1", displayName: "Megan Bowen", userPrincipalName: "MeganB@council.example" },
  { id: "e2", displayName: "Megan Jones", userPrincipalName: "meganj@council.example" },
];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    seen.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const reply = replies.shift() ?? { status: 200, body: url.pathname.endsWith("/users") ? { value: USERS } : { status: "disabled" } };
    if (reply === "hang") return;
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen.length = 0;
  replies = [];
});

const client = () => createGraphClient({ authProvider: { getAccessToken: async () => "token" }, baseUrl: base, timeoutMs: 500, retry: { maxRetries: 1, delaySeconds: 0 } });
const megan = { id: "m", upn: "meganb@council.example", displayName: "Megan Bowen" };

describe("people search: GET /users?$search", () => {
  it("asks with ConsistencyLevel: eventual, by display name or mail, for the fields it needs", async () => {
    const found = await createGraphEntraDirectory(client()).search('Meg"an');
    expect(found).toEqual({
      ok: true,
      value: [
        { entraId: "e1", upn: "meganb@council.example", displayName: "Megan Bowen" },
        { entraId: "e2", upn: "meganj@council.example", displayName: "Megan Jones" },
      ],
    });
    const [req] = seen;
    expect(req!.path).toBe("/v1.0/users");
    expect(req!.headers.consistencylevel).toBe("eventual");
    // A quote typed cannot end the clause early.
    expect(req!.query.get("$search")).toBe('"displayName:Meg an" OR "mail:Meg an"');
    expect(req!.query.get("$select")).toBe("id,displayName,userPrincipalName");
    expect(req!.query.get("$top")).toBe("25");
  });

  it("403 (no User.ReadBasic.All) is a reason a person can read, not a crash", async () => {
    replies = [{ status: 403, body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" } } }];
    const found = await createGraphEntraDirectory(client()).search("megan");
    expect(found.ok).toBe(false);
    expect(!found.ok && found.error).toMatch(/Entra could not be read \(Graph people search: 403 Authorization_RequestDenied.*User\.ReadBasic\.All/);
  });

  it("429 with Retry-After is retried by the client, then answers", async () => {
    replies = [{ status: 429, headers: { "Retry-After": "0" }, body: { error: { code: "TooManyRequests" } } }];
    const found = await createGraphEntraDirectory(client()).search("megan");
    expect(found.ok && found.value).toHaveLength(2);
    expect(seen).toHaveLength(2);
  });

  it("a Graph that does not answer times out as an error", async () => {
    replies = ["hang", "hang"];
    const found = await createGraphEntraDirectory(client()).search("megan");
    expect(!found.ok && found.error).toMatch(/timed out|no response/);
  });
});

describe("groups: GET /groups?$search and /groups/{id}/members", () => {
  it("finds groups by name with the advanced-query header", async () => {
    replies = [{ status: 200, body: { value: [{ id: "g1", displayName: "Leaving Care Team" }] } }];
    expect(await createGraphEntraDirectory(client()).groups("leaving")).toEqual({ ok: true, value: [{ groupId: "g1", displayName: "Leaving Care Team" }] });
    expect(seen[0]!.path).toBe("/v1.0/groups");
    expect(seen[0]!.headers.consistencylevel).toBe("eventual");
    expect(seen[0]!.query.get("$search")).toBe('"displayName:leaving"');
  });

  it("reads a group's people page by page, following @odata.nextLink", async () => {
    replies = [
      { status: 200, body: { value: [USERS[0]], "@odata.nextLink": `${base}v1.0/groups/g1/members/microsoft.graph.user?$skiptoken=next` } },
      { status: 200, body: { value: [USERS[1]] } },
    ];
    const members = await createGraphEntraDirectory(client()).members("g1");
    expect(members.ok && members.value?.map((p) => p.upn)).toEqual(["meganb@council.example", "meganj@council.example"]);
    expect(seen.map((x) => x.path)).toEqual(["/v1.0/groups/g1/members/microsoft.graph.user", "/v1.0/groups/g1/members/microsoft.graph.user"]);
    expect(seen[1]!.query.get("$skiptoken")).toBe("next");
  });

  it("404: there is no such group; 403: the permission it needs is named", async () => {
    replies = [{ status: 404, body: { error: { code: "Request_ResourceNotFound" } } }];
    expect(await createGraphEntraDirectory(client()).members("g9")).toEqual({ ok: true, value: null });
    replies = [{ status: 403, body: { error: { code: "Authorization_RequestDenied" } } }];
    const denied = await createGraphEntraDirectory(client()).members("g1");
    expect(!denied.ok && denied.error).toMatch(/GroupMember\.Read\.All/);
  });
});

describe("automatic replies: GET /users/{upn}/mailboxSettings/automaticRepliesSetting", () => {
  const at = new Date("2026-12-22T10:00:00Z");
  const scheduled = (start: string, end: string, timeZone = "UTC") => ({
    status: 200,
    body: { status: "scheduled", scheduledStartDateTime: { dateTime: start, timeZone }, scheduledEndDateTime: { dateTime: end, timeZone } },
  });

  it("scheduled and now within: away until the end", async () => {
    replies = [scheduled("2026-12-21T08:00:00.0000000", "2027-01-04T08:00:00.0000000")];
    expect(await createGraphAbsence(client()).absence(megan, at)).toEqual({ until: "2027-01-04T08:00:00.000Z" });
    expect(seen[0]!.path).toBe("/v1.0/users/meganb%40council.example/mailboxSettings/automaticRepliesSetting");
  });

  it("a London time zone is read as London time", async () => {
    replies = [scheduled("2026-12-21T08:00:00.0000000", "2027-07-01T09:00:00.0000000", "GMT Standard Time")];
    // 1 July is British Summer Time: 09:00 in London is 08:00 UTC.
    expect(await createGraphAbsence(client()).absence(megan, at)).toEqual({ until: "2027-07-01T08:00:00.000Z" });
  });

  it("always on: away with no return date", async () => {
    replies = [{ status: 200, body: { status: "alwaysEnabled" } }];
    expect(await createGraphAbsence(client()).absence(megan, at)).toEqual({});
  });

  it("scheduled for later, disabled, 404 or 403: not known to be away", async () => {
    replies = [scheduled("2027-01-10T08:00:00.0000000", "2027-01-20T08:00:00.0000000")];
    expect(await createGraphAbsence(client()).absence(megan, at)).toBeUndefined();
    replies = [{ status: 200, body: { status: "disabled" } }];
    expect(await createGraphAbsence(client()).absence(megan, at)).toBeUndefined();
    replies = [{ status: 404, body: { error: { code: "ErrorItemNotFound" } } }];
    expect(await createGraphAbsence(client()).absence(megan, at)).toBeUndefined();
    replies = [{ status: 403, body: { error: { code: "ErrorAccessDenied" } } }];
    expect(await createGraphAbsence(client()).absence(megan, at)).toBeUndefined();
  });
});

describe("routing an alert, cover first, then the holder's automatic replies", () => {
  const tenantId = `absence-${Math.random().toString(36).slice(2, 8)}`;
  const raised = raisedOnMonday();
  const alert = raised.effects.find((e) => e.kind === "notify" && e.notice === "alert")!;
  const routeWith = async () => {
    const app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: tenantId }));
    app.setClock(new Date(TUE_2_FEB));
    return { app, route: createCoverRouting({ services: app.services, absence: createGraphAbsence(client()) }) };
  };

  it("no cover, away past the deadline: the alert still goes to the holder, and its record tells the IRO", async () => {
    const { route } = await routeWith();
    replies = [{ status: 200, body: { status: "scheduled", scheduledStartDateTime: { dateTime: "2027-02-01T08:00:00.0000000", timeZone: "UTC" }, scheduledEndDateTime: { dateTime: "2027-02-15T08:00:00.0000000", timeZone: "UTC" } } }];
    const routed = await route(alert, raised.dispute, tenantId);
    expect(routed.effect).toEqual(alert);
    expect(routed.note).toBe("Megan Bowen's automatic replies say they are away until Monday 15 February 2027, after the deadline (Friday 5 February 2027 at 17:00): the IRO may escalate or reassign");
  });

  it("with cover standing, the cover receives it and Graph is not asked", async () => {
    const { app, route } = await routeWith();
    const cover = { holder: meganRef, cover: adele, from: "2027-02-01", until: "2027-02-12" };
    const stamp = await app.services.administration.stamp(tenantId, { kind: "cover", personId: meganRef.id });
    const written = await app.services.administration.apply(tenantId, { kind: "cover", personId: meganRef.id, cover }, { id: "c1", at: TUE_2_FEB, by: quinn, kind: "cover", subject: "Cover for Megan Bowen", was: null, now: "set", before: null, after: cover }, stamp);
    expect(written.ok).toBe(true);
    const routed = await route(alert, raised.dispute, tenantId);
    expect(routed).toEqual({ effect: { ...alert, to: adele }, note: "sent to Adele Vance, covering for Megan Bowen" });
    expect(seen).toHaveLength(0);
  });
});

describe("a holder away past the deadline with nobody covering: the IRO is told", () => {
  it("the relay delivers the alert, records the absence on the dispute, and the IRO gets a notice and may escalate now", async () => {
    const tenantId = `away-${Math.random().toString(36).slice(2, 8)}`;
    const app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: tenantId }));
    app.setClock(new Date("2027-02-01T10:00:00Z"));
    const iro = (await app.services.directory.personByUpn(tenantId, "alexw@example.com"))!;
    const raisedNow = await raiseDispute(app.services, {
      tenantId,
      raisedBy: iro,
      source: "api",
      details: { child: { reference: "MOS-300001", initials: "C.D.", legalStatus: "looked-after", team: "demo-team" }, category: "statutory-responsibilities", reason: "no allocated social worker", concerns: "No allocated social worker.", outcomesSought: "Allocate one.", startStage: 1 },
    });
    expect(raisedNow.ok).toBe(true);
    const d = raisedNow.ok ? raisedNow.value.dispute : undefined!;
    replies = [{ status: 200, body: { status: "scheduled", scheduledStartDateTime: { dateTime: "2027-01-25T08:00:00.0000000", timeZone: "UTC" }, scheduledEndDateTime: { dateTime: "2027-03-01T08:00:00.0000000", timeZone: "UTC" } } }];
    const deps = { services: app.services, outbox: app.outbox, sink: app.sink, route: createCoverRouting({ services: app.services, absence: createGraphAbsence(client()) }) };
    const report = { delivered: 0, retrying: 0, failed: 0, dropped: 0 };
    await relayDispute(deps, (await app.outbox.marker(tenantId, d.id))!, report);

    const stored = (await app.services.store.load(tenantId, d.id))!.dispute;
    expect(stored.stages.at(-1)!.holderAway).toMatchObject({ until: "2027-03-01T08:00:00.000Z", at: expect.stringMatching(/^2027-02-01T10:/) });
    const events = await app.services.store.events(tenantId, d.id);
    expect(events.filter((e) => e.action === "holder-away")).toHaveLength(1);

    // The notice the lifecycle wrote goes out on the next relay; the alert is not sent again, nor Graph asked again.
    const asked = seen.length;
    await relayDispute(deps, (await app.outbox.marker(tenantId, d.id))!, report);
    expect(seen.length).toBe(asked);
    const entries = await app.outbox.all(tenantId, d.id);
    const told = entries.filter((e) => e.effect.kind === "notify" && e.effect.notice === "holder-away");
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ status: "delivered", effect: { to: { upn: "alexw@example.com" } } });
    expect(entries.filter((e) => e.effect.kind === "notify" && e.effect.notice === "alert")).toHaveLength(1);
    const mail = renderNotice({ dispute: stored, notice: "holder-away", to: stored.raisedBy, role: null });
    expect(mail.text).toContain("Megan Bowen's automatic replies say they are away until Monday 1 March 2027, after stage 1 (Team Manager)");
    expect(mail.text).toContain("you may escalate now");

    const view = await getDispute(app.services, tenantId, d.id, iro);
    expect(view.ok && view.value.actions).toContain("escalate");
  });

  it("away, but back before the deadline: the alert's record says so and the IRO is not told", async () => {
    const tenantId = `back-${Math.random().toString(36).slice(2, 8)}`;
    const app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: tenantId }));
    app.setClock(new Date("2027-02-01T10:00:00Z"));
    const iro = (await app.services.directory.personByUpn(tenantId, "alexw@example.com"))!;
    const raisedNow = await raiseDispute(app.services, {
      tenantId,
      raisedBy: iro,
      source: "api",
      details: { child: { reference: "MOS-300002", initials: "E.F.", legalStatus: "looked-after", team: "demo-team" }, category: "statutory-responsibilities", reason: "no allocated social worker", concerns: "No allocated social worker.", outcomesSought: "Allocate one.", startStage: 1 },
    });
    const d = raisedNow.ok ? raisedNow.value.dispute : undefined!;
    replies = [{ status: 200, body: { status: "scheduled", scheduledStartDateTime: { dateTime: "2027-01-25T08:00:00.0000000", timeZone: "UTC" }, scheduledEndDateTime: { dateTime: "2027-02-02T08:00:00.0000000", timeZone: "UTC" } } }];
    const deps = { services: app.services, outbox: app.outbox, sink: app.sink, route: createCoverRouting({ services: app.services, absence: createGraphAbsence(client()) }) };
    await relayDispute(deps, (await app.outbox.marker(tenantId, d.id))!, { delivered: 0, retrying: 0, failed: 0, dropped: 0 });
    const stored = (await app.services.store.load(tenantId, d.id))!.dispute;
    expect(stored.stages.at(-1)!.holderAway).toBeUndefined();
    const alert = (await app.outbox.all(tenantId, d.id)).find((e) => e.effect.kind === "notify" && e.effect.notice === "alert");
    expect(alert).toMatchObject({ status: "delivered", detail: expect.stringMatching(/^Megan Bowen's automatic replies say they are away until Tuesday 2 February 2027(;|$)/) });
  });
});
