import { z } from "zod";
import { type Command, CommandSchema, DISPUTE_ACTIONS } from "../../shared/dispute/commands";
import type { Rejection } from "../../shared/dispute/lifecycle";
import type { Source } from "../../shared/dispute/people";
import { ACTION_LABELS, describeBody } from "../../shared/dispute/fieldLabels";
import { type Result, err } from "../../shared/result";
import type { DirectoryPerson } from "../ports";
import { actorOf } from "./actors";
import { type Applied, runCommand } from "./runCommand";
import type { Services } from "./services";

const ActionName = z.object({ action: z.enum(DISPUTE_ACTIONS) }).loose();

/** A person acts on a dispute (the API's and the card's actions): respond, escalate, hold… */
export async function actOnDispute(
  services: Services,
  input: { tenantId: string; disputeId: string; person: DirectoryPerson; body: unknown; source: Source; idempotencyKey?: string },
): Promise<Result<Applied, Rejection>> {
  const named = ActionName.safeParse(input.body);
  if (!named.success) return err({ code: "invalid", ...describeBody(named.error, {}) });
  let body: Record<string, unknown> = named.data;
  if (body.action === "reassign") {
    // People name the new holder by UPN; the dispute keeps the directory's record of them, and
    // nothing the caller sends can set an id or a name the directory does not hold.
    const label = ACTION_LABELS.reassign.to;
    if (typeof body.to !== "string") return err({ code: "invalid", message: `${label}: name the new holder by their UPN (a person of this authority), not as an object.`, field: "to" });
    const to = await services.directory.personByUpn(input.tenantId, body.to);
    if (!to) return err({ code: "invalid", message: `${label}: nobody with the UPN "${body.to}" in this authority.`, field: "to" });
    body = { ...body, to: { id: to.id, upn: to.upn, displayName: to.displayName } };
  }
  const parsed = CommandSchema.safeParse(body);
  if (!parsed.success) return err({ code: "invalid", ...describeBody(parsed.error, ACTION_LABELS[named.data.action]) });
  return runCommand(services, {
    tenantId: input.tenantId,
    disputeId: input.disputeId,
    command: body as Command,
    actor: actorOf(input.person),
    source: input.source,
    // Both callers (the API and the card) answer with the dispute as it now stands, history included.
    withHistory: true,
    ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
  });
}
