import { type TableEntity, type TransactionAction, odata } from "@azure/data-tables";
import { type Dispute, DisputeSchema, currentStage, isOpen } from "../../shared/dispute/disputeSchema";
import type { Decision } from "../../shared/dispute/lifecycle";
import type { AuditEvent } from "../../shared/dispute/events";
import { isFeedbackId } from "../../shared/feedback/positiveFeedback";
import type { CommandMark, CommitOutcome, CommitRequest, DisputeStore, DisputeSummary, DueEntry, ListBy, Page, StoredDispute } from "../ports";
import { summarise } from "../../shared/dispute/disputeSummary";
import { type Tables, fromJsonColumns, jsonColumns, statusOf } from "./tables";

/**
 * Disputes on Azure Table Storage.
 * - `disputes`: one partition per dispute (tenant~id) with its state row, audit events and outbox
 *   entries, all written by one entity-group transaction conditioned on the state row's ETag.
 * - `indexes`: one partition per tenant with the due index (`due|at|dispute|token`), work markers
 *   (`work|dispute`: this dispute has effects to deliver) and a row per way of finding a dispute
 *   (`assignee|`, `iro|`, `team|`, `child|`, `all|`). They are written in one batch just before
 *   the commit, so a transition costs three round trips (read, index batch, commit) and a crash
 *   after the commit cannot lose a timer. Due entries are only ever added there: one whose
 *   dispute did not commit, or moved on, no longer matches a token and is dropped when it comes
 *   due. List rows written for a commit that then failed are put right by `reproject`, which the
 *   use case calls when it gives up, the relay calls for every work marker, and `rebuildIndexes`
 *   calls for everything.
 */
export const TABLES = ["disputes", "indexes"] as const;

const partition = (tenantId: string, disputeId: string) => `${tenantId}~${disputeId}`;
const eventKey = (version: number) => `event|${String(version).padStart(10, "0")}`;
const dueKey = (at: string, disputeId: string, token: string) => `due|${at}|${disputeId}|${token}`;
const workKey = (disputeId: string) => `work|${disputeId}`;
/** A client's Idempotency-Key (already reduced to a safe hash by the use case). */
const requestKey = (key: string) => `request|${key}`;
/** Sorts after every character a key uses: the end of a prefix range. */
const END = "~";

function listKeys(d: Dispute): string[] {
  return [
    `assignee|${currentStage(d).assignee.id}|${d.id}`,
    `iro|${d.raisedBy.id}|${d.id}`,
    `team|${d.child.team}|${d.id}`,
    `child|${d.child.reference.toUpperCase()}|${d.id}`,
    `all||${d.id}`,
  ];
}

const prefixFilter = (pk: string, prefix: string) =>
  odata`PartitionKey eq ${pk} and RowKey ge ${prefix} and RowKey lt ${prefix + END}`;

export function createTableDisputeStore(tables: Tables): DisputeStore {
  const disputes = tables.client("disputes");
  const indexes = tables.client("indexes");

  const stateEntity = (tenantId: string, d: Dispute): TableEntity => ({
    partitionKey: partition(tenantId, d.id),
    rowKey: "state",
    version: d.version,
    state: d.state,
    stage: d.stage,
    updatedAt: d.updatedAt,
    ...jsonColumns(d),
  });

  /** The batch that makes a dispute's list rows say what `after` says. */
  function listRows(tenantId: string, before: Dispute | undefined, after: Dispute): TransactionAction[] {
    const summary = jsonColumns(summarise(after));
    const keep = listKeys(after);
    const actions: TransactionAction[] = keep.map((rowKey) => [
      "upsert",
      { partitionKey: tenantId, rowKey, disputeId: after.id, current: true, open: isOpen(after), version: after.version, ...summary },
      "Replace",
    ]);
    // Rows for a past assignee stay as history, no longer current: an upsert cannot fail on a missing row.
    for (const rowKey of before ? listKeys(before) : []) {
      if (!keep.includes(rowKey)) actions.push(["upsert", { partitionKey: tenantId, rowKey, current: false }, "Merge"]);
    }
    return actions;
  }

  const dueRows = (tenantId: string, d: Dispute): TransactionAction[] =>
    d.timers.map((t) => [
      "upsert",
      { partitionKey: tenantId, rowKey: dueKey(t.at, d.id, t.token), disputeId: d.id, kind: t.kind, token: t.token, at: t.at },
      "Replace",
    ]);

  const store = {
    async load(tenantId: string, disputeId: string): Promise<StoredDispute | undefined> {
      try {
        const e = await disputes.getEntity<Record<string, unknown>>(partition(tenantId, disputeId), "state");
        const lastCommand = typeof e.lastCommand === "string" && e.lastCommand ? (JSON.parse(e.lastCommand) as CommandMark) : undefined;
        return { dispute: DisputeSchema.parse(fromJsonColumns(e)), etag: e.etag, ...(lastCommand ? { lastCommand } : {}) };
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    },

    async request(tenantId: string, disputeId: string, idempotencyKey: string): Promise<CommandMark | undefined> {
      try {
        const e = await disputes.getEntity<{ json: string }>(partition(tenantId, disputeId), requestKey(idempotencyKey));
        return JSON.parse(e.json) as CommandMark;
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    },

    async commit(tenantId: string, before: StoredDispute | undefined, decision: Decision, request?: CommitRequest): Promise<CommitOutcome> {
      const { dispute, event, effects } = decision;
      await indexes.submitTransaction([
        ...dueRows(tenantId, dispute),
        ["upsert", { partitionKey: tenantId, rowKey: workKey(dispute.id), disputeId: dispute.id, version: dispute.version }, "Replace"],
        ...listRows(tenantId, before?.dispute, dispute),
      ]);

      const pk = partition(tenantId, dispute.id);
      const state = { ...stateEntity(tenantId, dispute), lastCommand: request ? JSON.stringify(request.mark) : "" };
      const actions: TransactionAction[] = [
        before ? ["update", state, "Replace", { etag: before.etag }] : ["create", state],
        ...(request?.idempotencyKey
          ? [["create", { partitionKey: pk, rowKey: requestKey(request.idempotencyKey), json: JSON.stringify(request.mark) }] as TransactionAction]
          : []),
        ["create", { partitionKey: pk, rowKey: eventKey(event.version), action: event.action, at: event.at, ...jsonColumns(event) }],
        ...effects.map(
          (effect): TransactionAction => [
            "create",
            { partitionKey: pk, rowKey: `outbox|${effect.id}`, kind: effect.kind, status: "pending", attempts: 0, nextAttemptAt: event.at, ...jsonColumns(effect) },
          ],
        ),
      ];
      let etag: string;
      try {
        const response = await disputes.submitTransaction(actions);
        etag = response.subResponses[0]?.etag ?? "";
      } catch (err) {
        const status = statusOf(err);
        if (status === 412 || status === 409) return { ok: false, reason: "conflict" };
        throw err;
      }
      return { ok: true, etag };
    },

    async events(tenantId: string, disputeId: string): Promise<AuditEvent[]> {
      const events: AuditEvent[] = [];
      for await (const e of disputes.listEntities<Record<string, unknown>>({
        queryOptions: { filter: prefixFilter(partition(tenantId, disputeId), "event|") },
      })) {
        events.push(fromJsonColumns<AuditEvent>(e));
      }
      return events;
    },

    async allEvents(tenantId: string): Promise<AuditEvent[]> {
      // One range query over the tenant's partitions (tenant~…): fine for a monthly report.
      const filter = odata`PartitionKey ge ${`${tenantId}~`} and PartitionKey lt ${`${tenantId}~${END}`} and RowKey ge ${"event|"} and RowKey lt ${`event|${END}`}`;
      const events: AuditEvent[] = [];
      for await (const e of disputes.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        // Good-practice records (tenant~G-…) keep their own audit events beside them: not a dispute's.
        if (isFeedbackId(String(e.partitionKey).slice(tenantId.length + 1))) continue;
        events.push(fromJsonColumns<AuditEvent>(e));
      }
      return events;
    },

    async list(tenantId: string, by: ListBy, state: "open" | "closed" | "all", pageSize: number, cursor?: string): Promise<Page<DisputeSummary>> {
      const prefix =
        by.kind === "all" ? "all||" : by.kind === "team" ? `team|${by.team}|` : by.kind === "child" ? `child|${by.reference.toUpperCase()}|` : `${by.kind}|${by.personId}|`;
      let filter = `${prefixFilter(tenantId, prefix)} and current eq true`;
      if (state !== "all") filter += ` and open eq ${state === "open"}`;
      const pages = indexes.listEntities<Record<string, unknown>>({ queryOptions: { filter } }).byPage({
        maxPageSize: pageSize,
        ...(cursor ? { continuationToken: cursor } : {}),
      });
      const page = await pages.next();
      if (page.done) return { items: [] };
      const items = page.value.map((e) => fromJsonColumns<DisputeSummary>(e));
      return page.value.continuationToken ? { items, next: page.value.continuationToken } : { items };
    },

    async due(tenantId: string, now: Date, limit: number): Promise<DueEntry[]> {
      const filter = odata`PartitionKey eq ${tenantId} and RowKey ge ${"due|"} and RowKey le ${`due|${now.toISOString()}|${END}`}`;
      const entries: DueEntry[] = [];
      for await (const page of indexes.listEntities<Record<string, string>>({ queryOptions: { filter } }).byPage({ maxPageSize: limit })) {
        for (const e of page) {
          entries.push({ tenantId, disputeId: e.disputeId!, kind: e.kind!, token: e.token!, at: e.at!, key: e.rowKey! });
        }
        if (entries.length >= limit) break;
      }
      return entries.slice(0, limit);
    },

    async removeDue(entry: DueEntry): Promise<void> {
      try {
        await indexes.deleteEntity(entry.tenantId, entry.key);
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    },

    async reproject(tenantId: string, disputeId: string, options: { force?: boolean } = {}): Promise<void> {
      for (let attempt = 0; attempt < 4; attempt++) {
        // The rows first, then the dispute: a row newer than the dispute read is a commit in flight.
        const rows = new Map<string, Record<string, unknown>>();
        for await (const e of indexes.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId} and disputeId eq ${disputeId}` } })) {
          const key = String(e.rowKey);
          if (!key.startsWith("due|") && !key.startsWith("work|")) rows.set(key, e);
        }
        const stored = await store.load(tenantId, disputeId);
        if (!stored) return;
        const d = stored.dispute;
        const summary = JSON.stringify(summarise(d));
        const newer = (row: Record<string, unknown>) => Number(row.version ?? 0) > d.version && !options.force;
        const actions: TransactionAction[] = [];
        for (const action of listRows(tenantId, undefined, d)) {
          const entity = action[1] as { rowKey: string };
          const row = rows.get(entity.rowKey);
          if (row && (newer(row) || (row.current === true && Number(row.version) === d.version && JSON.stringify(fromJsonColumns(row)) === summary))) continue;
          actions.push(row ? ["update", entity as TableEntity, "Replace", { etag: String(row.etag) }] : ["create", entity as TableEntity]);
        }
        const keep = new Set(listKeys(d));
        for (const [key, row] of rows) {
          if (!keep.has(key) && row.current === true && !newer(row)) actions.push(["update", { partitionKey: tenantId, rowKey: key, current: false }, "Merge", { etag: String(row.etag) }]);
        }
        if (!actions.length) return;
        try {
          await indexes.submitTransaction(actions);
          return;
        } catch (err) {
          // Someone wrote these rows since they were read: read again.
          if (statusOf(err) !== 412 && statusOf(err) !== 409) throw err;
        }
      }
    },

    async rebuildIndexes(tenantId: string): Promise<{ disputes: number }> {
      const all: Dispute[] = [];
      const filter = odata`PartitionKey ge ${`${tenantId}~`} and PartitionKey lt ${`${tenantId}~${END}`} and RowKey eq ${"state"}`;
      for await (const e of disputes.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        all.push(DisputeSchema.parse(fromJsonColumns(e)));
      }
      const wanted = new Set(all.flatMap(listKeys));
      const stale: TransactionAction[] = [];
      for await (const e of indexes.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${tenantId}` } })) {
        const key = e.rowKey!;
        if (!key.startsWith("due|") && !key.startsWith("work|") && !wanted.has(key)) stale.push(["delete", { partitionKey: tenantId, rowKey: key }]);
      }
      for (let i = 0; i < stale.length; i += 100) await indexes.submitTransaction(stale.slice(i, i + 100));
      for (const d of all) await indexes.submitTransaction([...listRows(tenantId, undefined, d), ...dueRows(tenantId, d)]);
      return { disputes: all.length };
    },
  };
  return store;
}
