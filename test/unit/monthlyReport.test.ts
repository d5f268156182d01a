/**
 * The monthly report, from audit events made by running real commands through `decide` (Lambeth,
 * the demo roster), across Christmas 2026 and into January 2027. Every expected figure below was
 * worked out by hand from the story told in `world()`; the reasoning is written next to it.
 *
 * The calendar (England and Wales, GMT all winter, so UTC times are London times):
 *   Dec 2026: Fri 25 Christmas Day; Sat 26 Boxing Day, so Mon 28 is its substitute bank holiday.
 *   Jan 2027: Fri 1 New Year's Day.
 */
import { describe, expect, it } from "vitest";
import type { Command } from "../../shared/dispute/commands";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import type { AuditEvent } from "../../shared/dispute/events";
import type { Actor } from "../../shared/dispute/people";
import {
  type MonthlyReport,
  csvField,
  isMonth,
  monthPeriod,
  monthlyReport,
  monthlyReportCsv,
  monthlyReportHtml,
  nearestRank,
  previousMonth,
} from "../../shared/reports/monthlyReport";
import { apply, calendar, ctx, details, lambeth, sweep } from "../fixtures/disputes";
import { adele, alex, as, isaiah, iro, lynne, megan, quinn, stranger } from "../fixtures/people";

const secondIro = as(stranger, "iro");
const serviceManager = as(adele);

/** A tenant's disputes and every event they produced, in the order they happened. */
function world() {
  const disputes = new Map<string, Dispute>();
  const events: AuditEvent[] = [];
  /** Fire the dispute's timers due by `now` (as the sweep would), then apply the command at `now`. */
  const step = (id: string, now: string, actor: Actor, command: Command) => {
    let d = disputes.get(id);
    if (d) {
      const swept = sweep(d, now);
      events.push(...swept.decisions.map((x) => x.event));
      d = swept.dispute;
    }
    const decision = apply(d, command, ctx(now, actor));
    disputes.set(id, decision.dispute);
    events.push(decision.event);
    return decision;
  };
  const raise = (id: string, now: string, actor: Actor, overrides: Parameters<typeof details>[0] = {}, direction: "standard" | "reverse" = "standard") =>
    step(id, now, actor, { action: "raise", disputeId: id, tenantId: "t-demo", direction, details: details(overrides) });

  // G: raised Mon 23 Nov at stage 1 (drift / no care plan); answered 24 Nov; escalated Tue 1 Dec
  // to stage 3, bypassing 2; the AD answers Thu 3 Dec (2 working days, within 4); intention to
  // refer to CAFCASS Fri 4 Dec (the DCS told first), referred Mon 7 Dec; resolved Thu 7 Jan.
  raise("G", "2026-11-23T10:00:00Z", iro, { category: "drift-in-care-planning", reason: "no-care-plan" });
  step("G", "2026-11-24T10:00:00Z", as(megan), { action: "respond", response: "A plan will follow." });
  step("G", "2026-12-01T10:00:00Z", iro, { action: "escalate", toStage: 3, rationale: "No plan a week on: straight to the AD." });
  step("G", "2026-12-03T10:00:00Z", as(isaiah), { action: "respond", response: "Plan to panel on 10 December." });
  step("G", "2026-12-04T10:00:00Z", iro, { action: "intend-referral", to: "cafcass", reasons: "Drift across two reviews." });
  step("G", "2026-12-04T11:00:00Z", iro, { action: "record-consultation", consultation: "senior-management", on: "2026-12-04", outcome: "Referral agreed." });
  step("G", "2026-12-07T10:00:00Z", iro, { action: "refer", to: "cafcass" });
  step("G", "2027-01-07T10:00:00Z", iro, { action: "resolve", outcome: "Plan approved at panel; placement found." });

  // B: raised Wed 2 Dec at stage 1 (drift / care plan delay), due Tue 8 Dec 17:00 (3, 4, 7, 8 Dec);
  // the deadline passes unanswered; the team manager answers Wed 9 Dec, late; escalated Thu 10
  // Dec to stage 2; the service manager answers Tue 15 Dec (11, 14, 15 = 3 working days, due 16);
  // resolved Wed 16 Dec.
  raise("B", "2026-12-02T10:00:00Z", iro, { category: "drift-in-care-planning", reason: "care-plan-delay" });
  step("B", "2026-12-09T10:00:00Z", as(megan), { action: "respond", response: "Sorry for the delay: the plan is attached." });
  step("B", "2026-12-10T10:00:00Z", iro, { action: "escalate", rationale: "The plan does not say who does what." });
  step("B", "2026-12-15T10:00:00Z", as(adele), { action: "respond", response: "Named workers and dates added." });
  step("B", "2026-12-16T10:00:00Z", iro, { action: "resolve", outcome: "Plan complete with names and dates." });

  // C: raised Mon 14 Dec at stage 1 (safeguarding / s47, a child on a CP plan); answered Wed 16 Dec
  // (2 working days, due Fri 18); put on hold Thu 17 Dec until Tue 12 Jan; resolved Wed 13 Jan.
  raise("C", "2026-12-14T10:00:00Z", iro, { category: "safeguarding", reason: "s47-not-initiated", child: { reference: "LCS-77", initials: "A.B.", legalStatus: "child-protection", team: "demo-team" } });
  step("C", "2026-12-16T10:00:00Z", as(megan), { action: "respond", response: "Strategy meeting booked.", actionsAgreed: "S47 enquiry by 12 January.", completionDate: "2027-01-12" });
  step("C", "2026-12-17T10:00:00Z", iro, { action: "hold", until: "2027-01-12", actionsAgreed: "S47 enquiry completed by 12 January." });
  step("C", "2027-01-13T10:00:00Z", iro, { action: "resolve", outcome: "Enquiry completed; plan updated." });

  // A: raised Mon 21 Dec at stage 1 (no allocated social worker); answered Tue 22 Dec (1 working
  // day); resolved Tue 5 Jan.
  raise("A", "2026-12-21T10:00:00Z", iro);
  step("A", "2026-12-22T11:00:00Z", as(megan), { action: "respond", response: "Allocated to Sam from today." });
  step("A", "2027-01-05T10:00:00Z", iro, { action: "resolve", outcome: "Allocated and visited." });

  // D: an exception (child death) raised Tue 22 Dec, straight to stage 5 (DCS), due Wed 30 Dec
  // (23, 24, 29, 30); the LSCP referral intended Wed 23 Dec and made Thu 24 Dec; the deadline
  // passes on 30 Dec; the DCS answers Mon 4 Jan, late; still open at the end of January.
  {
    const { startStage: _s, timescaleDays: _t, ...rest } = details({ category: "safeguarding", reason: "cp-plan-delay" });
    step("D", "2026-12-22T10:00:00Z", iro, { action: "raise-exception", disputeId: "D", tenantId: "t-demo", exceptionKind: "child-death", details: rest });
  }
  step("D", "2026-12-23T10:00:00Z", iro, { action: "intend-referral", to: "lscp", reasons: "Child death: multi-agency review." });
  step("D", "2026-12-23T11:00:00Z", iro, { action: "record-consultation", consultation: "senior-management", on: "2026-12-23", outcome: "Referral agreed." });
  step("D", "2026-12-24T10:00:00Z", iro, { action: "refer", to: "lscp" });
  step("D", "2027-01-04T10:00:00Z", as(lynne), { action: "respond", response: "Review commissioned." });

  // F: raised informally Tue 29 Dec (statutory / visits), withdrawn Thu 31 Dec.
  raise("F", "2026-12-29T10:00:00Z", iro, { reason: "visits-not-made", startStage: 0 });
  step("F", "2026-12-31T10:00:00Z", iro, { action: "withdraw", reason: "Visit took place on 30 December." });

  // H: another IRO raises Wed 30 Dec at stage 2 (bypassing 1), for another team; still open.
  raise("H", "2026-12-30T10:00:00Z", secondIro, { startStage: 2, child: { reference: "MOS-9", initials: "K.", legalStatus: "looked-after", team: "other-team" } });

  // E: a reverse dispute: the service manager raises a concern about the IRO service Mon 4 Jan
  // (provision of services / professional practice); the IRO service manager answers Tue 5 Jan;
  // resolved Wed 6 Jan.
  raise("E", "2027-01-04T10:00:00Z", serviceManager, { category: "provision-of-services", reason: "professional-practice" }, "reverse");
  step("E", "2027-01-05T10:00:00Z", as(quinn), { action: "respond", response: "Reviews rescheduled." });
  step("E", "2027-01-06T10:00:00Z", serviceManager, { action: "resolve", outcome: "Agreed." });

  return { disputes, events };
}

const { disputes, events } = world();
const positiveFeedback = [
  { recordedAt: "2026-12-03T12:00:00Z" },
  { recordedAt: "2026-12-31T23:30:00Z" }, // 23:30 on New Year's Eve, GMT: December
  { recordedAt: "2027-01-01T00:00:00Z" }, // midnight: January
];
/** Shuffled: the report takes the events in any order. */
const shuffled = [...events].sort((a, b) => (a.id.split("").reverse().join("") < b.id.split("").reverse().join("") ? -1 : 1));
const report = (month: string, from: readonly AuditEvent[] = shuffled) => monthlyReport({ month, events: from, calendar, labels: lambeth, positiveFeedback, teams: [{ id: "demo-team", displayName: "Children in Care Team 1" }] });

describe("the story is what the commands made it", () => {
  it("each dispute ended where the story says", () => {
    expect(Object.fromEntries([...disputes].map(([id, d]) => [id, `${d.state}@${d.stage}`]))).toEqual({
      G: "resolved@3",
      B: "resolved@2",
      C: "resolved@1",
      A: "resolved@1",
      D: "awaiting-decision@5",
      F: "withdrawn@0",
      H: "awaiting-response@2",
      E: "resolved@1",
    });
  });

  it("the timers the sweep fired are there too: B's and D's missed deadlines, G's cap notices, C's hold date", () => {
    const system = events.filter((e) => e.actor === null).map((e) => `${e.disputeId} ${e.action} ${e.at.slice(0, 10)}`);
    expect(system).toContain("B deadline-passed 2026-12-08");
    expect(system).toContain("D deadline-passed 2026-12-30");
    expect(system).toContain("C hold-ended 2027-01-12");
    // G's 20 working days from Mon 23 Nov end on Mon 21 Dec: warned two working days before, on Thu 17 Dec.
    expect(system).toContain("G cap-warning 2026-12-17");
    expect(system).toContain("G cap-passed 2026-12-21");
    expect(system.filter((s) => s.includes("deadline-passed"))).toHaveLength(2);
  });
});

describe("working days to resolution, over Christmas", () => {
  it("A, raised Mon 21 Dec and resolved Tue 5 Jan, took 8 working days", () => {
    // Day 1 is the first working day after the day raised. Counting: Tue 22 (1), Wed 23 (2),
    // Thu 24 (3); Fri 25 Christmas Day, Sat 26, Sun 27 and Mon 28 (Boxing Day's substitute) are
    // not working days; Tue 29 (4), Wed 30 (5), Thu 31 (6); Fri 1 Jan New Year's Day, the weekend;
    // Mon 4 Jan (7), Tue 5 Jan (8). So 8, not 7: resolving on Monday 4 January would have been 7.
    expect(calendar.workingDaysBetween("2026-12-21", "2027-01-05")).toBe(8);
    expect(calendar.workingDaysBetween("2026-12-21", "2027-01-04")).toBe(7);
  });

  it("the others resolved in January, counted the same way", () => {
    // E: Mon 4 Jan → Wed 6 Jan: Tue 5, Wed 6 = 2.
    expect(calendar.workingDaysBetween("2027-01-04", "2027-01-06")).toBe(2);
    // C: Mon 14 Dec → Wed 13 Jan: 15–18 Dec (4), 21–24 (8), 29–31 (11), 4–8 Jan (16), 11–13 (19).
    expect(calendar.workingDaysBetween("2026-12-14", "2027-01-13")).toBe(19);
    // G: Mon 23 Nov → Thu 7 Jan: 24–27 Nov (4), 30 Nov (5), 1–4 Dec (9), 7–11 (14), 14–18 (19),
    // 21–24 (23), 29–31 (26), 4–7 Jan (30).
    expect(calendar.workingDaysBetween("2026-11-23", "2027-01-07")).toBe(30);
  });
});

describe("December 2026", () => {
  const r = report("2026-12");

  it("the month is London's: midnight to midnight, GMT", () => {
    expect(r.month).toBe("2026-12");
    expect(r.period).toEqual({ start: "2026-12-01T00:00:00.000Z", end: "2027-01-01T00:00:00.000Z" });
  });

  it("counts", () => {
    expect(r.summary).toEqual({
      raised: 6, // A, B, C, D, F, H (G was raised in November, E in January)
      resolved: 1, // B
      withdrawn: 1, // F
      openAtStart: 1, // G
      openAtEnd: 5, // A, C (on hold), D, G, H
      active: 7, // all but E
      escalations: 2, // G 1 Dec, B 10 Dec
      holdsStarted: 1, // C
      deadlinesMissed: 2, // B stage 1 on 8 Dec, D stage 5 on 30 Dec
      referralsIntended: 2, // G (CAFCASS), D (LSCP)
      referralsMade: { cafcass: 1, lscp: 1 },
      exceptions: 1, // D
      reverseRaised: 0,
      positiveFeedback: 2, // 3 Dec and 23:30 on 31 Dec
    });
  });

  it("time to resolution: B alone, Wed 2 → Wed 16 Dec = 10 working days (3, 4, 7–11, 14, 15, 16)", () => {
    expect(r.resolution).toEqual({ resolved: 1, medianWorkingDays: 10, p90WorkingDays: 10, longestWorkingDays: 10 });
    expect(r.resolvedAtStage).toEqual([{ direction: "standard", stage: 2, label: "Stage 2: Service Manager", resolved: 1, medianWorkingDays: 10 }]);
  });

  it("stage reached by 31 December, for every dispute open in the month", () => {
    // F informal; A and C at 1; B and H at 2; G at 3 (bypassed 2); D at 5.
    expect(r.stageReached.map((s) => [s.label, s.disputes])).toEqual([
      ["Informal", 1],
      ["Stage 1: Team Manager", 2],
      ["Stage 2: Service Manager", 2],
      ["Stage 3: Assistant Director", 1],
      ["Stage 5: Corporate Director / DCS", 1],
    ]);
  });

  it("responses by stage: working days from the stage's alert, and how many within its timescale", () => {
    // Stage 1: B 2→9 Dec = 5 (late), C 14→16 Dec = 2, A 21→22 Dec = 1. Sorted 1, 2, 5: the
    // nearest-rank median is the ⌈3/2⌉ = 2nd value, 2. Two of three on time: 66.7%.
    // Stage 2: B 10→15 Dec = 3, on time. Stage 3: G 1→3 Dec = 2, on time.
    // Stage 5: D's deadline passed on 30 Dec; its answer came in January.
    expect(r.responses).toEqual([
      { direction: "standard", stage: 1, label: "Stage 1: Team Manager", responses: 3, medianWorkingDays: 2, withinTimescale: 2, percentWithinTimescale: 66.7, deadlinesMissed: 1 },
      { direction: "standard", stage: 2, label: "Stage 2: Service Manager", responses: 1, medianWorkingDays: 3, withinTimescale: 1, percentWithinTimescale: 100, deadlinesMissed: 0 },
      { direction: "standard", stage: 3, label: "Stage 3: Assistant Director", responses: 1, medianWorkingDays: 2, withinTimescale: 1, percentWithinTimescale: 100, deadlinesMissed: 0 },
      { direction: "standard", stage: 5, label: "Stage 5: Corporate Director / DCS", responses: 0, medianWorkingDays: null, withinTimescale: 0, percentWithinTimescale: null, deadlinesMissed: 1 },
    ]);
  });

  it("by category and reason: open in the month, raised, resolved, open at its end", () => {
    const row = (x: { label: string; active: number; raised: number; resolved: number; openAtEnd: number }) => [x.label, x.active, x.raised, x.resolved, x.openAtEnd];
    // Statutory: A, F, H raised; F withdrawn; A, H open. Safeguarding: C, D raised, both open.
    // Drift: B raised and resolved; G from November, still open.
    expect(r.byCategory.map(row)).toEqual([
      ["Failure to meet LA statutory responsibilities", 3, 3, 0, 2],
      ["Safeguarding", 2, 2, 0, 2],
      ["Unacceptable drift in care planning", 2, 1, 1, 1],
    ]);
    expect(r.byReason.map((x) => [x.reasonLabel, x.active, x.raised, x.resolved, x.openAtEnd])).toEqual([
      ["No allocated social worker", 2, 2, 0, 2], // A, H
      ["Avoidable drift or delay in implementing the care plan", 1, 1, 1, 0], // B
      ["Avoidable drift or delay in the child protection plan", 1, 1, 0, 1], // D
      ["S47 enquiries not started on new concerns", 1, 1, 0, 1], // C
      ["Child not visited regularly or seen alone", 1, 1, 0, 0], // F
      ["No clear care plan in place", 1, 0, 0, 1], // G
    ]);
  });

  it("by team, by IRO (who raised it) and by legal status", () => {
    const row = (x: { label: string; active: number; raised: number; resolved: number; openAtEnd: number }) => [x.label, x.active, x.raised, x.resolved, x.openAtEnd];
    expect(r.byTeam.map(row)).toEqual([
      ["Children in Care Team 1", 6, 5, 1, 4],
      ["other-team", 1, 1, 0, 1],
    ]);
    expect(r.byIro.map(row)).toEqual([
      [alex.displayName, 6, 5, 1, 4],
      [stranger.displayName, 1, 1, 0, 1],
    ]);
    expect(r.byIro[0]!.key).toBe(alex.id);
    expect(r.byLegalStatus.map(row)).toEqual([
      ["Looked after", 6, 5, 1, 4],
      ["Child protection plan", 1, 1, 0, 1],
    ]);
  });

  it("exceptions by kind, reverse disputes, and themes rising on November", () => {
    expect(r.exceptions).toEqual([{ kind: "child-death", label: "Child death", count: 1 }]);
    expect(r.reverse).toEqual({ raised: 0, resolved: 0, withdrawn: 0, openAtEnd: 0 });
    // November: G (drift) only. December: statutory 3, safeguarding 2, drift 1 (no rise).
    expect(r.themes).toEqual([
      { category: "statutory-responsibilities", label: "Failure to meet LA statutory responsibilities", previous: 0, current: 3, rise: 3 },
      { category: "safeguarding", label: "Safeguarding", previous: 0, current: 2, rise: 2 },
    ]);
  });
});

describe("January 2027", () => {
  const r = report("2027-01");

  it("counts", () => {
    expect(r.summary).toEqual({
      raised: 1, // E
      resolved: 4, // A 5 Jan, E 6 Jan, G 7 Jan, C 13 Jan
      withdrawn: 0,
      openAtStart: 5, // A, C, D, G, H
      openAtEnd: 2, // D, H
      active: 6, // A, C, D, E, G, H
      escalations: 0,
      holdsStarted: 0,
      deadlinesMissed: 0,
      referralsIntended: 0,
      referralsMade: { cafcass: 0, lscp: 0 },
      exceptions: 0,
      reverseRaised: 1,
      positiveFeedback: 1, // midnight on 1 January
    });
  });

  it("time to resolution across Christmas: 2, 8, 19, 30 → median 8, 90th percentile 30", () => {
    // Nearest rank over 4 values: the median is the ⌈0.5 × 4⌉ = 2nd (8), the 90th percentile the
    // ⌈0.9 × 4⌉ = 4th (30).
    expect(r.resolution).toEqual({ resolved: 4, medianWorkingDays: 8, p90WorkingDays: 30, longestWorkingDays: 30 });
    expect(r.resolvedAtStage.map((s) => [s.label, s.resolved, s.medianWorkingDays])).toEqual([
      ["Stage 1: Team Manager", 2, 8], // A 8, C 19: the lower middle, 8
      ["Stage 3: Assistant Director", 1, 30], // G
      ["Reverse stage 1: IRO Service Manager", 1, 2], // E
    ]);
  });

  it("responses: the DCS's late answer took 6 working days over Christmas; the reverse answer 1", () => {
    // D: Tue 22 Dec → Mon 4 Jan: 23, 24, 29, 30, 31, 4 = 6, after the 30 Dec deadline.
    expect(r.responses).toEqual([
      { direction: "standard", stage: 5, label: "Stage 5: Corporate Director / DCS", responses: 1, medianWorkingDays: 6, withinTimescale: 0, percentWithinTimescale: 0, deadlinesMissed: 0 },
      { direction: "reverse", stage: 1, label: "Reverse stage 1: IRO Service Manager", responses: 1, medianWorkingDays: 1, withinTimescale: 1, percentWithinTimescale: 100, deadlinesMissed: 0 },
    ]);
  });

  it("stage reached, by category, by IRO, reverse, themes", () => {
    expect(r.stageReached.map((s) => [s.label, s.disputes])).toEqual([
      ["Stage 1: Team Manager", 2], // A, C
      ["Stage 2: Service Manager", 1], // H
      ["Stage 3: Assistant Director", 1], // G
      ["Stage 5: Corporate Director / DCS", 1], // D
      ["Reverse stage 1: IRO Service Manager", 1], // E
    ]);
    expect(r.byCategory.map((x) => [x.key, x.active, x.raised, x.resolved, x.openAtEnd])).toEqual([
      ["provision-of-services", 1, 1, 1, 0], // E
      ["safeguarding", 2, 0, 1, 1], // C resolved, D open
      ["statutory-responsibilities", 2, 0, 1, 1], // A resolved, H open
      ["drift-in-care-planning", 1, 0, 1, 0], // G
    ]);
    expect(r.byIro.map((x) => [x.label, x.active, x.raised, x.resolved, x.openAtEnd])).toEqual([
      [adele.displayName, 1, 1, 1, 0], // the reverse dispute's raiser
      [alex.displayName, 4, 0, 3, 1],
      [stranger.displayName, 1, 0, 0, 1],
    ]);
    expect(r.reverse).toEqual({ raised: 1, resolved: 1, withdrawn: 0, openAtEnd: 0 });
    expect(r.themes).toEqual([{ category: "provision-of-services", label: "Dispute regarding provision of services", previous: 0, current: 1, rise: 1 }]);
  });
});

describe("a past month never changes", () => {
  it("December's report is the same before and after January's events arrive", () => {
    const endOfDecember = Date.parse("2027-01-01T00:00:00Z");
    const thenKnown = events.filter((e) => Date.parse(e.at) < endOfDecember);
    expect(thenKnown.length).toBeLessThan(events.length);
    const before = report("2026-12", thenKnown);
    expect(report("2026-12", events)).toEqual(before);
    // Even more events later still (another dispute raised and resolved in February) change nothing.
    const later = world().events.map((e) => ({ ...e, disputeId: `X${e.disputeId}`, at: new Date(Date.parse(e.at) + 90 * 86_400_000).toISOString() }));
    expect(report("2026-12", [...events, ...later])).toEqual(before);
  });

  it("and does not depend on the order the events come in", () => {
    expect(report("2027-01", [...events].reverse())).toEqual(report("2027-01", events));
  });

  it("a month with nothing in it", () => {
    const r = report("2026-10");
    expect(r.summary.raised).toBe(0);
    expect(r.resolution).toEqual({ resolved: 0, medianWorkingDays: null, p90WorkingDays: null, longestWorkingDays: null });
    expect(r.byCategory).toEqual([]);
    expect(r.themes).toEqual([]);
  });
});

describe("months in London time", () => {
  it("a summer month starts at 23:00 UTC the day before (BST)", () => {
    expect(monthPeriod("2026-07")).toEqual({ start: new Date("2026-06-30T23:00:00Z"), end: new Date("2026-07-31T23:00:00Z") });
  });

  it("a dispute raised at 00:30 on 1 July London time (23:30 UTC on 30 June) counts in July", () => {
    const e = apply(undefined, { action: "raise", disputeId: "S", tenantId: "t-demo", direction: "standard", details: details() }, ctx("2026-06-30T23:30:00Z")).event;
    expect(monthlyReport({ month: "2026-06", events: [e], calendar }).summary.raised).toBe(0);
    expect(monthlyReport({ month: "2026-07", events: [e], calendar }).summary.raised).toBe(1);
  });

  it("months are written YYYY-MM", () => {
    expect(["2026-12", "2027-01"].every(isMonth)).toBe(true);
    expect(["2026-13", "2026-1", "2026-00", "26-12", "2026-12-01", ""].some(isMonth)).toBe(false);
    expect(previousMonth("2027-01")).toBe("2026-12");
    expect(() => monthlyReport({ month: "2026-13", events: [], calendar })).toThrow(/month: must be a month written YYYY-MM/);
  });
});

describe("nearest-rank percentiles", () => {
  it("are always one of the values", () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([4], 90)).toBe(4);
    expect(nearestRank([7, 3], 50)).toBe(3);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
    expect(nearestRank([5, 1, 3], 50)).toBe(3);
  });
});

describe("CSV", () => {
  const r = report("2026-12");
  const csv = monthlyReportCsv(r);
  const lines = csv.split("\r\n");

  it("one section per table: a title, a header row, the rows; CRLF line ends", () => {
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(lines.slice(0, 4)).toEqual(["\"Summary, December 2026\"", "Measure,Value", "Disputes raised,6", "Disputes resolved,1"]);
    expect(lines).toContain('"Time to resolution (working days, raised to resolved)"');
    expect(lines).toContain("Resolved,Median,90th percentile,Longest");
    expect(lines).toContain("1,10,10,10");
    expect(lines).toContain("Stage 1: Team Manager,3,2,2,66.7,1");
    expect(lines).toContain("Stage 5: Corporate Director / DCS,0,,0,,1");
    expect(lines).toContain("Failure to meet LA statutory responsibilities,3,3,0,2");
    // 14 tables, and the reasons' themes, the outcomes and the good practice beside them.
    expect(csv.split("\r\n\r\n")).toHaveLength(17);
  });

  it("quotes commas, quotes and line breaks (RFC 4180), and defuses formulas", () => {
    expect(csvField('Drift, "delay" and more')).toBe('"Drift, ""delay"" and more"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("plain")).toBe("plain");
    expect(csvField("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvField(null)).toBe("");
    expect(csvField(-1)).toBe("-1");
  });

  it("labels with commas and quotes come out quoted in the report", () => {
    const labels = { categories: [{ id: "statutory-responsibilities", label: 'Statutory, "core" duties', reasons: [{ id: "no-allocated-social-worker", label: "No SW, again" }] }] };
    const named = events.map((e) => (e.actor?.id === stranger.id ? { ...e, actor: { ...e.actor, displayName: 'Else, "Someone"' } } : e));
    const out = monthlyReportCsv(monthlyReport({ month: "2026-12", events: named, calendar, labels })).split("\r\n");
    expect(out).toContain('"Statutory, ""core"" duties",3,3,0,2');
    expect(out).toContain('"Statutory, ""core"" duties","No SW, again",2,2,0,2');
    expect(out).toContain('"Else, ""Someone""",1,1,0,1');
  });
});

describe("the page", () => {
  it("shows every table, escaped", () => {
    const labels = { categories: [{ id: "statutory-responsibilities", label: "<script>alert(1)</script>", reasons: [] }] };
    const html = monthlyReportHtml(monthlyReport({ month: "2026-12", events, calendar, labels }), { authority: "Demo & Co", csvHref: "?month=2026-12&format=csv" });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("Demo &amp; Co");
    expect(html).toContain('href="?month=2026-12&amp;format=csv"');
    for (const title of ["Summary, December 2026", "Time to resolution", "Responses by stage", "By category", "By reason", "By team", "By IRO", "Exceptions", "Reverse disputes", "Themes"]) {
      expect(html).toContain(title);
    }
  });
});

// The report is plain data: it survives JSON unchanged (the API sends it as JSON).
it("round-trips through JSON", () => {
  const r: MonthlyReport = report("2027-01");
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
});

describe("the child's voice in the monthly report", () => {
  it("counts, of the escalations and resolutions people made, those recording the child's voice and what it says", () => {
    const raised = apply(undefined, { action: "raise", disputeId: "V-1", tenantId: "t-demo", direction: "standard", details: details() }, ctx("2027-02-01T10:00:00Z"));
    const voice = { told: true, wishesAndFeelings: "Wants to stay.", advocacyOffered: true, routesExplained: false };
    const up = apply(raised.dispute, { action: "escalate", rationale: "No reply.", childVoice: voice }, ctx("2027-02-03T10:00:00Z"));
    const done = apply(up.dispute, { action: "resolve", outcome: "Allocated." }, ctx("2027-02-04T10:00:00Z"));
    const r = monthlyReport({ month: "2027-02", events: [raised.event, up.event, done.event], calendar });
    expect(r.childVoice).toEqual({ decisions: 2, recorded: 1, told: 1, wishesRecorded: 1, advocacyOffered: 1, routesExplained: 0 });
    expect(monthlyReportCsv(r)).toContain("The child's voice at escalations and resolutions\r\nDecisions,Child's voice recorded,Child told,Wishes and feelings recorded,Advocacy offered,Complaints and legal advice routes explained\r\n2,1,1,1,1,0");
  });
});

