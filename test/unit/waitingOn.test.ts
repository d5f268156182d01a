import { describe, expect, it } from "vitest";
import { summarise } from "../../shared/dispute/disputeSummary";
import { askOf } from "../../shared/dispute/waitingOn";
import { open } from "../fixtures/cardScenarios";
import { adele, megan } from "../fixtures/people";

describe("what a row of 'waiting on me' asks", () => {
  const row = summarise(open().dispute);
  const now = new Date("2026-12-23T10:00:00Z");

  it("the holder is asked for their answer by the deadline", () => {
    expect(row.assignee.id).toBe(megan.id);
    expect(askOf(row, megan.id, now)).toBe("Your answer is needed by Tue 29 Dec 2026, 17:00");
  });

  it("their cover reads the same ask, said as covering for them; past the deadline, that it is overdue", () => {
    expect(askOf({ ...row, coveringFor: megan }, adele.id, now)).toBe("Covering for Megan Bowen: your answer is needed by Tue 29 Dec 2026, 17:00");
    expect(askOf({ ...row, coveringFor: megan }, adele.id, new Date("2026-12-30T10:00:00Z"))).toBe("Covering for Megan Bowen: your answer was due Tue 29 Dec 2026, 17:00: it is overdue");
  });

  it("someone the dispute does not wait on is asked nothing", () => {
    expect(askOf(row, adele.id, now)).toBeUndefined();
  });
});
