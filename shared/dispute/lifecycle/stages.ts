import { type Stage, timescaleOf } from "../../procedure/procedureSchema";
import { type Result, ok } from "../../result";
import { type Dispute, type LadderSnapshot, type StageRecord, currentStage } from "../disputeSchema";
import type { EffectDraft } from "../effects";
import { samePerson } from "../people";
import { type DecideContext, type Rejection, reject } from "./change";
import { calendarEntries, holdEntry, notice, peopleIn } from "./drafts";

// Moving a dispute onto a stage of its ladder and closing the round it leaves.

/** Without a due date to meet by (asked for later, or a stage with no timescale), a meeting is to be held within this many working days. */
export const MEETING_WITHIN_DAYS = 5;

export function stageOf(ladder: LadderSnapshot, n: number): Stage | undefined {
  return ladder.stages.find((s) => s.stage === n);
}

/** A "where applicable" stage nobody holds for this dispute: the ladder passes over it. */
export const isSkipped = (ladder: LadderSnapshot, s: Stage) => !!s.optional && !ladder.roster[s.role];

/** The first stage above `from` the dispute can go to: the next one, passing over skipped optional stages. */
export function nextStage(ladder: LadderSnapshot, from: number): Stage | undefined {
  return ladder.stages.find((s) => s.stage > from && !isSkipped(ladder, s));
}

/** The optional stages passed over between two stages (exclusive). */
export const skippedBetween = (ladder: LadderSnapshot, from: number, to: number) =>
  ladder.stages.filter((s) => s.stage > from && s.stage < to && isSkipped(ladder, s)).map((s) => s.stage);

/** Only said when a stage was passed over, so the record of every other dispute reads as before. */
export const skippedDetail = (skipped: number[]) => (skipped.length ? { skipped } : {});

/** The review-decision window as the round it opens: the role ratifies or contests the review's recommendations. */
export function ratificationStage(ladder: LadderSnapshot): Stage {
  const { role, days } = ladder.reviewDecisions!;
  return { stage: 0, role, title: "Ratification of the review's recommendations", responseDays: days, mode: "written", notify: [] };
}

/** The round a dispute at stage 0 is in: the review-decision window, or the informal stage. */
export const stageZero = (d: Dispute): Stage => (d.ratification && d.ladder.reviewDecisions ? ratificationStage(d.ladder) : informalStage(d.ladder));

export function informalStage(ladder: LadderSnapshot): Stage {
  const { role, defaultDays, jointRoles } = ladder.informal;
  return { stage: 0, role, title: "Informal", responseDays: defaultDays, mode: "written", notify: [], ...(jointRoles ? { jointRoles } : {}) };
}

/**
 * The response time the IRO may set: shorter than the procedure's, within its first-response limit.
 * A stage the procedure sets no timescale has none (undefined) unless the IRO sets one.
 */
export function responseDaysFor(ladder: LadderSnapshot, stage: Stage, requested: number | undefined, first: boolean): Result<number | undefined, Rejection> {
  const own = timescaleOf(stage);
  if (stage.stage === 0) return ok(requested ?? own);
  const max = first ? ladder.firstResponseMaxDays : undefined;
  const limit = own === undefined ? max : max ? Math.min(own, max) : own;
  if (limit === undefined) return ok(requested);
  if (requested === undefined) return ok(limit);
  if (requested > limit) {
    return reject(
      "invalid",
      `Shorter response time: stage ${stage.stage} (${stage.title}) allows at most ${limit} working days; the IRO may set a shorter time, not a longer one.`,
      "timescaleDays",
    );
  }
  return ok(requested);
}

/**
 * Put the dispute at a stage: the record, the alert to its holders, calendar entries, who else is
 * told. `countFrom` moves the start of the count (the review date, for a review-anchored informal window);
 * with no `days` (a stage with no timescale) the stage has no due date, so no deadline and no reminders.
 */
export function enterStage(d: Dispute, stage: Stage, days: number | undefined, ctx: DecideContext, countFrom: Date = ctx.now): { dispute: Dispute; effects: EffectDraft[] } {
  const assignee = d.ladder.roster[stage.role]!;
  const joint = peopleIn(stage.jointRoles ?? [], d.ladder.roster, [assignee, d.raisedBy]).people;
  const record: StageRecord = {
    stage: stage.stage,
    role: stage.role,
    title: stage.title,
    assignee,
    ...(joint.length ? { jointAssignees: joint.map((p) => p.person) } : {}),
    receivedAt: ctx.now.toISOString(),
    ...(days === undefined ? {} : { dueAt: ctx.calendar.deadline(countFrom, days).toISOString(), responseDays: days }),
    mode: stage.mode,
  };
  const formalStartedAt = d.formalStartedAt ?? (stage.stage > 0 ? ctx.now.toISOString() : undefined);
  const capDueAt =
    d.capDueAt ?? (formalStartedAt ? ctx.calendar.deadline(new Date(formalStartedAt), d.ladder.capWorkingDays).toISOString() : undefined);
  const dispute: Dispute = {
    ...d,
    stage: stage.stage,
    state: stage.stage === 0 ? "informal" : "awaiting-response",
    stages: [...d.stages, record],
    formalStartedAt,
    capDueAt,
    hold: undefined,
  };
  const effects: EffectDraft[] = [
    notice(assignee, "alert", stage.role, "teams"),
    ...joint.map(({ role, person }) => notice(person, "alert", role, "teams")),
    ...calendarEntries(dispute, record, "upsert"),
  ];
  for (const { role, person } of peopleIn(stage.notify, d.ladder.roster, [assignee, d.raisedBy, ...joint.map((p) => p.person)]).people) {
    effects.push(notice(person, "stage-notice", role, "mail"));
  }
  if (stage.mode === "meeting") {
    const invitees = [d.raisedBy, ...peopleIn(d.ladder.notify.qualityAssurance, d.ladder.roster, [assignee, d.raisedBy]).people.map((p) => p.person)];
    for (const earlier of d.stages) {
      if (!invitees.some((p) => samePerson(p, earlier.assignee)) && !samePerson(earlier.assignee, assignee)) invitees.push(earlier.assignee);
    }
    const by = record.dueAt ?? ctx.calendar.deadline(ctx.now, MEETING_WITHIN_DAYS).toISOString();
    effects.push({ kind: "meeting", stage: stage.stage, chair: assignee, invitees, by, subject: `Dispute ${d.id}: stage ${stage.stage} meeting` });
    // Its own part of the record, so who chaired, who attended, the minutes and the outcome can be written to it.
    const meeting = { stage: stage.stage, at: record.receivedAt, chair: assignee, invitees, by };
    return { dispute: { ...dispute, meetings: [...(d.meetings ?? []), meeting] }, effects };
  }
  return { dispute, effects };
}

/** Close the current round and its calendar entries; a round a hold already closed stays as it was. */
export function closeStage(d: Dispute, how: NonNullable<StageRecord["closed"]>["how"], ctx: DecideContext, rationale?: string) {
  const s = currentStage(d);
  const effects: EffectDraft[] = [];
  if (d.hold && !d.hold.ended) effects.push(holdEntry(d, d.hold.endsAt, "cancel"));
  if (s.closed) return { dispute: d, effects };
  if (!s.response) effects.unshift(...calendarEntries(d, s, "cancel"));
  const closed: StageRecord = { ...s, closed: { how, at: ctx.now.toISOString(), ...(rationale ? { rationale } : {}) } };
  return { dispute: replaceCurrent(d, closed), effects };
}

export const replaceCurrent = (d: Dispute, s: StageRecord): Dispute => ({ ...d, stages: [...d.stages.slice(0, -1), s] });
