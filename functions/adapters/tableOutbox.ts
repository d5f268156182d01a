import { type TableClient, odata } from "@azure/data-tables";
import type { Effect } from "../../shared/dispute/effects";
import type { FailedDelivery, OutboxEntry, OutboxStore, WorkMarker } from "../ports";
import { isFeedbackId } from "../../shared/feedback/positiveFeedback";
import { END, failedKey } from "./indexKeys";
import { type Tables, fromJsonColumns, statusOf } from "./tables";


/** The team a dispute or good-practice record belongs to: read once, when a delivery about it fails. */
export async function subjectTeam(disputes: TableClient, tenantId: string, id: string): Promise<string> {
  const feedback = isFeedbackId(id);
  try {
    const e = await disputes.getEntity<Record<string, unknown>>(`${tenantId}~${id}`, feedback ? "feedback" : "state");
    return feedback ? String(e.team ?? "") : fromJsonColumns<{ child: { team: string } }>(e).child.team;
  } catch (e) {
    if (statusOf(e) === 404) return "";
    throw e;
  }
}

/** The outbox rows of each dispute's partition and the work markers of the tenant's index partition. */
export function createTableOutbox(tables: Tables): OutboxStore {
  const disputes = tables.client("disputes");
  const indexes = tables.client("indexes");
  const partition = (tenantId: string, disputeId: string) => `${tenantId}~${disputeId}`;

  /** QA's list of deliveries that never went: one row per parked effect, newest first. */
  async function parkFailed(entry: OutboxEntry, change: { attempts: number; nextAttemptAt: string; lastError?: string }): Promise<void> {
    const { effect } = entry;
    await indexes.upsertEntity(
      {
        partitionKey: entry.tenantId,
        rowKey: failedKey(change.nextAttemptAt, entry.disputeId, effect.id),
        disputeId: entry.disputeId,
        effectId: effect.id,
        kind: effect.kind,
        notice: effect.kind === "notify" ? effect.notice : "",
        to: "to" in effect ? effect.to.upn : "attendee" in effect ? effect.attendee.upn : "",
        lastError: change.lastError ?? "",
        failedAt: change.nextAttemptAt,
        attempts: change.attempts,
        team: await subjectTeam(disputes, entry.tenantId, entry.disputeId),
      },
      "Replace",
    );
  }

  async function deleteIfThere(tenantId: string, rowKey: string): Promise<void> {
    try {
      await indexes.deleteEntity(tenantId, rowKey);
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  }

  const entryOf = (tenantId: string, disputeId: string, e: Record<string, unknown>): OutboxEntry => ({
    tenantId,
    disputeId,
    effect: fromJsonColumns<Effect>(e),
    status: e.status as OutboxEntry["status"],
    attempts: Number(e.attempts ?? 0),
    nextAttemptAt: String(e.nextAttemptAt),
    ...(e.lastError ? { lastError: String(e.lastError) } : {}),
    ...(e.detail ? { detail: String(e.detail) } : {}),
    key: String(e.rowKey),
    etag: String(e.etag),
  });

  async function read(tenantId: string, disputeId: string, onlyPending: boolean): Promise<OutboxEntry[]> {
    let filter = odata`PartitionKey eq ${partition(tenantId, disputeId)} and RowKey ge ${"outbox|"} and RowKey lt ${`outbox|${END}`}`;
    if (onlyPending) filter += ` and status eq 'pending'`;
    const out: OutboxEntry[] = [];
    for await (const e of disputes.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(entryOf(tenantId, disputeId, e));
    // Effect ids are dispute:version:position: deliver in the order they were decided.
    const order = (x: OutboxEntry) => x.effect.id.split(":").slice(-2).map(Number) as [number, number];
    return out.sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1]);
  }

  return {
    async work(tenantId, limit = Number.POSITIVE_INFINITY) {
      const markers: WorkMarker[] = [];
      const filter = odata`PartitionKey eq ${tenantId} and RowKey ge ${"work|"} and RowKey lt ${`work|${END}`}`;
      for await (const e of indexes.listEntities<{ disputeId: string; dueAt?: string }>({ queryOptions: { filter } })) {
        markers.push({ tenantId, disputeId: e.disputeId, etag: String(e.etag), ...(e.dueAt ? { dueAt: e.dueAt } : {}), ...(e.timestamp ? { writtenAt: new Date(e.timestamp).toISOString() } : {}) });
      }
      // Oldest due first; a marker a commit just wrote (no dueAt) is due now.
      return markers.sort((a, b) => (a.dueAt ?? "").localeCompare(b.dueAt ?? "")).slice(0, limit);
    },
    async markWork(tenantId, disputeId) {
      await indexes.upsertEntity({ partitionKey: tenantId, rowKey: `work|${disputeId}`, disputeId, dueAt: "" }, "Merge");
    },
    async deferWork(marker, dueAt) {
      try {
        await indexes.updateEntity({ partitionKey: marker.tenantId, rowKey: `work|${marker.disputeId}`, dueAt }, "Merge", { etag: marker.etag });
      } catch (e) {
        // Written again by a commit (due now), or cleared: either way nothing to defer.
        const status = statusOf(e);
        if (status !== 412 && status !== 404) throw e;
      }
    },
    async overdue(tenantId, before, limit) {
      const filter = odata`PartitionKey ge ${`${tenantId}~`} and PartitionKey lt ${`${tenantId}~${END}`} and RowKey ge ${"outbox|"} and RowKey lt ${`outbox|${END}`} and status eq ${"pending"} and nextAttemptAt lt ${before.toISOString()}`;
      const out: OutboxEntry[] = [];
      for await (const e of disputes.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        out.push(entryOf(tenantId, String(e.partitionKey).slice(tenantId.length + 1), e));
        if (out.length >= limit) break;
      }
      return out;
    },
    async marker(tenantId, disputeId) {
      try {
        const e = await indexes.getEntity<{ dueAt?: string }>(tenantId, `work|${disputeId}`);
        return { tenantId, disputeId, etag: String(e.etag), ...(e.dueAt ? { dueAt: e.dueAt } : {}) };
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    },
    pending: (tenantId, disputeId) => read(tenantId, disputeId, true),
    all: (tenantId, disputeId) => read(tenantId, disputeId, false),
    async update(entry, change) {
      try {
        const response = await disputes.updateEntity(
          { partitionKey: partition(entry.tenantId, entry.disputeId), rowKey: entry.key, ...change, lastError: change.lastError ?? "", detail: change.detail ?? entry.detail ?? "" },
          "Merge",
          { etag: entry.etag },
        );
        if (change.status === "failed") await parkFailed(entry, change);
        // Dealt with (sent again, or dropped): it leaves QA's list. A failed entry's time is when it failed.
        else if (entry.status === "failed") await deleteIfThere(entry.tenantId, failedKey(entry.nextAttemptAt, entry.disputeId, entry.effect.id));
        return response.etag ?? "";
      } catch (e) {
        if (statusOf(e) === 412) return null;
        throw e;
      }
    },
    async claim(entries, until) {
      const [first] = entries;
      // One dispute's entries share its partition: one transaction of at most 100.
      if (!first || entries.length > 100 || entries.some((e) => e.tenantId !== first.tenantId || e.disputeId !== first.disputeId)) return null;
      try {
        const response = await disputes.submitTransaction(
          entries.map((e) => ["update", { partitionKey: partition(e.tenantId, e.disputeId), rowKey: e.key, status: "pending", attempts: e.attempts, nextAttemptAt: until, lastError: "", detail: e.detail ?? "" }, "Merge", { etag: e.etag }]),
        );
        return response.subResponses.map((r) => r.etag ?? "");
      } catch (e) {
        if (statusOf(e) === 412 || statusOf(e) === 404) return null;
        throw e;
      }
    },
    async failed(tenantId, pageSize, cursor) {
      const pages = indexes
        .listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId} and RowKey ge ${"failed|"} and RowKey lt ${`failed|${END}`}` } })
        .byPage({ maxPageSize: pageSize, ...(cursor ? { continuationToken: cursor } : {}) });
      const page = await pages.next();
      if (page.done) return { items: [] };
      const items = page.value.map(
        (e): FailedDelivery => ({
          disputeId: String(e.disputeId),
          effectId: String(e.effectId),
          kind: String(e.kind),
          notice: String(e.notice ?? ""),
          to: String(e.to ?? ""),
          lastError: String(e.lastError ?? ""),
          failedAt: String(e.failedAt ?? ""),
          attempts: Number(e.attempts ?? 0),
          ...(e.team ? { team: String(e.team) } : {}),
        }),
      );
      return page.value.continuationToken ? { items, next: page.value.continuationToken } : { items };
    },
    async clearWork(marker) {
      try {
        await indexes.deleteEntity(marker.tenantId, `work|${marker.disputeId}`, { etag: marker.etag });
        return true;
      } catch (e) {
        const status = statusOf(e);
        if (status === 404) return true;
        if (status !== 412) throw e;
        return false;
      }
    },
  };
}
