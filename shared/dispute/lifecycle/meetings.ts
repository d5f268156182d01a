import { formatLongDay, londonDate } from "../../calendar/londonTime";
import { roleTitle } from "../../procedure/roleTitle";
import { type Result, ok } from "../../result";
import { type Dispute, type Meeting, currentStage } from "../disputeSchema";
import type { EffectDraft } from "../effects";
import { ACTION_LABELS } from "../fieldLabels";
import { type Actor, type PersonRef, samePerson } from "../people";
import { type Handler, type Rejection, reject } from "./change";
import { cardUpdate } from "./drafts";
import { MEETING_WITHIN_DAYS } from "./stages";

// Meetings: the one a meeting stage holds, one asked for at any stage, and what each decided.

/** "iro" or a role on the dispute, as the person who holds it there. */
function personFor(d: Dispute, party: string, action: "request-meeting" | "record-meeting", field: string): Result<PersonRef, Rejection> {
  if (party === "iro") return ok(d.raisedBy);
  const person = d.ladder.roster[party];
  return person ? ok(person) : reject("invalid", `${ACTION_LABELS[action][field]}: nobody holds the ${roleTitle(d.ladder, party)} role on dispute ${d.id}.`, field);
}

function peopleFor(d: Dispute, parties: readonly string[], action: "request-meeting" | "record-meeting", field: string): Result<PersonRef[], Rejection> {
  const people: PersonRef[] = [];
  for (const party of parties) {
    const person = personFor(d, party, action, field);
    if (!person.ok) return person;
    if (!people.some((p) => samePerson(p, person.value))) people.push(person.value);
  }
  return ok(people);
}

const withoutPerson = (people: readonly PersonRef[], who: PersonRef) => people.filter((p) => !samePerson(p, who));

export const requestMeeting: Handler<"request-meeting"> = (d, c, ctx) => {
  const s = currentStage(d);
  const asker = (ctx.actor as Extract<Actor, { kind: "person" }>).person;
  const invited = peopleFor(d, c.invite, "request-meeting", "invite");
  if (!invited.ok) return invited;
  let by: string;
  if (c.by) {
    if (!ctx.calendar.isWorkingDay(c.by)) return reject("invalid", `${ACTION_LABELS["request-meeting"].by}: ${formatLongDay(c.by)} is not a working day. Nothing was changed.`, "by");
    if (c.by <= londonDate(ctx.now)) return reject("invalid", `${ACTION_LABELS["request-meeting"].by}: ${formatLongDay(c.by)} is not after today (${formatLongDay(londonDate(ctx.now))}); the meeting must be held after today. Nothing was changed.`, "by");
    by = ctx.calendar.endOfWorkingDay(c.by).toISOString();
  } else {
    const answering = (d.state === "informal" || d.state === "awaiting-response") && !!s.dueAt && new Date(s.dueAt) > ctx.now;
    by = answering ? s.dueAt! : ctx.calendar.deadline(ctx.now, MEETING_WITHIN_DAYS).toISOString();
  }
  // The stage's holder chairs, as at a meeting stage; the IRO and whoever asked are invited with the roles named.
  const chair = s.assignee;
  const invitees = withoutPerson([d.raisedBy, asker, ...invited.value].filter((p, i, all) => all.findIndex((q) => samePerson(p, q)) === i), chair);
  const meeting: Meeting = { stage: d.stage, requestedBy: asker, at: ctx.now.toISOString(), chair, invitees, by };
  const effect: EffectDraft = { kind: "meeting", stage: d.stage, chair, invitees, by, subject: `Dispute ${d.id}: meeting at ${d.stage === 0 ? "the informal stage" : `stage ${d.stage}`}`, requested: true };
  return ok({
    dispute: { ...d, meetings: [...(d.meetings ?? []), meeting] },
    effects: [effect, cardUpdate],
    reschedule: false,
    detail: { stage: d.stage, chair, invitees, by, invited: c.invite },
  });
};

export const recordMeeting: Handler<"record-meeting"> = (d, c, ctx) => {
  const meetings = d.meetings ?? [];
  const index = meetings.findLastIndex((m) => m.stage === d.stage && !m.held);
  if (index < 0) {
    return reject("conflict", `No meeting is waiting to be recorded at ${d.stage === 0 ? "the informal stage" : `stage ${d.stage}`} of dispute ${d.id}: ask for one first. Nothing was changed.`);
  }
  if (c.heldOn > londonDate(ctx.now)) return reject("invalid", `${ACTION_LABELS["record-meeting"].heldOn}: ${formatLongDay(c.heldOn)} is in the future; record a meeting once it has been held. Nothing was changed.`, "heldOn");
  const chair = personFor(d, c.chair, "record-meeting", "chair");
  if (!chair.ok) return chair;
  const attendees = peopleFor(d, c.attended, "record-meeting", "attended");
  if (!attendees.ok) return attendees;
  const recordedBy = (ctx.actor as Extract<Actor, { kind: "person" }>).person;
  const held = { on: c.heldOn, chair: chair.value, attendees: attendees.value, minutes: c.minutes, outcome: c.outcome, recordedBy, at: ctx.now.toISOString() };
  const updated = meetings.map((m, i) => (i === index ? { ...m, held } : m));
  return ok({
    dispute: { ...d, meetings: updated },
    effects: [cardUpdate],
    reschedule: false,
    detail: { stage: d.stage, heldOn: c.heldOn, chair: chair.value, attendees: attendees.value, minutes: c.minutes, outcome: c.outcome },
  });
};
