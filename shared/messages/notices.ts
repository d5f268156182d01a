/**
 * The words of every notice: mail subject and body, and the short preview Teams shows in pop-ups
 * and the activity feed. Pure and browser-safe: no I/O, no clock.
 *
 * Security (DESIGN.md): the subject and the preview carry only the dispute id, the stage and a due
 * date, never anything about the child. The body may carry the case reference and initials (never
 * a name), the category and reason, the concerns and outcomes sought, the stage history in brief
 * and where to act. Every piece of text is escaped for HTML in one place (`toHtml`), so no user
 * text can reach the HTML unescaped.
 */
import { formatDay, formatLongDay, formatLongWhen, formatWhen, isLocalDate, londonDate, londonInstant } from "../calendar/londonTime";
import type { WorkingCalendar } from "../calendar/workingDays";
import type { Dispute, StageRecord } from "../dispute/disputeSchema";
import type { Effect, NoticeKind } from "../dispute/effects";
import type { EffectSubject } from "../dispute/delivery";
import { type PersonRef, actingName, samePerson } from "../dispute/people";
import { NO_TIMESCALE } from "../cards/text";
import { type PositiveFeedback, isPositiveFeedback } from "../feedback/positiveFeedback";
import type { Occasion } from "../procedure/toldSchema";
import { renderContactNotice } from "./contactNotice";
import { roleTitle } from "../procedure/roleTitle";

export interface NoticeLabels {
  category?: string;
  reason?: string;
  /** The child's team by its name. */
  team?: string;
  /** The authority by the name its directory gives it (the report and the record use the same). */
  authority?: string;
}

export interface NoticeInput {
  notice: NoticeKind;
  dispute: Dispute;
  to: PersonRef;
  /** The role the recipient is told in (a role id such as "service-manager"), or null. */
  role: string | null;
  labels?: NoticeLabels;
  /** Relayed down the procedure's chain: who passes it on. */
  toldBy?: { person: PersonRef; role: string };
  /** What the court is to be told of. */
  on?: Occasion;
}

export interface RenderedNotice {
  /** Mail subject: dispute id, stage and due date only. */
  subject: string;
  /** Teams activity summary / pop-up text: dispute id, stage and due date only. */
  preview: string;
  text: string;
  html: string;
}

/** A notice's words for its Teams card: a headline to the reader, what else happened, and what they may do; the card adds the facts. */
export interface NoticeWords {
  headline: string;
  /** The rest of what happened: lines, and what people wrote, by its label. */
  lines: readonly ({ text: string } | { label: string; text: string })[];
  act: string;
}

/** The readable labels of a dispute's category and reason, from its procedure's list. */
export function noticeLabels(
  procedure: { categories: readonly { id: string; label: string; reasons: readonly { id: string; label: string }[] }[] },
  dispute: Pick<Dispute, "category" | "reason"> & { child?: { team: string } },
  teams: readonly { id: string; displayName: string }[] = [],
): NoticeLabels {
  const category = procedure.categories.find((c) => c.id === dispute.category);
  const reason = category?.reasons.find((r) => r.id === dispute.reason);
  const team = teams.find((t) => t.id === dispute.child?.team);
  return { ...(category ? { category: category.label } : {}), ...(reason ? { reason: reason.label } : {}), ...(team ? { team: team.displayName } : {}) };
}

/** Escape text for HTML element content and attribute values (quoted with " or '). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

// ——— a message as blocks: rendered once to text and once to HTML ———

export type Block =
  | { kind: "p"; text: string; strong?: boolean }
  | { kind: "h"; text: string }
  | { kind: "fields"; rows: readonly (readonly [string, string])[] }
  | { kind: "quote"; label: string; text: string }
  | { kind: "list"; items: readonly string[] };

export function toText(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case "p":
        out.push(b.text, "");
        break;
      case "h":
        out.push(b.text, "-".repeat(Math.min(b.text.length, 60)));
        break;
      case "fields":
        for (const [label, value] of b.rows) out.push(`${label}: ${value}`);
        out.push("");
        break;
      case "quote":
        out.push(`${b.label}:`, ...b.text.split(/\r?\n/).map((line) => `  ${line}`), "");
        break;
      case "list":
        out.push(...b.items.map((i) => `- ${i}`), "");
        break;
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

const lines = (text: string) => escapeHtml(text).replace(/\r?\n/g, "<br>");

export function toHtml(blocks: readonly Block[], title: string): string {
  const body = blocks
    .map((b) => {
      switch (b.kind) {
        case "p":
          return b.strong ? `<p><strong>${lines(b.text)}</strong></p>` : `<p>${lines(b.text)}</p>`;
        case "h":
          return `<h3 style="margin:18px 0 6px;font-size:15px">${escapeHtml(b.text)}</h3>`;
        case "fields":
          return `<table role="presentation" style="border-collapse:collapse">${b.rows
            .map(([label, value]) => `<tr><th style="text-align:left;padding:2px 12px 2px 0;vertical-align:top;font-weight:600">${escapeHtml(label)}</th><td style="padding:2px 0">${lines(value)}</td></tr>`)
            .join("")}</table>`;
        case "quote":
          return `<p style="margin:10px 0 2px;font-weight:600">${escapeHtml(b.label)}</p><blockquote style="margin:0 0 10px;padding:6px 12px;border-left:3px solid #8a8886;background:#f3f2f1">${lines(b.text)}</blockquote>`;
        case "list":
          return `<ul>${b.items.map((i) => `<li>${lines(i)}</li>`).join("")}</ul>`;
      }
    })
    .join("\n");
  return `<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body style="font-family:'Segoe UI',Arial,sans-serif;font-size:14px;line-height:1.45;color:#201f1e">\n${body}\n</body></html>\n`;
}

// ——— small readers that never throw ———

export function when(instant: string | undefined | null): string {
  if (!instant) return "an unrecorded time";
  try {
    return formatWhen(instant);
  } catch {
    return instant;
  }
}

/** "Fri 12 Feb 2027" for a YYYY-MM-DD date. */
function day(date: string | undefined | null): string {
  if (!date) return "an unrecorded date";
  return isLocalDate(date) ? formatDay(date) : date;
}


const LEGAL_STATUS: Record<string, string> = {
  "looked-after": "looked after",
  "child-protection": "child protection plan",
  "child-in-need": "child in need",
  "care-leaver": "care leaver",
};

const stageName = (stage: number | undefined, title?: string) =>
  stage === undefined ? "its current stage" : stage === 0 ? "the informal stage" : `stage ${stage}${title ? ` (${title})` : ""}`;
const stageShort = (stage: number | undefined) => (stage === undefined ? "" : stage === 0 ? "informal stage" : `stage ${stage}`);
const bodyName = (b: string) => (b === "cafcass" ? "CAFCASS" : b === "lscp" ? "the LSCP" : b.toUpperCase());
const name = (p: PersonRef | undefined) => p?.displayName ?? "someone";
/** Who raised an exception: "Alex Wilber, the IRO", or whoever first came to know, as what they raised it. */
function exceptionRaiser(d: Partial<Dispute>, iro: string): string {
  const as = d.exception?.raisedAs;
  if (!as) return `${iro}, the IRO,`;
  return as === "staff" ? `${iro}, who first came to know,` : `${iro}, ${as === "qa" ? "of the QA service" : `the ${roleTitle(d.ladder, as)}`},`;
}
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function current(d: Dispute): StageRecord | undefined {
  return Array.isArray(d.stages) ? d.stages[d.stages.length - 1] : undefined;
}

function previous(d: Dispute): StageRecord | undefined {
  return Array.isArray(d.stages) && d.stages.length > 1 ? d.stages[d.stages.length - 2] : undefined;
}

/** The due date a reader should see now: the stage's answer, or the end of a hold. */
function dueOf(d: Dispute): { label: string; at: string } | undefined {
  const s = current(d);
  if ((d.state === "informal" || d.state === "awaiting-response") && s?.dueAt) return { label: "due", at: when(s.dueAt) };
  if (d.state === "on-hold" && d.hold && !d.hold.ended) return { label: "on hold until", at: day(d.hold.until) };
  return undefined;
}

/** "due Tue 29 Dec 2026, 17:00", or that the procedure sets the stage no timescale. */
const dueWords = (s: Partial<StageRecord> | undefined) => (s && !s.dueAt && s.receivedAt ? NO_TIMESCALE : `due ${when(s?.dueAt)}`);

function describeNow(d: Dispute): string {
  const s = current(d);
  switch (d.state) {
    case "informal":
      return `at the informal stage with ${name(s?.assignee)}, ${dueWords(s)}`;
    case "awaiting-response":
      return `at ${stageName(s?.stage, s?.title)} with ${name(s?.assignee)}, ${dueWords(s)}`;
    case "awaiting-decision":
      return `at ${stageName(s?.stage, s?.title)}, answered and awaiting the IRO's decision`;
    case "on-hold":
      return `on hold until ${day(d.hold?.until)}`;
    case "resolved":
      return `resolved (${when(d.outcome?.at ?? d.updatedAt)})`;
    case "withdrawn":
      return `withdrawn (${when(d.updatedAt)})`;
    default:
      return `in state ${String(d.state)}`;
  }
}

function historyLine(s: StageRecord): string {
  const first = stageName(s.stage, s.title);
  const parts = [`${first[0]!.toUpperCase()}${first.slice(1)}: ${name(s.assignee)}`, `received ${when(s.receivedAt)}`, dueWords(s)];
  if (s.moreTimeRequested) parts.push(`more time asked ${when(s.moreTimeRequested.at)}`);
  if (s.overdueSince) parts.push(`overdue since ${when(s.overdueSince)}`);
  if (s.response) parts.push(`answered by ${actingName(s.response.by, s.response.coveringFor)} ${when(s.response.at)}`);
  if (s.closed) parts.push(`${s.closed.how} ${when(s.closed.at)}`);
  else if (!s.response) parts.push("open");
  return parts.join("; ");
}

// ——— what each notice says ———

interface Say {
  /** Fixed words for the subject and preview: never user text. */
  phrase: string;
  /** Put the due date in the subject (most notices); false when it would mislead. */
  showDue?: boolean;
  /** Say it is urgent in the subject. */
  urgent?: boolean;
  lead: Block[];
  /** Where and how to act (or that nothing is needed). */
  act: string;
}

/** What the IRO did, after their name: "referred to CAFCASS". */
export const OCCASION_DONE: Record<Occasion, string> = {
  raise: "raised",
  escalate: "escalated",
  "cafcass-referral": "referred to CAFCASS",
  "lscp-referral": "referred to the LSCP",
  resolve: "resolved",
};

const WHERE = "in Teams (the Resolve chat) or in the Resolve tab";
const FOR_INFORMATION = `For information: you can read the whole record ${WHERE}.`;

function say(input: NoticeInput): Say {
  const { dispute: d, to } = input;
  const s = current(d);
  const iro = name(d.raisedBy);
  const assigneeIsYou = !!s && s.assignee?.id === to.id;
  const stage = stageName(s?.stage, s?.title);
  const notice = input.notice as string;

  switch (notice) {
    case "alert": {
      const lead: Block[] = [
        { kind: "p", strong: true, text: `You hold dispute ${d.id} at ${stage}. ${s && !s.dueAt ? `Please answer: there is no deadline (${NO_TIMESCALE}).` : `Please answer by ${when(s?.dueAt)} (London time).`}` },
        { kind: "p", text: `${iro}, the IRO, raised it on ${when(d.raisedAt)}.` },
      ];
      if (s?.mode === "meeting") lead.push({ kind: "p", text: "At this stage the dispute is settled at a meeting that you chair; a proposed meeting is in your calendar." });
      if (!assigneeIsYou || (d.state !== "awaiting-response" && d.state !== "informal")) {
        lead.push({ kind: "p", text: `Since this alert was written the dispute has moved on: it is now ${describeNow(d)}.` });
      }
      return { phrase: "please respond", lead, act: `Answer ${WHERE}: respond in writing, acknowledge it, or ask for more time.` };
    }
    case "raised":
      return {
        phrase: "raised",
        lead: [
          { kind: "p", strong: true, text: `${iro}, the IRO, raised dispute ${d.id} about a child your service works with.` },
          { kind: "p", text: `It is ${describeNow(d)}.` },
        ],
        act: FOR_INFORMATION,
      };
    case "stage-notice": {
      const prev = previous(d);
      const lead: Block[] = [{ kind: "p", strong: true, text: `Dispute ${d.id} is now ${describeNow(d)}.` }];
      if (prev && prev.assignee?.id === to.id) lead.push({ kind: "p", text: `It has moved on from ${stageName(prev.stage, prev.title)}, which you held: no answer is needed from you now.` });
      if (prev?.closed?.how === "escalated" && prev.closed.rationale) lead.push({ kind: "quote", label: "Why it was escalated", text: prev.closed.rationale });
      return { phrase: "reached a new stage", lead, act: FOR_INFORMATION };
    }
    case "response-received": {
      const answered = [...(d.stages ?? [])].reverse().find((x) => x.response);
      const lead: Block[] = answered?.response
        ? [
            { kind: "p", strong: true, text: `${actingName(answered.response.by, answered.response.coveringFor)} answered ${stageName(answered.stage, answered.title)} of dispute ${d.id} on ${when(answered.response.at)}.` },
            { kind: "quote", label: "Response", text: answered.response.text },
            ...(answered.response.actionsAgreed ? [{ kind: "quote", label: "Actions agreed", text: answered.response.actionsAgreed } as Block] : []),
            ...(answered.response.completionDate ? [{ kind: "p", text: `Proposed completion date: ${day(answered.response.completionDate)}.` } as Block] : []),
          ]
        : [{ kind: "p", strong: true, text: `Dispute ${d.id} has been answered.` }];
      if (d.state !== "awaiting-decision") lead.push({ kind: "p", text: `The dispute is now ${describeNow(d)}.` });
      return { phrase: "response received, your decision needed", showDue: false, lead, act: `Decide ${WHERE}: resolve it (recording the outcome), escalate it, hold it until the agreed date, or wait.` };
    }
    case "more-time-requested": {
      const asked = s?.moreTimeRequested;
      const lead: Block[] = [
        { kind: "p", strong: true, text: asked ? `${name(s?.assignee)} asked for ${plural(asked.days, "more working day")} at ${stage} of dispute ${d.id}, now due ${when(s?.dueAt)}.` : `More time was asked for at ${stage} of dispute ${d.id}.` },
      ];
      if (asked?.reason) lead.push({ kind: "quote", label: "Reason given", text: asked.reason });
      return { phrase: "more time requested", lead, act: `Extend the deadline ${WHERE}, or leave it as it is.` };
    }
    case "deadline-extended":
      return {
        phrase: "deadline moved",
        lead: [{ kind: "p", strong: true, text: `The IRO moved the deadline for ${stage} of dispute ${d.id}: it is now due ${when(s?.dueAt)} (London time).` }],
        act: `Answer ${WHERE} by then.`,
      };
    case "reminder":
      return {
        phrase: "reminder",
        lead: [{ kind: "p", strong: true, text: `A reminder: dispute ${d.id} at ${stage} is due ${when(s?.dueAt)} (London time), and has no answer yet.` }],
        act: `Answer ${WHERE}: respond, acknowledge it, or ask for more time.`,
      };
    case "deadline-passed": {
      const prev = previous(d);
      if (s?.overdueSince || !prev || prev.response || prev.closed?.how !== "escalated") {
        return {
          phrase: "deadline passed, your decision needed",
          showDue: false,
          lead: [{ kind: "p", strong: true, text: `${stage[0]!.toUpperCase()}${stage.slice(1)} of dispute ${d.id} was due ${when(s?.dueAt)} and ${name(s?.assignee)} has not answered.` }],
          act: `Decide ${WHERE}: escalate now, extend the deadline, or wait for the answer.`,
        };
      }
      return {
        phrase: "deadline passed, escalated",
        lead: [
          { kind: "p", strong: true, text: `${stageName(prev.stage, prev.title)} of dispute ${d.id} was due ${when(prev.dueAt)} and ${name(prev.assignee)} did not answer.` },
          { kind: "p", text: `As the procedure says, it was escalated by itself: it is now ${describeNow(d)}.` },
        ],
        act: `You may still escalate further, hold or resolve it ${WHERE}.`,
      };
    }
    case "overdue":
      return {
        phrase: "overdue",
        urgent: true,
        showDue: false,
        lead: [
          { kind: "p", strong: true, text: `Dispute ${d.id} at ${stage} was due ${when(s?.dueAt)} and has no answer yet.` },
          { kind: "p", text: "The IRO has been told and may escalate it. Please answer now." },
        ],
        act: `Answer ${WHERE}.`,
      };
    case "on-hold": {
      const lead: Block[] = [{ kind: "p", strong: true, text: `The IRO put dispute ${d.id} on hold until ${day(d.hold?.until)} while the agreed actions are completed.` }];
      if (d.hold?.actionsAgreed) lead.push({ kind: "quote", label: "Actions agreed", text: d.hold.actionsAgreed });
      return { phrase: "on hold", lead, act: `No answer is needed from you while it is on hold; please complete the agreed actions by that date. The record is ${WHERE}.` };
    }
    case "hold-ended": {
      const lead: Block[] = [{ kind: "p", strong: true, text: `The hold on dispute ${d.id} ended on ${day(d.hold?.until)}: check whether the agreed actions were completed.` }];
      if (d.hold?.actionsAgreed) lead.push({ kind: "quote", label: "Actions agreed", text: d.hold.actionsAgreed });
      return { phrase: "hold ended, your decision needed", showDue: false, lead, act: `Decide ${WHERE}: close it as resolved, resume it at ${stage}, or escalate it.` };
    }
    case "resumed":
      return {
        phrase: "resumed",
        lead: [{ kind: "p", strong: true, text: `Dispute ${d.id} is active again: it is now ${describeNow(d)}.` }],
        act: assigneeIsYou ? `Answer ${WHERE}.` : FOR_INFORMATION,
      };
    case "resolved": {
      const lead: Block[] = [{ kind: "p", strong: true, text: `Dispute ${d.id} was resolved${d.outcome ? ` by ${name(d.outcome.by)} on ${when(d.outcome.at)}` : ""}.` }];
      if (d.outcome?.text) lead.push({ kind: "quote", label: "Outcome", text: d.outcome.text });
      if (d.outcome?.impact) lead.push({ kind: "quote", label: "Impact for the child", text: d.outcome.impact });
      return { phrase: "resolved", showDue: false, lead, act: `No further answer is needed. The record stays ${WHERE}.` };
    }
    case "withdrawn": {
      const lead: Block[] = [{ kind: "p", strong: true, text: `Dispute ${d.id} was withdrawn on ${when(s?.closed?.at ?? d.updatedAt)}.` }];
      if (s?.closed?.how === "withdrawn" && s.closed.rationale) lead.push({ kind: "quote", label: "Reason", text: s.closed.rationale });
      return { phrase: "withdrawn", showDue: false, lead, act: `No further answer is needed. The record stays ${WHERE}.` };
    }
    case "reassigned-away":
      return {
        phrase: "reassigned",
        showDue: false,
        lead: [
          { kind: "p", strong: true, text: `Dispute ${d.id} has been passed to someone else: you no longer need to answer it.` },
          { kind: "p", text: `It is now ${describeNow(d)}.` },
        ],
        act: FOR_INFORMATION,
      };
    case "referral-intended": {
      const r = [...(d.referrals ?? [])].reverse().find((x) => x.intendedAt && !x.madeAt) ?? [...(d.referrals ?? [])].reverse()[0];
      const body = r ? bodyName(r.body) : "an outside body";
      const lead: Block[] = [
        { kind: "p", strong: true, text: `${iro}, the IRO, intends to refer dispute ${d.id} to ${body}.` },
        { kind: "p", text: `The procedure requires that you be told before the referral is made${input.role ? `, as the ${roleTitle(d.ladder, input.role)}` : ""}.` },
      ];
      if (r?.reasons) lead.push({ kind: "quote", label: "Reasons for the referral", text: r.reasons });
      lead.push({ kind: "p", text: `The dispute is ${describeNow(d)}.` });
      return { phrase: "notice before a referral", showDue: false, lead, act: `If you wish to discuss it before the referral, contact ${iro}. The record is ${WHERE}.` };
    }
    case "referral-made": {
      const r = [...(d.referrals ?? [])].reverse().find((x) => x.madeAt);
      const lead: Block[] = [{ kind: "p", strong: true, text: `${iro}, the IRO, referred dispute ${d.id} to ${r ? bodyName(r.body) : "an outside body"}${r?.madeAt ? ` on ${when(r.madeAt)}` : ""}.` }];
      if (r?.reasons) lead.push({ kind: "quote", label: "Reasons for the referral", text: r.reasons });
      lead.push({ kind: "p", text: `The dispute is ${describeNow(d)}.` });
      return { phrase: "referral made", showDue: false, lead, act: FOR_INFORMATION };
    }
    case "exception":
      return {
        phrase: "exception",
        urgent: true,
        lead: [
          {
            kind: "p",
            strong: true,
            text: `${exceptionRaiser(d, iro)} raised dispute ${d.id} as an exception${d.exception ? ` (${d.exception.kind.replaceAll("-", " ")})` : ""}: the procedure skips the usual ladder and tells you at once.`,
          },
          { kind: "p", text: `It is ${describeNow(d)}.` },
        ],
        act: FOR_INFORMATION,
      };
    case "cap-warning":
    case "cap-passed": {
      const cap = d.ladder?.capWorkingDays;
      const limit = cap ? `limit of ${cap} working days` : "time limit";
      return {
        phrase: notice === "cap-warning" ? "time limit near" : "time limit passed",
        urgent: notice === "cap-passed",
        showDue: false,
        lead: [
          {
            kind: "p",
            strong: true,
            text:
              notice === "cap-warning"
                ? `Dispute ${d.id} reaches the procedure's ${limit} for the whole formal process on ${when(d.capDueAt)}.`
                : `Dispute ${d.id} passed the procedure's ${limit} for the whole formal process on ${when(d.capDueAt)}.`,
          },
          { kind: "p", text: `Its formal process began on ${when(d.formalStartedAt)}. It is now ${describeNow(d)}.` },
        ],
        act: `Review it ${WHERE}.`,
      };
    }
    case "holder-away": {
      // Spelt out, as a sentence about someone's return reads: "until Monday 8 February 2027".
      const back = s?.holderAway?.until ? `until ${formatLongDay(londonDate(new Date(s.holderAway.until)))}` : "with no return date";
      return {
        phrase: "holder away, your decision needed",
        lead: [
          { kind: "p", strong: true, text: `${name(s?.assignee)}'s automatic replies say they are away ${back}, after ${stage} of dispute ${d.id} is due (${s?.dueAt ? formatLongWhen(s.dueAt) : "an unrecorded time"}), and nobody is set to cover for them.` },
          { kind: "p", text: "The alert still went to them, but it may not be read in time." },
        ],
        act: `Decide ${WHERE}: you may escalate now, or wait for their answer.`,
      };
    }
    case "court-notice":
      return {
        phrase: "the court to be told",
        showDue: false,
        lead: [
          { kind: "p", strong: true, text: `${iro}, the IRO, ${OCCASION_DONE[input.on ?? "raise"]} dispute ${d.id}, and the child is in proceedings.` },
          { kind: "p", text: "The procedure requires the authority's solicitors to tell the court in any ongoing proceedings." },
          { kind: "p", text: `The dispute is ${describeNow(d)}.` },
        ],
        act: `Please tell the court. ${FOR_INFORMATION}`,
      };
    default:
      return { phrase: "update", lead: [{ kind: "p", strong: true, text: `There is an update on dispute ${d.id}: it is now ${describeNow(d)}.` }], act: FOR_INFORMATION };
  }
}

function caseBlocks(input: NoticeInput): Block[] {
  const d = input.dispute;
  const child = d.child;
  const rows: [string, string][] = [];
  if (child) {
    rows.push(["Case reference", child.reference], ["Initials", child.initials]);
    if (child.legalStatus) rows.push(["Legal status", LEGAL_STATUS[child.legalStatus] ?? child.legalStatus]);
    if (child.team) rows.push(["Team", input.labels?.team ?? child.team]);
  }
  rows.push(["Category", input.labels?.category ?? d.category], ["Reason", input.labels?.reason ?? d.reason]);
  if (d.exception) rows.push(["Exception", d.exception.kind.replaceAll("-", " ")]);
  rows.push(["Raised by", `${name(d.raisedBy)}, ${when(d.raisedAt)}`]);
  if (d.reviewDate) rows.push(["Linked review", day(d.reviewDate)]);
  const blocks: Block[] = [{ kind: "h", text: "The case" }];
  if (d.direction === "reverse") blocks.push({ kind: "p", text: "This is a reverse dispute: the service raised a concern about the IRO service." });
  blocks.push({ kind: "fields", rows });
  if (d.concerns) blocks.push({ kind: "quote", label: "Concerns", text: d.concerns });
  if (d.outcomesSought) blocks.push({ kind: "quote", label: "Outcomes sought", text: d.outcomesSought });
  if (Array.isArray(d.stages) && d.stages.length) blocks.push({ kind: "h", text: "Stages so far" }, { kind: "list", items: d.stages.map(historyLine) });
  return blocks;
}

/** The mail / Teams text of a notice. Every kind renders; nothing here throws on odd data. */
export function renderNotice(input: NoticeInput): RenderedNotice & { card: NoticeWords } {
  const d = input.dispute;
  const s = current(d);
  const said = say(input);
  const due = said.showDue === false ? undefined : dueOf(d);
  const stage = stageShort(s?.stage ?? d.stage);
  // Subject and preview: fixed words, the dispute id, the stage and a date. Nothing else.
  const facts = [`Dispute ${d.id}`, stage, due ? `${due.label} ${due.at}` : ""].filter(Boolean).join(" · ");
  const phrase = `${said.urgent ? "Urgent: " : ""}${said.phrase}`;
  const subject = `${facts} · ${phrase}`;
  const preview = `${phrase[0]!.toUpperCase()}${phrase.slice(1)} – dispute ${d.id}${stage ? `, ${stage}` : ""}${due ? `, ${due.label} ${due.at}` : ""}`;

  const blocks: Block[] = [
    { kind: "p", text: `Dear ${name(input.to)},` },
    ...said.lead,
    ...(input.toldBy ? [{ kind: "p" as const, text: `${name(input.toldBy.person)}, ${roleTitle(input.dispute.ladder, input.toldBy.role)}, passes this on to you, as the procedure asks.` }] : []),
    { kind: "p", strong: true, text: said.act },
    ...caseBlocks(input),
    {
      kind: "p",
      text: `${input.role ? `You receive this as the ${roleTitle(input.dispute.ladder, input.role)}. ` : ""}This message concerns a child's record: keep it within the authority and do not forward it.`,
    },
  ];
  const [first, ...rest] = said.lead;
  const card: NoticeWords = {
    headline: first && "text" in first ? first.text : `There is an update on dispute ${d.id}.`,
    lines: rest.flatMap((b) => (b.kind === "p" ? [{ text: b.text }] : b.kind === "quote" ? [{ label: b.label, text: b.text }] : [])),
    act: said.act,
  };
  return { subject, preview, text: toText(blocks), html: toHtml(blocks, subject), card };
}

// ——— good practice ———

/**
 * Good practice an IRO recorded, to a manager the procedure names. The subject and preview carry
 * the record's id only; the body may carry the case reference, never a child's name.
 */
export function renderFeedbackNotice(input: { feedback: PositiveFeedback; to: PersonRef; role: string | null }): RenderedNotice {
  const f = input.feedback;
  const team = f.teamName ?? f.team;
  const toWorker = samePerson(f.worker, input.to);
  const who = toWorker ? "you" : f.worker ? `${name(f.worker)} of ${team}` : `the team ${team}`;
  const rows: [string, string][] = [["For", f.worker ? name(f.worker) : "the whole team"], ["Team", team]];
  if (f.childReference) rows.push(["Case reference", f.childReference]);
  rows.push(["Recorded by", `${name(f.recordedBy)}, ${when(f.recordedAt)}`], ["Reference", f.id]);
  const blocks: Block[] = [
    { kind: "p", text: `Dear ${name(input.to)},` },
    { kind: "p", strong: true, text: `${name(f.recordedBy)}, the IRO, recorded good practice by ${who}.` },
    { kind: "quote", label: "What the IRO saw", text: f.feedback },
    { kind: "fields", rows },
    {
      kind: "p",
      strong: true,
      text: toWorker
        ? "Your managers have it too; it is counted in the QA service's monthly report."
        : `Please share it with ${f.worker ? name(f.worker) : "the team"}; it is counted in the QA service's monthly report.`,
    },
    {
      kind: "p",
      text: `${input.role ? `You receive this as the ${roleTitle(undefined, input.role)}. ` : ""}${f.childReference ? "It names a child's case: keep it within the authority and do not forward it." : "Keep it within the authority."}`,
    },
  ];
  const subject = `Good practice ${f.id} · noted`;
  return { subject, preview: `Good practice noted – ${f.id}`, text: toText(blocks), html: toHtml(blocks, subject) };
}

/**
 * A manager's reply to good practice, back to the IRO who recorded it. The effect's id names the
 * record's version the reply made (`G-…:2:1` → the first reply), so each notice tells its own reply.
 */
export function renderFeedbackReplyNotice(input: { feedback: PositiveFeedback; to: PersonRef; effectId?: string }): RenderedNotice {
  const f = input.feedback;
  const version = Number(input.effectId?.split(":")[1]);
  const reply = (Number.isInteger(version) ? f.replies?.[version - 2] : undefined) ?? f.replies?.at(-1);
  const team = f.teamName ?? f.team;
  const rows: [string, string][] = [["For", f.worker ? `${name(f.worker)}, ${team}` : `the team ${team}`]];
  if (f.childReference) rows.push(["Case reference", f.childReference]);
  rows.push(["You recorded it", when(f.recordedAt)], ["Reference", f.id]);
  const blocks: Block[] = [
    { kind: "p", text: `Dear ${name(input.to)},` },
    { kind: "p", strong: true, text: `${name(reply?.by)} replied to the good practice you recorded${reply ? ` on ${when(reply.at)}` : ""}.` },
    ...(reply ? [{ kind: "quote" as const, label: "Their reply", text: reply.text }] : []),
    { kind: "quote", label: "What you saw", text: f.feedback },
    { kind: "fields", rows },
    { kind: "p", text: f.childReference ? "It names a child's case: keep it within the authority and do not forward it." : "Keep it within the authority." },
  ];
  const subject = `Good practice ${f.id} · reply`;
  return { subject, preview: `Reply to good practice – ${f.id}`, text: toText(blocks), html: toHtml(blocks, subject) };
}

/** The words of a notice about whatever the effect is about: a dispute, or a good-practice record. */
export function renderNoticeAbout(
  subject: EffectSubject,
  n: { notice: NoticeKind; to: PersonRef; role: string | null; id?: string; toldBy?: { person: PersonRef; role: string }; on?: Occasion },
  labels?: NoticeLabels,
): RenderedNotice {
  if (isPositiveFeedback(subject)) {
    return n.notice === "feedback-reply" ? renderFeedbackReplyNotice({ feedback: subject, to: n.to, ...(n.id ? { effectId: n.id } : {}) }) : renderFeedbackNotice({ feedback: subject, to: n.to, role: n.role });
  }
  if (n.notice === "child-contact") return renderContactNotice({ dispute: subject, to: n.to, contact: n.role === "solicitor" ? "solicitor" : "guardian", on: n.on ?? "raise" });
  return renderNotice({ notice: n.notice, dispute: subject, to: n.to, role: n.role, ...(labels ? { labels } : {}), ...(n.toldBy ? { toldBy: n.toldBy } : {}), ...(n.on ? { on: n.on } : {}) });
}

// ——— calendar entries and meetings ———

/** A function that finds the labels of a dispute's category and reason (from its procedure). */
export type LabelsFor = (dispute: Dispute) => NoticeLabels | undefined | Promise<NoticeLabels | undefined>;

type CalendarEffect = Extract<Effect, { kind: "calendar" }>;
type MeetingEffect = Extract<Effect, { kind: "meeting" }>;

export interface RenderedEntry {
  subject: string;
  text: string;
  html: string;
  start: Date;
  end: Date;
}

const ENTRY_MINUTES = 30;
const MEETING_MINUTES = 60;

/**
 * Where a calendar entry or meeting stands, by names only: the stage by its title, the team and the
 * authority as their directory calls them (a team or authority without a name is left out, never
 * shown by its id). Nothing about the child.
 */
function whereItStands(d: Dispute | undefined, stage: number | undefined, labels: NoticeLabels | undefined): Block[] {
  const rows: [string, string][] = [];
  const title = stage === undefined || !d ? undefined : stage === 0 ? "Informal" : d.ladder?.stages?.find((s) => s.stage === stage)?.title;
  if (stage !== undefined) rows.push(["Stage", stage === 0 ? "Informal" : `${stage}${title ? `, ${title}` : ""}`]);
  if (labels?.team) rows.push(["Team", labels.team]);
  if (labels?.authority) rows.push(["Authority", labels.authority]);
  return rows.length ? [{ kind: "fields", rows }] : [];
}

/**
 * A deadline in someone's calendar: a 30-minute entry ending when the answer is due. It lives in
 * calendars that delegates may read, so it says no more than a subject line may: the dispute id,
 * the stage and the time, with the stage, team and authority by name.
 */
export function renderCalendarEntry(effect: CalendarEffect, dispute?: Dispute, labels?: NoticeLabels): RenderedEntry {
  const end = new Date(effect.at);
  const valid = !Number.isNaN(end.getTime());
  const endAt = valid ? end : new Date(0);
  const start = new Date(endAt.getTime() - ENTRY_MINUTES * 60_000);
  // A stage's entry is keyed by its stage (drafts.ts); a hold's entry has none.
  const stage = /:stage-(\d+):/.exec(effect.entryKey)?.[1];
  const blocks: Block[] = [
    { kind: "p", text: effect.op === "cancel" ? `Cancelled: ${effect.subject}.` : `${effect.subject}: ${valid ? when(effect.at) : "time unknown"} (London time).` },
    ...whereItStands(dispute, stage === undefined ? undefined : Number(stage), labels),
    { kind: "p", text: `Dispute ${effect.disputeId}. The details and the answer are ${WHERE}.` },
  ];
  return { subject: effect.subject, text: toText(blocks), html: toHtml(blocks, effect.subject), start, end: endAt };
}

/**
 * When to propose a stage meeting: 10:00 to 11:00 London time on the working day before the stage
 * falls due; if that has passed, 10:00 on the day it falls due; failing that, 10:00 on the next
 * working day (late, but still in the diary).
 */
export function meetingSlot(by: string, calendar: WorkingCalendar, now: Date): { start: Date; end: Date } {
  const due = new Date(by);
  const dueDate = Number.isNaN(due.getTime()) ? londonDate(now) : londonDate(due);
  let start = londonInstant(calendar.addWorkingDays(dueDate, -1), "10:00");
  if (start <= now) {
    const dueDay = londonInstant(dueDate, "10:00");
    start = dueDay > now ? dueDay : londonInstant(calendar.addWorkingDays(londonDate(now), 1), "10:00");
  }
  return { start, end: new Date(start.getTime() + MEETING_MINUTES * 60_000) };
}

/** The invitation to a stage meeting: who chairs it, by when it must happen; no case details. */
export function renderMeeting(effect: MeetingEffect, slot: { start: Date; end: Date }, dispute?: Dispute, labels?: NoticeLabels): RenderedEntry {
  const blocks: Block[] = [
    { kind: "p", strong: true, text: `${effect.subject}.` },
    {
      kind: "p",
      text: `${effect.requested ? `A meeting on the dispute was asked for at ${effect.stage === 0 ? "the informal stage" : `stage ${effect.stage}`}` : `At stage ${effect.stage} the procedure settles the dispute at a meeting`}, chaired by ${name(effect.chair)}, which must take place before ${when(effect.by)} (London time). This time is proposed: the chair may move it.`,
    },
    { kind: "fields", rows: [["Chair", name(effect.chair)], ["Invited", effect.invitees.map((p) => name(p)).join(", ") || "nobody else"]] },
    ...whereItStands(dispute, effect.stage, labels),
    { kind: "p", text: `The case record and the stage history are ${WHERE}.` },
  ];
  return { subject: effect.subject, text: toText(blocks), html: toHtml(blocks, effect.subject), ...slot };
}
