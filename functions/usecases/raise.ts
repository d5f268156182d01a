import { RaiseDetailsSchema } from "../../shared/dispute/commands";
import type { Rejection } from "../../shared/dispute/lifecycle";
import type { Source } from "../../shared/dispute/people";
import { RAISE_LABELS, describeBody } from "../../shared/dispute/fieldLabels";
import { type Result, err } from "../../shared/result";
import type { DirectoryPerson } from "../ports";
import { actorOf } from "./actors";
import { isAdministrator } from "./administer";
import { type Applied, runCommand } from "./runCommand";
import type { Services } from "./services";

export interface RaiseInput {
  tenantId: string;
  raisedBy: DirectoryPerson;
  source: Source;
  /** The form as sent: checked here. */
  details: unknown;
  direction?: "standard" | "reverse";
  /** Raise as an exception (child death…): straight to the DCS stage. */
  exceptionKind?: string;
  /** The client's key for retrying this raise: sent again, it answers with the dispute it made. */
  idempotencyKey?: string;
}

/** Raise a dispute: check the form, find who holds each role for the child's team, then decide. */
export async function raiseDispute(services: Services, input: RaiseInput): Promise<Result<Applied, Rejection>> {
  const parsed = RaiseDetailsSchema.safeParse(input.details);
  if (!parsed.success) return err({ code: "invalid", ...describeBody(parsed.error, RAISE_LABELS) });
  const details = parsed.data;
  const team = await services.directory.team(input.tenantId, details.child.team);
  if (!team) return err({ code: "invalid", message: `${RAISE_LABELS["child.team"]}: there is no team "${details.child.team}" in this authority.`, field: "child.team" });
  const roster = await services.directory.roster(input.tenantId, team.id);
  const actor = actorOf(input.raisedBy);
  // A fresh id that happens to exist already is refused as a conflict: draw another.
  for (let attempt = 0; attempt < 3; attempt++) {
    // With a key, the first try's id comes from it: a retried raise finds its own dispute there.
    const seeded = input.idempotencyKey && attempt === 0;
    const disputeId = seeded ? services.newDisputeId(`${input.tenantId}\n${input.raisedBy.id}\n${input.idempotencyKey}`) : services.newDisputeId();
    const command = input.exceptionKind
      ? { action: "raise-exception" as const, disputeId, tenantId: input.tenantId, exceptionKind: input.exceptionKind, details }
      : { action: "raise" as const, disputeId, tenantId: input.tenantId, direction: input.direction ?? "standard", details };
    const result = await runCommand(services, { tenantId: input.tenantId, disputeId, command, actor, source: input.source, roster, teamName: team.displayName, ...(seeded ? { idempotencyKey: input.idempotencyKey! } : {}) });
    if (!result.ok && result.error.code === "invalid" && result.error.message.includes("has nobody assigned")) return err({ ...result.error, message: `${result.error.message} ${await whoCanFix(services, input.tenantId)}` });
    if (result.ok || !(result.error.code === "conflict" && result.error.message.includes("already exists"))) return result;
  }
  return err({ code: "conflict", message: "Could not find a free dispute id; try again." });
}

/** The ladder's pre-flight names the stage and role nobody holds; the directory says who can put it right. */
async function whoCanFix(services: Services, tenantId: string): Promise<string> {
  const admins = (await services.administration.people(tenantId)).filter(isAdministrator);
  if (!admins.length) return "The authority has no administrator to set who holds it.";
  return `The authority's administrators can set who holds it: ${admins.map((a) => `${a.displayName} (${a.upn})`).join(", ")}.`;
}
