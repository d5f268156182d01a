import { describe, expect, it } from "vitest";
import type { Command } from "../../../shared/dispute/commands";
import { currentStage } from "../../../shared/dispute/disputeSchema";
import { SYSTEM } from "../../../shared/dispute/people";
import { apply, ctx, details, procedure } from "../../fixtures/disputes";
import {
  CAP_DUE,
  CAP_WARNING,
  MON_1_FEB,
  STAGE_1_DUE,
  blackburn,
  calendarOps,
  cumberland,
  entryKey,
  notices,
  raisedOnMonday,
  rejected,
  timersOf,
  withoutRole,
} from "../../fixtures/lifecycle";
import { adele, alex, as, iro, isaiah, megan, qa, sam } from "../../fixtures/people";

const raise = (overrides: Parameters<typeof details>[0] = {}): Command => ({
  action: "raise",
  disputeId: "D-1",
  tenantId: "t-demo",
  direction: "standard",
  details: details(overrides),
});


describe("Lambeth: an IRO raises a dispute at stage 1", () => {
  const { dispute, event, effects } = raisedOnMonday();

  it("puts it with the team manager, awaiting a response within 4 working days", () => {
    expect(dispute).toMatchObject({
      id: "D-1",
      tenantId: "t-demo",
      version: 1,
      direction: "standard",
      state: "awaiting-response",
      stage: 1,
      raisedBy: alex,
      raisedAt: "2027-02-01T10:00:00.000Z",
      raisedFrom: "api",
      child: { reference: "MOS-100234", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no-allocated-social-worker",
      referrals: [],
      formalStartedAt: "2027-02-01T10:00:00.000Z",
      capDueAt: CAP_DUE,
      updatedAt: "2027-02-01T10:00:00.000Z",
    });
    expect(dispute.stages).toEqual([
      {
        stage: 1,
        role: "team-manager",
        title: "Team Manager",
        assignee: megan,
        receivedAt: "2027-02-01T10:00:00.000Z",
        dueAt: STAGE_1_DUE,
        responseDays: 4,
        mode: "written",
      },
    ]);
  });

  it("copies the ladder and who holds each role onto the dispute, so editing the procedure never moves it", () => {
    expect(dispute.ladder.procedureId).toBe("lambeth");
    expect(dispute.ladder.direction).toBe("standard");
    expect(dispute.ladder.stages.map((s) => s.role)).toEqual(["team-manager", "service-manager", "assistant-director", "director-csc", "dcs"]);
    expect(dispute.ladder.roster["service-manager"]).toEqual(adele);
    expect(dispute.ladder.notify.beforeReferral.cafcass).toEqual(["dcs"]);
  });

  it("records one audit event: who raised it, from nothing to stage 1, with the category, reason and who was told", () => {
    expect(event).toEqual({
      id: "D-1:1",
      disputeId: "D-1",
      tenantId: "t-demo",
      version: 1,
      action: "raise",
      at: "2027-02-01T10:00:00.000Z",
      actor: alex,
      source: "api",
      from: { state: null, stage: null },
      to: { state: "awaiting-response", stage: 1 },
      detail: {
        direction: "standard",
        startStage: 1,
        bypassed: [],
        responseDays: 4,
        category: "statutory-responsibilities",
        reason: "no-allocated-social-worker",
        childReference: "MOS-100234",
        childInitials: "J.S.",
        team: "demo-team",
        legalStatus: "looked-after",
        procedureId: "lambeth",
        assignee: megan,
        told: ["social-worker", "service-manager"],
        notTold: [],
      },
    });
  });

  it("alerts the team manager in Teams, puts the due time in her and the IRO's calendars, and mails the social worker and service manager (Annex B)", () => {
    expect(effects).toEqual([
      { id: "D-1:1:1", disputeId: "D-1", kind: "notify", notice: "alert", to: megan, role: "team-manager", channel: "teams" },
      { id: "D-1:1:2", disputeId: "D-1", kind: "calendar", op: "upsert", entryKey: entryKey(1, megan), attendee: megan, subject: "Dispute D-1: stage 1 response due", at: STAGE_1_DUE },
      { id: "D-1:1:3", disputeId: "D-1", kind: "calendar", op: "upsert", entryKey: entryKey(1, alex), attendee: alex, subject: "Dispute D-1: stage 1 response due", at: STAGE_1_DUE },
      { id: "D-1:1:4", disputeId: "D-1", kind: "notify", notice: "raised", to: sam, role: "social-worker", channel: "mail" },
      { id: "D-1:1:5", disputeId: "D-1", kind: "notify", notice: "raised", to: adele, role: "service-manager", channel: "mail" },
    ]);
  });

  it("sets reminders the working day before and on the day, the deadline, and the 20 working day cap with its warning", () => {
    expect(timersOf(dispute)).toEqual([
      ["reminder", "2027-02-04T09:00:00.000Z"],
      ["reminder", "2027-02-05T09:00:00.000Z"],
      ["deadline", STAGE_1_DUE],
      ["cap-warning", CAP_WARNING],
      ["cap", CAP_DUE],
    ]);
    expect(new Set(dispute.timers.map((t) => t.token)).size).toBe(5);
  });
});

describe("Lambeth: where the IRO starts", () => {
  it("informal, with the timeframe the IRO sets (3 working days): no formal start and no cap yet", () => {
    const { dispute, event, effects } = raisedOnMonday({ startStage: 0, timescaleDays: 3 });
    expect(dispute.state).toBe("informal");
    expect(dispute.stage).toBe(0);
    expect(currentStage(dispute)).toEqual({
      stage: 0,
      role: "team-manager",
      title: "Informal",
      assignee: megan,
      receivedAt: "2027-02-01T10:00:00.000Z",
      dueAt: "2027-02-04T17:00:00.000Z",
      responseDays: 3,
      mode: "written",
    });
    expect(dispute.formalStartedAt).toBeUndefined();
    expect(dispute.capDueAt).toBeUndefined();
    expect(timersOf(dispute)).toEqual([
      ["reminder", "2027-02-03T09:00:00.000Z"],
      ["reminder", "2027-02-04T09:00:00.000Z"],
      ["deadline", "2027-02-04T17:00:00.000Z"],
    ]);
    expect(event.to).toEqual({ state: "informal", stage: 0 });
    expect(event.detail).toMatchObject({ startStage: 0, responseDays: 3 });
    expect(calendarOps(effects)).toEqual([
      { op: "upsert", entryKey: entryKey(0, megan), attendee: "Megan Bowen", at: "2027-02-04T17:00:00.000Z" },
      { op: "upsert", entryKey: entryKey(0, alex), attendee: "Alex Wilber", at: "2027-02-04T17:00:00.000Z" },
    ]);
  });

  it("informal without a timeframe: the procedure's default of 5 working days", () => {
    const { dispute } = raisedOnMonday({ startStage: 0 });
    expect(currentStage(dispute).responseDays).toBe(5);
    expect(currentStage(dispute).dueAt).toBe("2027-02-08T17:00:00.000Z");
  });

  it("straight to stage 3 (serious safeguarding): the assistant director holds it, stages 1 and 2 are bypassed, the QA AD is alerted", () => {
    const { dispute, event, effects } = raisedOnMonday({ startStage: 3 });
    expect(dispute.stage).toBe(3);
    expect(currentStage(dispute)).toMatchObject({ stage: 3, role: "assistant-director", title: "Assistant Director", assignee: isaiah, responseDays: 4 });
    expect(dispute.stages).toHaveLength(1);
    expect(event.detail).toMatchObject({ startStage: 3, bypassed: [1, 2], assignee: isaiah, told: ["social-worker", "team-manager", "service-manager"] });
    expect(notices(effects)).toEqual([
      { notice: "alert", to: "Isaiah Langer", role: "assistant-director", channel: "teams" },
      { notice: "stage-notice", to: "AD Quality Assurance", role: "ad-quality-assurance", channel: "mail" },
      { notice: "raised", to: "Sam Social-Worker", role: "social-worker", channel: "mail" },
      { notice: "raised", to: "Megan Bowen", role: "team-manager", channel: "mail" },
      { notice: "raised", to: "Adele Vance", role: "service-manager", channel: "mail" },
    ]);
  });

  it("with a shorter timescale set by the child's needs (2 working days)", () => {
    const { dispute, event } = raisedOnMonday({ timescaleDays: 2 });
    expect(currentStage(dispute).responseDays).toBe(2);
    expect(currentStage(dispute).dueAt).toBe("2027-02-03T17:00:00.000Z");
    expect(event.detail.responseDays).toBe(2);
  });

  it("the reason may be given by its label as written, in any case; the id is stored", () => {
    const { dispute, event } = raisedOnMonday({ category: "safeguarding", reason: "  S47 enquiries NOT started on new concerns " });
    expect(dispute.reason).toBe("s47-not-initiated");
    expect(event.detail.reason).toBe("s47-not-initiated");
  });

  it("a role told on raise that nobody holds does not stop the dispute: the record says who was not told", () => {
    const { dispute, event, effects } = apply(undefined, raise(), { ...ctx(MON_1_FEB), roster: withoutRole("social-worker") });
    expect(dispute.state).toBe("awaiting-response");
    expect(event.detail).toMatchObject({ told: ["service-manager"], notTold: ["social-worker"] });
    expect(notices(effects).map((n) => n.to)).toEqual(["Megan Bowen", "Adele Vance"]);
  });

  it("a rung below the start stage need not be held: starting at stage 3 without a service manager", () => {
    const { dispute } = apply(undefined, raise({ startStage: 3 }), { ...ctx(MON_1_FEB), roster: withoutRole("service-manager") });
    expect(currentStage(dispute).assignee).toEqual(isaiah);
  });

  it("the raise keeps the review date and the source email", () => {
    const sourceEmail = { internetMessageId: "<abc@example.com>", subject: "Review actions" };
    const { dispute } = raisedOnMonday({ reviewDate: "2027-01-28", sourceEmail });
    expect(dispute.reviewDate).toBe("2027-01-28");
    expect(dispute.sourceEmail).toEqual(sourceEmail);
  });
});

describe("Cumberland: the first response is no more than 5 working days, whatever the stage allows", () => {
  const roomier = procedure({ ...cumberland, stages: cumberland.stages.map((s) => (s.stage === 2 ? { ...s, responseDays: 10 } : s)) });

  it("a dispute started at a stage with 10 days is given 5", () => {
    const { dispute } = apply(undefined, raise({ category: cumberland.categories[0]!.id, reason: cumberland.categories[0]!.reasons[0]!.id, startStage: 2 }), ctx(MON_1_FEB, iro, roomier));
    expect(currentStage(dispute).responseDays).toBe(5);
  });

  it("and the IRO cannot ask for 8", () => {
    const error = rejected(undefined, raise({ category: cumberland.categories[0]!.id, reason: cumberland.categories[0]!.reasons[0]!.id, startStage: 2, timescaleDays: 8 }), ctx(MON_1_FEB, iro, roomier));
    expect(error).toEqual({ code: "invalid", message: expect.stringMatching(/^Shorter response time: stage 2 \(Service Manager\) allows at most 5 working days/), field: "timescaleDays" });
  });
});

describe("Raising: what is refused, and why", () => {
  it("only an IRO or CP chair raises a dispute: a team manager may not", () => {
    const error = rejected(undefined, raise(), ctx(MON_1_FEB, as(megan)));
    expect(error.code).toBe("forbidden");
    expect(error.message).toMatch(/Only an IRO or CP chair can raise a dispute/);
  });

  it("QA oversee disputes but do not raise them", () => {
    expect(rejected(undefined, raise(), ctx(MON_1_FEB, qa)).code).toBe("forbidden");
  });

  it("the timers never raise a dispute", () => {
    expect(rejected(undefined, raise(), ctx(MON_1_FEB, SYSTEM))).toEqual({ code: "forbidden", message: "A dispute is raised by a person." });
  });

  it("a dispute id already in use", () => {
    const { dispute } = raisedOnMonday();
    const error = rejected(dispute, raise(), ctx(MON_1_FEB));
    expect(error).toEqual({ code: "conflict", message: "Dispute D-1 already exists." });
  });

  it("a category the procedure does not have, naming the choices", () => {
    const error = rejected(undefined, raise({ category: "housing" }), ctx(MON_1_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toBe(
      'Category and reason: "housing" is not a category of London Borough of Lambeth\'s procedure; choose one of Failure to meet LA statutory responsibilities (statutory-responsibilities), Unacceptable drift in care planning (drift-in-care-planning), Dispute regarding provision of services (provision-of-services), Safeguarding (safeguarding).',
    );
  });

  it("a reason that is not under the category chosen", () => {
    const error = rejected(undefined, raise({ category: "safeguarding", reason: "no-allocated-social-worker" }), ctx(MON_1_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toBe(
      'Category and reason: "no-allocated-social-worker" is not a reason under Safeguarding; choose one of Avoidable drift or delay in the child protection plan (cp-plan-delay), S47 enquiries not started on new concerns (s47-not-initiated), Missing or CSE protocols not followed (missing-or-cse-protocols).',
    );
  });

  it("Blackburn with Darwen has no informal stage: stage 0 is refused", () => {
    const error = rejected(undefined, raise({ category: "care-plan", reason: "care-plan-not-prepared", startStage: 0 }), ctx(MON_1_FEB, iro, blackburn));
    expect(error).toEqual({
      code: "invalid",
      message: "Start at: Blackburn with Darwen Borough Council's procedure has no informal stage here; start at stage 1 or above.",
      field: "startStage",
    });
  });

  it("a start stage beyond the ladder", () => {
    const error = rejected(undefined, raise({ startStage: 6 }), ctx(MON_1_FEB));
    expect(error).toEqual({ code: "invalid", message: "Start at: the ladder has 5 stages; 6 is not one of them.", field: "startStage" });
  });

  it("a timescale longer than the stage allows: the IRO may shorten it, not lengthen it", () => {
    const error = rejected(undefined, raise({ timescaleDays: 5 }), ctx(MON_1_FEB));
    expect(error).toEqual({
      code: "invalid",
      message: "Shorter response time: stage 1 (Team Manager) allows at most 4 working days; the IRO may set a shorter time, not a longer one.",
      field: "timescaleDays",
    });
  });

  it("rung pre-flight: nobody holds service-manager for the team, so stage 2 could not be reached; nothing is sent", () => {
    const error = rejected(undefined, raise(), { ...ctx(MON_1_FEB), roster: withoutRole("service-manager") });
    expect(error).toEqual({
      code: "invalid",
      message: "Stage 2 (Service Manager) has nobody assigned for the child's team: ask QA to set who holds it before raising. Nothing was sent.",
    });
  });

  it("rung pre-flight covers the informal stage too", () => {
    const error = rejected(undefined, raise({ startStage: 0 }), { ...ctx(MON_1_FEB), roster: withoutRole("team-manager") });
    expect(error.code).toBe("invalid");
    expect(error.message).toMatch(/^Stage 0 \(Informal\) has nobody assigned for the child's team/);
  });

  it("rung pre-flight with no roster at all names the first stage", () => {
    const error = rejected(undefined, raise(), { ...ctx(MON_1_FEB), roster: undefined });
    expect(error.message).toMatch(/^Stage 1 \(Team Manager\) has nobody assigned for the child's team/);
  });
});

describe("Raising: bad input names the field", () => {
  const invalid = (overrides: Parameters<typeof details>[0], field: RegExp) => {
    const error = rejected(undefined, raise(overrides), ctx(MON_1_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toMatch(field);
  };

  it("initials that look like a full name", () => {
    invalid({ child: { reference: "MOS-100234", initials: "John Smith", legalStatus: "looked-after", team: "demo-team" } }, /^Child's initials: must be initials only, e\.g\. J\.S\.$/);
  });

  it("a first name, or a short full name, is not initials either: the child is never named on a card", () => {
    for (const initials of ["Olivia", "Amy Li", "Jo", "j.s."]) {
      invalid({ child: { reference: "MOS-100234", initials, legalStatus: "looked-after", team: "demo-team" } }, /^Child's initials: must be initials only/);
    }
  });

  it("initials as people write them are accepted", () => {
    for (const initials of ["J.S.", "JS", "J S", "J. S.", "J-P O'B", "A.B.C."]) {
      const { dispute } = raisedOnMonday({ child: { reference: "MOS-100234", initials, legalStatus: "looked-after", team: "demo-team" } });
      expect(dispute.child.initials).toBe(initials);
    }
  });

  it("a case reference with spaces in it", () => {
    invalid({ child: { reference: "MOS 100234", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" } }, /^Case reference: must be a case reference/);
  });

  it("a legal status the product does not know", () => {
    invalid({ child: { reference: "MOS-100234", initials: "J.S.", legalStatus: "adopted" as never, team: "demo-team" } }, /^Legal status: choose one of /);
  });

  it("a team that is not an id", () => {
    invalid({ child: { reference: "MOS-100234", initials: "J.S.", legalStatus: "looked-after", team: "Demo Team" } }, /^Team: must be a team id/);
  });

  it("empty concerns", () => {
    invalid({ concerns: "   " }, /^Concerns: must not be empty\.$/);
  });

  it("outcomes sought over 4000 characters", () => {
    invalid({ outcomesSought: "x".repeat(4001) }, /^Outcomes sought: must be at most 4000 characters\.$/);
  });

  it("a review date that is not a date", () => {
    invalid({ reviewDate: "2027-02-30" }, /^Linked review date: must be a day on the calendar \(year-month-day\)\.$/);
  });

  it("a start stage that is not a whole number", () => {
    invalid({ startStage: 1.5 }, /^Start at: must be a whole number\.$/);
  });

  it("no dispute id", () => {
    const error = rejected(undefined, { ...raise(), disputeId: "" } as Command, ctx(MON_1_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toBe("Dispute id: must not be empty.");
  });

  it("an action nobody knows", () => {
    const error = rejected(undefined, { action: "delete" } as unknown as Command, ctx(MON_1_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toMatch(/^Action: /);
  });
});

describe("Commands on a dispute that does not exist", () => {
  it("are not found", () => {
    expect(rejected(undefined, { action: "respond", response: "Done." }, ctx(MON_1_FEB, as(megan)))).toEqual({ code: "not-found", message: "No such dispute." });
  });
});
