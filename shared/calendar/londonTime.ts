/**
 * Wall-clock arithmetic in Europe/London without a time-zone library: Intl knows the rules for
 * BST and GMT, in Node and in the browser alike.
 */
export const LONDON = "Europe/London";

/** A calendar date as written in England: YYYY-MM-DD. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const partsFormatter = new Intl.DateTimeFormat("en-GB", {
  timeZone: LONDON,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

function londonParts(instant: Date) {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter.formatToParts(instant)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function isClockTime(value: string): boolean {
  return CLOCK_TIME.test(value);
}

/** The date in London at this instant. */
export function londonDate(instant: Date): LocalDate {
  const p = londonParts(instant);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** The instant at which London's clocks show `time` on `date`. */
export function londonInstant(date: LocalDate, time: string): Date {
  const d = LOCAL_DATE.exec(date);
  const t = CLOCK_TIME.exec(time);
  if (!d || !t) throw new RangeError(`Not a London date and time: ${date} ${time}`);
  const wanted = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  // London is UTC or UTC+1: correct a first guess by the offset London shows at that guess.
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const p = londonParts(new Date(guess));
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wanted - shown;
  }
  return new Date(guess);
}

/** Day of the week of a calendar date: 0 Sunday … 6 Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// How people read dates: short where space is tight (cards, lists, subjects), spelt out in sentences.
const short = (timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
const shortLondon = short(LONDON);
const shortUtc = short("UTC");

/** Put together from parts: ICU versions differ on the comma after the weekday ("Tue, 29 Dec"). */
function partsOf(format: Intl.DateTimeFormat, instant: Date) {
  const p: Record<string, string> = {};
  for (const x of format.formatToParts(instant)) p[x.type] = x.value;
  return p;
}

/** An instant as people read it, London time: "Tue 29 Dec 2026, 17:00". */
export function formatWhen(instant: Date | string): string {
  const p = partsOf(shortLondon, typeof instant === "string" ? new Date(instant) : instant);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** A calendar date (YYYY-MM-DD) as people read it: "Tue 29 Dec 2026". */
export function formatDay(date: LocalDate): string {
  const p = partsOf(shortUtc, new Date(`${date}T12:00:00Z`));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

const longDay = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" });
const clock = new Intl.DateTimeFormat("en-GB", { timeZone: LONDON, hourCycle: "h23", hour: "2-digit", minute: "2-digit" });

/** A calendar date spelt out, so a person sees what was understood: "Saturday 13 February 2027". */
export function formatLongDay(date: LocalDate): string {
  const p = partsOf(longDay, new Date(`${date}T12:00:00Z`));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** An instant spelt out, London time: "Tuesday 5 January 2027 at 10:42". */
export function formatLongWhen(instant: Date | string): string {
  const at = typeof instant === "string" ? new Date(instant) : instant;
  return `${formatLongDay(londonDate(at))} at ${clock.format(at)}`;
}
