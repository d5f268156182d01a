/**
 * The printable record for the child's file: every section, from a dispute made by real commands,
 * with every piece of text escaped.
 */
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import type { Command } from "../../shared/dispute/commands";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import type { AuditEvent } from "../../shared/dispute/events";
import type { Actor } from "../../shared/dispute/people";
import { formatLondon } from "../../shared/calendar/londonTime";
import { noticeLabels } from "../../shared/messages/notices";
import { RECORD_SECTIONS, childRecordHtml, formatLocalDate } from "../../shared/reports/childRecord";
import { apply, ctx, details, lambeth, sweep } from "../fixtures/disputes";
import { adele, as, iro, lynne, megan, sam } from "../fixtures/people";

/** Times as the record writes them (London), and dates. */
const T = (iso: string) => formatLondon(iso);
const D = formatLocalDate;

const NASTY = `<script>alert("x")</script> & 'quotes'`;

function history(steps: [string, Actor, Command][]): { dispute: Dispute; events: AuditEvent[] } {
  let d: Dispute | undefined;
  const events: AuditEvent[] = [];
  for (const [now, actor, command] of steps) {
    if (d) {
      const swept = sweep(d, now);
      events.push(...swept.decisions.map((x) => x.event));
      d = swept.dispute;
    }
    const decision = apply(d, command, ctx(now, actor));
    d = decision.dispute;
    events.push(decision.event);
  }
  return { dispute: d!, events };
}

const raise: Command = {
  action: "raise",
  disputeId: "D-7",
  tenantId: "t-demo",
  direction: "standard",
  details: details({ concerns: `No social worker. ${NASTY}`, outcomesSought: `Allocate <b>now</b>.\nVisit within 10 days.`, reviewDate: "2026-12-14", childContacts: { guardian: { name: "Priya Shah", email: "priya.shah@cafcass.example" }, inProceedings: true } }),
};

/** Raised, answered, escalated, held, resumed, referred, child told, resolved. */
const full = history([
  ["2026-12-21T10:00:00Z", iro, raise],
  ["2026-12-22T11:00:00Z", as(megan), { action: "respond", response: `Allocating. ${NASTY}`, actionsAgreed: "Allocate by 24 December.", completionDate: "2026-12-24" }],
  ["2026-12-23T10:00:00Z", iro, { action: "escalate", rationale: `Not allocated: ${NASTY}` }],
  ["2026-12-24T10:00:00Z", as(adele), { action: "respond", response: "Sam is allocated." }],
  ["2026-12-29T10:00:00Z", iro, { action: "hold", until: "2027-01-06", actionsAgreed: "First visit by 6 January." }],
  ["2027-01-07T10:00:00Z", iro, { action: "resume", reason: "No visit yet." }],
  ["2027-01-07T11:00:00Z", iro, { action: "intend-referral", to: "cafcass", reasons: "Drift in allocation." }],
  ["2027-01-08T09:00:00Z", iro, { action: "record-consultation", consultation: "senior-management", on: "2027-01-07", outcome: "The head of service agrees a referral." }],
  ["2027-01-08T10:00:00Z", iro, { action: "refer", to: "cafcass" }],
  ["2027-01-08T11:00:00Z", iro, { action: "record-child-informed", informed: true, advocacyOffered: true, note: "Told at the review; wants an advocate." }],
  ["2027-01-11T10:00:00Z", as(adele), { action: "respond", response: "Visited on 9 January." }],
  ["2027-01-12T10:00:00Z", iro, { action: "resolve", outcome: `Allocated and visited. ${NASTY}` }],
]);

const labels = { ...noticeLabels(lambeth, full.dispute) };
const render = (d: Dispute, events: AuditEvent[]) =>
  childRecordHtml({ dispute: d, history: events, labels, procedureTitle: `${lambeth.authority}: ${lambeth.title}`, generatedAt: new Date("2027-01-12T12:00:00Z") });
const html = render(full.dispute, [...full.events].reverse());
const doc = new JSDOM(html).window.document;
const sectionText = (title: string) => {
  const h = [...doc.querySelectorAll("h2")].find((x) => x.textContent === title);
  return h?.parentElement?.textContent ?? "";
};

describe("a complete printable document", () => {
  it("is HTML with inline CSS for A4, and no script", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("@page{size:A4");
    expect(doc.querySelectorAll("script")).toHaveLength(0);
    expect(doc.querySelectorAll("link, img, iframe")).toHaveLength(0);
    expect(doc.title).toBe("Dispute D-7: record for MOS-100234");
  });

  it("has every section, in order", () => {
    expect([...doc.querySelectorAll("h2")].map((h) => h.textContent)).toEqual([...RECORD_SECTIONS]);
  });
});

describe("what the case system's form holds", () => {
  it("the child: reference, initials, legal status, team; nothing more", () => {
    const child = sectionText("Child");
    for (const s of ["MOS-100234", "J.S.", "Looked after", "demo-team"]) expect(child).toContain(s);
    expect(doc.querySelector("#child")!.querySelectorAll("tr")).toHaveLength(4);
  });

  it("the dispute: IRO, procedure, category and reason, review, who was told when raised", () => {
    const d = sectionText("Dispute");
    for (const s of ["D-7", "London Borough of Lambeth: Dispute resolution and Escalation Procedure", "Alex Wilber", "Failure to meet LA statutory responsibilities", "No allocated social worker", D("2026-12-14"), "Sam Social-Worker", "Resolved"]) {
      expect(d).toContain(s);
    }
    expect(d).toContain(`Social worker (${sam.displayName})`);
  });

  it("concerns and outcomes sought, as written (escaped)", () => {
    expect(sectionText("Concerns")).toContain(`No social worker. ${NASTY}`);
    expect(sectionText("Outcomes sought")).toContain("Allocate <b>now</b>.\nVisit within 10 days.");
  });

  it("every stage: recipient, received, due, answered, the answer, the decision and rationale", () => {
    const stages = [...doc.querySelectorAll("#stages article")].map((a) => a.textContent ?? "");
    // Stage 1, stage 2, then stage 2 again after the hold.
    expect(stages).toHaveLength(3);
    expect(stages[0]).toContain("Stage 1 (Team Manager)");
    expect(stages[0]).toContain("Megan Bowen, Team Manager");
    expect(stages[0]).toContain(T("2026-12-21T10:00:00Z"));
    expect(stages[0]).toContain(`${T("2026-12-29T17:00:00Z")} (4 working days)`);
    expect(stages[0]).toContain(`${T("2026-12-22T11:00:00Z")} by Megan Bowen`);
    expect(stages[0]).toContain(`Allocating. ${NASTY}`);
    expect(stages[0]).toContain("Allocate by 24 December.");
    expect(stages[0]).toContain(D("2026-12-24"));
    expect(stages[0]).toContain(`Escalated, ${T("2026-12-23T10:00:00Z")} by Alex Wilber`);
    expect(stages[0]).toContain(`Not allocated: ${NASTY}`);
    expect(stages[1]).toContain("Stage 2 (Service Manager)");
    expect(stages[1]).toContain("Adele Vance, Service Manager");
    expect(stages[1]).toContain(`Put on hold, ${T("2026-12-29T10:00:00Z")} by Alex Wilber`);
    expect(stages[2]).toContain("again, round 2");
    expect(stages[2]).toContain("Visited on 9 January.");
    expect(stages[2]).toContain(`Resolved, ${T("2027-01-12T10:00:00Z")} by Alex Wilber`);
  });

  it("holds: when, until, the actions agreed and what came next", () => {
    const holds = sectionText("Holds");
    for (const s of [`${T("2026-12-29T10:00:00Z")} by Alex Wilber`, D("2027-01-06"), "First visit by 6 January.", `Hold date reached, ${T("2027-01-06T17:00:00Z")}`]) expect(holds).toContain(s);
  });

  it("referrals, and who was told first", () => {
    const referrals = sectionText("Referrals");
    for (const s of ["CAFCASS", "Drift in allocation.", lynne.displayName, T("2027-01-07T11:00:00Z"), T("2027-01-08T10:00:00Z")]) expect(referrals).toContain(s);
  });

  it("the child's Guardian as the IRO named them, with the proceedings flag; the consultation before the referral", () => {
    const contacts = sectionText("Guardian and solicitor");
    expect(contacts).toContain("Children's GuardianPriya Shah (priya.shah@cafcass.example)");
    expect(contacts).toContain("Child's solicitorNot named");
    expect(contacts).toContain("In proceedingsYes");
    const consulted = sectionText("Told and consulted");
    for (const s of ["Senior management", formatLocalDate("2027-01-07"), "The head of service agrees a referral.", T("2027-01-08T09:00:00Z")]) expect(consulted).toContain(s);
  });

  it("whether the child was told and offered advocacy", () => {
    const told = sectionText("Child informed and advocacy");
    expect(told).toContain("Child told of the disputeYes");
    expect(told).toContain("Advocacy offeredYes");
    expect(told).toContain("Told at the review; wants an advocate.");
  });

  it("the outcome and who closed it", () => {
    const outcome = sectionText("Outcome");
    expect(outcome).toContain(`Allocated and visited. ${NASTY}`);
    expect(outcome).toContain("Resolved byAlex Wilber");
    expect(outcome).toContain(T("2027-01-12T10:00:00Z"));
  });

  it("the full chronology: one row per event, in order, with who and what", () => {
    const rows = [...doc.querySelectorAll("#chronology tbody tr")].map((r) => [...r.querySelectorAll("td")].map((c) => c.textContent));
    expect(rows).toHaveLength(full.events.length);
    const what = rows.map((r) => `${r[1]} | ${r[2]}`);
    expect(what[0]).toBe("Raised | Alex Wilber");
    expect(what.at(-1)).toBe("Resolved | Alex Wilber");
    expect(what).toContain("Hold date reached | System (timer)");
    expect(rows.find((r) => r[1] === "Escalated")![4]).toContain(`From stage 1 (team manager) to stage 2 (service manager)\nRationale: Not allocated: ${NASTY}`);
    expect(rows.find((r) => r[1] === "Referred")![4]).toContain(`Told first: ${lynne.displayName}`);
    expect(rows[0]![4]).toContain("Told: Social worker, Service Manager");
  });
});

describe("escaping", () => {
  it("no user text becomes markup", () => {
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>now</b>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;");
    expect(doc.querySelectorAll("b, script")).toHaveLength(0);
  });

  it("labels and the procedure title are escaped too", () => {
    const out = childRecordHtml({ dispute: full.dispute, history: full.events, labels: { category: "<i>c</i>", reason: "r&r" }, procedureTitle: "<u>P</u>", generatedAt: "2027-01-12T12:00:00Z" });
    expect(out).not.toMatch(/<i>|<u>/);
    expect(out).toContain("&lt;i&gt;c&lt;/i&gt;");
    expect(out).toContain("r&amp;r");
  });
});

describe("an open dispute, and a withdrawn one", () => {
  const open = history([["2026-12-21T10:00:00Z", iro, raise]]);
  const page = new JSDOM(render(open.dispute, open.events)).window.document;
  const text = (id: string) => page.querySelector(`#${id}`)!.textContent ?? "";

  it("every section is still there, saying there is nothing yet", () => {
    expect([...page.querySelectorAll("h2")].map((h) => h.textContent)).toEqual([...RECORD_SECTIONS]);
    expect(text("holds")).toContain("never put on hold");
    expect(text("referrals")).toContain("No referral to CAFCASS or the LSCP.");
    expect(text("child-informed-and-advocacy")).toContain("Not recorded");
    expect(text("outcome")).toContain("Open: Awaiting response, stage 1 (team manager).");
    expect(text("stages")).toContain("Not answered");
    expect(text("stages")).toContain("Not yet decided");
  });

  it("a withdrawn dispute says who withdrew it and why", () => {
    const w = history([
      ["2026-12-21T10:00:00Z", iro, raise],
      ["2026-12-22T10:00:00Z", iro, { action: "withdraw", reason: "Raised on the wrong child." }],
    ]);
    const out = new JSDOM(render(w.dispute, w.events)).window.document.querySelector("#outcome")!.textContent;
    expect(out).toContain("Withdrawn");
    expect(out).toContain("Raised on the wrong child.");
    expect(out).toContain("Withdrawn byAlex Wilber");
  });
});
