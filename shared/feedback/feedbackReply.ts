import { z } from "zod";
import { text } from "../dispute/disputeSchema";
import type { Effect } from "../dispute/effects";
import type { Rejection } from "../dispute/lifecycle";
import { type Actor, type Source, samePerson } from "../dispute/people";
import { describeIssues } from "../procedure/procedureSchema";
import { type Result, err, ok } from "../result";
import type { FeedbackReply, PositiveFeedback, PositiveFeedbackEvent } from "./positiveFeedback";

// A manager replies to good practice they were sent (Blackburn 15: the managers "respond and
// return" the IRO's positive feedback template): the reply goes back to the IRO who recorded it.

/** The body of POST /api/feedback/{id}/replies and of the card's Reply: strict, so a misspelt field is named. */
export const FeedbackReplyBodySchema = z.strictObject({ reply: text(4000) });

/** A record holds this many replies at most: enough for a conversation, bounded like every row. */
export const MAX_REPLIES = 20;

export interface FeedbackReplied {
  feedback: PositiveFeedback;
  event: PositiveFeedbackEvent;
  /** To the IRO who recorded it: a card in Teams and a mail, through the outbox. */
  effects: Extract<Effect, { kind: "notify" }>[];
}

/** The managers it was sent to may reply; not the IRO, the worker praised, nor anyone else. */
export function mayReplyToFeedback(f: PositiveFeedback, actor: Actor): boolean {
  return actor.kind === "person" && f.sentTo.some((s) => samePerson(s.person, actor.person));
}

export function replyToFeedback(
  f: PositiveFeedback,
  body: unknown,
  ctx: { actor: Actor; now: Date; source: Source; version: number },
): Result<FeedbackReplied, Rejection> {
  if (ctx.actor.kind !== "person" || !mayReplyToFeedback(f, ctx.actor)) {
    return err({ code: "forbidden", message: `Only the managers good practice ${f.id} was sent to can reply to it.` });
  }
  const parsed = FeedbackReplyBodySchema.safeParse(body);
  if (!parsed.success) return err({ code: "invalid", message: describeIssues(parsed.error), field: "reply" });
  if ((f.replies?.length ?? 0) >= MAX_REPLIES) return err({ code: "conflict", message: `Good practice ${f.id} has its ${MAX_REPLIES} replies already.` });
  const by = ctx.actor.person;
  const reply: FeedbackReply = { text: parsed.data.reply, by, at: ctx.now.toISOString() };
  const version = ctx.version + 1;
  const event: PositiveFeedbackEvent = {
    id: `${f.id}:${version}`,
    feedbackId: f.id,
    tenantId: f.tenantId,
    version,
    action: "reply-positive-feedback",
    at: reply.at,
    actor: by,
    source: ctx.source,
    detail: { reply: reply.text, to: f.recordedBy },
  };
  // The same way the record went out: a card in Teams that does not fall back to mail, and the mail anyway.
  const effects: FeedbackReplied["effects"] = [
    { kind: "notify", id: `${f.id}:${version}:1`, disputeId: f.id, notice: "feedback-reply", to: f.recordedBy, role: null, channel: "teams", mailFallback: false },
    { kind: "notify", id: `${f.id}:${version}:2`, disputeId: f.id, notice: "feedback-reply", to: f.recordedBy, role: null, channel: "mail" },
  ];
  return ok({ feedback: { ...f, replies: [...(f.replies ?? []), reply] }, event, effects });
}
