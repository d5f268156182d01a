import type { CalendarConfig } from "../shared/calendar/workingDays";
import type { Dispute } from "../shared/dispute/disputeSchema";
import type { Decision } from "../shared/dispute/lifecycle";
import type { EffectSubject } from "../shared/dispute/delivery";
import type { FeedbackRecorded, PositiveFeedback, PositiveFeedbackEvent } from "../shared/feedback/positiveFeedback";
import type { FeedbackReplied } from "../shared/feedback/feedbackReply";
import type { AuditEvent } from "../shared/dispute/events";
import type { Capability, PersonRef, Roster } from "../shared/dispute/people";
import type { Absence, Cover } from "../shared/directory/cover";
import type { DirectoryChange } from "../shared/directory/directoryChange";
import type { Result } from "../shared/result";
import type { MonthlyReport } from "../shared/reports/monthlyReport";
import type { DashboardDisputeInput } from "../shared/reports/dashboard";

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
  /** The entry as read: removing it fails if it was written again since (its step scheduled anew). */
  etag?: string;
  /**
   * A committed version of the dispute no longer has this step: the token cannot stand, and the
   * entry is removed without reading the dispute. Only ever said of committed state, and undone by
   * any later commit that schedules the step again (it writes the entry anew).
   */
  superseded?: boolean;
}

export interface RebuildProgress {
  disputes: number;
  /** The last dispute partition rewritten: where the next run carries on. */
  last?: string;
  /** Every dispute of the tenant has been rewritten. */
  done: boolean;
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
  /** Remove an entry handled, unless it was written again since it was read. */
  removeDue(entry: DueEntry): Promise<void>;
  /**
   * Make a dispute's list rows say what its committed state says. Rows written for a newer commit
   * still in flight are left alone, unless `force` (the writer of a commit that lost its race).
   * `dispute` (and `history`), when the caller has just read them, save reading them again.
   */
  reproject(tenantId: string, disputeId: string, options?: { force?: boolean; dispute?: Dispute; history?: readonly AuditEvent[] }): Promise<void>;
  /** The dispute as stored and its audit events, in one read of its partition (the relay's visit, which re-projects and draws cards from both). */
  loadWithHistory(tenantId: string, disputeId: string): Promise<{ stored: StoredDispute; history: AuditEvent[] } | undefined>;
  /**
   * Rewrite the disputes' list rows and due entries from the disputes themselves; safe to run at
   * any time. Resumes `after` a dispute partition an earlier run reported as `last`, and stops
   * after about `limit` disputes.
   */
  rebuildIndexes(tenantId: string, options?: { after?: string; limit?: number }): Promise<RebuildProgress>;
}

export interface TenantConfig {
  id: string;
  displayName: string;
  /** The Entra tenant whose tokens map to this authority. */
  entraTenantId: string;
  /** A built-in procedure id, the path of the authority's own file, or "uploaded" (an administrator's, stored as `procedureVersion`). */
  procedure: string;
  /** Counts the procedures an administrator has put in place; absent until the first. */
  procedureVersion?: number;
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
  /** The cover set for this person, whatever its dates (the administrators' writes read it afresh from DirectoryAdmin). */
  cover(tenantId: string, personId: string): Promise<Cover | undefined>;
  /** Everyone in the authority's directory: the names a card's person picker offers (the administrators' writes read them afresh from DirectoryAdmin). */
  people(tenantId: string): Promise<DirectoryPerson[]>;
}

/** One administrator's change to the directory, written in one transaction with its audit record. */
export type DirectoryWrite =
  | { kind: "person"; person: DirectoryPerson }
  | { kind: "team"; team: TeamInfo }
  | { kind: "role"; scope: string; role: string; personId: string }
  | { kind: "config"; config: Pick<TenantConfig, "calendar" | "procedure" | "procedureVersion">; uploaded?: { version: number; json: string } }
  | { kind: "cover"; personId: string; cover: Cover | null };

/** A role held: for a team, or authority-wide (scope "*"). */
export interface RoleHolding {
  scope: string;
  role: string;
  personId: string;
}

/** The row a change replaces: its stamp is read before what the change is computed from. */
export type DirectoryTarget =
  | { kind: "person"; upn: string }
  | { kind: "team"; id: string }
  | { kind: "role"; scope: string; role: string }
  | { kind: "config" }
  | { kind: "cover"; personId: string };

/** Writing the directory, for the authority's administrators; every write carries its audit record. */
export interface DirectoryAdmin {
  /** The target's version now (its ETag), or null when it does not exist yet. */
  stamp(tenantId: string, target: DirectoryTarget): Promise<string | null>;
  /**
   * Write one change and its audit record in one transaction, only if the target is still at
   * `stamp` (null: still absent). "conflict" means another change landed since the stamp was read.
   */
  apply(tenantId: string, write: DirectoryWrite, change: DirectoryChange, stamp: string | null): Promise<CommitOutcome>;
  people(tenantId: string): Promise<DirectoryPerson[]>;
  roles(tenantId: string): Promise<RoleHolding[]>;
  covers(tenantId: string): Promise<Cover[]>;
  /** The cover set for this person, whatever its dates. */
  cover(tenantId: string, personId: string): Promise<Cover | undefined>;
  /** The covers naming this person as the cover, whatever their dates. */
  coveredBy(tenantId: string, coverId: string): Promise<Cover[]>;
  /** An uploaded procedure's JSON, by version. */
  uploadedProcedure(tenantId: string, version: number): Promise<string | undefined>;
  /** The latest changes first. */
  changes(tenantId: string, limit: number): Promise<DirectoryChange[]>;
}

/** Someone in the council's Entra tenant, found by name to be added to the directory. */
export interface EntraPerson {
  entraId: string;
  upn: string;
  displayName: string;
}

/** An Entra group whose members an administrator adds to a team. */
export interface EntraGroup {
  groupId: string;
  displayName: string;
}

/** Entra's people and groups (Graph `/users`, `/groups`), or the demo tenant's locally. */
export interface EntraDirectory {
  search(text: string): Promise<Result<EntraPerson[]>>;
  groups(text: string): Promise<Result<EntraGroup[]>>;
  /** The group's members who are people (not devices or other groups); null when there is no such group. */
  members(groupId: string): Promise<Result<EntraPerson[] | null>>;
}

/** Whether a person's mailbox says they are away now (Graph automatic replies); undefined when not, or when it cannot tell. */
export interface AbsenceLookup {
  absence(person: PersonRef, at: Date): Promise<Absence | undefined>;
}

/**
 * Good-practice records (G-…): each in its own partition beside its audit event and outbox
 * entries, written in one transaction, with a work marker for the relay like a dispute's.
 */
export interface FeedbackStore {
  record(tenantId: string, recorded: FeedbackRecorded): Promise<CommitOutcome>;
  load(tenantId: string, feedbackId: string): Promise<PositiveFeedback | undefined>;
  /** The record with the ETag a reply is conditioned on. */
  loadForReply(tenantId: string, feedbackId: string): Promise<{ feedback: PositiveFeedback; etag: string } | undefined>;
  /** The record with its new reply, the reply's audit event and its outbox entries, in one transaction on `etag`; "conflict" if the record changed. */
  reply(tenantId: string, replied: FeedbackReplied, etag: string): Promise<CommitOutcome>;
  /** The tenant's records, optionally those recorded in [from, to). */
  list(tenantId: string, period?: { from: Date; to: Date }): Promise<PositiveFeedback[]>;
  events(tenantId: string, feedbackId: string): Promise<PositiveFeedbackEvent[]>;
}

/**
 * Reports of months that have ended, kept once computed: a past month's report never changes
 * (events after its end are ignored), unless what it was computed from (`basis`: the procedure,
 * the calendar, the teams' names) has changed since.
 */
/** The dashboard's projection, kept with each commit: every open dispute as the dashboard shows it, at a cost that does not grow with them. */
export interface DashboardProjection {
  open(tenantId: string): Promise<DashboardDisputeInput[]>;
}

/** The monthly report's projection: the events of every dispute active in a month and the month before, read at a cost other months do not change. */
export interface MonthEvents {
  /** Undefined for a past month this projection does not cover (it ended before it was kept). */
  read(tenantId: string, month: string, now: Date): Promise<AuditEvent[] | undefined>;
}

export interface ReportCache {
  get(tenantId: string, month: string, basis: string): Promise<MonthlyReport | undefined>;
  put(tenantId: string, month: string, basis: string, report: MonthlyReport): Promise<void>;
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
  /**
   * Hold every entry given until `until` (pending, no error), in one request: their new ETags in
   * order, or null when any was updated by someone else since it was read (then none is held).
   */
  claim(entries: OutboxEntry[], until: string): Promise<string[] | null>;
  /** Deliveries parked as failed and not yet dealt with, newest first, a page at a time: for QA. */
  failed(tenantId: string, pageSize: number, cursor?: string): Promise<Page<FailedDelivery>>;
  /** Remove the marker unless it was written again since it was read: false when it was (and stays). */
  clearWork(marker: WorkMarker): Promise<boolean>;
}

/** How a delivery went. A retryable failure may say when to try again (Retry-After). */
export type DeliveryOutcome =
  | { ok: true; detail?: string }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

/** Sends one effect about a dispute or a good-practice record to the outside world: Teams, Graph mail and calendar, or the local mailbox. */
export interface EffectSink {
  /** `history`: the dispute's audit events as read with it, when the caller has them (a card drawn from it then reads them no more). */
  deliver(effect: import("../shared/dispute/effects").Effect, subject: EffectSubject, history?: AuditEvent[]): Promise<DeliveryOutcome>;
}

/** Finishes a notice mail's HTML before it is sent: the live card, for a mail that asks its reader to act. */
export type MailHtml = (effect: Extract<import("../shared/dispute/effects").Effect, { kind: "notify" }>, subject: EffectSubject, html: string) => Promise<string>;
