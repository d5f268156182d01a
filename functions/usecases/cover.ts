import { type Absence, absenceNote, awayPastDeadline, coverOn, sentToCover } from "../../shared/directory/cover";
import type { EffectSubject } from "../../shared/dispute/delivery";
import { type Dispute, currentStage } from "../../shared/dispute/disputeSchema";
import { type Actor, samePerson } from "../../shared/dispute/people";
import type { Effect } from "../../shared/dispute/effects";
import { isPositiveFeedback } from "../../shared/feedback/positiveFeedback";
import type { AbsenceLookup } from "../ports";
import type { Services } from "./services";

/**
 * The effect as it will be sent, what the delivery record should say about its route, and, for an
 * alert whose holder is away past the deadline with nobody covering, their absence: the IRO is told.
 */
export type RouteEffect = (effect: Effect, subject: EffectSubject, tenantId: string) => Promise<{ effect: Effect; note?: string; awayPastDeadline?: Absence }>;

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
    const cover = coverOn(await deps.services.directory.cover(tenantId, effect.to.id), now);
    if (cover) return { effect: { ...effect, to: cover.cover }, note: sentToCover(cover) };
    if (!deps.absence || effect.notice !== "alert" || isPositiveFeedback(subject)) return { effect };
    const away = await deps.absence.absence(effect.to, now);
    if (!away) return { effect };
    const dueAt = currentStage(subject).dueAt;
    return { effect, note: absenceNote(effect.to, away, dueAt), ...(awayPastDeadline(away, dueAt) ? { awayPastDeadline: away } : {}) };
  };
}

/**
 * The actor, with the stage holder they stand in for when an administrator or the holder set them
 * as the holder's cover for today: they may then answer, acknowledge and ask for more time.
 */
export async function withCover(services: Services, tenantId: string, d: Dispute, actor: Actor, now: Date): Promise<Actor> {
  if (actor.kind !== "person") return actor;
  const s = currentStage(d);
  for (const holder of [s.assignee, ...(s.jointAssignees ?? [])]) {
    const cover = coverOn(await services.directory.cover(tenantId, holder.id), now);
    if (cover && samePerson(cover.cover, actor.person)) return { ...actor, coverFor: holder };
  }
  return actor;
}
