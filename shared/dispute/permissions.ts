import type { Action } from "./commands";
import { type Dispute, currentStage } from "./disputeSchema";
import { type Actor, samePerson } from "./people";

/** Who may take each action: the assignee answers, the IRO (or QA) decides, timers are the system's. */
export type Party = "assignee" | "decider" | "participant" | "system";

export const ACTION_PARTY: Record<Exclude<Action, "raise" | "raise-exception">, Party> = {
  respond: "assignee",
  acknowledge: "assignee",
  "request-more-time": "assignee",
  escalate: "decider",
  extend: "decider",
  hold: "decider",
  resume: "decider",
  resolve: "decider",
  withdraw: "decider",
  reassign: "decider",
  "intend-referral": "decider",
  refer: "decider",
  "record-child-informed": "decider",
  "add-note": "participant",
  "reminder-due": "system",
  "deadline-passed": "system",
  "hold-ended": "system",
  "cap-warning": "system",
  "cap-passed": "system",
};

/** The person who raised it, or QA, who oversee every dispute. */
export function isDecider(d: Dispute, actor: Actor): boolean {
  return actor.kind === "person" && (samePerson(actor.person, d.raisedBy) || actor.capabilities.includes("qa"));
}

export function isAssignee(d: Dispute, actor: Actor): boolean {
  return actor.kind === "person" && samePerson(actor.person, currentStage(d).assignee);
}

/** Anyone with a place on the dispute: its decider, anyone who has held a stage. */
export function isParticipant(d: Dispute, actor: Actor): boolean {
  return (
    isDecider(d, actor) ||
    (actor.kind === "person" && d.stages.some((s) => samePerson(s.assignee, actor.person)))
  );
}

export function mayTake(d: Dispute, action: keyof typeof ACTION_PARTY, actor: Actor): boolean {
  switch (ACTION_PARTY[action]) {
    case "assignee":
      return isAssignee(d, actor);
    case "decider":
      return isDecider(d, actor);
    case "participant":
      return isParticipant(d, actor);
    case "system":
      return actor.kind === "system";
  }
}

/** The actions this person could take on the dispute now, for cards and pages. */
export function actionsFor(d: Dispute, actor: Actor, allowedInState: (a: keyof typeof ACTION_PARTY) => boolean) {
  return (Object.keys(ACTION_PARTY) as (keyof typeof ACTION_PARTY)[]).filter(
    (a) => ACTION_PARTY[a] !== "system" && mayTake(d, a, actor) && allowedInState(a),
  );
}
