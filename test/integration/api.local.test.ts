/**
 * The REST API over real HTTP, in local mode: the local host serves the registered routes, the
 * dev header names the caller, the dev clock and sweep drive the timers, storage is the run's Azurite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("api");

import "../../functions/index";
import { SWEEP_PERIOD_MS, getApp } from "../../functions/compose";
import { runAuditor } from "../../functions/usecases/auditor";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { raiseDispute } from "../../functions/usecases/raise";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";

const IRO = "alexw@example.com";
const MANAGER = "meganb@example.com";
const QA = "quinnq@example.com";
const SOCIAL_WORKER = "samk@example.com";
/** In the directory, in another team, with no part in the demo team's disputes. */
const OUTSIDER = "olive@example.com";

let host: LocalHost;

const raiseBody = {
  child: { reference: "MOS-100234", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
  category: "statutory-responsibilities",
  reason: "no allocated social worker",
  concerns: "No allocated social worker since the review on 1 December.",
  outcomesSought: "Allocate a social worker within 5 working days.",
  startStage: 1,
};

interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function call(method: string, path: string, opts: { as?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  const as = opts.as === undefined ? IRO : opts.as;
  if (as) headers["x-resolve-dev-user"] = as;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${host.url}/api/${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

const setClock = (now: string) => call("POST", "dev/clock", { body: { now } });

/** The dev clock keeps running from where it was set: an instant read from it is that instant plus a moment. */
function near(actual: string, expected: string, withinMs = 5_000) {
  const diff = new Date(actual).getTime() - new Date(expected).getTime();
  expect(diff, `${actual} is not just after ${expected}`).toBeGreaterThanOrEqual(0);
  expect(diff, `${actual} is not just after ${expected}`).toBeLessThan(withinMs);
}

async function raise(body: object = raiseBody, as = IRO) {
  const r = await call("POST", "disputes", { as, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

const act = (id: string, body: object, as: string) => call("POST", `disputes/${id}/actions`, { as, body });

/**
 * Wait until the relay the API started after a change (app.kick) has delivered that dispute's
 * effects. The relay re-projects the dispute's list rows from the state it read; a commit landing
 * meanwhile has its rows overwritten by the older ones (the store's reproject races commits), so
 * tests that read lists let each change settle first.
 */
async function settled(disputeId: string) {
  const app = await getApp();
  for (let i = 0; i < 100; i++) {
    if (!(await app.outbox.work(tenantId, 500)).some((m) => m.disputeId === disputeId)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dispute ${disputeId}: its effects were not relayed within 5 s`);
}

beforeAll(async () => {
  host = await startLocalHost({ port: 0 });
  // The first request composes the app, seeding the demo authority under this file's tenant.
  const clock = await setClock("2026-12-21T10:00:00Z");
  expect(clock.status).toBe(200);
  const demo = demoAuthority("lambeth", tenantId);
  await (await getApp()).directory.seed({
    ...demo,
    people: [...demo.people, { id: "00000000-0000-0000-0000-000000000099", upn: OUTSIDER, displayName: "Olive Outsider", capabilities: [], serviceAreas: ["children-in-need"], teams: ["other-team"] }],
    teams: [...demo.teams, { id: "other-team", displayName: "Children in Need Team 4", serviceArea: "children-in-need" }],
  });
});

afterAll(async () => {
  await host?.stop();
});

describe("raise: POST /api/disputes", () => {
  it("201 with the dispute, its first stage's holder and due time, and a Location", async () => {
    const r = await call("POST", "disputes", { body: raiseBody, headers: { "x-resolve-source": "outlook" } });
    expect(r.status).toBe(201);
    expect(r.headers.get("content-type")).toMatch(/application\/json/);
    const d = r.body;
    expect(r.headers.get("location")).toBe(`/api/disputes/${d.id}`);
    expect(d).toMatchObject({
      state: "awaiting-response",
      stage: 1,
      assignee: { upn: MANAGER, displayName: "Megan Bowen" },
      // Monday 21 Dec 2026 + 4 working days, over Christmas, the weekend and Boxing Day's substitute (Mon 28).
      dueAt: "2026-12-29T17:00:00.000Z",
      version: 1,
      raisedBy: { upn: IRO },
      raisedFrom: "outlook",
      child: raiseBody.child,
      category: "statutory-responsibilities",
      reason: "no-allocated-social-worker",
      concerns: raiseBody.concerns,
    });
    expect(d.id).toEqual(expect.any(String));
    expect(d.history.map((e: { action: string; version: number }) => [e.action, e.version])).toEqual([["raise", 1]]);
    expect(d.plan.stages.length).toBeGreaterThan(0);
  });

  it("informal (startStage 0) goes to the team manager with the informal timescale", async () => {
    const d = await raise({ ...raiseBody, startStage: 0, reviewDate: "2027-01-20", timescaleDays: 3 });
    expect(d).toMatchObject({ state: "informal", stage: 0, assignee: { upn: MANAGER }, reviewDate: "2027-01-20" });
    expect(d.dueAt).toMatch(/^2026-12-/);
  });

  it("user text is stored as given: markup and quotes come back unchanged", async () => {
    const concerns = `The plan says "<b>weekly</b>" visits & *none* happened; see [the file](javascript:alert(1)).`;
    const d = await raise({ ...raiseBody, concerns });
    expect(d.concerns).toBe(concerns);
    const again = await call("GET", `disputes/${d.id}`);
    expect(again.body.concerns).toBe(concerns);
  });

  it("400 for a body that is not JSON", async () => {
    const r = await call("POST", "disputes", { raw: "{ child: nope" });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: "The body is not JSON." });
  });

  it("400 naming the missing field: concerns", async () => {
    const { concerns: _, ...body } = raiseBody;
    const r = await call("POST", "disputes", { body });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe("invalid");
    expect(r.body).toEqual({ code: "invalid", field: "concerns", error: "Concerns: this is needed." });
  });

  it("400 for a child's name where initials belong", async () => {
    const r = await call("POST", "disputes", { body: { ...raiseBody, child: { ...raiseBody.child, initials: "John Smith" } } });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("Child's initials: must be initials only, e.g. J.S.");
    expect(r.body.field).toBe("child.initials");
  });

  it("400 for a category the procedure does not have, listing Lambeth's", async () => {
    const r = await call("POST", "disputes", { body: { ...raiseBody, category: "housing" } });
    expect(r.status).toBe(400);
    expect(r.body.error).toContain(`Category and reason: "housing" is not a category of London Borough of Lambeth's procedure`);
    expect(r.body.error).toContain("Failure to meet LA statutory responsibilities (statutory-responsibilities)");
  });

  it("400 for text over its limit (concerns: 4000 characters)", async () => {
    const r = await call("POST", "disputes", { body: { ...raiseBody, concerns: "x".repeat(4001) } });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("Concerns: must be at most 4000 characters.");
    // At the limit exactly it is accepted.
    await raise({ ...raiseBody, concerns: "y".repeat(4000) });
  });

  it("400 for a team the authority does not have", async () => {
    const r = await call("POST", "disputes", { body: { ...raiseBody, child: { ...raiseBody.child, team: "no-such-team" } } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: "invalid", field: "child.team", error: 'Team: there is no team "no-such-team" in this authority.' });
  });

  it("413 for a body over 256 KB, before it is parsed", async () => {
    const r = await call("POST", "disputes", { body: { ...raiseBody, concerns: "z".repeat(300 * 1024) } });
    expect(r.status).toBe(413);
    expect(r.body.error).toMatch(/larger than 256 KB/);
  });

  it("405 for PUT on /api/disputes, with Allow", async () => {
    const r = await call("PUT", "disputes", { body: raiseBody });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")?.split(/,\s*/).sort()).toEqual(["GET", "POST"]);
  });
});

describe("identity in local mode", () => {
  it("401 without the dev header", async () => {
    const r = await call("GET", "disputes", { as: null });
    expect(r.status).toBe(401);
    expect(r.body.error).toContain("x-resolve-dev-user");
  });

  it("403 for someone not in the directory", async () => {
    const r = await call("GET", "disputes", { as: "stranger@example.com" });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe(`stranger@example.com is not in the directory of ${tenantId}.`);
  });

  it("a bearer token means nothing in local mode: the dev header alone names the caller", async () => {
    const r = await call("GET", "disputes", { as: null, headers: { authorization: "Bearer abc.def.ghi" } });
    expect(r.status).toBe(401);
  });
});

describe("read: GET /api/disputes/{id}", () => {
  it("200 with the full history and the plan", async () => {
    const d = await raise();
    const responded = await act(d.id, { action: "respond", response: "A social worker is allocated from Monday.", actionsAgreed: "Allocate Sam K.", completionDate: "2027-01-08" }, MANAGER);
    expect(responded.status).toBe(200);
    const r = await call("GET", `disputes/${d.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: d.id, state: "awaiting-decision", stage: 1, version: 2, dueAt: null });
    expect(r.body.history.map((e: { action: string; version: number }) => [e.action, e.version])).toEqual([["raise", 1], ["respond", 2]]);
    expect(r.body.plan).toMatchObject({ procedure: "lambeth", capDate: expect.any(String) });
    expect(r.body.plan.stages[0]).toMatchObject({ stage: 1 });
    // The IRO sees what they may decide.
    expect(r.body.actions).toEqual(expect.arrayContaining(["escalate", "resolve", "hold"]));
  });

  it("404 for a dispute that does not exist", async () => {
    const r = await call("GET", "disputes/NO-SUCH-1");
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: "No dispute NO-SUCH-1.", code: "not-found" });
    const a = await act("NO-SUCH-1", { action: "resolve", outcome: "Done." }, IRO);
    expect(a.status).toBe(404);
  });

  it("403 for someone with no part in the dispute", async () => {
    const d = await raise();
    const r = await call("GET", `disputes/${d.id}`, { as: OUTSIDER });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ code: "forbidden", error: `You have no part in dispute ${d.id}.` });
    const a = await act(d.id, { action: "add-note", note: "Let me in." }, OUTSIDER);
    expect(a.status).toBe(403);
  });
});

describe("act: POST /api/disputes/{id}/actions", () => {
  it("respond, escalate to a named stage, hold, resolve: 200 with the new state each time", async () => {
    const d = await raise();
    const responded = await act(d.id, { action: "respond", response: "We will allocate.", actionsAgreed: "Allocate a social worker.", completionDate: "2027-01-08" }, MANAGER);
    expect(responded.status).toBe(200);
    expect(responded.body).toMatchObject({ state: "awaiting-decision", version: 2 });
    expect(responded.body.stages[0].response).toMatchObject({ text: "We will allocate.", completionDate: "2027-01-08", by: { upn: MANAGER } });

    const escalated = await act(d.id, { action: "escalate", rationale: "No date for allocation.", toStage: 3 }, IRO);
    expect(escalated.status).toBe(200);
    expect(escalated.body).toMatchObject({ state: "awaiting-response", stage: 3, assignee: { upn: "isaiahl@example.com" }, version: 3 });

    const answered = await act(d.id, { action: "respond", response: "Allocated from 4 January." }, "isaiahl@example.com");
    expect(answered.status).toBe(200);
    const held = await act(d.id, { action: "hold", until: "2027-01-15", actionsAgreed: "Allocation confirmed in writing by 15 January." }, IRO);
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ state: "on-hold", hold: { until: "2027-01-15", actionsAgreed: "Allocation confirmed in writing by 15 January." } });

    const resolved = await act(d.id, { action: "resolve", outcome: "Social worker allocated." }, IRO);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ state: "resolved", outcome: { text: "Social worker allocated.", by: { upn: IRO } }, dueAt: null });
    expect(resolved.body.history.map((e: { action: string }) => e.action)).toEqual(["raise", "respond", "escalate", "respond", "hold", "resolve"]);
  });

  it("400 for an unknown action, naming action", async () => {
    const d = await raise();
    const r = await act(d.id, { action: "dance" }, IRO);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/^Action: choose one of respond, /);
  });

  it("400 for a hold until a date that does not exist", async () => {
    const d = await raise();
    await act(d.id, { action: "respond", response: "Noted." }, MANAGER);
    for (const until of ["2027-02-30", "next Friday", "15/01/2027"]) {
      const r = await act(d.id, { action: "hold", until, actionsAgreed: "Review." }, IRO);
      expect(r.status, until).toBe(400);
      expect(r.body).toEqual({ code: "invalid", field: "until", error: "Agreed completion date: must be a day on the calendar (year-month-day)." });
    }
    const r = await act(d.id, { action: "hold", actionsAgreed: "Review." }, IRO);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: "invalid", field: "until", error: "Agreed completion date: this is needed." });
    // Nothing changed.
    expect((await call("GET", `disputes/${d.id}`)).body).toMatchObject({ state: "awaiting-decision", version: 2 });
  });

  it("400 for a response over its limit", async () => {
    const d = await raise();
    const r = await act(d.id, { action: "respond", response: "r".repeat(4001) }, MANAGER);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("Your response: must be at most 4000 characters.");
  });

  it("400 for a body that is not JSON", async () => {
    const d = await raise();
    const r = await call("POST", `disputes/${d.id}/actions`, { as: MANAGER, raw: "respond please" });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("The body is not JSON.");
  });

  it("403 when the team manager tries to resolve; the IRO may", async () => {
    const d = await raise();
    const r = await act(d.id, { action: "resolve", outcome: "Sorted." }, MANAGER);
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ code: "forbidden", error: `Only Alex Wilber, who raised dispute ${d.id}, or the QA service can resolve it.` });
    expect((await call("GET", `disputes/${d.id}`)).body).toMatchObject({ state: "awaiting-response", version: 1 });
  });

  it("403 when someone other than the holder answers", async () => {
    const d = await raise();
    const r = await act(d.id, { action: "respond", response: "I'll answer." }, "adelev@example.com");
    expect(r.status).toBe(403);
    expect(r.body.error).toContain("Only Megan Bowen");
  });

  it("409 for a second answer: who answered and when", async () => {
    const d = await raise();
    expect((await act(d.id, { action: "respond", response: "First." }, MANAGER)).status).toBe(200);
    const r = await act(d.id, { action: "respond", response: "Second." }, MANAGER);
    expect(r.status).toBe(409);
    expect(r.body.code).toBe("conflict");
    expect(r.body.error).toMatch(new RegExp(`^Stage 1 of dispute ${d.id} was already answered by Megan Bowen on .+\\. Nothing was changed\\.$`));
    const after = await call("GET", `disputes/${d.id}`);
    expect(after.body.stages[0].response.text).toBe("First.");
    expect(after.body.history).toHaveLength(2);
  });

  it("409 for acting on a closed dispute, saying who closed it and when; a stranger still gets 403", async () => {
    const d = await raise();
    expect((await act(d.id, { action: "resolve", outcome: "Sorted." }, IRO)).status).toBe(200);
    const r = await act(d.id, { action: "respond", response: "Late answer." }, MANAGER);
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ code: "conflict", error: expect.stringMatching(new RegExp(`^Dispute ${d.id} was resolved by Alex Wilber on [A-Z][a-z]+day \\d{1,2} [A-Z][a-z]+ \\d{4}: it is closed and cannot be answered now\\. Nothing was changed\\.$`)) });
    expect((await act(d.id, { action: "respond", response: "Me too." }, "adelev@example.com")).status).toBe(403);
  });

  it("400 for a hold to a weekend: the date spelt out under the field's label, and the field named apart", async () => {
    const d = await raise();
    await act(d.id, { action: "respond", response: "Noted." }, MANAGER);
    const r = await act(d.id, { action: "hold", until: "2027-02-13", actionsAgreed: "Review." }, IRO);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: "invalid", field: "until", error: "Agreed completion date: Saturday 13 February 2027 is not a working day. Nothing was changed." });
  });

  describe("refusals in plain English: the field by its label, dates spelt out, never a key or an ISO date", () => {
    /** What a person must never read in a refusal: a body's key for a date field, or a date as the API writes it. */
    const plain = (error: string) => {
      expect(error).not.toMatch(/\b(until|completionDate|heldOn)\b/);
      expect(error).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    };
    // The clock stands at Monday 21 December 2026, 10:00.
    const answered = async () => {
      const d = await raise();
      expect((await act(d.id, { action: "respond", response: "Noted." }, MANAGER)).status).toBe(200);
      return d;
    };
    const cases: { name: string; body: object; field?: string; error: string }[] = [
      { name: "a date that is not a day", body: { action: "hold", until: "2027-02-30", actionsAgreed: "Review." }, field: "until", error: "Agreed completion date: must be a day on the calendar (year-month-day)." },
      { name: "a date already past", body: { action: "hold", until: "2026-12-18", actionsAgreed: "Review." }, field: "until", error: "Agreed completion date: Friday 18 December 2026 is not after today (Monday 21 December 2026). Nothing was changed." },
      { name: "a weekend", body: { action: "hold", until: "2027-01-02", actionsAgreed: "Review." }, field: "until", error: "Agreed completion date: Saturday 2 January 2027 is not a working day. Nothing was changed." },
      { name: "a bank holiday (the substitute for Boxing Day)", body: { action: "hold", until: "2026-12-28", actionsAgreed: "Review." }, field: "until", error: "Agreed completion date: Monday 28 December 2026 is not a working day. Nothing was changed." },
      { name: "a missing field", body: { action: "hold", until: "2027-01-08" }, field: "actionsAgreed", error: "Actions agreed: this is needed." },
      { name: "a field left empty", body: { action: "hold", until: "2027-01-08", actionsAgreed: "  " }, field: "actionsAgreed", error: "Actions agreed: must not be empty." },
    ];
    for (const c of cases) {
      it(`400 for ${c.name}, and nothing changes`, async () => {
        const d = await answered();
        const r = await act(d.id, c.body, IRO);
        expect(r.status).toBe(400);
        expect(r.body).toEqual({ code: "invalid", error: c.error, ...(c.field ? { field: c.field } : {}) });
        plain(r.body.error);
        expect((await call("GET", `disputes/${d.id}`)).body).toMatchObject({ state: "awaiting-decision", version: 2 });
      });
    }

    it("400 for an unknown field, naming it as it was sent, with no date in the message", async () => {
      const d = await answered();
      const r = await act(d.id, { action: "hold", until: "2027-01-08", actionsAgreed: "Review.", holdReason: "x" }, IRO);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ code: "invalid", error: '"holdReason" is not a field of this form (misspelt?); nothing was changed.' });
      expect(r.body.error).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    });

    it("400 for a new due date already past, under its own label", async () => {
      const d = await raise();
      const r = await act(d.id, { action: "extend", until: "2026-12-18", reason: "Leave." }, IRO);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ code: "invalid", field: "until", error: "New due date: Friday 18 December 2026 has passed; choose a later working day. Nothing was changed." });
      plain(r.body.error);
    });

    it("400 for a meeting recorded as held on a day still to come", async () => {
      const d = await raise();
      expect((await act(d.id, { action: "request-meeting" }, IRO)).status).toBe(200);
      const r = await act(d.id, { action: "record-meeting", heldOn: "2027-01-05", chair: "iro", attended: ["iro"], minutes: "M.", outcome: "O." }, IRO);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ code: "invalid", field: "heldOn", error: "Held on: Tuesday 5 January 2027 is in the future; record a meeting once it has been held. Nothing was changed." });
      plain(r.body.error);
    });

    it("400 for a raise with a review date that is not a day, by the raise form's label", async () => {
      const r = await call("POST", "disputes", { body: { ...raiseBody, reviewDate: "2026-13-01" } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ code: "invalid", field: "reviewDate", error: "Linked review date: must be a day on the calendar (year-month-day)." });
      expect(r.body.error).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    });
  });

  it("409 for a stale expectedVersion", async () => {
    const d = await raise();
    await act(d.id, { action: "respond", response: "Done.", expectedVersion: 1 }, MANAGER);
    const r = await act(d.id, { action: "escalate", rationale: "Not enough.", expectedVersion: 1 }, IRO);
    expect(r.status).toBe(409);
    expect(r.body.code).toBe("stale");
    expect(r.body.error).toContain(`Dispute ${d.id} has changed since this was shown`);
    const ok = await act(d.id, { action: "escalate", rationale: "Not enough.", expectedVersion: 2 }, IRO);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ stage: 2, version: 3, assignee: { upn: "adelev@example.com" } });
  });

  it("409 for an action the state no longer allows", async () => {
    const d = await raise();
    await act(d.id, { action: "resolve", outcome: "Resolved informally." }, IRO);
    const r = await act(d.id, { action: "escalate", rationale: "Too late." }, IRO);
    expect(r.status).toBe(409);
    expect(r.body.error).toContain("cannot be escalated now");
  });
});

describe("lists: GET /api/disputes", () => {
  // A child of its own so these counts are this block's alone.
  const child = { ...raiseBody.child, reference: `LIST-${Math.random().toString(36).slice(2, 8).toUpperCase()}` };
  const ids: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) ids.push((await raise({ ...raiseBody, child })).id);
    for (const id of ids) await settled(id);
    expect((await act(ids[2]!, { action: "resolve", outcome: "Withdrawn concern." }, IRO)).status).toBe(200);
    await settled(ids[2]!);
  });

  const listIds = (r: Reply) => r.body.items.map((i: { id: string }) => i.id);

  it("the holder's list (assignee, the default) has their open disputes", async () => {
    const r = await call("GET", "disputes", { as: MANAGER });
    expect(r.status).toBe(200);
    expect(listIds(r)).toEqual(expect.arrayContaining([ids[0], ids[1]]));
    expect(listIds(r)).not.toContain(ids[2]);
    expect(r.body.items[0]).toMatchObject({ open: true, team: "demo-team" });
  });

  it("the IRO's list, the team's list, the child's list", async () => {
    const iro = await call("GET", "disputes?role=iro&state=all&pageSize=100");
    expect(iro.status).toBe(200);
    expect(listIds(iro)).toEqual(expect.arrayContaining(ids));

    const team = await call("GET", "disputes?role=team&state=open&pageSize=100", { as: SOCIAL_WORKER });
    expect(team.status).toBe(200);
    expect(listIds(team)).toEqual(expect.arrayContaining([ids[0], ids[1]]));
    expect(listIds(team)).not.toContain(ids[2]);

    const byChild = await call("GET", `disputes?role=child&reference=${child.reference}&state=all`);
    expect(byChild.status).toBe(200);
    expect(listIds(byChild).sort()).toEqual([...ids].sort());
    expect(byChild.body.items.every((i: { childReference: string }) => i.childReference === child.reference)).toBe(true);

    const closed = await call("GET", `disputes?role=child&reference=${child.reference}&state=closed`);
    expect(listIds(closed)).toEqual([ids[2]]);
  });

  it("QA lists every dispute; anyone else is refused (403)", async () => {
    const all = await call("GET", "disputes?role=all&state=all&pageSize=100", { as: QA });
    expect(all.status).toBe(200);
    expect(listIds(all)).toEqual(expect.arrayContaining(ids));
    for (const who of [IRO, MANAGER]) {
      const r = await call("GET", "disputes?role=all", { as: who });
      expect(r.status, who).toBe(403);
      expect(r.body.error).toBe("Only the QA service lists every dispute.");
    }
  });

  it("a team manager cannot look disputes up by child, nor anyone another team's list (403)", async () => {
    const r = await call("GET", `disputes?role=child&reference=${child.reference}`, { as: MANAGER });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe("Only IROs and QA look disputes up by child.");
    const team = await call("GET", "disputes?role=team&team=demo-team", { as: OUTSIDER });
    expect(team.status).toBe(403);
    expect(team.body.error).toBe("You do not work in team demo-team.");
    // Their own team's list is theirs to read, and has none of these.
    const own = await call("GET", "disputes?role=team", { as: OUTSIDER });
    expect(own).toMatchObject({ status: 200, body: { items: [] } });
  });

  it("pages: pageSize and cursor → next, until the last page", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await call("GET", `disputes?role=child&reference=${child.reference}&state=all&pageSize=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...listIds(r));
      cursor = r.body.next;
      pages++;
    } while (cursor && pages < 5);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it("400 for a bad query", async () => {
    for (const q of ["role=everyone", "state=pending", "pageSize=0", "pageSize=101", "pageSize=ten"]) {
      const r = await call("GET", `disputes?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error).toMatch(new RegExp(`^${q.split("=")[0]}: `));
    }
  });
});

describe("procedures and health", () => {
  it("GET /api/procedures: Lambeth's ladder and categories", async () => {
    const r = await call("GET", "procedures");
    expect(r.status).toBe(200);
    expect(r.body.current.id).toBe("lambeth");
    expect(r.body.current.categories.map((c: { id: string }) => c.id)).toEqual(["statutory-responsibilities", "drift-in-care-planning", "provision-of-services", "safeguarding"]);
    expect(r.body.builtIn).toContain("lambeth");
    // The pages count working days with the authority's own calendar, closure days and all.
    expect(r.body.calendar).toEqual({ closureDays: [], endOfDay: "17:00" });
    expect(r.body.teams).toContainEqual(
      expect.objectContaining({ id: "demo-team", displayName: "Children in Care Team 1", serviceArea: "children-in-care", holders: expect.objectContaining({ "team-manager": "Megan Bowen", "service-manager": "Adele Vance" }) }),
    );
    // Names only: no UPN or id of the role holders.
    expect(JSON.stringify(r.body.teams)).not.toContain("@example.com");
  });

  it("GET /api/health/ready: 200 without identity; the auditor's state among the checks, what it found for QA only", async () => {
    const r = await call("GET", "health/ready", { as: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ mode: "local", checks: { storage: { status: "ok" } } });
    // The auditor over this file's authority only: other files' authorities share this Azurite.
    const app = await getApp();
    const services = { ...app.services, directory: { ...app.services.directory, tenants: async () => [(await app.services.directory.tenant(tenantId))!] } };
    await runAuditor({ services, outbox: app.outbox, sink: app.sink, heartbeat: app.heartbeat, periodMs: SWEEP_PERIOD_MS });
    const anyone = await call("GET", "health/ready", { as: null });
    expect(anyone.body.checks.auditor).toEqual({ status: "ok", lastRunAt: expect.any(String) });
    const qa = await call("GET", "health/ready", { as: demoPeople.quinn.upn });
    expect(qa.body.checks.auditor).toMatchObject({ status: "ok", found: { pendingWithoutMarker: expect.any(Number), staleMarkers: expect.any(Number), overdueTimers: expect.any(Number) } });
  });
});

describe("dev controls (local mode)", () => {
  it("the clock is set to an instant, and moves by working days over the weekend and the bank holidays", async () => {
    near((await setClock("2026-12-23T10:00:00Z")).body.now, "2026-12-23T10:00:00.000Z");
    // Wed 23 → Thu 24, then (Christmas, the weekend, Boxing Day's substitute Monday) Tue 29, Wed 30.
    const r = await call("POST", "dev/clock", { body: { advanceWorkingDays: 3 } });
    expect(r.status).toBe(200);
    near(r.body.now, "2026-12-30T10:00:00.000Z");
    near((await call("GET", "dev/clock")).body.now, "2026-12-30T10:00:00.000Z");
    // Friday afternoon + 1 working day is Monday, at the same London time (BST in summer).
    await setClock("2027-06-04T15:30:00Z");
    near((await call("POST", "dev/clock", { body: { advanceWorkingDays: 1 } })).body.now, "2027-06-07T15:30:00.000Z");
    // And back: Monday − 1 working day is Friday.
    near((await call("POST", "dev/clock", { body: { advanceWorkingDays: -1 } })).body.now, "2027-06-04T15:30:00.000Z");
  });

  it("400 for a clock body that is neither form", async () => {
    for (const body of [{ now: "yesterday" }, { advanceWorkingDays: 1.5 }, { now: "2026-12-21T10:00:00Z", advanceWorkingDays: 1 }, {}]) {
      const r = await call("POST", "dev/clock", { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(/^Send \{ "now": ISO datetime \} or \{ "advanceWorkingDays": n \}/);
    }
  });

  it("the sweep, run after the deadline, marks the IRO's dispute overdue and reports", async () => {
    await setClock("2026-12-21T10:00:00Z");
    const d = await raise();
    expect(d.dueAt).toBe("2026-12-29T17:00:00.000Z");
    // Another authority sharing the storage, with a dispute due at the same moment.
    const app = await getApp();
    const otherTenant = `${tenantId}-other`;
    await app.directory.seed(demoAuthority("lambeth", otherTenant, `${otherTenant}-entra`));
    const other = await raiseDispute(app.services, { tenantId: otherTenant, raisedBy: demoPeople.alex, source: "api", details: raiseBody });
    if (!other.ok) throw new Error(other.error.message);
    await setClock("2026-12-29T16:59:00Z");
    // Before the deadline: reminders only, nothing overdue.
    const early = await call("POST", "dev/sweep");
    expect(early.status).toBe(200);
    expect((await call("GET", `disputes/${d.id}`)).body.stages[0].overdueSince).toBeUndefined();

    await setClock("2026-12-30T09:00:00Z");
    const r = await call("POST", "dev/sweep");
    expect(r.status).toBe(200);
    expect(r.body.sweep).toEqual({ due: expect.any(Number), acted: expect.any(Number), dropped: expect.any(Number), skipped: expect.any(Number), lagMs: expect.any(Number) });
    expect(r.body.sweep.acted).toBeGreaterThanOrEqual(1);
    expect(r.body.sweep.due).toBe(r.body.sweep.acted + r.body.sweep.dropped);
    expect(r.body.relay).toEqual({ delivered: expect.any(Number), retrying: expect.any(Number), failed: expect.any(Number), dropped: expect.any(Number) });

    const after = await call("GET", `disputes/${d.id}`);
    near(after.body.stages[0].overdueSince, "2026-12-30T09:00:00.000Z");
    expect(after.body.history.map((e: { action: string }) => e.action)).toContain("deadline-passed");

    // The dev controls act for the dev authority alone: the other authority's dispute is as it was.
    const untouched = await app.services.store.load(otherTenant, other.value.dispute.id);
    expect(untouched?.dispute.version).toBe(1);
    expect(untouched?.dispute.stages[0]!.overdueSince).toBeUndefined();

    // Run again: nothing is due twice.
    const again = await call("POST", "dev/sweep");
    expect(again.body.sweep).toEqual({ due: 0, acted: 0, dropped: 0, skipped: 0, lagMs: 0 });
  });
});
