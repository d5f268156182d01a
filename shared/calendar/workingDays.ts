import { z } from "zod";
import { englandAndWalesBankHolidays } from "./bankHolidays";
import {
  type LocalDate,
  addCalendarDays,
  dayOfWeek,
  isClockTime,
  isLocalDate,
  londonDate,
  londonInstant,
} from "./londonTime";

const localDate = z.string().refine(isLocalDate, "must be a date written YYYY-MM-DD");

/** An authority's calendar settings: its own closure days and when a working day ends. */
export const CalendarConfigSchema = z.object({
  closureDays: z.array(localDate).default([]),
  endOfDay: z.string().refine(isClockTime, "must be a time written HH:MM").default("17:00"),
});
export type CalendarConfig = z.input<typeof CalendarConfigSchema>;

/**
 * Working days in England and Wales: Monday to Friday, not bank holidays, not the authority's
 * closure days. Day 1 is the first working day after the day something is received; a deadline
 * falls at the end of its working day, London time.
 */
export interface WorkingCalendar {
  readonly endOfDay: string;
  isWorkingDay(date: LocalDate): boolean;
  /** The nth working day after `date` (n > 0), before it (n < 0), or `date` itself (n = 0). */
  addWorkingDays(date: LocalDate, n: number): LocalDate;
  /** Working days d with from < d ≤ to; negative when `to` is before `from`. */
  workingDaysBetween(from: LocalDate, to: LocalDate): number;
  /** End of the working day on `date`, London time. */
  endOfWorkingDay(date: LocalDate): Date;
  /** End of working day `days` counted from the day after `receivedAt`. */
  deadline(receivedAt: Date, days: number): Date;
  /** Working days from `now` until `dueAt`: 0 on the day it falls due, negative once past. */
  workingDaysLeft(now: Date, dueAt: Date): number;
}

export function createWorkingCalendar(
  config: CalendarConfig = {},
  bankHolidays: (year: number) => LocalDate[] = englandAndWalesBankHolidays,
): WorkingCalendar {
  const { closureDays, endOfDay } = CalendarConfigSchema.parse(config);
  const closed = new Set(closureDays);
  const holidaysByYear = new Map<number, Set<LocalDate>>();
  const holidaysIn = (year: number) => {
    let set = holidaysByYear.get(year);
    if (!set) holidaysByYear.set(year, (set = new Set(bankHolidays(year))));
    return set;
  };

  const isWorkingDay = (date: LocalDate) => {
    const dow = dayOfWeek(date);
    if (dow === 0 || dow === 6) return false;
    return !closed.has(date) && !holidaysIn(Number(date.slice(0, 4))).has(date);
  };

  // Counting is day by day, and a card or a plan asks the same few questions many times: the
  // answers are kept (this calendar's settings never change), and forgotten in bulk when many.
  const answers = new Map<string, unknown>();
  function kept<T>(key: string, work: () => T): T {
    if (answers.has(key)) return answers.get(key) as T;
    const value = work();
    if (answers.size >= 20_000) answers.clear();
    answers.set(key, value);
    return value;
  }

  const addWorkingDays = (date: LocalDate, n: number): LocalDate => {
    if (!Number.isInteger(n)) throw new RangeError(`Working days must be a whole number, not ${n}`);
    return kept(`+${date}|${n}`, () => {
      const step = n < 0 ? -1 : 1;
      let day = date;
      for (let left = Math.abs(n); left > 0; ) {
        day = addCalendarDays(day, step);
        if (isWorkingDay(day)) left--;
      }
      return day;
    });
  };

  const workingDaysBetween = (from: LocalDate, to: LocalDate): number => {
    if (to < from) return -workingDaysBetween(to, from);
    return kept(`${from}|${to}`, () => {
      let count = 0;
      for (let day = addCalendarDays(from, 1); day <= to; day = addCalendarDays(day, 1)) {
        if (isWorkingDay(day)) count++;
      }
      return count;
    });
  };

  // A new Date each time: callers may keep or change what they are given.
  const endOfWorkingDay = (date: LocalDate) => new Date(kept(`end|${date}`, () => londonInstant(date, endOfDay).getTime()));

  return {
    endOfDay,
    isWorkingDay,
    addWorkingDays,
    workingDaysBetween,
    endOfWorkingDay,
    deadline: (receivedAt, days) => endOfWorkingDay(addWorkingDays(londonDate(receivedAt), days)),
    workingDaysLeft: (now, dueAt) => {
      const today = londonDate(now);
      const dueDay = londonDate(dueAt);
      if (now > dueAt) return Math.min(-1, workingDaysBetween(today, dueDay));
      return workingDaysBetween(today, dueDay);
    },
  };
}
