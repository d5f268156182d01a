/**
 * GET /api/dashboard?team=&iro=&category=: open disputes by team and stage, overdue and due this
 * week, the cap at risk, failed deliveries. QA sees every team; a manager the teams of their
 * service areas (403 for another's); anyone else is refused.
 */
import { z } from "zod";
import { describeIssues } from "../../shared/procedure/procedureSchema";
import { registerHttp } from "../host/registry";
import { dashboardFor } from "../usecases/dashboard";
import { problem, rejected } from "./responses";
import { authenticated } from "./route";

const empty = (v: unknown) => (v === "" ? undefined : v);
const DashboardQuery = z.object({
  team: z.preprocess(empty, z.string().max(64).optional()),
  iro: z.preprocess(empty, z.string().max(254).optional()),
  category: z.preprocess(empty, z.string().max(64).optional()),
});

registerHttp({
  name: "dashboard",
  route: "dashboard",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app) => {
    const q = DashboardQuery.safeParse(Object.fromEntries(req.query.entries()));
    if (!q.success) return problem(400, describeIssues(q.error));
    const result = await dashboardFor(app.services, { tenantId: caller.tenantId, person: caller.person, filters: q.data });
    return result.ok ? { status: 200, headers: { "cache-control": "no-store" }, jsonBody: result.value } : rejected(result.error);
  }),
});
