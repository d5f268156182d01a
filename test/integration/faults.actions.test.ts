/**
 * The same request applies once, bad input is a 4xx, cases stay inside the authority, and reads
 * are on a need-to-know basis: real HTTP to the local host, real Azurite, real concurrency.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("facts");

import "../../functions/index";
import { getApp } from "../../functions/compose";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { demoPeople } from "../../functions/demo/demoAuthority";
import { actOnDispute } from "../../functions/usecases/act";
import { MAX_STATE_CHARS } from "../../functions/usecases/runCommand";
import { jsonColumns } from "../../functions/adapters/tables";

const { alex, megan, adele, quinn, guardian, legal, lscp, sam } = demoPeople;
let host: LocalHost;

const raiseBody = {
  child: { reference: "MOS-400444", initials: "A.B.", legalStatus: "looked-after", team: "demo-team" },
  category: "statutory-responsibilities",
  reason: "no allocated social worker",
  concerns: "No allocated social worker since the review.",
  outcomesSought: "Allocate a social worker within 5 working days.",
  startStage: 1,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(method: string, path: string, opts: { as?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { ...opts.headers };
  const as = opts.as === undefined ? alex.upn : opts.as;
  if (as) headers["x-resolve-dev-user"] = as;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${host.url}/api/${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : null };
  } catch {
    return { status: res.status, body: text };
  }
}

async function raise(): Promise<string> {
  const r = await call("POST", "disputes", { body: raiseBody });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

const history = async (id: string) => (await (await getApp()).services.store.events(tenantId, id)).map((e) => e.action);

beforeAll(async () => {
  host = await startLocalHost({ port: 0 });
  await call("POST", "dev/clock", { body: { now: "2026-12-21T10:00:00Z" } });
});
afterAll(async () => {
  await host.stop();
});

describe("the same request sent several times at once applies once", () => {
  it("three identical escalates without expectedVersion climb one stage; all three answer with success", async () => {
    const id = await raise();
    const replies = await Promise.all([1, 2, 3].map(() => call("POST", `disputes/${id}/actions`, { body: { action: "escalate", rationale: "No answer in time." } })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(replies.map((r) => r.body.stage)).toEqual([2, 2, 2]);
    expect((await history(id)).filter((a) => a === "escalate")).toHaveLength(1);
  });

  it("the same words again from someone who saw the first applied (expectedVersion is the new version) are a new command", async () => {
    const id = await raise();
    const first = await call("POST", `disputes/${id}/actions`, { body: { action: "escalate", rationale: "No answer." } });
    const second = await call("POST", `disputes/${id}/actions`, { body: { action: "escalate", rationale: "No answer.", expectedVersion: first.body.version } });
    expect([first.body.stage, second.body.stage]).toEqual([2, 3]);
    expect((await history(id)).filter((a) => a === "escalate")).toHaveLength(2);
  });

  for (const [action, body, as] of [
    ["hold", { action: "hold", until: "2027-01-15", actionsAgreed: "Visits weekly." }, alex.upn],
    ["extend", { action: "extend", until: "2027-01-12", reason: "Agreed with the manager." }, alex.upn],
    ["request-more-time", { action: "request-more-time", days: 3, reason: "Awaiting the panel." }, megan.upn],
    ["reassign", { action: "reassign", to: adele.upn, reason: "Megan is away." }, alex.upn],
    ["refer", { action: "intend-referral", to: "cafcass", reasons: "No progress." }, alex.upn],
    ["add-note", { action: "add-note", note: "Called the manager." }, alex.upn],
  ] as const) {
    it(`${action}: five identical at once apply once`, async () => {
      const id = await raise();
      const replies = await Promise.all([1, 2, 3, 4, 5].map(() => call("POST", `disputes/${id}/actions`, { as, body })));
      expect(replies.map((r) => r.status), JSON.stringify(replies.map((r) => r.body.error))).toEqual([200, 200, 200, 200, 200]);
      expect((await history(id)).filter((a) => a === body.action)).toHaveLength(1);
    });
  }

  it("after a conflict a command that no longer means what its sender saw is refused as stale, not re-applied", async () => {
    const id = await raise();
    const app = await getApp();
    // An action reads the dispute with its history: what the manager's read saw.
    const seen = (await app.services.store.loadWithHistory(tenantId, id))!;
    // The IRO escalates while the manager asks for more time on the stage she saw.
    const store = app.services.store;
    let first = true;
    const services = {
      ...app.services,
      store: {
        ...store,
        loadWithHistory: async (t: string, d: string) => {
          if (first) {
            first = false;
            await actOnDispute(app.services, { tenantId, disputeId: id, person: alex, body: { action: "escalate", rationale: "Too slow." }, source: "api" });
            return seen;
          }
          return store.loadWithHistory(t, d);
        },
      },
    };
    const late = await actOnDispute(services, { tenantId, disputeId: id, person: megan, body: { action: "request-more-time", days: 3, reason: "Panel." }, source: "api" });
    expect(late.ok).toBe(false);
    expect(!late.ok && late.error.code).toBe("forbidden");
    const two = (await app.services.store.load(tenantId, id))!;
    expect(two.dispute.stage).toBe(2);
    expect((await history(id)).filter((a) => a === "request-more-time")).toHaveLength(0);
  });

  it("Idempotency-Key: a retried action answers as the first did and changes nothing; a key reused for another request is refused", async () => {
    const id = await raise();
    const key = { "idempotency-key": "6f1c2d3e-retry-1" };
    const first = await call("POST", `disputes/${id}/actions`, { headers: key, body: { action: "escalate", rationale: "Late." } });
    expect(first.status).toBe(200);
    // Long after the repeat window, the same key still means the same request.
    await call("POST", "dev/clock", { body: { now: "2026-12-22T15:00:00Z" } });
    const again = await call("POST", `disputes/${id}/actions`, { headers: key, body: { action: "escalate", rationale: "Late." } });
    expect([again.status, again.body.stage]).toEqual([200, 2]);
    expect((await history(id)).filter((a) => a === "escalate")).toHaveLength(1);
    const other = await call("POST", `disputes/${id}/actions`, { headers: key, body: { action: "escalate", rationale: "Different." } });
    expect(other.status).toBe(400);
    expect(other.body.error).toMatch(/^Idempotency-Key: this key was already used for a different request/);
    expect((await call("POST", `disputes/${id}/actions`, { headers: { "idempotency-key": "" }, body: { action: "add-note", note: "x" } })).status).toBe(400);
  });

  it("Idempotency-Key on a raise: sent twice (at once), one dispute", async () => {
    const key = { "idempotency-key": `raise-${Math.random()}` };
    const [a, b] = await Promise.all([call("POST", "disputes", { headers: key, body: raiseBody }), call("POST", "disputes", { headers: key, body: raiseBody })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(await history(a.body.id)).toEqual(["raise"]);
  });
});

describe("bad input is a 4xx, naming what is wrong, and changes nothing", () => {
  it("an id with a slash, or other characters storage refuses: 404 with a message", async () => {
    for (const id of ["a%2Fb", "a%5Cb", "a%23b", "D-1%3F"]) {
      const r = await call("GET", `disputes/${id}`);
      expect(r.status, id).toBe(404);
      expect(r.body.error).toMatch(/^No dispute/);
      expect((await call("POST", `disputes/${id}/actions`, { body: { action: "add-note", note: "x" } })).status).toBe(404);
      expect((await call("GET", `disputes/${id}/record`)).status).toBe(404);
    }
  });

  it("a garbage paging cursor: 400 naming the cursor", async () => {
    for (const cursor of ["garbage!!", Buffer.from("not json").toString("base64"), Buffer.from("null").toString("base64"), Buffer.from('{"nextPartitionKey":7}').toString("base64")]) {
      const r = await call("GET", `disputes?role=iro&cursor=${encodeURIComponent(cursor)}`);
      expect(r.status, cursor).toBe(400);
      expect(r.body.error).toMatch(/^cursor: /);
    }
  });

  it("an empty or malformed bot activity: 400", async () => {
    for (const raw of ["", "null", "[]", "{}", '{"type":""}', "{not json"]) {
      const r = await call("POST", "messages", { as: null, raw });
      expect(r.status, raw).toBe(400);
    }
  });

  it("an unknown field is refused, naming it: a child's name is never accepted and dropped", async () => {
    const named = await call("POST", "disputes", { body: { ...raiseBody, child: { ...raiseBody.child, name: "Amy Smith" } } });
    expect(named.status).toBe(400);
    expect(named.body.error).toBe('"child.name" is not a field of this form (misspelt?); nothing was changed.');
    const typo = await call("POST", "disputes", { body: { ...raiseBody, concern: "typo" } });
    expect(typo.status).toBe(400);
    expect(typo.body.error).toContain('"concern" is not a field of this form');
    const id = await raise();
    const action = await call("POST", `disputes/${id}/actions`, { body: { action: "add-note", note: "ok", child: { name: "Amy" } } });
    expect(action.status).toBe(400);
    expect(action.body.error).toContain('"child" is not a field of this form');
    expect(await history(id)).toEqual(["raise"]);
  });

  it("every free-text field has its limit: 400 naming the field", async () => {
    const id = await raise();
    const r = await call("POST", `disputes/${id}/actions`, { body: { action: "add-note", note: "x".repeat(2001) } });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("Note, for the record: must be at most 2000 characters.");
    const long = await call("POST", "disputes", { body: { ...raiseBody, concerns: "y".repeat(4001) } });
    expect(long.body.error).toBe("Concerns: must be at most 4000 characters.");
  });
});

describe("bounded size", () => {
  it("a change that would take the state row past its limit is a 400 saying so, and changes nothing; resolving stays possible", async () => {
    const id = await raise();
    const app = await getApp();
    // A record grown by many rounds, written as storage holds it (in 32 KB columns).
    const stored = (await app.services.store.load(tenantId, id))!;
    const grown = { ...stored.dispute, concerns: "x".repeat(MAX_STATE_CHARS) };
    await app.tables.client("disputes").updateEntity({ partitionKey: `${tenantId}~${id}`, rowKey: "state", ...jsonColumns(grown) }, "Merge");
    const hold = await call("POST", `disputes/${id}/actions`, { body: { action: "hold", until: "2027-01-15", actionsAgreed: "Weekly visits." } });
    expect(hold.status).toBe(400);
    expect(hold.body.error).toMatch(/has too many rounds on its record to take this change .* Nothing was changed\.$/);
    expect(await history(id)).toEqual(["raise"]);
    const resolved = await call("POST", `disputes/${id}/actions`, { body: { action: "resolve", outcome: "Allocated." } });
    expect(resolved.status).toBe(200);
  });
});

describe("cases stay inside the authority", () => {
  it("reassign takes a person of the directory by UPN; a person object in the body is refused with 400", async () => {
    const id = await raise();
    const forged = await call("POST", `disputes/${id}/actions`, { body: { action: "reassign", to: { id: "x-1", upn: "mallory@elsewhere.example", displayName: "Mallory" }, reason: "Cover." } });
    expect(forged.status).toBe(400);
    expect(forged.body.error).toMatch(/^Give it to: name the new holder by their UPN/);
    const outside = await call("POST", `disputes/${id}/actions`, { body: { action: "reassign", to: "mallory@elsewhere.example", reason: "Cover." } });
    expect(outside.status).toBe(400);
    const inside = await call("POST", `disputes/${id}/actions`, { body: { action: "reassign", to: adele.upn, reason: "Cover." } });
    expect(inside.status).toBe(200);
    expect(inside.body.assignee).toEqual({ id: adele.id, upn: adele.upn, displayName: adele.displayName });
  });
});

describe("need-to-know reads", () => {
  let id = "";
  beforeAll(async () => {
    id = await raise();
    // Let the relay send its notices: who was told of it is read from its outbox.
    const app = await getApp();
    for (let i = 0; i < 100 && (await app.outbox.work(tenantId)).some((m) => m.disputeId === id); i++) await new Promise((r) => setTimeout(r, 50));
  });
  const read = async (upn: string) => (await call("GET", `disputes/${id}`, { as: upn })).status;

  it("the IRO who raised it, the stage holder, QA and the managers of the child's service area read it", async () => {
    expect(await read(alex.upn)).toBe(200);
    expect(await read(megan.upn)).toBe(200);
    expect(await read(quinn.upn)).toBe(200);
    expect(await read(adele.upn)).toBe(200);
  });

  it("authority-wide role holders not told of it (solicitor, guardian, LSCP) are refused", async () => {
    expect(await read(guardian.upn)).toBe(403);
    expect(await read(lscp.upn)).toBe(403);
    expect(await read(legal.upn)).toBe(403);
  });

  it("those the procedure told of it read it (a notice in its outbox); a past holder keeps reading it", async () => {
    const app = await getApp();
    const told = (await app.outbox.all(tenantId, id)).flatMap((e) => (e.effect.kind === "notify" ? [e.effect.to.upn] : []));
    for (const upn of told) expect(await read(upn), upn).toBe(200);
    expect(told).toContain(sam.upn);
  });
});
