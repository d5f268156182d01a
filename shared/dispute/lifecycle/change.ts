import type { WorkingCalendar } from "../../calendar/workingDays";
import type { Procedure } from "../../procedure/procedureSchema";
import { type Result, err } from "../../result";
import type { CommandOf, ParsedCommand } from "../commands";
import type { Dispute } from "../disputeSchema";
import type { Effect, EffectDraft } from "../effects";
import type { AuditEvent } from "../events";
import type { Actor, Roster, Source } from "../people";

// What every lifecycle rule takes and gives back: the context, the change it makes, or why not.

/** "busy": others kept acting at the same moment; the command may simply be tried again. */
export type RejectionCode = "invalid" | "forbidden" | "not-found" | "conflict" | "stale" | "busy";
/** Why a command was not applied; nothing changed. */
export interface Rejection {
  code: RejectionCode;
  message: string;
  /** The input the message is about (its id in the card and the API), so a form can mark it; the message names it by its label. */
  field?: string;
}

export interface DecideContext {
  actor: Actor;
  now: Date;
  /** The procedure a new dispute is raised under; a running dispute follows its own snapshot. */
  procedure: Procedure;
  calendar: WorkingCalendar;
  /** Who holds each role for the child's team: needed to raise. */
  roster?: Roster;
  /** The child's team by its name, for what a person reads when a raise is refused. */
  teamName?: string;
  source: Source;
}

export interface Decision {
  dispute: Dispute;
  event: AuditEvent;
  effects: Effect[];
}

export const reject = (code: RejectionCode, message: string, field?: string): Result<never, Rejection> =>
  err(field ? { code, message, field } : { code, message });

/** What a handler produces before the version, the audit event and the effect ids are stamped on. */
export interface Change {
  dispute: Dispute;
  detail: Record<string, unknown>;
  effects: EffectDraft[];
  /** Recompute the timers: the schedule moved. */
  reschedule: boolean;
}

export type Handler<A extends ParsedCommand["action"]> = (
  d: Dispute,
  c: CommandOf<A>,
  ctx: DecideContext,
) => Result<Change, Rejection>;
