import { describe, expect, it } from "vitest";
import { DisputeSchema } from "../../../shared/dispute/disputeSchema";
import { decide } from "../../../shared/dispute/lifecycle";
import { builtInProcedures } from "../../../shared/procedures";
import { apply, ctx, lambeth } from "../../fixtures/disputes";
import { answeredOnTuesday, cumberland, rejected } from "../../fixtures/lifecycle";
import { alex, as, iro, isaiah, megan, quinn } from "../../fixtures/people";
import { notices, raiseCommand } from "../scenarios/walk";

const iroGuidance = builtInProcedures["iro-guidance-three-stage"]!;
const GUARDIAN = { name: "Priya Shah", email: "priya.shah@cafcass.example" };
const SOLICITOR = { name: "Tom Reed", email: "t.reed@reedlaw.example" };
const MON = "2027-02-01T10:00:00Z";
const TUE = "2027-02-02T10:00:00Z";
const WED = "2027-02-03T10:00:00Z";

const raiseIn = (p = cumberland, childContacts?: { guardian?: typeof GUARDIAN; solicitor?: typeof SOLICITOR; inProceedings?: boolean }) =>
  apply(undefined, raiseCommand(p, childContacts ? { childContacts } : {}), ctx(MON, iro, p));

describe("Cumberland, ORP referral: the child's Guardian is told of any matter in the ORP, once", () => {
  it("named at the raise, the Guardian is mailed (never Teams) with the occasion; the solicitor, whom the ORP does not name, is recorded but not told", () => {
    const { dispute, effects } = raiseIn(cumberland, { guardian: GUARDIAN, solicitor: SOLICITOR });
    expect(dispute.childContacts).toEqual({ guardian: GUARDIAN, solicitor: SOLICITOR, inProceedings: false });
    const mail = effects.filter((e) => e.kind === "notify" && e.notice === "child-contact");
    expect(mail).toEqual([expect.objectContaining({ to: { id: "child-contact-guardian", upn: GUARDIAN.email, displayName: GUARDIAN.name }, role: "guardian", channel: "mail", on: "raise" })]);
    // Not in proceedings: LA solicitors are not asked to tell a court.
    expect(notices(effects).map(([n]) => n)).not.toContain("court-notice");
  });

  it("named after the raise, the Guardian is told then; saving the same Guardian again tells nobody; a new Guardian is told", () => {
    const raised = raiseIn().dispute;
    expect(raised.told).toBeUndefined();
    const named = apply(raised, { action: "set-child-contacts", guardian: GUARDIAN }, ctx(TUE));
    expect(notices(named.effects)).toEqual([["child-contact", GUARDIAN.email, "mail"]]);
    expect(named.event.detail).toEqual({ guardian: true, solicitor: false, inProceedings: false, toldBeyond: [{ as: "guardian", why: "child-contact" }] });
    const again = apply(named.dispute, { action: "set-child-contacts", guardian: GUARDIAN, solicitor: SOLICITOR }, ctx(WED));
    expect(notices(again.effects)).toEqual([]);
    expect(again.dispute.childContacts).toEqual({ guardian: GUARDIAN, solicitor: SOLICITOR, inProceedings: false });
    const replaced = apply(again.dispute, { action: "set-child-contacts", guardian: { name: "Ann Cole", email: "ann.cole@cafcass.example" } }, ctx(WED));
    expect(notices(replaced.effects)).toEqual([["child-contact", "ann.cole@cafcass.example", "mail"]]);
    // The solicitor was left out of the command, so stays; null removes them.
    expect(replaced.dispute.childContacts?.solicitor).toEqual(SOLICITOR);
    expect(apply(replaced.dispute, { action: "set-child-contacts", solicitor: null }, ctx(WED)).dispute.childContacts).toEqual({ guardian: { name: "Ann Cole", email: "ann.cole@cafcass.example" }, inProceedings: false });
    expect(() => DisputeSchema.parse(replaced.dispute)).not.toThrow();
  });

  it("the 'in proceedings' flag brings the court rule in: LA solicitors are told when it is set, once", () => {
    const raised = raiseIn(cumberland, { guardian: GUARDIAN }).dispute;
    const flagged = apply(raised, { action: "set-child-contacts", inProceedings: true }, ctx(TUE));
    expect(notices(flagged.effects)).toEqual([["court-notice", "legal@example.com", "mail"]]);
    expect(flagged.dispute.told?.map((t) => [t.why, t.as, t.at])).toEqual([
      ["child-contact", "guardian", "2027-02-01T10:00:00.000Z"],
      ["court", "la-solicitor", "2027-02-02T10:00:00.000Z"],
    ]);
    expect(notices(apply(flagged.dispute, { action: "set-child-contacts", inProceedings: true }, ctx(WED)).effects)).toEqual([]);
  });

  it("only the IRO or QA names the child's contacts, only while the dispute is open, and never with nothing to change", () => {
    const raised = raiseIn().dispute;
    expect(rejected(raised, { action: "set-child-contacts", guardian: GUARDIAN }, ctx(TUE, as(megan)))).toEqual({
      code: "forbidden",
      message: "Only Alex Wilber, who raised dispute D-1, or the QA service can name the child's Guardian or solicitor on it.",
    });
    expect(rejected(raised, { action: "set-child-contacts" }, ctx(TUE)).message).toBe(
      "Nothing to change: give the Children's Guardian, the child's solicitor or whether the child is in proceedings.",
    );
    const resolved = apply(raised, { action: "resolve", outcome: "Allocated." }, ctx(TUE)).dispute;
    expect(rejected(resolved, { action: "set-child-contacts", guardian: GUARDIAN }, ctx(WED)).code).toBe("conflict");
  });

  it("a contact is a name and an email address, nothing else: a bad address or an unknown field is refused, naming it", () => {
    expect(rejected(undefined, raiseCommand(cumberland, { childContacts: { guardian: { name: "Priya Shah", email: "priya" }, inProceedings: false } }), ctx(MON, iro, cumberland)).message).toBe(
      "Children's Guardian: email address: must be an email address.",
    );
    const extra = { childContacts: { guardian: { ...GUARDIAN, phone: "0123" }, inProceedings: false } } as never;
    expect(rejected(undefined, raiseCommand(cumberland, extra), ctx(MON, iro, cumberland)).message).toBe('"details.childContacts.guardian.phone" is not a field of this form (misspelt?); nothing was changed.');
  });
});

describe("IRO guidance notes (product default): the Guardian is told of a CAFCASS referral while the child is in proceedings", () => {
  it("in proceedings: told when the referral is made, not at the raise nor at the intention", () => {
    const raised = raiseIn(iroGuidance, { guardian: GUARDIAN, inProceedings: true });
    expect(notices(raised.effects).map(([n]) => n)).not.toContain("child-contact");
    const referred = apply(raised.dispute, { action: "refer", to: "cafcass", reasons: "Care plan not implemented." }, ctx(TUE, iro, iroGuidance));
    expect(notices(referred.effects).filter(([n]) => n === "child-contact")).toEqual([["child-contact", GUARDIAN.email, "mail"]]);
    expect(referred.effects.find((e) => e.kind === "notify" && e.notice === "child-contact")).toMatchObject({ on: "cafcass-referral" });
  });

  it("not in proceedings: the Guardian is not told", () => {
    const raised = raiseIn(iroGuidance, { guardian: GUARDIAN });
    const referred = apply(raised.dispute, { action: "refer", to: "cafcass", reasons: "Care plan not implemented." }, ctx(TUE, iro, iroGuidance));
    expect(notices(referred.effects).map(([n]) => n)).not.toContain("child-contact");
  });
});

describe("Cumberland, ORP referral: the chain, the manager tells the AD and the senior manager", () => {
  it("the relayed notice names the manager as who told them; an LSCP referral, which the ORP does not chain, relays nothing", () => {
    const raised = raiseIn().dispute;
    const intended = apply(raised, { action: "intend-referral", to: "cafcass", reasons: "Delay." }, ctx(TUE, iro, cumberland));
    const relayed = intended.effects.filter((e) => e.kind === "notify" && e.toldBy);
    expect(relayed).toEqual([expect.objectContaining({ notice: "referral-intended", to: isaiah, role: "assistant-director", channel: "mail", toldBy: { person: quinn, role: "iro-service-manager" } })]);
    expect(intended.dispute.told).toEqual([{ on: "cafcass-referral", as: "assistant-director", to: isaiah, by: quinn, why: "chain", stage: 1, at: "2027-02-02T10:00:00.000Z" }]);
    const lscp = apply(raised, { action: "refer", to: "lscp", reasons: "Multi-agency." }, ctx(TUE, iro, cumberland));
    expect(lscp.effects.filter((e) => e.kind === "notify" && e.toldBy)).toEqual([]);
  });
});

describe("Lambeth 7: a referral follows consultation with senior management", () => {
  const intended = apply(answeredOnTuesday(), { action: "intend-referral", to: "lscp", reasons: "Multi-agency failure." }, ctx(WED));

  it("the referral is refused, plainly, until the consultation is recorded; one consultation serves CAFCASS and the LSCP", () => {
    expect(rejected(intended.dispute, { action: "refer", to: "lscp" }, ctx(WED))).toEqual({
      code: "conflict",
      message: "The procedure asks that Senior management (7, CAFCASS/LSCP, and Annex B, Stage 5) be consulted before a referral to the LSCP: record the consultation first, with the day and the outcome. Nothing was changed.",
    });
    const consulted = apply(intended.dispute, { action: "record-consultation", consultation: "senior-management", on: "2027-02-02", outcome: "Agreed." }, ctx(WED));
    expect(consulted.dispute.consultations).toEqual([
      { id: "senior-management", label: "Senior management", before: ["cafcass-referral", "lscp-referral"], on: "2027-02-02", outcome: "Agreed.", by: alex, at: "2027-02-03T10:00:00.000Z" },
    ]);
    expect(consulted.event.action).toBe("record-consultation");
    expect(apply(consulted.dispute, { action: "refer", to: "lscp" }, ctx(WED)).dispute.referrals.at(-1)?.madeAt).toBe("2027-02-03T10:00:00.000Z");
  });

  it("a consultation the procedure does not ask for, or one in the future, is refused naming the field", () => {
    expect(rejected(intended.dispute, { action: "record-consultation", consultation: "the-mayor", on: "2027-02-02", outcome: "Agreed." }, ctx(WED))).toEqual({
      code: "invalid",
      message: 'Consulted: "the-mayor" is not a consultation in this dispute\'s procedure; choose one of senior-management.',
      field: "consultation",
    });
    expect(rejected(intended.dispute, { action: "record-consultation", consultation: "senior-management", on: "2027-02-04", outcome: "Agreed." }, ctx(WED))).toMatchObject({ code: "invalid", field: "on" });
    const cumberlandDispute = raiseIn().dispute;
    expect(rejected(cumberlandDispute, { action: "record-consultation", consultation: "senior-management", on: "2027-02-01", outcome: "Agreed." }, ctx(TUE, iro, cumberland)).message).toMatch(/it asks for no consultation/);
  });

  it("a procedure with no consultation refers as before", () => {
    const d = decide(raiseIn(iroGuidance).dispute, { action: "refer", to: "cafcass", reasons: "Breach." }, ctx(TUE, iro, iroGuidance));
    expect(d.ok).toBe(true);
  });

  it("Lambeth asks for no Guardian or court notice: contacts are recorded, nobody is told", () => {
    const raised = apply(undefined, raiseCommand(lambeth, { childContacts: { guardian: GUARDIAN, inProceedings: true } }), ctx(MON, iro, lambeth));
    expect(notices(raised.effects).map(([n]) => n)).not.toContain("child-contact");
    expect(notices(raised.effects).map(([n]) => n)).not.toContain("court-notice");
    expect(raised.dispute.childContacts?.guardian).toEqual(GUARDIAN);
  });
});
