import type { HttpRequest } from "@azure/functions";
import { z } from "zod";
import { builtInProcedureIds } from "../../shared/procedures";
import { registerHttp } from "../host/registry";
import { actOnDispute } from "../usecases/act";
import { getDispute, listDisputes } from "../usecases/queries";
import { raiseDispute } from "../usecases/raise";
import { actorOf } from "../usecases/actors";
import { dashboardTeams } from "../usecases/dashboard";
import { isAdministrator } from "../usecases/administer";
import { mayRecordPositiveFeedback } from "../../shared/feedback/positiveFeedback";
import { describeIssues } from "../../shared/procedure/procedureSchema";
import { commandLabels, describeBody } from "../../shared/dispute/fieldLabels";
import type { Source } from "../../shared/dispute/people";
import { disputeIdOf, idempotencyKeyOf, jsonBody, problem, rejected, viewJson } from "./responses";
import { authenticated } from "./route";


/** Which surface a call came from, for the audit log: the add-in and tab say so in a header. */
export function sourceOf(req: HttpRequest): Source {
  const s = req.headers.get("x-resolve-source");
  return s === "outlook" || s === "tab" || s === "teams" ? s : "api";
}

/** The raise's own fields; the rest is the form, checked strictly by the use case. */
const RaiseBody = z.object({
  direction: z.enum(["standard", "reverse"]).optional(),
  exceptionKind: z.string().trim().min(1).max(60).optional(),
}).loose();

registerHttp({
  name: "raiseDispute",
  route: "disputes",
  methods: ["POST"],
  handler: authenticated(async (req, caller, app) => {
    const key = idempotencyKeyOf(req);
    if (!key.ok) return key.response;
    const body = await jsonBody(req);
    if (!body.ok) return body.response;
    const head = RaiseBody.safeParse(body.body);
    if (!head.success) return rejected({ code: "invalid", ...describeBody(head.error, commandLabels("raise")) });
    const { direction, exceptionKind, ...details } = head.data;
    const result = await raiseDispute(app.services, {
      tenantId: caller.tenantId,
      raisedBy: caller.person,
      source: sourceOf(req),
      details,
      ...(direction ? { direction } : {}),
      ...(exceptionKind ? { exceptionKind } : {}),
      ...(key.key ? { idempotencyKey: key.key } : {}),
    });
    if (!result.ok) return rejected(result.error);
    app.kick(caller.tenantId, result.value.dispute.id);
    const view = await getDispute(app.services, caller.tenantId, result.value.dispute.id, caller.person, { committed: result.value.dispute, ...(result.value.history ? { history: result.value.history } : {}) });
    if (!view.ok) return rejected(view.error);
    return { status: 201, headers: { location: `/api/disputes/${result.value.dispute.id}` }, jsonBody: viewJson(view.value) };
  }),
});

const ListQuery = z.object({
  role: z.enum(["assignee", "iro", "team", "child", "all"]).default("assignee"),
  state: z.enum(["open", "closed", "all"]).default("open"),
  team: z.string().optional(),
  reference: z.string().optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
});

registerHttp({
  name: "listDisputes",
  route: "disputes",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app) => {
    const q = ListQuery.safeParse(Object.fromEntries(req.query.entries()));
    if (!q.success) return problem(400, describeIssues(q.error));
    const result = await listDisputes(app.services, { tenantId: caller.tenantId, person: caller.person, ...q.data });
    return result.ok ? { status: 200, jsonBody: result.value } : rejected(result.error);
  }),
});

registerHttp({
  name: "getDispute",
  route: "disputes/{id}",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app) => {
    const id = disputeIdOf(req);
    if (!id.ok) return id.response;
    const result = await getDispute(app.services, caller.tenantId, id.id, caller.person);
    return result.ok ? { status: 200, jsonBody: viewJson(result.value) } : rejected(result.error);
  }),
});

registerHttp({
  name: "actOnDispute",
  route: "disputes/{id}/actions",
  methods: ["POST"],
  handler: authenticated(async (req, caller, app) => {
    const id = disputeIdOf(req);
    if (!id.ok) return id.response;
    const key = idempotencyKeyOf(req);
    if (!key.ok) return key.response;
    const body = await jsonBody(req);
    if (!body.ok) return body.response;
    const result = await actOnDispute(app.services, {
      tenantId: caller.tenantId,
      disputeId: id.id,
      person: caller.person,
      body: body.body,
      source: sourceOf(req),
      ...(key.key ? { idempotencyKey: key.key } : {}),
    });
    if (!result.ok) return rejected(result.error);
    const view = await getDispute(app.services, caller.tenantId, id.id, caller.person, { committed: result.value.dispute, ...(result.value.history ? { history: result.value.history } : {}) });
    // The relay starts once the answer is ready, not while the caller waits for it.
    app.kick(caller.tenantId, id.id);
    return view.ok ? { status: 200, jsonBody: viewJson(view.value) } : rejected(view.error);
  }),
});

registerHttp({
  name: "procedures",
  route: "procedures",
  methods: ["GET"],
  handler: authenticated(async (_req, caller, app) => {
    const runtime = await app.services.runtime(caller.tenantId);
    // The teams a dispute can be raised for, with the procedure the raise form is built from and
    // who holds each role for each team (names only), so that a plan preview can name them, and the
    // calendar (closure days) the pages count working days with, as the server does.
    const teams = await Promise.all(
      (await app.services.directory.teams(caller.tenantId)).map(async (t) => {
        const roster = await app.services.directory.roster(caller.tenantId, t.id);
        return { ...t, holders: Object.fromEntries(Object.entries(roster).map(([role, p]) => [role, p.displayName])) };
      }),
    );
    return { status: 200, jsonBody: { current: runtime?.procedure ?? null, calendar: runtime?.config.calendar ?? null, builtIn: builtInProcedureIds, teams } };
  }),
});

registerHttp({
  name: "me",
  route: "me",
  methods: ["GET"],
  handler: authenticated(async (_req, caller) => {
    const p = caller.person;
    // What the pages offer this person; every route checks again on its own.
    // Good practice: IROs record it; managers and QA, to whom it is sent, read and reply to it.
    const dashboard = dashboardTeams(p, []).ok;
    const views = { dashboard, feedback: !mayRecordPositiveFeedback(actorOf(p)) || dashboard || p.capabilities.includes("qa"), report: p.capabilities.includes("qa"), admin: isAdministrator(p) };
    return { status: 200, jsonBody: { id: p.id, upn: p.upn, displayName: p.displayName, capabilities: p.capabilities, serviceAreas: p.serviceAreas, teams: p.teams, views } };
  }),
});

/** Newest first, a page at a time: `next` in the answer is the cursor for the page after. */
const PageQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
});

registerHttp({
  name: "failedDeliveries",
  route: "deliveries/failed",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app) => {
    if (!caller.person.capabilities.includes("qa")) return problem(403, "Only the QA service sees failed deliveries.");
    const q = PageQuery.safeParse(Object.fromEntries(req.query.entries()));
    if (!q.success) return problem(400, describeIssues(q.error));
    return { status: 200, jsonBody: await app.services.outbox.failed(caller.tenantId, q.data.pageSize, q.data.cursor) };
  }),
});
