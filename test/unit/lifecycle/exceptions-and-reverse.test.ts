import { describe, expect, it } from "vitest";
import type { Command } from "../../../shared/dispute/commands";
import { currentStage } from "../../../shared/dispute/disputeSchema";
import { apply, ctx, details, lambeth, procedure } from "../../fixtures/disputes";
import { CAP_DUE, MON_1_FEB, STAGE_1_DUE, TUE_2_FEB, WED_3_FEB, entryKey, notices, redbridge, rejected, timersOf, withoutRole } from "../../fixtures/lifecycle";
import { adele, alex, as, demoRoster, iro, lscp, lynne, megan, qa, quinn } from "../../fixtures/people";

const adQa = demoRoster["ad-quality-assurance"]!;
const serviceManager = as(adele);

const exception = (exceptionKind = "child-death", overrides: Parameters<typeof details>[0] = {}): Command => {
  const { startStage: _s, timescaleDays: _t, ...rest } = details({ category: "safeguarding", reason: "cp-plan-delay", ...overrides });
  return { action: "raise-exception", disputeId: "D-1", tenantId: "t-demo", exceptionKind, details: rest };
};

describe("Lambeth 9: an exception overrides the ladder and goes to the DCS at once", () => {
  const { dispute, event, effects } = apply(undefined, exception(), ctx(MON_1_FEB));

  it("the dispute starts at stage 5, with the DCS, marked as an exception", () => {
    expect(dispute.state).toBe("awaiting-response");
    expect(dispute.stage).toBe(5);
    expect(dispute.exception).toEqual({ kind: "child-death", declaredAt: "2027-02-01T10:00:00.000Z" });
    expect(dispute.stages).toEqual([
      {
        stage: 5,
        role: "dcs",
        title: "Corporate Director / DCS",
        assignee: lynne,
        receivedAt: "2027-02-01T10:00:00.000Z",
        dueAt: STAGE_1_DUE,
        responseDays: 4,
        mode: "written",
      },
    ]);
    expect(dispute.capDueAt).toBe(CAP_DUE);
    expect(timersOf(dispute).map(([kind]) => kind)).toEqual(["reminder", "reminder", "deadline", "cap-warning", "cap"]);
  });

  it("the audit event names the exception and who was told", () => {
    expect(event).toMatchObject({
      action: "raise-exception",
      actor: alex,
      from: { state: null, stage: null },
      to: { state: "awaiting-response", stage: 5 },
      detail: {
        exception: "child-death",
        startStage: 5,
        category: "safeguarding",
        reason: "cp-plan-delay",
        team: "demo-team",
        legalStatus: "looked-after",
        procedureId: "lambeth",
        assignee: lynne,
        told: ["dcs", "lscp"],
        notTold: [],
      },
    });
  });

  it("the DCS is alerted to answer, and the DCS and the LSCP are told of the exception", () => {
    expect(notices(effects)).toEqual([
      { notice: "alert", to: "Lynne Robbins", role: "dcs", channel: "teams" },
      { notice: "exception", to: "Lynne Robbins", role: "dcs", channel: "mail" },
      { notice: "exception", to: "LSCP business unit", role: "lscp", channel: "mail" },
    ]);
    expect(effects.filter((e) => e.kind === "calendar").map((e) => e.kind === "calendar" && e.entryKey)).toEqual([entryKey(5, lynne), entryKey(5, alex)]);
  });

  it("there is nowhere higher to go: the IRO resolves or refers", () => {
    expect(rejected(dispute, { action: "escalate", rationale: "Higher." }, ctx(TUE_2_FEB)).code).toBe("conflict");
    const intended = apply(dispute, { action: "intend-referral", to: "lscp", reasons: "Child death: multi-agency review." }, ctx(TUE_2_FEB)).dispute;
    expect(intended.referrals[0]!.informed).toEqual([lynne]);
  });

  it("with nobody holding the LSCP role, it still goes ahead, and the record says the LSCP was not told", () => {
    const r = apply(undefined, exception("media-attention"), { ...ctx(MON_1_FEB), roster: withoutRole("lscp") });
    expect(r.event.detail).toMatchObject({ told: ["dcs"], notTold: ["lscp"] });
    expect(notices(r.effects).map((n) => n.to)).not.toContain(lscp.displayName);
  });
});

describe("Lambeth 9: exceptions that are refused", () => {
  it("a kind the procedure does not list, naming the choices", () => {
    expect(rejected(undefined, exception("house-fire"), ctx(MON_1_FEB))).toEqual({
      code: "invalid",
      message: expect.stringMatching(/^Exception: "house-fire" is not an exception in London Borough of Lambeth's procedure; choose one of Child death \(child-death\), /),
      field: "exceptionKind",
    });
  });

  it("raised by someone the procedure does not let raise one (Lambeth itself lets whoever first knows)", () => {
    const irosOnly = procedure({ ...lambeth, exceptions: { ...lambeth.exceptions, raisedBy: ["iro"] } });
    expect(rejected(undefined, exception(), ctx(MON_1_FEB, serviceManager, irosOnly))).toEqual({
      code: "forbidden",
      message: "London Borough of Lambeth's procedure lets an IRO or CP chair raise an exception, and you are not among them.",
    });
  });

  it("nobody holds the DCS role: the stage cannot be reached", () => {
    expect(rejected(undefined, exception(), { ...ctx(MON_1_FEB), roster: withoutRole("dcs"), teamName: "Children in Care Team 1" })).toEqual({
      code: "invalid",
      message: "Stage 5 (Corporate Director / DCS) has nobody assigned for Children in Care Team 1: ask QA to set who holds it before raising. Nothing was sent.",
    });
  });

  it("a reason that is not under the category", () => {
    const error = rejected(undefined, exception("child-death", { reason: "no-allocated-social-worker" }), ctx(MON_1_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toMatch(/^Category and reason: "no-allocated-social-worker" is not a reason under Safeguarding/);
  });

  it("an id already in use", () => {
    const { dispute } = apply(undefined, exception(), ctx(MON_1_FEB));
    expect(rejected(dispute, exception(), ctx(MON_1_FEB))).toEqual({ code: "conflict", message: "Dispute D-1 already exists." });
  });

  it("no exception kind", () => {
    const error = rejected(undefined, { ...exception(), exceptionKind: "" } as Command, ctx(MON_1_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toBe("Exception: must not be empty.");
  });
});

const reverse = (overrides: Parameters<typeof details>[0] = {}): Command => ({
  action: "raise",
  disputeId: "D-1",
  tenantId: "t-demo",
  direction: "reverse",
  details: details({ category: "drift-in-care-planning", reason: "iro-not-notified", concerns: "The IRO changed the plan's timescales without consulting the team.", ...overrides }),
});

describe("Lambeth 7: the service raises a concern about an IRO, and the process runs in reverse", () => {
  const { dispute, event, effects } = apply(undefined, reverse(), ctx(MON_1_FEB, serviceManager));

  it("a service manager may raise it: it goes to the IRO service manager", () => {
    expect(dispute.direction).toBe("reverse");
    expect(dispute.raisedBy).toEqual(adele);
    expect(dispute.ladder.direction).toBe("reverse");
    expect(dispute.ladder.stages.map((s) => s.role)).toEqual(["iro-service-manager", "ad-quality-assurance"]);
    expect(dispute.stage).toBe(1);
    expect(currentStage(dispute)).toMatchObject({ role: "iro-service-manager", title: "IRO Service Manager", assignee: quinn, dueAt: STAGE_1_DUE, responseDays: 4 });
  });

  it("the audit event says it is a reverse dispute", () => {
    expect(event).toMatchObject({ action: "raise", actor: adele, to: { state: "awaiting-response", stage: 1 }, detail: { direction: "reverse", startStage: 1, assignee: quinn } });
  });

  it("the IRO service manager is alerted; the raiser's entries are the service manager's", () => {
    expect(notices(effects)[0]).toEqual({ notice: "alert", to: "Quinn QA", role: "iro-service-manager", channel: "teams" });
    expect(effects.filter((e) => e.kind === "calendar").map((e) => e.kind === "calendar" && e.entryKey)).toEqual([entryKey(1, quinn), entryKey(1, adele)]);
  });

  it("the same raise as a standard dispute is refused to her", () => {
    const error = rejected(undefined, { ...reverse(), direction: "standard" } as Command, ctx(MON_1_FEB, serviceManager));
    expect(error.code).toBe("forbidden");
    expect(error.message).toBe("Only an IRO or CP chair can raise a dispute; the service raises a concern about an IRO as a reverse dispute.");
  });

  it("the IRO service manager answers; the service manager who raised it decides", () => {
    const answered = apply(dispute, { action: "respond", response: "Discussed with the IRO; timescales restored." }, ctx(TUE_2_FEB, as(quinn))).dispute;
    expect(answered.state).toBe("awaiting-decision");
    const escalated = apply(answered, { action: "escalate", rationale: "Not accepted." }, ctx(WED_3_FEB, serviceManager)).dispute;
    expect(currentStage(escalated)).toMatchObject({ stage: 2, role: "ad-quality-assurance", assignee: adQa });
  });

  it("an IRO who did not raise it cannot decide it", () => {
    expect(rejected(dispute, { action: "escalate", rationale: "Mine." }, ctx(TUE_2_FEB, iro))).toEqual({
      code: "forbidden",
      message: "Only Adele Vance, who raised dispute D-1, or the QA service can escalate it.",
    });
  });

  it("QA track reverse disputes, and may decide them", () => {
    expect(apply(dispute, { action: "add-note", note: "Tracked for the monthly report." }, ctx(TUE_2_FEB, qa)).event.actor).toEqual(quinn);
  });

  it("the reverse ladder has two stages", () => {
    expect(rejected(dispute, { action: "escalate", toStage: 3, rationale: "Higher." }, ctx(TUE_2_FEB, serviceManager))).toEqual({
      code: "invalid",
      message: "Escalate to: the ladder has 2 stages; 3 is not one of them.",
      field: "toStage",
    });
  });

  it("the team manager, who raised nothing, cannot decide it", () => {
    expect(rejected(dispute, { action: "resolve", outcome: "Fine." }, ctx(TUE_2_FEB, as(megan))).code).toBe("forbidden");
  });
});

describe("Reverse disputes that are refused", () => {
  it("informal: the reverse process has no informal stage", () => {
    expect(rejected(undefined, reverse({ startStage: 0 }), ctx(MON_1_FEB, serviceManager))).toEqual({
      code: "invalid",
      message: "Start at: London Borough of Lambeth's procedure has no informal stage here; start at stage 1 or above.",
      field: "startStage",
    });
  });

  it("Redbridge has no reverse process", () => {
    const error = rejected(undefined, reverse({ category: "placement", reason: "placement-choice" }), ctx(MON_1_FEB, serviceManager, redbridge));
    expect(error).toEqual({
      code: "invalid",
      message: "London Borough of Redbridge's procedure has no reverse process for concerns about an IRO.",
      field: "direction",
    });
  });

  it("a stage beyond the reverse ladder", () => {
    expect(rejected(undefined, reverse({ startStage: 3 }), ctx(MON_1_FEB, serviceManager)).message).toBe("Start at: the ladder has 2 stages; 3 is not one of them.");
  });

  it("rung pre-flight on the reverse ladder: nobody is AD for Quality Assurance", () => {
    expect(rejected(undefined, reverse(), { ...ctx(MON_1_FEB, serviceManager), roster: withoutRole("ad-quality-assurance") })).toEqual({
      code: "invalid",
      message: "Stage 2 (AD for Quality Assurance) has nobody assigned for the child's team: ask QA to set who holds it before raising. Nothing was sent.",
    });
  });
});
