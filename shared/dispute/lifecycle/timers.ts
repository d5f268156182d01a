import { formatWhen } from "../../calendar/londonTime";
import { timescaleOf } from "../../procedure/procedureSchema";
import { type Result, ok } from "../../result";
import { type Dispute, currentStage } from "../disputeSchema";
import { type Change, type DecideContext, type Handler, type Rejection, reject } from "./change";
import { climb } from "./decisions";
import { cardUpdate, notice, peopleIn } from "./drafts";
import { closeStage, nextStage, replaceCurrent, stageOf } from "./stages";

// What happens when a scheduled timer fires: reminders, deadlines, the end of a hold, the cap.

function firedTimer(d: Dispute, token: string, kind: string, now: Date): Result<Dispute, Rejection> {
  const t = d.timers.find((x) => x.token === token && x.kind === kind);
  if (!t) return reject("conflict", `Dispute ${d.id} no longer has this ${kind} scheduled. Nothing was changed.`);
  if (new Date(t.at) > now) return reject("conflict", `This ${kind} for dispute ${d.id} is not due until ${formatWhen(t.at)}.`);
  return ok({ ...d, timers: d.timers.filter((x) => x !== t) });
}

export const reminderDue: Handler<"reminder-due"> = (d, c, ctx) => {
  const fired = firedTimer(d, c.token, "reminder", ctx.now);
  if (!fired.ok) return fired;
  const s = currentStage(d);
  return ok({
    dispute: fired.value,
    effects: [notice(s.assignee, "reminder", s.role, "teams")],
    reschedule: false,
    // Reminders are only scheduled for a stage with a due date.
    detail: { stage: s.stage, dueAt: s.dueAt, workingDaysLeft: ctx.calendar.workingDaysLeft(ctx.now, new Date(s.dueAt!)) },
  });
};

/** Who decides when this stage's deadline passes with no answer: the stage's own rule, else the procedure's. */
const deadlineRule = (d: Dispute) => stageOf(d.ladder, d.stage)?.onDeadline ?? d.ladder.onDeadline;

export const deadlinePassed: Handler<"deadline-passed"> = (d, c, ctx) => {
  const fired = firedTimer(d, c.token, "deadline", ctx.now);
  if (!fired.ok) return fired;
  const s = currentStage(d);
  if (d.ratification && d.stage === 0) return ok(recommendationsStand(fired.value, ctx));
  const next = nextStage(d.ladder, d.stage);
  const rule = deadlineRule(d);
  if (rule === "escalate" && d.stage >= 1 && next) {
    const change = climb(fired.value, next, timescaleOf(next), `No response from ${s.assignee.displayName} by ${formatWhen(s.dueAt!)}: escalated as the procedure says.`, ctx);
    return ok({ ...change, effects: [...change.effects, notice(d.raisedBy, "deadline-passed", null, "teams")], detail: { ...change.detail, automatic: true } });
  }
  const overdue = replaceCurrent(fired.value, { ...s, overdueSince: ctx.now.toISOString() });
  // The procedure says who decides what happens next: the IRO, or the QA service.
  const deciders =
    rule === "ask-qa"
      ? peopleIn(d.ladder.notify.qualityAssurance, d.ladder.roster, [s.assignee]).people.map(({ role, person }) => notice(person, "deadline-passed", role, "teams"))
      : [notice(d.raisedBy, "deadline-passed", null, "teams")];
  return ok({
    dispute: overdue,
    effects: [...deciders, notice(s.assignee, "overdue", s.role, "teams"), cardUpdate],
    reschedule: false,
    detail: { stage: s.stage, dueAt: s.dueAt, automatic: false, ...(rule === "ask-qa" ? { decidedBy: "qa" } : {}) },
  });
};

/** Not contested within the window: the review's recommendations stand as decisions, and the alert closes. */
function recommendationsStand(d: Dispute, ctx: DecideContext): Change {
  const s = currentStage(d);
  const text = `Not contested by ${s.assignee.displayName} within ${s.responseDays} working days of the review: the review's recommendations stand as decisions.`;
  const closed = closeStage(d, "resolved", ctx, text);
  return {
    dispute: { ...closed.dispute, state: "resolved", outcome: { text, by: d.raisedBy, at: ctx.now.toISOString() }, timers: [] },
    effects: [...closed.effects, notice(d.raisedBy, "resolved", null, "teams"), notice(s.assignee, "resolved", s.role, "teams"), cardUpdate],
    reschedule: false,
    detail: { stage: 0, outcome: text, automatic: true, recommendationsStand: true },
  };
}

export const holdEnded: Handler<"hold-ended"> = (d, c, ctx) => {
  const fired = firedTimer(d, c.token, "hold-end", ctx.now);
  if (!fired.ok) return fired;
  return ok({
    dispute: { ...fired.value, hold: { ...d.hold!, ended: true } },
    effects: [notice(d.raisedBy, "hold-ended", null, "teams"), cardUpdate],
    reschedule: false,
    detail: { until: d.hold?.until, actionsAgreed: d.hold?.actionsAgreed },
  });
};

export function capNotice<K extends "cap-warning" | "cap-passed">(kind: K): Handler<K> {
  return (d, c, ctx) => {
    const fired = firedTimer(d, (c as { token: string }).token, kind === "cap-warning" ? "cap-warning" : "cap", ctx.now);
    if (!fired.ok) return fired;
    const qa = peopleIn(d.ladder.notify.qualityAssurance, d.ladder.roster, [d.raisedBy]);
    const at = ctx.now.toISOString();
    const capNotices = kind === "cap-warning" ? { ...d.capNotices, warnedAt: at } : { ...d.capNotices, passedAt: at };
    return ok({
      dispute: { ...fired.value, capNotices },
      effects: [notice(d.raisedBy, kind, null, "teams"), ...qa.people.map(({ role, person }) => notice(person, kind, role, "mail")), cardUpdate],
      reschedule: false,
      detail: { capDueAt: d.capDueAt, stage: d.stage, told: ["iro", ...qa.people.map((p) => p.role)] },
    });
  };
}
