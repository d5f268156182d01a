import { formatLongDay, londonDate } from "../../calendar/londonTime";
import type { Stage } from "../../procedure/procedureSchema";
import { ok } from "../../result";
import type { ChildVoice } from "../commands";
import { type Dispute, type StageRecord, currentStage } from "../disputeSchema";
import type { EffectDraft } from "../effects";
import { type Actor, samePerson } from "../people";
import { roleTitle } from "../../procedure/roleTitle";
import { ACTION_LABELS } from "../fieldLabels";
import { type Change, type DecideContext, type Handler, reject } from "./change";
import { calendarEntries, cardUpdate, notice, peopleIn } from "./drafts";
import { closeStage, enterStage, isSkipped, nextStage, replaceCurrent, responseDaysFor, skippedBetween, skippedDetail, stageOf } from "./stages";

// The IRO's decisions: escalate, extend the deadline, resolve, withdraw, reassign.

export const escalate: Handler<"escalate"> = (d, c, ctx) => {
  const top = d.ladder.stages.length;
  // A contested ratification goes to the stage the procedure names (Redbridge 2.2: stage 2 where applicable, or 3).
  const floor = d.ratification && d.stage === 0 && d.ladder.reviewDecisions ? d.ladder.reviewDecisions.contestStage : d.stage + 1;
  const next = nextStage(d.ladder, floor - 1);
  if (d.stage >= top || (!next && c.toStage === undefined)) {
    return reject("conflict", `Stage ${d.stage} (${currentStage(d).title}) is the top of the ladder: resolve the dispute, or refer it to CAFCASS or the LSCP.`);
  }
  const to = c.toStage ?? next!.stage;
  const toStage = ACTION_LABELS.escalate.toStage;
  if (to <= d.stage) return reject("invalid", `${toStage}: a dispute only climbs; it stands at stage ${d.stage}, so choose a stage above it.`, "toStage");
  if (to < floor) return reject("invalid", `${toStage}: contested review recommendations go to stage ${floor} or above, as the procedure says.`, "toStage");
  const target = stageOf(d.ladder, to);
  if (!target) return reject("invalid", `${toStage}: the ladder has ${top} stages; ${to} is not one of them.`, "toStage");
  if (isSkipped(d.ladder, target)) {
    return reject("invalid", `${toStage}: stage ${to} (${target.title}) applies only where someone holds it, and nobody does for this dispute; choose another stage.`, "toStage");
  }
  const days = responseDaysFor(d.ladder, target, c.timescaleDays, d.stage === 0);
  if (!days.ok) return days;
  const change = climb(d, target, days.value, c.rationale, ctx);
  if (!c.childVoice) return ok(change);
  return ok({ ...change, dispute: withChildVoice(change.dispute, d.stage, "escalate", c.childVoice, ctx), detail: { ...change.detail, childVoice: c.childVoice } });
};

export function climb(d: Dispute, target: Stage, days: number | undefined, rationale: string, ctx: DecideContext): Change {
  const from = d.stage;
  const closed = closeStage(d, "escalated", ctx, rationale);
  const entered = enterStage(closed.dispute, target, days, ctx);
  const previous = currentStage(d).assignee;
  const effects = [...closed.effects, ...entered.effects, cardUpdate];
  // The previous holder is told it moved on, unless the new stage already tells them (its holder, or in its notify list).
  if (!entered.effects.some((e) => e.kind === "notify" && samePerson(e.to, previous))) effects.push(notice(previous, "stage-notice", currentStage(d).role, "mail"));
  if (ctx.actor.kind === "person" && !samePerson(ctx.actor.person, d.raisedBy) && !samePerson(previous, d.raisedBy)) {
    effects.push(notice(d.raisedBy, "stage-notice", null, "teams"));
  }
  return {
    dispute: entered.dispute,
    effects,
    reschedule: true,
    detail: {
      fromStage: from,
      toStage: target.stage,
      bypassed: d.ladder.stages.filter((s) => s.stage > from && s.stage < target.stage && !isSkipped(d.ladder, s)).map((s) => s.stage),
      ...skippedDetail(skippedBetween(d.ladder, from, target.stage)),
      rationale,
      responseDays: days,
      assignee: currentStage(entered.dispute).assignee,
    },
  };
}

export const extend: Handler<"extend"> = (d, c, ctx) => {
  const s = currentStage(d);
  if (c.until < londonDate(ctx.now)) return reject("invalid", `New due date: ${formatLongDay(c.until)} has passed; choose a later working day. Nothing was changed.`, "until");
  if (!ctx.calendar.isWorkingDay(c.until)) return reject("invalid", `New due date: ${formatLongDay(c.until)} is not a working day. Nothing was changed.`, "until");
  const dueAt = ctx.calendar.endOfWorkingDay(c.until);
  if (dueAt <= ctx.now) return reject("invalid", `New due date: the working day ${formatLongDay(c.until)} has ended; choose a later one. Nothing was changed.`, "until");
  const moved: StageRecord = { ...s, dueAt: dueAt.toISOString(), overdueSince: undefined, moreTimeRequested: undefined };
  const dispute = replaceCurrent(d, moved);
  return ok({
    dispute,
    effects: [...calendarEntries(dispute, moved, "upsert"), notice(s.assignee, "deadline-extended", s.role, "teams"), cardUpdate],
    reschedule: true,
    detail: { stage: s.stage, from: s.dueAt, to: moved.dueAt, reason: c.reason, answersRequest: !!s.moreTimeRequested },
  });
};

function finish(d: Dispute, how: "resolved" | "withdrawn", text: string, ctx: DecideContext, impact?: string): Change {
  const person = (ctx.actor as Extract<Actor, { kind: "person" }>).person;
  const closed = closeStage(d, how, ctx, text);
  const s = currentStage(d);
  const effects: EffectDraft[] = [...closed.effects];
  if (!samePerson(s.assignee, person)) effects.push(notice(s.assignee, how, s.role, "teams"));
  // QA decided on the IRO's dispute: the IRO who raised it hears of it.
  if (!samePerson(d.raisedBy, person)) effects.push(notice(d.raisedBy, how, null, "teams"));
  if (how === "resolved") {
    for (const { role, person: p } of peopleIn(d.ladder.notify.onResolve, d.ladder.roster, [s.assignee, person]).people) {
      effects.push(notice(p, "resolved", role, "mail"));
    }
  }
  effects.push(cardUpdate);
  const base: Dispute = { ...closed.dispute, state: how, hold: d.hold ? { ...d.hold, ended: true } : undefined, timers: [] };
  return {
    dispute: how === "resolved" ? { ...base, outcome: { text, ...(impact ? { impact } : {}), by: person, at: ctx.now.toISOString() } } : base,
    effects,
    reschedule: false,
    detail: how === "resolved" ? { stage: d.stage, outcome: text, ...(impact ? { impact } : {}) } : { stage: d.stage, reason: text },
  };
}

export const resolve: Handler<"resolve"> = (d, c, ctx) => {
  const change = finish(d, "resolved", c.outcome, ctx, c.impact);
  if (!c.childVoice) return ok(change);
  return ok({ ...change, dispute: withChildVoice(change.dispute, d.stage, "resolve", c.childVoice, ctx), detail: { ...change.detail, childVoice: c.childVoice } });
};

/** The child's voice, kept on the dispute with the stage it was recorded at. */
function withChildVoice(d: Dispute, stage: number, on: "escalate" | "resolve", voice: ChildVoice, ctx: DecideContext): Dispute {
  const by = (ctx.actor as Extract<Actor, { kind: "person" }>).person;
  return { ...d, childVoice: [...(d.childVoice ?? []), { stage, on, ...voice, by, at: ctx.now.toISOString() }] };
}
export const withdraw: Handler<"withdraw"> = (d, c, ctx) => ok(finish(d, "withdrawn", c.reason, ctx));

export const reassign: Handler<"reassign"> = (d, c, ctx) => {
  const s = currentStage(d);
  const role = c.role ?? s.role;
  const before = d.ladder.roster[role];
  if (samePerson(before, c.to)) return reject("conflict", `${c.to.displayName} already holds the ${roleTitle(d.ladder, role)} role on dispute ${d.id}. Nothing was changed.`);
  if (samePerson(c.to, d.raisedBy)) return reject("invalid", `${ACTION_LABELS.reassign.to}: the IRO who raised dispute ${d.id} cannot answer it.`, "to");
  let dispute: Dispute = { ...d, ladder: { ...d.ladder, roster: { ...d.ladder.roster, [role]: c.to } } };
  const effects: EffectDraft[] = [];
  if (role === s.role) {
    const moved: StageRecord = { ...s, assignee: c.to, acknowledgedAt: undefined };
    dispute = replaceCurrent(dispute, moved);
    if (d.state === "informal" || d.state === "awaiting-response") {
      effects.push(...calendarEntries(d, s, "cancel").filter((e) => e.kind === "calendar" && samePerson(e.attendee, s.assignee)));
      effects.push(...calendarEntries(dispute, moved, "upsert").filter((e) => e.kind === "calendar" && samePerson(e.attendee, c.to)));
      effects.push(notice(c.to, "alert", role, "teams"));
    }
    effects.push(notice(s.assignee, "reassigned-away", role, "mail"));
  }
  effects.push(cardUpdate);
  return ok({ dispute, effects, reschedule: false, detail: { role, from: before ?? null, to: c.to, reason: c.reason } });
};
