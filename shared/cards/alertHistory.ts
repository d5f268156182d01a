import { formatLongDay, londonDate } from "../calendar/londonTime";
import type { Dispute, StageRecord } from "../dispute/disputeSchema";
import type { AuditEvent } from "../dispute/events";
import { type PersonRef, actingName } from "../dispute/people";
import type { AlertCardData } from "./cardContract";
import { FULL_RECORD, LIMITS, bodyName, inline, nameOf, roleTitle } from "./alertParts";
import { type CardElement, NO_TIMESCALE, escapeMarkdown, formatWhen, plural, sectionHeading, textBlock } from "./text";

/** The alert card's history: every earlier stage, and what else happened, folded until asked for. */

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
      return `${escapeMarkdown(str(x.holder))}'s automatic replies say they are away ${str(x.until) ? `until ${formatLongDay(londonDate(new Date(str(x.until))))}` : "with no return date"}, past the deadline; the IRO may escalate now`;
    case "cap-warning":
      return `The ${d.ladder.capWorkingDays}-working-day cap is near; the IRO and QA were told`;
    case "cap-passed":
      return `The ${d.ladder.capWorkingDays}-working-day cap passed; the IRO and QA were told`;
    default:
      return null;
  }
}

export function history(data: AlertCardData): CardElement[] {
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
