import type { RoleId } from "../../procedure/procedureSchema";
import type { Dispute, StageRecord } from "../disputeSchema";
import type { EffectDraft, NoticeKind } from "../effects";
import { type PersonRef, type Roster, samePerson } from "../people";

// The effects the rules draft: notices, card updates and calendar entries.

export const notice = (to: PersonRef, notice: NoticeKind, role: RoleId | null, channel: "teams" | "mail"): EffectDraft => ({
  kind: "notify",
  notice,
  to,
  role,
  channel,
});
export const cardUpdate: EffectDraft = { kind: "card-update" };

/** The people holding these roles, each once, leaving out those already told another way. */
export function peopleIn(roles: readonly RoleId[], roster: Roster, except: readonly PersonRef[] = []) {
  const people: { role: RoleId; person: PersonRef }[] = [];
  const missing: RoleId[] = [];
  for (const role of roles) {
    const person = roster[role];
    if (!person) missing.push(role);
    else if (!except.some((p) => samePerson(p, person)) && !people.some((p) => samePerson(p.person, person))) {
      people.push({ role, person });
    }
  }
  return { people, missing };
}

const entryKey = (d: Dispute, s: StageRecord, person: PersonRef) => `${d.id}:stage-${s.stage}:${person.id}`;

/** The stage's due date in the calendars of its holders and the IRO; a stage with no timescale has none. */
export function calendarEntries(d: Dispute, s: StageRecord, op: "upsert" | "cancel"): EffectDraft[] {
  const at = s.dueAt;
  if (!at) return [];
  const people = [s.assignee, ...(s.jointAssignees ?? [])];
  if (!people.some((p) => samePerson(p, d.raisedBy))) people.push(d.raisedBy);
  return people.map((attendee) => ({
    kind: "calendar",
    op,
    entryKey: entryKey(d, s, attendee),
    attendee,
    subject: `Dispute ${d.id}: stage ${s.stage} response due`,
    at,
  }));
}

export function holdEntry(d: Dispute, at: string, op: "upsert" | "cancel"): EffectDraft {
  return { kind: "calendar", op, entryKey: `${d.id}:hold:${d.raisedBy.id}`, attendee: d.raisedBy, subject: `Dispute ${d.id}: check the agreed actions`, at };
}
