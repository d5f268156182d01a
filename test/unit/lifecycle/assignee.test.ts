import { describe, expect, it } from "vitest";
import { currentStage } from "../../../shared/dispute/disputeSchema";
import { apply, ctx, raised } from "../../fixtures/disputes";
import {
  CAP_DUE,
  CAP_WARNING,
  STAGE_1_DUE,
  TUE_2_FEB,
  WED_3_FEB,
  answeredOnTuesday,
  entryKey,
  raisedOnMonday,
  rejected,
  system,
  timerCommand,
  timersOf,
} from "../../fixtures/lifecycle";
import { adele, alex, as, iro, megan, qa, stranger } from "../../fixtures/people";

const teamManager = as(megan);

describe("Lambeth: the team manager answers on the card (respond)", () => {
  const before = raisedOnMonday().dispute;
  const { dispute, event, effects } = apply(
    before,
    { action: "respond", expectedVersion: 1, response: "A social worker is allocated from Monday.", actionsAgreed: "Allocate and visit.", completionDate: "2027-02-12" },
    ctx(TUE_2_FEB, teamManager),
  );

  it("the dispute awaits the IRO's decision, still at stage 1, with the response on the stage record", () => {
    expect(dispute.state).toBe("awaiting-decision");
    expect(dispute.stage).toBe(1);
    expect(dispute.version).toBe(2);
    expect(dispute.stages).toHaveLength(1);
    expect(currentStage(dispute).response).toEqual({
      text: "A social worker is allocated from Monday.",
      actionsAgreed: "Allocate and visit.",
      completionDate: "2027-02-12",
      by: megan,
      at: "2027-02-02T11:00:00.000Z",
    });
    expect(currentStage(dispute).dueAt).toBe(STAGE_1_DUE);
    expect(currentStage(dispute).closed).toBeUndefined();
  });

  it("the audit event carries the response, the actions agreed and that it came within the timescale", () => {
    expect(event).toMatchObject({
      id: "D-1:2",
      action: "respond",
      actor: megan,
      from: { state: "awaiting-response", stage: 1 },
      to: { state: "awaiting-decision", stage: 1 },
      detail: {
        stage: 1,
        response: "A social worker is allocated from Monday.",
        actionsAgreed: "Allocate and visit.",
        completionDate: "2027-02-12",
        withinTimescale: true,
      },
    });
  });

  it("the due-date entries are cancelled, the IRO is told in Teams, the card is updated", () => {
    expect(effects).toEqual([
      { id: "D-1:2:1", disputeId: "D-1", kind: "calendar", op: "cancel", entryKey: entryKey(1, megan), attendee: megan, subject: "Dispute D-1: stage 1 response due", at: STAGE_1_DUE },
      { id: "D-1:2:2", disputeId: "D-1", kind: "calendar", op: "cancel", entryKey: entryKey(1, alex), attendee: alex, subject: "Dispute D-1: stage 1 response due", at: STAGE_1_DUE },
      { id: "D-1:2:3", disputeId: "D-1", kind: "notify", notice: "response-received", to: alex, role: null, channel: "teams" },
      { id: "D-1:2:4", disputeId: "D-1", kind: "card-update" },
    ]);
  });

  it("no more reminders or deadline: only the 20 working day cap keeps running", () => {
    expect(timersOf(dispute)).toEqual([
      ["cap-warning", CAP_WARNING],
      ["cap", CAP_DUE],
    ]);
  });

  it("the dispute given to decide is untouched", () => {
    expect(before.state).toBe("awaiting-response");
    expect(before.version).toBe(1);
  });
});

describe("Lambeth: other answers", () => {
  it("an answer after the deadline is recorded as outside the timescale", () => {
    let d = raisedOnMonday().dispute;
    d = apply(d, timerCommand(d, "reminder"), system("2027-02-04T09:00:00Z")).dispute;
    d = apply(d, timerCommand(d, "reminder"), system("2027-02-05T09:00:00Z")).dispute;
    d = apply(d, timerCommand(d, "deadline"), system("2027-02-05T17:00:00Z")).dispute;
    const { event, dispute } = apply(d, { action: "respond", response: "Sorry, allocated today." }, ctx("2027-02-08T09:30:00Z", teamManager));
    expect(event.detail.withinTimescale).toBe(false);
    expect(dispute.state).toBe("awaiting-decision");
    expect(currentStage(dispute).overdueSince).toBe("2027-02-05T17:00:00.000Z");
  });

  it("an informal concern is answered the same way, and stays at stage 0", () => {
    const d = raisedOnMonday({ startStage: 0 }).dispute;
    const { dispute, event } = apply(d, { action: "respond", response: "Agreed, will allocate." }, ctx(TUE_2_FEB, teamManager));
    expect(dispute.state).toBe("awaiting-decision");
    expect(dispute.stage).toBe(0);
    expect(event.from).toEqual({ state: "informal", stage: 0 });
    expect(event.to).toEqual({ state: "awaiting-decision", stage: 0 });
    expect(dispute.timers).toEqual([]);
  });

  it("a completion date of today is accepted", () => {
    const { dispute } = apply(raisedOnMonday().dispute, { action: "respond", response: "Done today.", completionDate: "2027-02-02" }, ctx(TUE_2_FEB, teamManager));
    expect(currentStage(dispute).response?.completionDate).toBe("2027-02-02");
  });
});

describe("Lambeth: only the person holding the dispute can answer it", () => {
  const d = raisedOnMonday().dispute;

  it("the IRO cannot answer their own dispute", () => {
    const error = rejected(d, { action: "respond", response: "Answering myself." }, ctx(TUE_2_FEB, iro));
    expect(error).toEqual({ code: "forbidden", message: "Only Megan Bowen, who holds dispute D-1 now, can answer it." });
  });

  it("the wrong manager (the service manager, before it reaches her) cannot answer", () => {
    const error = rejected(d, { action: "respond", response: "I will sort it." }, ctx(TUE_2_FEB, as(adele)));
    expect(error.code).toBe("forbidden");
    expect(error.message).toMatch(/Megan Bowen/);
  });

  it("QA decide, but do not answer for the service", () => {
    expect(rejected(d, { action: "respond", response: "Noted." }, ctx(TUE_2_FEB, qa)).code).toBe("forbidden");
  });

  it("a stranger cannot answer", () => {
    expect(rejected(d, { action: "respond", response: "Hello." }, ctx(TUE_2_FEB, as(stranger))).code).toBe("forbidden");
  });

  it("once escalated, the team manager no longer holds it: the service manager does", () => {
    const escalated = apply(d, { action: "escalate", rationale: "Urgent." }, ctx(TUE_2_FEB, iro)).dispute;
    const error = rejected(escalated, { action: "respond", response: "Late answer." }, ctx(WED_3_FEB, teamManager));
    expect(error.code).toBe("forbidden");
    expect(error.message).toMatch(/^Only Adele Vance, who holds dispute D-1 now/);
  });
});

describe("Lambeth: answers that are refused", () => {
  const d = raisedOnMonday().dispute;

  it("answered twice: the second is refused, saying who answered and when", () => {
    const answered = answeredOnTuesday();
    const error = rejected(answered, { action: "respond", response: "A second answer." }, ctx(WED_3_FEB, teamManager));
    expect(error).toEqual({
      code: "conflict",
      message: "Stage 1 of dispute D-1 was already answered by Megan Bowen on Tuesday 2 February 2027 at 11:00. Nothing was changed.",
    });
  });

  it("a card shown at an older version is stale, and says where the dispute is now", () => {
    const answered = answeredOnTuesday();
    const error = rejected(answered, { action: "respond", expectedVersion: 1, response: "From the old card." }, ctx(WED_3_FEB, teamManager));
    expect(error.code).toBe("stale");
    expect(error.message).toBe(
      "Dispute D-1 has changed since this was shown: Megan Bowen answered it on Tuesday 2 February 2027 at 11:00. It is now at stage 1 (Team Manager), answered by Megan Bowen, awaiting the IRO's decision. Nothing was changed.",
    );
  });

  it("a version from the future is stale too", () => {
    expect(rejected(d, { action: "respond", expectedVersion: 2, response: "Hm." }, ctx(TUE_2_FEB, teamManager)).code).toBe("stale");
  });

  it("an empty response", () => {
    expect(rejected(d, { action: "respond", response: "  " }, ctx(TUE_2_FEB, teamManager))).toEqual({ code: "invalid", message: "Your response: must not be empty.", field: "response" });
  });

  it("no response at all", () => {
    const error = rejected(d, { action: "respond" } as never, ctx(TUE_2_FEB, teamManager));
    expect(error.code).toBe("invalid");
    expect(error.message).toBe("Your response: this is needed.");
  });

  it("a response over 4000 characters", () => {
    expect(rejected(d, { action: "respond", response: "x".repeat(4001) }, ctx(TUE_2_FEB, teamManager))).toEqual({
      code: "invalid",
      message: "Your response: must be at most 4000 characters.",
      field: "response",
    });
  });

  it("a completion date already past", () => {
    expect(rejected(d, { action: "respond", response: "Done.", completionDate: "2027-02-01" }, ctx(TUE_2_FEB, teamManager))).toEqual({
      code: "invalid",
      message: "Agreed completion date: Monday 1 February 2027 is in the past. Nothing was changed.",
      field: "completionDate",
    });
  });

  it("a completion date that is not a date", () => {
    const error = rejected(d, { action: "respond", response: "Done.", completionDate: "12/02/2027" }, ctx(TUE_2_FEB, teamManager));
    expect(error).toEqual({ code: "invalid", message: "Agreed completion date: must be a day on the calendar (year-month-day).", field: "completionDate" });
  });

  it("a resolved dispute cannot be answered", () => {
    const resolved = apply(d, { action: "resolve", outcome: "Sorted informally." }, ctx(TUE_2_FEB, iro)).dispute;
    const error = rejected(resolved, { action: "respond", response: "Too late." }, ctx(WED_3_FEB, teamManager));
    expect(error).toEqual({
      code: "conflict",
      message: "Dispute D-1 was resolved by Alex Wilber on Tuesday 2 February 2027: it is closed and cannot be answered now. Nothing was changed.",
    });
  });

  it("a dispute on hold cannot be answered until it is resumed", () => {
    const held = apply(d, { action: "hold", until: "2027-02-12", actionsAgreed: "Allocate by Friday." }, ctx(TUE_2_FEB, iro)).dispute;
    const error = rejected(held, { action: "respond", response: "Done." }, ctx(WED_3_FEB, teamManager));
    expect(error).toEqual({ code: "conflict", message: "Dispute D-1 is on hold until Friday 12 February 2027: it cannot be answered now. Nothing was changed." });
  });
});

describe("Lambeth: the team manager acknowledges the alert", () => {
  const before = raisedOnMonday().dispute;
  const { dispute, event, effects } = apply(before, { action: "acknowledge", expectedVersion: 1 }, ctx("2027-02-01T10:30:00Z", teamManager));

  it("marks the stage acknowledged, and nothing else moves", () => {
    expect(currentStage(dispute).acknowledgedAt).toBe("2027-02-01T10:30:00.000Z");
    expect(dispute.state).toBe("awaiting-response");
    expect(currentStage(dispute).dueAt).toBe(STAGE_1_DUE);
    expect(dispute.timers).toEqual(before.timers);
    expect(dispute.version).toBe(2);
  });

  it("one audit event, the card updated, nobody else told", () => {
    expect(event).toMatchObject({ action: "acknowledge", actor: megan, from: { state: "awaiting-response", stage: 1 }, to: { state: "awaiting-response", stage: 1 }, detail: { stage: 1 } });
    expect(effects).toEqual([{ id: "D-1:2:1", disputeId: "D-1", kind: "card-update" }]);
  });

  it("twice is refused, saying when", () => {
    const error = rejected(dispute, { action: "acknowledge" }, ctx("2027-02-01T11:00:00Z", teamManager));
    expect(error).toEqual({ code: "conflict", message: "Stage 1 was already acknowledged at Mon 1 Feb 2027, 10:30. Nothing was changed." });
  });

  it("the IRO cannot acknowledge for her", () => {
    const error = rejected(before, { action: "acknowledge" }, ctx(TUE_2_FEB, iro));
    expect(error.code).toBe("forbidden");
    expect(error.message).toMatch(/^Only Megan Bowen, who holds dispute D-1 now, can acknowledge it\.$/);
  });

  it("after answering, there is nothing to acknowledge", () => {
    const error = rejected(answeredOnTuesday(), { action: "acknowledge" }, ctx(WED_3_FEB, teamManager));
    expect(error).toEqual({
      code: "conflict",
      message: "Dispute D-1 is at stage 1 (Team Manager), answered by Megan Bowen, awaiting the IRO's decision: it cannot be acknowledged now. Nothing was changed.",
    });
  });
});

describe("Lambeth: the team manager asks for more time", () => {
  const before = raisedOnMonday().dispute;
  const { dispute, event, effects } = apply(
    before,
    { action: "request-more-time", days: 3, reason: "The allocations panel sits on Monday." },
    ctx(TUE_2_FEB, teamManager),
  );

  it("records the request on the stage; the due date stands until the IRO extends it", () => {
    expect(currentStage(dispute).moreTimeRequested).toEqual({ days: 3, reason: "The allocations panel sits on Monday.", at: "2027-02-02T11:00:00.000Z" });
    expect(currentStage(dispute).dueAt).toBe(STAGE_1_DUE);
    expect(dispute.state).toBe("awaiting-response");
    expect(dispute.timers).toEqual(before.timers);
  });

  it("tells the IRO in Teams, with the days and reason on the record", () => {
    expect(event).toMatchObject({ action: "request-more-time", actor: megan, detail: { stage: 1, days: 3, reason: "The allocations panel sits on Monday." } });
    expect(effects).toEqual([
      { id: "D-1:2:1", disputeId: "D-1", kind: "notify", notice: "more-time-requested", to: alex, role: null, channel: "teams" },
      { id: "D-1:2:2", disputeId: "D-1", kind: "card-update" },
    ]);
  });

  it("no reason given", () => {
    const error = rejected(before, { action: "request-more-time", days: 3 } as never, ctx(TUE_2_FEB, teamManager));
    expect(error.code).toBe("invalid");
    expect(error.message).toBe("Why: this is needed.");
  });

  it("zero days, or more than 20", () => {
    for (const days of [0, 21, 2.5]) {
      const error = rejected(before, { action: "request-more-time", days, reason: "Panel." }, ctx(TUE_2_FEB, teamManager));
      expect(error.code).toBe("invalid");
      expect(error.message).toMatch(/^How many more working days: /);
    }
  });

  it("the IRO does not ask themselves for more time", () => {
    expect(rejected(before, { action: "request-more-time", days: 3, reason: "Panel." }, ctx(TUE_2_FEB, iro))).toEqual({
      code: "forbidden",
      message: "Only Megan Bowen, who holds dispute D-1 now, can ask for more time on it.",
    });
  });

  it("not once the stage is answered", () => {
    expect(rejected(answeredOnTuesday(), { action: "request-more-time", days: 3, reason: "Panel." }, ctx(WED_3_FEB, teamManager)).code).toBe("conflict");
  });
});

describe("Raised in the week before Christmas (the fixture's default), a response is still on time on Tuesday 29 December", () => {
  it("within timescale at 16:59 on the due day", () => {
    const d = raised().dispute;
    const { event } = apply(d, { action: "respond", response: "Allocated." }, ctx("2026-12-29T16:59:00Z", teamManager));
    expect(event.detail.withinTimescale).toBe(true);
  });
});
