import type { Command } from "../../../shared/dispute/commands";
import { type Dispute, currentStage } from "../../../shared/dispute/disputeSchema";
import type { Effect } from "../../../shared/dispute/effects";
import type { Decision } from "../../../shared/dispute/lifecycle";
import type { Actor } from "../../../shared/dispute/people";
import type { Procedure } from "../../../shared/procedure/procedureSchema";
import { apply, ctx, details, sweep } from "../../fixtures/disputes";
import { iro } from "../../fixtures/people";

/** Who was told what, and how: [notice, upn, channel], in order. */
export const notices = (effects: readonly Effect[]) =>
  effects.flatMap((e) => (e.kind === "notify" ? [[e.notice, e.to.upn, e.channel] as const] : []));

/** The calendar entries written: [op, attendee upn, at]. */
export const entries = (effects: readonly Effect[]) =>
  effects.flatMap((e) => (e.kind === "calendar" ? [[e.op, e.attendee.upn, e.at] as const] : []));

export const meetings = (effects: readonly Effect[]) => effects.filter((e): e is Extract<Effect, { kind: "meeting" }> => e.kind === "meeting");

/** The timers as [kind, at], in time order. */
export const timers = (d: Dispute) => d.timers.map((t) => [t.kind, t.at] as const);

/** The current round as people read it: who holds it, in what role, received and due when. */
export const round = (d: Dispute) => {
  const s = currentStage(d);
  return { stage: s.stage, role: s.role, assignee: s.assignee.upn, receivedAt: s.receivedAt, dueAt: s.dueAt, responseDays: s.responseDays };
};

/** Raise dispute D-1 under the procedure, in its first category and reason. */
export function raiseCommand(p: Procedure, overrides: Parameters<typeof details>[0] = {}, direction: "standard" | "reverse" = "standard"): Command {
  const category = p.categories[0]!;
  return { action: "raise", disputeId: "D-1", tenantId: "t-demo", direction, details: details({ category: category.id, reason: category.reasons[0]!.id, ...overrides }) };
}

/**
 * A dispute's life told one command at a time, each at its London moment, keeping every
 * decision for the final record.
 */
export class Walk {
  readonly decisions: Decision[] = [];
  constructor(
    readonly procedure: Procedure,
    public dispute: Dispute,
    first: Decision,
  ) {
    this.decisions.push(first);
  }

  static raise(p: Procedure, now: string, overrides: Parameters<typeof details>[0] = {}, by: Actor = iro, direction: "standard" | "reverse" = "standard") {
    const first = apply(undefined, raiseCommand(p, overrides, direction), ctx(now, by, p));
    return new Walk(p, first.dispute, first);
  }

  /** A command that must be accepted. */
  do(command: Command, now: string, by: Actor = iro): Decision {
    const decision = apply(this.dispute, command, ctx(now, by, this.procedure));
    this.decisions.push(decision);
    this.dispute = decision.dispute;
    return decision;
  }

  /** Fire every timer due by `now`, as the sweep would: what fired ([action, at]) and who was told. */
  sweep(now: string) {
    const r = sweep(this.dispute, now, this.procedure);
    this.decisions.push(...r.decisions);
    this.dispute = r.dispute;
    return {
      fired: r.decisions.map((x) => [x.event.action, x.event.at] as const),
      told: r.decisions.map((x) => notices(x.effects)),
    };
  }

  /** The audit trail so far: [version, action, at]. */
  get trail() {
    return this.decisions.map((x) => [x.event.version, x.event.action, x.event.at] as const);
  }
}
