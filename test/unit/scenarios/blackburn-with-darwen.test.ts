import { describe, expect, it } from "vitest";
import { DisputeSchema } from "../../../shared/dispute/disputeSchema";
import { decide } from "../../../shared/dispute/lifecycle";
import { isParticipant } from "../../../shared/dispute/permissions";
import type { PersonRef } from "../../../shared/dispute/people";
import { builtInProcedures } from "../../../shared/procedures";
import { ctx } from "../../fixtures/disputes";
import { adele, alex, as, iro, isaiah, lynne, megan, quinn, sam } from "../../fixtures/people";
import { Walk, notices, raiseCommand, round, timers } from "./walk";

const blackburn = builtInProcedures["blackburn-with-darwen"]!;

describe("Blackburn with Darwen: IRO Challenge and Resolution Process", () => {
  it("Blackburn 15: across Easter 2027 each stage's alert goes to a new manager, who sees every earlier stage on the one cumulative template", () => {
    // Wednesday 24 March 2027, 10:00 GMT: stage 1 with the social worker, the area team manager included.
    const w = Walk.raise(blackburn, "2027-03-24T10:00:00Z");
    expect(round(w.dispute)).toEqual({
      stage: 1,
      role: "social-worker",
      assignee: sam.upn,
      receivedAt: "2027-03-24T10:00:00.000Z",
      // Thu 25 March, (Good Friday, weekend, Easter Monday) Tue 30, Wed 31, Thu 1, Fri 2 April, 17:00 BST.
      dueAt: "2027-04-02T16:00:00.000Z",
      responseDays: 5,
    });
    // The Service Manager, Review and Quality, oversees every challenge and is told of it.
    expect(notices(w.decisions[0]!.effects)).toEqual([
      ["alert", sam.upn, "teams"],
      ["stage-notice", megan.upn, "mail"],
      ["raised", quinn.upn, "mail"],
    ]);
    // 15: the Formal Challenge Process totals no more than 20 working days: Friday 23 April 2027.
    expect(w.dispute.capDueAt).toBe("2027-04-23T16:00:00.000Z");
    expect(timers(w.dispute)).toEqual([
      ["reminder", "2027-04-01T08:00:00.000Z"],
      ["reminder", "2027-04-02T08:00:00.000Z"],
      ["deadline", "2027-04-02T16:00:00.000Z"],
      ["cap-warning", "2027-04-21T08:00:00.000Z"],
      ["cap", "2027-04-23T16:00:00.000Z"],
    ]);

    // Each holder answers without resolving it, and the IRO takes it to the next stage.
    const steps: [PersonRef, string, string, number, string, PersonRef, string][] = [
      // [holder, answered at, answer, next stage, escalated at, next holder, next due]
      [sam, "2027-03-30T10:00:00Z", "The care plan will be updated after the next visit.", 2, "2027-03-30T14:00:00Z", megan, "2027-04-06T16:00:00.000Z"],
      [megan, "2027-04-01T10:00:00Z", "No permanence plan until the assessment ends.", 3, "2027-04-01T15:00:00Z", adele, "2027-04-08T16:00:00.000Z"],
      [adele, "2027-04-07T10:00:00Z", "The assessment is delayed by staffing.", 4, "2027-04-07T13:00:00Z", isaiah, "2027-04-14T16:00:00.000Z"],
      [isaiah, "2027-04-13T10:00:00Z", "Agency worker to be appointed next month.", 5, "2027-04-13T13:00:00Z", lynne, "2027-04-20T16:00:00.000Z"],
    ];
    const roles = ["social-worker", "area-team-manager", "service-lead", "head-of-service", "dcs"];
    for (const [holder, answeredAt, answer, next, escalatedAt, nextHolder, due] of steps) {
      w.do({ action: "respond", response: answer }, answeredAt, as(holder));
      const before = w.dispute;
      // The new holder has had no part in the dispute so far.
      expect(before.stages.some((s) => s.assignee.id === nextHolder.id)).toBe(false);
      expect(isParticipant(before, as(nextHolder))).toBe(false);

      const up = w.do({ action: "escalate", rationale: `Not resolved at stage ${next - 1}.` }, escalatedAt);
      expect(round(w.dispute)).toEqual({ stage: next, role: roles[next - 1], assignee: nextHolder.upn, receivedAt: new Date(escalatedAt).toISOString(), dueAt: due, responseDays: 5 });
      expect(notices(up.effects)[0]).toEqual(["alert", nextHolder.upn, "teams"]);
      // …and now sees every earlier stage: who had it, what they said, how it ended.
      expect(w.dispute.stages.slice(0, -1).map((s) => [s.stage, s.assignee.id, s.response?.text, s.closed?.how])).toEqual(
        steps.slice(0, next - 1).map(([h, , a], i) => [i + 1, h.id, a, "escalated"]),
      );
      expect(isParticipant(w.dispute, as(nextHolder))).toBe(true);
      w.do({ action: "add-note", note: "Read the earlier stages on the template." }, escalatedAt, as(nextHolder));
    }

    // Stage 5: the Director of Children's Services answers, and the IRO is satisfied.
    w.do({ action: "respond", response: "An agency social worker starts on Monday; assessment by 14 May." }, "2027-04-19T10:00:00Z", as(lynne));
    w.do({ action: "resolve", outcome: "Social worker appointed; permanence plan by 14 May." }, "2027-04-19T15:00:00Z");

    const d = w.dispute;
    expect(d.state).toBe("resolved");
    expect(d.timers).toEqual([]);
    expect(d.stages.map((s) => [s.stage, s.role, s.dueAt, s.closed?.how])).toEqual([
      [1, "social-worker", "2027-04-02T16:00:00.000Z", "escalated"],
      [2, "area-team-manager", "2027-04-06T16:00:00.000Z", "escalated"],
      [3, "service-lead", "2027-04-08T16:00:00.000Z", "escalated"],
      [4, "head-of-service", "2027-04-14T16:00:00.000Z", "escalated"],
      [5, "dcs", "2027-04-20T16:00:00.000Z", "resolved"],
    ]);
    // Five different people held the five stages.
    expect(new Set(d.stages.map((s) => s.assignee.id)).size).toBe(5);
    expect(d.outcome?.by).toEqual(alex);
    expect(d.capNotices).toBeUndefined();
    expect(() => DisputeSchema.parse(d)).not.toThrow();
  });

  it("Blackburn 15: the informal challenge is Stage 1 itself, so there is no separate informal stage", () => {
    const informal = decide(undefined, raiseCommand(blackburn, { startStage: 0 }), ctx("2027-02-01T10:00:00Z", iro, blackburn));
    expect(!informal.ok && informal.error).toEqual({
      code: "invalid",
      message: "Start at: Blackburn with Darwen Borough Council's procedure has no informal stage here; start at stage 1 or above.",
      field: "startStage",
    });
  });

  it("Blackburn 15: the IRO starts at the appropriate stage, and can refer to CAFCASS at any point with nobody to tell first", () => {
    const w = Walk.raise(blackburn, "2027-02-01T10:00:00Z", { startStage: 4 });
    expect(round(w.dispute)).toMatchObject({ stage: 4, role: "head-of-service", assignee: isaiah.upn, dueAt: "2027-02-08T17:00:00.000Z" });
    const referred = w.do({ action: "refer", to: "cafcass", reasons: "Concurrent referral with the challenge." }, "2027-02-01T11:00:00Z");
    expect(notices(referred.effects)).toEqual([["referral-made", quinn.upn, "mail"]]);
    expect(w.dispute.referrals).toEqual([
      { body: "cafcass", reasons: "Concurrent referral with the challenge.", informed: [], madeAt: "2027-02-01T11:00:00.000Z" },
    ]);
    // The challenge carries on alongside the referral.
    expect(w.dispute.state).toBe("awaiting-response");
  });
});

describe("Blackburn with Darwen: a meeting at any stage", () => {
  it("Blackburn 15: at stage 2 the IRO convenes a meeting with their service manager, the area team manager and the service lead, then records its outcome", () => {
    const w = Walk.raise(blackburn, "2027-02-01T10:00:00Z", { startStage: 2 });
    const asked = w.do({ action: "request-meeting", invite: ["service-manager-review-quality", "service-lead"] }, "2027-02-02T10:00:00Z");
    // The area team manager holds stage 2 and chairs; the meeting is to happen before stage 2 falls due, Monday 8 February.
    expect(asked.effects.filter((e) => e.kind === "meeting")).toEqual([
      expect.objectContaining({ stage: 2, chair: megan, invitees: [alex, quinn, adele], by: "2027-02-08T17:00:00.000Z", requested: true }),
    ]);
    w.do({ action: "record-meeting", heldOn: "2027-02-04", chair: "area-team-manager", attended: ["iro", "area-team-manager", "service-manager-review-quality", "service-lead"], minutes: "Areas of dispute discussed.", outcome: "Care plan to be updated by 12 February." }, "2027-02-04T16:00:00Z", as(megan));
    expect(w.dispute.meetings![0]!.held).toMatchObject({ on: "2027-02-04", chair: megan, outcome: "Care plan to be updated by 12 February." });
    expect(w.dispute.state).toBe("awaiting-response");
  });
});
