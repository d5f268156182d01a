import type { CalendarConfig } from "../shared/calendar/workingDays";
import type { Dispute } from "../shared/dispute/disputeSchema";
import type { Decision } from "../shared/dispute/lifecycle";
import type { EffectSubject } from "../shared/dispute/delivery";
import type { FeedbackRecorded, PositiveFeedback, PositiveFeedbackEvent } from "../shared/feedback/positiveFeedback";
import type { AuditEvent } from "../shared/dispute/events";
import type { Capability, PersonRef, Roster } from "../shared/dispute/people";

/** The service's time: real in Azure, settable in local mode (POST /api/dev/clock). */
export interface Clock {
  now(): Date;
}

export interface StoredDispute {
  dispute: Dispute;
  /** The state row's ETag: a commit succeeds only if nobody changed the dispute since. */
  etag: string;
  /** Who last changed it, with what (a fingerprint of the command), when: to recognise a repeat. */
  lastCommand?: CommandMark;
}

/** A person's command as applied: enough to recognise the same request arriving again. */
export interface CommandMark {
  by: string;
  fingerprint: string;
  at: string;
  version: number;
}

/** What a commit records beside the change: the command's mark, and the client's Idempotency-Key. */
export interface CommitRequest {
  mark: CommandMark;
  /** Stored in the dispute's partition with the change itself: a second commit under it fails as a conflict. */
  idempotencyKey?: string;
}

export type { DisputeSummary } from "../shared/dispute/disputeSummary";
import type { DisputeSummary } from "../shared/dispute/disputeSummary";

export type ListBy = { kind: "assignee" | "iro"; personId: string } | { kind: "team"; team: string } | { kind: "child"; reference: string } | { kind: "all" };

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last. */
  next?: string;
}

/** A timer step due to run: the sweep re-reads the dispute and acts only if the token still stands. */
export interface DueEntry {
  tenantId: string;
  disputeId: string;
  kind: string;
  token: string;
  at: string;
  /** The store's handle for deleting the entry. */
  key: string;
}

export type CommitOutcome = { ok: true; etag: string } | { ok: false; reason: "conflict" };

export interface DisputeStore {
  load(tenantId: string, disputeId: string): Promise<StoredDispute | undefined>;
  /**
   * Write the new state, its audit event and its outbox entries in one transaction, conditioned on
   * `expected` (the ETag read; none for a new dispute). "conflict" means someone else acted first.
   */
  commit(tenantId: string, before: StoredDispute | undefined, decision: Decision, request?: CommitRequest): Promise<CommitOutcome>;
  /** The command a person's Idempotency-Key was first used for on this dispute, if any. */
  request(tenantId: string, disputeId: string, idempotencyKey: string): Promise<CommandMark | undefined>;
  events(tenantId: string, disputeId: string): Promise<AuditEvent[]>;
  /** Every audit event of every dispute of the tenant, in no particular order: for the monthly report. */
  allEvents(tenantId: string): Promise<AuditEvent[]>;
  list(tenantId: string, by: ListBy, state: "open" | "closed" | "all", pageSize: number, cursor?: string): Promise<Page<DisputeSummary>>;
  /** Timer steps due by `now`, oldest first: reads the due index only, never every open dispute. */
  due(tenantId: string, now: Date, limit: number): Promise<DueEntry[]>;
  removeDue(entry: DueEntry): Promise<void>;
  /**
   * Make a dispute's list rows say what its committed state says. Rows written for a newer commit
   * still in flight are left alone, unless `force` (the writer of a commit that lost its race).
   */
  reproject(tenantId: string, disputeId: string, options?: { force?: boolean }): Promise<void>;
  /** Rewrite every index of a tenant from the disputes themselves; safe to run at any time. */
  rebuildIndexes(tenantId: string): Promise<{ disputes: number }>;
}

export interface TenantConfig {
  id: string;
  displayName: string;
  /** The Entra tenant whose tokens map to this authority. */
  entraTenantId: string;
  /** A built-in procedure id or the path of the authority's own file. */
  procedure: string;
  calendar: CalendarConfig;
}

export interface TeamInfo {
  id: string;
  displayName: string;
  serviceArea: string;
}

export interface DirectoryPerson extends PersonRef {
  capabilities: Capability[];
  /** Service areas a manager may see on the dashboard; QA sees all. */
  serviceAreas: string[];
  /** The teams the person works in, for "open in my team". */
  teams: string[];
}

/** Who is who in an authority: people, teams and who holds each role for a team. */
export interface Directory {
  tenants(): Promise<TenantConfig[]>;
  tenant(tenantId: string): Promise<TenantConfig | undefined>;
  tenantForEntra(entraTenantId: string): Promise<TenantConfig | undefined>;
  personById(tenantId: string, id: string): Promise<DirectoryPerson | undefined>;
  personByUpn(tenantId: string, upn: string): Promise<DirectoryPerson | undefined>;
  team(tenantId: string, team: string): Promise<TeamInfo | undefined>;
  teams(tenantId: string): Promise<TeamInfo[]>;
  /** Who holds each role for the team, with authority-wide roles (DCS, QA, LSCP…) filled in. */
  roster(tenantId: string, team: string): Promise<Roster>;
}

/**
 * Good-practice records (G-…): each in its own partition beside its audit event and outbox
 * entries, written in one transaction, with a work marker for the relay like a dispute's.
 */
export interface FeedbackStore {
  record(tenantId: string, recorded: FeedbackRecorded): Promise<CommitOutcome>;
  load(tenantId: string, feedbackId: string): Promise<PositiveFeedback | undefined>;
  /** The tenant's records, optionally those recorded in [from, to). */
  list(tenantId: string, period?: { from: Date; to: Date }): Promise<PositiveFeedback[]>;
  events(tenantId: string, feedbackId: string): Promise<PositiveFeedbackEvent[]>;
}

/** An effect waiting in a dispute's outbox. */
export interface OutboxEntry {
  tenantId: string;
  disputeId: string;
  effect: import("../shared/dispute/effects").Effect;
  status: "pending" | "delivered" | "failed" | "dropped";
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  /** What the receiving side said: the mail's message id, the calendar entry's id, "mail instead of Teams"… */
  detail?: string;
  /** The store's handle. */
  key: string;
  etag: string;
}

export type { FailedDelivery } from "../shared/dispute/delivery";
import type { FailedDelivery } from "../shared/dispute/delivery";

/** "This dispute has effects to deliver or indexes to put right", written before each commit. */
export interface WorkMarker {
  tenantId: string;
  disputeId: string;
  etag: string;
  /** When its work is next due: absent (due now) when a commit wrote it, set when the relay left it waiting. */
  dueAt?: string;
  /** When the marker was last written (the store's own timestamp). */
  writtenAt?: string;
}

export interface OutboxStore {
  /** The tenant's work markers, oldest due first: every one is read (paged through), then the first `limit` kept. */
  work(tenantId: string, limit?: number): Promise<WorkMarker[]>;
  /** Write a marker (due now) for a dispute whose pending work has none: the auditor's repair. */
  markWork(tenantId: string, disputeId: string): Promise<void>;
  /** Leave a marker until `dueAt`, unless a commit wrote it since it was read. */
  deferWork(marker: WorkMarker, dueAt: string): Promise<void>;
  /** Entries of every dispute of the tenant still pending whose next attempt was due before `before`. */
  overdue(tenantId: string, before: Date, limit: number): Promise<OutboxEntry[]>;
  /** One dispute's marker, if it has work waiting. */
  marker(tenantId: string, disputeId: string): Promise<WorkMarker | undefined>;
  /** Entries not yet delivered, failed or dropped, oldest first. */
  pending(tenantId: string, disputeId: string): Promise<OutboxEntry[]>;
  all(tenantId: string, disputeId: string): Promise<OutboxEntry[]>;
  /** Record how an attempt went: the entry's new ETag, or null when someone else updated it first. */
  update(entry: OutboxEntry, change: Pick<OutboxEntry, "status" | "attempts" | "nextAttemptAt"> & { lastError?: string; detail?: string }): Promise<string | null>;
  /** Deliveries parked as failed, for QA. */
  failed(tenantId: string, limit: number): Promise<FailedDelivery[]>;
  /** Remove the marker unless it was written again since it was read: false when it was (and stays). */
  clearWork(marker: WorkMarker): Promise<boolean>;
}

/** How a delivery went. A retryable failure may say when to try again (Retry-After). */
export type DeliveryOutcome =
  | { ok: true; detail?: string }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

/** Sends one effect about a dispute or a good-practice record to the outside world: Teams, Graph mail and calendar, or the local mailbox. */
export interface EffectSink {
  deliver(effect: import("../shared/dispute/effects").Effect, subject: EffectSubject): Promise<DeliveryOutcome>;
}
