import { formatLongDay, londonDate } from "../calendar/londonTime";
import type { DisputeAction } from "../dispute/commands";
import { type Dispute, type StageRecord, currentStage, isOpen } from "../dispute/disputeSchema";
import type { AuditEvent } from "../dispute/events";
import { type PersonRef, actingName } from "../dispute/people";
import { waitingOn } from "../dispute/waitingOn";
import type { EscalationPlan } from "../plan/planEscalation";
import { type DeadlineRule, timescaleOf } from "../procedure/procedureSchema";
import type { AdaptiveCard, AlertCardData, CardActionData } from "./cardContract";
import { CONTACT_FIELDS, contactForms, contactsCommand } from "./contactForms";
import {
  type CardElement,
  NO_TIMESCALE,
  adaptiveCard,
  escapeMarkdown,
  formatDay,
  formatWhen,
  isClipped,
  legalStatusLabel,
  personPicker,
  plannedWhen,
  plural,
  sectionHeading,
  spokenLines,
  textBlock,
  timescaleWords,
  userText,
  words,
} from "./text";

/**
 * The alert card: one dispute as its viewer needs it. The assignee answers on it, the IRO (or QA)
 * decides on it, everyone else reads it. It carries the whole story so far (Blackburn: each new
 * recipient sees every earlier stage), the plan if nobody answers, and only the actions the
 * server says this viewer may take now.
 */

/** Teams refuses a message over about 28 KB; long texts are clipped here and kept whole in the tab. */
const LIMITS = { statement: 1500, answer: 1500, why: 1000, earlierAnswer: 300, rationale: 300, event: 200, events: 8 };
const FULL_RECORD = "full record in the tab";

// ——— the inputs of each form, and reading them back ———

/**
 * Each action's inputs, by the form (ShowCard) that holds them. Input ids are `form.field`: ids
 * must be unique in the whole card (Teams' mobile renderers refuse a card with two inputs of one
 * id), and several forms ask for a `reason`, an `until`, a `to`.
 */
const FORMS: Record<DisputeAction, { form: string; fields: readonly string[] }> = {
  respond: { form: "respond", fields: ["response", "actionsAgreed", "completionDate"] },
  acknowledge: { form: "acknowledge", fields: [] },
  "request-more-time": { form: "more-time", fields: ["days", "reason"] },
  escalate: { form: "escalate", fields: ["toStage", "rationale", "timescaleDays"] },
  extend: { form: "extend", fields: ["until", "reason"] },
  hold: { form: "hold", fields: ["until", "actionsAgreed"] },
  resume: { form: "resume", fields: ["reason"] },
  resolve: { form: "resolve", fields: ["outcome", "impact"] },
  withdraw: { form: "withdraw", fields: ["reason"] },
  reassign: { form: "reassign", fields: ["to", "reason"] },
  "intend-referral": { form: "refer", fields: ["to", "reasons"] },
  refer: { form: "refer", fields: ["to", "reasons"] },
  "record-child-informed": { form: "child-informed", fields: ["informed", "advocacyOffered", "note"] },
  "add-note": { form: "add-note", fields: ["note"] },
  "request-meeting": { form: "meeting", fields: ["invite", "by"] },
  "record-meeting": { form: "minutes", fields: ["heldOn", "chair", "attended", "minutes", "outcome"] },
  "set-child-contacts": { form: "contacts", fields: CONTACT_FIELDS },
  "record-consultation": { form: "consult", fields: ["consultation", "on", "outcome"] },
};

/** The id of an input on the alert card: `inputId("respond", "response")` → "respond.response". */
export const inputId = (action: DisputeAction, field: string) => `${FORMS[action].form}.${field}`;

const NUMBERS = new Set(["days", "toStage", "timescaleDays"]);
const BOOLEANS = new Set(["informed", "advocacyOffered"]);
/** An input the card refuses to send empty, with the message it shows. */
const required = (message: string) => ({ isRequired: true, errorMessage: message });
/** Multi-select choice sets send "a,b,c". */
const LISTS = new Set(["invite", "attended"]);

/**
 * What an Action.Execute from the alert card asks for, as the fields of the command: inputs read
 * by their card id (or by the bare field name, for callers that post plain JSON), empty inputs
 * left out, numbers and toggles turned back into numbers and booleans (Teams sends strings), and
 * the card's version as `expectedVersion`. `reassign.to` is the UPN of the person chosen: the server
 * looks them up. The result still goes through the command schema.
 */
export function cardCommand(action: DisputeAction, data: CardActionData): { action: DisputeAction; expectedVersion?: number } & Record<string, unknown> {
  const command: { action: DisputeAction; expectedVersion?: number } & Record<string, unknown> = { action };
  const version = typeof data.version === "string" ? Number(data.version) : data.version;
  if (typeof version === "number" && Number.isInteger(version)) command.expectedVersion = version;
  for (const field of FORMS[action].fields) {
    let value = data[inputId(action, field)] ?? data[field];
    if (typeof value === "string") {
      value = value.trim();
      if (value === "") continue;
      if (NUMBERS.has(field) && /^-?\d+$/.test(value as string)) value = Number(value);
      else if (BOOLEANS.has(field) && (value === "true" || value === "false")) value = value === "true";
      else if (LISTS.has(field)) value = (value as string).split(",").map((x) => x.trim()).filter(Boolean);
    }
    if (value !== undefined && value !== null) command[field] = value;
  }
  return action === "set-child-contacts" ? (contactsCommand(command) as typeof command) : command;
}

// ——— words ———

const nameOf = (p: PersonRef, people?: Record<string, PersonRef>) => escapeMarkdown(people?.[p.id]?.displayName ?? p.displayName);
const answererOf = (r: { by: PersonRef; coveringFor?: PersonRef }, people?: Record<string, PersonRef>) => actingName(r.by, r.coveringFor, (p) => nameOf(p, people));

function roleTitle(d: Dispute, role: string): string {
  return d.ladder.stages.find((s) => s.role === role)?.title ?? words(role);
}

/** "Dispute D-1 · Stage 2 of 5 · Service Manager", or "… · Informal · Team Manager". */
export function headerLine(d: Dispute): string {
  const s = currentStage(d);
  const where = s.stage === 0 ? `Informal · ${roleTitle(d, s.role)}` : `Stage ${s.stage} of ${d.ladder.stages.length} · ${s.title}`;
  return escapeMarkdown(`Dispute ${d.id} · ${where}`);
}

function stateWords(d: Dispute, people?: Record<string, PersonRef>): { text: string; color: "default" | "good" | "warning" | "attention" | "accent" } {
  const s = currentStage(d);
  const holder = nameOf(s.assignee, people);
  const iro = nameOf(d.raisedBy, people);
  switch (d.state) {
    case "informal":
      return { text: `Informal: with ${holder} to put right before the formal stages`, color: "accent" };
    case "awaiting-response":
      return s.overdueSince
        ? { text: `Overdue: waiting for ${holder} to respond; ${iro} decides what happens next`, color: "attention" }
        : { text: `Waiting for ${holder} to respond`, color: "accent" };
    case "awaiting-decision":
      return { text: `Answered by ${s.response ? answererOf(s.response, people) : holder}: waiting for ${iro} (IRO) to decide`, color: "warning" };
    case "on-hold":
      return d.hold?.ended
        ? { text: `The hold ended on ${formatDay(d.hold.until)}: ${iro} (IRO) to close, resume or escalate`, color: "warning" }
        : { text: `On hold until ${d.hold ? formatDay(d.hold.until) : "the agreed date"} while the agreed actions are done`, color: "default" };
    case "resolved":
      return { text: `Resolved by ${d.outcome ? nameOf(d.outcome.by, people) : iro} on ${formatWhen(d.outcome?.at ?? d.updatedAt)}`, color: "good" };
    case "withdrawn":
      return { text: `Withdrawn by ${iro} on ${formatWhen(s.closed?.at ?? d.updatedAt)}`, color: "default" };
  }
}

/** "due Tue 29 Dec 2026, 17:00 · 2 working days left", "… · overdue by 1 working day". */
export function dueLine(dueAt: string | undefined, workingDaysLeft: number | null, overdue = false): { text: string; color: "default" | "warning" | "attention" } {
  if (!dueAt) return { text: `No deadline: ${NO_TIMESCALE}`, color: "default" };
  const due = `Due ${formatWhen(dueAt)}`;
  if (workingDaysLeft === null) return { text: due, color: overdue ? "attention" : "default" };
  if (workingDaysLeft < 0) return { text: `${due} · overdue by ${plural(-workingDaysLeft, "working day")}`, color: "attention" };
  if (overdue) return { text: `${due} · overdue`, color: "attention" };
  if (workingDaysLeft === 0) return { text: `${due} · due today`, color: "warning" };
  return { text: `${due} · ${plural(workingDaysLeft, "working day")} left`, color: workingDaysLeft === 1 ? "warning" : "default" };
}

const answerable = (d: Dispute) => d.state === "informal" || d.state === "awaiting-response";
const bodyName = (b: "cafcass" | "lscp") => (b === "cafcass" ? "CAFCASS" : "the LSCP");
const bodyLabel = (b: "cafcass" | "lscp") => (b === "cafcass" ? "CAFCASS" : "LSCP");
/** A person's text on one line, for lists and facts. */
const inline = (text: string, max: number) => userText(text, max).replace(/\n\n/g, " ");
const yesNo = (b: boolean) => (b ? "yes" : "no");

// ——— sections ———

const BANNER_STYLE = { good: "good", attention: "attention", warning: "warning", default: "emphasis" } as const;

function banner(b: NonNullable<AlertCardData["banner"]>): CardElement {
  return { type: "Container", style: BANNER_STYLE[b.tone], bleed: true, items: [textBlock(escapeMarkdown(b.text), { weight: "bolder" })] };
}

/** What the card asks of its reader, in a line to them: "New dispute for you: please respond by …". */
function headline(data: AlertCardData): string | undefined {
  const d = data.dispute;
  const asks = waitingOn(d);
  const s = currentStage(d);
  if (data.viewer === "assignee" && data.actions.includes("respond")) {
    const arrived = d.stages.length > 1 ? "A dispute escalated to you" : "New dispute for you";
    if (!s.dueAt) return `${arrived}: please respond (${NO_TIMESCALE})`;
    const due = formatLongDay(londonDate(new Date(s.dueAt)));
    if (s.overdueSince) return `Your answer is overdue: it was due ${due}`;
    return `${arrived}: please respond by ${due}`;
  }
  if (data.viewer !== "decider") return undefined;
  const ask = asks.find((w) => w.ask !== "answer");
  const who = ask?.about ? nameOf(ask.about, data.people) : "The manager";
  switch (ask?.ask) {
    case "decide-answered":
      return `${who} answered: your decision`;
    case "decide-overdue":
      return `${who} did not answer in time: your decision`;
    case "decide-hold-ended":
      return "The hold has ended: your decision";
    default:
      return undefined;
  }
}

function header(data: AlertCardData): CardElement {
  const d = data.dispute;
  const s = currentStage(d);
  const state = stateWords(d, data.people);
  const line = headline(data);
  const items: CardElement[] = [
    ...(line ? [textBlock(line, { size: "large", weight: "bolder" })] : []),
    textBlock(headerLine(d), { style: "heading", size: "medium", weight: "bolder", ...(line ? { spacing: "small" } : {}) }),
    textBlock(state.text, { color: state.color, spacing: "small", weight: "bolder" }),
  ];
  if (answerable(d)) {
    const due = dueLine(s.dueAt, data.workingDaysLeft, !!s.overdueSince);
    items.push(textBlock(due.text, { color: due.color, spacing: "none" }));
  }
  if (d.direction === "reverse") items.push(textBlock("A concern raised by the service about the IRO (reverse dispute)", { isSubtle: true, spacing: "none" }));
  return { type: "Container", style: "emphasis", bleed: true, items };
}

/** What a screen reader announces for the card: what just happened, the headline, where it stands and when it is due. */
function spoken(data: AlertCardData): string {
  const d = data.dispute;
  const s = currentStage(d);
  return spokenLines([
    data.banner && escapeMarkdown(data.banner.text),
    headerLine(d),
    stateWords(d, data.people).text,
    answerable(d) && dueLine(s.dueAt, data.workingDaysLeft, !!s.overdueSince).text,
  ]);
}

function facts(data: AlertCardData): CardElement {
  const d = data.dispute;
  const s = currentStage(d);
  const team = data.teamName ?? d.child.team;
  const list: [string, string][] = [
    ["Child", `${escapeMarkdown(d.child.reference)} · ${escapeMarkdown(d.child.initials)}`],
    ["Legal status", legalStatusLabel(d.child.legalStatus)],
    ["Team", escapeMarkdown(team)],
    ["Category", escapeMarkdown(data.labels.category)],
    ["Reason", escapeMarkdown(data.labels.reason)],
    ["Raised", `${formatWhen(d.raisedAt)} by ${nameOf(d.raisedBy, data.people)} (IRO)`],
  ];
  if (isOpen(d)) {
    list.push(["Held by", `${nameOf(s.assignee, data.people)}, ${escapeMarkdown(s.stage === 0 ? roleTitle(d, s.role) : s.title)}${s.mode === "meeting" ? " (by minuted meeting)" : ""}`]);
    if (s.acknowledgedAt) list.push(["Acknowledged", formatWhen(s.acknowledgedAt)]);
  }
  if (d.reviewDate) list.push(["Review", formatDay(d.reviewDate)]);
  list.push([
    "Child told",
    d.childInformed
      ? `${yesNo(d.childInformed.informed)} · advocacy offered: ${yesNo(d.childInformed.advocacyOffered)}${d.childInformed.note ? ` · ${inline(d.childInformed.note, LIMITS.event)}` : ""}`
      : "not recorded yet",
  ]);
  return { type: "FactSet", spacing: "medium", facts: list.map(([title, value]) => ({ title, value })) };
}

function statement(title: string, text: string, max: number): CardElement[] {
  const blocks = [sectionHeading(title), textBlock(userText(text, max), { spacing: "small" })];
  if (isClipped(text, max)) blocks.push(textBlock(`Shortened here: ${FULL_RECORD}.`, { isSubtle: true, size: "small", spacing: "none" }));
  return blocks;
}

function exceptionNotice(data: AlertCardData): CardElement[] {
  const e = data.dispute.exception;
  if (!e) return [];
  const label = data.labels.exception ?? words(e.kind);
  return [
    {
      type: "Container",
      style: "attention",
      spacing: "medium",
      items: [textBlock(`Exception: ${escapeMarkdown(label)}. Raised straight to stage ${data.dispute.stages[0]?.stage ?? data.dispute.stage}; the people the procedure names were told at once.`, { weight: "bolder" })],
    },
  ];
}

/** Why the dispute came to the stage it is at: the IRO's rationale for escalating it. */
function whyHere(data: AlertCardData): CardElement[] {
  const d = data.dispute;
  if (d.stages.length < 2) return [];
  const previous = d.stages[d.stages.length - 2]!;
  if (previous.closed?.how !== "escalated") return [];
  const from = previous.stage === 0 ? "informal resolution" : `stage ${previous.stage}`;
  const rationale = previous.closed.rationale ? userText(previous.closed.rationale, LIMITS.why) : "No rationale was recorded.";
  return [sectionHeading(`Escalated here from ${from} on ${formatWhen(previous.closed.at)}`), textBlock(rationale, { spacing: "small" })];
}

function currentAnswer(data: AlertCardData): CardElement[] {
  const d = data.dispute;
  const s = currentStage(d);
  const out: CardElement[] = [];
  if (s.moreTimeRequested && answerable(d)) {
    out.push({
      type: "Container",
      style: "warning",
      spacing: "medium",
      items: [
        textBlock(`${nameOf(s.assignee, data.people)} asked for ${plural(s.moreTimeRequested.days, "more working day")} on ${formatWhen(s.moreTimeRequested.at)}`, { weight: "bolder" }),
        textBlock(userText(s.moreTimeRequested.reason, LIMITS.rationale), { spacing: "none" }),
      ],
    });
  }
  if (s.response) {
    out.push(...statement(`Answer from ${answererOf(s.response, data.people)} · ${formatWhen(s.response.at)}`, s.response.text, LIMITS.answer));
    if (s.response.actionsAgreed) out.push(...statement("Actions agreed", s.response.actionsAgreed, LIMITS.answer));
    if (s.response.completionDate) out.push(textBlock(`To be done by ${formatDay(s.response.completionDate)}`, { spacing: "small" }));
  }
  if (d.state === "on-hold" && d.hold) {
    out.push(sectionHeading(`On hold since ${formatWhen(d.hold.since)}, until ${formatDay(d.hold.until)}`));
    out.push(textBlock(userText(d.hold.actionsAgreed, LIMITS.answer), { spacing: "small" }));
  }
  if (d.outcome) out.push(...statement(`Outcome · ${formatWhen(d.outcome.at)}`, d.outcome.text, LIMITS.answer));
  if (d.outcome?.impact) out.push(...statement("Impact for the child", d.outcome.impact, LIMITS.answer));
  if (d.state === "withdrawn" && s.closed?.rationale) out.push(...statement("Why it was withdrawn", s.closed.rationale, LIMITS.answer));
  return out;
}

function referrals(data: AlertCardData): CardElement[] {
  const d = data.dispute;
  if (!d.referrals.length) return [];
  return [
    sectionHeading("Referrals"),
    ...d.referrals.map((r, i) => {
      const told = r.informed.length ? ` (told first: ${r.informed.map((p) => nameOf(p, data.people)).join(", ")})` : "";
      const status = r.madeAt ? `referred ${formatWhen(r.madeAt)}` : `intended ${formatWhen(r.intendedAt ?? d.updatedAt)}, not yet made`;
      return textBlock(`**${bodyLabel(r.body)}**: ${status}${told}${r.reasons ? `. ${inline(r.reasons, LIMITS.rationale)}` : ""}`, { spacing: i ? "none" : "small" });
    }),
  ];
}

/** The plan if nobody answers: who gets it next and when, and the cap on the whole formal process. */
export function planSection(plan: EscalationPlan, options: { fromStage: number; onDeadline: DeadlineRule; capWorkingDays: number; heading?: string }): CardElement[] {
  const next = plan.stages.filter((p) => p.stage > options.fromStage);
  const out: CardElement[] = [sectionHeading(options.heading ?? "If nobody answers")];
  if (next.length) {
    out.push(
      textBlock(
        options.onDeadline === "escalate"
          ? "At each deadline with no answer it climbs on its own:"
          : `At each deadline with no answer ${options.onDeadline === "ask-qa" ? "the QA service is" : "the IRO is"} asked to decide; escalated each time, it would reach:`,
        { isSubtle: true, spacing: "small" },
      ),
    );
    for (const p of next) {
      if (p.skipped) {
        out.push(textBlock(`**Stage ${p.stage}** · ${escapeMarkdown(p.title)} · skipped: it applies only where someone holds it, and nobody does here`, { spacing: "none", isSubtle: true }));
        continue;
      }
      const who = p.holder ? ` · ${escapeMarkdown(p.holder.displayName)}` : "";
      const cap = p.exceedsCap ? ` · past the ${options.capWorkingDays}-day cap` : "";
      out.push(
        textBlock(`**Stage ${p.stage}** · ${escapeMarkdown(p.title)}${who} · ${plannedWhen(p)}${cap}`, {
          spacing: "none",
          ...(p.exceedsCap ? { color: "attention" as const } : {}),
        }),
      );
    }
  } else {
    out.push(textBlock("This is the top of the ladder: the IRO resolves it here, or refers it to CAFCASS or the LSCP.", { isSubtle: true, spacing: "small" }));
  }
  out.push(textBlock(`The whole formal process should end by ${formatDay(plan.capDate)} (${options.capWorkingDays} working days).`, { spacing: "small" }));
  return out;
}

function planAndCap(data: AlertCardData): CardElement[] {
  const d = data.dispute;
  if (!isOpen(d)) return [];
  if (data.plan && answerable(d)) {
    return planSection(data.plan, { fromStage: d.stage, onDeadline: d.ladder.onDeadline, capWorkingDays: d.ladder.capWorkingDays });
  }
  if (!d.capDueAt) return [];
  const passed = !!d.capNotices?.passedAt;
  return [
    textBlock(
      passed
        ? `The ${d.ladder.capWorkingDays}-working-day cap on the formal process passed on ${formatWhen(d.capDueAt)}.`
        : `The whole formal process should end by ${formatWhen(d.capDueAt)} (${d.ladder.capWorkingDays} working days).`,
      { spacing: "medium", ...(passed ? { color: "attention" as const, weight: "bolder" as const } : { isSubtle: true }) },
    ),
  ];
}

// ——— the history: every earlier stage, and what else happened ———

function earlierStage(d: Dispute, s: StageRecord, index: number, people?: Record<string, PersonRef>): CardElement {
  const round = d.stages.slice(0, index).some((x) => x.stage === s.stage) ? " (resumed)" : "";
  const title = s.stage === 0 ? `Informal · ${escapeMarkdown(roleTitle(d, s.role))}` : `Stage ${s.stage} · ${escapeMarkdown(s.title)}`;
  const dates = [`received ${formatWhen(s.receivedAt)}`, s.dueAt ? `due ${formatWhen(s.dueAt)}` : NO_TIMESCALE, s.response ? `answered ${formatWhen(s.response.at)}` : "no answer"];
  const items: CardElement[] = [
    textBlock(`**${title}${round}** · ${nameOf(s.assignee, people)}`, { spacing: "none" }),
    textBlock(dates.join(" · "), { isSubtle: true, size: "small", spacing: "none" }),
  ];
  if (s.response) {
    items.push(textBlock(`**Answer:** ${inline(s.response.text, LIMITS.earlierAnswer)}`, { spacing: "small" }));
    if (s.response.actionsAgreed) items.push(textBlock(`**Actions agreed:** ${inline(s.response.actionsAgreed, LIMITS.earlierAnswer)}`, { spacing: "none" }));
  }
  if (s.closed) {
    const how = { escalated: "Escalated", held: "Put on hold", resolved: "Resolved", withdrawn: "Withdrawn" }[s.closed.how];
    const why = s.closed.rationale ? ` ${inline(s.closed.rationale, LIMITS.rationale)}` : "";
    items.push(textBlock(`**${how}** ${formatWhen(s.closed.at)}.${why}`, { spacing: "none" }));
  }
  return { type: "Container", spacing: "medium", separator: index > 0, items };
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** One line for an audit event the stage records do not already tell; null for those they do. */
function eventLine(d: Dispute, e: AuditEvent): string | null {
  const who = e.actor ? escapeMarkdown(actingName(e.actor, e.coveringFor)) : "Resolve";
  const x = e.detail;
  const said = (v: unknown) => (str(v) ? `: ${inline(str(v), LIMITS.event)}` : "");
  switch (e.action) {
    case "add-note":
      return `${who} added a note${said(x.note)}`;
    case "acknowledge":
      return `${who} acknowledged stage ${x.stage}`;
    case "request-more-time":
      return `${who} asked for ${plural(Number(x.days), "more working day")}${said(x.reason)}`;
    case "extend":
      return `${who} moved the stage ${x.stage} deadline to ${str(x.to) ? formatWhen(str(x.to)) : "a later day"}${said(x.reason)}`;
    case "reassign": {
      const to = x.to as PersonRef | undefined;
      return `${who} gave the ${escapeMarkdown(roleTitle(d, str(x.role)))} role to ${to ? escapeMarkdown(to.displayName) : "someone else"}${said(x.reason)}`;
    }
    case "resume":
      return `${who} resumed stage ${x.stage}${said(x.reason)}`;
    case "intend-referral":
      return `${who} recorded an intention to refer to ${bodyName(x.to === "lscp" ? "lscp" : "cafcass")}${said(x.reasons)}`;
    case "refer":
      return `${who} referred the dispute to ${bodyName(x.to === "lscp" ? "lscp" : "cafcass")}`;
    case "record-child-informed":
      return `${who} recorded that the child was ${x.informed ? "" : "not "}told, advocacy ${x.advocacyOffered ? "" : "not "}offered${said(x.note)}`;
    case "deadline-passed":
      return x.automatic ? null : `Stage ${x.stage} fell due with no answer`;
    case "hold-ended":
      return "The hold ended: the IRO to close, resume or escalate";
    case "holder-away":
      return `${escapeMarkdown(str(x.holder))}'s automatic replies say they are away ${str(x.until) ? `until ${formatWhen(str(x.until))}` : "with no return date"}, past the deadline; the IRO may escalate now`;
    case "cap-warning":
      return `The ${d.ladder.capWorkingDays}-working-day cap is near; the IRO and QA were told`;
    case "cap-passed":
      return `The ${d.ladder.capWorkingDays}-working-day cap passed; the IRO and QA were told`;
    default:
      return null;
  }
}

function history(data: AlertCardData): CardElement[] {
  const d = data.dispute;
  const earlier = d.stages.slice(0, -1);
  const lines = [...data.history]
    .sort((a, b) => a.version - b.version)
    .flatMap((e) => {
      const line = eventLine(d, e);
      return line ? [`${formatWhen(e.at)} · ${line}`] : [];
    });
  if (!earlier.length && !lines.length) return [];
  const shown = lines.slice(-LIMITS.events);
  const summary = [
    earlier.length ? plural(earlier.length, "earlier stage") : "",
    lines.length ? plural(lines.length, "other entry", "other entries") : "",
  ].filter(Boolean);
  // Each stage once, in order: a round resumed after a hold is the same step on the ladder.
  const trail = earlier
    .map((s) => (s.stage === 0 ? "Informal" : escapeMarkdown(s.title)))
    .filter((t, i, all) => t !== all[i - 1])
    .join(" → ");
  const items: CardElement[] = earlier.map((s, i) => earlierStage(d, s, i, data.people));
  if (shown.length) {
    items.push(sectionHeading("Other entries"));
    if (lines.length > shown.length) items.push(textBlock(`${plural(lines.length - shown.length, "earlier entry", "earlier entries")}: ${FULL_RECORD}.`, { isSubtle: true, size: "small", spacing: "none" }));
    items.push(...shown.map((l) => textBlock(l, { spacing: "none", size: "small" })));
  }
  items.push(textBlock(`Long answers are shortened here: ${FULL_RECORD}.`, { isSubtle: true, size: "small", spacing: "medium" }));
  return [
    {
      type: "Container",
      id: "history-toggle",
      spacing: "large",
      separator: true,
      // A tooltip, not a title: a title would replace the visible words as the name a screen reader says.
      selectAction: { type: "Action.ToggleVisibility", tooltip: "Show or hide the history", targetElements: ["history", "history-show", "history-hide"] },
      items: [
        {
          type: "ColumnSet",
          columns: [
            { type: "Column", width: "stretch", items: [textBlock(`History: ${summary.join(", ")}`, { weight: "bolder" }), ...(trail ? [textBlock(trail, { isSubtle: true, size: "small", spacing: "none" })] : [])] },
            {
              type: "Column",
              width: "auto",
              verticalContentAlignment: "center",
              items: [textBlock("Show ▾", { id: "history-show", color: "accent" }), textBlock("Hide ▴", { id: "history-hide", color: "accent", isVisible: false, spacing: "none" })],
            },
          ],
        },
      ],
    },
    { type: "Container", id: "history", isVisible: false, items },
  ];
}

// ——— actions ———

type Action = CardElement;

function viewerLine(data: AlertCardData): CardElement[] {
  const d = data.dispute;
  const s = currentStage(d);
  const iro = nameOf(d.raisedBy, data.people);
  if (data.viewer === "reader") {
    const text = answerable(d)
      ? `You can see this dispute; only ${nameOf(s.assignee, data.people)} can answer it and only ${iro} can decide.`
      : isOpen(d)
        ? `You can see this dispute; only ${iro} can decide what happens next.`
        : "You can see this dispute; it is closed.";
    return [textBlock(text, { isSubtle: true, spacing: "large", separator: true })];
  }
  if (data.viewer === "assignee" && answerable(d) && data.actions.includes("respond")) {
    // An exception raised by whoever first knew is theirs and QA's to decide, not an IRO's.
    const decider = d.exception?.raisedAs ? `${iro}, who raised it, or the QA service then decides` : `${iro}, the IRO, then decides`;
    return [textBlock(`Answer here ${s.dueAt ? `by ${formatWhen(s.dueAt)}` : `(${NO_TIMESCALE})`}. ${decider} what happens next.`, { isSubtle: true, spacing: "large", separator: true })];
  }
  return [];
}

/** Every action this viewer may take, as buttons and the forms they open. */
function formActions(data: AlertCardData): { main: Action[]; more: Action[]; byForm: Map<string, Action> } {
  const d = data.dispute;
  const s = currentStage(d);
  const may = new Set(data.actions);
  const ref: CardActionData = { disputeId: d.id, version: d.version };
  const execute = (verb: DisputeAction, title: string, extra: Record<string, unknown> = {}): Action => ({ type: "Action.Execute", verb, title, data: { ...ref }, ...extra });
  const byForm = new Map<string, Action>();
  const show = (title: string, body: CardElement[], actions: Action[], extra: Record<string, unknown> = {}): Action => {
    const action = { type: "Action.ShowCard", title, card: { type: "AdaptiveCard", body, actions }, ...extra };
    // Which form this is, read from its inputs' ids ("hold.until" → "hold").
    const input = body.find((e) => typeof e.id === "string" && String(e.type).startsWith("Input."));
    if (input) byForm.set(String(input.id).split(".")[0]!, action);
    return action;
  };
  const text = (action: DisputeAction, field: string, label: string, options: Record<string, unknown> = {}): CardElement => ({
    type: "Input.Text",
    id: inputId(action, field),
    label,
    ...options,
  });
  const actions: Action[] = [];
  const more: Action[] = [];

  // The assignee's.
  if (may.has("respond")) {
    actions.push(
      show(
        "Respond",
        [
          text("respond", "response", s.mode === "meeting" ? "Outcome of the meeting" : "Your response", {
            isMultiline: true,
            maxLength: 4000,
            placeholder: "What has been or will be done, and by when",
            ...required("Write your response before sending it."),
          }),
          text("respond", "actionsAgreed", "Actions agreed (optional)", { isMultiline: true, maxLength: 4000 }),
          { type: "Input.Date", id: inputId("respond", "completionDate"), label: "Agreed completion date (optional)" },
        ],
        [execute("respond", "Send response", { style: "positive" })],
      ),
    );
  }
  if (may.has("acknowledge") && !s.acknowledgedAt) actions.push(execute("acknowledge", "Acknowledge"));
  if (may.has("request-more-time")) {
    actions.push(
      show(
        "Ask for more time",
        [
          { type: "Input.Number", id: inputId("request-more-time", "days"), label: "How many more working days", min: 1, max: 20, ...required("Say how many working days, from 1 to 20.") },
          text("request-more-time", "reason", "Why", { isMultiline: true, maxLength: 2000, ...required("Say why more time is needed.") }),
        ],
        [execute("request-more-time", "Send request")],
      ),
    );
  }

  // The IRO's.
  if (may.has("resolve")) {
    actions.push(
      show(
        "Resolve",
        [
          text("resolve", "outcome", "Outcome, for the child's record", { isMultiline: true, maxLength: 4000, ...required("Write the outcome before resolving.") }),
          text("resolve", "impact", "Impact for the child (optional): what changed for them", { isMultiline: true, maxLength: 4000 }),
        ],
        [execute("resolve", "Resolve the dispute", { style: "positive" })],
      ),
    );
  }
  const above = d.ladder.stages.filter((x) => x.stage > d.stage);
  if (may.has("escalate") && above.length) {
    actions.push(
      show(
        "Escalate",
        [
          {
            type: "Input.ChoiceSet",
            id: inputId("escalate", "toStage"),
            label: "Escalate to",
            style: "compact",
            value: String(above[0]!.stage),
            choices: above.map((x) => {
              const holder = d.ladder.roster[x.role];
              return { title: `Stage ${x.stage} · ${x.title}${holder ? ` (${holder.displayName})` : ""} · ${timescaleWords(timescaleOf(x))}${x.productDefault ? " (product default)" : ""}`, value: String(x.stage) };
            }),
            ...required("Choose the stage to escalate to."),
          },
          text("escalate", "rationale", "Rationale (the next recipient sees it)", { isMultiline: true, maxLength: 2000, ...required("Give the rationale for escalating.") }),
          { type: "Input.Number", id: inputId("escalate", "timescaleDays"), label: "Shorter response time in working days (optional)", min: 1, max: 20 },
        ],
        [execute("escalate", "Escalate", { style: "destructive" })],
      ),
    );
  }
  if (may.has("hold")) {
    const response = s.response;
    actions.push(
      show(
        "Hold until…",
        [
          textBlock("The dispute waits until the agreed date; you then close it, resume it or escalate it.", { isSubtle: true, size: "small" }),
          {
            type: "Input.Date",
            id: inputId("hold", "until"),
            label: "Agreed completion date (a working day)",
            ...(response?.completionDate ? { value: response.completionDate } : {}),
            ...required("Choose the agreed completion date."),
          },
          text("hold", "actionsAgreed", "Actions agreed", {
            isMultiline: true,
            maxLength: 4000,
            ...(response?.actionsAgreed ? { value: response.actionsAgreed } : {}),
            ...required("Write the actions agreed."),
          }),
        ],
        [execute("hold", "Put on hold")],
      ),
    );
  }
  if (may.has("extend")) {
    const asked = s.moreTimeRequested;
    actions.push(
      show(
        "Extend",
        [
          ...(asked
            ? [textBlock(`${nameOf(s.assignee, data.people)} asked for ${plural(asked.days, "more working day")}: ${inline(asked.reason, LIMITS.rationale)}`, { isSubtle: true, size: "small" })]
            : []),
          { type: "Input.Date", id: inputId("extend", "until"), label: s.dueAt ? `New due date (now ${formatWhen(s.dueAt)})` : `Due date (${NO_TIMESCALE} so far)`, ...required("Choose the new due date.") },
          text("extend", "reason", "Why", { isMultiline: true, maxLength: 2000, ...required("Say why the deadline moves.") }),
        ],
        [execute("extend", "Extend the deadline")],
      ),
    );
  }
  if (may.has("resume")) {
    actions.push(
      show(
        "Resume",
        [text("resume", "reason", "Why it resumes (optional)", { isMultiline: true, maxLength: 2000 })],
        [execute("resume", `Resume at ${s.stage === 0 ? "the informal stage" : `stage ${s.stage}`}`)],
      ),
    );
  }
  if (may.has("intend-referral") || may.has("refer")) {
    const first = (body: "cafcass" | "lscp") =>
      d.ladder.notify.beforeReferral[body].map((role) => d.ladder.roster[role]?.displayName ?? words(role));
    const note = (["cafcass", "lscp"] as const)
      .map((b) => (first(b).length ? `${bodyLabel(b)}: ${escapeMarkdown(first(b).join(", "))} must be told first.` : ""))
      .filter(Boolean)
      .join(" ");
    more.push(
      show(
        "Refer",
        [
          textBlock(`A referral can be made at any stage, alongside the dispute. ${note} Record the intention first; refer once they have been told.`, { isSubtle: true, size: "small" }),
          {
            type: "Input.ChoiceSet",
            id: inputId("refer", "to"),
            label: "Refer to",
            style: "expanded",
            choices: [
              { title: "CAFCASS (s.118 Adoption and Children Act 2002)", value: "cafcass" },
              { title: "LSCP (Local Safeguarding Children Partnership)", value: "lscp" },
            ],
            ...required("Choose CAFCASS or the LSCP."),
          },
          text("intend-referral", "reasons", "Reasons", { isMultiline: true, maxLength: 4000 }),
        ],
        [
          ...(may.has("intend-referral") ? [execute("intend-referral", "Record intention to refer")] : []),
          ...(may.has("refer") ? [execute("refer", "Refer now", { style: "destructive" })] : []),
        ],
      ),
    );
  }
  if (may.has("withdraw")) {
    more.push(
      show(
        "Withdraw",
        [text("withdraw", "reason", "Why the dispute is withdrawn", { isMultiline: true, maxLength: 2000, ...required("Say why it is withdrawn.") })],
        [execute("withdraw", "Withdraw the dispute", { style: "destructive" })],
      ),
    );
  }
  if (may.has("record-child-informed")) {
    const was = d.childInformed;
    more.push(
      show(
        "Record child informed",
        [
          { type: "Input.Toggle", id: inputId("record-child-informed", "informed"), label: "Child informed", title: "The child has been told of the dispute", valueOn: "true", valueOff: "false", value: String(was?.informed ?? false) },
          { type: "Input.Toggle", id: inputId("record-child-informed", "advocacyOffered"), label: "Advocacy", title: "The child was offered an advocate", valueOn: "true", valueOff: "false", value: String(was?.advocacyOffered ?? false) },
          text("record-child-informed", "note", "Note (optional)", { isMultiline: true, maxLength: 2000 }),
        ],
        [execute("record-child-informed", "Save")],
      ),
    );
  }
  if (may.has("add-note")) {
    more.push(
      show(
        "Add note",
        [text("add-note", "note", "Note, for the record", { isMultiline: true, maxLength: 2000, ...required("Write the note.") })],
        [execute("add-note", "Add note")],
      ),
    );
  }
  if (may.has("reassign")) {
    more.push(
      show(
        "Reassign",
        [
          personPicker(inputId("reassign", "to"), `Give ${s.stage === 0 ? "this" : `stage ${s.stage}`} to`, data.choosable ?? [], required("Choose the person to take it.")),
          text("reassign", "reason", "Why", { isMultiline: true, maxLength: 2000, ...required("Say why it is reassigned.") }),
        ],
        [execute("reassign", "Reassign")],
      ),
    );
  }
  // Meetings go with the other actions behind "More…".
  return { main: actions, more: [...more, ...meetingForms(data, show, execute, text), ...contactForms(d, may, show, execute, text)], byForm };
}

/** Ask for a meeting (anyone on the dispute, at any stage), and record the one held: chair, attendees, minutes, outcome. */
function meetingForms(
  data: AlertCardData,
  show: (title: string, body: CardElement[], actions: Action[]) => Action,
  execute: (verb: DisputeAction, title: string) => Action,
  text: (action: DisputeAction, field: string, label: string, options?: Record<string, unknown>) => CardElement,
): Action[] {
  const d = data.dispute;
  const may = new Set(data.actions);
  const people = Object.entries(d.ladder.roster).map(([role, p]) => ({ title: `${roleTitle(d, role)} · ${nameOf(p, data.people)}`, value: role }));
  const everyone = [{ title: `IRO · ${nameOf(d.raisedBy, data.people)}`, value: "iro" }, ...people];
  const forms: Action[] = [];
  if (may.has("request-meeting")) {
    forms.push(
      show(
        "Ask for a meeting",
        [
          textBlock("A Teams meeting is proposed in the calendar of the stage's holder, who chairs it; the IRO and you are invited.", { isSubtle: true, size: "small" }),
          { type: "Input.ChoiceSet", id: inputId("request-meeting", "invite"), label: "Also invite", isMultiSelect: true, choices: people },
          { type: "Input.Date", id: inputId("request-meeting", "by"), label: "To be held by (optional, a working day)" },
        ],
        [execute("request-meeting", "Ask for the meeting")],
      ),
    );
  }
  if (may.has("record-meeting") && (d.meetings ?? []).some((m) => m.stage === d.stage && !m.held)) {
    forms.push(
      show(
        "Record the meeting",
        [
          { type: "Input.Date", id: inputId("record-meeting", "heldOn"), label: "Held on", ...required("Choose the day it was held.") },
          { type: "Input.ChoiceSet", id: inputId("record-meeting", "chair"), label: "Chaired by", choices: everyone, ...required("Choose who chaired it.") },
          { type: "Input.ChoiceSet", id: inputId("record-meeting", "attended"), label: "Attended", isMultiSelect: true, choices: everyone, ...required("Choose who attended.") },
          text("record-meeting", "minutes", "Minutes", { isMultiline: true, maxLength: 4000, ...required("Write the minutes.") }),
          text("record-meeting", "outcome", "Outcome", { isMultiline: true, maxLength: 4000, ...required("Write the outcome.") }),
        ],
        [execute("record-meeting", "Record")],
      ),
    );
  }
  return forms;
}

/** The refused form, open: what was typed put back in each input, the reason under the field it is about. */
function typedForm(typed: NonNullable<AlertCardData["typed"]>, form: Action): CardElement {
  const card = form.card as { body: CardElement[]; actions: CardElement[] };
  const wrong = typed.field ? inputId(typed.action, typed.field) : undefined;
  const body = card.body.flatMap((e) => {
    const id = typeof e.id === "string" ? e.id : undefined;
    const typedValue = id ? typed.values[id] : undefined;
    const filled = typedValue === undefined || typedValue === null ? e : { ...e, value: e.type === "Input.Number" ? Number(typedValue) : String(typedValue) };
    return id && id === wrong ? [filled, textBlock(escapeMarkdown(typed.message), { color: "attention", size: "small", spacing: "none" })] : [filled];
  });
  return {
    type: "Container",
    id: "typed",
    style: "emphasis",
    spacing: "large",
    separator: true,
    items: [textBlock(`${escapeMarkdown(String(form.title))}: what you typed is kept below`, { weight: "bolder" }), ...body, { type: "ActionSet", actions: card.actions }],
  };
}

/** The one thing this reader is most likely here to do: answer, or the decision the state calls for. */
function mainVerb(data: AlertCardData): DisputeAction | undefined {
  const d = data.dispute;
  if (data.viewer === "assignee") return "respond";
  if (d.state === "awaiting-decision") return "resolve";
  if (d.state === "on-hold") return d.hold?.ended ? "resolve" : "resume";
  return "escalate";
}

/**
 * The main action first and emphasised, then "More…", which shows the rest (a toggle, not
 * `mode: "secondary"`: Teams does not open a ShowCard from its overflow menu). Each ActionSet holds
 * at most five (the renderers' limit); forms open inline below their row.
 */
function actionRows(data: AlertCardData, afterLine: boolean): CardElement[] {
  if (data.viewer === "reader") return [];
  const all = formActions(data);
  const open = data.typed ? all.byForm.get(FORMS[data.typed.action].form) : undefined;
  // Input ids are unique in a card: the open form is not also behind its button.
  const actions = [...all.main, ...all.more].filter((a) => a !== open);
  const verb = mainVerb(data);
  const isMain = (a: Action) => (a.type === "Action.Execute" ? a.verb === verb : all.byForm.get(verb ? FORMS[verb].form : "") === a);
  const main = actions.find(isMain) ?? actions[0];
  const rest = actions.filter((a) => a !== main);
  const first = { spacing: afterLine ? "medium" : "large", separator: !afterLine };
  const rows: CardElement[] = [];
  for (let i = 0; i < rest.length; i += 5) rows.push({ type: "ActionSet", spacing: "small", actions: rest.slice(i, i + 5) });
  const moreButton: Action = { type: "Action.ToggleVisibility", title: "More…", tooltip: "The other things you can do", targetElements: ["more-actions"] };
  return [
    ...(open && data.typed ? [typedForm(data.typed, open)] : []),
    ...(main ? [{ type: "ActionSet", ...first, actions: [{ ...main, style: main.style ?? "positive" }, ...(rest.length ? [moreButton] : [])] }] : []),
    ...(rest.length ? [{ type: "Container", id: "more-actions", isVisible: false, spacing: "none", items: rows }] : []),
  ];
}

/** The alert card for one viewer of one dispute. */
export function alertCard(data: AlertCardData): AdaptiveCard {
  const d = data.dispute;
  const line = viewerLine(data);
  const body: CardElement[] = [
    ...(data.banner ? [banner(data.banner)] : []),
    header(data),
    ...exceptionNotice(data),
    facts(data),
    ...whyHere(data),
    ...statement("Concerns", d.concerns, LIMITS.statement),
    ...statement("Outcomes sought", d.outcomesSought, LIMITS.statement),
    ...currentAnswer(data),
    ...referrals(data),
    ...planAndCap(data),
    ...history(data),
    ...line,
    ...actionRows(data, line.length > 0),
  ];
  return adaptiveCard(body, [], {
    speak: spoken(data),
    refresh: {
      action: { type: "Action.Execute", verb: "refresh", data: { disputeId: d.id, version: d.version } },
      userIds: data.refreshUserIds,
    },
  });
}
