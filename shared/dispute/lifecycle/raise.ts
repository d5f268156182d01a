import { formatLongDay, londonDate } from "../../calendar/londonTime";
import type { Procedure, Stage } from "../../procedure/procedureSchema";
import { type Result, ok } from "../../result";
import type { CommandOf, RaiseDetails } from "../commands";
import { type Dispute, type LadderSnapshot, currentStage } from "../disputeSchema";
import { RAISE_LABELS } from "../fieldLabels";
import type { Actor, PersonRef, Roster } from "../people";
import { type Change, type DecideContext, type Rejection, reject } from "./change";
import { notice, peopleIn } from "./drafts";
import { raisersInWords, raisesExceptionAs } from "./exceptionRaisers";
import { enterStage, informalStage, isSkipped, ratificationStage, responseDaysFor, skippedDetail, stageOf } from "./stages";

// Raising a dispute: on the ladder from its start stage, or straight to the exception stage.

function resolveCategory(procedure: Procedure, details: { category: string; reason: string }): Result<{ category: string; reason: string }, Rejection> {
  const category = procedure.categories.find((c) => c.id === details.category);
  if (!category) {
    return reject("invalid", `${RAISE_LABELS.category}: "${details.category}" is not a category of ${procedure.authority}'s procedure; choose one of ${procedure.categories.map((c) => `${c.label} (${c.id})`).join(", ")}.`, "category");
  }
  const wanted = details.reason.trim().toLowerCase();
  const reason = category.reasons.find((r) => r.id === wanted || r.label.toLowerCase() === wanted);
  if (!reason) {
    return reject("invalid", `${RAISE_LABELS.reason}: "${details.reason}" is not a reason under ${category.label}; choose one of ${category.reasons.map((r) => `${r.label} (${r.id})`).join(", ")}.`, "reason");
  }
  return ok({ category: category.id, reason: reason.id });
}

function snapshotLadder(procedure: Procedure, direction: "standard" | "reverse", roster: Roster): LadderSnapshot {
  return {
    procedureId: procedure.id,
    direction,
    informal: procedure.informal,
    stages: direction === "reverse" ? procedure.reverse!.stages : procedure.stages,
    capWorkingDays: procedure.capWorkingDays,
    capWarningDays: procedure.capWarningDays,
    ...(procedure.firstResponseMaxDays ? { firstResponseMaxDays: procedure.firstResponseMaxDays } : {}),
    onDeadline: procedure.onDeadline,
    ...(procedure.reviewDecisions ? { reviewDecisions: { role: procedure.reviewDecisions.role, days: procedure.reviewDecisions.days, contestStage: procedure.reviewDecisions.contestStage } } : {}),
    ...(procedure.closeBy ? { closeBy: procedure.closeBy } : {}),
    reminders: procedure.reminders,
    notify: {
      onResolve: procedure.notify.onResolve,
      beforeReferral: procedure.notify.beforeReferral,
      qualityAssurance: procedure.notify.qualityAssurance,
      ...(procedure.notify.chains.length ? { chains: procedure.notify.chains } : {}),
    },
    ...(procedure.consultations.length ? { consultations: procedure.consultations } : {}),
    ...(procedure.childContacts ? { childContacts: procedure.childContacts } : {}),
    roster,
  };
}

/** The child's team by its name where the caller gave it, never its id. */
const teamWords = (name: string | undefined) => name ?? "the child's team";

/** Rung pre-flight: every stage the dispute could climb to has somebody to receive it, but for "where applicable" stages. */
function preflight(stages: readonly Stage[], roster: Roster, team: string | undefined): Result<true, Rejection> {
  for (const s of stages) {
    if (!roster[s.role] && !s.optional) {
      return reject(
        "invalid",
        `Stage ${s.stage} (${s.title}) has nobody assigned for ${teamWords(team)}: ask QA to set who holds it before raising. Nothing was sent.`,
      );
    }
  }
  return ok(true);
}

function newDispute(
  c: { disputeId: string; tenantId: string },
  details: Omit<RaiseDetails, "startStage" | "timescaleDays"> & { category: string; reason: string },
  ladder: LadderSnapshot,
  raisedBy: PersonRef,
  ctx: DecideContext,
  direction: "standard" | "reverse",
): Dispute {
  return {
    id: c.disputeId,
    tenantId: c.tenantId,
    version: 0,
    direction,
    state: "informal",
    stage: 0,
    raisedBy,
    raisedAt: ctx.now.toISOString(),
    raisedFrom: ctx.source,
    child: details.child,
    category: details.category,
    reason: details.reason,
    concerns: details.concerns,
    outcomesSought: details.outcomesSought,
    ...(details.reviewDate ? { reviewDate: details.reviewDate } : {}),
    ...(details.sourceEmail ? { sourceEmail: details.sourceEmail } : {}),
    ...(details.childContacts ? { childContacts: details.childContacts } : {}),
    ladder,
    stages: [],
    referrals: [],
    timers: [],
    updatedAt: ctx.now.toISOString(),
  } as unknown as Dispute;
}

export function raise(c: CommandOf<"raise">, ctx: DecideContext): Result<Change, Rejection> {
  const { actor, procedure } = ctx;
  if (actor.kind !== "person") return reject("forbidden", "A dispute is raised by a person.");
  if (c.direction === "standard" && !actor.capabilities.includes("iro")) {
    return reject("forbidden", "Only an IRO or CP chair can raise a dispute; the service raises a concern about an IRO as a reverse dispute.");
  }
  if (c.direction === "reverse" && !procedure.reverse) {
    return reject("invalid", `${procedure.authority}'s procedure has no reverse process for concerns about an IRO.`, "direction");
  }
  const roster = ctx.roster ?? {};
  const ladder = snapshotLadder(procedure, c.direction, roster);
  if (c.details.ratification) return raiseRatification(c, ctx, ladder);
  const { startStage, timescaleDays } = c.details;
  if (startStage === 0 && (!ladder.informal.enabled || c.direction === "reverse")) {
    return reject("invalid", `${RAISE_LABELS.startStage}: ${procedure.authority}'s procedure has no informal stage here; start at stage 1 or above.`, "startStage");
  }
  if (startStage > ladder.stages.length) {
    return reject("invalid", `${RAISE_LABELS.startStage}: the ladder has ${ladder.stages.length} stages; ${startStage} is not one of them.`, "startStage");
  }
  const category = resolveCategory(procedure, c.details);
  if (!category.ok) return category;
  const start = startStage === 0 ? informalStage(ladder) : stageOf(ladder, startStage)!;
  if (isSkipped(ladder, start)) {
    return reject("invalid", `${RAISE_LABELS.startStage}: stage ${start.stage} (${start.title}) applies only where someone holds it, and nobody does for ${teamWords(ctx.teamName)}; start at another stage.`, "startStage");
  }
  const climbable = ladder.stages.filter((s) => s.stage >= Math.max(1, startStage));
  const ready = preflight(startStage === 0 ? [start, ...climbable] : climbable, roster, ctx.teamName);
  if (!ready.ok) return ready;
  const days = responseDaysFor(ladder, start, timescaleDays, true);
  if (!days.ok) return days;

  const countFrom = startStage === 0 ? informalCountFrom(ladder, c.details.reviewDate, days.value ?? ladder.informal.defaultDays, ctx) : ok(ctx.now);
  if (!countFrom.ok) return countFrom;
  const draft = newDispute(c, { ...c.details, ...category.value }, ladder, actor.person, ctx, c.direction);
  const entered = enterStage(draft, start, days.value, ctx, countFrom.value);
  const effects = [...entered.effects];
  const told = peopleIn(procedure.notify.onRaise, roster, [actor.person, currentStage(entered.dispute).assignee]);
  for (const { role, person } of told.people) effects.push(notice(person, "raised", role, "mail"));
  return ok({
    dispute: entered.dispute,
    effects,
    reschedule: true,
    detail: {
      direction: c.direction,
      startStage,
      bypassed: startStage > 1 ? ladder.stages.filter((s) => s.stage < startStage && !isSkipped(ladder, s)).map((s) => s.stage) : [],
      ...skippedDetail(ladder.stages.filter((s) => isSkipped(ladder, s)).map((s) => s.stage)),
      responseDays: days.value,
      ...raisedDetail(entered.dispute, procedure, told),
    },
  });
}

/**
 * Where the informal window is counted from: the raise, or the review where the procedure says
 * "within N working days of the review"; a window already over cannot be started.
 */
function informalCountFrom(ladder: LadderSnapshot, reviewDate: string | undefined, days: number, ctx: DecideContext): Result<Date, Rejection> {
  if (ladder.informal.from !== "review") return ok(ctx.now);
  return countFromReview(reviewDate, days, ctx, "the informal stage");
}

function countFromReview(reviewDate: string | undefined, days: number, ctx: DecideContext, what: string): Result<Date, Rejection> {
  if (!reviewDate) return reject("invalid", `${RAISE_LABELS.reviewDate}: this procedure counts ${what} from the review, so give the review date.`, "reviewDate");
  if (reviewDate > londonDate(ctx.now)) return reject("invalid", `${RAISE_LABELS.reviewDate}: ${formatLongDay(reviewDate)} is in the future; ${what} is counted from a review that has been held.`, "reviewDate");
  const from = ctx.calendar.endOfWorkingDay(reviewDate);
  const dueAt = ctx.calendar.deadline(from, days);
  if (dueAt <= ctx.now) {
    return reject("invalid", `${RAISE_LABELS.reviewDate}: ${what} ran ${days} working days from the review on ${formatLongDay(reviewDate)} and ended on ${formatLongDay(londonDate(dueAt))}; start at a formal stage.`, "reviewDate");
  }
  return ok(from);
}

/**
 * The review-decision window (Redbridge 2.2, Blackburn 13, IRO guidance 1): an alert of its own to
 * the role that ratifies the review's recommendations, due N working days after the review.
 */
function raiseRatification(c: CommandOf<"raise">, ctx: DecideContext, ladder: LadderSnapshot): Result<Change, Rejection> {
  const { procedure } = ctx;
  const window = ladder.reviewDecisions;
  if (!window || c.direction === "reverse") return reject("invalid", `${procedure.authority}'s procedure has no review-decision window.`, "ratification");
  const category = resolveCategory(procedure, c.details);
  if (!category.ok) return category;
  const start = ratificationStage(ladder);
  const ready = preflight([start, ...ladder.stages.filter((s) => s.stage >= window.contestStage)], ladder.roster, ctx.teamName);
  if (!ready.ok) return ready;
  const from = countFromReview(c.details.reviewDate, window.days, ctx, "the review-decision window");
  if (!from.ok) return from;
  const draft = newDispute(c, { ...c.details, ...category.value }, ladder, (ctx.actor as Extract<Actor, { kind: "person" }>).person, ctx, "standard");
  const entered = enterStage({ ...draft, ratification: true }, start, window.days, ctx, from.value);
  const told = peopleIn([], ladder.roster);
  return ok({
    dispute: entered.dispute,
    effects: entered.effects,
    reschedule: true,
    detail: { ratification: true, reviewDate: c.details.reviewDate, responseDays: window.days, contestStage: window.contestStage, ...raisedDetail(entered.dispute, procedure, told) },
  });
}

/** What the record and the reports need to know of a new dispute. */
function raisedDetail(d: Dispute, procedure: Procedure, told: ReturnType<typeof peopleIn>) {
  return {
    category: d.category,
    reason: d.reason,
    // Reference and initials only, for the monthly report's outcomes narrative.
    childReference: d.child.reference,
    childInitials: d.child.initials,
    team: d.child.team,
    legalStatus: d.child.legalStatus,
    procedureId: procedure.id,
    assignee: currentStage(d).assignee,
    told: told.people.map((p) => p.role),
    notTold: told.missing,
  };
}

/**
 * An exception (Lambeth 9): raised by whoever first comes to know, as the procedure allows, it goes
 * straight to the procedure's exception stage, and those it names are told at once; raised by
 * someone who is not an IRO, the IRO service is told too, so an IRO can take it on.
 */
export function raiseException(c: CommandOf<"raise-exception">, ctx: DecideContext): Result<Change, Rejection> {
  const { actor, procedure } = ctx;
  const roster = ctx.roster ?? {};
  const raisedAs = raisesExceptionAs(procedure, actor, roster);
  if (actor.kind !== "person" || !raisedAs) {
    return reject("forbidden", `${procedure.authority}'s procedure lets ${raisersInWords(procedure)} raise an exception, and you are not among them.`);
  }
  const kind = procedure.exceptions.kinds.find((k) => k.id === c.exceptionKind);
  if (!kind) {
    return reject("invalid", `Exception: "${c.exceptionKind}" is not an exception in ${procedure.authority}'s procedure; choose one of ${procedure.exceptions.kinds.map((k) => `${k.label} (${k.id})`).join(", ")}.`, "exceptionKind");
  }
  const ladder = snapshotLadder(procedure, "standard", roster);
  const category = resolveCategory(procedure, c.details);
  if (!category.ok) return category;
  const start = stageOf(ladder, procedure.exceptions.stage)!;
  const ready = preflight(ladder.stages.filter((s) => s.stage >= start.stage), roster, ctx.teamName);
  if (!ready.ok) return ready;
  const draft = newDispute(c, { ...c.details, ...category.value }, ladder, actor.person, ctx, "standard");
  const exception = { kind: kind.id, declaredAt: ctx.now.toISOString(), ...(raisedAs === "iro" ? {} : { raisedAs }) };
  const entered = enterStage({ ...draft, exception }, start, start.responseDays, ctx);
  const roles = raisedAs === "iro" ? procedure.notify.onException : [...procedure.notify.onException, ...(procedure.exceptions.notifyWhenNotIro ?? procedure.notify.qualityAssurance)];
  const told = peopleIn(roles, roster, [actor.person]);
  const effects = [...entered.effects, ...told.people.map(({ role, person }) => notice(person, "exception", role, "mail"))];
  return ok({
    dispute: entered.dispute,
    effects,
    reschedule: true,
    detail: {
      exception: kind.id,
      ...(raisedAs === "iro" ? {} : { raisedAs }),
      startStage: start.stage,
      ...raisedDetail(entered.dispute, procedure, told),
    },
  });
}
