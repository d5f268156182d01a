import { describe, expect, it } from "vitest";
import { DisputeSchema } from "../../../shared/dispute/disputeSchema";
import { decide } from "../../../shared/dispute/lifecycle";
import { builtInProcedures } from "../../../shared/procedures";
import { ctx } from "../../fixtures/disputes";
import { adele, as, iro, isaiah, megan, quinn } from "../../fixtures/people";
import { Walk, notices, round, timers } from "./walk";

const guidance = builtInProcedures["iro-guidance-three-stage"]!;

describe("IRO Dispute Resolution Guidance Notes: the three-stage flow", () => {
  it("IRO guidance 2: informal within 5 working days of a review held before Easter 2027, then the three formal stages, culminating in CAFCASS", () => {
    // The review was on Wednesday 24 March 2027; the IRO raises the cause for concern the next morning.
    const w = Walk.raise(guidance, "2027-03-25T10:00:00Z", { startStage: 0, reviewDate: "2027-03-24" });
    expect(w.dispute.state).toBe("informal");
    expect(w.dispute.reviewDate).toBe("2027-03-24");
    expect(round(w.dispute)).toEqual({
      stage: 0,
      role: "team-manager",
      assignee: megan.upn,
      receivedAt: "2027-03-25T10:00:00.000Z",
      // Counted from the review (2, informal.from): Thu 25, Tue 30, Wed 31 March, Thu 1, Fri 2 April
      // (Good Friday 26 and Easter Monday 29 March skipped), 17:00 BST.
      dueAt: "2027-04-02T16:00:00.000Z",
      responseDays: 5,
    });
    // The informal stage does not count towards the 20 working days.
    expect(w.dispute.capDueAt).toBeUndefined();
    expect(timers(w.dispute)).toEqual([
      ["reminder", "2027-04-01T08:00:00.000Z"],
      ["reminder", "2027-04-02T08:00:00.000Z"],
      ["deadline", "2027-04-02T16:00:00.000Z"],
    ]);
    expect(w.sweep("2027-04-05T16:00:00Z").fired.map(([action]) => action)).toEqual(["reminder-due", "reminder-due", "deadline-passed"]);

    // Tuesday 6 April: stage 1 with the same team manager, who is not told twice.
    const stage1 = w.do({ action: "escalate", rationale: "Not resolved informally within 5 working days of the review." }, "2027-04-06T08:00:00Z");
    expect(notices(stage1.effects)).toEqual([["alert", megan.upn, "teams"]]);
    expect(round(w.dispute)).toEqual({
      stage: 1,
      role: "team-manager",
      assignee: megan.upn,
      receivedAt: "2027-04-06T08:00:00.000Z",
      dueAt: "2027-04-13T16:00:00.000Z",
      responseDays: 5,
    });
    // 20 working days from Tuesday 6 April, the early May bank holiday (Monday 3 May) skipped.
    expect(w.dispute.capDueAt).toBe("2027-05-05T16:00:00.000Z");

    w.do({ action: "respond", response: "The care plan is being revised." }, "2027-04-09T10:00:00Z", as(megan));
    w.do({ action: "escalate", rationale: "No date for the revised plan." }, "2027-04-09T14:00:00Z");
    expect(round(w.dispute)).toMatchObject({ stage: 2, role: "service-manager", assignee: adele.upn, dueAt: "2027-04-16T16:00:00.000Z" });
    w.do({ action: "respond", response: "Revised plan by the end of May." }, "2027-04-15T10:00:00Z", as(adele));
    w.do({ action: "escalate", rationale: "Too late for J.S." }, "2027-04-15T14:00:00Z");
    expect(round(w.dispute)).toMatchObject({ stage: 3, role: "head-of-service", assignee: isaiah.upn, dueAt: "2027-04-22T16:00:00.000Z" });

    // The head of service does not answer either; three stages are all there are.
    expect(w.sweep("2027-04-22T16:00:00Z").fired).toEqual([
      ["reminder-due", "2027-04-21T08:00:00.000Z"],
      ["reminder-due", "2027-04-22T08:00:00.000Z"],
      ["deadline-passed", "2027-04-22T16:00:00.000Z"],
    ]);
    const above = decide(w.dispute, { action: "escalate", rationale: "Further." }, ctx("2027-04-23T09:00:00Z", iro, guidance));
    expect(!above.ok && above.error.message).toMatch(/^Stage 3 \(Head of Service\) is the top of the ladder/);

    // The flow culminates in informing CAFCASS; the seed names nobody to be told first.
    const referred = w.do({ action: "refer", to: "cafcass", reasons: "Care plan not revised; all three stages exhausted." }, "2027-04-23T09:00:00Z");
    expect(notices(referred.effects)).toEqual([["referral-made", quinn.upn, "mail"]]);
    w.do({ action: "resolve", outcome: "Referred to CAFCASS; the dispute is closed here." }, "2027-04-23T10:00:00Z");

    const d = w.dispute;
    expect(d.state).toBe("resolved");
    expect(d.timers).toEqual([]);
    expect(d.stages.map((s) => [s.stage, s.role, s.dueAt, s.closed?.how])).toEqual([
      [0, "team-manager", "2027-04-02T16:00:00.000Z", "escalated"],
      [1, "team-manager", "2027-04-13T16:00:00.000Z", "escalated"],
      [2, "service-manager", "2027-04-16T16:00:00.000Z", "escalated"],
      [3, "head-of-service", "2027-04-22T16:00:00.000Z", "resolved"],
    ]);
    expect(d.referrals.map((r) => [r.body, r.informed, r.madeAt])).toEqual([["cafcass", [], "2027-04-23T09:00:00.000Z"]]);
    expect(() => DisputeSchema.parse(d)).not.toThrow();
  });

  it("Product default (the IRO and Children's Guardians protocol): in proceedings, the child's Guardian named mid-way is told of the CAFCASS referral, once, on Friday 23 April 2027", () => {
    const guardian = { name: "Priya Shah", email: "priya.shah@cafcass.example" };
    const w = Walk.raise(guidance, "2027-04-12T10:00:00Z", { startStage: 2 });
    expect(round(w.dispute)).toMatchObject({ stage: 2, dueAt: "2027-04-19T16:00:00.000Z" });
    // Named by the IRO a week later, with proceedings live: the guidance tells the Guardian of nothing yet.
    const named = w.do({ action: "set-child-contacts", guardian, inProceedings: true }, "2027-04-19T09:00:00Z");
    expect(notices(named.effects)).toEqual([]);
    w.do({ action: "escalate", rationale: "No revised plan." }, "2027-04-20T09:00:00Z");
    expect(round(w.dispute)).toMatchObject({ stage: 3, dueAt: "2027-04-27T16:00:00.000Z" });
    const referred = w.do({ action: "refer", to: "cafcass", reasons: "Plan not revised; stages exhausted." }, "2027-04-23T09:00:00Z");
    expect(notices(referred.effects)).toEqual([
      ["referral-made", quinn.upn, "mail"],
      ["child-contact", guardian.email, "mail"],
    ]);
    expect(w.dispute.told).toEqual([{ on: "cafcass-referral", as: "guardian", to: expect.objectContaining({ upn: guardian.email }), why: "child-contact", stage: 3, at: "2027-04-23T09:00:00.000Z" }]);
    expect(() => DisputeSchema.parse(w.dispute)).not.toThrow();
  });

  it("IRO guidance 2: when the risk to the child demands it, the IRO escalates at once into the staged process, raised on Monday 21 December 2026", () => {
    const w = Walk.raise(guidance, "2026-12-21T10:00:00Z", { startStage: 2 });
    expect(w.decisions[0]!.event.detail).toMatchObject({ startStage: 2, bypassed: [1] });
    expect(round(w.dispute)).toEqual({
      stage: 2,
      role: "service-manager",
      assignee: adele.upn,
      receivedAt: "2026-12-21T10:00:00.000Z",
      // Tue 22, Wed 23, Thu 24, Tue 29, Wed 30 December 2026.
      dueAt: "2026-12-30T17:00:00.000Z",
      responseDays: 5,
    });
    const s = w.sweep("2026-12-30T17:00:00Z");
    expect(s.fired).toEqual([
      ["reminder-due", "2026-12-29T09:00:00.000Z"],
      ["reminder-due", "2026-12-30T09:00:00.000Z"],
      ["deadline-passed", "2026-12-30T17:00:00.000Z"],
    ]);
    w.do({ action: "escalate", rationale: "No response." }, "2026-12-31T09:00:00Z");
    // Received Thursday 31 December: (New Year's Day, the weekend) Mon 4 … Fri 8 January 2027.
    expect(round(w.dispute)).toMatchObject({ stage: 3, assignee: isaiah.upn, receivedAt: "2026-12-31T09:00:00.000Z", dueAt: "2027-01-08T17:00:00.000Z" });
  });
});
