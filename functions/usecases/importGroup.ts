import { ImportGroupBodySchema } from "../../shared/directory/adminBodies";
import type { Rejection } from "../../shared/dispute/lifecycle";
import { describeIssues } from "../../shared/procedure/procedureSchema";
import { type Result, err, ok } from "../../shared/result";
import type { EntraDirectory } from "../ports";
import { type Administrator, mayAdminister, putPerson } from "./administer";
import type { Services } from "./services";

export interface GroupImport {
  added: string[];
  joined: string[];
  already: string[];
  /** Members who could not be added, with the reason. */
  refused: { displayName: string; reason: string }[];
}

/**
 * Add an Entra group's members to a team: those not yet in the directory are added (with their
 * Entra object id), those already in it join the team; each is one audited change, as if made by
 * hand. A one-off import, run again to pick up new members; nobody is taken out of a team.
 */
export async function importGroup(services: Services, entra: EntraDirectory, who: Administrator, teamId: string, body: unknown): Promise<Result<GroupImport, Rejection>> {
  const allowed = mayAdminister(who.person);
  if (!allowed.ok) return allowed;
  const b = ImportGroupBodySchema.safeParse(body);
  if (!b.success) return err({ code: "invalid", message: describeIssues(b.error) });
  if (!(await services.directory.team(who.tenantId, teamId))) return err({ code: "not-found", message: `There is no team "${teamId}" in this authority; add it first.` });
  const members = await entra.members(b.data.groupId);
  if (!members.ok) return err({ code: "busy", message: members.error });
  if (!members.value) return err({ code: "invalid", message: `groupId: there is no group ${b.data.groupId} in the organisation.` });
  const result: GroupImport = { added: [], joined: [], already: [], refused: [] };
  // One at a time: each is a change of its own, audited in order.
  for (const m of members.value) {
    const existing = await services.directory.personByUpn(who.tenantId, m.upn);
    const change = await putPerson(services, who, m.upn, {
      displayName: existing?.displayName ?? m.displayName,
      capabilities: existing?.capabilities ?? [],
      teams: [...new Set([...(existing?.teams ?? []), teamId])],
      ...(existing ? {} : { entraId: m.entraId }),
    });
    if (!change.ok) result.refused.push({ displayName: m.displayName, reason: change.error.message });
    else (change.value.changed ? (existing ? result.joined : result.added) : result.already).push(m.displayName);
  }
  return ok(result);
}
