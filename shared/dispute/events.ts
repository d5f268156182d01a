import type { Dispute, DisputeState } from "./disputeSchema";
import type { PersonRef, Source } from "./people";
import type { Action } from "./commands";

/**
 * One entry of a dispute's append-only audit log: exactly one per accepted command. Reports are
 * computed from these, so a past month's figures never change.
 */
export interface AuditEvent {
  /** `${disputeId}:${version}`: the version the command produced. */
  id: string;
  disputeId: string;
  tenantId: string;
  version: number;
  action: Action;
  at: string;
  /** null for the system (timers). */
  actor: PersonRef | null;
  /** The stage's holder the actor answered for, while covering for them. */
  coveringFor?: PersonRef;
  source: Source;
  from: { state: DisputeState | null; stage: number | null };
  to: { state: DisputeState; stage: number };
  /** What a person reading the record needs: the response, the rationale, who was told… */
  detail: Record<string, unknown>;
}

export function auditEvent(
  before: Dispute | undefined,
  after: Dispute,
  action: Action,
  actor: PersonRef | null,
  source: Source,
  at: Date,
  detail: Record<string, unknown>,
  coveringFor?: PersonRef,
): AuditEvent {
  return {
    id: `${after.id}:${after.version}`,
    disputeId: after.id,
    tenantId: after.tenantId,
    version: after.version,
    action,
    at: at.toISOString(),
    actor,
    ...(coveringFor ? { coveringFor } : {}),
    source,
    from: { state: before?.state ?? null, stage: before?.stage ?? null },
    to: { state: after.state, stage: after.stage },
    detail,
  };
}
