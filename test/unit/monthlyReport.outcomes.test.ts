/**
 * The monthly report's words beside its counts: the outcomes and their impact for children
 * (Lambeth, "Evidencing Impact"), good-practice examples (Lambeth 6, Blackburn 15) and the themes,
 * by category and by reason, rising month on month (Blackburn 15). Built from real commands.
 */
import { describe, expect, it } from "vitest";
import type { Command } from "../../shared/dispute/commands";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import type { AuditEvent } from "../../shared/dispute/events";
import type { Actor } from "../../shared/dispute/people";
import type { PositiveFeedback } from "../../shared/feedback/positiveFeedback";
import { monthlyReport, monthlyReportCsv, monthlyReportHtml } from "../../shared/reports/monthlyReport";
import { apply, ctx, details, lambeth } from "../fixtures/disputes";
import { alex, as, iro, megan, sam } from "../fixtures/people";

function world() {
  const disputes = new Map<string, Dispute>();
  const events: AuditEvent[] = [];
  const step = (id: string, now: string, actor: Actor, command: Command) => {
    const decision = apply(disputes.get(id), command, ctx(now, actor));
    disputes.set(id, decision.dispute);
    events.push(decision.event);
  };
  const raise = (id: string, now: string, overrides: Parameters<typeof details>[0] = {}) =>
    step(id, now, iro, { action: "raise", disputeId: id, tenantId: "t-demo", direction: "standard", details: details(overrides) });
  // November: one drift dispute (no care plan).
  raise("N", "2026-11-16T10:00:00Z", { category: "drift-in-care-planning", reason: "no-care-plan" });
  // December: two drift disputes (no care plan) and one statutory one; P and Q resolved in the month.
  raise("P", "2026-12-01T10:00:00Z", { category: "drift-in-care-planning", reason: "no-care-plan", child: { reference: "MOS-200001", initials: "K.L.", legalStatus: "looked-after", team: "demo-team" } });
  step("P", "2026-12-02T10:00:00Z", as(megan), { action: "respond", response: "A plan goes to panel on 9 December." });
  step("P", "2026-12-10T10:00:00Z", iro, {
    action: "resolve",
    outcome: "Care plan approved at panel on 9 December.",
    impact: "K.L. knows where they will live next year and has met their new carers.",
  });
  raise("Q", "2026-12-03T10:00:00Z", { category: "drift-in-care-planning", reason: "no-care-plan", child: { reference: "LCS-9", initials: "R.", legalStatus: "looked-after", team: "demo-team" } });
  step("Q", "2026-12-15T10:00:00Z", iro, { action: "resolve", outcome: "Plan written." });
  raise("S", "2026-12-04T10:00:00Z");
  return { events };
}

const { events } = world();
const feedback = (id: string, recordedAt: string, extra: Partial<PositiveFeedback> = {}): PositiveFeedback => ({
  id,
  tenantId: "t-demo",
  recordedBy: alex,
  recordedAt,
  source: "api",
  worker: sam,
  team: "demo-team",
  teamName: "Children in Care Team 1",
  childReference: "MOS-200001",
  feedback: "Sam's direct work with K.L. made the child's views clear at panel.",
  sentTo: [{ role: "team-manager", person: megan }],
  ...extra,
});
const positiveFeedback = [
  feedback("G-DEC001", "2026-12-08T09:00:00Z", { replies: [{ text: "Thank you: shared with Sam.", by: megan, at: "2026-12-09T09:00:00Z" }] }),
  feedback("G-NOV001", "2026-11-30T09:00:00Z"),
  feedback("G-DEC002", "2026-12-11T09:00:00Z", { worker: undefined, childReference: undefined, feedback: "The team turned the plan round in a week." }),
];
const report = monthlyReport({ month: "2026-12", events, calendar: ctx("2026-12-01T00:00:00Z").calendar, labels: lambeth, positiveFeedback });

describe("outcomes and their impact for children", () => {
  it("each dispute resolved in the month, by case reference and initials, with its outcome and the impact recorded", () => {
    expect(report.outcomes).toEqual([
      {
        disputeId: "P",
        childReference: "MOS-200001",
        childInitials: "K.L.",
        stage: "Stage 1: Team Manager",
        resolvedOn: "2026-12-10",
        outcome: "Care plan approved at panel on 9 December.",
        impact: "K.L. knows where they will live next year and has met their new carers.",
      },
      { disputeId: "Q", childReference: "LCS-9", childInitials: "R.", stage: "Stage 1: Team Manager", resolvedOn: "2026-12-15", outcome: "Plan written." },
    ]);
  });

  it("a dispute raised before the raise recorded the child is named by its id alone", () => {
    const old = events.map((e) => (e.disputeId === "Q" && e.action === "raise" ? { ...e, detail: { ...e.detail, childReference: undefined, childInitials: undefined } } : e));
    const r = monthlyReport({ month: "2026-12", events: old, calendar: ctx("2026-12-01T00:00:00Z").calendar, labels: lambeth });
    expect(r.outcomes[1]).toEqual({ disputeId: "Q", stage: "Stage 1: Team Manager", resolvedOn: "2026-12-15", outcome: "Plan written." });
    expect(monthlyReportHtml(r)).toContain("<h3>Dispute Q</h3>");
  });

  it("another month has its own outcomes, and none from December", () => {
    expect(monthlyReport({ month: "2027-01", events, calendar: ctx("2027-01-01T00:00:00Z").calendar, labels: lambeth }).outcomes).toEqual([]);
  });
});

describe("good practice, as examples", () => {
  it("the month's records only, oldest first, with who recorded it, for whom, and whether a manager replied", () => {
    expect(report.summary.positiveFeedback).toBe(2);
    expect(report.goodPractice).toEqual([
      {
        id: "G-DEC001",
        recordedOn: "2026-12-08",
        recordedBy: "Alex Wilber",
        for: "Sam Social-Worker",
        team: "Children in Care Team 1",
        childReference: "MOS-200001",
        feedback: "Sam's direct work with K.L. made the child's views clear at panel.",
        replies: 1,
      },
      { id: "G-DEC002", recordedOn: "2026-12-11", recordedBy: "Alex Wilber", for: "the whole team", team: "Children in Care Team 1", feedback: "The team turned the plan round in a week.", replies: 0 },
    ]);
  });
});

describe("themes, rising month on month", () => {
  it("by category and by reason, the same rise ordered by id: drift with no care plan rose from 1 to 2, statutory from 0 to 1", () => {
    expect(report.themes.map((t) => [t.label, t.previous, t.current, t.rise])).toEqual([
      ["Unacceptable drift in care planning", 1, 2, 1],
      ["Failure to meet LA statutory responsibilities", 0, 1, 1],
    ]);
    expect(report.reasonThemes.map((t) => [t.categoryLabel, t.reasonLabel, t.previous, t.current])).toEqual([
      ["Unacceptable drift in care planning", "No clear care plan in place", 1, 2],
      ["Failure to meet LA statutory responsibilities", "No allocated social worker", 0, 1],
    ]);
  });
});

describe("the page and the CSV", () => {
  const html = monthlyReportHtml(report);
  const csv = monthlyReportCsv(report);

  it("the page tells the outcomes, the good practice and the themes in sentences, before the tables", () => {
    expect(html).toContain("<h2 id=\"outcomes\">Outcomes and their impact for children</h2>");
    expect(html).toContain("<h3>MOS-200001 (K.L.), dispute P</h3><p>Resolved at Stage 1: Team Manager on Thursday 10 December 2026.</p>");
    expect(html).toContain("<strong>Impact for the child:</strong> K.L. knows where they will live next year and has met their new carers.");
    expect(html).toContain("No impact for the child was recorded.");
    expect(html).toContain("Good practice G-DEC001: Sam Social-Worker, Children in Care Team 1");
    expect(html).toContain("A manager replied.");
    expect(html).toContain("Sam&#39;s direct work");
    expect(html).toContain("<li>Unacceptable drift in care planning, No clear care plan in place: 2 raised, 1 the month before</li>");
    expect(html.indexOf('id="outcomes"')).toBeLessThan(html.indexOf("Summary, December 2026"));
  });

  it("the CSV has a table for each: outcomes, good practice, reasons' themes", () => {
    const lines = csv.split("\r\n");
    expect(lines).toContain("Dispute,Case reference,Initials,Resolved at,Resolved on,Outcome,Impact for the child");
    expect(lines).toContain("P,MOS-200001,K.L.,Stage 1: Team Manager,2026-12-10,Care plan approved at panel on 9 December.,K.L. knows where they will live next year and has met their new carers.");
    expect(lines).toContain("Q,LCS-9,R.,Stage 1: Team Manager,2026-12-15,Plan written.,");
    expect(lines).toContain("G-DEC002,2026-12-11,Alex Wilber,the whole team,Children in Care Team 1,,The team turned the plan round in a week.,0");
    expect(lines).toContain("Unacceptable drift in care planning,No clear care plan in place,1,2,1");
  });
});
