/**
 * Directory administration over real HTTP and Azurite, in local mode: Rowan Ellis (QA lead and
 * administrator) keeps the demo authority's people, roles, calendar, procedure and cover, and the
 * running host uses each change at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("admin");

import "../../functions/index";
import { cardForPerson } from "../../bot/cardViews";
import { composeApp, getApp } from "../../functions/compose";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { readSettings } from "../../functions/settings";
import { builtInProcedures } from "../../shared/procedures";

const lambeth = builtInProcedures.lambeth!;

const ADMIN = "rowanq@example.com";
const IRO = "alexw@example.com";
const QA = "quinnq@example.com";
const MANAGER = "meganb@example.com";
const COVER = "adelev@example.com";

let host: LocalHost;

const raiseBody = (team = "demo-team") => ({
  child: { reference: "MOS-200001", initials: "A.B.", legalStatus: "looked-after", team },
  category: "statutory-responsibilities",
  reason: "no allocated social worker",
  concerns: "No allocated social worker since the review.",
  outcomesSought: "Allocate a social worker.",
  startStage: 1,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(method: string, path: string, opts: { as?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { "x-resolve-dev-user": opts.as ?? ADMIN };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${host.url}/api/${path}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function raise(team = "demo-team") {
  const r = await call("POST", "disputes", { as: IRO, body: raiseBody(team) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/** Until the relay has delivered what the dispute's last change wrote. */
async function settled(disputeId: string) {
  const app = await getApp();
  for (let i = 0; i < 100; i++) {
    if (!(await app.outbox.marker(tenantId, disputeId))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dispute ${disputeId}: its effects were not relayed within 5 s`);
}

beforeAll(async () => {
  host = await startLocalHost({ port: 0 });
  expect((await call("POST", "dev/clock", { body: { now: "2026-12-21T10:00:00Z" } })).status).toBe(200);
});

afterAll(async () => {
  await host?.stop();
});

describe("who may administer", () => {
  const routes: [string, string, unknown][] = [
    ["GET", "admin/directory", undefined],
    ["GET", "admin/entra/people?search=die", undefined],
    ["GET", "admin/entra/groups?search=children", undefined],
    ["POST", "admin/teams/demo-team/import", { groupId: "00000000-0000-0000-0000-0000000000a1" }],
    ["PUT", "admin/people/newperson@example.com", { displayName: "New Person", capabilities: [], teams: [] }],
    ["PUT", "admin/teams/demo-team", { displayName: "Children in Care Team 1", serviceArea: "children-in-care" }],
    ["PUT", "admin/teams/demo-team/roles/team-manager", { upn: MANAGER }],
    ["PUT", "admin/calendar", { closureDays: [], endOfDay: "17:00" }],
    ["PUT", "admin/procedure", { builtIn: "lambeth" }],
    ["PUT", "admin/cover/pattif@example.com", { coverUpn: COVER, from: "2027-03-01", until: "2027-03-05" }],
    ["DELETE", "admin/cover/pattif@example.com", undefined],
  ];

  it.each(routes)("%s %s: 403 for an IRO and for QA who do not administer, 200 for the administrator", async (method, path, body) => {
    for (const as of [IRO, QA]) {
      const r = await call(method, path, { as, body });
      expect(r.status, `${as}: ${JSON.stringify(r.body)}`).toBe(403);
    }
    const r = await call(method, path, { body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  });

  it("GET /api/me offers the Administration view to the administrator only", async () => {
    expect((await call("GET", "me")).body.views.admin).toBe(true);
    expect((await call("GET", "me", { as: QA })).body.views.admin).toBe(false);
  });

  it("the only administrator cannot give up administering: someone else must hold it first", async () => {
    const own = { displayName: "Rowan Ellis", capabilities: ["qa"], teams: [] };
    const refused = await call("PUT", `admin/people/${ADMIN}`, { body: own });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe("capabilities: Rowan Ellis is the authority's only administrator; make someone else an administrator first.");
    expect((await call("GET", "me")).body.capabilities).toEqual(["qa", "admin"]);
  });

  it("administering alone gives no sight of disputes", async () => {
    await call("PUT", "admin/people/ada@example.com", { body: { displayName: "Ada Admin", capabilities: ["admin"], teams: [] } });
    const d = await raise();
    expect((await call("GET", `disputes/${d.id}`, { as: "ada@example.com" })).status).toBe(403);
  });
});

describe("strict bodies: 400 naming the field, nothing changed", () => {
  const bad: [string, string, unknown, RegExp][] = [
    ["people", "admin/people/x@example.com", { displayName: "X", capabilities: ["iro"], teams: [], colour: "red" }, /colour/],
    ["people", "admin/people/x@example.com", { displayName: "X", capabilities: ["boss"], teams: [] }, /capabilities\[0\]/],
    ["people", "admin/people/x@example.com", { displayName: "X", capabilities: [], teams: ["no-such-team"] }, /teams\[0\]: there is no team "no-such-team"/],
    ["teams", "admin/teams/new-team", { displayName: "New" }, /serviceArea/],
    ["roles", "admin/teams/demo-team/roles/team-manager", { upn: "nobody@example.com" }, /upn: nobody with the UPN nobody@example.com/],
    ["roles", "admin/teams/demo-team/roles/team-manager", { upn: MANAGER, from: "x" }, /from/],
    ["calendar", "admin/calendar", { closureDays: ["2026-02-30"], endOfDay: "17:00" }, /closureDays\[0\]/],
    ["calendar", "admin/calendar", { closureDays: [], endOfDay: "5pm" }, /endOfDay/],
    ["procedure", "admin/procedure", { builtIn: "atlantis" }, /builtIn: there is no built-in procedure "atlantis"/],
    ["procedure", "admin/procedure", { ...lambeth, stages: lambeth.stages.map((s, i) => (i === 1 ? { ...s, colour: "red" } : s)) }, /stages\[1\]\.colour/],
    ["procedure", "admin/procedure", { ...lambeth, stages: lambeth.stages.map((s, i) => (i === 2 ? { ...s, responseDays: 0 } : s)) }, /stages\[2\]\.responseDays/],
    ["cover", "admin/cover/meganb@example.com", { coverUpn: COVER, from: "2027-01-10", until: "2027-01-05" }, /until: must be on or after from/],
    ["cover", "admin/cover/meganb@example.com", { coverUpn: MANAGER, from: "2027-01-01", until: "2027-01-05" }, /coverUpn: a person cannot cover for themselves/],
  ];

  it.each(bad)("%s: %j", async (_what, path, body, message) => {
    const before = await call("GET", "admin/directory");
    const r = await call("PUT", path, { body });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error).toMatch(message);
    const after = await call("GET", "admin/directory");
    expect(after.body.history.length).toBe(before.body.history.length);
  });

  it("a body that is not JSON is 400", async () => {
    const res = await fetch(`${host.url}/api/admin/calendar`, { method: "PUT", headers: { "x-resolve-dev-user": ADMIN, "content-type": "application/json" }, body: "{" });
    expect(res.status).toBe(400);
  });
});

describe("changes are audited and live at once", () => {
  it("a closure day moves the next raise's due date and its plan, with no restart, and the history says who, when, before and after", async () => {
    const before = await raise();
    // Monday 21 December + 4 working days, over Christmas and Boxing Day's substitute.
    expect(before.dueAt).toBe("2026-12-29T17:00:00.000Z");
    const r = await call("PUT", "admin/calendar", { body: { closureDays: ["2026-12-29", "2026-12-30"], endOfDay: "16:30" } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const after = await raise();
    expect(after.dueAt).toBe("2026-12-31T16:30:00.000Z");
    expect(after.plan.stages[0].dueAt).toBe("2026-12-31T16:30:00.000Z");
    // The pages' own plan preview takes the calendar from here.
    expect((await call("GET", "procedures", { as: IRO })).body.calendar).toEqual({ closureDays: ["2026-12-29", "2026-12-30"], endOfDay: "16:30" });
    // The first dispute keeps its due date.
    expect((await call("GET", `disputes/${before.id}`, { as: IRO })).body.dueAt).toBe("2026-12-29T17:00:00.000Z");
    const [latest] = (await call("GET", "admin/directory")).body.history;
    expect(latest).toMatchObject({
      kind: "calendar",
      by: { upn: ADMIN, displayName: "Rowan Ellis" },
      before: { closureDays: [], endOfDay: "17:00" },
      after: { closureDays: ["2026-12-29", "2026-12-30"], endOfDay: "16:30" },
      text: "Working calendar: no closure days; the working day ends at 17:00 → closed Tue 29 Dec 2026, Wed 30 Dec 2026; the working day ends at 16:30",
    });
    expect(Date.parse(latest.at)).toBeGreaterThan(0);
    await call("PUT", "admin/calendar", { body: { closureDays: [], endOfDay: "17:00" } });
  });

  it("a person imported from Entra, given a role: the next escalation goes to them", async () => {
    const found = await call("GET", "admin/entra/people?search=diego");
    expect(found.body.items).toEqual([{ entraId: "00000000-0000-0000-0000-000000000040", upn: "diegos@example.com", displayName: "Diego Siciliani", inDirectory: false }]);
    const diego = found.body.items[0];
    const added = await call("PUT", `admin/people/${diego.upn}`, { body: { displayName: diego.displayName, capabilities: [], teams: ["demo-team"], entraId: diego.entraId } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.value.id).toBe(diego.entraId);
    expect((await call("GET", "admin/entra/people?search=diego")).body.items[0].inDirectory).toBe(true);

    const d = await raise();
    const role = await call("PUT", "admin/teams/demo-team/roles/service-manager", { body: { upn: diego.upn } });
    expect(role.body).toMatchObject({ changed: true, value: { scope: "demo-team", role: "service-manager", holder: { upn: diego.upn } } });
    // Raised before the change, the dispute keeps the ladder (and holders) it was raised with.
    const old = await call("POST", `disputes/${d.id}/actions`, { as: IRO, body: { action: "escalate", rationale: "No answer." } });
    expect(old.body.assignee.upn).toBe(COVER);
    const fresh = await raise();
    const escalated = await call("POST", `disputes/${fresh.id}/actions`, { as: IRO, body: { action: "escalate", rationale: "No answer." } });
    expect(escalated.status, JSON.stringify(escalated.body)).toBe(200);
    expect(escalated.body).toMatchObject({ stage: 2, assignee: { upn: diego.upn, displayName: "Diego Siciliani" } });
    const [latest] = (await call("GET", "admin/directory")).body.history;
    expect(latest.text).toBe("Service Manager, Children in Care Team 1: Adele Vance → Diego Siciliani");
    // The same change again changes nothing and records nothing.
    expect((await call("PUT", "admin/teams/demo-team/roles/service-manager", { body: { upn: diego.upn } })).body.changed).toBe(false);
    expect((await call("GET", "admin/directory")).body.history[0].id).toBe(latest.id);
    await call("PUT", "admin/teams/demo-team/roles/service-manager", { body: { upn: COVER } });
  });

  it("a raise refused for a missing role holder names the role and the administrators", async () => {
    expect((await call("PUT", "admin/teams/leaving-care", { body: { displayName: "Leaving Care Team", serviceArea: "leaving-care" } })).status).toBe(200);
    const r = await call("POST", "disputes", { as: IRO, body: raiseBody("leaving-care") });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/Team Manager/);
    expect(r.body.error).toMatch(/administrators can set who holds it: Rowan Ellis \(rowanq@example.com\)/);
  });

  it("a procedure swapped while disputes run: old disputes keep their ladder, new ones take the new", async () => {
    const old = await raise();
    expect(old.ladder.procedureId).toBe("lambeth");
    const mine = { ...lambeth, id: "demo-borough", authority: "Demo Borough", stages: lambeth.stages.slice(0, 3).map((s) => ({ ...s, responseDays: 2 })), exceptions: { ...lambeth.exceptions, stage: 3 } };
    const put = await call("PUT", "admin/procedure", { body: mine });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.value).toMatchObject({ id: "demo-borough" });
    const version = put.body.value.version;
    const fresh = await raise();
    expect(fresh.ladder).toMatchObject({ procedureId: "demo-borough" });
    expect(fresh.ladder.stages).toHaveLength(3);
    // Monday 21 December + 2 working days.
    expect(fresh.dueAt).toBe("2026-12-23T17:00:00.000Z");
    // The old one climbs its own five-stage ladder still.
    const escalated = await call("POST", `disputes/${old.id}/actions`, { as: IRO, body: { action: "escalate", rationale: "No answer.", toStage: 5 } });
    expect(escalated.status, JSON.stringify(escalated.body)).toBe(200);
    expect(escalated.body.stage).toBe(5);
    const overview = (await call("GET", "admin/directory")).body;
    expect(overview.procedure).toMatchObject({ id: "demo-borough", version, uploaded: true });
    expect(overview.history[0]).toMatchObject({ kind: "procedure", after: { version } });
    const back = await call("PUT", "admin/procedure", { body: { builtIn: "lambeth" } });
    expect(back.body.value).toMatchObject({ id: "lambeth", version: version + 1 });
  });
});

describe("an Entra group mapped to a team", () => {
  it("adds the group's members to the team: new people with their Entra ids, people already here join it; again, nothing changes", async () => {
    expect((await call("PUT", "admin/teams/leaving-care", { body: { displayName: "Leaving Care Team", serviceArea: "leaving-care" } })).status).toBe(200);
    const groups = await call("GET", "admin/entra/groups?search=leaving");
    expect(groups.body.items).toEqual([{ groupId: "00000000-0000-0000-0000-0000000000a2", displayName: "Leaving Care Team" }]);
    // Diego is in the directory already (an earlier test added him to the demo team).
    const first = await call("POST", "admin/teams/leaving-care/import", { body: { groupId: groups.body.items[0].groupId } });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ added: ["Johanna Lorenz", "Lee Gu"], joined: ["Diego Siciliani"], already: [], refused: [] });
    const people = (await call("GET", "admin/directory")).body.people as { upn: string; id: string; teams: string[] }[];
    expect(people.find((p) => p.upn === "johannal@example.com")).toMatchObject({ id: "00000000-0000-0000-0000-000000000041", teams: ["leaving-care"] });
    expect(people.find((p) => p.upn === "diegos@example.com")!.teams).toEqual(["demo-team", "leaving-care"]);
    const again = await call("POST", "admin/teams/leaving-care/import", { body: { groupId: groups.body.items[0].groupId } });
    expect(again.body).toEqual({ added: [], joined: [], already: ["Diego Siciliani", "Johanna Lorenz", "Lee Gu"], refused: [] });
  });

  it("a group that does not exist, a team that does not, an unknown field: refused, nothing changed", async () => {
    const missing = await call("POST", "admin/teams/leaving-care/import", { body: { groupId: "nope" } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("groupId: there is no group nope in the organisation.");
    expect((await call("POST", "admin/teams/no-team/import", { body: { groupId: "00000000-0000-0000-0000-0000000000a2" } })).status).toBe(404);
    const bad = await call("POST", "admin/teams/leaving-care/import", { body: { groupId: "00000000-0000-0000-0000-0000000000a2", sync: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/sync/);
  });
});

describe("two administrators at once", () => {
  it("changes to the same role either apply one after another or are refused with 409: the history never records a before that was not", async () => {
    const candidates = ["pattif@example.com", "lynner@example.com", "isaiahl@example.com", "samk@example.com", "chiefexec@example.com"];
    const replies = await Promise.all(candidates.map((upn) => call("PUT", "admin/teams/demo-team/roles/area-team-manager", { body: { upn } })));
    const statuses = replies.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409), JSON.stringify(replies.map((r) => r.body))).toBe(true);
    expect(statuses).toContain(200);
    for (const r of replies.filter((x) => x.status === 409)) expect(r.body.error).toMatch(/someone else changed it at the same moment/);
    const overview = (await call("GET", "admin/directory")).body;
    const chain = overview.history.filter((c: { subject: string }) => c.subject === "Area team manager, Children in Care Team 1").reverse();
    expect(chain).toHaveLength(statuses.filter((s) => s === 200).length);
    // Each change starts from where the one before it ended, starting from Megan Bowen.
    expect(chain[0].was).toBe("Megan Bowen");
    for (let i = 1; i < chain.length; i++) expect(chain[i].was).toBe(chain[i - 1].now);
    const holder = overview.roles.find((r: { scope: string; role: string }) => r.scope === "demo-team" && r.role === "area-team-manager").holder;
    expect(holder.displayName).toBe(chain.at(-1).now);
    await call("PUT", "admin/teams/demo-team/roles/area-team-manager", { body: { upn: MANAGER } });
  });
});

describe("cover", () => {
  it("while cover stands, the alert goes to the cover and the dispute's delivery says so; outside its dates it goes to the holder", async () => {
    const set = await call("PUT", `admin/cover/${MANAGER}`, { body: { coverUpn: COVER, from: "2026-12-21", until: "2026-12-24" } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const d = await raise();
    expect(d.assignee.upn).toBe(MANAGER);
    await settled(d.id);
    const view = (await call("GET", `disputes/${d.id}`, { as: IRO })).body;
    const alert = view.deliveries.find((x: { notice?: string }) => x.notice === "alert");
    expect(alert).toMatchObject({ status: "delivered", to: MANAGER });
    expect(alert.detail).toMatch(/^sent to Adele Vance, covering for Megan Bowen/);
    const adele = (await call("GET", `dev/mailbox?to=${COVER}`)).body.items.filter((m: { disputeId: string; notice?: string }) => m.disputeId === d.id && m.notice === "alert");
    const megan = (await call("GET", `dev/mailbox?to=${MANAGER}`)).body.items.filter((m: { disputeId: string; notice?: string }) => m.disputeId === d.id && m.notice === "alert");
    expect(adele).toHaveLength(1);
    expect(megan).toHaveLength(0);

    await call("POST", "dev/clock", { body: { now: "2026-12-29T10:00:00Z" } });
    const later = await raise();
    await settled(later.id);
    const laterAlert = (await call("GET", `disputes/${later.id}`, { as: IRO })).body.deliveries.find((x: { notice?: string }) => x.notice === "alert");
    expect(laterAlert.detail ?? "").not.toMatch(/covering/);
    expect((await call("GET", `dev/mailbox?to=${MANAGER}`)).body.items.some((m: { disputeId: string }) => m.disputeId === later.id)).toBe(true);
    await call("POST", "dev/clock", { body: { now: "2026-12-21T10:00:00Z" } });
  });

  it("the cover answers in the holder's place while the cover stands, and the record says so; nobody else may, nor the cover outside its dates", async () => {
    expect((await call("PUT", `admin/cover/${MANAGER}`, { body: { coverUpn: COVER, from: "2026-12-21", until: "2026-12-24" } })).status).toBe(200);
    const d = await raise();
    const early = await raise();
    await settled(d.id);
    const seen = await call("GET", `disputes/${d.id}`, { as: COVER });
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body.actions).toEqual(expect.arrayContaining(["respond", "acknowledge", "request-more-time"]));
    expect(seen.body.actions).not.toContain("escalate");
    const app = await getApp();
    const cardFor = async (upn: string) => JSON.stringify(await cardForPerson(app.services, (await app.services.store.load(tenantId, d.id))!.dispute, (await app.services.directory.personByUpn(tenantId, upn))!.id));
    expect(await cardFor(COVER)).toContain('"verb":"respond"');

    const stranger = await call("POST", `disputes/${d.id}/actions`, { as: "pattif@example.com", body: { action: "respond", response: "Not mine to answer." } });
    expect(stranger.status).toBe(403);
    expect((await call("POST", `disputes/${d.id}/actions`, { as: COVER, body: { action: "acknowledge" } })).status).toBe(200);
    const answered = await call("POST", `disputes/${d.id}/actions`, { as: COVER, body: { action: "respond", response: "A social worker is allocated from Monday." } });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.state).toBe("awaiting-decision");

    const view = (await call("GET", `disputes/${d.id}`, { as: IRO })).body;
    const response = view.stages.at(-1).response;
    expect(response).toMatchObject({ by: { upn: COVER }, coveringFor: { upn: MANAGER } });
    const events = view.history.filter((e: { action: string }) => e.action === "respond" || e.action === "acknowledge");
    expect(events).toHaveLength(2);
    for (const e of events) expect(e).toMatchObject({ actor: { upn: COVER }, coveringFor: { upn: MANAGER } });
    const record = await fetch(`${host.url}/api/disputes/${d.id}/record?format=html`, { headers: { "x-resolve-dev-user": IRO } });
    expect(record.status).toBe(200);
    expect(await record.text()).toContain("Adele Vance, covering for Megan Bowen");
    expect(await cardFor(IRO)).toContain("Answer from Adele Vance, covering for Megan Bowen");

    await call("POST", "dev/clock", { body: { now: "2026-12-29T10:00:00Z" } });
    const after = await call("POST", `disputes/${early.id}/actions`, { as: COVER, body: { action: "respond", response: "Answered after the cover ended." } });
    expect(after.status).toBe(403);
    expect((await call("GET", `disputes/${early.id}`, { as: IRO })).body.state).toBe("awaiting-response");
    await call("POST", "dev/clock", { body: { now: "2026-12-21T10:00:00Z" } });
    expect((await call("DELETE", `admin/cover/${MANAGER}`)).status).toBe(200);
  });

  it("while cover stands, the cover's waiting on me lists the holder's disputes awaiting an answer, marked covering for them", async () => {
    expect((await call("PUT", `admin/cover/${MANAGER}`, { body: { coverUpn: COVER, from: "2026-12-21", until: "2026-12-24" } })).status).toBe(200);
    const d = await raise();
    type Row = { id: string; coveringFor?: { upn: string; displayName: string } };
    const waiting = async (as: string, query = "role=assignee") => (await call("GET", `disputes?${query}`, { as })).body.items as Row[];
    expect((await waiting(COVER)).find((s) => s.id === d.id)?.coveringFor).toMatchObject({ upn: MANAGER, displayName: "Megan Bowen" });
    // The holder's own list is as it was; the cover's closed list and the IRO's list hold no such row.
    expect((await waiting(MANAGER)).find((s) => s.id === d.id)).toBeTruthy();
    expect((await waiting(MANAGER)).find((s) => s.id === d.id)?.coveringFor).toBeUndefined();
    expect((await waiting(COVER, "role=assignee&state=closed")).some((s) => s.id === d.id)).toBe(false);
    expect((await waiting(IRO)).some((s) => s.id === d.id)).toBe(false);

    // Outside the cover's dates, and once ended, the dispute is the holder's alone again.
    await call("POST", "dev/clock", { body: { now: "2026-12-29T10:00:00Z" } });
    expect((await waiting(COVER)).some((s) => s.id === d.id)).toBe(false);
    await call("POST", "dev/clock", { body: { now: "2026-12-21T10:00:00Z" } });
    expect((await waiting(COVER)).some((s) => s.id === d.id)).toBe(true);
    expect((await call("DELETE", `admin/cover/${MANAGER}`)).status).toBe(200);
    expect((await waiting(COVER)).some((s) => s.id === d.id)).toBe(false);
    // Answered by the holder, it waits on the IRO: a cover set again lists nothing of it.
    expect((await call("POST", `disputes/${d.id}/actions`, { as: MANAGER, body: { action: "respond", response: "Allocated from Monday." } })).status).toBe(200);
    expect((await call("PUT", `admin/cover/${MANAGER}`, { body: { coverUpn: COVER, from: "2026-12-21", until: "2026-12-24" } })).status).toBe(200);
    expect((await waiting(COVER)).some((s) => s.id === d.id)).toBe(false);
    expect((await call("DELETE", `admin/cover/${MANAGER}`)).status).toBe(200);
  });

  it("a holder sets their own cover, not someone else's; ending it is audited", async () => {
    const own = await call("PUT", `admin/cover/${MANAGER}`, { as: MANAGER, body: { coverUpn: COVER, from: "2027-02-01", until: "2027-02-05" } });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect((await call("PUT", `admin/cover/${COVER}`, { as: MANAGER, body: { coverUpn: MANAGER, from: "2027-02-01", until: "2027-02-05" } })).status).toBe(403);
    expect((await call("DELETE", `admin/cover/${MANAGER}`, { as: MANAGER })).body.changed).toBe(true);
    const [latest] = (await call("GET", "admin/directory")).body.history;
    expect(latest).toMatchObject({ kind: "cover", by: { upn: MANAGER }, now: null, text: "Cover for Megan Bowen: Megan Bowen is away from Mon 1 Feb 2027 to Fri 5 Feb 2027; cover: Adele Vance. (ended)" });
  });
});

describe("the demo authority is seeded once", () => {
  it("a restart keeps what the administrators changed", async () => {
    await call("PUT", "admin/people/meganb@example.com", { body: { displayName: "Megan Bowen-Smith", capabilities: [], teams: ["demo-team"] } });
    const restarted = await composeApp(readSettings(process.env));
    expect((await restarted.directory.personByUpn(tenantId, MANAGER))?.displayName).toBe("Megan Bowen-Smith");
    expect((await restarted.directory.personByUpn(tenantId, "diegos@example.com"))?.displayName).toBe("Diego Siciliani");
    await call("PUT", "admin/people/meganb@example.com", { body: { displayName: "Megan Bowen", capabilities: [], teams: ["demo-team"] } });
  });
});
