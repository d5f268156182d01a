import { type PositiveFeedback, isPositiveFeedback } from "../feedback/positiveFeedback";
import { type Dispute, currentStage, isOpen } from "./disputeSchema";
import type { Effect } from "./effects";
import { samePerson } from "./people";

/** What an effect in the outbox is about: a dispute, or a good-practice record. */
export type EffectSubject = Dispute | PositiveFeedback;

/** Notices that ask someone to act now: pointless once the dispute moved on. */
const ACT_NOW = new Set(["alert", "reminder", "overdue", "deadline-extended"]);
/** Notices that ask the IRO to decide: pointless once the dispute is closed. */
const DECIDE = new Set(["deadline-passed", "hold-ended", "more-time-requested", "response-received", "cap-warning", "cap-passed", "holder-away"]);

/** Does this notice ask its recipient to do something (answer, or decide)? Then its mail carries the card to do it on. */
export const asksToAct = (notice: string): boolean => ACT_NOW.has(notice) || DECIDE.has(notice);

/**
 * Re-checked just before sending: does this effect still make sense for the dispute as it is now?
 * A reminder for a dispute resolved a second ago is dropped; a record of what happened (raised,
 * resolved, a referral…) always goes. Good practice goes to the managers its record says it was
 * sent to and to the worker it praises, as a good-practice notice, and nothing else.
 */
export function stillStands(effect: Effect, subject: EffectSubject): { ok: true } | { ok: false; why: string } {
  if (isPositiveFeedback(subject)) {
    // A manager's reply goes back to the IRO who recorded it, and to nobody else.
    if (effect.kind === "notify" && effect.notice === "feedback-reply") return samePerson(subject.recordedBy, effect.to) ? { ok: true } : { ok: false, why: "a reply goes only to the IRO who recorded it" };
    if (effect.kind !== "notify" || effect.notice !== "positive-feedback") return { ok: false, why: `a good-practice record sends no ${effect.kind === "notify" ? effect.notice : effect.kind}` };
    if (!subject.sentTo.some((s) => samePerson(s.person, effect.to)) && !samePerson(subject.worker, effect.to)) return { ok: false, why: "the record does not name this person to receive it" };
    return { ok: true };
  }
  const d = subject;
  if (effect.kind === "notify") {
    if (ACT_NOW.has(effect.notice)) {
      if (d.state !== "awaiting-response" && d.state !== "informal") return { ok: false, why: `dispute is ${d.state}` };
      const s = currentStage(d);
      if (!samePerson(s.assignee, effect.to) && !(s.jointAssignees ?? []).some((p) => samePerson(p, effect.to))) return { ok: false, why: "the dispute moved to someone else" };
      // A sweep that ran late fires a stage's reminders and its deadline together: the overdue notice says it all.
      if (effect.notice === "reminder" && currentStage(d).overdueSince) return { ok: false, why: "the deadline has passed" };
    }
    if (DECIDE.has(effect.notice) && !isOpen(d)) return { ok: false, why: `dispute is ${d.state}` };
  }
  if (effect.kind === "meeting" && (!isOpen(d) || d.stage !== effect.stage)) return { ok: false, why: "the stage the meeting was for has ended" };
  return { ok: true };
}

/** An effect the relay gave up on: shown on the dispute and to QA. */
export interface FailedDelivery {
  disputeId: string;
  effectId: string;
  kind: string;
  notice: string;
  to: string;
  lastError: string;
  failedAt: string;
  attempts: number;
  /** The team the dispute or good-practice record belongs to, when known. */
  team?: string;
}
