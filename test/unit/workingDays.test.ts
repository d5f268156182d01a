import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createWorkingCalendar } from "../../shared/calendar/workingDays";

const calendar = createWorkingCalendar();
const LAMBETH_DAYS = 4;

/** An instant written as London shows it, checked against its UTC form so the test cannot drift. */
const at = (utc: string) => new Date(utc);

describe("deadlines in working days, London time", () => {
  describe("Lambeth, 4 working days per stage, over Christmas 2026", () => {
    // Friday 25 December, Saturday 26 (Boxing Day), so Monday 28 December is the substitute holiday.
    const received = at("2026-12-21T10:00:00Z"); // Monday 21 December 2026, 10:00 GMT

    it("a dispute received Monday 21 December 2026 at 10:00 is due at 17:00 on Tuesday 29 December", () => {
      expect(calendar.deadline(received, LAMBETH_DAYS)).toEqual(at("2026-12-29T17:00:00Z"));
    });

    it("counts 22, 23 and 24 December, skips Christmas, the weekend and Monday 28, then Tuesday 29 is day 4", () => {
      expect([1, 2, 3, 4].map((n) => calendar.addWorkingDays("2026-12-21", n))).toEqual([
        "2026-12-22",
        "2026-12-23",
        "2026-12-24",
        "2026-12-29",
      ]);
    });

    it("the 20 working day cap from then falls at 17:00 on Thursday 21 January 2027 (New Year's Day skipped)", () => {
      expect(calendar.deadline(received, 20)).toEqual(at("2027-01-21T17:00:00Z"));
    });
  });

  describe("over Easter 2027 (Good Friday 26 March, Easter Monday 29 March, BST from Sunday 28 March)", () => {
    const received = at("2027-03-25T10:00:00Z"); // Thursday 25 March 2027, 10:00 GMT

    it("day 1 is Tuesday 30 March, due at 17:00 BST", () => {
      expect(calendar.deadline(received, 1)).toEqual(at("2027-03-30T16:00:00Z"));
    });

    it("Lambeth's 4 working days end at 17:00 BST on Friday 2 April 2027", () => {
      expect(calendar.deadline(received, LAMBETH_DAYS)).toEqual(at("2027-04-02T16:00:00Z"));
    });

    it("neither Good Friday nor Easter Monday is a working day", () => {
      expect(calendar.isWorkingDay("2027-03-26")).toBe(false);
      expect(calendar.isWorkingDay("2027-03-29")).toBe(false);
      expect(calendar.isWorkingDay("2027-03-25")).toBe(true);
    });
  });

  describe("when the dispute is received", () => {
    it("on a Saturday, day 1 is the Monday", () => {
      const saturday = at("2026-06-06T11:00:00Z"); // Saturday 6 June 2026, 12:00 BST
      expect(calendar.deadline(saturday, 1)).toEqual(at("2026-06-08T16:00:00Z"));
    });

    it("on a Sunday, day 1 is still the Monday", () => {
      expect(calendar.deadline(at("2026-06-07T11:00:00Z"), 1)).toEqual(at("2026-06-08T16:00:00Z"));
    });

    it("after 17:00, day 1 is still the next working day", () => {
      const mondayEvening = at("2026-06-08T17:30:00Z"); // Monday 8 June 2026, 18:30 BST
      expect(calendar.deadline(mondayEvening, 1)).toEqual(at("2026-06-09T16:00:00Z"));
    });

    it("just after midnight in London (still the day before in UTC), day 1 is the day after London's date", () => {
      const tuesdayEarly = at("2026-06-08T23:30:00Z"); // Tuesday 9 June 2026, 00:30 BST
      expect(calendar.deadline(tuesdayEarly, 1)).toEqual(at("2026-06-10T16:00:00Z"));
    });
  });

  describe("British Summer Time and Greenwich Mean Time", () => {
    it("a deadline in June is 17:00 BST, 16:00 UTC", () => {
      expect(calendar.endOfWorkingDay("2026-06-15")).toEqual(at("2026-06-15T16:00:00Z"));
    });

    it("a deadline in December is 17:00 GMT, 17:00 UTC", () => {
      expect(calendar.endOfWorkingDay("2026-12-15")).toEqual(at("2026-12-15T17:00:00Z"));
    });

    it("the clocks go back on Sunday 25 October 2026: Friday 23 is 16:00 UTC, Monday 26 is 17:00 UTC", () => {
      expect(calendar.deadline(at("2026-10-22T09:00:00Z"), 1)).toEqual(at("2026-10-23T16:00:00Z"));
      expect(calendar.deadline(at("2026-10-22T09:00:00Z"), 2)).toEqual(at("2026-10-26T17:00:00Z"));
    });
  });

  describe("an authority's own calendar", () => {
    it("closure days between Christmas and New Year are not working days", () => {
      const closed = createWorkingCalendar({ closureDays: ["2026-12-29", "2026-12-30", "2026-12-31"] });
      expect(closed.isWorkingDay("2026-12-30")).toBe(false);
      // 22, 23, 24 December, then closed until Monday 4 January 2027.
      expect(closed.deadline(at("2026-12-21T10:00:00Z"), LAMBETH_DAYS)).toEqual(at("2027-01-04T17:00:00Z"));
    });

    it("the working day can end at another time", () => {
      const early = createWorkingCalendar({ endOfDay: "16:30" });
      expect(early.endOfDay).toBe("16:30");
      expect(early.deadline(at("2026-06-08T09:00:00Z"), 1)).toEqual(at("2026-06-09T15:30:00Z"));
      expect(early.deadline(at("2026-12-21T10:00:00Z"), LAMBETH_DAYS)).toEqual(at("2026-12-29T16:30:00Z"));
    });

    it("ends at 17:00 unless it says otherwise", () => {
      expect(calendar.endOfDay).toBe("17:00");
    });

    it("is rejected when a closure day is not a real date, naming closureDays", () => {
      let error: unknown;
      try {
        createWorkingCalendar({ closureDays: ["2026-13-01"] });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(z.ZodError);
      expect((error as z.ZodError).issues).toEqual([
        expect.objectContaining({ path: ["closureDays", 0], message: "must be a date written YYYY-MM-DD" }),
      ]);
    });

    it("is rejected for 29 February in a year that has none", () => {
      expect(() => createWorkingCalendar({ closureDays: ["2027-02-29"] })).toThrow(/closureDays/);
    });

    it("is rejected when the end of the day is written '5pm', naming endOfDay", () => {
      expect(() => createWorkingCalendar({ endOfDay: "5pm" })).toThrow(z.ZodError);
      expect(() => createWorkingCalendar({ endOfDay: "5pm" })).toThrow(/endOfDay[\s\S]*must be a time written HH:MM/);
    });
  });
});

describe("counting working days", () => {
  it("addWorkingDays counts backwards with a negative number", () => {
    expect(calendar.addWorkingDays("2026-12-29", -1)).toBe("2026-12-24");
    expect(calendar.addWorkingDays("2027-03-30", -1)).toBe("2027-03-25");
    expect(calendar.addWorkingDays("2026-06-08", -1)).toBe("2026-06-05"); // Monday back to Friday
  });

  it("addWorkingDays with 0 is the same date, even a holiday", () => {
    expect(calendar.addWorkingDays("2026-12-25", 0)).toBe("2026-12-25");
  });

  it("addWorkingDays refuses part of a day", () => {
    expect(() => calendar.addWorkingDays("2026-06-08", 1.5)).toThrow(RangeError);
  });

  it("workingDaysBetween counts forwards, and backwards as a negative number", () => {
    expect(calendar.workingDaysBetween("2026-12-21", "2026-12-29")).toBe(4);
    expect(calendar.workingDaysBetween("2026-12-29", "2026-12-21")).toBe(-4);
    expect(calendar.workingDaysBetween("2026-06-05", "2026-06-08")).toBe(1); // Friday to Monday
    expect(calendar.workingDaysBetween("2026-06-08", "2026-06-05")).toBe(-1);
    expect(calendar.workingDaysBetween("2026-06-08", "2026-06-08")).toBe(0);
    expect(calendar.workingDaysBetween("2026-06-06", "2026-06-07")).toBe(0); // Saturday to Sunday
  });

  describe("workingDaysLeft for the Lambeth dispute due at 17:00 on Tuesday 29 December 2026", () => {
    const due = at("2026-12-29T17:00:00Z");

    it("is 4 on the day it was received", () => {
      expect(calendar.workingDaysLeft(at("2026-12-21T10:00:00Z"), due)).toBe(4);
    });

    it("is 1 on Christmas Eve, as the next working day is the due day", () => {
      expect(calendar.workingDaysLeft(at("2026-12-24T09:00:00Z"), due)).toBe(1);
    });

    it("is 1 over the holiday weekend", () => {
      expect(calendar.workingDaysLeft(at("2026-12-27T12:00:00Z"), due)).toBe(1);
    });

    it("is 0 on the due day, up to 17:00", () => {
      expect(calendar.workingDaysLeft(at("2026-12-29T09:00:00Z"), due)).toBe(0);
      expect(calendar.workingDaysLeft(at("2026-12-29T17:00:00Z"), due)).toBe(0);
    });

    it("is negative once the deadline has passed, even on the same evening", () => {
      expect(calendar.workingDaysLeft(at("2026-12-29T17:01:00Z"), due)).toBe(-1);
      expect(calendar.workingDaysLeft(at("2026-12-30T10:00:00Z"), due)).toBe(-1);
      expect(calendar.workingDaysLeft(at("2026-12-31T10:00:00Z"), due)).toBe(-2);
      expect(calendar.workingDaysLeft(at("2027-01-02T10:00:00Z"), due)).toBe(-2); // Saturday; 1 January a holiday
    });
  });
});
