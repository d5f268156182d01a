import { z } from "zod";
import { formatDay } from "../cards/text";
import { PersonRefSchema } from "../dispute/people";

/**
 * One change an administrator made to the authority's directory: who, when, what, before and
 * after. `before` and `after` are the stored values; `subject`, `was` and `now` say the same in
 * words for the view's history ("Team manager, Children in Care Team 1": "Megan Bowen" → "Sam Kaur").
 */
export const DirectoryChangeSchema = z.object({
  id: z.string(),
  at: z.string(),
  by: PersonRefSchema,
  kind: z.enum(["person", "team", "role", "calendar", "procedure", "cover"]),
  subject: z.string(),
  was: z.string().nullable(),
  now: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type DirectoryChange = z.infer<typeof DirectoryChangeSchema>;

/** The change as a line of the history: "Team manager, Children in Care Team 1: Megan Bowen → Sam Kaur". */
export function describeChange(c: Pick<DirectoryChange, "subject" | "was" | "now">): string {
  if (c.was === null) return `${c.subject}: ${c.now ?? "nothing"} (new)`;
  if (c.now === null) return `${c.subject}: ${c.was} (ended)`;
  return `${c.subject}: ${c.was} → ${c.now}`;
}

/** A calendar in words: "closed Tue 29 Dec 2026, Wed 30 Dec 2026; the working day ends at 17:00". */
export function calendarWords(c: { closureDays: readonly string[]; endOfDay: string }): string {
  const closed = c.closureDays.length ? `closed ${c.closureDays.map(formatDay).join(", ")}` : "no closure days";
  return `${closed}; the working day ends at ${c.endOfDay}`;
}
