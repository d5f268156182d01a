import { formatLongDay, londonDate } from "../calendar/londonTime";
import { type Dispute, currentStage, isOpen } from "../dispute/disputeSchema";
import { type PersonRef, actingName } from "../dispute/people";
import { waitingOn } from "../dispute/waitingOn";
import type { DisputeCardData } from "./cardContract";
import { type CardElement, NO_TIMESCALE, escapeMarkdown, formatDay, formatWhen, isClipped, legalStatusLabel, plural, sectionHeading, spokenLines, textBlock, userText, words } from "./text";

/**
 * The parts every card about a dispute is built from: names and stage titles in words, the banner
 * saying what just happened, the header (a headline to the reader, where the dispute stands, its
 * status and when it is due) and the facts, labels in bold and one fact a line.
 */

/** Teams refuses a message over about 28 KB; long texts are clipped here and kept whole in the tab. */
export const LIMITS = { statement: 1500, answer: 1500, why: 1000, earlierAnswer: 200, rationale: 240, event: 200, events: 8 };
export const FULL_RECORD = "full record in the tab";

// ——— words ———

export const nameOf = (p: PersonRef, people?: Record<string, PersonRef>) => escapeMarkdown(people?.[p.id]?.displayName ?? p.displayName);
export const answererOf = (r: { by: PersonRef; coveringFor?: PersonRef }, people?: Record<string, PersonRef>) => actingName(r.by, r.coveringFor, (p) => nameOf(p, people));

export function roleTitle(d: Dispute, role: string): string {
  return d.ladder.stages.find((s) => s.role === role)?.title ?? words(role);
}

/** "Dispute D-1 · Stage 2 of 5 · Service Manager", or "… · Informal · Team Manager". */
export function headerLine(d: Dispute): string {
  const s = currentStage(d);
  const where = s.stage === 0 ? `Informal · ${roleTitle(d, s.role)}` : `Stage ${s.stage} of ${d.ladder.stages.length} · ${s.title}`;
  return escapeMarkdown(`Dispute ${d.id} · ${where}`);
}

export function stateWords(d: Dispute, people?: Record<string, PersonRef>): { text: string; color: "default" | "good" | "warning" | "attention" | "accent" } {
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

export const answerable = (d: Dispute) => d.state === "informal" || d.state === "awaiting-response";
export const bodyName = (b: "cafcass" | "lscp") => (b === "cafcass" ? "CAFCASS" : "the LSCP");
export const bodyLabel = (b: "cafcass" | "lscp") => (b === "cafcass" ? "CAFCASS" : "LSCP");
/** A person's text on one line, for lists and facts. */
export const inline = (text: string, max: number) => userText(text, max).replace(/\n\n/g, " ");
export const yesNo = (b: boolean) => (b ? "yes" : "no");

// ——— sections ———

const BANNER_STYLE = { good: "good", attention: "attention", warning: "warning", default: "emphasis" } as const;

export function banner(b: NonNullable<DisputeCardData["banner"]>): CardElement {
  return { type: "Container", style: BANNER_STYLE[b.tone], bleed: true, items: [textBlock(escapeMarkdown(b.text), { weight: "bolder" })] };
}

/** What the card asks of its reader, in a line to them: "New dispute for you: please respond by …". */
export function headline(data: DisputeCardData): string | undefined {
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

/** The card's top: a headline to the reader (the alert's own, or a notice's), where the dispute stands, its status, when it is due. */
export function header(data: DisputeCardData, line = headline(data)): CardElement {
  const d = data.dispute;
  const s = currentStage(d);
  const state = stateWords(d, data.people);
  const items: CardElement[] = [
    ...(line ? [textBlock(line, { size: "large", weight: "bolder" })] : []),
    textBlock(headerLine(d), { style: "heading", size: "medium", weight: "bolder", ...(line ? { spacing: "small" } : {}) }),
    textBlock(state.text, { id: "status", color: state.color, spacing: "small", weight: "bolder" }),
  ];
  if (answerable(d)) {
    const due = dueLine(s.dueAt, data.workingDaysLeft, !!s.overdueSince);
    items.push(textBlock(due.text, { color: due.color, spacing: "none" }));
  }
  if (d.direction === "reverse") items.push(textBlock("A concern raised by the service about the IRO (reverse dispute)", { isSubtle: true, spacing: "none" }));
  return { type: "Container", style: "emphasis", bleed: true, items };
}

/** What a screen reader announces for the card: what just happened, a notice's headline, where it stands and when it is due. */
export function spoken(data: DisputeCardData, line?: string): string {
  const d = data.dispute;
  const s = currentStage(d);
  return spokenLines([
    data.banner && escapeMarkdown(data.banner.text),
    line,
    headerLine(d),
    stateWords(d, data.people).text,
    answerable(d) && dueLine(s.dueAt, data.workingDaysLeft, !!s.overdueSince).text,
  ]);
}

export function facts(data: DisputeCardData): CardElement {
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

/** What a person wrote, under its label, clipped to fit the card with a word that says so. */
export function statement(title: string, text: string, max: number): CardElement[] {
  const blocks = [sectionHeading(title), textBlock(userText(text, max), { spacing: "small" })];
  if (isClipped(text, max)) blocks.push(textBlock(`Shortened here: ${FULL_RECORD}.`, { isSubtle: true, size: "small", spacing: "none" }));
  return blocks;
}
