import { describe, expect, it } from "vitest";
import { type Dispute, currentStage } from "../../../shared/dispute/disputeSchema";
import { apply, ctx, details } from "../../fixtures/disputes";
import { TUE_2_FEB, WED_3_FEB, answeredOnTuesday, blackburn, cumberland, notices, raisedOnMonday, redbridge, rejected } from "../../fixtures/lifecycle";
import { adele, alex, as, demoRoster, iro, lynne, megan, patti, qa, quinn, sam, stranger } from "../../fixtures/people";

const THU_4_FEB = "2027-02-04T10:00:00Z";
const teamManager = as(megan);
const REASONS = "The care plan has drifted for six months despite three escalations (reg. 45).";

/** Lambeth 7: a referral follows consultation with senior management, recorded by the IRO. */
const consulted = (d: Dispute) => apply(d, { action: "record-consultation", consultation: "senior-management", on: "2027-02-03", outcome: "Agreed that a referral is needed." }, ctx(WED_3_FEB)).dispute;

describe("Lambeth: the IRO intends to refer to CAFCASS, and the DCS is told first (7, Annex A)", () => {
  const before = answeredOnTuesday();
  const { dispute: intended, event, effects } = apply(before, { action: "intend-referral", expectedVersion: 2, to: "cafcass", reasons: REASONS }, ctx(WED_3_FEB));
  const dispute = consulted(intended);

  it("the intention is recorded with who was told; the dispute stays where it is", () => {
    expect(dispute.referrals).toEqual([{ body: "cafcass", reasons: REASONS, informed: [lynne], intendedAt: "2027-02-03T10:00:00.000Z" }]);
    expect(dispute.state).toBe("awaiting-decision");
    expect(dispute.stage).toBe(1);
    expect(dispute.timers).toEqual(before.timers);
  });

  it("the audit event names the body, the reasons and the roles told", () => {
    expect(event).toMatchObject({
      action: "intend-referral",
      actor: alex,
      from: { state: "awaiting-decision", stage: 1 },
      to: { state: "awaiting-decision", stage: 1 },
      detail: { to: "cafcass", reasons: REASONS, informed: ["dcs"] },
    });
  });

  it("the DCS is mailed", () => {
    expect(notices(effects)).toEqual([{ notice: "referral-intended", to: "Lynne Robbins", role: "dcs", channel: "mail" }]);
    expect(effects.at(-1)?.kind).toBe("card-update");
  });

  it("the referral can then be made: it keeps the reasons and who was told first, and QA are told", () => {
    const made = apply(dispute, { action: "refer", to: "cafcass" }, ctx(THU_4_FEB));
    expect(made.dispute.referrals).toEqual([
      { body: "cafcass", reasons: REASONS, informed: [lynne], intendedAt: "2027-02-03T10:00:00.000Z", madeAt: "2027-02-04T10:00:00.000Z" },
    ]);
    expect(made.event).toMatchObject({ action: "refer", detail: { to: "cafcass", reasons: REASONS, informedFirst: [lynne] } });
    expect(notices(made.effects)).toEqual([
      { notice: "referral-made", to: "AD Quality Assurance", role: "ad-quality-assurance", channel: "mail" },
      { notice: "referral-made", to: "Quinn QA", role: "iro-service-manager", channel: "mail" },
    ]);
    expect(made.dispute.state).toBe("awaiting-decision");
  });

  it("the referral may give reasons of its own", () => {
    const made = apply(dispute, { action: "refer", to: "cafcass", reasons: "Updated reasons for the referral pack." }, ctx(THU_4_FEB));
    expect(made.dispute.referrals[0]!.reasons).toBe("Updated reasons for the referral pack.");
  });

  it("a second intention before referring replaces the first", () => {
    const again = apply(dispute, { action: "intend-referral", to: "cafcass", reasons: "Revised." }, ctx(THU_4_FEB)).dispute;
    expect(again.referrals).toEqual([{ body: "cafcass", reasons: "Revised.", informed: [lynne], intendedAt: "2027-02-04T10:00:00.000Z" }]);
  });

  it("the intention for CAFCASS does not clear a referral to the LSCP", () => {
    const error = rejected(dispute, { action: "refer", to: "lscp", reasons: "Multi-agency failure." }, ctx(THU_4_FEB));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/before a referral to the LSCP/);
  });
});

describe("Lambeth: a referral is possible at any stage, alongside the process", () => {
  it("informal", () => {
    const d = raisedOnMonday({ startStage: 0 }).dispute;
    expect(apply(d, { action: "intend-referral", to: "lscp", reasons: REASONS }, ctx(TUE_2_FEB)).dispute.referrals).toHaveLength(1);
  });

  it("on hold", () => {
    const held = apply(answeredOnTuesday(), { action: "hold", until: "2027-02-12", actionsAgreed: "Allocate." }, ctx(WED_3_FEB)).dispute;
    const intended = apply(held, { action: "intend-referral", to: "cafcass", reasons: REASONS }, ctx(THU_4_FEB)).dispute;
    const made = apply(consulted(intended), { action: "refer", to: "cafcass" }, ctx(THU_4_FEB)).dispute;
    expect(made.state).toBe("on-hold");
    expect(made.referrals[0]!.madeAt).toBe("2027-02-04T10:00:00.000Z");
  });

  it("QA may make it", () => {
    const intended = apply(answeredOnTuesday(), { action: "intend-referral", to: "cafcass", reasons: REASONS }, ctx(WED_3_FEB, qa));
    expect(intended.event.actor).toEqual(quinn);
  });
});

describe("Lambeth: referrals that are refused", () => {
  const d = answeredOnTuesday();

  it("to CAFCASS before the DCS was told", () => {
    expect(rejected(d, { action: "refer", to: "cafcass", reasons: REASONS }, ctx(WED_3_FEB))).toEqual({
      code: "conflict",
      message: "dcs must be told before a referral to CAFCASS: record the intention to refer first. Nothing was changed.",
    });
  });

  it("twice to CAFCASS", () => {
    const intended = apply(d, { action: "intend-referral", to: "cafcass", reasons: REASONS }, ctx(WED_3_FEB)).dispute;
    const referred = apply(consulted(intended), { action: "refer", to: "cafcass" }, ctx(THU_4_FEB)).dispute;
    expect(rejected(referred, { action: "refer", to: "cafcass" }, ctx("2027-02-05T10:00:00Z"))).toEqual({
      code: "conflict",
      message: "Dispute D-1 was already referred to CAFCASS. Nothing was changed.",
    });
  });

  it("twice to CAFCASS, even with a fresh intention", () => {
    const intended = apply(d, { action: "intend-referral", to: "cafcass", reasons: REASONS }, ctx(WED_3_FEB)).dispute;
    const referred = apply(consulted(intended), { action: "refer", to: "cafcass" }, ctx(THU_4_FEB)).dispute;
    const again = apply(referred, { action: "intend-referral", to: "cafcass", reasons: "Again." }, ctx(THU_4_FEB)).dispute;
    expect(rejected(again, { action: "refer", to: "cafcass" }, ctx("2027-02-05T10:00:00Z")).message).toBe(
      "Dispute D-1 was already referred to CAFCASS. Nothing was changed.",
    );
  });

  it("by the team manager", () => {
    expect(rejected(d, { action: "intend-referral", to: "cafcass", reasons: REASONS }, ctx(WED_3_FEB, teamManager))).toEqual({
      code: "forbidden",
      message: "Only Alex Wilber, who raised dispute D-1, or the QA service can record an intended referral on it.",
    });
  });

  it("to a body that is not CAFCASS or the LSCP", () => {
    const error = rejected(d, { action: "intend-referral", to: "court" as never, reasons: REASONS }, ctx(WED_3_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toMatch(/^to: /);
  });

  it("an intention with no reasons", () => {
    expect(rejected(d, { action: "intend-referral", to: "cafcass", reasons: " " }, ctx(WED_3_FEB))).toEqual({ code: "invalid", message: "reasons: must not be empty" });
  });

  it("reasons over 4000 characters", () => {
    expect(rejected(d, { action: "intend-referral", to: "cafcass", reasons: "x".repeat(4001) }, ctx(WED_3_FEB)).message).toBe(
      "reasons: must be at most 4000 characters",
    );
  });
});

describe("Redbridge: the Chief Children and Families Officer is told before a CAFCASS referral (4)", () => {
  it("is mailed the intention", () => {
    const d = raisedOnMonday({ category: "placement", reason: "family-finding" }, redbridge).dispute;
    const { dispute, effects } = apply(d, { action: "intend-referral", to: "cafcass", reasons: REASONS }, ctx(TUE_2_FEB, iro, redbridge));
    expect(dispute.referrals[0]!.informed).toEqual([patti]);
    expect(notices(effects)).toEqual([{ notice: "referral-intended", to: "Patti Fernandez", role: "chief-children-families-officer", channel: "mail" }]);
  });
});

describe("Blackburn with Darwen: the IRO can refer to CAFCASS at any point, telling no one first (15)", () => {
  it("the referral is made at once, and the Service Manager Review and Quality is told", () => {
    const d = raisedOnMonday({ category: "care-plan", reason: "care-plan-not-prepared" }, blackburn).dispute;
    const { dispute, effects, event } = apply(d, { action: "refer", to: "cafcass", reasons: REASONS }, ctx(TUE_2_FEB, iro, blackburn));
    expect(dispute.referrals).toEqual([{ body: "cafcass", reasons: REASONS, informed: [], madeAt: "2027-02-02T11:00:00.000Z" }]);
    expect(event.detail).toMatchObject({ to: "cafcass", informedFirst: [] });
    expect(notices(effects)).toEqual([{ notice: "referral-made", to: "Quinn QA", role: "service-manager-review-quality", channel: "mail" }]);
  });
});

describe("Cumberland: the manager is told before CAFCASS, so somebody must hold the role", () => {
  it("an intention with nobody to tell is refused, naming the role", () => {
    const roster = Object.fromEntries(Object.entries(demoRoster).filter(([role]) => role !== "iro-service-manager"));
    const reason = { category: cumberland.categories[0]!.id, reason: cumberland.categories[0]!.reasons[0]!.id };
    const d = apply(undefined, { action: "raise", disputeId: "D-1", tenantId: "t-demo", direction: "standard", details: details(reason) }, { ...ctx("2027-02-01T10:00:00Z", iro, cumberland), roster }).dispute;
    expect(rejected(d, { action: "intend-referral", to: "cafcass", reasons: REASONS }, ctx(TUE_2_FEB, iro, cumberland))).toEqual({
      code: "invalid",
      message: "Nobody holds iro-service-manager for this dispute, who must be told before a referral to CAFCASS.",
    });
  });
});

describe("Lambeth: the IRO records that the child was told and offered advocacy (5)", () => {
  const before = answeredOnTuesday();
  const { dispute, event, effects } = apply(
    before,
    { action: "record-child-informed", informed: true, advocacyOffered: true, note: "Told on a visit; declined an advocate for now." },
    ctx(WED_3_FEB),
  );

  it("on the dispute, with when", () => {
    expect(dispute.childInformed).toEqual({ informed: true, advocacyOffered: true, note: "Told on a visit; declined an advocate for now.", at: "2027-02-03T10:00:00.000Z" });
    expect(dispute.state).toBe("awaiting-decision");
  });

  it("in the audit event, and on the card", () => {
    expect(event).toMatchObject({ action: "record-child-informed", detail: { informed: true, advocacyOffered: true, note: "Told on a visit; declined an advocate for now." } });
    expect(effects.map((e) => e.kind)).toEqual(["card-update"]);
  });

  it("the child not told (not in their interest), without a note", () => {
    const notTold = apply(before, { action: "record-child-informed", informed: false, advocacyOffered: false }, ctx(WED_3_FEB)).dispute;
    expect(notTold.childInformed).toEqual({ informed: false, advocacyOffered: false, at: "2027-02-03T10:00:00.000Z" });
  });

  it("after the dispute is resolved too", () => {
    const resolved = apply(before, { action: "resolve", outcome: "Allocated." }, ctx(WED_3_FEB)).dispute;
    const told = apply(resolved, { action: "record-child-informed", informed: true, advocacyOffered: true }, ctx(THU_4_FEB)).dispute;
    expect(told.state).toBe("resolved");
    expect(told.childInformed?.informed).toBe(true);
  });

  it("not by the team manager", () => {
    expect(rejected(before, { action: "record-child-informed", informed: true, advocacyOffered: true }, ctx(WED_3_FEB, teamManager))).toEqual({
      code: "forbidden",
      message: "Only Alex Wilber, who raised dispute D-1, or the QA service can record whether the child was told of it.",
    });
  });

  it("advocacy not said either way", () => {
    const error = rejected(before, { action: "record-child-informed", informed: true } as never, ctx(WED_3_FEB));
    expect(error.code).toBe("invalid");
    expect(error.message).toMatch(/^advocacyOffered: /);
  });
});

describe("Lambeth: notes on the record, from anyone taking part", () => {
  const before = answeredOnTuesday();

  it("the assignee adds a note: only the version moves; the note is in the audit event", () => {
    const { dispute, event, effects } = apply(before, { action: "add-note", note: "Panel date confirmed for the 9th." }, ctx(WED_3_FEB, teamManager));
    expect({ ...dispute, version: before.version, updatedAt: before.updatedAt, lastChange: before.lastChange }).toEqual(before);
    expect(dispute.lastChange).toEqual({ action: "add-note", by: megan, at: new Date(WED_3_FEB).toISOString() });
    expect(dispute.version).toBe(3);
    expect(event).toMatchObject({
      action: "add-note",
      actor: megan,
      from: { state: "awaiting-decision", stage: 1 },
      to: { state: "awaiting-decision", stage: 1 },
      detail: { note: "Panel date confirmed for the 9th." },
    });
    expect(effects).toEqual([]);
  });

  it("the IRO and QA add notes", () => {
    expect(apply(before, { action: "add-note", note: "Spoke to the TM." }, ctx(WED_3_FEB)).event.actor).toEqual(alex);
    expect(apply(before, { action: "add-note", note: "QA aware." }, ctx(WED_3_FEB, qa)).event.actor).toEqual(quinn);
  });

  it("an earlier stage's holder still takes part after escalation", () => {
    const escalated = apply(before, { action: "escalate", rationale: "Not resolved." }, ctx(WED_3_FEB)).dispute;
    expect(currentStage(escalated).assignee).toEqual(adele);
    expect(apply(escalated, { action: "add-note", note: "Context for the SM." }, ctx(THU_4_FEB, teamManager)).event.actor).toEqual(megan);
  });

  it("on a resolved dispute", () => {
    const resolved = apply(before, { action: "resolve", outcome: "Allocated." }, ctx(WED_3_FEB)).dispute;
    expect(apply(resolved, { action: "add-note", note: "Visit happened." }, ctx(THU_4_FEB)).dispute.state).toBe("resolved");
  });

  it("a stranger may not add a note", () => {
    expect(rejected(before, { action: "add-note", note: "Hello." }, ctx(WED_3_FEB, as(stranger)))).toEqual({
      code: "forbidden",
      message: "Only people taking part in dispute D-1 can add to it.",
    });
  });

  it("nor may the social worker, who was told of it but holds no stage", () => {
    expect(rejected(before, { action: "add-note", note: "FYI." }, ctx(WED_3_FEB, as(sam))).code).toBe("forbidden");
  });

  it("an empty note, or one over 2000 characters", () => {
    expect(rejected(before, { action: "add-note", note: "" }, ctx(WED_3_FEB))).toEqual({ code: "invalid", message: "note: must not be empty" });
    expect(rejected(before, { action: "add-note", note: "x".repeat(2001) }, ctx(WED_3_FEB))).toEqual({ code: "invalid", message: "note: must be at most 2000 characters" });
  });

  it("from a stale card", () => {
    expect(rejected(before, { action: "add-note", expectedVersion: 1, note: "Old card." }, ctx(WED_3_FEB, teamManager)).code).toBe("stale");
  });
});
