import { describe, expect, it } from "vitest";
import { DisputeSchema } from "../../../shared/dispute/disputeSchema";
import { decide } from "../../../shared/dispute/lifecycle";
import { builtInProcedures } from "../../../shared/procedures";
import { ctx, procedure } from "../../fixtures/disputes";
import { adele, as, iro, isaiah, quinn, sam } from "../../fixtures/people";
import { Walk, notices, raiseCommand, round, timers } from "./walk";

const cumberland = builtInProcedures["cumberland"]!;
const GUARDIAN = { name: "Priya Shah", email: "priya.shah@cafcass.example" };
const SOLICITOR = { name: "Tom Reed", email: "t.reed@reedlaw.example" };
/** A council's own copy of the ORP that gives every level 10 working days. */
const tenDayCumberland = procedure({ ...cumberland, id: "cumberland-ten-days", stages: cumberland.stages.map((s) => ({ ...s, responseDays: 10 })) });

describe("Cumberland: Outcome Resolution Process (ORP)", () => {
  it("Cumberland ORP: across Easter 2027 the IRO starts at the service manager, the child's Guardian and LA solicitors are told, the IRO waits for a late answer, then escalates and refers to CAFCASS through their manager", () => {
    // Thursday 25 March 2027, 09:00 GMT: the IRO picks the level (stage 2) and a 3 working day response,
    // naming the child's Guardian and solicitor: the child is in care proceedings.
    const w = Walk.raise(cumberland, "2027-03-25T09:00:00Z", { startStage: 2, timescaleDays: 3, childContacts: { guardian: GUARDIAN, solicitor: SOLICITOR, inProceedings: true } });
    expect(w.decisions[0]!.event.detail).toMatchObject({ startStage: 2, bypassed: [1], responseDays: 3 });
    expect(round(w.dispute)).toEqual({
      stage: 2,
      role: "service-manager",
      assignee: adele.upn,
      receivedAt: "2027-03-25T09:00:00.000Z",
      // Good Friday, the weekend and Easter Monday skipped: Tue 30, Wed 31 March, Thu 1 April, 17:00 BST.
      dueAt: "2027-04-01T16:00:00.000Z",
      responseDays: 3,
    });
    // The child's Guardian is told of any matter in the ORP, by mail; LA solicitors, so that they tell the
    // court in the ongoing proceedings. The ORP says nothing of the child's solicitor: recorded, not told.
    expect(notices(w.decisions[0]!.effects)).toEqual([
      ["alert", adele.upn, "teams"],
      ["child-contact", GUARDIAN.email, "mail"],
      ["court-notice", "legal@example.com", "mail"],
    ]);
    expect(w.dispute.told?.map((t) => [t.why, t.as, t.to.upn, t.on, t.at])).toEqual([
      ["child-contact", "guardian", GUARDIAN.email, "raise", "2027-03-25T09:00:00.000Z"],
      ["court", "la-solicitor", "legal@example.com", "raise", "2027-03-25T09:00:00.000Z"],
    ]);
    // The names stay in the dispute's record, not in its audit event.
    expect(JSON.stringify(w.decisions[0]!.event)).not.toContain(GUARDIAN.name);
    // "The complete procedure through all levels should not take longer than 20 days": Monday 26 April.
    expect(w.dispute.capDueAt).toBe("2027-04-26T16:00:00.000Z");
    expect(timers(w.dispute)).toEqual([
      ["reminder", "2027-03-31T08:00:00.000Z"],
      ["reminder", "2027-04-01T08:00:00.000Z"],
      ["deadline", "2027-04-01T16:00:00.000Z"],
      ["cap-warning", "2027-04-22T08:00:00.000Z"],
      ["cap", "2027-04-26T16:00:00.000Z"],
    ]);

    // No answer by Thursday 1 April: the IRO is told, nothing climbs by itself.
    const late = w.sweep("2027-04-01T16:00:00Z");
    expect(late.fired).toEqual([
      ["reminder-due", "2027-03-31T08:00:00.000Z"],
      ["reminder-due", "2027-04-01T08:00:00.000Z"],
      ["deadline-passed", "2027-04-01T16:00:00.000Z"],
    ]);
    expect(late.told.at(-1)).toEqual([
      ["deadline-passed", "alexw@example.com", "teams"],
      ["overdue", adele.upn, "teams"],
    ]);
    expect(w.dispute.stage).toBe(2);

    // The IRO uses their discretion to await the manager's full response: to a working day only.
    const saturday = decide(w.dispute, { action: "extend", until: "2027-04-03", reason: "Awaiting the full response." }, ctx("2027-04-02T09:00:00Z", iro, cumberland));
    expect(!saturday.ok && saturday.error).toEqual({ code: "invalid", message: "New due date: Saturday 3 April 2027 is not a working day. Nothing was changed.", field: "until" });
    const waited = w.do({ action: "extend", until: "2027-04-06", reason: "Awaiting the full response." }, "2027-04-02T09:00:00Z");
    expect(waited.event.detail).toMatchObject({ stage: 2, from: "2027-04-01T16:00:00.000Z", to: "2027-04-06T16:00:00.000Z" });
    expect(notices(waited.effects)).toEqual([["deadline-extended", adele.upn, "teams"]]);
    expect(w.dispute.stages[0]!.overdueSince).toBeUndefined();
    expect(timers(w.dispute)).toEqual([
      ["reminder", "2027-04-05T08:00:00.000Z"],
      ["reminder", "2027-04-06T08:00:00.000Z"],
      ["deadline", "2027-04-06T16:00:00.000Z"],
      ["cap-warning", "2027-04-22T08:00:00.000Z"],
      ["cap", "2027-04-26T16:00:00.000Z"],
    ]);

    // Tuesday 6 April: the answer comes; it does not resolve the concern, so up to the head of service.
    w.do({ action: "respond", response: "A placement review is booked for 20 April." }, "2027-04-06T10:00:00Z", as(adele));
    w.do({ action: "escalate", rationale: "A review in two weeks is too late for J.S." }, "2027-04-06T14:00:00Z");
    expect(round(w.dispute)).toEqual({
      stage: 3,
      role: "head-of-service",
      assignee: isaiah.upn,
      receivedAt: "2027-04-06T14:00:00.000Z",
      dueAt: "2027-04-13T16:00:00.000Z",
      responseDays: 5,
    });

    // ORP, referral: the IRO informs their manager of a CAFCASS referral, who in turn informs the AD and
    // the senior manager (here one person, Isaiah Langer, told once, as told by the manager).
    const intended = w.do({ action: "intend-referral", to: "cafcass", reasons: "Delay in permanency planning." }, "2027-04-07T10:00:00Z");
    expect(notices(intended.effects)).toEqual([
      ["referral-intended", quinn.upn, "mail"],
      ["referral-intended", isaiah.upn, "mail"],
    ]);
    expect(intended.effects.find((e) => e.kind === "notify" && e.to.upn === isaiah.upn)).toMatchObject({ role: "assistant-director", toldBy: { person: quinn, role: "iro-service-manager" } });
    expect(intended.event.detail["toldBeyond"]).toEqual([{ as: "assistant-director", why: "chain", by: quinn.displayName }]);
    // The referral made: the manager, QA here, is told again; the chain has already run, and nobody is told twice.
    const referred = w.do({ action: "refer", to: "cafcass" }, "2027-04-08T10:00:00Z");
    expect(notices(referred.effects)).toEqual([["referral-made", quinn.upn, "mail"]]);

    w.do({ action: "respond", response: "Emergency placement review held today; move agreed." }, "2027-04-12T10:00:00Z", as(isaiah));
    w.do({ action: "resolve", outcome: "Placement move agreed at the head of service's review." }, "2027-04-12T15:00:00Z");

    const d = w.dispute;
    expect(d.state).toBe("resolved");
    expect(d.timers).toEqual([]);
    expect(d.stages.map((s) => [s.stage, s.role, s.responseDays, s.dueAt, s.closed?.how])).toEqual([
      [2, "service-manager", 3, "2027-04-06T16:00:00.000Z", "escalated"],
      [3, "head-of-service", 5, "2027-04-13T16:00:00.000Z", "resolved"],
    ]);
    expect(d.referrals.map((r) => [r.body, r.informed, r.intendedAt, r.madeAt])).toEqual([
      ["cafcass", [quinn], "2027-04-07T10:00:00.000Z", "2027-04-08T10:00:00.000Z"],
    ]);
    expect(() => DisputeSchema.parse(d)).not.toThrow();
  });

  it("Cumberland ORP: the first response may not be longer than 5 working days", () => {
    const six = decide(undefined, raiseCommand(cumberland, { timescaleDays: 6 }), ctx("2027-02-01T10:00:00Z", iro, cumberland));
    expect(!six.ok && six.error).toEqual({
      code: "invalid",
      message: "timescaleDays: stage 1 (Team Manager) allows at most 5 working days; the IRO may set a shorter time, not a longer one.",
    });
    const three = Walk.raise(cumberland, "2027-02-01T10:00:00Z", { timescaleDays: 3 });
    expect(round(three.dispute)).toMatchObject({ responseDays: 3, dueAt: "2027-02-04T17:00:00.000Z" });
  });

  it("Cumberland ORP: with 10 working days at every level, the first response is still held to 5 and later levels get their 10", () => {
    const w = Walk.raise(tenDayCumberland, "2027-02-01T10:00:00Z");
    expect(round(w.dispute)).toMatchObject({ stage: 1, responseDays: 5, dueAt: "2027-02-08T17:00:00.000Z" });
    const longer = decide(undefined, raiseCommand(tenDayCumberland, { startStage: 3, timescaleDays: 6 }), ctx("2027-02-01T10:00:00Z", iro, tenDayCumberland));
    expect(!longer.ok && longer.error.message).toBe(
      "timescaleDays: stage 3 (Head of Service) allows at most 5 working days; the IRO may set a shorter time, not a longer one.",
    );
    w.do({ action: "escalate", rationale: "Not resolved." }, "2027-02-02T10:00:00Z");
    expect(round(w.dispute)).toMatchObject({ stage: 2, responseDays: 10, dueAt: "2027-02-16T17:00:00.000Z" });

    // After the informal discussion, the first formal response is the first instance.
    const informal = Walk.raise(tenDayCumberland, "2027-02-01T10:00:00Z", { startStage: 0 });
    const tooLong = decide(informal.dispute, { action: "escalate", rationale: "Not resolved.", timescaleDays: 7 }, ctx("2027-02-02T10:00:00Z", iro, tenDayCumberland));
    expect(!tooLong.ok && tooLong.error.code).toBe("invalid");
    informal.do({ action: "escalate", rationale: "Not resolved informally." }, "2027-02-02T10:00:00Z");
    expect(round(informal.dispute)).toMatchObject({ stage: 1, responseDays: 5, dueAt: "2027-02-09T17:00:00.000Z" });
  });
});

describe("Cumberland: the informal discussion with the social worker and team manager", () => {
  it("ORP, process: raised informally on Monday 1 February 2027, both are alerted; the social worker answers on Wednesday and the IRO resolves it", () => {
    const w = Walk.raise(cumberland, "2027-02-01T10:00:00Z", { startStage: 0 });
    expect(notices(w.decisions[0]!.effects).filter(([kind]) => kind === "alert")).toEqual([
      ["alert", "meganb@example.com", "teams"],
      ["alert", "sams@example.com", "teams"],
    ]);
    expect(round(w.dispute)).toMatchObject({ stage: 0, dueAt: "2027-02-08T17:00:00.000Z" });
    w.do({ action: "respond", response: "Visit booked for Thursday; PEP meeting set." }, "2027-02-03T09:30:00Z", as(sam));
    expect(w.dispute.stages[0]!.response?.by.upn).toBe("sams@example.com");
    w.do({ action: "resolve", outcome: "Visit made; PEP in place.", childVoice: { told: true, advocacyOffered: true, routesExplained: true } }, "2027-02-05T10:00:00Z");
    expect(w.dispute.state).toBe("resolved");
    expect(w.dispute.childVoice).toEqual([expect.objectContaining({ stage: 0, on: "resolve", told: true })]);
  });
});
