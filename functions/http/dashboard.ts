/**
 * GET /api/dashboard?team=&iro=&category=&list=&cursor=: open disputes by team and stage, overdue
 * and due this week, the cap at risk, failed deliveries, and one page of the list behind a figure
 * (`list`: open, overdue, due-this-week or cap-at-risk; `cursor`: the `next` of the page before). QA sees every team; a manager the teams of their
 * service areas (403 for another's); anyone else is refused.
 */
import { z } from "zod";
import { describeIssues } from "../../shared/procedure/procedureSchema";
import { DASHBOARD_LISTS } from "../../shared/reports/dashboard";
import { registerHttp } from "../host/registry";
import { dashboardFor } from "../usecases/dashboard";
import { problem, rejected } from "./responses";
import { authenticated } from "./route";

const empty = (v: unknown) => (v === "" ? undefined : v);
const DashboardQuery = z.object({
  team: z.preprocess(empty, z.string().max(64).optional()),
  iro: z.preprocess(empty, z.string().max(254).optional()),
  category: z.preprocess(empty, z.string().max(64).optional()),
  list: z.preprocess(empty, z.enum(DASHBOARD_LISTS).optional()),
  cursor: z.preprocess(empty, z.string().regex(/^\d{1,6}$/, "a cursor is the next given with a page").optional()),
});

registerHttp({
  name: "dashboard",
  route: "dashboard",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app) => {
    const q = DashboardQuery.safeParse(Object.fromEntries(req.query.entries()));
    if (!q.success) return problem(400, describeIssues(q.error));
    const result = await dashboardFor(app.services, { tenantId: caller.tenantId, person: caller.person, filters: q.data, list: q.data.list, cursor: q.data.cursor });
    return result.ok ? { status: 200, headers: { "cache-control": "no-store" }, jsonBody: result.value } : rejected(result.error);
  }),
});
