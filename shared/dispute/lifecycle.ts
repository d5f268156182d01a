import { describeIssues } from "../procedure/procedureSchema";
import { type Result, ok } from "../result";
import { type Command, CommandSchema, type ParsedCommand } from "./commands";
import { type Dispute, type DisputeState, isOpen } from "./disputeSchema";
import type { Effect } from "./effects";
import { auditEvent } from "./events";
import type { PersonRef } from "./people";
import { ACTION_PARTY, coveringFor, isParticipant, mayTake } from "./permissions";
import { scheduleTimers } from "./timers";
import { acknowledge, requestMoreTime, respond } from "./lifecycle/answer";
import { holderAway } from "./lifecycle/away";
import { type Change, type DecideContext, type Decision, type Handler, type Rejection, reject } from "./lifecycle/change";
import { escalate, extend, reassign, resolve, withdraw } from "./lifecycle/decisions";
import { hold, resume } from "./lifecycle/hold";
import { closedMessage, describeState, forbiddenMessage, notAllowedMessage, staleMessage } from "./lifecycle/messages";
import { recordMeeting, requestMeeting } from "./lifecycle/meetings";
import { addNote } from "./lifecycle/notes";
import { recordConsultation, setChildContacts, tellBeyondLadder } from "./lifecycle/contacts";
import { raise, raiseException } from "./lifecycle/raise";
import { intendReferral, recordChildInformed, refer } from "./lifecycle/refer";
import { capNotice, deadlinePassed, holdEnded, reminderDue } from "./lifecycle/timers";

export type { DecideContext, Decision, Rejection, RejectionCode } from "./lifecycle/change";
export { describeState };

/** The states in which each action makes sense. */
const ALLOWED_IN: Record<ParsedCommand["action"], readonly (DisputeState | "none")[]> = {
  raise: ["none"],
  "raise-exception": ["none"],
  respond: ["informal", "awaiting-response"],
  acknowledge: ["informal", "awaiting-response"],
  "request-more-time": ["informal", "awaiting-response"],
  escalate: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  extend: ["informal", "awaiting-response"],
  hold: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  resume: ["on-hold"],
  resolve: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  withdraw: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  reassign: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  "intend-referral": ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  refer: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  "record-child-informed": ["informal", "awaiting-response", "awaiting-decision", "on-hold", "resolved", "withdrawn"],
  "add-note": ["informal", "awaiting-response", "awaiting-decision", "on-hold", "resolved", "withdrawn"],
  "request-meeting": ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  "record-meeting": ["informal", "awaiting-response", "awaiting-decision", "on-hold", "resolved", "withdrawn"],
  "set-child-contacts": ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  "record-consultation": ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  "reminder-due": ["informal", "awaiting-response"],
  "deadline-passed": ["informal", "awaiting-response"],
  "hold-ended": ["on-hold"],
  "cap-warning": ["awaiting-response", "awaiting-decision", "on-hold"],
  "cap-passed": ["awaiting-response", "awaiting-decision", "on-hold"],
  "holder-away": ["informal", "awaiting-response"],
};

export const isAllowedIn = (action: ParsedCommand["action"], state: DisputeState) => ALLOWED_IN[action].includes(state);

/**
 * The dispute lifecycle: (dispute, command, context) → the new dispute, its one audit event and
 * the effects to deliver, or a rejection that says why and changes nothing.
 */
export function decide(dispute: Dispute | undefined, command: Command, ctx: DecideContext): Result<Decision, Rejection> {
  const parsed = CommandSchema.safeParse(command);
  if (!parsed.success) return reject("invalid", describeIssues(parsed.error));
  const c = parsed.data;
  const actorPerson = ctx.actor.kind === "person" ? ctx.actor.person : null;

  if (c.action === "raise" || c.action === "raise-exception") {
    if (dispute) return reject("conflict", `Dispute ${dispute.id} already exists.`);
    const raised = c.action === "raise" ? raise(c, ctx) : raiseException(c, ctx);
    if (!raised.ok) return raised;
    return ok(stamp(undefined, tellBeyondLadder(undefined, raised.value, c, ctx), c.action, actorPerson, ctx));
  }

  if (!dispute) return reject("not-found", "No such dispute.");
  // Closed: those who took part are told so and by whom, not that they have no part in it.
  if (!isOpen(dispute) && !isAllowedIn(c.action, dispute.state) && isParticipant(dispute, ctx.actor)) return reject("conflict", closedMessage(dispute, c.action));
  if (!mayTake(dispute, c.action, ctx.actor)) return reject("forbidden", forbiddenMessage(dispute, c.action));
  if ("expectedVersion" in c && c.expectedVersion !== undefined && c.expectedVersion !== dispute.version) {
    return reject("stale", staleMessage(dispute));
  }
  if (!isAllowedIn(c.action, dispute.state)) return reject("conflict", notAllowedMessage(dispute, c.action));

  const handler = HANDLERS[c.action] as Handler<typeof c.action>;
  const changed = handler(dispute, c as never, ctx);
  if (!changed.ok) return changed;
  return ok(stamp(dispute, tellBeyondLadder(dispute, changed.value, c, ctx), c.action, actorPerson, ctx));
}

function stamp(
  before: Dispute | undefined,
  change: Change,
  action: ParsedCommand["action"],
  actor: PersonRef | null,
  ctx: DecideContext,
): Decision {
  const version = (before?.version ?? 0) + 1;
  let dispute: Dispute = { ...change.dispute, version, updatedAt: ctx.now.toISOString(), lastChange: { action, by: actor, at: ctx.now.toISOString() } };
  if (change.reschedule) dispute = { ...dispute, timers: scheduleTimers(dispute, ctx.now, ctx.calendar) };
  const effects = change.effects.map((e, i) => ({ ...e, id: `${dispute.id}:${version}:${i + 1}`, disputeId: dispute.id }) as Effect);
  const covering = before && action in ACTION_PARTY && ACTION_PARTY[action as keyof typeof ACTION_PARTY] === "assignee" ? coveringFor(before, ctx.actor) : undefined;
  const event = auditEvent(before, dispute, action, actor, ctx.source, ctx.now, change.detail, covering);
  return { dispute, event, effects };
}

const HANDLERS: { [A in Exclude<ParsedCommand["action"], "raise" | "raise-exception">]: Handler<A> } = {
  respond,
  acknowledge,
  "request-more-time": requestMoreTime,
  escalate,
  extend,
  hold,
  resume,
  resolve,
  withdraw,
  reassign,
  "intend-referral": intendReferral,
  refer,
  "record-child-informed": recordChildInformed,
  "add-note": addNote,
  "request-meeting": requestMeeting,
  "record-meeting": recordMeeting,
  "set-child-contacts": setChildContacts,
  "record-consultation": recordConsultation,
  "reminder-due": reminderDue,
  "deadline-passed": deadlinePassed,
  "hold-ended": holdEnded,
  "cap-warning": capNotice("cap-warning"),
  "cap-passed": capNotice("cap-passed"),
  "holder-away": holderAway,
};
