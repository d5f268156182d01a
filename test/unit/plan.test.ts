import { describe, expect, it } from "vitest";
import { currentStage } from "../../shared/dispute/disputeSchema";
import { type EscalationPlan, planEscalation, planForDispute } from "../../shared/plan/planEscalation";
import type { Procedure } from "../../shared/procedure/procedureSchema";
import { builtInProcedures } from "../../shared/procedures";
import { apply, calendar, ctx, details, procedure, raised } from "../fixtures/disputes";
import { adele, as, demoRoster, iro, isaiah, lynne, megan, patti } from "../fixtures/people";

const lambeth = builtInProcedures["lambeth"]!;
const redbridge = builtInProcedures["redbridge"]!;
const blackburn = builtInProcedures["blackburn-with-darwen"]!;
const cumberland = builtInProcedures["cumberland"]!;
const tenDayCumberland = procedure({ ...cumberland, id: "cumberland-ten-days", stages: cumberland.stages.map((s) => ({ ...s, responseDays: 10 })) });

const plan = (p: Procedure, receivedAt: string, more: Partial<Parameters<typeof planEscalation>[0]> = {}) =>
  planEscalation({ procedure: p.id, stages: p.stages, capWorkingDays: p.capWorkingDays, receivedAt: new Date(receivedAt), ...more }, calendar);

/** [stage, receivedAt, dueAt, dueDate, exceedsCap] for each planned stage. */
const dates = (x: EscalationPlan) => x.stages.map((s) => [s.stage, s.receivedAt, s.dueAt, s.dueDate, s.exceedsCap]);

describe("planEscalation: who gets a dispute and when if nobody answers", () => {
  it("Lambeth 2: five stages of 4 working days from Monday 21 December 2026 fit the 20 working day cap exactly", () => {
    const x = plan(lambeth, "2026-12-21T10:00:00Z");
    expect(x).toMatchObject({ procedure: "lambeth", receivedAt: "2026-12-21T10:00:00.000Z", capDate: "2027-01-21", exceedsCapAtStage: null });
    expect(x.stages.map((s) => [s.stage, s.role, s.title, s.responseDays])).toEqual([
      [1, "team-manager", "Team Manager", 4],
      [2, "service-manager", "Service Manager", 4],
      [3, "assistant-director", "Assistant Director", 4],
      [4, "director-csc", "Director of Children's Social Care", 4],
      [5, "dcs", "Corporate Director / DCS", 4],
    ]);
    // Each stage is received when the one before it falls due.
    expect(dates(x)).toEqual([
      [1, "2026-12-21T10:00:00.000Z", "2026-12-29T17:00:00.000Z", "2026-12-29", false], // Christmas and the Boxing Day substitute skipped
      [2, "2026-12-29T17:00:00.000Z", "2027-01-05T17:00:00.000Z", "2027-01-05", false], // New Year's Day skipped
      [3, "2027-01-05T17:00:00.000Z", "2027-01-11T17:00:00.000Z", "2027-01-11", false],
      [4, "2027-01-11T17:00:00.000Z", "2027-01-15T17:00:00.000Z", "2027-01-15", false],
      [5, "2027-01-15T17:00:00.000Z", "2027-01-21T17:00:00.000Z", "2027-01-21", false],
    ]);
  });

  it("Redbridge 2.3: six stages of 5 working days do not fit; stage 5 is the first past the cap", () => {
    const x = plan(redbridge, "2026-12-21T10:00:00Z");
    expect(x.capDate).toBe("2027-01-21");
    expect(x.exceedsCapAtStage).toBe(5);
    expect(dates(x)).toEqual([
      [1, "2026-12-21T10:00:00.000Z", "2026-12-30T17:00:00.000Z", "2026-12-30", false],
      [2, "2026-12-30T17:00:00.000Z", "2027-01-07T17:00:00.000Z", "2027-01-07", false],
      [3, "2027-01-07T17:00:00.000Z", "2027-01-14T17:00:00.000Z", "2027-01-14", false],
      // Due at the very end of the cap's last day: not past it.
      [4, "2027-01-14T17:00:00.000Z", "2027-01-21T17:00:00.000Z", "2027-01-21", false],
      [5, "2027-01-21T17:00:00.000Z", "2027-01-28T17:00:00.000Z", "2027-01-28", true],
      [6, "2027-01-28T17:00:00.000Z", "2027-02-04T17:00:00.000Z", "2027-02-04", true],
    ]);
  });

  it("Blackburn 15: five stages of 5 working days across Easter 2027, in British Summer Time; stage 5 is past the cap", () => {
    const x = plan(blackburn, "2027-03-24T10:00:00Z");
    expect(x.capDate).toBe("2027-04-23");
    expect(x.exceedsCapAtStage).toBe(5);
    expect(dates(x)).toEqual([
      [1, "2027-03-24T10:00:00.000Z", "2027-04-02T16:00:00.000Z", "2027-04-02", false],
      [2, "2027-04-02T16:00:00.000Z", "2027-04-09T16:00:00.000Z", "2027-04-09", false],
      [3, "2027-04-09T16:00:00.000Z", "2027-04-16T16:00:00.000Z", "2027-04-16", false],
      [4, "2027-04-16T16:00:00.000Z", "2027-04-23T16:00:00.000Z", "2027-04-23", false],
      [5, "2027-04-23T16:00:00.000Z", "2027-04-30T16:00:00.000Z", "2027-04-30", true],
    ]);
  });

  it("counts from the London date: received at 00:30 BST on Easter Monday 2027, day 1 is Tuesday 30 March", () => {
    const x = plan(lambeth, "2027-03-28T23:30:00Z");
    expect(dates(x)[0]).toEqual([1, "2027-03-28T23:30:00.000Z", "2027-04-02T16:00:00.000Z", "2027-04-02", false]);
  });

  it("Lambeth 2: starting at stage 3, the plan runs from stage 3 up, the cap counted from the start", () => {
    const x = plan(lambeth, "2027-03-22T09:00:00Z", { startStage: 3 });
    expect(x.capDate).toBe("2027-04-21");
    expect(x.exceedsCapAtStage).toBeNull();
    expect(dates(x)).toEqual([
      [3, "2027-03-22T09:00:00.000Z", "2027-03-30T16:00:00.000Z", "2027-03-30", false],
      [4, "2027-03-30T16:00:00.000Z", "2027-04-05T16:00:00.000Z", "2027-04-05", false],
      [5, "2027-04-05T16:00:00.000Z", "2027-04-09T16:00:00.000Z", "2027-04-09", false],
    ]);
  });

  it("Cumberland ORP: a shorter first response set by the IRO applies to the first stage only, and can never lengthen it", () => {
    const x = plan(cumberland, "2027-02-01T10:00:00Z", { firstResponseDays: 2 });
    expect(x.stages.map((s) => [s.stage, s.responseDays, s.dueDate])).toEqual([
      [1, 2, "2027-02-03"],
      [2, 5, "2027-02-10"],
      [3, 5, "2027-02-17"],
      [4, 5, "2027-02-24"],
    ]);
    expect(plan(lambeth, "2027-02-01T10:00:00Z", { firstResponseDays: 9 }).stages[0]).toMatchObject({ responseDays: 4, dueDate: "2027-02-05" });
  });

  it("a dispute already climbing: the cap runs from when the formal process started, and each stage shows who holds it", () => {
    const x = plan(lambeth, "2027-01-05T17:00:00Z", { startStage: 3, formalStartedAt: new Date("2026-12-21T10:00:00Z"), holders: demoRoster });
    expect(x.capDate).toBe("2027-01-21");
    expect(x.stages.map((s) => [s.stage, s.dueDate, s.holder?.displayName, s.exceedsCap])).toEqual([
      [3, "2027-01-11", isaiah.displayName, false],
      [4, "2027-01-15", patti.displayName, false],
      [5, "2027-01-21", lynne.displayName, false],
    ]);
  });
});

describe("planForDispute: the plan for a dispute in flight", () => {
  it("Lambeth: raised on Monday 21 December 2026, the current stage and the rest of the ladder with who holds each", () => {
    const d = raised("2026-12-21T10:00:00Z").dispute;
    const x = planForDispute(d, calendar)!;
    expect(x).toMatchObject({ procedure: "lambeth", receivedAt: "2026-12-21T10:00:00.000Z", capDate: "2027-01-21", exceedsCapAtStage: null });
    expect(x.stages.map((s) => [s.stage, s.holder?.upn, s.receivedAt, s.dueAt])).toEqual([
      [1, megan.upn, "2026-12-21T10:00:00.000Z", "2026-12-29T17:00:00.000Z"],
      [2, adele.upn, "2026-12-29T17:00:00.000Z", "2027-01-05T17:00:00.000Z"],
      [3, isaiah.upn, "2027-01-05T17:00:00.000Z", "2027-01-11T17:00:00.000Z"],
      [4, patti.upn, "2027-01-11T17:00:00.000Z", "2027-01-15T17:00:00.000Z"],
      [5, lynne.upn, "2027-01-15T17:00:00.000Z", "2027-01-21T17:00:00.000Z"],
    ]);
  });

  it("Lambeth: past stage 1's deadline, the card's plan starts the next stage from now, not from the passed deadline", () => {
    const d = raised("2026-12-21T10:00:00Z").dispute;
    const now = new Date("2027-01-04T10:00:00Z");
    const x = planForDispute(d, calendar, now)!;
    expect(x.stages.map((s) => [s.stage, s.receivedAt, s.dueDate])).toEqual([
      [1, "2026-12-21T10:00:00.000Z", "2026-12-29"],
      [2, "2027-01-04T10:00:00.000Z", "2027-01-08"],
      [3, "2027-01-08T17:00:00.000Z", "2027-01-14"],
      [4, "2027-01-14T17:00:00.000Z", "2027-01-20"],
      [5, "2027-01-20T17:00:00.000Z", "2027-01-26"],
    ]);
    // Before the deadline, now changes nothing.
    expect(planForDispute(d, calendar, new Date("2026-12-22T10:00:00Z"))).toEqual(planForDispute(d, calendar));
  });

  it("Lambeth: escalated a day late to stage 2, the DCS stage would now fall after the cap", () => {
    const d0 = raised("2026-12-21T10:00:00Z").dispute;
    const d = apply(d0, { action: "escalate", rationale: "No response." }, ctx("2026-12-30T09:00:00Z", iro)).dispute;
    const x = planForDispute(d, calendar)!;
    expect(x.receivedAt).toBe("2026-12-30T09:00:00.000Z");
    expect(x.capDate).toBe("2027-01-21");
    expect(x.stages.map((s) => [s.stage, s.dueDate, s.exceedsCap])).toEqual([
      [2, "2027-01-06", false],
      [3, "2027-01-12", false],
      [4, "2027-01-18", false],
      [5, "2027-01-22", true],
    ]);
    expect(x.exceedsCapAtStage).toBe(5);
  });

  it("Cumberland ORP: from the informal discussion, the first formal response is held to 5 working days", () => {
    const d = apply(
      undefined,
      { action: "raise", disputeId: "D-1", tenantId: "t-demo", details: details({ category: "human-rights", reason: "non-participation", startStage: 0 }) },
      ctx("2027-02-01T10:00:00Z", iro, tenDayCumberland),
    ).dispute;
    expect(currentStage(d).dueAt).toBe("2027-02-08T17:00:00.000Z");
    const x = planForDispute(d, calendar)!;
    expect(x.stages.map((s) => [s.stage, s.responseDays, s.dueDate, s.exceedsCap])).toEqual([
      [0, 5, "2027-02-08", false],
      [1, 5, "2027-02-15", false],
      [2, 10, "2027-03-01", false],
      [3, 10, "2027-03-15", true],
      [4, 10, "2027-03-31", true], // Good Friday and Easter Monday 2027 skipped
    ]);
    // Without a formal start yet, the cap is counted from when the informal stage falls due.
    expect(x.capDate).toBe("2027-03-08");
    expect(x.exceedsCapAtStage).toBe(3);
    // And the plan agrees with what escalating from informal does.
    const formal = apply(d, { action: "escalate", rationale: "Not resolved informally." }, ctx("2027-02-08T17:00:00Z", iro, tenDayCumberland)).dispute;
    expect(currentStage(formal)).toMatchObject({ responseDays: 5, dueAt: "2027-02-15T17:00:00.000Z" });
  });

  it("at the top of the ladder the plan is the current stage alone; a closed dispute has no plan", () => {
    const { startStage: _s, ...rest } = details();
    const d = apply(undefined, { action: "raise-exception", disputeId: "D-9", tenantId: "t-demo", exceptionKind: "child-death", details: rest }, ctx("2027-02-01T10:00:00Z")).dispute;
    expect(planForDispute(d, calendar)!.stages.map((s) => [s.stage, s.holder?.upn, s.dueDate])).toEqual([[5, lynne.upn, "2027-02-05"]]);

    const closed = apply(d, { action: "withdraw", reason: "Raised in error." }, ctx("2027-02-01T11:00:00Z", iro)).dispute;
    expect(planForDispute(closed, calendar)).toBeNull();
    const answered = apply(d, { action: "respond", response: "Strategy meeting held." }, ctx("2027-02-02T11:00:00Z", as(lynne))).dispute;
    const resolved = apply(answered, { action: "resolve", outcome: "Strategy agreed." }, ctx("2027-02-02T12:00:00Z", iro)).dispute;
    expect(planForDispute(resolved, calendar)).toBeNull();
  });
});
