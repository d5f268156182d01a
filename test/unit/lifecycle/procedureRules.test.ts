import { describe, expect, it } from "vitest";
import { raiseForm } from "../../../shared/cards/raiseForm";
import { isAllowedIn } from "../../../shared/dispute/lifecycle";
import { actionsFor } from "../../../shared/dispute/permissions";
import { planForDispute } from "../../../shared/plan/planEscalation";
import { parseProcedure } from "../../../shared/procedure/procedureSchema";
import lambethJson from "../../../shared/procedures/lambeth.json" with { type: "json" };
import { builtInProcedures } from "../../../shared/procedures";
import { apply, calendar, ctx, details, lambeth, procedure } from "../../fixtures/disputes";
import { MON_1_FEB, STAGE_1_DUE, TUE_2_FEB, WED_3_FEB, calendarOps, cumberland, notices, redbridge, rejected, system, timerCommand, withoutRole } from "../../fixtures/lifecycle";
import { adele, alex, as, demoRoster, iro, isaiah, megan, qa, quinn, sam } from "../../fixtures/people";

const adQa = demoRoster["ad-quality-assurance"]!;
const raise = (overrides: Parameters<typeof details>[0] = {}, p = lambeth) => {
  const category = p.categories[0]!;
  return { action: "raise" as const, disputeId: "D-1", tenantId: "t-demo", direction: "standard" as const, details: details({ category: category.id, reason: category.reasons[0]!.id, ...overrides }) };
};

describe("strict procedure files: an unknown key is refused, naming it", () => {
  it("a misspelt notify at the top level must not silently tell nobody", () => {
    const { notify, ...rest } = lambethJson;
    const r = parseProcedure({ ...rest, notfy: notify }, "anytown.json");
    expect(r).toEqual({ ok: false, error: "anytown.json is not a valid procedure (fields named by their path in the file): notify: Invalid input: expected object, received undefined; notfy: is not a field here (misspelt?)" });
  });

  it("a misspelt key inside a stage, the notify block and a category is named by its path", () => {
    const stages = lambethJson.stages.map((s, i) => (i === 1 ? { ...s, escalteBy: ["iro"] } : s));
    const r = parseProcedure({ ...lambethJson, stages, notify: { ...lambethJson.notify, onRasie: [] } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain("stages[1].escalteBy: is not a field here (misspelt?)");
    expect(!r.ok && r.error).toContain("notify.onRasie: is not a field here (misspelt?)");
  });
});

describe("optional stages ('where applicable'): Redbridge 2.3 stage 2 with no service manager", () => {
  const noServiceManager = { ...ctx(MON_1_FEB, iro, redbridge), roster: withoutRole("service-manager") };

  it("the raise is not refused; it says stage 2 is skipped, and the plan marks it so", () => {
    const { dispute, event } = apply(undefined, raise({}, redbridge), noServiceManager);
    expect(event.detail).toMatchObject({ startStage: 1, skipped: [2] });
    const plan = planForDispute(dispute, calendar)!;
    expect(plan.stages.map((s) => [s.stage, s.skipped ?? false, s.dueDate])).toEqual([
      [1, false, "2027-02-08"],
      [2, true, "2027-02-08"],
      [3, false, "2027-02-15"],
      [4, false, "2027-02-22"],
      [5, false, "2027-03-01"],
      [6, false, "2027-03-08"],
    ]);
  });

  it("escalating from stage 1 goes to stage 3, recording stage 2 as skipped, not bypassed", () => {
    const d = apply(undefined, raise({}, redbridge), noServiceManager).dispute;
    const up = apply(d, { action: "escalate", rationale: "Recommendations still not agreed." }, { ...noServiceManager, now: new Date(WED_3_FEB) });
    expect(up.dispute.stage).toBe(3);
    expect(up.event.detail).toMatchObject({ fromStage: 1, toStage: 3, bypassed: [], skipped: [2] });
  });

  it("choosing stage 2 or starting there is refused, naming the stage", () => {
    const d = apply(undefined, raise({}, redbridge), noServiceManager).dispute;
    expect(rejected(d, { action: "escalate", rationale: "To the service manager.", toStage: 2 }, { ...noServiceManager, now: new Date(WED_3_FEB) })).toEqual({
      code: "invalid",
      message: "Escalate to: stage 2 (Service Manager (where applicable)) applies only where someone holds it, and nobody does for this dispute; choose another stage.",
      field: "toStage",
    });
    expect(rejected(undefined, raise({ startStage: 2 }, redbridge), { ...noServiceManager, teamName: "Children in Care Team 1" }).message).toBe(
      "Start at: stage 2 (Service Manager (where applicable)) applies only where someone holds it, and nobody does for Children in Care Team 1; start at another stage.",
    );
  });

  it("where someone holds it, stage 2 is an ordinary stage; a stage that is not optional still refuses the raise", () => {
    const d = apply(undefined, raise({}, redbridge), ctx(MON_1_FEB, iro, redbridge)).dispute;
    expect(apply(d, { action: "escalate", rationale: "Not agreed." }, ctx(WED_3_FEB, iro, redbridge)).dispute.stage).toBe(2);
    expect(rejected(undefined, raise({}, redbridge), { ...noServiceManager, roster: withoutRole("head-of-service") }).message).toMatch(/^Stage 3 \(Head of Service\) has nobody assigned/);
  });
});

describe("joint holders: Cumberland's informal discussion with the social worker and team manager", () => {
  const raised = () => apply(undefined, raise({ startStage: 0 }, cumberland), ctx(MON_1_FEB, iro, cumberland));

  it("both are alerted and both get the deadline in their calendar", () => {
    const { dispute, effects } = raised();
    expect(dispute.stages[0]).toMatchObject({ assignee: megan, jointAssignees: [sam] });
    expect(notices(effects).filter((n) => n.notice === "alert")).toEqual([
      { notice: "alert", to: megan.displayName, role: "team-manager", channel: "teams" },
      { notice: "alert", to: sam.displayName, role: "social-worker", channel: "teams" },
    ]);
    expect(calendarOps(effects).map((e) => e.attendee)).toEqual([megan.displayName, sam.displayName, alex.displayName]);
  });

  it("either may answer: the social worker answers, and the team manager can then answer no more", () => {
    const d = raised().dispute;
    expect(actionsFor(d, as(sam), (a) => isAllowedIn(a, d.state))).toContain("respond");
    const answered = apply(d, { action: "respond", response: "Allocated from Monday." }, ctx(TUE_2_FEB, as(sam), cumberland));
    expect(answered.dispute.stages[0]!.response?.by).toEqual(sam);
    expect(rejected(answered.dispute, { action: "respond", response: "Me too." }, ctx(TUE_2_FEB, as(megan), cumberland)).code).toBe("conflict");
    expect(rejected(d, { action: "respond", response: "Not mine." }, ctx(TUE_2_FEB, as(adele), cumberland)).code).toBe("forbidden");
  });
});

describe("who may do what, per stage: a QA-driven ladder", () => {
  // The QA service manager escalates to stage 2, the head of QA to stage 3; only the AD for QA and the IRO close.
  const qaDriven = procedure({
    ...lambethJson,
    closeBy: ["iro", "ad-quality-assurance"],
    stages: lambethJson.stages.map((s) =>
      s.stage === 1 ? { ...s, escalateBy: ["iro-service-manager"] } : s.stage === 2 ? { ...s, escalateBy: ["ad-quality-assurance"] } : s,
    ),
  });
  const d = apply(undefined, raise({}, qaDriven), ctx(MON_1_FEB, iro, qaDriven)).dispute;

  it("at stage 1 the IRO may not escalate, and is told who may; the QA service manager may, without the QA capability", () => {
    expect(rejected(d, { action: "escalate", rationale: "No reply." }, ctx(WED_3_FEB, iro, qaDriven))).toEqual({ code: "forbidden", message: "Only Quinn QA can escalate it." });
    expect(actionsFor(d, iro, (a) => isAllowedIn(a, d.state))).not.toContain("escalate");
    expect(actionsFor(d, as(quinn), (a) => isAllowedIn(a, d.state))).toContain("escalate");
    const up = apply(d, { action: "escalate", rationale: "No reply from the team manager." }, ctx(WED_3_FEB, as(quinn), qaDriven));
    expect(up.dispute.stage).toBe(2);
    expect(up.event.actor).toEqual(quinn);
  });

  it("at stage 2 only the head of QA escalates", () => {
    const two = apply(d, { action: "escalate", rationale: "No reply." }, ctx(WED_3_FEB, as(quinn), qaDriven)).dispute;
    expect(rejected(two, { action: "escalate", rationale: "Again." }, ctx(WED_3_FEB, as(quinn), qaDriven)).message).toBe("Only AD Quality Assurance can escalate it.");
    expect(apply(two, { action: "escalate", rationale: "Still no reply." }, ctx(WED_3_FEB, as(adQa), qaDriven)).dispute.stage).toBe(3);
  });

  it("closing belongs to the IRO and the AD for QA: the rest of the QA service may not resolve", () => {
    expect(rejected(d, { action: "resolve", outcome: "Allocated." }, ctx(TUE_2_FEB, qa, qaDriven))).toEqual({
      code: "forbidden",
      message: "Only Alex Wilber, who raised dispute D-1, or AD Quality Assurance can resolve it.",
    });
    expect(apply(d, { action: "resolve", outcome: "Allocated." }, ctx(TUE_2_FEB, as(adQa), qaDriven)).dispute.state).toBe("resolved");
    expect(apply(d, { action: "withdraw", reason: "Raised in error." }, ctx(TUE_2_FEB, iro, qaDriven)).dispute.state).toBe("withdrawn");
  });

  it("the shipped procedures leave escalation and closing with the IRO and QA, as before", () => {
    const lambethDispute = apply(undefined, raise(), ctx(MON_1_FEB)).dispute;
    expect(actionsFor(lambethDispute, qa, (a) => isAllowedIn(a, lambethDispute.state))).toEqual(expect.arrayContaining(["escalate", "resolve", "withdraw"]));
    expect(actionsFor(lambethDispute, as(isaiah), (a) => isAllowedIn(a, lambethDispute.state))).toEqual([]);
  });
});

describe("who decides when a deadline passes with no answer, per stage", () => {
  it("ask-qa: the QA service is asked to decide, not the IRO", () => {
    const askQa = procedure({ ...lambethJson, stages: lambethJson.stages.map((s) => (s.stage === 1 ? { ...s, onDeadline: "ask-qa" } : s)) });
    const d = apply(undefined, raise({}, askQa), ctx(MON_1_FEB, iro, askQa)).dispute;
    const passed = apply(d, timerCommand(d, "deadline"), system(STAGE_1_DUE, askQa));
    expect(notices(passed.effects)).toEqual([
      { notice: "deadline-passed", to: adQa.displayName, role: "ad-quality-assurance", channel: "teams" },
      { notice: "deadline-passed", to: quinn.displayName, role: "iro-service-manager", channel: "teams" },
      { notice: "overdue", to: megan.displayName, role: "team-manager", channel: "teams" },
    ]);
    expect(passed.event.detail).toMatchObject({ stage: 1, automatic: false, decidedBy: "qa" });
  });

  it("a stage's own rule overrides the procedure's: stage 1 climbs on its own in a procedure that asks the IRO", () => {
    const climbs = procedure({ ...lambethJson, stages: lambethJson.stages.map((s) => (s.stage === 1 ? { ...s, onDeadline: "escalate" } : s)) });
    const d = apply(undefined, raise({}, climbs), ctx(MON_1_FEB, iro, climbs)).dispute;
    const passed = apply(d, timerCommand(d, "deadline"), system(STAGE_1_DUE, climbs));
    expect(passed.dispute.stage).toBe(2);
    expect(passed.event.detail).toMatchObject({ automatic: true, fromStage: 1, toStage: 2 });
    const two = passed.dispute;
    const atTwo = apply(two, timerCommand(two, "deadline"), system(two.stages[1]!.dueAt!, climbs));
    expect(atTwo.dispute.stage).toBe(2);
    expect(atTwo.event.detail).toMatchObject({ automatic: false });
  });
});

describe("review-anchored informal window: IRO guidance 2, 'within 5 working days following the review date'", () => {
  const guidance = builtInProcedures["iro-guidance-three-stage"]!;

  it("the informal stage is due 5 working days after the review, not after the raise", () => {
    // Review on Monday 1 February; raised on Wednesday 3rd: due Monday 8 February, not Wednesday 10th.
    const { dispute } = apply(undefined, raise({ startStage: 0, reviewDate: "2027-02-01" }, guidance), ctx(WED_3_FEB, iro, guidance));
    expect(dispute.stages[0]).toMatchObject({ stage: 0, receivedAt: "2027-02-03T10:00:00.000Z", dueAt: "2027-02-08T17:00:00.000Z", responseDays: 5 });
  });

  it("without a review date, with a review still to come, or with the window over, the raise is refused", () => {
    expect(rejected(undefined, raise({ startStage: 0 }, guidance), ctx(WED_3_FEB, iro, guidance)).message).toBe(
      "Linked review date: this procedure counts the informal stage from the review, so give the review date.",
    );
    expect(rejected(undefined, raise({ startStage: 0, reviewDate: "2027-02-04" }, guidance), ctx(WED_3_FEB, iro, guidance)).message).toBe(
      "Linked review date: Thursday 4 February 2027 is in the future; the informal stage is counted from a review that has been held.",
    );
    expect(rejected(undefined, raise({ startStage: 0, reviewDate: "2027-01-20" }, guidance), ctx(WED_3_FEB, iro, guidance)).message).toBe(
      "Linked review date: the informal stage ran 5 working days from the review on Wednesday 20 January 2027 and ended on Wednesday 27 January 2027; start at a formal stage.",
    );
  });

  it("formal stages are counted from the raise, whatever the review date", () => {
    const { dispute } = apply(undefined, raise({ startStage: 1, reviewDate: "2027-01-20" }, guidance), ctx(MON_1_FEB, iro, guidance));
    expect(dispute.stages[0]!.dueAt).toBe("2027-02-08T17:00:00.000Z");
  });
});

describe("meetings at any stage on request, and the record of the meeting held", () => {
  const d = apply(undefined, raise(), ctx(MON_1_FEB)).dispute;

  it("the IRO asks for a meeting at stage 1: the team manager chairs it, the IRO and the service manager are invited, by the stage's due date", () => {
    const { dispute, effects, event } = apply(d, { action: "request-meeting", invite: ["service-manager"] }, ctx(TUE_2_FEB));
    expect(effects.filter((e) => e.kind === "meeting")).toEqual([
      { kind: "meeting", id: "D-1:2:1", disputeId: "D-1", stage: 1, chair: megan, invitees: [alex, adele], by: STAGE_1_DUE, subject: "Dispute D-1: meeting at stage 1", requested: true },
    ]);
    expect(dispute.meetings).toEqual([{ stage: 1, requestedBy: alex, at: "2027-02-02T11:00:00.000Z", chair: megan, invitees: [alex, adele], by: STAGE_1_DUE }]);
    expect(event.detail).toMatchObject({ stage: 1, invited: ["service-manager"] });
    expect(dispute.state).toBe("awaiting-response");
  });

  it("a role nobody holds, a day that is not a working day, or one already past is refused", () => {
    const thin = { ...ctx(TUE_2_FEB), roster: demoRoster };
    const noSm = apply(undefined, raise({}, redbridge), { ...ctx(MON_1_FEB, iro, redbridge), roster: withoutRole("service-manager") }).dispute;
    expect(rejected(noSm, { action: "request-meeting", invite: ["service-manager"] }, ctx(TUE_2_FEB, iro, redbridge)).message).toBe("Also invite: nobody holds the Service Manager (where applicable) role on dispute D-1.");
    expect(rejected(d, { action: "request-meeting", by: "2027-02-06" }, thin).message).toBe("To be held by: Saturday 6 February 2027 is not a working day. Nothing was changed.");
    expect(rejected(d, { action: "request-meeting", by: "2027-02-02" }, thin).message).toBe("To be held by: Tuesday 2 February 2027 is not after today (Tuesday 2 February 2027); the meeting must be held after today. Nothing was changed.");
  });

  it("the meeting held is recorded as its own part of the record: who chaired, who attended, the minutes and the outcome", () => {
    const asked = apply(d, { action: "request-meeting", invite: ["service-manager"] }, ctx(TUE_2_FEB)).dispute;
    const held = apply(
      asked,
      { action: "record-meeting", heldOn: "2027-02-03", chair: "team-manager", attended: ["iro", "team-manager", "service-manager"], minutes: "Allocation discussed.", outcome: "A social worker is allocated from Monday." },
      ctx(WED_3_FEB, as(megan)),
    );
    expect(held.dispute.meetings![0]!.held).toEqual({
      on: "2027-02-03",
      chair: megan,
      attendees: [alex, megan, adele],
      minutes: "Allocation discussed.",
      outcome: "A social worker is allocated from Monday.",
      recordedBy: megan,
      at: "2027-02-03T10:00:00.000Z",
    });
    expect(held.event).toMatchObject({ action: "record-meeting", detail: { heldOn: "2027-02-03", outcome: "A social worker is allocated from Monday." } });
    // Recorded once: a second record has no meeting waiting.
    expect(rejected(held.dispute, { action: "record-meeting", heldOn: "2027-02-03", chair: "iro", attended: ["iro"], minutes: "Again.", outcome: "Again." }, ctx(WED_3_FEB)).code).toBe("conflict");
  });

  it("a meeting not asked for, or not yet held, cannot be recorded; someone with no part in the dispute cannot ask for one", () => {
    expect(rejected(d, { action: "record-meeting", heldOn: "2027-02-01", chair: "iro", attended: ["iro"], minutes: "M.", outcome: "O." }, ctx(TUE_2_FEB)).message).toBe(
      "No meeting is waiting to be recorded at stage 1 of dispute D-1: ask for one first. Nothing was changed.",
    );
    const asked = apply(d, { action: "request-meeting" }, ctx(TUE_2_FEB)).dispute;
    expect(rejected(asked, { action: "record-meeting", heldOn: "2027-02-04", chair: "iro", attended: ["iro"], minutes: "M.", outcome: "O." }, ctx(TUE_2_FEB)).message).toBe(
      "Held on: Thursday 4 February 2027 is in the future; record a meeting once it has been held. Nothing was changed.",
    );
    expect(rejected(d, { action: "request-meeting" }, ctx(TUE_2_FEB, as(isaiah))).code).toBe("forbidden");
  });

  it("a meeting stage (Redbridge 2.3, stages 4 to 6) keeps its meeting in the record, for its chair and attendees", () => {
    const atFour = apply(undefined, raise({ startStage: 4 }, redbridge), ctx(MON_1_FEB, iro, redbridge)).dispute;
    const patti = demoRoster["chief-children-families-officer"]!;
    expect(atFour.meetings).toEqual([{ stage: 4, at: "2027-02-01T10:00:00.000Z", chair: patti, invitees: expect.arrayContaining([alex]), by: "2027-02-08T17:00:00.000Z" }]);
    const held = apply(atFour, { action: "record-meeting", heldOn: "2027-02-03", chair: "chief-children-families-officer", attended: ["chief-children-families-officer", "iro", "iro-service-manager"], minutes: "Minuted independently.", outcome: "Placement funded." }, ctx(WED_3_FEB, as(patti), redbridge));
    expect(held.dispute.meetings![0]!.held).toMatchObject({ chair: patti, attendees: [patti, alex, quinn] });
  });
});

describe("the child's voice at each escalation and at resolution", () => {
  const d = apply(undefined, raise(), ctx(MON_1_FEB)).dispute;
  const voice = { told: true, wishesAndFeelings: "J.S. wants to stay with their foster carers.", advocacyOffered: true, routesExplained: false };

  it("is kept on the dispute and in the audit event, with the stage it was recorded at", () => {
    const up = apply(d, { action: "escalate", rationale: "No reply.", childVoice: voice }, ctx(WED_3_FEB));
    expect(up.event.detail).toMatchObject({ fromStage: 1, toStage: 2, childVoice: voice });
    const done = apply(up.dispute, { action: "resolve", outcome: "Allocated.", childVoice: { told: true, advocacyOffered: false, routesExplained: true } }, ctx(WED_3_FEB));
    expect(done.dispute.childVoice).toEqual([
      { stage: 1, on: "escalate", ...voice, by: alex, at: "2027-02-03T10:00:00.000Z" },
      { stage: 2, on: "resolve", told: true, advocacyOffered: false, routesExplained: true, by: alex, at: "2027-02-03T10:00:00.000Z" },
    ]);
  });

  it("is optional, and strict: a misspelt field is refused by name", () => {
    expect(apply(d, { action: "escalate", rationale: "No reply." }, ctx(WED_3_FEB)).dispute.childVoice).toBeUndefined();
    const bad = { ...voice, advocacyOfered: true } as unknown as typeof voice;
    expect(rejected(d, { action: "escalate", rationale: "No reply.", childVoice: bad }, ctx(WED_3_FEB)).message).toBe('"childVoice.advocacyOfered" is not a field of this form (misspelt?); nothing was changed.');
  });
});

describe("the review-decision window: Redbridge 2.2, the team manager ratifies the review's recommendations within 5 working days", () => {
  // The review was on Monday 1 February 2027; the IRO opens the window on Tuesday.
  const opened = () => apply(undefined, raise({ ratification: true, reviewDate: "2027-02-01" }, redbridge), ctx(TUE_2_FEB, iro, redbridge));

  it("is an alert of its own to the team manager, due 5 working days after the review", () => {
    const { dispute, event, effects } = opened();
    expect(dispute).toMatchObject({ ratification: true, stage: 0, state: "informal", reviewDate: "2027-02-01" });
    expect(dispute.stages[0]).toMatchObject({ title: "Ratification of the review's recommendations", role: "team-manager", assignee: megan, dueAt: "2027-02-08T17:00:00.000Z", responseDays: 5 });
    expect(event.detail).toMatchObject({ ratification: true, reviewDate: "2027-02-01", contestStage: 2 });
    expect(notices(effects).filter((n) => n.notice === "alert")).toEqual([{ notice: "alert", to: megan.displayName, role: "team-manager", channel: "teams" }]);
    expect(dispute.capDueAt).toBeUndefined();
  });

  it("not contested in time, the recommendations stand as decisions and the alert closes", () => {
    const d = opened().dispute;
    const stood = apply(d, timerCommand(d, "deadline"), system("2027-02-08T17:00:00Z", redbridge));
    expect(stood.dispute.state).toBe("resolved");
    expect(stood.dispute.outcome?.text).toBe("Not contested by Megan Bowen within 5 working days of the review: the review's recommendations stand as decisions.");
    expect(stood.event.detail).toMatchObject({ automatic: true, recommendationsStand: true });
    expect(stood.dispute.timers).toEqual([]);
  });

  it("contested, the IRO escalates to stage 2 (or stage 3 where there is no service manager), never stage 1", () => {
    const d = opened().dispute;
    const contested = apply(d, { action: "respond", response: "Recommendation 3 is not agreed: no budget for the placement." }, ctx(WED_3_FEB, as(megan), redbridge)).dispute;
    expect(rejected(contested, { action: "escalate", rationale: "Not agreed.", toStage: 1 }, ctx(WED_3_FEB, iro, redbridge)).message).toBe(
      "Escalate to: contested review recommendations go to stage 2 or above, as the procedure says.",
    );
    expect(apply(contested, { action: "escalate", rationale: "Recommendation 3 not agreed." }, ctx(WED_3_FEB, iro, redbridge)).dispute.stage).toBe(2);
    const noSm = apply(undefined, raise({ ratification: true, reviewDate: "2027-02-01" }, redbridge), { ...ctx(TUE_2_FEB, iro, redbridge), roster: withoutRole("service-manager") }).dispute;
    expect(apply(noSm, { action: "escalate", rationale: "Not agreed." }, ctx(WED_3_FEB, iro, redbridge)).dispute.stage).toBe(3);
  });

  it("needs a held review and a procedure with the window", () => {
    expect(rejected(undefined, raise({ ratification: true }, redbridge), ctx(TUE_2_FEB, iro, redbridge)).message).toBe(
      "Linked review date: this procedure counts the review-decision window from the review, so give the review date.",
    );
    expect(rejected(undefined, raise({ ratification: true, reviewDate: "2027-02-01" }), ctx(TUE_2_FEB)).message).toBe(
      "London Borough of Lambeth's procedure has no review-decision window.",
    );
  });
});

describe("product defaults are marked in the files and shown to users as defaults", () => {
  it("the stages whose role or timescale the document leaves open say so, and the raise form shows it", () => {
    const marked = Object.values(builtInProcedures).flatMap((p) => p.stages.filter((s) => s.productDefault).map((s) => `${p.id} ${s.stage}`));
    expect(marked).toEqual(["redbridge 4", "redbridge 5", "redbridge 6", "iro-guidance-three-stage 1", "iro-guidance-three-stage 2", "iro-guidance-three-stage 3", "cumberland 1", "cumberland 2", "cumberland 3", "cumberland 4"]);
    for (const p of Object.values(builtInProcedures)) for (const s of p.stages.filter((x) => x.productDefault)) expect(s.source, `${p.id} stage ${s.stage}`).toMatch(/product default/);
    const choices = JSON.stringify(raiseForm({ procedure: cumberland, teams: [] }));
    expect(choices).toContain("Stage 1 · Team Manager · 5 working days (product default)");
    expect(JSON.stringify(raiseForm({ procedure: lambeth, teams: [] }))).not.toContain("product default");
  });
});
