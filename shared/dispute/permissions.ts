import { DEFAULT_DECIDERS, type Party as ProcedureParty } from "../procedure/procedureSchema";
import type { Action } from "./commands";
import { type Dispute, currentStage } from "./disputeSchema";
import { type Actor, type PersonRef, samePerson } from "./people";

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
  "request-meeting": "participant",
  "record-meeting": "participant",
  "set-child-contacts": "decider",
  "record-consultation": "decider",
  "reminder-due": "system",
  "deadline-passed": "system",
  "hold-ended": "system",
  "cap-warning": "system",
  "cap-passed": "system",
  "holder-away": "system",
};

/** The person who raised it, or QA, who oversee every dispute. */
export function isDecider(d: Dispute, actor: Actor): boolean {
  return actor.kind === "person" && (samePerson(actor.person, d.raisedBy) || actor.capabilities.includes("qa"));
}

/** The holder of the current stage, or one of its joint holders: either may answer. */
export function holdsStage(d: Dispute, person: PersonRef | undefined): boolean {
  const s = currentStage(d);
  return samePerson(person, s.assignee) || (s.jointAssignees ?? []).some((p) => samePerson(person, p));
}

/** A holder of the current stage, or the person covering for one while their cover stands. */
export function isAssignee(d: Dispute, actor: Actor): boolean {
  return actor.kind === "person" && (holdsStage(d, actor.person) || holdsStage(d, actor.coverFor));
}

/** The holder this person answers for as their cover, when they do not hold the stage themselves. */
export function coveringFor(d: Dispute, actor: Actor): PersonRef | undefined {
  return actor.kind === "person" && !holdsStage(d, actor.person) && holdsStage(d, actor.coverFor) ? actor.coverFor : undefined;
}

/** Whether the person is one of these parties on this dispute: its IRO, the QA service, or the holder of a named role. */
export function isParty(d: Dispute, actor: Actor, parties: readonly ProcedureParty[]): boolean {
  if (actor.kind !== "person") return false;
  return parties.some((party) =>
    party === "iro"
      ? samePerson(actor.person, d.raisedBy)
      : party === "qa"
        ? actor.capabilities.includes("qa")
        : samePerson(actor.person, d.ladder.roster[party]),
  );
}

/**
 * Who the procedure lets take a decision that it narrows: escalating from the current stage, and
 * closing (resolve, withdraw). Every other decision stays with the IRO and QA.
 */
export function decidersOf(d: Dispute, action: Action): readonly ProcedureParty[] {
  if (action === "escalate") return d.ladder.stages.find((s) => s.stage === d.stage)?.escalateBy ?? DEFAULT_DECIDERS;
  if (action === "resolve" || action === "withdraw") return d.ladder.closeBy ?? DEFAULT_DECIDERS;
  return DEFAULT_DECIDERS;
}

/** Anyone with a place on the dispute: its decider, anyone who has held a stage, anyone the procedure lets escalate or close it. */
export function isParticipant(d: Dispute, actor: Actor): boolean {
  return (
    isDecider(d, actor) ||
    (actor.kind === "person" && d.stages.some((s) => samePerson(s.assignee, actor.person) || (s.jointAssignees ?? []).some((p) => samePerson(p, actor.person)))) ||
    isParty(d, actor, [...d.ladder.stages.flatMap((s) => s.escalateBy ?? []), ...(d.ladder.closeBy ?? [])])
  );
}

export function mayTake(d: Dispute, action: keyof typeof ACTION_PARTY, actor: Actor): boolean {
  switch (ACTION_PARTY[action]) {
    case "assignee":
      return isAssignee(d, actor);
    case "decider":
      return isParty(d, actor, decidersOf(d, action));
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
