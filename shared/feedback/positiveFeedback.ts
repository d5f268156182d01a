import { z } from "zod";
import { ChildSchema, text } from "../dispute/disputeSchema";
import type { Effect } from "../dispute/effects";
import { type Actor, type PersonRef, PersonRefSchema, type Roster, type Source, samePerson } from "../dispute/people";
import { FEEDBACK_LABELS, describeBody } from "../dispute/fieldLabels";
import type { Procedure } from "../procedure/procedureSchema";
import { roleTitle } from "../procedure/roleTitle";
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

/** Good-practice records are quoted like disputes: G-7K3F9Q ("good"), never mistaken for a D- dispute. */
export const FEEDBACK_ID_PREFIX = "G-";
export const isFeedbackId = (id: string) => id.startsWith(FEEDBACK_ID_PREFIX);

export interface PositiveFeedback {
  id: string;
  tenantId: string;
  recordedBy: PersonRef;
  recordedAt: string;
  source: Source;
  worker?: PersonRef;
  team: string;
  /** The team's name in the directory when it was recorded. */
  teamName?: string;
  childReference?: string;
  feedback: string;
  /** The managers it was sent to, by role. */
  sentTo: { role: string; person: PersonRef }[];
  /** A manager's replies, each returned to the IRO who recorded it. */
  replies?: FeedbackReply[];
}

/** A manager's answer to good practice they were sent: it goes back to the IRO. */
export interface FeedbackReply {
  text: string;
  by: PersonRef;
  at: string;
}

/** What an effect is about: a dispute, or a good-practice record (they share the outbox and the relay). */
export function isPositiveFeedback(subject: object): subject is PositiveFeedback {
  return "sentTo" in subject && "feedback" in subject && !("state" in subject);
}

/** The audit event of a good-practice record: who recorded it, when, from where, and who was sent it. */
export type PositiveFeedbackEvent = {
  /** `${feedbackId}:${version}`: recorded at 1, each manager's reply after. */
  id: string;
  feedbackId: string;
  tenantId: string;
  version: number;
  at: string;
  actor: PersonRef;
  source: Source;
} & (
  | { action: "record-positive-feedback"; detail: { team: string; worker?: PersonRef; childReference?: string; sentTo: PositiveFeedback["sentTo"] } }
  | { action: "reply-positive-feedback"; detail: { reply: string; to: PersonRef } }
);

export interface FeedbackRecorded {
  feedback: PositiveFeedback;
  event: PositiveFeedbackEvent;
  /** For each manager, and the worker praised: the card in Teams and the mail, delivered through the outbox. */
  effects: Extract<Effect, { kind: "notify" }>[];
}

/** Only an IRO or CP chair records good practice: checked before anything else is looked up. */
export function mayRecordPositiveFeedback(actor: Actor): Rejection | undefined {
  return actor.kind === "person" && actor.capabilities.includes("iro") ? undefined : { code: "forbidden", message: "Only an IRO or CP chair records positive feedback." };
}

/** Record good practice and send it to the managers the procedure names, as a Teams card and as mail. */
export function recordPositiveFeedback(
  input: { id: string; tenantId: string; details: PositiveFeedbackDetails; teamName?: string },
  ctx: { actor: Actor; now: Date; procedure: Procedure; roster: Roster; source: Source },
): Result<FeedbackRecorded, Rejection> {
  const refused = mayRecordPositiveFeedback(ctx.actor);
  if (refused || ctx.actor.kind !== "person") return err(refused!);
  const parsed = PositiveFeedbackDetailsSchema.safeParse(input.details);
  if (!parsed.success) return err({ code: "invalid", ...describeBody(parsed.error, FEEDBACK_LABELS) });
  const d = parsed.data;
  const sentTo: PositiveFeedback["sentTo"] = [];
  for (const role of ctx.procedure.notify.positiveFeedback) {
    const person = ctx.roster[role];
    if (person && !sentTo.some((s) => s.person.id === person.id)) sentTo.push({ role, person });
  }
  if (!sentTo.length) {
    const roles = ctx.procedure.notify.positiveFeedback;
    const message = roles.length
      ? `Nobody holds the ${roles.map((r) => roleTitle(ctx.procedure, r)).join(" or the ")} role for ${input.teamName ?? "the team"} to receive the feedback.`
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
    ...(input.teamName ? { teamName: input.teamName } : {}),
    ...(d.childReference ? { childReference: d.childReference } : {}),
    feedback: d.feedback,
    sentTo,
  };
  const event: PositiveFeedbackEvent = {
    id: `${input.id}:1`,
    feedbackId: input.id,
    tenantId: input.tenantId,
    version: 1,
    action: "record-positive-feedback",
    at: feedback.recordedAt,
    actor: feedback.recordedBy,
    source: ctx.source,
    detail: { team: d.team, ...(d.worker ? { worker: d.worker } : {}), ...(d.childReference ? { childReference: d.childReference } : {}), sentTo },
  };
  // The worker praised is told too, in Teams and by mail, unless they are one of the managers already.
  const worker = d.worker && !sentTo.some((x) => samePerson(x.person, d.worker)) ? [{ role: null, person: d.worker }] : [];
  // Ids as a dispute's: record, version 1, position; the Teams card does not fall back to mail, the mail goes anyway.
  const effects = [...sentTo, ...worker].flatMap(({ role, person }, i) => [
    { kind: "notify" as const, id: `${input.id}:1:${2 * i + 1}`, disputeId: input.id, notice: "positive-feedback" as const, to: person, role, channel: "teams" as const, mailFallback: false as const },
    { kind: "notify" as const, id: `${input.id}:1:${2 * i + 2}`, disputeId: input.id, notice: "positive-feedback" as const, to: person, role, channel: "mail" as const },
  ]);
  return ok({ feedback, event, effects });
}
