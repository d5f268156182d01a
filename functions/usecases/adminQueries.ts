import { EntraSearchSchema } from "../../shared/directory/adminBodies";
import type { Cover } from "../../shared/directory/cover";
import { type DirectoryChange, describeChange } from "../../shared/directory/directoryChange";
import type { Rejection } from "../../shared/dispute/lifecycle";
import type { PersonRef } from "../../shared/dispute/people";
import { describeIssues } from "../../shared/procedure/procedureSchema";
import { builtInProcedureIds } from "../../shared/procedures";
import { type Result, err, ok } from "../../shared/result";
import type { DirectoryPerson, EntraDirectory, EntraGroup, EntraPerson, TeamInfo } from "../ports";
import { roleTitle } from "../../shared/procedure/roleTitle";
import { WIDE, mayAdminister } from "./administer";
import type { Services } from "./services";

export interface RoleRow {
  /** A team id, or "*" for authority-wide. */
  scope: string;
  scopeName: string;
  role: string;
  roleTitle: string;
  holder: PersonRef | null;
}

/** GET /api/admin/directory: everything the Administration view shows. */
export interface DirectoryOverview {
  authority: string;
  people: DirectoryPerson[];
  teams: TeamInfo[];
  roles: RoleRow[];
  calendar: { closureDays: string[]; endOfDay: string };
  procedure: { id: string; authority: string; title: string; version: number; uploaded: boolean };
  builtIn: readonly string[];
  /** Roles the procedure names that a team (or the authority) must have someone for. */
  procedureRoles: { role: string; roleTitle: string }[];
  covers: Cover[];
  history: (DirectoryChange & { text: string })[];
}

export async function directoryOverview(services: Services, tenantId: string, caller: DirectoryPerson): Promise<Result<DirectoryOverview, Rejection>> {
  const allowed = mayAdminister(caller);
  if (!allowed.ok) return allowed;
  const a = services.administration;
  const [runtime, people, teams, roles, covers, changes] = await Promise.all([
    services.runtime(tenantId),
    a.people(tenantId),
    services.directory.teams(tenantId),
    a.roles(tenantId),
    a.covers(tenantId),
    a.changes(tenantId, 100),
  ]);
  if (!runtime) return err({ code: "not-found", message: `No authority "${tenantId}".` });
  const byId = new Map(people.map((p) => [p.id, p]));
  const p = runtime.procedure;
  const named = [...new Set([...p.stages, ...(p.reverse?.stages ?? [])].map((s) => s.role))];
  return ok({
    authority: runtime.config.displayName,
    people: people.sort((x, y) => x.displayName.localeCompare(y.displayName)),
    teams,
    roles: roles
      .map((r) => {
        const holder = byId.get(r.personId);
        return {
          scope: r.scope,
          scopeName: r.scope === WIDE ? "Authority-wide" : (teams.find((t) => t.id === r.scope)?.displayName ?? r.scope),
          role: r.role,
          roleTitle: roleTitle(p, r.role),
          holder: holder ? { id: holder.id, upn: holder.upn, displayName: holder.displayName } : null,
        };
      })
      .sort((x, y) => (x.scope === y.scope ? x.roleTitle.localeCompare(y.roleTitle) : x.scope === WIDE ? 1 : y.scope === WIDE ? -1 : x.scope.localeCompare(y.scope))),
    calendar: { closureDays: runtime.config.calendar.closureDays ?? [], endOfDay: runtime.config.calendar.endOfDay ?? "17:00" },
    procedure: { id: p.id, authority: p.authority, title: p.title, version: runtime.config.procedureVersion ?? 0, uploaded: runtime.config.procedure === "uploaded" },
    builtIn: builtInProcedureIds,
    procedureRoles: named.map((role) => ({ role, roleTitle: roleTitle(p, role) })),
    covers,
    history: changes.map((c) => ({ ...c, text: describeChange(c) })),
  });
}

/** People in the council's Entra tenant by name, each marked if already in the directory. */
export async function searchEntraPeople(
  services: Services,
  entra: EntraDirectory,
  tenantId: string,
  caller: DirectoryPerson,
  query: unknown,
): Promise<Result<(EntraPerson & { inDirectory: boolean })[], Rejection>> {
  const q = searched(caller, query);
  if (!q.ok) return q;
  const found = await entra.search(q.value);
  if (!found.ok) return err({ code: "busy", message: found.error });
  const known = await Promise.all(found.value.map((p) => services.directory.personByUpn(tenantId, p.upn)));
  return ok(found.value.map((p, i) => ({ ...p, inDirectory: !!known[i] })));
}

/** Groups in the council's Entra tenant by name, to add their members to a team. */
export async function searchEntraGroups(entra: EntraDirectory, caller: DirectoryPerson, query: unknown): Promise<Result<EntraGroup[], Rejection>> {
  const q = searched(caller, query);
  if (!q.ok) return q;
  const found = await entra.groups(q.value);
  return found.ok ? ok(found.value) : err({ code: "busy", message: found.error });
}

function searched(caller: DirectoryPerson, query: unknown): Result<string, Rejection> {
  const allowed = mayAdminister(caller);
  if (!allowed.ok) return allowed;
  const q = EntraSearchSchema.safeParse(query);
  return q.success ? ok(q.data.search) : err({ code: "invalid", message: describeIssues(q.error) });
}
