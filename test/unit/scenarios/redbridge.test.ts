import { describe, expect, it } from "vitest";
import { DisputeSchema } from "../../../shared/dispute/disputeSchema";
import { decide } from "../../../shared/dispute/lifecycle";
import { builtInProcedures } from "../../../shared/procedures";
import { ctx } from "../../fixtures/disputes";
import { adele, alex, as, demoRoster, iro, isaiah, lynne, megan, patti, quinn } from "../../fixtures/people";
import { Walk, meetings, notices, raiseCommand, round, timers } from "./walk";

const redbridge = builtInProcedures["redbridge"]!;
const chiefExecutive = demoRoster["chief-executive"]!;
const headOfSafeguardingQa = demoRoster["head-of-safeguarding-qa"]!;

describe("Redbridge: Dispute Resolution Protocol (IRO management alert process)", () => {
  it("Redbridge 2.3: raised on Monday 21 December 2026 and never answered, it climbs all six stages and passes the 20 working day cap; the IRO and QA are warned, then told", () => {
    const w = Walk.raise(redbridge, "2026-12-21T10:00:00Z");
    expect(round(w.dispute)).toEqual({
      stage: 1,
      role: "team-manager",
      assignee: "meganb@example.com",
      receivedAt: "2026-12-21T10:00:00.000Z",
      // 5 working days: Tue 22, Wed 23, Thu 24, (Christmas, weekend, Boxing Day substitute) Tue 29, Wed 30.
      dueAt: "2026-12-30T17:00:00.000Z",
      responseDays: 5,
    });
    // 2.1: nobody beyond the stage's officer is copied in.
    expect(notices(w.decisions[0]!.effects)).toEqual([["alert", "meganb@example.com", "teams"]]);
    expect(w.dispute.capDueAt).toBe("2027-01-21T17:00:00.000Z");
    expect(timers(w.dispute)).toEqual([
      ["reminder", "2026-12-29T09:00:00.000Z"],
      ["reminder", "2026-12-30T09:00:00.000Z"],
      ["deadline", "2026-12-30T17:00:00.000Z"],
      ["cap-warning", "2027-01-19T09:00:00.000Z"],
      ["cap", "2027-01-21T17:00:00.000Z"],
    ]);

    // Each time: the deadline passes, and half an hour later the IRO escalates to the next stage.
    const ladder = [
      // [stage, role, holder, escalated at, due]
      [2, "service-manager", adele.upn, "2026-12-30T17:30:00.000Z", "2027-01-07T17:00:00.000Z"], // Thu 31, (New Year) Mon 4 … Thu 7
      [3, "head-of-service", isaiah.upn, "2027-01-07T17:30:00.000Z", "2027-01-14T17:00:00.000Z"],
      [4, "chief-children-families-officer", patti.upn, "2027-01-14T17:30:00.000Z", "2027-01-21T17:00:00.000Z"],
      [5, "dcs", lynne.upn, "2027-01-21T17:30:00.000Z", "2027-01-28T17:00:00.000Z"],
      [6, "chief-executive", chiefExecutive.upn, "2027-01-28T17:30:00.000Z", "2027-02-04T17:00:00.000Z"],
    ] as const;
    const fired: (readonly [string, string])[] = [];
    const told: (readonly (readonly [string, string, string])[])[] = [];
    for (const [stage, role, holder, at, due] of ladder) {
      const s = w.sweep(round(w.dispute).dueAt!);
      fired.push(...s.fired);
      told.push(...s.told);
      expect(w.dispute.stages.at(-1)!.overdueSince).toBe(round(w.dispute).dueAt);
      w.do({ action: "escalate", rationale: `No response by ${round(w.dispute).dueAt}.` }, at);
      expect(round(w.dispute)).toEqual({ stage, role, assignee: holder, receivedAt: at, dueAt: due, responseDays: 5 });
    }
    expect(fired).toEqual([
      ["reminder-due", "2026-12-29T09:00:00.000Z"],
      ["reminder-due", "2026-12-30T09:00:00.000Z"],
      ["deadline-passed", "2026-12-30T17:00:00.000Z"],
      ["reminder-due", "2027-01-06T09:00:00.000Z"],
      ["reminder-due", "2027-01-07T09:00:00.000Z"],
      ["deadline-passed", "2027-01-07T17:00:00.000Z"],
      ["reminder-due", "2027-01-13T09:00:00.000Z"],
      ["reminder-due", "2027-01-14T09:00:00.000Z"],
      ["deadline-passed", "2027-01-14T17:00:00.000Z"],
      // Stage 4: two working days before the cap the IRO and QA are warned; the cap passes with stage 4's deadline.
      ["cap-warning", "2027-01-19T09:00:00.000Z"],
      ["reminder-due", "2027-01-20T09:00:00.000Z"],
      ["reminder-due", "2027-01-21T09:00:00.000Z"],
      ["deadline-passed", "2027-01-21T17:00:00.000Z"],
      ["cap-passed", "2027-01-21T17:00:00.000Z"],
      ["reminder-due", "2027-01-27T09:00:00.000Z"],
      ["reminder-due", "2027-01-28T09:00:00.000Z"],
      ["deadline-passed", "2027-01-28T17:00:00.000Z"],
    ]);
    const qaTold = (notice: string) => [
      [notice, alex.upn, "teams"],
      [notice, quinn.upn, "mail"],
      [notice, headOfSafeguardingQa.upn, "mail"],
    ];
    expect(told[9]).toEqual(qaTold("cap-warning"));
    expect(told[13]).toEqual(qaTold("cap-passed"));
    expect(w.dispute.capNotices).toEqual({ warnedAt: "2027-01-19T09:00:00.000Z", passedAt: "2027-01-21T17:00:00.000Z" });
    // Once told, nothing more about the cap is scheduled.
    expect(timers(w.dispute)).toEqual([
      ["reminder", "2027-02-03T09:00:00.000Z"],
      ["reminder", "2027-02-04T09:00:00.000Z"],
      ["deadline", "2027-02-04T17:00:00.000Z"],
    ]);

    // Stage 6 is the top: nothing to escalate to.
    const above = decide(w.dispute, { action: "escalate", rationale: "Still no answer." }, ctx("2027-01-29T10:00:00Z", iro, redbridge));
    expect(!above.ok && above.error.message).toBe(
      "Stage 6 (Chief Executive of the Council) is the top of the ladder: resolve the dispute, or refer it to CAFCASS or the LSCP.",
    );

    // 2.3 and 4: with the stages exhausted the IRO considers CAFCASS, telling the Chief Children and Families Officer first.
    const unannounced = decide(w.dispute, { action: "refer", to: "cafcass", reasons: "All stages exhausted." }, ctx("2027-01-29T10:00:00Z", iro, redbridge));
    expect(!unannounced.ok && unannounced.error.code).toBe("conflict");
    const intended = w.do({ action: "intend-referral", to: "cafcass", reasons: "All stages exhausted; J.S.'s rights are at risk." }, "2027-01-29T10:00:00Z");
    expect(notices(intended.effects)).toEqual([["referral-intended", patti.upn, "mail"]]);
    w.do({ action: "refer", to: "cafcass" }, "2027-02-01T10:00:00Z");

    // The chief executive's meeting agrees the actions; the IRO records the outcome.
    w.do({ action: "respond", response: "Meeting held on 3 February: placement funding agreed." }, "2027-02-03T16:00:00Z", as(chiefExecutive));
    w.do({ action: "resolve", outcome: "Placement funding agreed at the stage 6 meeting." }, "2027-02-04T10:00:00Z");

    const d = w.dispute;
    expect(d.state).toBe("resolved");
    expect(d.timers).toEqual([]);
    expect(d.stages.map((s) => [s.stage, s.mode, s.closed?.how, !!s.overdueSince])).toEqual([
      [1, "written", "escalated", true],
      [2, "written", "escalated", true],
      [3, "written", "escalated", true],
      [4, "meeting", "escalated", true],
      [5, "meeting", "escalated", true],
      [6, "meeting", "resolved", false],
    ]);
    expect(d.referrals).toEqual([
      {
        body: "cafcass",
        reasons: "All stages exhausted; J.S.'s rights are at risk.",
        informed: [patti],
        intendedAt: "2027-01-29T10:00:00.000Z",
        madeAt: "2027-02-01T10:00:00.000Z",
      },
    ]);
    expect(() => DisputeSchema.parse(d)).not.toThrow();
  });

  it("Redbridge 2.3: stages 4 to 6 are held as minuted meetings chaired by the officer who received the alert, with the QA managers and the earlier officers invited", () => {
    const w = Walk.raise(redbridge, "2027-02-01T10:00:00Z");
    // Escalated each morning, Tuesday 2 to Monday 8 February 2027.
    const mornings = ["2027-02-02", "2027-02-03", "2027-02-04", "2027-02-05", "2027-02-08"];
    const climbed = mornings.map((day, i) => w.do({ action: "escalate", rationale: `To stage ${i + 2}.` }, `${day}T10:00:00Z`));
    // Stages 1 to 3 go by the alert form: no meeting.
    expect(meetings(w.decisions[0]!.effects)).toEqual([]);
    expect(climbed.slice(0, 2).flatMap((x) => meetings(x.effects))).toEqual([]);
    const [four, five, six] = climbed.slice(2).map((x) => meetings(x.effects));
    expect(four).toEqual([
      {
        kind: "meeting",
        id: expect.stringMatching(/^D-1:4:\d+$/),
        disputeId: "D-1",
        stage: 4,
        chair: patti,
        invitees: [alex, quinn, headOfSafeguardingQa, megan, adele, isaiah],
        by: "2027-02-11T17:00:00.000Z",
        subject: "Dispute D-1: stage 4 meeting",
      },
    ]);
    expect(five!.map((m) => [m.stage, m.chair, m.invitees, m.by])).toEqual([
      [5, lynne, [alex, quinn, headOfSafeguardingQa, megan, adele, isaiah, patti], "2027-02-12T17:00:00.000Z"],
    ]);
    expect(six!.map((m) => [m.stage, m.chair, m.invitees, m.by])).toEqual([
      [6, chiefExecutive, [alex, quinn, headOfSafeguardingQa, megan, adele, isaiah, patti, lynne], "2027-02-15T17:00:00.000Z"],
    ]);
    // 7: the QA managers are told of every stage above the team manager's meeting.
    expect(notices(climbed[2]!.effects)).toEqual([
      ["alert", patti.upn, "teams"],
      ["stage-notice", quinn.upn, "mail"],
      ["stage-notice", headOfSafeguardingQa.upn, "mail"],
      ["stage-notice", isaiah.upn, "mail"],
    ]);
    expect(w.dispute.stages.map((s) => s.mode)).toEqual(["written", "written", "written", "meeting", "meeting", "meeting"]);
  });

  it("Redbridge 2.3: for urgent concerns the IRO goes straight to Stage 3, and may set a shorter timescale but not a longer one", () => {
    const w = Walk.raise(redbridge, "2027-03-24T10:00:00Z", { startStage: 3, timescaleDays: 2 });
    expect(w.decisions[0]!.event.detail).toMatchObject({ startStage: 3, bypassed: [1, 2], responseDays: 2 });
    // Two working days from Wednesday 24 March 2027: Thursday 25, then Good Friday, the weekend and
    // Easter Monday are skipped, so Tuesday 30 March, 17:00 BST.
    expect(round(w.dispute)).toEqual({
      stage: 3,
      role: "head-of-service",
      assignee: isaiah.upn,
      receivedAt: "2027-03-24T10:00:00.000Z",
      dueAt: "2027-03-30T16:00:00.000Z",
      responseDays: 2,
    });
    const longer = decide(undefined, raiseCommand(redbridge, { startStage: 3, timescaleDays: 6 }), ctx("2027-03-24T10:00:00Z", iro, redbridge));
    expect(!longer.ok && longer.error).toEqual({
      code: "invalid",
      message: "Shorter response time: stage 3 (Head of Service) allows at most 5 working days; the IRO may set a shorter time, not a longer one.",
      field: "timescaleDays",
    });
  });

  it("Redbridge 2.2: recommendations not agreed informally go to the formal process at Stage 2 or 3, not Stage 1", () => {
    const w = Walk.raise(redbridge, "2027-02-01T10:00:00Z", { startStage: 0 });
    expect(round(w.dispute)).toMatchObject({ stage: 0, role: "team-manager", dueAt: "2027-02-08T17:00:00.000Z", responseDays: 5 });
    const toStage3 = w.do({ action: "escalate", toStage: 3, rationale: "Recommendations not agreed." }, "2027-02-03T10:00:00Z");
    expect(toStage3.event.detail).toMatchObject({ fromStage: 0, toStage: 3, bypassed: [1, 2] });
    expect(round(w.dispute)).toMatchObject({ stage: 3, assignee: isaiah.upn, dueAt: "2027-02-10T17:00:00.000Z" });
    expect(w.dispute.formalStartedAt).toBe("2027-02-03T10:00:00.000Z");
    expect(w.dispute.capDueAt).toBe("2027-03-03T17:00:00.000Z");
  });
});

describe("Redbridge: a team with no service manager, where stage 2 applies only 'where applicable'", () => {
  it("Redbridge 2.3: raised on Monday 1 February 2027 and never answered, stage 2 is skipped: stage 3 follows stage 1, and the plan says so", () => {
    const roster = Object.fromEntries(Object.entries(demoRoster).filter(([role]) => role !== "service-manager"));
    const first = decide(undefined, raiseCommand(redbridge), { ...ctx("2027-02-01T10:00:00Z", iro, redbridge), roster });
    if (!first.ok) throw new Error(first.error.message);
    const w = new Walk(redbridge, first.value.dispute, first.value);
    expect(first.value.event.detail).toMatchObject({ startStage: 1, skipped: [2] });
    expect(round(w.dispute)).toMatchObject({ stage: 1, dueAt: "2027-02-08T17:00:00.000Z" });
    // Monday 8 February, 17:00: the IRO is asked; on Tuesday the IRO escalates, and it goes to the head of service.
    expect(w.sweep("2027-02-08T17:00:00Z").fired.map(([action]) => action)).toEqual(["reminder-due", "reminder-due", "deadline-passed"]);
    const up = w.do({ action: "escalate", rationale: "No reply from the team manager." }, "2027-02-09T10:00:00Z");
    expect(up.event.detail).toMatchObject({ fromStage: 1, toStage: 3, bypassed: [], skipped: [2] });
    expect(round(w.dispute)).toMatchObject({ stage: 3, role: "head-of-service", assignee: isaiah.upn, dueAt: "2027-02-16T17:00:00.000Z" });
  });

  it("Redbridge 2.3: at stage 4 the Chief Children and Families Officer chairs the minuted meeting; who chaired and who attended are recorded with its minutes and outcome", () => {
    const w = Walk.raise(redbridge, "2027-02-01T10:00:00Z", { startStage: 4 });
    expect(meetings(w.decisions[0]!.effects)).toHaveLength(1);
    const held = w.do(
      { action: "record-meeting", heldOn: "2027-02-04", chair: "chief-children-families-officer", attended: ["chief-children-families-officer", "iro", "iro-service-manager", "head-of-safeguarding-qa"], minutes: "Independently minuted; the IRO attended the first part only.", outcome: "Placement search widened; review reconvened." },
      "2027-02-04T15:00:00Z",
      as(patti),
    );
    expect(held.event.detail).toMatchObject({ heldOn: "2027-02-04", chair: patti, attendees: [patti, alex, quinn, headOfSafeguardingQa] });
    expect(w.dispute.meetings).toEqual([expect.objectContaining({ stage: 4, chair: patti, held: expect.objectContaining({ outcome: "Placement search widened; review reconvened.", recordedBy: patti }) })]);
    expect(DisputeSchema.parse(w.dispute)).toEqual(w.dispute);
  });
});

describe("Redbridge 2.2: ratification of the review's recommendations", () => {
  it("Redbridge 2.2: a review on Wednesday 24 March 2027, before Easter: the team manager has until Friday 2 April; one window lapses and the recommendations stand, another is contested and goes to stage 2", () => {
    const stands = Walk.raise(redbridge, "2027-03-25T09:00:00Z", { ratification: true, reviewDate: "2027-03-24" });
    // Thu 25, (Good Friday, Easter Monday), Tue 30, Wed 31 March, Thu 1, Fri 2 April, 17:00 BST.
    expect(round(stands.dispute)).toMatchObject({ stage: 0, role: "team-manager", assignee: megan.upn, dueAt: "2027-04-02T16:00:00.000Z", responseDays: 5 });
    expect(timers(stands.dispute)).toEqual([
      ["reminder", "2027-04-01T08:00:00.000Z"],
      ["reminder", "2027-04-02T08:00:00.000Z"],
      ["deadline", "2027-04-02T16:00:00.000Z"],
    ]);
    const swept = stands.sweep("2027-04-02T16:00:00Z");
    expect(swept.fired.map(([action]) => action)).toEqual(["reminder-due", "reminder-due", "deadline-passed"]);
    expect(stands.dispute.state).toBe("resolved");
    expect(swept.told.at(-1)).toEqual([
      ["resolved", alex.upn, "teams"],
      ["resolved", megan.upn, "teams"],
    ]);

    const contested = Walk.raise(redbridge, "2027-03-25T09:00:00Z", { ratification: true, reviewDate: "2027-03-24" });
    contested.do({ action: "respond", response: "Recommendation 2 (a residential placement) is not agreed." }, "2027-03-31T11:00:00Z", as(megan));
    const up = contested.do({ action: "escalate", rationale: "Recommendation 2 still not agreed after discussion." }, "2027-04-01T10:00:00Z");
    expect(up.event.detail).toMatchObject({ fromStage: 0, toStage: 2 });
    expect(round(contested.dispute)).toMatchObject({ stage: 2, assignee: adele.upn, dueAt: "2027-04-08T16:00:00.000Z" });
    expect(contested.dispute.capDueAt).toBe("2027-04-29T16:00:00.000Z");
  });
});

