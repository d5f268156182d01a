import { describe, expect, it } from "vitest";
import { alertCard } from "../../../shared/cards/alertCard";
import { renderNotice } from "../../../shared/messages/notices";
import { childRecordDocument } from "../../../shared/reports/childRecord";
import { apply, ctx } from "../../fixtures/disputes";
import { WED_3_FEB, answeredOnTuesday, rejected } from "../../fixtures/lifecycle";
import { megan } from "../../fixtures/people";

const impact = "J.S. was visited at home on 2 February and now knows who their social worker is.";

describe("resolving records the outcome and its impact for the child", () => {
  const d = answeredOnTuesday();
  const { dispute, event } = apply(d, { action: "resolve", outcome: "A social worker is allocated and visited.", impact }, ctx(WED_3_FEB));

  it("the outcome and the impact are kept on the dispute and in the audit event", () => {
    expect(dispute.outcome).toMatchObject({ text: "A social worker is allocated and visited.", impact });
    expect(event.detail).toEqual({ stage: 1, outcome: "A social worker is allocated and visited.", impact });
  });

  it("without an impact the outcome stands alone, as before", () => {
    const r = apply(d, { action: "resolve", outcome: "Allocated." }, ctx(WED_3_FEB));
    expect(r.dispute.outcome).not.toHaveProperty("impact");
    expect(r.event.detail).toEqual({ stage: 1, outcome: "Allocated." });
  });

  it("strict: an empty impact or a misspelt field is refused naming it, and nothing changes", () => {
    expect(rejected(d, { action: "resolve", outcome: "Allocated.", impact: "  " }, ctx(WED_3_FEB)).message).toBe("Impact for the child: must not be empty.");
    expect(rejected(d, { action: "resolve", outcome: "Allocated.", impacts: impact } as never, ctx(WED_3_FEB)).message).toBe('"impacts" is not a field of this form (misspelt?); nothing was changed.');
  });

  it("the card, the notice and the record label it as the impact for the child", () => {
    const card = JSON.stringify(alertCard({ dispute, history: [event], plan: null, viewer: "reader", actions: [], labels: { category: "Statutory", reason: "No social worker" }, workingDaysLeft: null, refreshUserIds: [] }));
    expect(card).toContain("Impact for the child");
    expect(card).toContain("now knows who their social worker is");
    const told = renderNotice({ notice: "resolved", dispute, to: megan, role: "team-manager" }).text;
    expect(told).toContain("Impact for the child");
    expect(told).toContain(impact);
    const record = JSON.stringify(childRecordDocument({ dispute, history: [event], labels: {}, procedureTitle: "Lambeth", generatedAt: new Date(WED_3_FEB) }));
    expect(record).toContain("Impact for the child");
    expect(record).toContain(impact);
  });

  it("the resolve form asks for it, labelled, beside the outcome", () => {
    const open = apply(undefined, { action: "raise", disputeId: "D-2", tenantId: "t-demo", direction: "standard", details: { child: { reference: "MOS-1", initials: "A.", legalStatus: "looked-after", team: "demo-team" }, category: "statutory-responsibilities", reason: "no-allocated-social-worker", concerns: "c", outcomesSought: "o" } }, ctx(WED_3_FEB)).dispute;
    const card = JSON.stringify(alertCard({ dispute: open, history: [], plan: null, viewer: "decider", actions: ["resolve"], labels: { category: "Statutory", reason: "No social worker" }, workingDaysLeft: null, refreshUserIds: [] }));
    expect(card).toContain('"id":"resolve.impact"');
    expect(card).toContain("Impact for the child (optional): what changed for them");
  });
});
