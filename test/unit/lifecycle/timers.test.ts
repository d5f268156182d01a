import { describe, expect, it } from "vitest";
import { currentStage } from "../../../shared/dispute/disputeSchema";
import { apply, ctx, sweep } from "../../fixtures/disputes";
import {
  CAP_DUE,
  CAP_WARNING,
  STAGE_1_DUE,
  TUE_2_FEB,
  WED_3_FEB,
  answeredOnTuesday,
  calendarOps,
  entryKey,
  lambethEscalating,
  notices,
  raisedOnMonday,
  rejected,
  system,
  timerCommand,
  timersOf,
} from "../../fixtures/lifecycle";
import { adele, alex, as, iro, megan } from "../../fixtures/people";

const FRI_5_FEB_0900 = "2027-02-05T09:00:00Z";
const FRI_5_FEB_1700 = "2027-02-05T17:00:00Z";

describe("Lambeth: reminders to the team manager", () => {
  const before = raisedOnMonday().dispute;
  const first = apply(before, timerCommand(before, "reminder"), system("2027-02-04T09:00:00Z"));

  it("the working day before: a reminder in Teams, one working day left", () => {
    expect(notices(first.effects)).toEqual([{ notice: "reminder", to: "Megan Bowen", role: "team-manager", channel: "teams" }]);
    expect(first.effects).toHaveLength(1);
    expect(first.event).toMatchObject({
      action: "reminder-due",
      actor: null,
      source: "system",
      from: { state: "awaiting-response", stage: 1 },
      to: { state: "awaiting-response", stage: 1 },
      detail: { stage: 1, dueAt: STAGE_1_DUE, workingDaysLeft: 1 },
    });
  });

  it("the fired reminder is gone; the rest keep their tokens", () => {
    expect(first.dispute.timers).toEqual(before.timers.slice(1));
    expect(first.dispute.state).toBe("awaiting-response");
  });

  it("on the day: none left", () => {
    const second = apply(first.dispute, timerCommand(first.dispute, "reminder"), system(FRI_5_FEB_0900));
    expect(second.event.detail).toMatchObject({ workingDaysLeft: 0 });
  });

  it("a reminder fired late by an overlapping sweep is still accepted once", () => {
    const late = apply(before, timerCommand(before, "reminder"), system("2027-02-04T09:07:00Z"));
    expect(late.dispute.timers).toHaveLength(before.timers.length - 1);
    expect(rejected(late.dispute, timerCommand(before, "reminder"), system("2027-02-04T09:08:00Z"))).toEqual({
      code: "conflict",
      message: "Dispute D-1 no longer has this reminder scheduled. Nothing was changed.",
    });
  });
});

describe("Lambeth: the deadline passes with no answer (the IRO decides: escalate, extend or wait)", () => {
  const { dispute: due } = sweep(raisedOnMonday().dispute, FRI_5_FEB_0900);
  const { dispute, event, effects } = apply(due, timerCommand(due, "deadline"), system(FRI_5_FEB_1700));

  it("the stage is overdue; the dispute still awaits the team manager", () => {
    expect(dispute.state).toBe("awaiting-response");
    expect(dispute.stage).toBe(1);
    expect(currentStage(dispute).overdueSince).toBe("2027-02-05T17:00:00.000Z");
    expect(dispute.stages).toHaveLength(1);
  });

  it("the IRO is asked to decide; the team manager is told it is overdue", () => {
    expect(notices(effects)).toEqual([
      { notice: "deadline-passed", to: "Alex Wilber", role: null, channel: "teams" },
      { notice: "overdue", to: "Megan Bowen", role: "team-manager", channel: "teams" },
    ]);
    expect(effects.at(-1)?.kind).toBe("card-update");
    expect(event).toMatchObject({ action: "deadline-passed", actor: null, detail: { stage: 1, dueAt: STAGE_1_DUE, automatic: false } });
  });

  it("no more reminders or deadline; the cap stays", () => {
    expect(timersOf(dispute)).toEqual([
      ["cap-warning", CAP_WARNING],
      ["cap", CAP_DUE],
    ]);
  });

  it("an informal concern's deadline is handled the same way", () => {
    const informal = raisedOnMonday({ startStage: 0, timescaleDays: 1 }).dispute;
    const passed = sweep(informal, "2027-02-02T17:00:00Z");
    expect(passed.decisions.map((x) => x.event.action)).toEqual(["reminder-due", "deadline-passed"]);
    expect(passed.dispute.state).toBe("informal");
    expect(currentStage(passed.dispute).overdueSince).toBe("2027-02-02T17:00:00.000Z");
    expect(notices(passed.decisions[1]!.effects).map((n) => n.notice)).toEqual(["deadline-passed", "overdue"]);
    expect(passed.dispute.timers).toEqual([]);
  });
});

describe('A procedure that escalates by itself (Lambeth with onDeadline: "escalate")', () => {
  const raisedThere = raisedOnMonday({}, lambethEscalating).dispute;
  const { dispute: due } = sweep(raisedThere, FRI_5_FEB_0900, lambethEscalating);
  const { dispute, event, effects } = apply(due, timerCommand(due, "deadline"), system(FRI_5_FEB_1700, lambethEscalating));

  it("the snapshot carries the rule", () => {
    expect(raisedThere.ladder.onDeadline).toBe("escalate");
  });

  it("the dispute climbs to stage 2 at the deadline, stage 1 closed with the system's rationale", () => {
    expect(dispute.state).toBe("awaiting-response");
    expect(dispute.stage).toBe(2);
    expect(dispute.stages[0]!.closed).toEqual({
      how: "escalated",
      at: "2027-02-05T17:00:00.000Z",
      rationale: "No response from Megan Bowen by Fri 5 Feb 2027, 17:00: escalated as the procedure says.",
    });
    expect(currentStage(dispute)).toMatchObject({ stage: 2, assignee: adele, receivedAt: "2027-02-05T17:00:00.000Z", dueAt: "2027-02-11T17:00:00.000Z", responseDays: 4 });
  });

  it("the audit event is the system's, marked automatic", () => {
    expect(event).toMatchObject({
      action: "deadline-passed",
      actor: null,
      from: { state: "awaiting-response", stage: 1 },
      to: { state: "awaiting-response", stage: 2 },
      detail: { fromStage: 1, toStage: 2, bypassed: [], responseDays: 4, assignee: adele, automatic: true },
    });
    expect(event.detail.rationale).toMatch(/^No response from Megan Bowen/);
  });

  it("stage 1 entries are cancelled, the service manager alerted, the team manager and the IRO told", () => {
    expect(calendarOps(effects).map((c) => [c.op, c.entryKey])).toEqual([
      ["cancel", entryKey(1, megan)],
      ["cancel", entryKey(1, alex)],
      ["upsert", entryKey(2, adele)],
      ["upsert", entryKey(2, alex)],
    ]);
    expect(notices(effects)).toEqual([
      { notice: "alert", to: "Adele Vance", role: "service-manager", channel: "teams" },
      { notice: "stage-notice", to: "Megan Bowen", role: "team-manager", channel: "mail" },
      { notice: "deadline-passed", to: "Alex Wilber", role: null, channel: "teams" },
    ]);
  });

  it("stage 2 has its own reminders and deadline", () => {
    expect(timersOf(dispute)).toEqual([
      ["reminder", "2027-02-10T09:00:00.000Z"],
      ["reminder", "2027-02-11T09:00:00.000Z"],
      ["deadline", "2027-02-11T17:00:00.000Z"],
      ["cap-warning", CAP_WARNING],
      ["cap", CAP_DUE],
    ]);
  });

  it("at the top stage there is nowhere to climb: it is overdue instead", () => {
    const top = raisedOnMonday({ startStage: 5 }, lambethEscalating).dispute;
    const passed = apply(top, timerCommand(top, "deadline"), system(FRI_5_FEB_1700, lambethEscalating));
    expect(passed.dispute.stage).toBe(5);
    expect(currentStage(passed.dispute).overdueSince).toBe("2027-02-05T17:00:00.000Z");
    expect(passed.event.detail).toMatchObject({ automatic: false });
  });

  it("an informal concern is never escalated by the system", () => {
    const informal = raisedOnMonday({ startStage: 0, timescaleDays: 1 }, lambethEscalating).dispute;
    const passed = apply(informal, timerCommand(informal, "deadline"), system("2027-02-02T17:00:00Z", lambethEscalating));
    expect(passed.dispute.stage).toBe(0);
    expect(passed.dispute.state).toBe("informal");
  });
});

describe("Lambeth: the end of a hold (the IRO checks the agreed actions)", () => {
  const held = apply(answeredOnTuesday(), { action: "hold", until: "2027-02-12", actionsAgreed: "Allocate and visit." }, ctx(WED_3_FEB)).dispute;
  const { dispute, event, effects } = apply(held, timerCommand(held, "hold-end"), system("2027-02-12T17:00:00Z"));

  it("the hold has ended, but the dispute stays on hold until the IRO closes, resumes or escalates it", () => {
    expect(dispute.state).toBe("on-hold");
    expect(dispute.hold).toMatchObject({ until: "2027-02-12", ended: true });
  });

  it("the IRO is told in Teams; the record has the actions to check", () => {
    expect(notices(effects)).toEqual([{ notice: "hold-ended", to: "Alex Wilber", role: null, channel: "teams" }]);
    expect(event).toMatchObject({ action: "hold-ended", actor: null, to: { state: "on-hold", stage: 1 }, detail: { until: "2027-02-12", actionsAgreed: "Allocate and visit." } });
  });

  it("only the cap is left to run", () => {
    expect(timersOf(dispute)).toEqual([
      ["cap-warning", CAP_WARNING],
      ["cap", CAP_DUE],
    ]);
  });

  it("resolving then cancels nothing more", () => {
    const closed = apply(dispute, { action: "resolve", outcome: "Actions done." }, ctx("2027-02-15T10:00:00Z"));
    expect(calendarOps(closed.effects)).toEqual([]);
  });
});

describe("Lambeth: the 20 working day cap on the formal process", () => {
  const warned = sweep(raisedOnMonday().dispute, CAP_WARNING);
  const warning = warned.decisions.at(-1)!;

  it("two working days before, the IRO and QA are warned", () => {
    expect(warned.decisions.map((d) => d.event.action)).toEqual(["reminder-due", "reminder-due", "deadline-passed", "cap-warning"]);
    expect(warning.dispute.capNotices).toEqual({ warnedAt: CAP_WARNING });
    expect(notices(warning.effects)).toEqual([
      { notice: "cap-warning", to: "Alex Wilber", role: null, channel: "teams" },
      { notice: "cap-warning", to: "AD Quality Assurance", role: "ad-quality-assurance", channel: "mail" },
      { notice: "cap-warning", to: "Quinn QA", role: "iro-service-manager", channel: "mail" },
    ]);
    expect(warning.event).toMatchObject({ action: "cap-warning", actor: null, detail: { capDueAt: CAP_DUE, stage: 1, told: ["iro", "ad-quality-assurance", "iro-service-manager"] } });
    expect(timersOf(warning.dispute)).toEqual([["cap", CAP_DUE]]);
  });

  it("once warned, a new schedule does not warn again", () => {
    const extended = apply(warning.dispute, { action: "extend", until: "2027-02-26", reason: "Last chance." }, ctx("2027-02-25T10:00:00Z")).dispute;
    expect(timersOf(extended).map(([kind]) => kind)).toEqual(["reminder", "deadline", "cap"]);
  });

  it("when it passes, the IRO and QA are told", () => {
    const passed = apply(warning.dispute, timerCommand(warning.dispute, "cap"), system("2027-03-01T17:00:00Z"));
    expect(passed.dispute.capNotices).toEqual({ warnedAt: CAP_WARNING, passedAt: "2027-03-01T17:00:00.000Z" });
    expect(notices(passed.effects).map((n) => [n.notice, n.to])).toEqual([
      ["cap-passed", "Alex Wilber"],
      ["cap-passed", "AD Quality Assurance"],
      ["cap-passed", "Quinn QA"],
    ]);
    expect(passed.event).toMatchObject({ action: "cap-passed", detail: { capDueAt: CAP_DUE, stage: 1 } });
    expect(passed.dispute.timers).toEqual([]);
    expect(passed.dispute.state).toBe("awaiting-response");
  });

  it("an informal concern has no cap yet", () => {
    expect(raisedOnMonday({ startStage: 0 }).dispute.timers.map((t) => t.kind)).not.toContain("cap");
  });

  it("the cap keeps its token through an escalation", () => {
    const d = raisedOnMonday().dispute;
    const escalated = apply(d, { action: "escalate", rationale: "Urgent." }, ctx(TUE_2_FEB)).dispute;
    expect(escalated.timers.filter((t) => t.kind.startsWith("cap"))).toEqual(d.timers.filter((t) => t.kind.startsWith("cap")));
  });
});

describe("Timers that are refused", () => {
  const d = raisedOnMonday().dispute;

  it("a token the dispute never had", () => {
    expect(rejected(d, { action: "reminder-due", token: "reminder:1:2027-02-04T09:00:00.001Z" }, system("2027-02-04T09:00:00Z"))).toEqual({
      code: "conflict",
      message: "Dispute D-1 no longer has this reminder scheduled. Nothing was changed.",
    });
  });

  it("a deadline's token fired as a reminder", () => {
    const { token } = timerCommand(d, "deadline") as { token: string };
    expect(rejected(d, { action: "reminder-due", token }, system(FRI_5_FEB_1700)).message).toBe("Dispute D-1 no longer has this reminder scheduled. Nothing was changed.");
  });

  it("a deadline not yet due", () => {
    expect(rejected(d, timerCommand(d, "deadline"), system(TUE_2_FEB))).toEqual({
      code: "conflict",
      message: "This deadline for dispute D-1 is not due until Fri 5 Feb 2027, 17:00.",
    });
  });

  it("the old deadline after an extension", () => {
    const extended = apply(d, { action: "extend", until: "2027-02-10", reason: "Panel." }, ctx(TUE_2_FEB)).dispute;
    expect(rejected(extended, timerCommand(d, "deadline"), system(FRI_5_FEB_1700)).message).toBe("Dispute D-1 no longer has this deadline scheduled. Nothing was changed.");
  });

  it("a deadline after the stage was answered", () => {
    const answered = answeredOnTuesday();
    const error = rejected(answered, timerCommand(d, "deadline"), system(FRI_5_FEB_1700));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/it cannot be marked overdue now/);
  });

  it("a person cannot fire a timer", () => {
    expect(rejected(d, timerCommand(d, "deadline"), ctx(FRI_5_FEB_1700, iro))).toEqual({
      code: "forbidden",
      message: "deadline-passed is taken by the timers, not by a person.",
    });
    expect(rejected(d, timerCommand(d, "reminder"), ctx(FRI_5_FEB_1700, as(megan))).code).toBe("forbidden");
  });

  it("a timer on a resolved dispute", () => {
    const resolved = apply(d, { action: "resolve", outcome: "Sorted." }, ctx(TUE_2_FEB)).dispute;
    expect(rejected(resolved, timerCommand(d, "reminder"), system("2027-02-04T09:00:00Z"))).toEqual({
      code: "conflict",
      message: "Dispute D-1 is resolved by Alex Wilber on Tuesday 2 February 2027 at 11:00: it cannot be reminded now. Nothing was changed.",
    });
  });

  it("hold-ended on a dispute not on hold", () => {
    expect(rejected(d, { action: "hold-ended", token: "hold-end:hold:2027-02-12T17:00:00.000Z" }, system("2027-02-12T17:00:00Z")).message).toMatch(
      /it cannot be taken off hold now/,
    );
  });

  it("a cap warning while informal", () => {
    const informal = raisedOnMonday({ startStage: 0 }).dispute;
    expect(rejected(informal, { action: "cap-warning", token: "cap-warning:cap:x" }, system(CAP_WARNING)).message).toMatch(/it cannot be warned about the cap now/);
  });

  it("an empty token", () => {
    const error = rejected(d, { action: "deadline-passed", token: "" }, system(FRI_5_FEB_1700));
    expect(error.code).toBe("invalid");
    expect(error.message).toBe("Token: must not be empty.");
  });
});
