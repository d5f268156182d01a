import type { Command } from "../../shared/dispute/commands";
import { type Decision, type Rejection, decide } from "../../shared/dispute/lifecycle";
import type { Actor, Roster, Source } from "../../shared/dispute/people";
import { type Result, err, ok } from "../../shared/result";
import type { Services } from "./services";

const ATTEMPTS = 4;

/**
 * Load, decide, commit. When someone else committed first (ETag conflict), decide again against
 * the fresh state: the command applies on top of theirs, or is refused with the reason
 * ("already answered by … at …").
 */
export async function runCommand(
  services: Services,
  input: { tenantId: string; disputeId: string; command: Command; actor: Actor; source: Source; roster?: Roster },
): Promise<Result<Decision, Rejection>> {
  const runtime = await services.runtime(input.tenantId);
  if (!runtime) return err({ code: "not-found", message: `No authority "${input.tenantId}".` });
  let conflicted = false;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // A new dispute's id was just drawn: nothing to read until a clash says otherwise.
    const raising = input.command.action === "raise" || input.command.action === "raise-exception";
    const stored = raising && attempt === 0 ? undefined : await services.store.load(input.tenantId, input.disputeId);
    if (!stored && !raising) {
      return err({ code: "not-found", message: `No dispute ${input.disputeId}.` });
    }
    const decided = decide(stored?.dispute, input.command, {
      actor: input.actor,
      now: services.clock.now(),
      procedure: runtime.procedure,
      calendar: runtime.calendar,
      ...(input.roster ? { roster: input.roster } : {}),
      source: input.source,
    });
    if (!decided.ok) {
      // Our index rows went out for a commit that lost the race: put them back as committed.
      if (conflicted) await services.store.reproject(input.tenantId, input.disputeId, { force: true });
      return decided;
    }
    const committed = await services.store.commit(input.tenantId, stored, decided.value);
    if (committed.ok) return ok(decided.value);
    conflicted = true;
  }
  await services.store.reproject(input.tenantId, input.disputeId, { force: true });
  return err({ code: "busy", message: `Dispute ${input.disputeId} is changing too fast to act on; try again.` });
}
