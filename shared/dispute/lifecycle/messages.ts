import { formatLondon } from "../../calendar/londonTime";
import type { ParsedCommand } from "../commands";
import { type Dispute, currentStage } from "../disputeSchema";
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
      return `at stage ${d.stage} (${s.title}), answered by ${s.response?.by.displayName}, awaiting the IRO's decision`;
    case "on-hold":
      return `on hold until ${d.hold?.until}`;
    case "resolved":
      return `resolved by ${d.outcome?.by.displayName} at ${formatLondon(d.outcome?.at ?? d.updatedAt)}`;
    case "withdrawn":
      return `withdrawn at ${formatLondon(d.updatedAt)}`;
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
    return `Stage ${s.stage} of dispute ${d.id} was already answered by ${s.response.by.displayName} at ${formatLondon(s.response.at)}. Nothing was changed.`;
  }
  return `Dispute ${d.id} is ${describeState(d)}: it cannot be ${PAST[action]} now. Nothing was changed.`;
}

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
  "reminder-due": "reminded",
  "deadline-passed": "marked overdue",
  "hold-ended": "taken off hold",
  "cap-warning": "warned about the cap",
  "cap-passed": "marked past the cap",
};
