import { z } from "zod";
import { type Command, CommandSchema, DISPUTE_ACTIONS } from "../../shared/dispute/commands";
import type { Decision, Rejection } from "../../shared/dispute/lifecycle";
import type { Source } from "../../shared/dispute/people";
import { describeIssues } from "../../shared/procedure/procedureSchema";
import { type Result, err } from "../../shared/result";
import type { DirectoryPerson } from "../ports";
import { actorOf } from "./actors";
import { runCommand } from "./runCommand";
import type { Services } from "./services";

const ActionName = z.object({ action: z.enum(DISPUTE_ACTIONS, { error: `must be one of ${DISPUTE_ACTIONS.join(", ")}` }) }).loose();

/** A person acts on a dispute (the API's and the card's actions): respond, escalate, hold… */
export async function actOnDispute(
  services: Services,
  input: { tenantId: string; disputeId: string; person: DirectoryPerson; body: unknown; source: Source },
): Promise<Result<Decision, Rejection>> {
  const named = ActionName.safeParse(input.body);
  if (!named.success) return err({ code: "invalid", message: describeIssues(named.error) });
  let body: Record<string, unknown> = named.data;
  if (body.action === "reassign" && typeof body.to === "string") {
    // People name the new holder by UPN; the dispute keeps the directory's record of them.
    const to = await services.directory.personByUpn(input.tenantId, body.to);
    if (!to) return err({ code: "invalid", message: `to: nobody with the UPN "${body.to}" in this authority.` });
    body = { ...body, to: { id: to.id, upn: to.upn, displayName: to.displayName } };
  }
  const parsed = CommandSchema.safeParse(body);
  if (!parsed.success) return err({ code: "invalid", message: describeIssues(parsed.error) });
  return runCommand(services, {
    tenantId: input.tenantId,
    disputeId: input.disputeId,
    command: body as Command,
    actor: actorOf(input.person),
    source: input.source,
  });
}
