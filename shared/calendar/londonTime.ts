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

const HOUR_MS = 3_600_000;

/**
 * London's offset from UTC (ms) through the UTC hour starting at `hour` × 1 h. Its clocks have
 * only ever changed on a UTC hour, so one Intl call serves the whole hour: asking Intl for every
 * date shown or computed is most of what a card costs. Kept by hour, forgotten in bulk when large.
 */
const offsets = new Map<number, number>();
function offsetAt(hour: number): number {
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const parts: Record<string, number> = {};
    for (const p of partsFormatter.formatToParts(new Date(hour * HOUR_MS))) {
      if (p.type !== "literal") parts[p.type] = Number(p.value);
    }
    offset = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - hour * HOUR_MS;
    if (offsets.size >= 100_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

function londonParts(instant: Date) {
  const shown = new Date(instant.getTime() + offsetAt(Math.floor(instant.getTime() / HOUR_MS)));
  return {
    year: shown.getUTCFullYear(),
    month: shown.getUTCMonth() + 1,
    day: shown.getUTCDate(),
    hour: shown.getUTCHours(),
    minute: shown.getUTCMinutes(),
    second: shown.getUTCSeconds(),
  };
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
const shortDay = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric" });
const longDay = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" });

/**
 * A calendar date in a format's words, put together from parts (ICU versions differ on the comma
 * after the weekday: "Tue, 29 Dec"). Kept by date: a card writes the same few dates many times.
 */
function dayIn(format: Intl.DateTimeFormat, kept: Map<LocalDate, string>, date: LocalDate): string {
  let text = kept.get(date);
  if (text === undefined) {
    const p: Record<string, string> = {};
    for (const x of format.formatToParts(new Date(`${date}T12:00:00Z`))) p[x.type] = x.value;
    text = `${p.weekday} ${p.day} ${p.month} ${p.year}`;
    if (kept.size >= 10_000) kept.clear();
    kept.set(date, text);
  }
  return text;
}
const shortDays = new Map<LocalDate, string>();
const longDays = new Map<LocalDate, string>();

/** The time London's clocks show at this instant: "17:00". */
function londonClockTime(instant: Date): string {
  const p = londonParts(instant);
  return `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
}

/** An instant as people read it, London time: "Tue 29 Dec 2026, 17:00". */
export function formatWhen(instant: Date | string): string {
  const at = typeof instant === "string" ? new Date(instant) : instant;
  return `${formatDay(londonDate(at))}, ${londonClockTime(at)}`;
}

/** A calendar date (YYYY-MM-DD) as people read it: "Tue 29 Dec 2026". */
export function formatDay(date: LocalDate): string {
  return dayIn(shortDay, shortDays, date);
}

/** A calendar date spelt out, so a person sees what was understood: "Saturday 13 February 2027". */
export function formatLongDay(date: LocalDate): string {
  return dayIn(longDay, longDays, date);
}

/** An instant spelt out, London time: "Tuesday 5 January 2027 at 10:42". */
export function formatLongWhen(instant: Date | string): string {
  const at = typeof instant === "string" ? new Date(instant) : instant;
  return `${formatLongDay(londonDate(at))} at ${londonClockTime(at)}`;
}
