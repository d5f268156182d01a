/**
 * The dashboard over real HTTP, in local mode, on the run's Azurite: QA sees every team, a manager
 * the teams of their service area (403 for another's), anyone else is refused; the figures for a
 * set of disputes raised on the dev clock (open by team and stage, overdue, due this week, the
 * 20 working day cap at risk) and the deliveries that failed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("dash");

import "../../functions/index";
import { getApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import type { Dashboard } from "../../shared/reports/dashboard";

const IRO = demoPeople.alex.upn;
const MANAGER = demoPeople.megan.upn;
const QA = demoPeople.quinn.upn;
const OTHER_MANAGER = "olive@example.com";
const SECOND_IRO = "ivy@example.com";
const olive = { id: "00000000-0000-0000-0000-000000000099", upn: OTHER_MANAGER, displayName: "Olive Outsider", capabilities: [], serviceAreas: ["children-in-need"], teams: ["other-team"] };
const ivy = { id: "00000000-0000-0000-0000-000000000098", upn: SECOND_IRO, displayName: "Ivy Reviewer", capabilities: ["iro" as const], serviceAreas: [], teams: [] };

let host: LocalHost;

async function call(path: string, opts: { as?: string | null; method?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  const as = opts.as === undefined ? IRO : opts.as;
  if (as) headers["x-resolve-dev-user"] = as;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${host.url}/api/${path}`, { method: opts.method ?? "GET", headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
}

async function at(now: string) {
  expect((await call("dev/clock", { method: "POST", body: { now } })).status).toBe(200);
}

async function post(path: string, body: unknown, as = IRO) {
  const r = await call(path, { method: "POST", body, as });
  const json = await r.json();
  expect(r.status, JSON.stringify(json)).toBeLessThan(300);
  return json;
}

async function board(query: string, as: string): Promise<Dashboard> {
  const r = await call(`dashboard${query}`, { as });
  const json = await r.json();
  expect(r.status, JSON.stringify(json)).toBe(200);
  return json as Dashboard;
}

const raise = (reference: string, team: string, startStage: number, as = IRO, category = "statutory-responsibilities", reason = "no-allocated-social-worker") =>
  post(
    "disputes",
    {
      child: { reference, initials: "T.R.", legalStatus: "looked-after", team },
      category,
      reason,
      concerns: "The plan has drifted since the review.",
      outcomesSought: "Put it right within 5 working days.",
      startStage,
    },
    as,
  );

/** Wait until the relay has nothing left for these disputes, so the failed rows written below stay as written. */
async function settled(ids: string[]) {
  const app = await getApp();
  for (let i = 0; i < 200; i++) {
    const markers = await app.outbox.work(tenantId, 500);
    if (!markers.some((m) => ids.includes(m.disputeId))) return;
    await app.relayAll();
  }
  throw new Error("the relay did not settle");
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  host = await startLocalHost({ port: 0 });
  const demo = demoAuthority("lambeth", tenantId);
  const app = await getApp();
  await app.directory.seed({
    ...demo,
    people: [...demo.people, olive, ivy],
    teams: [...demo.teams, { id: "other-team", displayName: "Children in Need Team 4", serviceArea: "children-in-need" }],
    roles: { ...demo.roles, "other-team": { "social-worker": olive.id, "team-manager": olive.id, "service-manager": olive.id } },
  });
  // D: Mon 7 Dec 2026, answered the next day, awaiting the IRO: its 20 working days end Thu 7 Jan 2027 (Christmas and the Boxing Day substitute skipped).
  await at("2026-12-07T10:00:00Z");
  ids.D = (await raise("MOS-0004", "demo-team", 1)).id;
  await at("2026-12-08T10:00:00Z");
  await post(`disputes/${ids.D}/actions`, { action: "respond", response: "Allocated." }, MANAGER);
  // F: Mon 14 Dec 2026, answered, then held until 20 January: its cap falls on Thu 14 January.
  await at("2026-12-14T10:00:00Z");
  ids.F = (await raise("MOS-0006", "demo-team", 1)).id;
  await at("2026-12-15T10:00:00Z");
  await post(`disputes/${ids.F}/actions`, { action: "respond", response: "Visits booked." }, MANAGER);
  await at("2026-12-16T10:00:00Z");
  await post(`disputes/${ids.F}/actions`, { action: "hold", until: "2027-01-20", actionsAgreed: "Weekly visits until the review." });
  // A: Mon 4 Jan 2027 at stage 1 (four working days): due Fri 8 January, unanswered.
  await at("2027-01-04T10:00:00Z");
  ids.A = (await raise("MOS-0001", "demo-team", 1)).id;
  // B (stage 2), C (the other team) and E (another IRO, another category): Mon 11 January, due Fri 15 January.
  await at("2027-01-11T10:00:00Z");
  ids.B = (await raise("MOS-0002", "demo-team", 2)).id;
  ids.C = (await raise("MOS-0003", "other-team", 1)).id;
  ids.E = (await raise("MOS-0005", "demo-team", 1, SECOND_IRO, "drift-in-care-planning", "care-plan-delay")).id;
  // A closed one, which the dashboard leaves out.
  ids.G = (await raise("MOS-0007", "demo-team", 1)).id;
  await post(`disputes/${ids.G}/actions`, { action: "withdraw", reason: "Raised in error." });
  await settled(Object.values(ids));
  // Two deliveries the relay gave up on: one about A (demo-team), one about C (other-team).
  for (const id of [ids.A!, ids.C!]) {
    const entry = (await app.outbox.all(tenantId, id)).find((e) => e.effect.kind === "notify")!;
    expect(await app.outbox.update(entry, { status: "failed", attempts: 8, nextAttemptAt: "2027-01-12T09:00:00.000Z", lastError: "Graph said 503 eight times" })).not.toBeNull();
  }
  // Wednesday 13 January 2027, 10:00.
  await at("2027-01-13T10:00:00Z");
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

describe("GET /api/dashboard: who sees what", () => {
  it("QA sees every team", async () => {
    const d = await board("", QA);
    expect(d.choices.teams.map((t) => t.id).sort()).toEqual(["demo-team", "other-team"]);
    expect(new Set(d.disputes.map((r) => r.team))).toEqual(new Set(["demo-team", "other-team"]));
  });

  it("a manager sees only the teams of their service area", async () => {
    const megan = await board("", MANAGER);
    expect(megan.choices.teams.map((t) => t.id)).toEqual(["demo-team"]);
    expect(megan.disputes.map((r) => r.id).sort()).toEqual([ids.A, ids.B, ids.D, ids.E, ids.F].sort());
    const oliveSees = await board("", OTHER_MANAGER);
    expect(oliveSees.disputes.map((r) => r.id)).toEqual([ids.C]);
  });

  it("a manager asking for another service area's team: 403, saying which area is theirs", async () => {
    const r = await call("dashboard?team=other-team", { as: MANAGER });
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({
      error: "Children in Need Team 4 (other-team) is in the children-in-need service area; you see children-in-care only.",
      code: "forbidden",
    });
  });

  it("people with neither QA nor a service area are refused: the IRO, a social worker", async () => {
    for (const as of [IRO, demoPeople.sam.upn]) {
      const r = await call("dashboard", { as });
      expect(r.status, as).toBe(403);
      expect((await r.json()).error).toBe("The dashboard is for the QA service and for managers with a service area; you are neither.");
    }
  });

  it("nobody named: 401; an unknown team, IRO or category: 400 naming the field", async () => {
    expect((await call("dashboard", { as: null })).status).toBe(401);
    for (const [q, message] of [
      ["team=no-such-team", 'team: there is no team "no-such-team" in this authority.'],
      ["iro=nobody@example.com", 'iro: nobody "nobody@example.com" in this authority.'],
      ["category=gardening", 'category: the procedure has no category "gardening".'],
    ]) {
      const r = await call(`dashboard?${q}`, { as: QA });
      expect(r.status, q).toBe(400);
      expect((await r.json()).error).toBe(message);
    }
  });

  it("GET /api/me offers the dashboard to QA and managers, good practice to IROs (to record) and to QA and managers (to read and reply)", async () => {
    const views = async (as: string) => (await (await call("me", { as })).json()).views;
    expect(await views(QA)).toEqual({ dashboard: true, feedback: true, report: true, admin: false });
    expect(await views(MANAGER)).toEqual({ dashboard: true, feedback: true, report: false, admin: false });
    expect(await views(IRO)).toEqual({ dashboard: false, feedback: true, report: false, admin: false });
    expect(await views(demoPeople.sam.upn)).toEqual({ dashboard: false, feedback: false, report: false, admin: false });
  });
});

describe("the figures on Wednesday 13 January 2027, 10:00", () => {
  it("open disputes by team and stage; the closed one left out", async () => {
    const d = await board("", QA);
    expect(d.totals.open).toBe(6);
    expect(d.disputes.map((r) => r.id)).not.toContain(ids.G);
    expect(d.stages.map((s) => s.label)).toEqual(["Stage 1: Team Manager", "Stage 2: Service Manager"]);
    expect(d.byTeam).toEqual([
      { team: "demo-team", label: "Children in Care Team 1", serviceArea: "children-in-care", open: 5, byStage: { 1: 4, 2: 1 }, overdue: 1, dueThisWeek: 2, capAtRisk: 2 },
      { team: "other-team", label: "Children in Need Team 4", serviceArea: "children-in-need", open: 1, byStage: { 1: 1 }, overdue: 0, dueThisWeek: 1, capAtRisk: 0 },
    ]);
  });

  it("overdue, due this week, the cap at risk (passed, or within 3 working days)", async () => {
    const d = await board("", QA);
    const row = (id: string) => d.disputes.find((r) => r.id === id)!;
    expect(d.totals).toEqual({ open: 6, awaitingResponse: 4, awaitingDecision: 1, onHold: 1, overdue: 1, dueThisWeek: 3, capAtRisk: 2, capPassed: 1, failedDeliveries: 2 });
    expect(d.deadlines).toEqual({ overdue: 1, dueThisWeek: 3, dueLater: 0, awaitingDecision: 1, onHold: 1 });
    expect(row(ids.A!)).toMatchObject({ overdue: true, dueThisWeek: false, capAtRisk: false, dueAt: "2027-01-08T17:00:00.000Z" });
    for (const id of [ids.B!, ids.C!, ids.E!]) expect(row(id), id).toMatchObject({ overdue: false, dueThisWeek: true, dueAt: "2027-01-15T17:00:00.000Z" });
    expect(row(ids.D!)).toMatchObject({ state: "awaiting-decision", capDueAt: "2027-01-07T17:00:00.000Z", capPassed: true, capAtRisk: true });
    expect(row(ids.F!)).toMatchObject({ state: "on-hold", capDueAt: "2027-01-14T17:00:00.000Z", capPassed: false, capAtRisk: true, capWorkingDaysLeft: 1 });
    // The most pressing first: overdue, then the cap passed, then the cap near.
    expect(d.disputes.slice(0, 3).map((r) => r.id)).toEqual([ids.A, ids.D, ids.F]);
  });

  it("a manager's figures are their teams' only", async () => {
    const d = await board("", MANAGER);
    expect(d.totals).toMatchObject({ open: 5, overdue: 1, dueThisWeek: 2, capAtRisk: 2, failedDeliveries: 1 });
    expect(d.byTeam.map((t) => t.team)).toEqual(["demo-team"]);
  });

  it("filters by team, IRO and category", async () => {
    expect((await board("?team=other-team", QA)).disputes.map((r) => r.id)).toEqual([ids.C]);
    const byIvy = await board(`?iro=${encodeURIComponent(SECOND_IRO)}`, QA);
    expect(byIvy.disputes.map((r) => r.id)).toEqual([ids.E]);
    expect(byIvy.filters.iro).toBe(ivy.id);
    expect((await board(`?iro=${ivy.id}`, QA)).disputes.map((r) => r.id)).toEqual([ids.E]);
    const drift = await board("?category=drift-in-care-planning", QA);
    expect(drift.disputes.map((r) => r.id)).toEqual([ids.E]);
    expect(drift.disputes[0]!.categoryLabel).not.toBe("drift-in-care-planning");
    // The choices stay those of everything the person may see, so a filter can be changed.
    expect(drift.choices.iros.map((i) => i.label)).toEqual(["Alex Wilber", "Ivy Reviewer"]);
    expect((await board("?team=demo-team&category=drift-in-care-planning", MANAGER)).totals.open).toBe(1);
  });
});

describe("the lists behind the figures", () => {
  it("list= pages the disputes behind one figure, the figures unchanged", async () => {
    const overdue = await board("?list=overdue", QA);
    expect(overdue.list).toEqual({ name: "overdue", total: 1, next: null });
    expect(overdue.disputes.map((r) => r.id)).toEqual([ids.A]);
    expect(overdue.totals.open).toBe(6);
    const cap = await board("?list=cap-at-risk", QA);
    expect(cap.disputes.map((r) => r.id)).toEqual([ids.D, ids.F]);
    expect((await board("?list=due-this-week", MANAGER)).disputes.map((r) => r.id).sort()).toEqual([ids.B, ids.E].sort());
    expect((await board("", QA)).list).toEqual({ name: "open", total: 6, next: null });
    expect((await board("?cursor=25", QA)).disputes).toEqual([]);
  });

  it("an unknown list or a cursor that is not one given: 400 naming the field", async () => {
    for (const [q, field] of [["list=everything", "list"], ["cursor=abc", "cursor"]] as const) {
      const r = await call(`dashboard?${q}`, { as: QA });
      expect(r.status, q).toBe(400);
      expect((await r.json()).error, q).toMatch(new RegExp(`^${field}`));
    }
  });
});

describe("failed deliveries", () => {
  it("QA sees every one; a manager those about their teams", async () => {
    const all = await board("", QA);
    expect(all.failedDeliveries.map((x) => x.disputeId).sort()).toEqual([ids.A, ids.C].sort());
    expect(all.failedDeliveries.find((x) => x.disputeId === ids.A)).toMatchObject({ team: "demo-team", lastError: "Graph said 503 eight times", attempts: 8, failedAt: "2027-01-12T09:00:00.000Z" });
    expect(all.failedDeliveriesMore).toBe(false);
    expect((await board("", MANAGER)).failedDeliveries.map((x) => x.disputeId)).toEqual([ids.A]);
    expect((await board("", OTHER_MANAGER)).failedDeliveries.map((x) => x.disputeId)).toEqual([ids.C]);
    expect((await board("?team=other-team", QA)).failedDeliveries.map((x) => x.disputeId)).toEqual([ids.C]);
  });
});
