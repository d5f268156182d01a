import { londonDate, londonInstant } from "../calendar/londonTime";
import type { WorkingCalendar } from "../calendar/workingDays";
import { type Dispute, type Timer, type TimerKind, currentStage } from "./disputeSchema";

/** The system command that runs each kind of timer step. */
export const TIMER_ACTION = {
  reminder: "reminder-due",
  deadline: "deadline-passed",
  "hold-end": "hold-ended",
  "cap-warning": "cap-warning",
  cap: "cap-passed",
} as const satisfies Record<TimerKind, string>;

const timer = (kind: TimerKind, at: Date, scope: string): Timer => {
  const iso = at.toISOString();
  return { kind, at: iso, token: `${kind}:${scope}:${iso}` };
};

/**
 * The steps the sweep must take for a dispute as it stands. Tokens depend only on what the step
 * is and when, so a step that survives a change keeps its token, and one that does not is
 * recognised as gone when its old index entry comes due.
 */
export function scheduleTimers(d: Dispute, now: Date, calendar: WorkingCalendar): Timer[] {
  const timers: Timer[] = [];
  const stage = currentStage(d);
  // A stage with no timescale has no deadline and no reminders; the cap below still runs.
  if ((d.state === "informal" || d.state === "awaiting-response") && !stage.overdueSince && stage.dueAt) {
    const dueAt = new Date(stage.dueAt);
    for (const r of d.ladder.reminders) {
      const at = londonInstant(calendar.addWorkingDays(londonDate(dueAt), -r.workingDaysBefore), r.at);
      // A reminder already past is not worth sending late once the schedule has changed.
      if (at > now && at < dueAt) timers.push(timer("reminder", at, `${stage.stage}`));
    }
    timers.push(timer("deadline", dueAt, `${stage.stage}`));
  }
  if (d.state === "on-hold" && d.hold && !d.hold.ended) timers.push(timer("hold-end", new Date(d.hold.endsAt), "hold"));
  if (d.capDueAt && (d.state === "awaiting-response" || d.state === "awaiting-decision" || d.state === "on-hold")) {
    const capAt = new Date(d.capDueAt);
    if (!d.capNotices?.warnedAt && d.ladder.capWarningDays > 0) {
      const warnDay = calendar.addWorkingDays(londonDate(capAt), -d.ladder.capWarningDays);
      timers.push(timer("cap-warning", londonInstant(warnDay, "09:00"), "cap"));
    }
    if (!d.capNotices?.passedAt) timers.push(timer("cap", capAt, "cap"));
  }
  return timers.sort((a, b) => a.at.localeCompare(b.at));
}
