import { describe, expect, it } from "vitest";
import { DisputeSchema } from "../../../shared/dispute/disputeSchema";
import { decide } from "../../../shared/dispute/lifecycle";
import { builtInProcedures } from "../../../shared/procedures";
import { ctx, details, procedure } from "../../fixtures/disputes";
import { adele, alex, as, iro, isaiah, lynne, megan, patti, qa, quinn } from "../../fixtures/people";
import { Walk, entries, notices, round, timers } from "./walk";

const lambeth = builtInProcedures["lambeth"]!;
const adQa = as({ id: "00000000-0000-0000-0000-00000000013a", upn: "adqa@example.com", displayName: "AD Quality Assurance" });

describe("Lambeth: Dispute resolution and Escalation Procedure (December 2025)", () => {
  it("Lambeth 7 and Annex B: raised on Monday 21 December 2026, held until the agreed date, resumed when the task was not done, then closed by the IRO", () => {
    // Monday 21 December 2026, 10:00 (GMT): the IRO raises at stage 1 with the team manager.
    const w = Walk.raise(lambeth, "2026-12-21T10:00:00Z");
    expect(round(w.dispute)).toEqual({
      stage: 1,
      role: "team-manager",
      assignee: "meganb@example.com",
      receivedAt: "2026-12-21T10:00:00.000Z",
      // 4 working days: Tue 22, Wed 23, Thu 24, then Christmas Day (Fri 25), the weekend and the
      // Boxing Day substitute (Mon 28) are skipped, so Tue 29 December at 17:00.
      dueAt: "2026-12-29T17:00:00.000Z",
      responseDays: 4,
    });
    // The whole formal process: 20 working days, to Thursday 21 January 2027 (New Year's Day skipped).
    expect(w.dispute.capDueAt).toBe("2027-01-21T17:00:00.000Z");
    expect(timers(w.dispute)).toEqual([
      ["reminder", "2026-12-24T09:00:00.000Z"], // the working day before the 29th is Christmas Eve
      ["reminder", "2026-12-29T09:00:00.000Z"],
      ["deadline", "2026-12-29T17:00:00.000Z"],
      ["cap-warning", "2027-01-19T09:00:00.000Z"],
      ["cap", "2027-01-21T17:00:00.000Z"],
    ]);
    // Annex B, stage 1: the IRO always notifies the social worker, team manager and service manager.
    const raisedWith = w.decisions[0]!.effects;
    expect(notices(raisedWith)).toEqual([
      ["alert", "meganb@example.com", "teams"],
      ["raised", "sams@example.com", "mail"],
      ["raised", "adelev@example.com", "mail"],
    ]);
    expect(entries(raisedWith)).toEqual([
      ["upsert", "meganb@example.com", "2026-12-29T17:00:00.000Z"],
      ["upsert", "alexw@example.com", "2026-12-29T17:00:00.000Z"],
    ]);

    // Nobody answers over Christmas: reminded on Christmas Eve and on the morning of the 29th, then overdue.
    const christmas = w.sweep("2026-12-29T17:00:00Z");
    expect(christmas.fired).toEqual([
      ["reminder-due", "2026-12-24T09:00:00.000Z"],
      ["reminder-due", "2026-12-29T09:00:00.000Z"],
      ["deadline-passed", "2026-12-29T17:00:00.000Z"],
    ]);
    expect(christmas.told).toEqual([
      [["reminder", "meganb@example.com", "teams"]],
      [["reminder", "meganb@example.com", "teams"]],
      [
        ["deadline-passed", "alexw@example.com", "teams"],
        ["overdue", "meganb@example.com", "teams"],
      ],
    ]);
    expect(w.dispute.state).toBe("awaiting-response");
    expect(w.dispute.stages[0]!.overdueSince).toBe("2026-12-29T17:00:00.000Z");
    expect(timers(w.dispute)).toEqual([
      ["cap-warning", "2027-01-19T09:00:00.000Z"],
      ["cap", "2027-01-21T17:00:00.000Z"],
    ]);

    // Wednesday 30 December: the team manager answers, late, with actions and a completion date.
    const answer = w.do(
      { action: "respond", response: "A social worker is allocated from 4 January.", actionsAgreed: "Allocate a social worker and visit J.S. at the placement.", completionDate: "2027-01-08" },
      "2026-12-30T11:00:00Z",
      as(megan),
    );
    expect(w.dispute.state).toBe("awaiting-decision");
    expect(answer.event.detail).toMatchObject({ stage: 1, withinTimescale: false, completionDate: "2027-01-08" });
    expect(notices(answer.effects)).toEqual([["response-received", "alexw@example.com", "teams"]]);

    // Lambeth 7: the alert is held until the agreed completion date, which must be a working day.
    const newYear = decide(w.dispute, { action: "hold", until: "2027-01-01", actionsAgreed: "Allocate and visit." }, ctx("2026-12-31T10:00:00Z", iro, lambeth));
    expect(newYear).toEqual({ ok: false, error: { code: "invalid", message: "Agreed completion date: Friday 1 January 2027 is not a working day. Nothing was changed.", field: "until" } });
    const held = w.do({ action: "hold", until: "2027-01-08", actionsAgreed: "Allocate a social worker and visit J.S. at the placement." }, "2026-12-31T10:00:00Z");
    expect(w.dispute.state).toBe("on-hold");
    expect(w.dispute.hold).toEqual({
      until: "2027-01-08",
      endsAt: "2027-01-08T17:00:00.000Z",
      actionsAgreed: "Allocate a social worker and visit J.S. at the placement.",
      since: "2026-12-31T10:00:00.000Z",
      ended: false,
    });
    expect(w.dispute.stages[0]!.closed).toEqual({ how: "held", at: "2026-12-31T10:00:00.000Z", rationale: "Allocate a social worker and visit J.S. at the placement." });
    expect(notices(held.effects)).toEqual([["on-hold", "meganb@example.com", "teams"]]);
    // The hold date is visible in the IRO's work tray (their calendar).
    expect(entries(held.effects)).toEqual([["upsert", "alexw@example.com", "2027-01-08T17:00:00.000Z"]]);
    expect(timers(w.dispute)).toEqual([
      ["hold-end", "2027-01-08T17:00:00.000Z"],
      ["cap-warning", "2027-01-19T09:00:00.000Z"],
      ["cap", "2027-01-21T17:00:00.000Z"],
    ]);

    // Friday 8 January 2027, 17:00: the hold ends and the IRO is asked to check the task.
    const holdEnds = w.sweep("2027-01-08T17:00:00Z");
    expect(holdEnds.fired).toEqual([["hold-ended", "2027-01-08T17:00:00.000Z"]]);
    expect(holdEnds.told).toEqual([[["hold-ended", "alexw@example.com", "teams"]]]);
    expect(w.dispute.state).toBe("on-hold");
    expect(w.dispute.hold?.ended).toBe(true);

    // Monday 11 January, 09:30: the visit has not been made, so the IRO resumes stage 1 for a fresh answer.
    const resumed = w.do({ action: "resume", reason: "The visit has not been made." }, "2027-01-11T09:30:00Z");
    expect(round(w.dispute)).toEqual({
      stage: 1,
      role: "team-manager",
      assignee: "meganb@example.com",
      receivedAt: "2027-01-11T09:30:00.000Z",
      dueAt: "2027-01-15T17:00:00.000Z",
      responseDays: 4,
    });
    expect(w.dispute.stages).toHaveLength(2);
    expect(notices(resumed.effects)).toEqual([["alert", "meganb@example.com", "teams"]]);
    expect(timers(w.dispute)).toEqual([
      ["reminder", "2027-01-14T09:00:00.000Z"],
      ["reminder", "2027-01-15T09:00:00.000Z"],
      ["deadline", "2027-01-15T17:00:00.000Z"],
      ["cap-warning", "2027-01-19T09:00:00.000Z"],
      ["cap", "2027-01-21T17:00:00.000Z"],
    ]);

    // Wednesday 13 January: answered in time; Thursday 14 January: the IRO closes it.
    expect(w.do({ action: "respond", response: "The visit was made on 12 January." }, "2027-01-13T14:00:00Z", as(megan)).event.detail).toMatchObject({ withinTimescale: true });
    const closed = w.do({ action: "resolve", outcome: "Social worker allocated and J.S. visited at the placement." }, "2027-01-14T10:00:00Z");
    // Lambeth 6: written resolutions go to the AD of QA.
    expect(notices(closed.effects)).toEqual([
      ["resolved", "meganb@example.com", "teams"],
      ["resolved", "adqa@example.com", "mail"],
    ]);

    // The final record.
    const d = w.dispute;
    expect(d.state).toBe("resolved");
    expect(d.timers).toEqual([]);
    expect(d.outcome).toEqual({ text: "Social worker allocated and J.S. visited at the placement.", by: alex, at: "2027-01-14T10:00:00.000Z" });
    expect(d.stages.map((s) => [s.stage, s.receivedAt, s.dueAt, s.response?.at, s.closed?.how])).toEqual([
      [1, "2026-12-21T10:00:00.000Z", "2026-12-29T17:00:00.000Z", "2026-12-30T11:00:00.000Z", "held"],
      [1, "2027-01-11T09:30:00.000Z", "2027-01-15T17:00:00.000Z", "2027-01-13T14:00:00.000Z", "resolved"],
    ]);
    expect(w.trail.map(([version, action]) => [version, action])).toEqual([
      [1, "raise"],
      [2, "reminder-due"],
      [3, "reminder-due"],
      [4, "deadline-passed"],
      [5, "respond"],
      [6, "hold"],
      [7, "hold-ended"],
      [8, "resume"],
      [9, "respond"],
      [10, "resolve"],
    ]);
    expect(d.version).toBe(10);
    expect(() => DisputeSchema.parse(d)).not.toThrow();
  });

  it("Lambeth Annex B: across Easter 2027 up all five stages, the QA AD alerted at stage 3, the AD at stage 4, the DCS told before a CAFCASS referral", () => {
    // Monday 22 March 2027, 09:00 GMT. Good Friday is 26 March, the clocks go forward on 28 March
    // (17:00 London is 16:00 UTC from then), Easter Monday is 29 March.
    const w = Walk.raise(lambeth, "2027-03-22T09:00:00Z");
    expect(round(w.dispute)).toEqual({
      stage: 1,
      role: "team-manager",
      assignee: "meganb@example.com",
      receivedAt: "2027-03-22T09:00:00.000Z",
      dueAt: "2027-03-30T16:00:00.000Z", // Tue 23, Wed 24, Thu 25, Tue 30 March
      responseDays: 4,
    });
    expect(w.dispute.capDueAt).toBe("2027-04-21T16:00:00.000Z");
    expect(timers(w.dispute)).toEqual([
      ["reminder", "2027-03-25T09:00:00.000Z"], // Thursday before Good Friday, GMT
      ["reminder", "2027-03-30T08:00:00.000Z"], // 09:00 BST
      ["deadline", "2027-03-30T16:00:00.000Z"],
      ["cap-warning", "2027-04-19T08:00:00.000Z"],
      ["cap", "2027-04-21T16:00:00.000Z"],
    ]);

    // Thursday 25 March: the team manager answers; the IRO is not satisfied and escalates to stage 2.
    w.do({ action: "respond", response: "We do not agree that a change of placement is needed." }, "2027-03-25T11:00:00Z", as(megan));
    const toStage2 = w.do({ action: "escalate", rationale: "The placement does not meet J.S.'s needs." }, "2027-03-25T15:00:00Z");
    expect(toStage2.event.detail).toMatchObject({ fromStage: 1, toStage: 2, bypassed: [], rationale: "The placement does not meet J.S.'s needs.", responseDays: 4 });
    expect(round(w.dispute)).toEqual({
      stage: 2,
      role: "service-manager",
      assignee: "adelev@example.com",
      receivedAt: "2027-03-25T15:00:00.000Z",
      dueAt: "2027-04-02T16:00:00.000Z", // Tue 30, Wed 31 March, Thu 1, Fri 2 April
      responseDays: 4,
    });
    expect(notices(toStage2.effects)).toEqual([
      ["alert", "adelev@example.com", "teams"],
      ["stage-notice", "meganb@example.com", "mail"],
    ]);

    // The service manager does not answer by Friday 2 April.
    expect(w.sweep("2027-04-02T16:00:00Z").fired).toEqual([
      ["reminder-due", "2027-04-01T08:00:00.000Z"],
      ["reminder-due", "2027-04-02T08:00:00.000Z"],
      ["deadline-passed", "2027-04-02T16:00:00.000Z"],
    ]);

    // Monday 5 April: stage 3, the Assistant Director, with the QA AD alerted.
    const toStage3 = w.do({ action: "escalate", rationale: "No response from the service manager." }, "2027-04-05T08:30:00Z");
    expect(round(w.dispute)).toEqual({
      stage: 3,
      role: "assistant-director",
      assignee: "isaiahl@example.com",
      receivedAt: "2027-04-05T08:30:00.000Z",
      dueAt: "2027-04-09T16:00:00.000Z",
      responseDays: 4,
    });
    expect(notices(toStage3.effects)).toEqual([
      ["alert", "isaiahl@example.com", "teams"],
      ["stage-notice", "adqa@example.com", "mail"],
      ["stage-notice", "adelev@example.com", "mail"],
    ]);
    // The unanswered stage 2 entries are taken out of the calendars; stage 3's put in.
    expect(entries(toStage3.effects)).toEqual([
      ["cancel", "adelev@example.com", "2027-04-02T16:00:00.000Z"],
      ["cancel", "alexw@example.com", "2027-04-02T16:00:00.000Z"],
      ["upsert", "isaiahl@example.com", "2027-04-09T16:00:00.000Z"],
      ["upsert", "alexw@example.com", "2027-04-09T16:00:00.000Z"],
    ]);
    w.do({ action: "respond", response: "A new placement search is not agreed." }, "2027-04-08T10:00:00Z", as(isaiah));

    // Lambeth 7 and Annex A: the DCS must be informed before a referral to CAFCASS.
    const tooSoon = decide(w.dispute, { action: "refer", to: "cafcass", reasons: "Breach of J.S.'s rights." }, ctx("2027-04-08T13:00:00Z", iro, lambeth));
    expect(tooSoon.ok).toBe(false);
    expect(!tooSoon.ok && tooSoon.error).toEqual({
      code: "conflict",
      message: "dcs must be told before a referral to CAFCASS: record the intention to refer first. Nothing was changed.",
    });
    const intended = w.do({ action: "intend-referral", to: "cafcass", reasons: "Breach of J.S.'s rights." }, "2027-04-08T13:00:00Z");
    expect(notices(intended.effects)).toEqual([["referral-intended", "lynner@example.com", "mail"]]);

    // Stage 4: the Director of Children's Social Care, with the relevant AD told.
    const toStage4 = w.do({ action: "escalate", rationale: "The AD does not agree a placement search." }, "2027-04-08T14:00:00Z");
    expect(round(w.dispute)).toEqual({
      stage: 4,
      role: "director-csc",
      assignee: "pattif@example.com",
      receivedAt: "2027-04-08T14:00:00.000Z",
      dueAt: "2027-04-14T16:00:00.000Z",
      responseDays: 4,
    });
    expect(notices(toStage4.effects)).toEqual([
      ["alert", "pattif@example.com", "teams"],
      ["stage-notice", "isaiahl@example.com", "mail"],
    ]);

    // Lambeth 7 and Annex B, Stage 5: "following consultation with Senior Management": refused until it is recorded.
    const unconsulted = decide(w.dispute, { action: "refer", to: "cafcass" }, ctx("2027-04-09T09:00:00Z", iro, lambeth));
    expect(!unconsulted.ok && unconsulted.error).toEqual({
      code: "conflict",
      message: "The procedure asks that Senior management (7, CAFCASS/LSCP, and Annex B, Stage 5) be consulted before a referral to CAFCASS: record the consultation first, with the day and the outcome. Nothing was changed.",
    });
    const consulted = w.do({ action: "record-consultation", consultation: "senior-management", on: "2027-04-08", outcome: "The AD for QA agrees a referral is needed." }, "2027-04-09T09:30:00Z");
    expect(consulted.event.detail).toEqual({ consultation: "senior-management", label: "Senior management", before: ["cafcass-referral", "lscp-referral"], on: "2027-04-08", outcome: "The AD for QA agrees a referral is needed." });
    const referred = w.do({ action: "refer", to: "cafcass" }, "2027-04-09T10:00:00Z");
    expect(notices(referred.effects)).toEqual([
      ["referral-made", "adqa@example.com", "mail"],
      ["referral-made", "quinnq@example.com", "mail"],
    ]);
    expect(w.dispute.referrals).toEqual([
      { body: "cafcass", reasons: "Breach of J.S.'s rights.", informed: [lynne], intendedAt: "2027-04-08T13:00:00.000Z", madeAt: "2027-04-09T10:00:00.000Z" },
    ]);

    expect(w.sweep("2027-04-14T16:00:00Z").fired).toEqual([
      ["reminder-due", "2027-04-13T08:00:00.000Z"],
      ["reminder-due", "2027-04-14T08:00:00.000Z"],
      ["deadline-passed", "2027-04-14T16:00:00.000Z"],
    ]);

    // Stage 5: the Corporate Director / DCS, due on the day the 20 working days run out.
    w.do({ action: "escalate", rationale: "No response from the Director." }, "2027-04-15T08:00:00Z");
    expect(round(w.dispute)).toEqual({
      stage: 5,
      role: "dcs",
      assignee: "lynner@example.com",
      receivedAt: "2027-04-15T08:00:00.000Z",
      dueAt: "2027-04-21T16:00:00.000Z",
      responseDays: 4,
    });
    expect(round(w.dispute).dueAt).toBe(w.dispute.capDueAt);

    // Monday 19 April, 09:00 BST: two working days before the cap the IRO and QA are warned.
    const warned = w.sweep("2027-04-19T09:00:00Z");
    expect(warned.fired).toEqual([["cap-warning", "2027-04-19T08:00:00.000Z"]]);
    expect(warned.told).toEqual([
      [
        ["cap-warning", "alexw@example.com", "teams"],
        ["cap-warning", "adqa@example.com", "mail"],
        ["cap-warning", "quinnq@example.com", "mail"],
      ],
    ]);

    w.do({ action: "respond", response: "A placement search starts today." }, "2027-04-20T12:00:00Z", as(lynne));
    const top = decide(w.dispute, { action: "escalate", rationale: "Still not enough." }, ctx("2027-04-20T13:00:00Z", iro, lambeth));
    expect(!top.ok && top.error.code).toBe("conflict");
    expect(!top.ok && top.error.message).toMatch(/top of the ladder/);
    w.do({ action: "resolve", outcome: "Placement search agreed by the DCS." }, "2027-04-21T10:00:00Z");

    const d = w.dispute;
    expect(d.state).toBe("resolved");
    expect(d.timers).toEqual([]);
    expect(d.capNotices).toEqual({ warnedAt: "2027-04-19T08:00:00.000Z" });
    expect(d.stages.map((s) => [s.stage, s.role, s.assignee.displayName, s.dueAt, s.closed?.how])).toEqual([
      [1, "team-manager", megan.displayName, "2027-03-30T16:00:00.000Z", "escalated"],
      [2, "service-manager", adele.displayName, "2027-04-02T16:00:00.000Z", "escalated"],
      [3, "assistant-director", isaiah.displayName, "2027-04-09T16:00:00.000Z", "escalated"],
      [4, "director-csc", patti.displayName, "2027-04-14T16:00:00.000Z", "escalated"],
      [5, "dcs", lynne.displayName, "2027-04-21T16:00:00.000Z", "resolved"],
    ]);
    expect(() => DisputeSchema.parse(d)).not.toThrow();
  });

  it("Lambeth 7, informal stage: the IRO sets the timeframe, and the 20 working days start with the formal process", () => {
    const w = Walk.raise(lambeth, "2026-12-21T10:00:00Z", { startStage: 0, timescaleDays: 3 });
    expect(w.dispute.state).toBe("informal");
    expect(round(w.dispute)).toEqual({
      stage: 0,
      role: "team-manager",
      assignee: "meganb@example.com",
      receivedAt: "2026-12-21T10:00:00.000Z",
      dueAt: "2026-12-24T17:00:00.000Z",
      responseDays: 3,
    });
    expect(w.dispute.capDueAt).toBeUndefined();
    expect(timers(w.dispute).map(([kind]) => kind)).toEqual(["reminder", "reminder", "deadline"]);

    expect(w.sweep("2026-12-24T17:00:00Z").fired.map(([action]) => action)).toEqual(["reminder-due", "reminder-due", "deadline-passed"]);
    w.do({ action: "escalate", rationale: "Not resolved informally." }, "2026-12-29T09:00:00Z");
    expect(round(w.dispute)).toMatchObject({ stage: 1, receivedAt: "2026-12-29T09:00:00.000Z", dueAt: "2027-01-05T17:00:00.000Z" });
    expect(w.dispute.formalStartedAt).toBe("2026-12-29T09:00:00.000Z");
    // Twenty working days from Tuesday 29 December 2026, New Year's Day skipped.
    expect(w.dispute.capDueAt).toBe("2027-01-27T17:00:00.000Z");
  });

  it("Lambeth 2: the IRO may start at stage 2 or 3 for a serious conflict over the plan", () => {
    const w = Walk.raise(lambeth, "2027-02-01T10:00:00Z", { startStage: 3 });
    expect(w.decisions[0]!.event.detail).toMatchObject({ startStage: 3, bypassed: [1, 2] });
    expect(round(w.dispute)).toMatchObject({ stage: 3, role: "assistant-director", assignee: "isaiahl@example.com", dueAt: "2027-02-05T17:00:00.000Z" });
    // The QA AD is alerted at stage 3, whatever the way in.
    expect(notices(w.decisions[0]!.effects)).toContainEqual(["stage-notice", "adqa@example.com", "mail"]);
  });

  it("Lambeth 7: the DRP works in reverse when the service raises a concern about the IRO, and QA follows it", () => {
    // The team manager raises it: no IRO capability needed for a reverse dispute.
    const w = Walk.raise(lambeth, "2027-02-01T10:00:00Z", {}, as(megan), "reverse");
    expect(w.dispute.direction).toBe("reverse");
    expect(w.dispute.raisedBy).toEqual(megan);
    expect(w.dispute.ladder.stages.map((s) => [s.stage, s.role])).toEqual([
      [1, "iro-service-manager"],
      [2, "ad-quality-assurance"],
    ]);
    expect(round(w.dispute)).toEqual({
      stage: 1,
      role: "iro-service-manager",
      assignee: "quinnq@example.com",
      receivedAt: "2027-02-01T10:00:00.000Z",
      dueAt: "2027-02-05T17:00:00.000Z",
      responseDays: 4,
    });
    expect(notices(w.decisions[0]!.effects)[0]).toEqual(["alert", "quinnq@example.com", "teams"]);

    // The IRO service manager does not answer; the team manager escalates to the AD for QA.
    expect(w.sweep("2027-02-05T17:00:00Z").fired.at(-1)).toEqual(["deadline-passed", "2027-02-05T17:00:00.000Z"]);
    w.do({ action: "escalate", rationale: "No response from the IRO service manager." }, "2027-02-08T09:00:00Z", as(megan));
    expect(round(w.dispute)).toEqual({
      stage: 2,
      role: "ad-quality-assurance",
      assignee: "adqa@example.com",
      receivedAt: "2027-02-08T09:00:00.000Z",
      dueAt: "2027-02-12T17:00:00.000Z",
      responseDays: 4,
    });
    w.do({ action: "respond", response: "The IRO will attend the next core group." }, "2027-02-10T10:00:00Z", adQa);
    // QA tracks reverse disputes and may close them.
    w.do({ action: "resolve", outcome: "Agreed: the IRO attends the next core group." }, "2027-02-11T10:00:00Z", qa);
    expect(w.dispute.state).toBe("resolved");
    expect(w.dispute.outcome?.by).toEqual(quinn);
    expect(w.dispute.stages.map((s) => [s.role, s.closed?.how])).toEqual([
      ["iro-service-manager", "escalated"],
      ["ad-quality-assurance", "resolved"],
    ]);

    // A reverse dispute has no informal stage, and Redbridge has no reverse process.
    const informal = decide(undefined, { action: "raise", disputeId: "D-2", tenantId: "t-demo", direction: "reverse", details: details({ startStage: 0 }) }, ctx("2027-02-01T10:00:00Z", as(megan), lambeth));
    expect(!informal.ok && informal.error.code).toBe("invalid");
    const redbridge = builtInProcedures["redbridge"]!;
    const category = redbridge.categories[0]!;
    const noReverse = decide(
      undefined,
      { action: "raise", disputeId: "D-3", tenantId: "t-demo", direction: "reverse", details: details({ category: category.id, reason: category.reasons[0]!.id }) },
      ctx("2027-02-01T10:00:00Z", as(megan), redbridge),
    );
    expect(!noReverse.ok && noReverse.error.message).toMatch(/no reverse process/);
  });

  it("Lambeth 9: a child death overrides the ladder, going straight to the DCS with the DCS and the LSCP told at once", () => {
    const { startStage: _start, ...exceptionDetails } = details({ category: "safeguarding", reason: "s47-not-initiated" });
    const raisedNow = decide(
      undefined,
      {
        action: "raise-exception",
        disputeId: "D-9",
        tenantId: "t-demo",
        exceptionKind: "child-death",
        details: exceptionDetails,
      },
      ctx("2027-02-01T10:00:00Z", iro, lambeth),
    );
    expect(raisedNow.ok).toBe(true);
    if (!raisedNow.ok) return;
    const { dispute, effects, event } = raisedNow.value;
    expect(dispute.exception).toEqual({ kind: "child-death", declaredAt: "2027-02-01T10:00:00.000Z" });
    expect(dispute.state).toBe("awaiting-response");
    expect(round(dispute)).toEqual({
      stage: 5,
      role: "dcs",
      assignee: "lynner@example.com",
      receivedAt: "2027-02-01T10:00:00.000Z",
      dueAt: "2027-02-05T17:00:00.000Z",
      responseDays: 4,
    });
    expect(dispute.stages).toHaveLength(1);
    expect(event).toMatchObject({ action: "raise-exception", version: 1, to: { state: "awaiting-response", stage: 5 } });
    expect(event.detail).toMatchObject({ exception: "child-death", startStage: 5, told: ["dcs", "lscp"], notTold: [] });
    expect(notices(effects)).toEqual([
      ["alert", "lynner@example.com", "teams"],
      ["exception", "lynner@example.com", "mail"],
      ["exception", "lscp@example.com", "mail"],
    ]);
    // Nothing above the DCS to escalate to.
    const up = decide(dispute, { action: "escalate", rationale: "More." }, ctx("2027-02-02T10:00:00Z", iro, lambeth));
    expect(!up.ok && up.error.code).toBe("conflict");
  });
});

describe("A council's QA-driven ladder on Lambeth's shape: QA escalate, QA decide at a deadline", () => {
  // The IRO service manager escalates to stage 2, the AD for QA to stage 3; deadlines ask QA, not the IRO.
  const qaDriven = procedure({
    ...lambeth,
    id: "qa-driven",
    onDeadline: "ask-qa",
    stages: lambeth.stages.map((s) => (s.stage === 1 ? { ...s, escalateBy: ["iro-service-manager"] } : s.stage === 2 ? { ...s, escalateBy: ["ad-quality-assurance"] } : s)),
  });

  it("raised on Monday 1 February 2027 and unanswered: on Friday 5th QA are asked, the IRO service manager escalates, then the AD for QA", () => {
    const w = Walk.raise(qaDriven, "2027-02-01T10:00:00Z");
    const passed = w.sweep("2027-02-05T17:00:00Z");
    expect(passed.told.at(-1)).toEqual([
      ["deadline-passed", "adqa@example.com", "teams"],
      ["deadline-passed", quinn.upn, "teams"],
      ["overdue", megan.upn, "teams"],
    ]);
    expect(decide(w.dispute, { action: "escalate", rationale: "No reply." }, ctx("2027-02-08T09:00:00Z", iro, qaDriven))).toMatchObject({ ok: false, error: { code: "forbidden", message: "Only Quinn QA can escalate it." } });
    w.do({ action: "escalate", rationale: "No reply from the team manager by Friday." }, "2027-02-08T09:00:00Z", as(quinn));
    expect(round(w.dispute)).toMatchObject({ stage: 2, assignee: adele.upn, dueAt: "2027-02-12T17:00:00.000Z" });
    w.do({ action: "escalate", rationale: "Still no reply." }, "2027-02-10T09:00:00Z", adQa);
    expect(round(w.dispute)).toMatchObject({ stage: 3, assignee: isaiah.upn });
  });
});

