import { describe, expect, it } from "vitest";
import type { Command } from "../../../shared/dispute/commands";
import { alertCard } from "../../../shared/cards/alertCard";
import { renderNotice } from "../../../shared/messages/notices";
import { raisesExceptionAs } from "../../../shared/dispute/lifecycle/exceptionRaisers";
import { builtInProcedures } from "../../../shared/procedures/index";
import { apply, ctx, details, lambeth, procedure } from "../../fixtures/disputes";
import { MON_1_FEB, TUE_2_FEB, notices, rejected } from "../../fixtures/lifecycle";
import { alex, as, demoRoster, lynne, megan, qa, quinn, sam } from "../../fixtures/people";

const exception = (exceptionKind = "child-death"): Command => {
  const { startStage: _s, timescaleDays: _t, ...rest } = details({ category: "safeguarding", reason: "cp-plan-delay" });
  return { action: "raise-exception", disputeId: "D-1", tenantId: "t-demo", exceptionKind, details: rest };
};
const lambethRaisedBy = (raisedBy: string[], notifyWhenNotIro?: string[]) =>
  procedure({ ...lambeth, exceptions: { ...lambeth.exceptions, raisedBy, ...(notifyWhenNotIro ? { notifyWhenNotIro } : {}) } });

describe("Lambeth 9: an exception is raised by whoever first comes to know", () => {
  const teamManager = as(megan);
  const { dispute, event, effects } = apply(undefined, exception(), ctx(MON_1_FEB, teamManager));

  it("a team manager with no IRO capability raises it: straight to the DCS at stage 5, marked as raised by staff", () => {
    expect(dispute.stage).toBe(5);
    expect(dispute.raisedBy).toEqual(megan);
    expect(dispute.exception).toEqual({ kind: "child-death", declaredAt: "2027-02-01T10:00:00.000Z", raisedAs: "staff" });
    expect(event).toMatchObject({ action: "raise-exception", actor: megan, detail: { exception: "child-death", raisedAs: "staff", startStage: 5 } });
  });

  it("the DCS and the LSCP are told at once, and the QA service too, so an IRO can take it on", () => {
    expect(notices(effects)).toEqual([
      { notice: "alert", to: "Lynne Robbins", role: "dcs", channel: "teams" },
      { notice: "exception", to: "Lynne Robbins", role: "dcs", channel: "mail" },
      { notice: "exception", to: "LSCP business unit", role: "lscp", channel: "mail" },
      { notice: "exception", to: "AD Quality Assurance", role: "ad-quality-assurance", channel: "mail" },
      { notice: "exception", to: "Quinn QA", role: "iro-service-manager", channel: "mail" },
    ]);
    expect(event.detail).toMatchObject({ told: ["dcs", "lscp", "ad-quality-assurance", "iro-service-manager"] });
  });

  it("the notice says who first came to know, not that an IRO raised it", () => {
    const to = effects.find((e) => e.kind === "notify" && e.notice === "exception" && e.to.id === lynne.id)!;
    const text = renderNotice({ notice: "exception", dispute, to: lynne, role: "dcs" }).text;
    expect(to).toBeDefined();
    expect(text).toContain("Megan Bowen, who first came to know, raised dispute D-1 as an exception (child death)");
    expect(text).not.toContain("the IRO, raised");
  });

  it("an IRO raising one is told of as the IRO, and QA is not told beyond what the procedure names", () => {
    const byIro = apply(undefined, exception(), ctx(MON_1_FEB));
    expect(byIro.dispute.exception).toEqual({ kind: "child-death", declaredAt: "2027-02-01T10:00:00.000Z" });
    expect(notices(byIro.effects).map((n) => n.role)).toEqual(["dcs", "dcs", "lscp"]);
    expect(renderNotice({ notice: "exception", dispute: byIro.dispute, to: lynne, role: "dcs" }).text).toContain("Alex Wilber, the IRO, raised dispute D-1");
  });

  it("the DCS's card says who decides: the person who raised it, or QA, not an IRO", () => {
    const card = JSON.stringify(
      alertCard({ dispute, history: [event], plan: null, viewer: "assignee", actions: ["respond"], labels: { category: "Safeguarding", reason: "CP plan delay" }, workingDaysLeft: 4, refreshUserIds: [] }),
    );
    expect(card).toContain("Megan Bowen, who raised it, or the QA service then decides what happens next.");
    expect(card).not.toContain("the IRO, then decides");
  });

  it("the QA service decides on it with the person who raised it; the holder answers as usual", () => {
    const resolved = apply(dispute, { action: "resolve", outcome: "Strategy meeting held; the LSCP leads the review." }, ctx(TUE_2_FEB, qa));
    expect(resolved.dispute.state).toBe("resolved");
    const answered = apply(dispute, { action: "respond", response: "Rapid review called for Wednesday." }, ctx(TUE_2_FEB, as(lynne)));
    expect(answered.dispute.state).toBe("awaiting-decision");
  });
});

describe("a procedure narrows who may raise an exception, and routes it", () => {
  it("IROs only: a team manager is refused, naming who may, and nothing changes", () => {
    const p = lambethRaisedBy(["iro"]);
    const r = rejected(undefined, exception(), ctx(MON_1_FEB, as(megan), p));
    expect(r).toEqual({ code: "forbidden", message: "London Borough of Lambeth's procedure lets an IRO or CP chair raise an exception, and you are not among them." });
    expect(apply(undefined, exception(), ctx(MON_1_FEB, as(alex, "iro"), p)).dispute.exception?.raisedAs).toBeUndefined();
  });

  it("a named role: the team manager for the child's team may, the social worker may not", () => {
    const p = lambethRaisedBy(["iro", "team-manager"]);
    expect(apply(undefined, exception(), ctx(MON_1_FEB, as(megan), p)).dispute.exception?.raisedAs).toBe("team-manager");
    const r = rejected(undefined, exception(), ctx(MON_1_FEB, as(sam), p));
    expect(r.code).toBe("forbidden");
    expect(r.message).toContain("an IRO or CP chair or the Team Manager");
  });

  it("the QA service: raised as QA, and told whom the procedure names instead of the QA service", () => {
    const p = lambethRaisedBy(["qa"], ["director-csc"]);
    const r = apply(undefined, exception("media-attention"), ctx(MON_1_FEB, as(quinn, "qa"), p));
    expect(r.dispute.exception?.raisedAs).toBe("qa");
    expect(notices(r.effects).filter((n) => n.notice === "exception").map((n) => n.role)).toEqual(["dcs", "lscp", "director-csc"]);
    expect(renderNotice({ notice: "exception", dispute: r.dispute, to: lynne, role: "dcs" }).text).toContain("Quinn QA, of the QA service, raised dispute D-1");
    expect(rejected(undefined, exception(), ctx(MON_1_FEB, as(alex, "iro"), p)).code).toBe("forbidden");
  });

  it("a procedure file naming an unknown key under exceptions is refused, naming it", () => {
    expect(() => procedure({ ...lambeth, exceptions: { ...lambeth.exceptions, raisedby: ["staff"] } })).toThrow("exceptions.raisedby: is not a field here (misspelt?)");
    expect(() => procedure({ ...lambeth, exceptions: { ...lambeth.exceptions, raisedBy: [] } })).toThrow("exceptions.raisedBy");
  });

  it("each shipped procedure lets anyone in the authority raise one, as Lambeth 9 says (the others by the product's default)", () => {
    expect(lambeth.exceptions.raisedBy).toEqual(["staff"]);
    for (const p of Object.values(builtInProcedures)) {
      expect(raisesExceptionAs(p, as(sam), demoRoster), p.id).toBe("staff");
      expect(raisesExceptionAs(p, as(alex, "iro"), demoRoster), p.id).toBe("iro");
    }
  });
});
