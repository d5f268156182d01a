import { formatLongDay, formatLongWhen, londonDate } from "../../calendar/londonTime";
import type { ParsedCommand } from "../commands";
import { type Dispute, currentStage } from "../disputeSchema";
import { actingName } from "../people";
import { ACTION_PARTY, decidersOf } from "../permissions";

// What a person reads when a command is refused for who they are or where the dispute stands.

export function describeState(d: Dispute): string {
  const s = currentStage(d);
  switch (d.state) {
    case "informal":
      return `informal, with ${s.assignee.displayName}`;
    case "awaiting-response":
      return `at stage ${d.stage} (${s.title}), awaiting ${s.assignee.displayName}'s response`;
    case "awaiting-decision":
      return `at stage ${d.stage} (${s.title}), answered by ${s.response ? actingName(s.response.by, s.response.coveringFor) : "someone"}, awaiting the IRO's decision`;
    case "on-hold":
      return d.hold ? `on hold until ${formatLongDay(d.hold.until)}` : "on hold";
    case "resolved":
      return `resolved by ${d.outcome?.by.displayName} on ${formatLongWhen(d.outcome?.at ?? d.updatedAt)}`;
    case "withdrawn":
      return `withdrawn on ${formatLongWhen(closedAt(d))}`;
  }
}

/** How an action reads after "can" where its name does not: "can answer it", not "can respond it". */
const CAN: Partial<Record<ParsedCommand["action"], string>> = {
  respond: "answer",
  "request-more-time": "ask for more time on",
  "intend-referral": "record an intended referral on",
  "record-child-informed": "record whether the child was told of",
  "request-meeting": "ask for a meeting on",
  "record-meeting": "record a meeting on",
  "set-child-contacts": "name the child's Guardian or solicitor on",
  "record-consultation": "record a consultation on",
};

export function forbiddenMessage(d: Dispute, action: keyof typeof ACTION_PARTY): string {
  switch (ACTION_PARTY[action]) {
    case "assignee":
      return `Only ${currentStage(d).assignee.displayName}, who holds dispute ${d.id} now, can ${CAN[action] ?? action} it.`;
    case "decider":
      return `Only ${whoDecides(d, action)} can ${CAN[action] ?? action} it.`;
    case "participant":
      return `Only people taking part in dispute ${d.id} can add to it.`;
    case "system":
      return `${action} is taken by the timers, not by a person.`;
  }
}

/** The parties the procedure lets take this decision, by name: "Amy Iro, who raised dispute D-1, or the QA service". */
function whoDecides(d: Dispute, action: keyof typeof ACTION_PARTY): string {
  const names = decidersOf(d, action).map((party) =>
    party === "iro" ? `${d.raisedBy.displayName}, who raised dispute ${d.id},` : party === "qa" ? "the QA service" : (d.ladder.roster[party]?.displayName ?? "nobody"),
  );
  // The clause about the IRO carries its own closing comma: "Alex Wilber, who raised dispute D-1, or the QA service".
  return names.reduce((text, name, i) => {
    if (i === 0) return name;
    const joiner = i === names.length - 1 ? " or " : text.endsWith(",") ? " " : ", ";
    return `${text}${joiner}${name}`;
  }, "").replace(/,$/, "");
}

export function notAllowedMessage(d: Dispute, action: ParsedCommand["action"]): string {
  const s = currentStage(d);
  if (action === "respond" && d.state === "awaiting-decision" && s.response) {
    return `Stage ${s.stage} of dispute ${d.id} was already answered by ${actingName(s.response.by, s.response.coveringFor)} on ${formatLongWhen(s.response.at)}. Nothing was changed.`;
  }
  return `Dispute ${d.id} is ${describeState(d)}: it cannot be ${PAST[action]} now. Nothing was changed.`;
}

const closedAt = (d: Dispute) => currentStage(d).closed?.at ?? d.updatedAt;

/** "Dispute D-1 was resolved by Alex Wilber on Tuesday 5 January 2027: it is closed and cannot be escalated now. …" */
export function closedMessage(d: Dispute, action: ParsedCommand["action"]): string {
  const when = formatLongDay(londonDate(new Date(d.state === "resolved" ? (d.outcome?.at ?? closedAt(d)) : closedAt(d))));
  const by = d.state === "resolved" && d.outcome ? ` by ${d.outcome.by.displayName}` : "";
  return `Dispute ${d.id} was ${d.state}${by} on ${when}: it is closed and cannot be ${PAST[action]} now. Nothing was changed.`;
}

/** What changed since the card was shown, and who did it: "Alex Wilber added a note on … at 10:42". */
export function staleMessage(d: Dispute): string {
  const c = d.lastChange;
  const what = c ? ` ${c.by?.displayName ?? "Resolve"} ${DID[c.action as ParsedCommand["action"]] ?? "changed it"} on ${formatLongWhen(c.at)}.` : "";
  return `Dispute ${d.id} has changed since this was shown:${what} It is now ${describeState(d)}. Nothing was changed.`;
}

/** What someone did, after their name: "Megan Bowen answered it". */
const DID: Record<ParsedCommand["action"], string> = {
  raise: "raised it",
  "raise-exception": "raised it",
  respond: "answered it",
  acknowledge: "acknowledged it",
  "request-more-time": "asked for more time",
  escalate: "escalated it",
  extend: "moved the deadline",
  hold: "put it on hold",
  resume: "took it off hold",
  resolve: "resolved it",
  withdraw: "withdrew it",
  reassign: "reassigned it",
  "intend-referral": "recorded an intended referral",
  refer: "referred it",
  "record-child-informed": "recorded whether the child was told",
  "add-note": "added a note",
  "request-meeting": "asked for a meeting",
  "record-meeting": "recorded the meeting",
  "set-child-contacts": "changed the child's Guardian and solicitor",
  "record-consultation": "recorded a consultation",
  "reminder-due": "sent a reminder",
  "deadline-passed": "marked it overdue",
  "hold-ended": "ended the hold",
  "cap-warning": "warned that the 20 working day limit is near",
  "cap-passed": "marked it past the 20 working day limit",
  "holder-away": "told the IRO the holder is away",
};

const PAST: Record<ParsedCommand["action"], string> = {
  raise: "raised",
  "raise-exception": "raised",
  respond: "answered",
  acknowledge: "acknowledged",
  "request-more-time": "given more time on request",
  escalate: "escalated",
  extend: "extended",
  hold: "put on hold",
  resume: "resumed",
  resolve: "resolved",
  withdraw: "withdrawn",
  reassign: "reassigned",
  "intend-referral": "marked for referral",
  refer: "referred",
  "record-child-informed": "updated",
  "add-note": "noted",
  "request-meeting": "given a meeting",
  "record-meeting": "given a meeting's record",
  "set-child-contacts": "given the child's contacts",
  "record-consultation": "given a consultation",
  "reminder-due": "reminded",
  "deadline-passed": "marked overdue",
  "hold-ended": "taken off hold",
  "cap-warning": "warned about the cap",
  "cap-passed": "marked past the cap",
  "holder-away": "noted as with a holder away",
};
