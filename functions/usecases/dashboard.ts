import type { Rejection } from "../../shared/dispute/lifecycle";
import { DASHBOARD_PAGE, type Dashboard, type DashboardFilters, type DashboardList, dashboard } from "../../shared/reports/dashboard";
import { type Result, err, ok } from "../../shared/result";
import type { DirectoryPerson, TeamInfo } from "../ports";
import type { Services } from "./services";

/** Who sees which teams: QA every team; a manager the teams of their service areas; nobody else. */
export function dashboardTeams(person: DirectoryPerson, teams: readonly TeamInfo[]): Result<TeamInfo[], Rejection> {
  if (person.capabilities.includes("qa")) return ok([...teams]);
  if (!person.serviceAreas.length) return err({ code: "forbidden", message: "The dashboard is for the QA service and for managers with a service area; you are neither." });
  return ok(teams.filter((t) => person.serviceAreas.includes(t.serviceArea)));
}

/**
 * GET /api/dashboard: the figures for the open disputes of the teams this person may see, counted
 * from the dashboard's projection (a few rows a team, however many disputes: dashboardProjection.ts),
 * one page of the list asked for, and the deliveries that failed. Checked here, on the server:
 * a manager naming a team outside their service areas is refused.
 */
export async function dashboardFor(
  services: Services,
  input: { tenantId: string; person: DirectoryPerson; filters: DashboardFilters; list?: DashboardList; cursor?: string },
): Promise<Result<Dashboard, Rejection>> {
  const { tenantId, person } = input;
  const [runtime, allTeams] = await Promise.all([services.runtime(tenantId), services.directory.teams(tenantId)]);
  if (!runtime) return err({ code: "not-found", message: `No authority "${tenantId}".` });
  const visible = dashboardTeams(person, allTeams);
  if (!visible.ok) return visible;
  const filters: DashboardFilters = {};
  if (input.filters.team) {
    const team = allTeams.find((t) => t.id === input.filters.team);
    if (!team) return err({ code: "invalid", message: `team: there is no team "${input.filters.team}" in this authority.` });
    if (!visible.value.some((t) => t.id === team.id)) {
      return err({ code: "forbidden", message: `${team.displayName} (${team.id}) is in the ${team.serviceArea} service area; you see ${person.serviceAreas.join(", ")} only.` });
    }
    filters.team = team.id;
  }
  if (input.filters.iro) {
    const iro = input.filters.iro.includes("@") ? await services.directory.personByUpn(tenantId, input.filters.iro) : await services.directory.personById(tenantId, input.filters.iro);
    if (!iro) return err({ code: "invalid", message: `iro: nobody "${input.filters.iro}" in this authority.` });
    filters.iro = iro.id;
  }
  if (input.filters.category) {
    if (!runtime.procedure.categories.some((c) => c.id === input.filters.category)) {
      return err({ code: "invalid", message: `category: the procedure has no category "${input.filters.category}".` });
    }
    filters.category = input.filters.category;
  }

  const rows = await services.dashboard.open(tenantId);
  const teamIds = new Set(visible.value.map((t) => t.id));
  const mine = rows.filter((r) => teamIds.has(r.team));

  // The newest page of failed deliveries (the rest are paged through GET /api/deliveries/failed), each row naming its team: QA sees every one; a manager those about their teams.
  const failedPage = await services.outbox.failed(tenantId, DASHBOARD_PAGE);
  const failed = failedPage.items.filter((x) => person.capabilities.includes("qa") || (x.team && teamIds.has(x.team)));

  return ok(dashboard({ now: services.clock.now(), calendar: runtime.calendar, disputes: mine, teams: visible.value, failed, failedMore: failedPage.next !== undefined, filters, labels: runtime.procedure, list: input.list, cursor: input.cursor }));
}
