import { describe, expect, it } from "vitest";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import type { Effect, NoticeKind } from "../../shared/dispute/effects";
import type { Decision } from "../../shared/dispute/lifecycle";
import type { PersonRef } from "../../shared/dispute/people";
import { formatWhen } from "../../shared/calendar/londonTime";
import { escapeHtml, meetingSlot, noticeLabels, renderCalendarEntry, renderNotice } from "../../shared/messages/notices";
import { calendar, apply, ctx, lambeth, raised } from "../fixtures/disputes";
import { MON_1_FEB, TUE_2_FEB, WED_3_FEB, lambethEscalating, system, timerCommand } from "../fixtures/lifecycle";
import { adele, alex, as, demoRoster, iro, isaiah, lynne, megan, quinn } from "../fixtures/people";

/** Every kind the type allows: the compiler fails here if one is added and not listed. */
const ALL_KINDS = Object.keys({
  alert: 1,
  raised: 1,
  "stage-notice": 1,
  "response-received": 1,
  "more-time-requested": 1,
  "deadline-extended": 1,
  reminder: 1,
  "deadline-passed": 1,
  overdue: 1,
  "on-hold": 1,
  "hold-ended": 1,
  resumed: 1,
  resolved: 1,
  withdrawn: 1,
  "reassigned-away": 1,
  "referral-intended": 1,
  "referral-made": 1,
  exception: 1,
  "cap-warning": 1,
  "cap-passed": 1,
  "positive-feedback": 1,
  "feedback-reply": 1,
  "holder-away": 1,
  "child-contact": 1,
  "court-notice": 1,
} satisfies Record<NoticeKind, 1>) as NoticeKind[];

const SCRIPT = `<script>alert("x")</script>`;
const concerns = `No allocated social worker since the review on 2 December ${SCRIPT} & it's "urgent".`;
const outcomesSought = "Allocate a social worker within 5 working days <b>and</b> visit within 10.";
const REFERENCE = "MOS-100234";
const INITIALS = "J.S.";

const start = raised(MON_1_FEB, { concerns, outcomesSought });
const atStage1 = start.dispute;
const answered = apply(atStage1, { action: "respond", response: `Allocated from Monday ${SCRIPT}`, actionsAgreed: "Allocate & visit.", completionDate: "2027-02-12" }, ctx(TUE_2_FEB, as(megan)));
const held = apply(answered.dispute, { action: "hold", until: "2027-02-12", actionsAgreed: `Allocate and visit <i>now</i>` }, ctx(WED_3_FEB, iro));
const resolved = apply(answered.dispute, { action: "resolve", outcome: `Social worker allocated ${SCRIPT}` }, ctx(WED_3_FEB, iro));
const withdrawn = apply(atStage1, { action: "withdraw", reason: "Raised in error" }, ctx(TUE_2_FEB, iro));
const escalated = apply(atStage1, { action: "escalate", rationale: `No plan offered ${SCRIPT}` }, ctx(TUE_2_FEB, iro));
const moreTime = apply(atStage1, { action: "request-more-time", days: 3, reason: "Waiting for the placement team" }, ctx(TUE_2_FEB, as(megan)));
const intended = apply(atStage1, { action: "intend-referral", to: "cafcass", reasons: `Drift in care planning ${SCRIPT}` }, ctx(TUE_2_FEB, iro));
const consulted = apply(intended.dispute, { action: "record-consultation", consultation: "senior-management", on: "2027-02-02", outcome: "Agreed." }, ctx(WED_3_FEB, iro));
const referred = apply(consulted.dispute, { action: "refer", to: "cafcass" }, ctx(WED_3_FEB, iro));
const overdue = apply(atStage1, timerCommand(atStage1, "deadline"), system("2027-02-05T17:00:00.000Z"));
const exception = apply(
  undefined,
  { action: "raise-exception", disputeId: "D-9", tenantId: "t-demo", exceptionKind: "child-death", details: { child: { reference: REFERENCE, initials: INITIALS, legalStatus: "looked-after", team: "demo-team" }, category: "statutory-responsibilities", reason: "no-allocated-social-worker", concerns, outcomesSought } },
  ctx(MON_1_FEB, iro),
);
const autoEscalated = (() => {
  const d = raised(MON_1_FEB, {}, lambethEscalating).dispute;
  return apply(d, timerCommand(d, "deadline"), system("2027-02-05T17:00:00.000Z", lambethEscalating));
})();

const STATES: Record<string, Dispute> = {
  atStage1,
  answered: answered.dispute,
  held: held.dispute,
  resolved: resolved.dispute,
  withdrawn: withdrawn.dispute,
  escalated: escalated.dispute,
  moreTime: moreTime.dispute,
  intended: intended.dispute,
  referred: referred.dispute,
  overdue: overdue.dispute,
  exception: exception.dispute,
};

const labels = noticeLabels(lambeth, atStage1);
/** Friday 5 February 2027, 17:00 London, as messages write it. */
const F5 = formatWhen("2027-02-05T17:00:00Z");

/** What a subject or preview must never carry: anything about the child, anyone's name, any typed text. */
function expectNothingPersonal(line: string, d: Dispute) {
  expect(line).not.toContain(d.child.reference);
  expect(line).not.toContain(d.child.initials);
  expect(line).not.toMatch(/J\.?\s?S\b/);
  for (const person of [...Object.values(demoRoster), alex]) {
    for (const part of person.displayName.split(/\s+/)) if (part.length > 2) expect(line).not.toContain(part);
  }
  expect(line).not.toMatch(/Megan|Bowen|Alex|Wilber/);
  expect(line).not.toContain("social worker");
  expect(line).not.toContain("December");
  expect(line).not.toContain("<");
  expect(line).not.toContain(d.category);
  expect(line).not.toContain(d.reason);
  if (labels.category) expect(line).not.toContain(labels.category);
  if (labels.reason) expect(line).not.toContain(labels.reason);
  expect(line).not.toMatch(/cafcass|lscp|death|child/i);
}

describe("renderNotice: every kind, every state", () => {
  const people: PersonRef[] = [megan, alex, adele, lynne];
  for (const [state, d] of Object.entries(STATES)) {
    for (const notice of ALL_KINDS) {
      it(`${notice} on a dispute ${state}: renders, subject and preview carry only id, stage and date`, () => {
        for (const to of people) {
          const r = renderNotice({ notice, dispute: d, to, role: "team-manager", labels });
          expect(r.subject).toContain(`Dispute ${d.id}`);
          expect(r.preview).toContain(d.id);
          expectNothingPersonal(r.subject, d);
          expectNothingPersonal(r.preview, d);
          expect(r.subject.length).toBeLessThan(140);
          // The body: case reference and initials, and the typed text escaped in the HTML.
          for (const body of [r.text, r.html]) {
            expect(body).toContain(REFERENCE);
            expect(body).toContain(INITIALS);
          }
          expect(r.text).toContain(SCRIPT);
          expect(r.html).not.toContain("<script");
          expect(r.html).not.toContain("<b>and</b>");
          expect(r.html).toContain(escapeHtml(SCRIPT));
          expect(r.html).toContain("&amp; it&#39;s &quot;urgent&quot;");
          expect(r.text).toContain("in Teams (the Resolve chat) or in the Resolve tab");
        }
      });
    }
  }

  it("never throws on odd data: an unknown kind, no stages, bad dates, no labels", () => {
    const odd = { ...atStage1, stages: [], capDueAt: "not a date", referrals: [], hold: undefined } as unknown as Dispute;
    for (const notice of [...ALL_KINDS, "something-new" as NoticeKind]) {
      const r = renderNotice({ notice, dispute: odd, to: megan, role: null });
      expect(r.subject).toContain(odd.id);
      expect(r.text).toContain(atStage1.category);
    }
    const badDue = { ...atStage1, stages: [{ ...atStage1.stages[0]!, dueAt: "garbage" }] } as Dispute;
    expect(() => renderNotice({ notice: "alert", dispute: badDue, to: megan, role: null })).not.toThrow();
  });
});

describe("renderNotice: what each notice says", () => {
  it("alert: you hold dispute D-1 at stage 1 (Team Manager), answer by the London deadline", () => {
    const r = renderNotice({ notice: "alert", dispute: atStage1, to: megan, role: "team-manager", labels });
    expect(r.subject).toBe(`Dispute D-1 · stage 1 · due ${F5} · please respond`);
    expect(r.preview).toBe(`Please respond – dispute D-1, stage 1, due ${F5}`);
    expect(r.text).toContain(`You hold dispute D-1 at stage 1 (Team Manager). Please answer by ${F5} (London time).`);
    expect(r.text).toContain("Answer in Teams (the Resolve chat) or in the Resolve tab");
    expect(r.text).toContain(`Category: ${labels.category}`);
    expect(r.text).toContain(`Reason: ${labels.reason}`);
    expect(r.text).toContain("Legal status: looked after");
    expect(r.text).toContain("You receive this as the Team Manager.");
    expect(r.text).not.toContain("has moved on");
    expect(r.html).toContain("<strong>You hold dispute D-1 at stage 1 (Team Manager).");
  });

  it("without labels, the category and reason ids are shown", () => {
    const r = renderNotice({ notice: "alert", dispute: atStage1, to: megan, role: null });
    expect(r.text).toContain(`Category: ${atStage1.category}`);
    expect(r.text).toContain(`Reason: ${atStage1.reason}`);
  });

  it("a stale alert says the dispute has moved on", () => {
    const r = renderNotice({ notice: "alert", dispute: escalated.dispute, to: megan, role: "team-manager" });
    expect(r.text).toContain("Since this alert was written the dispute has moved on");
  });

  it("response-received carries the response, the actions agreed and the decision to make", () => {
    const r = renderNotice({ notice: "response-received", dispute: answered.dispute, to: alex, role: null });
    expect(r.text).toContain(`Megan Bowen answered stage 1 (Team Manager) of dispute D-1 on ${formatWhen(TUE_2_FEB)}.`);
    expect(r.text).toContain(`Allocated from Monday ${SCRIPT}`);
    expect(r.text).toContain("Allocate & visit.");
    expect(r.text).toMatch(/Proposed completion date: Fri,? 12 Feb 2027\./);
    expect(r.text).toMatch(/resolve it .*escalate it, hold it until the agreed date, or wait/);
    expect(r.html).toContain("Allocate &amp; visit.");
    expect(r.subject).toBe("Dispute D-1 · stage 1 · response received, your decision needed");
  });

  it("deadline-passed tells the IRO: escalate now, extend, or wait; overdue tells the assignee", () => {
    const toIro = renderNotice({ notice: "deadline-passed", dispute: overdue.dispute, to: alex, role: null });
    expect(toIro.text).toContain(`Stage 1 (Team Manager) of dispute D-1 was due ${F5} and Megan Bowen has not answered.`);
    expect(toIro.text).toContain("escalate now, extend the deadline, or wait");
    const toAssignee = renderNotice({ notice: "overdue", dispute: overdue.dispute, to: megan, role: "team-manager" });
    expect(toAssignee.subject).toBe("Dispute D-1 · stage 1 · Urgent: overdue");
    expect(toAssignee.text).toContain("Please answer now");
  });

  it("deadline-passed after the procedure escalated by itself says so", () => {
    const effect = autoEscalated.effects.find((e) => e.kind === "notify" && e.notice === "deadline-passed")!;
    expect(effect).toBeDefined();
    const r = renderNotice({ notice: "deadline-passed", dispute: autoEscalated.dispute, to: alex, role: null });
    expect(r.text).toContain(`stage 1 (Team Manager) of dispute D-1 was due ${F5} and Megan Bowen did not answer.`);
    expect(r.text).toContain("it was escalated by itself: it is now at stage 2 (Service Manager) with Adele Vance");
  });

  it("on-hold and hold-ended carry the agreed actions and the date; hold-ended offers close, resume or escalate", () => {
    const onHold = renderNotice({ notice: "on-hold", dispute: held.dispute, to: megan, role: "team-manager" });
    expect(onHold.subject).toMatch(/^Dispute D-1 · stage 1 · on hold until Fri,? 12 Feb 2027 · on hold$/);
    expect(onHold.text).toContain("Allocate and visit <i>now</i>");
    expect(onHold.html).toContain("Allocate and visit &lt;i&gt;now&lt;/i&gt;");
    const ended = renderNotice({ notice: "hold-ended", dispute: held.dispute, to: alex, role: null });
    expect(ended.text).toMatch(/close it as resolved, resume it at stage 1 \(Team Manager\), or escalate it/);
  });

  it("resolved carries the outcome; withdrawn the reason", () => {
    const r = renderNotice({ notice: "resolved", dispute: resolved.dispute, to: megan, role: "team-manager" });
    expect(r.text).toContain(`Dispute D-1 was resolved by Alex Wilber on ${formatWhen(WED_3_FEB)}.`);
    expect(r.text).toContain(`Social worker allocated ${SCRIPT}`);
    expect(r.html).not.toContain("<script");
    const w = renderNotice({ notice: "withdrawn", dispute: withdrawn.dispute, to: megan, role: "team-manager" });
    expect(w.text).toContain("Raised in error");
  });

  it("referral-intended: the IRO intends to refer to CAFCASS, the procedure requires you be told first, with the reasons", () => {
    const effect = intended.effects.find((e): e is Extract<Effect, { kind: "notify" }> => e.kind === "notify" && e.notice === "referral-intended")!;
    const r = renderNotice({ notice: "referral-intended", dispute: intended.dispute, to: effect.to, role: effect.role, labels });
    expect(r.text).toContain("Alex Wilber, the IRO, intends to refer dispute D-1 to CAFCASS.");
    expect(r.text).toMatch(/The procedure requires that you be told before the referral is made, as /);
    expect(r.text).toContain(`Drift in care planning ${SCRIPT}`);
    expect(r.html).toContain(`Drift in care planning ${escapeHtml(SCRIPT)}`);
    const made = renderNotice({ notice: "referral-made", dispute: referred.dispute, to: quinn, role: "iro-service-manager" });
    expect(made.text).toContain(`referred dispute D-1 to CAFCASS on ${formatWhen(WED_3_FEB)}`);
  });

  it("more-time-requested and deadline-extended", () => {
    const r = renderNotice({ notice: "more-time-requested", dispute: moreTime.dispute, to: alex, role: null });
    expect(r.text).toContain("Megan Bowen asked for 3 more working days at stage 1 (Team Manager) of dispute D-1");
    expect(r.text).toContain("Waiting for the placement team");
    const extended = apply(moreTime.dispute, { action: "extend", until: "2027-02-10", reason: "Placement team" }, ctx(WED_3_FEB, iro));
    const x = renderNotice({ notice: "deadline-extended", dispute: extended.dispute, to: megan, role: "team-manager" });
    expect(x.subject).toBe(`Dispute D-1 · stage 1 · due ${formatWhen("2027-02-10T17:00:00Z")} · deadline moved`);
  });

  it("stage-notice to the previous holder says it moved on and why", () => {
    const r = renderNotice({ notice: "stage-notice", dispute: escalated.dispute, to: megan, role: "team-manager" });
    expect(r.text).toContain("Dispute D-1 is now at stage 2 (Service Manager) with Adele Vance");
    expect(r.text).toContain("It has moved on from stage 1 (Team Manager), which you held");
    expect(r.text).toContain(`No plan offered ${SCRIPT}`);
  });

  it("exception: subject says urgent, never what happened; the body says it", () => {
    const r = renderNotice({ notice: "exception", dispute: exception.dispute, to: lynne, role: "dcs" });
    expect(r.subject).toBe(`Dispute D-9 · stage 5 · due ${formatWhen(exception.dispute.stages[0]!.dueAt!)} · Urgent: exception`);
    expect(r.text).toContain("as an exception (child death)");
    expect(r.text).toContain("You receive this as the Corporate Director / DCS.");
  });

  it("cap notices name the procedure's limit and its date", () => {
    const r = renderNotice({ notice: "cap-warning", dispute: atStage1, to: quinn, role: "iro-service-manager" });
    expect(r.text).toContain(`reaches the procedure's limit of 20 working days for the whole formal process on ${formatWhen("2027-03-01T17:00:00Z")}.`);
  });

  it("every notice the lifecycle emits in these scenarios renders for its recipient", () => {
    const decisions: Decision[] = [start, answered, held, resolved, withdrawn, escalated, moreTime, intended, referred, overdue, exception, autoEscalated];
    let count = 0;
    for (const decision of decisions) {
      for (const e of decision.effects) {
        if (e.kind !== "notify") continue;
        const r = renderNotice({ notice: e.notice, dispute: decision.dispute, to: e.to, role: e.role, labels });
        expectNothingPersonal(r.subject, decision.dispute);
        expect(r.text).toContain(`Dear ${e.to.displayName},`);
        count++;
      }
    }
    expect(count).toBeGreaterThan(15);
  });
});

describe("calendar entries and meeting slots", () => {
  it("a deadline entry is 30 minutes ending at the due time, and says nothing about the child", () => {
    const e = start.effects.find((x): x is Extract<Effect, { kind: "calendar" }> => x.kind === "calendar")!;
    const entry = renderCalendarEntry(e);
    expect(entry.end.toISOString()).toBe("2027-02-05T17:00:00.000Z");
    expect(entry.start.toISOString()).toBe("2027-02-05T16:30:00.000Z");
    expect(entry.text).not.toContain(REFERENCE);
    expect(entry.text).not.toContain(INITIALS);
  });

  it("a meeting is proposed at 10:00 London on the working day before the stage falls due", () => {
    // Due Monday 8 Feb 2027: the working day before is Friday 5 Feb (GMT).
    expect(meetingSlot("2027-02-08T17:00:00.000Z", calendar, new Date(MON_1_FEB)).start.toISOString()).toBe("2027-02-05T10:00:00.000Z");
    // Summer time: due Tuesday 1 June 2027, 17:00 BST → Monday 31 May is a bank holiday → Friday 28 May, 10:00 BST = 09:00Z.
    const summer = meetingSlot("2027-06-01T16:00:00.000Z", calendar, new Date("2027-05-20T09:00:00Z"));
    expect(summer.start.toISOString()).toBe("2027-05-28T09:00:00.000Z");
    expect(summer.end.getTime() - summer.start.getTime()).toBe(3_600_000);
    // Too late for the day before: 10:00 on the day it falls due.
    expect(meetingSlot("2027-02-08T17:00:00.000Z", calendar, new Date("2027-02-05T12:00:00Z")).start.toISOString()).toBe("2027-02-08T10:00:00.000Z");
  });

  it("escapeHtml escapes the five characters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });

  it("people used in the matrix are real fixtures", () => {
    expect([megan, adele, isaiah, lynne, quinn].every((p) => p.upn.includes("@"))).toBe(true);
  });
});

describe("the Teams card's words", () => {
  it("a headline to the reader, what else happened, and what to do, without the letter's greeting or case details (the card's facts say those)", () => {
    const d = apply(raised().dispute, { action: "respond", response: "Allocated today.", actionsAgreed: "Visit weekly." }, ctx("2026-12-22T10:00:00Z", as(megan))).dispute;
    const n = renderNotice({ notice: "response-received", dispute: d, to: alex, role: null });
    expect(n.text).toMatch(/^Dear Alex Wilber,/);
    expect(n.card.headline).toMatch(/^Megan Bowen answered stage 1 \(Team Manager\) of dispute D-/);
    expect(n.card.lines).toEqual([
      { label: "Response", text: "Allocated today." },
      { label: "Actions agreed", text: "Visit weekly." },
    ]);
    expect(n.card.act).toMatch(/^Decide in Teams/);
    expect(JSON.stringify(n.card)).not.toContain("Dear");
    expect(JSON.stringify(n.card)).not.toContain(d.concerns);
  });
});
