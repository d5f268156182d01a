import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { englandAndWalesBankHolidays } from "../../shared/calendar/bankHolidays";
import { addCalendarDays, formatLongWhen, formatWhen, londonDate, londonInstant } from "../../shared/calendar/londonTime";
import { createWorkingCalendar } from "../../shared/calendar/workingDays";

/**
 * Bank holidays in England and Wales as published on gov.uk, written out by hand so that these
 * properties check the calendar against an independent list rather than against itself.
 */
const GOV_UK_BANK_HOLIDAYS = new Set([
  // 2025
  "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26",
  // 2026: Boxing Day is a Saturday, so Monday 28 December is the substitute
  "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28",
  // 2027: Christmas falls on a weekend, so Monday 27 and Tuesday 28 December
  "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28",
  // 2028: New Year's Day is a Saturday, so Monday 3 January
  "2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26",
  // 2029
  "2029-01-01", "2029-03-30", "2029-04-02", "2029-05-07", "2029-05-28", "2029-08-27", "2029-12-25", "2029-12-26",
  // 2030
  "2030-01-01", "2030-04-19", "2030-04-22", "2030-05-06", "2030-05-27", "2030-08-26", "2030-12-25", "2030-12-26",
  // 2031, as far as 40 working days from the end of 2030 can reach
  "2031-01-01",
]);

const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay());
const isWorkingDayByHand = (date: string) => !isWeekend(date) && !GOV_UK_BANK_HOLIDAYS.has(date);

const londonClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

const calendar = createWorkingCalendar();

/** Any date from 1 January 2025 to 31 December 2030. */
const dates = fc.integer({ min: 0, max: 2190 }).map((offset) => addCalendarDays("2025-01-01", offset));
/** Any instant in those years. */
const instants = fc.date({ min: new Date("2025-01-01T00:00:00Z"), max: new Date("2030-12-31T23:59:59Z"), noInvalidDate: true });
const days = fc.integer({ min: 1, max: 40 });

describe("working days, for any date from 2025 to 2030 and 1 to 40 working days", () => {
  it("the calendar's bank holidays on weekdays are gov.uk's", () => {
    for (let year = 2025; year <= 2030; year++) {
      const weekdayHolidays = englandAndWalesBankHolidays(year).filter((d) => !isWeekend(d));
      const govUk = [...GOV_UK_BANK_HOLIDAYS].filter((d) => d.startsWith(`${year}-`));
      expect(new Set(weekdayHolidays)).toEqual(new Set(govUk));
    }
  });

  it("addWorkingDays never lands on a weekend or a bank holiday", () => {
    fc.assert(
      fc.property(dates, days, (date, n) => {
        expect(isWorkingDayByHand(calendar.addWorkingDays(date, n))).toBe(true);
        expect(isWorkingDayByHand(calendar.addWorkingDays(date, -n))).toBe(true);
      }),
    );
  });

  it("workingDaysBetween(d, addWorkingDays(d, n)) is n", () => {
    fc.assert(
      fc.property(dates, days, (date, n) => {
        expect(calendar.workingDaysBetween(date, calendar.addWorkingDays(date, n))).toBe(n);
        expect(calendar.workingDaysBetween(calendar.addWorkingDays(date, n), date)).toBe(-n);
      }),
    );
  });

  it("counting n working days forward and n back returns to a working day", () => {
    fc.assert(
      fc.property(dates, days, (date, n) => {
        fc.pre(isWorkingDayByHand(date));
        expect(calendar.addWorkingDays(calendar.addWorkingDays(date, n), -n)).toBe(date);
      }),
    );
  });

  it("the nth working day is n working days counted by hand", () => {
    fc.assert(
      fc.property(dates, days, (date, n) => {
        let day = date;
        for (let left = n; left > 0; ) {
          day = addCalendarDays(day, 1);
          if (isWorkingDayByHand(day)) left--;
        }
        expect(calendar.addWorkingDays(date, n)).toBe(day);
      }),
    );
  });

  it("a deadline is always 17:00 London time on a working day, n working days after the day received", () => {
    fc.assert(
      fc.property(instants, days, (received, n) => {
        const due = calendar.deadline(received, n);
        const dueDay = londonDate(due);
        expect(londonClock.format(due)).toBe("17:00");
        expect(isWorkingDayByHand(dueDay)).toBe(true);
        expect(due.getTime()).toBeGreaterThan(received.getTime());
        expect(calendar.workingDaysBetween(londonDate(received), dueDay)).toBe(n);
      }),
    );
  });
});

/** London's wall clock as Intl writes it, asked afresh for every instant. */
const londonWall = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hourCycle: "h23",
  weekday: "long",
  year: "numeric",
  month: "long",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const wallParts = (at: Date) => Object.fromEntries(londonWall.formatToParts(at).map((p) => [p.type, p.value]));
/** Any instant from 1990 to 2040, and instants within an hour either side of a clock change. */
const anyInstant = fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2040-12-31T23:59:59Z"), noInvalidDate: true });
const nearClockChange = fc
  .record({ year: fc.integer({ min: 1990, max: 2040 }), autumn: fc.boolean(), ms: fc.integer({ min: -3_600_000, max: 3_600_000 }) })
  .map(({ year, autumn, ms }) => {
    // The last Sunday of March or October, 01:00 UTC.
    const end = new Date(Date.UTC(year, autumn ? 10 : 3, 0, 1));
    return new Date(end.getTime() - end.getUTCDay() * 86_400_000 + ms);
  });

describe("London time, for any instant from 1990 to 2040", () => {
  it("the date, the time and the words are Intl's for Europe/London, across the clock changes too", () => {
    fc.assert(
      fc.property(fc.oneof(anyInstant, nearClockChange), (at) => {
        const p = wallParts(at);
        expect(formatLongWhen(at)).toBe(`${p.weekday} ${p.day} ${p.month} ${p.year} at ${p.hour}:${p.minute}`);
        const date = londonDate(at);
        expect(formatLongWhen(at).startsWith(formatLongWhen(`${date}T12:00:00Z`).split(" at ")[0]!)).toBe(true);
        expect(formatWhen(at)).toMatch(new RegExp(`^${p.weekday!.slice(0, 3)} ${p.day} \\S+ ${p.year}, ${p.hour}:${p.minute}$`));
      }),
      { numRuns: 500 },
    );
  });

  it("londonInstant is the instant London's clocks show that date and time", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 18_262 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (offset, h, m) => {
        const date = addCalendarDays("1990-01-01", offset);
        const time = `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
        const at = londonInstant(date, time);
        // The hour the clocks skip in spring is not shown: anything else is shown as asked.
        if (londonDate(at) === date && wallParts(at).hour === time.slice(0, 2)) expect(`${wallParts(at).hour}:${wallParts(at).minute}`).toBe(time);
        else expect(h).toBe(1);
      }),
      { numRuns: 500 },
    );
  });
});
