import { describe, expect, it } from "vitest";
import { alertCard } from "../../../shared/cards/alertCard";
import type { DisputeAction } from "../../../shared/dispute/commands";
import { currentStage } from "../../../shared/dispute/disputeSchema";
import { isAllowedIn } from "../../../shared/dispute/lifecycle";
import { actionsFor } from "../../../shared/dispute/permissions";
import { renderNotice } from "../../../shared/messages/notices";
import { planEscalation, planForDispute } from "../../../shared/plan/planEscalation";
import { apply, calendar, ctx, lambeth, procedure } from "../../fixtures/disputes";
import { CAP_DUE, CAP_WARNING, MON_1_FEB, TUE_2_FEB, WED_3_FEB, calendarOps, notices, raisedOnMonday, rejected, system, timerCommand, timersOf } from "../../fixtures/lifecycle";
import { as, patti } from "../../fixtures/people";

/** Lambeth, but stage 4 is a report to the Director of Children's Social Care with no timescale. */
const { responseDays: _days, ...director } = lambeth.stages[3]!;
const reportToDirector = procedure({ ...lambeth, stages: lambeth.stages.map((s) => (s.stage === 4 ? { ...director, title: "Report to the Director of CSC", timescale: "none" } : s)) });
const toDirector = (timescaleDays?: number) =>
  apply(raisedOnMonday({}, reportToDirector).dispute, { action: "escalate", rationale: "A report to the director is needed.", toStage: 4, ...(timescaleDays ? { timescaleDays } : {}) }, ctx(TUE_2_FEB, undefined, reportToDirector));

describe("a stage with no timescale: the procedure file", () => {
  it("says it outright: neither working days nor timescale none is refused, naming the field, and so is both", () => {
    const { responseDays: _d, ...bare } = lambeth.stages[1]!;
    expect(() => procedure({ ...lambeth, stages: lambeth.stages.map((s) => (s.stage === 2 ? bare : s)) })).toThrow(
      'stages[1].responseDays: give the working days to answer, or timescale "none" where the procedure sets none',
    );
    expect(() => procedure({ ...lambeth, stages: lambeth.stages.map((s) => (s.stage === 2 ? { ...s, timescale: "none" } : s)) })).toThrow(
      'stages[1].timescale: must not be given beside responseDays: a stage has working days or "none"',
    );
    expect(() => procedure({ ...lambeth, stages: lambeth.stages.map((s) => (s.stage === 2 ? { ...bare, timescale: "never" } : s)) })).toThrow("stages[1].timescale");
  });
});

describe("a stage with no timescale: the lifecycle", () => {
  const { dispute, effects } = toDirector();
  const s = currentStage(dispute);

  it("the stage is held with no due date and no response days", () => {
    expect(dispute.stage).toBe(4);
    expect(s).not.toHaveProperty("dueAt");
    expect(s).not.toHaveProperty("responseDays");
    expect(s.assignee).toEqual(patti);
  });

  it("no deadline and no reminders are set; the 20 working day cap still runs from the raise", () => {
    expect(timersOf(dispute)).toEqual([
      ["cap-warning", CAP_WARNING],
      ["cap", CAP_DUE],
    ]);
    expect(dispute.capDueAt).toBe(CAP_DUE);
  });

  it("the director is alerted, but no calendar entry is written for a due date there is not", () => {
    expect(notices(effects).filter((n) => n.notice === "alert")).toEqual([{ notice: "alert", to: "Patti Fernandez", role: "director-csc", channel: "teams" }]);
    expect(calendarOps(effects).filter((c) => c.op === "upsert")).toEqual([]);
  });

  it("the cap passes as usual and the IRO and QA are told", () => {
    const warned = apply(dispute, timerCommand(dispute, "cap-warning"), system(CAP_WARNING, reportToDirector)).dispute;
    const passed = apply(warned, timerCommand(warned, "cap"), system(CAP_DUE, reportToDirector));
    expect(passed.dispute.capNotices?.passedAt).toBe(CAP_DUE);
    expect(passed.dispute.state).toBe("awaiting-response");
  });

  it("the holder cannot ask for more time: there is no deadline to move", () => {
    expect(rejected(dispute, { action: "request-more-time", days: 3, reason: "Need the finance figures." }, ctx(WED_3_FEB, as(patti), reportToDirector))).toEqual({
      code: "invalid",
      message: "The procedure sets stage 4 (Report to the Director of CSC) no timescale, so there is no deadline to move. Nothing was changed.",
      field: "days",
    });
  });

  it("the answer is recorded as neither within nor outside a timescale", () => {
    const answered = apply(dispute, { action: "respond", response: "Report received; funding agreed." }, ctx(WED_3_FEB, as(patti), reportToDirector));
    expect(answered.event.detail).toMatchObject({ stage: 4, withinTimescale: null });
  });

  it("the IRO may still set one, by the child's needs: then it has a deadline, reminders and calendar entries", () => {
    const set = toDirector(3);
    expect(currentStage(set.dispute)).toMatchObject({ responseDays: 3, dueAt: "2027-02-05T17:00:00.000Z" });
    expect(timersOf(set.dispute).map(([k]) => k)).toEqual(["reminder", "reminder", "deadline", "cap-warning", "cap"]);
    expect(calendarOps(set.effects).filter((c) => c.op === "upsert")).toHaveLength(2);
    const extended = apply(dispute, { action: "extend", until: "2027-02-10", reason: "The director reports at the next panel." }, ctx(WED_3_FEB, undefined, reportToDirector));
    expect(currentStage(extended.dispute).dueAt).toBe("2027-02-10T17:00:00.000Z");
    expect(timersOf(extended.dispute).map(([k]) => k)).toContain("deadline");
  });

  it("every earlier date stays as it was: stages 1 to 3 still fall due after 4 working days each", () => {
    const r = raisedOnMonday({}, reportToDirector).dispute;
    expect(currentStage(r).dueAt).toBe("2027-02-05T17:00:00.000Z");
  });
});

describe("a stage with no timescale: what people read", () => {
  const { dispute } = toDirector();

  it("the plan shows it without a deadline, and the stages after it without dates", () => {
    const plan = planEscalation({ procedure: "lambeth", stages: reportToDirector.stages, capWorkingDays: 20, receivedAt: new Date(MON_1_FEB), startStage: 3 }, calendar);
    expect(plan.stages.map((p) => [p.stage, p.responseDays, p.dueDate, p.noTimescale ?? false, p.receivedAt !== null])).toEqual([
      [3, 4, "2027-02-05", false, true],
      [4, null, null, true, true],
      [5, 4, null, false, false],
    ]);
    const inFlight = planForDispute(dispute, calendar, new Date(WED_3_FEB))!;
    expect(inFlight.stages.map((p) => [p.stage, p.dueAt, p.noTimescale ?? false, p.receivedAt])).toEqual([
      [4, null, true, dispute.stages[1]!.receivedAt],
      [5, null, false, null],
    ]);
  });

  it("the director's card says so, instead of a due date", () => {
    const actions = actionsFor(dispute, as(patti), (a) => isAllowedIn(a, dispute.state)) as DisputeAction[];
    const card = JSON.stringify(
      alertCard({ dispute, history: [], plan: planForDispute(dispute, calendar), viewer: "assignee", actions, labels: { category: "Statutory", reason: "No social worker" }, workingDaysLeft: null, refreshUserIds: [] }),
    );
    expect(card).toContain("please respond (no timescale set by the procedure)");
    expect(card).toContain("No deadline: no timescale set by the procedure");
    expect(card).not.toContain("Invalid Date");
  });

  it("the alert notice and mail say there is no deadline", () => {
    const r = renderNotice({ notice: "alert", dispute, to: patti, role: "director-csc" });
    expect(r.text).toContain("Please answer: there is no deadline (no timescale set by the procedure).");
    expect(r.text).not.toMatch(/unrecorded|Invalid/);
    expect(r.subject).toBe("Dispute D-1 · stage 4 · please respond");
  });
});
