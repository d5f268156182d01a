import { z } from "zod";
import { ChildSchema, text } from "../dispute/disputeSchema";
import type { EffectDraft } from "../dispute/effects";
import { type Actor, type PersonRef, PersonRefSchema, type Roster, type Source } from "../dispute/people";
import { describeIssues, type Procedure } from "../procedure/procedureSchema";
import { type Result, err, ok } from "../result";
import type { Rejection } from "../dispute/lifecycle";

/** Good practice an IRO saw, for a worker or a team (Blackburn 15, Lambeth 6). */
export const PositiveFeedbackDetailsSchema = z.object({
  /** The worker praised; omitted when it is the team's. */
  worker: PersonRefSchema.optional(),
  team: ChildSchema.shape.team,
  childReference: ChildSchema.shape.reference.optional(),
  feedback: text(4000),
});
export type PositiveFeedbackDetails = z.input<typeof PositiveFeedbackDetailsSchema>;

export interface PositiveFeedback {
  id: string;
  tenantId: string;
  recordedBy: PersonRef;
  recordedAt: string;
  source: Source;
  worker?: PersonRef;
  team: string;
  childReference?: string;
  feedback: string;
  /** The managers it was sent to, by role. */
  sentTo: { role: string; person: PersonRef }[];
}

/** Record good practice and send it to the managers the procedure names. */
export function recordPositiveFeedback(
  input: { id: string; tenantId: string; details: PositiveFeedbackDetails },
  ctx: { actor: Actor; now: Date; procedure: Procedure; roster: Roster; source: Source },
): Result<{ feedback: PositiveFeedback; effects: (EffectDraft & { kind: "notify" })[] }, Rejection> {
  if (ctx.actor.kind !== "person" || !ctx.actor.capabilities.includes("iro")) {
    return err({ code: "forbidden", message: "Only an IRO or CP chair records positive feedback." });
  }
  const parsed = PositiveFeedbackDetailsSchema.safeParse(input.details);
  if (!parsed.success) return err({ code: "invalid", message: describeIssues(parsed.error) });
  const d = parsed.data;
  const sentTo: PositiveFeedback["sentTo"] = [];
  for (const role of ctx.procedure.notify.positiveFeedback) {
    const person = ctx.roster[role];
    if (person && !sentTo.some((s) => s.person.id === person.id)) sentTo.push({ role, person });
  }
  if (!sentTo.length) {
    const roles = ctx.procedure.notify.positiveFeedback;
    const message = roles.length
      ? `Nobody holds ${roles.join(" or ")} for team ${d.team} to receive the feedback.`
      : `${ctx.procedure.authority}'s procedure names nobody to receive positive feedback.`;
    return err({ code: "invalid", message });
  }
  const feedback: PositiveFeedback = {
    id: input.id,
    tenantId: input.tenantId,
    recordedBy: ctx.actor.person,
    recordedAt: ctx.now.toISOString(),
    source: ctx.source,
    ...(d.worker ? { worker: d.worker } : {}),
    team: d.team,
    ...(d.childReference ? { childReference: d.childReference } : {}),
    feedback: d.feedback,
    sentTo,
  };
  const effects = sentTo.map(({ role, person }) => ({ kind: "notify" as const, notice: "positive-feedback" as const, to: person, role, channel: "teams" as const }));
  return ok({ feedback, effects });
}
