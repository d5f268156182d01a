import { absenceNote, coverOn, sentToCover } from "../../shared/directory/cover";
import type { EffectSubject } from "../../shared/dispute/delivery";
import { currentStage } from "../../shared/dispute/disputeSchema";
import type { Effect } from "../../shared/dispute/effects";
import { isPositiveFeedback } from "../../shared/feedback/positiveFeedback";
import type { AbsenceLookup } from "../ports";
import type { Services } from "./services";

/** The effect as it will be sent, and what the delivery record should say about its route. */
export type RouteEffect = (effect: Effect, subject: EffectSubject, tenantId: string) => Promise<{ effect: Effect; note?: string }>;

/**
 * Absence-aware routing, just before a notice is sent. While a person's cover stands (dates set by
 * an administrator or by the person), what would have gone to them goes to their cover and the
 * delivery says so ("sent to Adele Vance, covering for Megan Bowen"). With no cover, an alert is
 * checked against the holder's automatic replies where Graph can say: the alert still goes to them,
 * and the record tells the IRO when they are away past the deadline.
 */
export function createCoverRouting(deps: { services: Services; absence?: AbsenceLookup }): RouteEffect {
  return async (effect, subject, tenantId) => {
    if (effect.kind !== "notify") return { effect };
    const now = deps.services.clock.now();
    const cover = coverOn(await deps.services.administration.cover(tenantId, effect.to.id), now);
    if (cover) return { effect: { ...effect, to: cover.cover }, note: sentToCover(cover) };
    if (!deps.absence || effect.notice !== "alert" || isPositiveFeedback(subject)) return { effect };
    const away = await deps.absence.absence(effect.to, now);
    return away ? { effect, note: absenceNote(effect.to, away, currentStage(subject).dueAt) } : { effect };
  };
}
