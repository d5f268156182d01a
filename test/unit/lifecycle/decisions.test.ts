import { describe, expect, it } from "vitest";
import type { Command } from "../../../shared/dispute/commands";
import { type Dispute, currentStage } from "../../../shared/dispute/disputeSchema";
import type { PersonRef } from "../../../shared/dispute/people";
import { apply, ctx } from "../../fixtures/disputes";
import {
  CAP_DUE,
  CAP_WARNING,
  STAGE_1_DUE,
  TUE_2_FEB,
  WED_3_FEB,
  answeredOnTuesday,
  calendarOps,
  entryKey,
  holdKey,
  notices,
  raisedOnMonday,
  redbridge,
  rejected,
  system,
  timerCommand,
  timersOf,
} from "../../fixtures/lifecycle";
import { adele, alex, as, demoRoster, iro, isaiah, megan, patti, qa, quinn, stranger } from "../../fixtures/people";

const tessa: PersonRef = { id: "00000000-0000-0000-0000-00000000015c", upn: "tessaa@example.com", displayName: "Tessa Acting" };
const adQa = demoRoster["ad-quality-assurance"]!;
const hosQa = demoRoster["head-of-safeguarding-qa"]!;
const teamManager = as(megan);
const STAGE_2_DUE = "2027-02-09T17:00:00.000Z";

describe("Lambeth: the IRO escalates to the next stage", () => {
  const before = raisedOnMonday().dispute;
  const { dispute, event, effects } = apply(before, { action: "escalate", expectedVersion: 1, rationale: "No allocation and no reply: the child has gone 8 weeks unseen." }, ctx(WED_3_FEB));

  it("stage 1 is closed as escalated with the rationale; stage 2 is with the service manager for 4 working days", () => {
    expect(dispute.state).toBe("awaiting-response");
    expect(dispute.stage).toBe(2);
    expect(dispute.stages).toHaveLength(2);
    expect(dispute.stages[0]!.closed).toEqual({ how: "escalated", at: "2027-02-03T10:00:00.000Z", rationale: "No allocation and no reply: the child has gone 8 weeks unseen." });
    expect(dispute.stages[1]).toEqual({
      stage: 2,
      role: "service-manager",
      title: "Service Manager",
      assignee: adele,
      receivedAt: "2027-02-03T10:00:00.000Z",
      dueAt: STAGE_2_DUE,
      responseDays: 4,
      mode: "written",
    });
  });

  it("the 20 working days still count from the formal start on Monday", () => {
    expect(dispute.formalStartedAt).toBe("2027-02-01T10:00:00.000Z");
    expect(dispute.capDueAt).toBe(CAP_DUE);
  });

  it("the audit event names both stages, the rationale, the time given and the new holder", () => {
    expect(event).toMatchObject({
      action: "escalate",
      actor: alex,
      from: { state: "awaiting-response", stage: 1 },
      to: { state: "awaiting-response", stage: 2 },
      detail: { fromStage: 1, toStage: 2, bypassed: [], rationale: "No allocation and no reply: the child has gone 8 weeks unseen.", responseDays: 4, assignee: adele },
    });
  });

  it("stage 1's entries are cancelled, the service manager is alerted with new entries, the team manager is told by mail", () => {
    expect(calendarOps(effects)).toEqual([
      { op: "cancel", entryKey: entryKey(1, megan), attendee: "Megan Bowen", at: STAGE_1_DUE },
      { op: "cancel", entryKey: entryKey(1, alex), attendee: "Alex Wilber", at: STAGE_1_DUE },
      { op: "upsert", entryKey: entryKey(2, adele), attendee: "Adele Vance", at: STAGE_2_DUE },
      { op: "upsert", entryKey: entryKey(2, alex), attendee: "Alex Wilber", at: STAGE_2_DUE },
    ]);
    expect(notices(effects)).toEqual([
      { notice: "alert", to: "Adele Vance", role: "service-manager", channel: "teams" },
      { notice: "stage-notice", to: "Megan Bowen", role: "team-manager", channel: "mail" },
    ]);
    expect(effects.filter((e) => e.kind === "card-update")).toHaveLength(1);
    expect(effects.map((e) => e.id)).toEqual(effects.map((_, i) => `D-1:2:${i + 1}`));
  });

  it("reminders and the deadline move to stage 2; the cap stays", () => {
    expect(timersOf(dispute)).toEqual([
      ["reminder", "2027-02-08T09:00:00.000Z"],
      ["reminder", "2027-02-09T09:00:00.000Z"],
      ["deadline", STAGE_2_DUE],
      ["cap-warning", CAP_WARNING],
      ["cap", CAP_DUE],
    ]);
  });
});

describe("Lambeth: other escalations", () => {
  it("after an answer that does not resolve it: nothing left to cancel", () => {
    const { effects, event } = apply(answeredOnTuesday(), { action: "escalate", rationale: "The answer does not allocate anyone." }, ctx(WED_3_FEB));
    expect(calendarOps(effects).map((c) => c.op)).toEqual(["upsert", "upsert"]);
    expect(event.from).toEqual({ state: "awaiting-decision", stage: 1 });
  });

  it("straight to stage 3, bypassing stage 2: the assistant director is alerted and the QA AD told (Annex B)", () => {
    const { dispute, event, effects } = apply(raisedOnMonday().dispute, { action: "escalate", toStage: 3, rationale: "Serious safeguarding concern." }, ctx(WED_3_FEB));
    expect(dispute.stage).toBe(3);
    expect(currentStage(dispute)).toMatchObject({ role: "assistant-director", assignee: isaiah });
    expect(event.detail).toMatchObject({ fromStage: 1, toStage: 3, bypassed: [2] });
    expect(notices(effects)).toEqual([
      { notice: "alert", to: "Isaiah Langer", role: "assistant-director", channel: "teams" },
      { notice: "stage-notice", to: "AD Quality Assurance", role: "ad-quality-assurance", channel: "mail" },
      { notice: "stage-notice", to: "Megan Bowen", role: "team-manager", channel: "mail" },
    ]);
  });

  it("to stage 4: the director and the relevant AD (Annex B)", () => {
    const { effects } = apply(raisedOnMonday().dispute, { action: "escalate", toStage: 4, rationale: "Breach of human rights." }, ctx(WED_3_FEB));
    expect(notices(effects).slice(0, 2)).toEqual([
      { notice: "alert", to: "Patti Fernandez", role: "director-csc", channel: "teams" },
      { notice: "stage-notice", to: "Isaiah Langer", role: "assistant-director", channel: "mail" },
    ]);
  });

  it("with a shorter time set by the IRO (2 working days)", () => {
    const { dispute, event } = apply(raisedOnMonday().dispute, { action: "escalate", rationale: "Urgent.", timescaleDays: 2 }, ctx(WED_3_FEB));
    expect(currentStage(dispute)).toMatchObject({ responseDays: 2, dueAt: "2027-02-05T17:00:00.000Z" });
    expect(event.detail.responseDays).toBe(2);
  });

  it("from informal to stage 1: the formal process and its 20 working days start now; the team manager keeps it, so is not told twice", () => {
    const informal = raisedOnMonday({ startStage: 0 }).dispute;
    const { dispute, effects } = apply(informal, { action: "escalate", rationale: "Not resolved informally." }, ctx(WED_3_FEB));
    expect(dispute.stage).toBe(1);
    expect(dispute.stages[0]!.closed?.how).toBe("escalated");
    expect(dispute.formalStartedAt).toBe("2027-02-03T10:00:00.000Z");
    expect(dispute.capDueAt).toBe("2027-03-03T17:00:00.000Z");
    expect(notices(effects)).toEqual([{ notice: "alert", to: "Megan Bowen", role: "team-manager", channel: "teams" }]);
    expect(calendarOps(effects).map((c) => [c.op, c.entryKey])).toEqual([
      ["cancel", entryKey(0, megan)],
      ["cancel", entryKey(0, alex)],
      ["upsert", entryKey(1, megan)],
      ["upsert", entryKey(1, alex)],
    ]);
    expect(timersOf(dispute).map(([kind]) => kind)).toEqual(["reminder", "reminder", "deadline", "cap-warning", "cap"]);
  });

  it("from hold: the hold entry is cancelled and the hold ends", () => {
    const held = apply(answeredOnTuesday(), { action: "hold", until: "2027-02-12", actionsAgreed: "Allocate by Friday." }, ctx(WED_3_FEB)).dispute;
    const { dispute, effects } = apply(held, { action: "escalate", rationale: "Actions not started." }, ctx("2027-02-04T10:00:00Z"));
    expect(dispute.hold).toBeUndefined();
    expect(dispute.stages[0]!.closed?.how).toBe("held");
    expect(calendarOps(effects)[0]).toEqual({ op: "cancel", entryKey: holdKey, attendee: "Alex Wilber", at: "2027-02-12T17:00:00.000Z" });
  });

  it("Lambeth: QA may decide, and escalate a dispute another IRO raised", () => {
    const { dispute, event } = apply(raisedOnMonday().dispute, { action: "escalate", rationale: "QA review: escalate." }, ctx(WED_3_FEB, qa));
    expect(dispute.stage).toBe(2);
    expect(event.actor).toEqual(quinn);
  });
});

describe("Redbridge: stages 4 to 6 are minuted meetings chaired by the officer who received the alert", () => {
  const d = raisedOnMonday({ category: "placement", reason: "placement-choice" }, redbridge).dispute;
  const { dispute, effects } = apply(d, { action: "escalate", toStage: 4, rationale: "Placement breaking down; no plan." }, ctx(WED_3_FEB, iro, redbridge));

  it("the stage is a meeting, with the Chief Children and Families Officer", () => {
    expect(currentStage(dispute)).toMatchObject({ stage: 4, mode: "meeting", assignee: patti, dueAt: "2027-02-10T17:00:00.000Z" });
  });

  it("a meeting is called before the stage falls due: the IRO, the QA managers and the earlier stage's officer invited", () => {
    expect(effects.filter((e) => e.kind === "meeting")).toEqual([
      {
        id: expect.any(String),
        disputeId: "D-1",
        kind: "meeting",
        stage: 4,
        chair: patti,
        invitees: [alex, quinn, hosQa, megan],
        by: "2027-02-10T17:00:00.000Z",
        subject: "Dispute D-1: stage 4 meeting",
      },
    ]);
  });

  it("the SQA managers are told they attend (7)", () => {
    expect(notices(effects)).toEqual([
      { notice: "alert", to: "Patti Fernandez", role: "chief-children-families-officer", channel: "teams" },
      { notice: "stage-notice", to: "Quinn QA", role: "iro-service-manager", channel: "mail" },
      { notice: "stage-notice", to: "Head of Safeguarding and QA", role: "head-of-safeguarding-qa", channel: "mail" },
      { notice: "stage-notice", to: "Megan Bowen", role: "team-manager", channel: "mail" },
    ]);
  });

  it("stages 1 to 3 are written: no meeting", () => {
    const toThree = apply(d, { action: "escalate", toStage: 3, rationale: "Serious." }, ctx(WED_3_FEB, iro, redbridge));
    expect(toThree.effects.some((e) => e.kind === "meeting")).toBe(false);
  });
});

describe("when QA decides on an IRO's dispute, the IRO who raised it hears of it", () => {
  it("QA escalates: Alex, who raised it, is told in Teams", () => {
    const { effects } = apply(raisedOnMonday().dispute, { action: "escalate", rationale: "QA review: escalate." }, ctx(WED_3_FEB, qa));
    expect(notices(effects)).toContainEqual({ notice: "stage-notice", to: "Alex Wilber", role: null, channel: "teams" });
  });

  it("QA resolves: Alex is told in Teams; when Alex resolves it himself he is not told again", () => {
    const byQa = apply(raisedOnMonday().dispute, { action: "resolve", outcome: "Resolved at the QA review." }, ctx(WED_3_FEB, qa));
    expect(notices(byQa.effects)).toContainEqual({ notice: "resolved", to: "Alex Wilber", role: null, channel: "teams" });
    const byIro = apply(raisedOnMonday().dispute, { action: "resolve", outcome: "Resolved." }, ctx(WED_3_FEB, iro));
    expect(notices(byIro.effects).filter((n) => n.to === "Alex Wilber")).toEqual([]);
  });
});

describe("Lambeth: only the IRO who raised it, or QA, can escalate", () => {
  const d = raisedOnMonday().dispute;
  const escalate: Command = { action: "escalate", rationale: "Escalating." };

  it("the assignee cannot escalate her own stage", () => {
    expect(rejected(d, escalate, ctx(WED_3_FEB, teamManager))).toEqual({
      code: "forbidden",
      message: "Only Alex Wilber, who raised dispute D-1, or the QA service can escalate it.",
    });
  });

  it("another IRO cannot escalate a colleague's dispute", () => {
    expect(rejected(d, escalate, ctx(WED_3_FEB, as(stranger, "iro"))).code).toBe("forbidden");
  });

  it("the timers cannot take the IRO's decisions", () => {
    expect(rejected(d, escalate, system(WED_3_FEB)).code).toBe("forbidden");
  });

  it("nor can the assignee take any other decision", () => {
    const decisions: Command[] = [
      { action: "extend", until: "2027-02-10", reason: "More time." },
      { action: "hold", until: "2027-02-12", actionsAgreed: "Allocate." },
      { action: "resolve", outcome: "Done." },
      { action: "withdraw", reason: "No longer needed." },
      { action: "reassign", to: tessa, reason: "Leave." },
      { action: "intend-referral", to: "cafcass", reasons: "Drift." },
      { action: "refer", to: "lscp", reasons: "Drift." },
      { action: "record-child-informed", informed: true, advocacyOffered: true },
    ];
    for (const c of decisions) {
      const error = rejected(d, c, ctx(WED_3_FEB, teamManager));
      expect(error.code, c.action).toBe("forbidden");
      expect(error.message, c.action).toMatch(/^Only Alex Wilber, who raised dispute D-1, or the QA service can [a-z ]+ it\.$/);
    }
  });
});

describe("Lambeth: escalations that are refused", () => {
  const d = raisedOnMonday().dispute;
  const atTwo = apply(d, { action: "escalate", rationale: "No reply." }, ctx(WED_3_FEB)).dispute;

  it("down the ladder", () => {
    expect(rejected(atTwo, { action: "escalate", toStage: 1, rationale: "Back down." }, ctx(WED_3_FEB))).toEqual({
      code: "invalid",
      message: "Escalate to: a dispute only climbs; it stands at stage 2, so choose a stage above it.",
      field: "toStage",
    });
  });

  it("to the stage it stands at", () => {
    const error = rejected(atTwo, { action: "escalate", toStage: 2, rationale: "Again." }, ctx(WED_3_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toMatch(/^Escalate to: a dispute only climbs; it stands at stage 2/);
  });

  it("beyond the top", () => {
    expect(rejected(d, { action: "escalate", toStage: 6, rationale: "Higher." }, ctx(WED_3_FEB))).toEqual({
      code: "invalid",
      message: "Escalate to: the ladder has 5 stages; 6 is not one of them.",
      field: "toStage",
    });
  });

  it("from the top stage: resolve or refer instead", () => {
    const top = raisedOnMonday({ startStage: 5 }).dispute;
    expect(rejected(top, { action: "escalate", rationale: "Higher still." }, ctx(WED_3_FEB))).toEqual({
      code: "conflict",
      message: "Stage 5 (Corporate Director / DCS) is the top of the ladder: resolve the dispute, or refer it to CAFCASS or the LSCP.",
    });
  });

  it("a timescale longer than the stage allows", () => {
    expect(rejected(d, { action: "escalate", rationale: "Take your time.", timescaleDays: 5 }, ctx(WED_3_FEB))).toEqual({
      code: "invalid",
      message: "Shorter response time: stage 2 (Service Manager) allows at most 4 working days; the IRO may set a shorter time, not a longer one.",
      field: "timescaleDays",
    });
  });

  it("no rationale", () => {
    const error = rejected(d, { action: "escalate" } as never, ctx(WED_3_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toBe("Rationale: this is needed.");
  });

  it("a blank rationale", () => {
    expect(rejected(d, { action: "escalate", rationale: " \n " }, ctx(WED_3_FEB))).toEqual({ code: "invalid", message: "Rationale: must not be empty.", field: "rationale" });
  });

  it("a rationale over 2000 characters", () => {
    expect(rejected(d, { action: "escalate", rationale: "x".repeat(2001) }, ctx(WED_3_FEB))).toEqual({ code: "invalid", message: "Rationale: must be at most 2000 characters.", field: "rationale" });
  });

  it("from a card shown before the last change", () => {
    const error = rejected(atTwo, { action: "escalate", expectedVersion: 1, rationale: "From the old card." }, ctx(WED_3_FEB));
    expect(error.code).toBe("stale");
    expect(error.message).toMatch(/It is now at stage 2 \(Service Manager\), awaiting Adele Vance's response/);
    // What changed since the card was shown, and who did it.
    expect(error.message).toMatch(/has changed since this was shown: Alex Wilber escalated it on Wednesday 3 February 2027 at \d\d:\d\d\./);
  });
});

describe("Lambeth: the IRO extends the due date", () => {
  const before = raisedOnMonday().dispute;
  const { dispute, event, effects } = apply(before, { action: "extend", until: "2027-02-10", reason: "Panel sits on Tuesday." }, ctx(TUE_2_FEB));

  it("the stage falls due at 17:00 on the new day, still awaiting the same person", () => {
    expect(dispute.state).toBe("awaiting-response");
    expect(currentStage(dispute)).toMatchObject({ stage: 1, assignee: megan, dueAt: "2027-02-10T17:00:00.000Z", receivedAt: "2027-02-01T10:00:00.000Z" });
    expect(dispute.stages).toHaveLength(1);
  });

  it("the audit event has the old and new due times and the reason", () => {
    expect(event).toMatchObject({
      action: "extend",
      actor: alex,
      from: { state: "awaiting-response", stage: 1 },
      to: { state: "awaiting-response", stage: 1 },
      detail: { stage: 1, from: STAGE_1_DUE, to: "2027-02-10T17:00:00.000Z", reason: "Panel sits on Tuesday.", answersRequest: false },
    });
  });

  it("the same calendar entries move; the team manager is told in Teams", () => {
    expect(calendarOps(effects)).toEqual([
      { op: "upsert", entryKey: entryKey(1, megan), attendee: "Megan Bowen", at: "2027-02-10T17:00:00.000Z" },
      { op: "upsert", entryKey: entryKey(1, alex), attendee: "Alex Wilber", at: "2027-02-10T17:00:00.000Z" },
    ]);
    expect(notices(effects)).toEqual([{ notice: "deadline-extended", to: "Megan Bowen", role: "team-manager", channel: "teams" }]);
    expect(effects.at(-1)?.kind).toBe("card-update");
  });

  it("reminders and the deadline move with it", () => {
    expect(timersOf(dispute)).toEqual([
      ["reminder", "2027-02-09T09:00:00.000Z"],
      ["reminder", "2027-02-10T09:00:00.000Z"],
      ["deadline", "2027-02-10T17:00:00.000Z"],
      ["cap-warning", CAP_WARNING],
      ["cap", CAP_DUE],
    ]);
  });

  it("answering a request for more time clears it, and says so", () => {
    const asked = apply(before, { action: "request-more-time", days: 3, reason: "Panel." }, ctx(TUE_2_FEB, teamManager)).dispute;
    const extended = apply(asked, { action: "extend", until: "2027-02-10", reason: "Granted." }, ctx(WED_3_FEB));
    expect(extended.event.detail.answersRequest).toBe(true);
    expect(currentStage(extended.dispute).moreTimeRequested).toBeUndefined();
  });

  it("an overdue stage given more time is no longer overdue, and its deadline is back", () => {
    let d = before;
    for (const kind of ["reminder", "reminder", "deadline"] as const) d = apply(d, timerCommand(d, kind), system(d.timers[0]!.at)).dispute;
    expect(currentStage(d).overdueSince).toBeDefined();
    const extended = apply(d, { action: "extend", until: "2027-02-10", reason: "One more chance." }, ctx("2027-02-08T09:00:00Z")).dispute;
    expect(currentStage(extended).overdueSince).toBeUndefined();
    expect(timersOf(extended)).toContainEqual(["deadline", "2027-02-10T17:00:00.000Z"]);
  });

  it("to later today, before the working day ends", () => {
    const { dispute: today } = apply(before, { action: "extend", until: "2027-02-02", reason: "By close today." }, ctx(TUE_2_FEB));
    expect(currentStage(today).dueAt).toBe("2027-02-02T17:00:00.000Z");
  });
});

describe("Lambeth: extensions that are refused", () => {
  const d = raisedOnMonday().dispute;

  it("to a day already past", () => {
    expect(rejected(d, { action: "extend", until: "2027-02-01", reason: "Oops." }, ctx(TUE_2_FEB))).toEqual({
      code: "invalid",
      message: "New due date: Monday 1 February 2027 has passed; choose a later working day. Nothing was changed.",
      field: "until",
    });
  });

  it("to today, once the working day has ended", () => {
    expect(rejected(d, { action: "extend", until: "2027-02-02", reason: "Oops." }, ctx("2027-02-02T17:30:00Z")).message).toBe(
      "New due date: the working day Tuesday 2 February 2027 has ended; choose a later one. Nothing was changed.",
    );
  });

  it("to a Saturday", () => {
    expect(rejected(d, { action: "extend", until: "2027-02-06", reason: "Weekend." }, ctx(TUE_2_FEB))).toEqual({
      code: "invalid",
      message: "New due date: Saturday 6 February 2027 is not a working day. Nothing was changed.",
      field: "until",
    });
  });

  it("to a bank holiday (the early May bank holiday, 3 May 2027)", () => {
    expect(rejected(d, { action: "extend", until: "2027-05-03", reason: "Long." }, ctx(TUE_2_FEB)).message).toBe("New due date: Monday 3 May 2027 is not a working day. Nothing was changed.");
  });

  it("with no reason", () => {
    const error = rejected(d, { action: "extend", until: "2027-02-10" } as never, ctx(TUE_2_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toBe("Why: this is needed.");
  });

  it("once answered, there is no due date to extend", () => {
    const error = rejected(answeredOnTuesday(), { action: "extend", until: "2027-02-10", reason: "More." }, ctx(WED_3_FEB));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/: it cannot be extended now\. Nothing was changed\.$/);
  });
});

describe("Lambeth: the alert is held until the agreed completion date (7)", () => {
  const answered = answeredOnTuesday();
  const { dispute, event, effects } = apply(answered, { action: "hold", until: "2027-02-12", actionsAgreed: "Allocate a social worker; visit by Friday." }, ctx(WED_3_FEB));

  it("the dispute is on hold, the round closed as held with the actions agreed", () => {
    expect(dispute.state).toBe("on-hold");
    expect(dispute.stage).toBe(1);
    expect(dispute.hold).toEqual({
      until: "2027-02-12",
      endsAt: "2027-02-12T17:00:00.000Z",
      actionsAgreed: "Allocate a social worker; visit by Friday.",
      since: "2027-02-03T10:00:00.000Z",
      ended: false,
    });
    expect(currentStage(dispute).closed).toEqual({ how: "held", at: "2027-02-03T10:00:00.000Z", rationale: "Allocate a social worker; visit by Friday." });
  });

  it("the audit event has the date and the actions", () => {
    expect(event).toMatchObject({
      action: "hold",
      from: { state: "awaiting-decision", stage: 1 },
      to: { state: "on-hold", stage: 1 },
      detail: { stage: 1, until: "2027-02-12", actionsAgreed: "Allocate a social worker; visit by Friday." },
    });
  });

  it("the hold date goes into the IRO's calendar (visible in the work tray) and the team manager is told", () => {
    expect(effects).toEqual([
      { id: "D-1:3:1", disputeId: "D-1", kind: "calendar", op: "upsert", entryKey: holdKey, attendee: alex, subject: "Dispute D-1: check the agreed actions", at: "2027-02-12T17:00:00.000Z" },
      { id: "D-1:3:2", disputeId: "D-1", kind: "notify", notice: "on-hold", to: megan, role: "team-manager", channel: "teams" },
      { id: "D-1:3:3", disputeId: "D-1", kind: "card-update" },
    ]);
  });

  it("a timer for the end of the hold; the cap keeps running", () => {
    expect(timersOf(dispute)).toEqual([
      ["hold-end", "2027-02-12T17:00:00.000Z"],
      ["cap-warning", CAP_WARNING],
      ["cap", CAP_DUE],
    ]);
  });

  it("held before any answer: the response entries are cancelled too", () => {
    const { effects: fromWaiting } = apply(raisedOnMonday().dispute, { action: "hold", until: "2027-02-12", actionsAgreed: "Agreed by phone." }, ctx(WED_3_FEB));
    expect(calendarOps(fromWaiting).map((c) => [c.op, c.entryKey])).toEqual([
      ["cancel", entryKey(1, megan)],
      ["cancel", entryKey(1, alex)],
      ["upsert", holdKey],
    ]);
  });

  it("a new date while on hold moves the same entry", () => {
    const moved = apply(dispute, { action: "hold", until: "2027-02-19", actionsAgreed: "Visit moved to next week." }, ctx("2027-02-04T10:00:00Z"));
    expect(moved.dispute.hold).toMatchObject({ until: "2027-02-19", endsAt: "2027-02-19T17:00:00.000Z" });
    expect(calendarOps(moved.effects)).toEqual([
      { op: "cancel", entryKey: holdKey, attendee: "Alex Wilber", at: "2027-02-12T17:00:00.000Z" },
      { op: "upsert", entryKey: holdKey, attendee: "Alex Wilber", at: "2027-02-19T17:00:00.000Z" },
    ]);
    expect(timersOf(moved.dispute)[0]).toEqual(["hold-end", "2027-02-19T17:00:00.000Z"]);
  });
});

describe("Lambeth: holds that are refused", () => {
  const d = answeredOnTuesday();

  it("a date already past", () => {
    expect(rejected(d, { action: "hold", until: "2027-02-01", actionsAgreed: "Allocate." }, ctx(TUE_2_FEB))).toEqual({
      code: "invalid",
      message: "Agreed completion date: Monday 1 February 2027 is not after today (Tuesday 2 February 2027). Nothing was changed.",
      field: "until",
    });
  });

  it("today", () => {
    expect(rejected(d, { action: "hold", until: "2027-02-02", actionsAgreed: "Allocate." }, ctx(TUE_2_FEB)).code).toBe("invalid");
  });

  it("a non-working day", () => {
    expect(rejected(d, { action: "hold", until: "2027-02-13", actionsAgreed: "Allocate." }, ctx(TUE_2_FEB))).toEqual({
      code: "invalid",
      message: "Agreed completion date: Saturday 13 February 2027 is not a working day. Nothing was changed.",
      field: "until",
    });
  });

  it("no actions agreed", () => {
    const error = rejected(d, { action: "hold", until: "2027-02-12", actionsAgreed: "" }, ctx(TUE_2_FEB));
    expect(error).toEqual({ code: "invalid", message: "Actions agreed: must not be empty.", field: "actionsAgreed" });
  });

  it("a date that is not a date", () => {
    const error = rejected(d, { action: "hold", until: "Friday", actionsAgreed: "Allocate." }, ctx(TUE_2_FEB));
    expect(error).toEqual({ code: "invalid", message: "Agreed completion date: must be a day on the calendar (year-month-day).", field: "until" });
  });
});

describe("Lambeth: the IRO resumes a held dispute", () => {
  const held = apply(answeredOnTuesday(), { action: "hold", until: "2027-02-12", actionsAgreed: "Allocate." }, ctx(WED_3_FEB)).dispute;
  const { dispute, event, effects } = apply(held, { action: "resume", reason: "The visit has not happened." }, ctx("2027-02-08T10:00:00Z"));

  it("the same stage gets a second round for a fresh answer, with its full response time", () => {
    expect(dispute.state).toBe("awaiting-response");
    expect(dispute.stage).toBe(1);
    expect(dispute.hold).toBeUndefined();
    expect(dispute.stages).toHaveLength(2);
    expect(dispute.stages[0]!.closed?.how).toBe("held");
    expect(dispute.stages[1]).toEqual({
      stage: 1,
      role: "team-manager",
      title: "Team Manager",
      assignee: megan,
      receivedAt: "2027-02-08T10:00:00.000Z",
      dueAt: "2027-02-12T17:00:00.000Z",
      responseDays: 4,
      mode: "written",
    });
  });

  it("the audit event has the reason and the new due time", () => {
    expect(event).toMatchObject({
      action: "resume",
      from: { state: "on-hold", stage: 1 },
      to: { state: "awaiting-response", stage: 1 },
      detail: { stage: 1, reason: "The visit has not happened.", dueAt: "2027-02-12T17:00:00.000Z" },
    });
  });

  it("the hold entry is cancelled, the team manager alerted again with new entries", () => {
    expect(calendarOps(effects)).toEqual([
      { op: "cancel", entryKey: holdKey, attendee: "Alex Wilber", at: "2027-02-12T17:00:00.000Z" },
      { op: "upsert", entryKey: entryKey(1, megan), attendee: "Megan Bowen", at: "2027-02-12T17:00:00.000Z" },
      { op: "upsert", entryKey: entryKey(1, alex), attendee: "Alex Wilber", at: "2027-02-12T17:00:00.000Z" },
    ]);
    expect(notices(effects)).toEqual([{ notice: "alert", to: "Megan Bowen", role: "team-manager", channel: "teams" }]);
  });

  it("reminders and a deadline again", () => {
    expect(timersOf(dispute)).toEqual([
      ["reminder", "2027-02-11T09:00:00.000Z"],
      ["reminder", "2027-02-12T09:00:00.000Z"],
      ["deadline", "2027-02-12T17:00:00.000Z"],
      ["cap-warning", CAP_WARNING],
      ["cap", CAP_DUE],
    ]);
  });

  it("after the hold has ended, there is no hold entry left to cancel", () => {
    const ended = apply(held, timerCommand(held, "hold-end"), system("2027-02-12T17:00:00Z")).dispute;
    const resumed = apply(ended, { action: "resume" }, ctx("2027-02-15T10:00:00Z"));
    expect(calendarOps(resumed.effects).map((c) => c.op)).toEqual(["upsert", "upsert"]);
  });

  it("at stage 3, only the assistant director is alerted again: the QA AD was told when it first reached the stage", () => {
    const atThree = raisedOnMonday({ startStage: 3 }).dispute;
    const heldThree = apply(atThree, { action: "hold", until: "2027-02-12", actionsAgreed: "Funding agreed at panel." }, ctx(TUE_2_FEB)).dispute;
    const resumed = apply(heldThree, { action: "resume", reason: "Panel deferred." }, ctx("2027-02-15T10:00:00Z"));
    expect(notices(resumed.effects)).toEqual([{ notice: "alert", to: "Isaiah Langer", role: "assistant-director", channel: "teams" }]);
  });

  it("an informal concern resumes as informal", () => {
    const informal = raisedOnMonday({ startStage: 0, timescaleDays: 3 }).dispute;
    const heldInformal = apply(informal, { action: "hold", until: "2027-02-12", actionsAgreed: "Agreed in supervision." }, ctx(TUE_2_FEB)).dispute;
    const back = apply(heldInformal, { action: "resume" }, ctx("2027-02-15T10:00:00Z")).dispute;
    expect(back.state).toBe("informal");
    expect(currentStage(back)).toMatchObject({ stage: 0, responseDays: 3, dueAt: "2027-02-18T17:00:00.000Z" });
  });

  it("is refused when the dispute is not on hold", () => {
    const error = rejected(answeredOnTuesday(), { action: "resume" }, ctx(WED_3_FEB));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/: it cannot be resumed now\. Nothing was changed\.$/);
  });

  it("is refused to the team manager", () => {
    expect(rejected(held, { action: "resume" }, ctx(WED_3_FEB, teamManager)).code).toBe("forbidden");
  });
});

describe("Lambeth: the IRO resolves the dispute", () => {
  const { dispute, event, effects } = apply(answeredOnTuesday(), { action: "resolve", outcome: "Social worker allocated; child visited and seen alone." }, ctx(WED_3_FEB));

  it("records the outcome and who resolved it; no timers are left", () => {
    expect(dispute.state).toBe("resolved");
    expect(dispute.stage).toBe(1);
    expect(dispute.outcome).toEqual({ text: "Social worker allocated; child visited and seen alone.", by: alex, at: "2027-02-03T10:00:00.000Z" });
    expect(currentStage(dispute).closed).toEqual({ how: "resolved", at: "2027-02-03T10:00:00.000Z", rationale: "Social worker allocated; child visited and seen alone." });
    expect(dispute.timers).toEqual([]);
  });

  it("the audit event carries the outcome", () => {
    expect(event).toMatchObject({
      action: "resolve",
      actor: alex,
      from: { state: "awaiting-decision", stage: 1 },
      to: { state: "resolved", stage: 1 },
      detail: { stage: 1, outcome: "Social worker allocated; child visited and seen alone." },
    });
  });

  it("the team manager is told, and the written resolution goes to the AD of QA (6)", () => {
    expect(effects).toEqual([
      { id: "D-1:3:1", disputeId: "D-1", kind: "notify", notice: "resolved", to: megan, role: "team-manager", channel: "teams" },
      { id: "D-1:3:2", disputeId: "D-1", kind: "notify", notice: "resolved", to: adQa, role: "ad-quality-assurance", channel: "mail" },
      { id: "D-1:3:3", disputeId: "D-1", kind: "card-update" },
    ]);
  });

  it("resolved before any answer: the response entries are cancelled", () => {
    const { effects: early } = apply(raisedOnMonday().dispute, { action: "resolve", outcome: "Sorted by phone." }, ctx(TUE_2_FEB));
    expect(calendarOps(early).map((c) => [c.op, c.entryKey])).toEqual([
      ["cancel", entryKey(1, megan)],
      ["cancel", entryKey(1, alex)],
    ]);
  });

  it("resolved from hold (the IRO checks and closes, 7): the hold entry is cancelled and the hold ended", () => {
    const held = apply(answeredOnTuesday(), { action: "hold", until: "2027-02-12", actionsAgreed: "Allocate." }, ctx(WED_3_FEB)).dispute;
    const closed = apply(held, { action: "resolve", outcome: "Actions completed." }, ctx("2027-02-12T12:00:00Z"));
    expect(closed.dispute.hold).toMatchObject({ until: "2027-02-12", ended: true });
    expect(closed.dispute.stages[0]!.closed?.how).toBe("held");
    expect(calendarOps(closed.effects)).toEqual([{ op: "cancel", entryKey: holdKey, attendee: "Alex Wilber", at: "2027-02-12T17:00:00.000Z" }]);
  });

  it("QA may resolve: the outcome is theirs", () => {
    const byQa = apply(answeredOnTuesday(), { action: "resolve", outcome: "Closed by QA." }, ctx(WED_3_FEB, qa));
    expect(byQa.dispute.outcome?.by).toEqual(quinn);
    expect(notices(byQa.effects)).toContainEqual({ notice: "resolved", to: "Megan Bowen", role: "team-manager", channel: "teams" });
  });

  it("an empty outcome is refused", () => {
    expect(rejected(answeredOnTuesday(), { action: "resolve", outcome: "" }, ctx(WED_3_FEB))).toEqual({ code: "invalid", message: "Outcome, for the child's record: must not be empty.", field: "outcome" });
  });

  it("an outcome over 4000 characters is refused", () => {
    expect(rejected(answeredOnTuesday(), { action: "resolve", outcome: "x".repeat(4001) }, ctx(WED_3_FEB)).message).toBe("Outcome, for the child's record: must be at most 4000 characters.");
  });
});

describe("Lambeth: the IRO withdraws the dispute", () => {
  const { dispute, event, effects } = apply(raisedOnMonday().dispute, { action: "withdraw", reason: "Raised on the wrong child." }, ctx(TUE_2_FEB));

  it("it is withdrawn, with no outcome and no timers", () => {
    expect(dispute.state).toBe("withdrawn");
    expect(dispute.outcome).toBeUndefined();
    expect(currentStage(dispute).closed).toEqual({ how: "withdrawn", at: "2027-02-02T11:00:00.000Z", rationale: "Raised on the wrong child." });
    expect(dispute.timers).toEqual([]);
  });

  it("the audit event carries the reason", () => {
    expect(event).toMatchObject({ action: "withdraw", to: { state: "withdrawn", stage: 1 }, detail: { stage: 1, reason: "Raised on the wrong child." } });
  });

  it("the entries are cancelled and the team manager told; QA are not sent a resolution", () => {
    expect(calendarOps(effects).map((c) => c.op)).toEqual(["cancel", "cancel"]);
    expect(notices(effects)).toEqual([{ notice: "withdrawn", to: "Megan Bowen", role: "team-manager", channel: "teams" }]);
  });

  it("no reason is refused", () => {
    const error = rejected(raisedOnMonday().dispute, { action: "withdraw" } as never, ctx(TUE_2_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toBe("Why the dispute is withdrawn: this is needed.");
  });
});

describe("Lambeth: the IRO reassigns a role (the team manager is on leave)", () => {
  const acknowledged = apply(raisedOnMonday().dispute, { action: "acknowledge" }, ctx("2027-02-01T11:00:00Z", teamManager)).dispute;
  const { dispute, event, effects } = apply(acknowledged, { action: "reassign", to: tessa, reason: "Megan is on leave until March." }, ctx(TUE_2_FEB));

  it("the acting manager holds the stage, to the same due time, and must acknowledge afresh", () => {
    expect(dispute.ladder.roster["team-manager"]).toEqual(tessa);
    expect(currentStage(dispute)).toMatchObject({ assignee: tessa, dueAt: STAGE_1_DUE });
    expect(currentStage(dispute).acknowledgedAt).toBeUndefined();
    expect(dispute.state).toBe("awaiting-response");
    expect(dispute.timers).toEqual(acknowledged.timers);
  });

  it("the audit event names the role, who had it, who has it and why", () => {
    expect(event).toMatchObject({
      action: "reassign",
      from: { state: "awaiting-response", stage: 1 },
      to: { state: "awaiting-response", stage: 1 },
      detail: { role: "team-manager", from: megan, to: tessa, reason: "Megan is on leave until March." },
    });
  });

  it("Megan's entry is cancelled and she is told; Tessa is alerted with an entry of her own; the IRO's entry stays", () => {
    expect(calendarOps(effects)).toEqual([
      { op: "cancel", entryKey: entryKey(1, megan), attendee: "Megan Bowen", at: STAGE_1_DUE },
      { op: "upsert", entryKey: entryKey(1, tessa), attendee: "Tessa Acting", at: STAGE_1_DUE },
    ]);
    expect(notices(effects)).toEqual([
      { notice: "alert", to: "Tessa Acting", role: "team-manager", channel: "teams" },
      { notice: "reassigned-away", to: "Megan Bowen", role: "team-manager", channel: "mail" },
    ]);
  });

  it("now Tessa answers, and Megan cannot", () => {
    expect(rejected(dispute, { action: "respond", response: "Mine now?" }, ctx(WED_3_FEB, teamManager)).message).toMatch(/^Only Tessa Acting, who holds dispute D-1 now/);
    expect(apply(dispute, { action: "respond", response: "Allocated." }, ctx(WED_3_FEB, as(tessa))).dispute.state).toBe("awaiting-decision");
  });

  it("a role further up the ladder: only who will receive it changes", () => {
    const up = apply(raisedOnMonday().dispute, { action: "reassign", role: "service-manager", to: tessa, reason: "Interim service manager." }, ctx(TUE_2_FEB));
    expect(up.effects.map((e) => e.kind)).toEqual(["card-update"]);
    expect(up.event.detail).toMatchObject({ role: "service-manager", from: adele, to: tessa });
    expect(currentStage(up.dispute).assignee).toEqual(megan);
    const escalated = apply(up.dispute, { action: "escalate", rationale: "No reply." }, ctx(WED_3_FEB)).dispute;
    expect(currentStage(escalated).assignee).toEqual(tessa);
  });

  it("after the answer: the record moves, but nobody is asked to answer again", () => {
    const later = apply(answeredOnTuesday(), { action: "reassign", to: tessa, reason: "Leave." }, ctx(WED_3_FEB));
    expect(calendarOps(later.effects)).toEqual([]);
    expect(notices(later.effects)).toEqual([{ notice: "reassigned-away", to: "Megan Bowen", role: "team-manager", channel: "mail" }]);
    expect(currentStage(later.dispute).response?.by).toEqual(megan);
  });
});

describe("Lambeth: reassignments that are refused", () => {
  const d = raisedOnMonday().dispute;

  it("to the person who already holds the role", () => {
    expect(rejected(d, { action: "reassign", to: megan, reason: "Same." }, ctx(TUE_2_FEB))).toEqual({
      code: "conflict",
      message: "Megan Bowen already holds the Team Manager role on dispute D-1. Nothing was changed.",
    });
  });

  it("to the IRO who raised it", () => {
    expect(rejected(d, { action: "reassign", to: alex, reason: "I'll answer it." }, ctx(TUE_2_FEB))).toEqual({
      code: "invalid",
      message: "Give it to: the IRO who raised dispute D-1 cannot answer it.",
      field: "to",
    });
  });

  it("to the IRO, for another role", () => {
    expect(rejected(d, { action: "reassign", role: "dcs", to: alex, reason: "Acting up." }, ctx(TUE_2_FEB)).code).toBe("invalid");
  });

  it("to someone with no sign-in name", () => {
    const error = rejected(d, { action: "reassign", to: { id: "x", displayName: "Nobody" } as PersonRef, reason: "?" }, ctx(TUE_2_FEB));
    expect(error.code).toBe("invalid");
    expect(error).toEqual({ code: "invalid", message: "Give it to: this is needed.", field: "to.upn" });
  });

  it("a role written as a title", () => {
    const error = rejected(d, { action: "reassign", role: "Team Manager", to: tessa, reason: "?" }, ctx(TUE_2_FEB));
    expect(error).toEqual({ code: "invalid", message: "Role: must be a role id in lower-case-with-hyphens.", field: "role" });
  });
});

describe("Lambeth: a resolved dispute takes no more decisions", () => {
  const resolved: Dispute = apply(answeredOnTuesday(), { action: "resolve", outcome: "Allocated." }, ctx(WED_3_FEB)).dispute;
  const cases: [Command, string][] = [
    [{ action: "escalate", rationale: "More." }, "escalated"],
    [{ action: "extend", until: "2027-02-10", reason: "More." }, "extended"],
    [{ action: "hold", until: "2027-02-12", actionsAgreed: "More." }, "put on hold"],
    [{ action: "resume" }, "resumed"],
    [{ action: "resolve", outcome: "Again." }, "resolved"],
    [{ action: "withdraw", reason: "Undo." }, "withdrawn"],
    [{ action: "reassign", to: tessa, reason: "Leave." }, "reassigned"],
    [{ action: "intend-referral", to: "cafcass", reasons: "Drift." }, "marked for referral"],
    [{ action: "refer", to: "lscp", reasons: "Drift." }, "referred"],
  ];
  for (const [command, past] of cases) {
    it(`${command.action}: refused, saying who resolved it and when`, () => {
      expect(rejected(resolved, command, ctx("2027-02-04T10:00:00Z"))).toEqual({
        code: "conflict",
        message: `Dispute D-1 was resolved by Alex Wilber on Wednesday 3 February 2027: it is closed and cannot be ${past} now. Nothing was changed.`,
      });
    });
  }

  it("a withdrawn dispute likewise", () => {
    const withdrawn = apply(raisedOnMonday().dispute, { action: "withdraw", reason: "Wrong child." }, ctx(TUE_2_FEB)).dispute;
    expect(rejected(withdrawn, { action: "escalate", rationale: "More." }, ctx(WED_3_FEB))).toEqual({
      code: "conflict",
      message: "Dispute D-1 was withdrawn on Tuesday 2 February 2027: it is closed and cannot be escalated now. Nothing was changed.",
    });
  });
});
