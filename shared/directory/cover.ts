import { z } from "zod";
import { formatDay, formatLongDay, formatLongWhen, isLocalDate, londonDate } from "../calendar/londonTime";
import { PersonRefSchema, type PersonRef, actingName } from "../dispute/people";

const localDate = z.string().refine(isLocalDate, "must be a date written YYYY-MM-DD");

/** A role holder away from `from` to `until` (London dates, both included), and who receives their work meanwhile. */
export const CoverSchema = z.object({ holder: PersonRefSchema, cover: PersonRefSchema, from: localDate, until: localDate });
export type Cover = z.infer<typeof CoverSchema>;

/** The cover standing for this person at this instant, if any. */
export function coverOn(cover: Cover | undefined, at: Date): Cover | undefined {
  if (!cover) return undefined;
  const day = londonDate(at);
  return cover.from <= day && day <= cover.until ? cover : undefined;
}

/** What the delivery record says when a notice went to the cover instead of the holder. */
export const sentToCover = (c: Cover) => `sent to ${actingName(c.cover, c.holder)}`;

/** "Megan Bowen is away from Tue 29 Dec 2026 to Fri 8 Jan 2027; cover: Adele Vance." */
export const describeCover = (c: Cover) => `${c.holder.displayName} is away from ${formatDay(c.from)} to ${formatDay(c.until)}; cover: ${c.cover.displayName}.`;

/** What a holder's mailbox says about their absence (Outlook's automatic replies), as far as it says. */
export interface Absence {
  /** When they are back, if their automatic replies say; absent means "until further notice". */
  until?: string;
}

/** Away past the deadline (or with no return date): nobody may read the alert in time. */
export const awayPastDeadline = (absence: Absence, dueAt: string | undefined) => !absence.until || (dueAt !== undefined && absence.until > dueAt);

/**
 * The note kept with a delivery to someone whose automatic replies are on. Away past the deadline
 * is what the IRO must know: the notice still went, but nobody may read it in time.
 */
export function absenceNote(holder: PersonRef, absence: Absence, dueAt: string | undefined): string {
  const back = absence.until ? `until ${formatLongDay(londonDate(new Date(absence.until)))}` : "with no return date";
  const late = awayPastDeadline(absence, dueAt);
  return `${holder.displayName}'s automatic replies say they are away ${back}${late && dueAt ? `, after the deadline (${formatLongWhen(dueAt)}): the IRO may escalate or reassign` : ""}`;
}
