import { type TransactionAction, odata } from "@azure/data-tables";
import type { DisputeStore } from "../ports";
import { isFeedbackId } from "../../shared/feedback/positiveFeedback";
import { monthAt } from "../../shared/reports/monthlyReport";
import { failedKey } from "./indexKeys";
import { markCarried, monthCells, monthsBetween, writeMonthCells } from "./monthEvents";
import { subjectTeam } from "./tableOutbox";
import { type Tables, statusOf } from "./tables";

/** The index layout this migration brings a store to (3: with the dashboard's and the monthly report's projections); its progress row is named after it. */
const CHECKPOINT = "migration|indexes-3";

export interface MigrationReport {
  tenantId: string;
  disputes: number;
  /** Rows of the old layout deleted (list rows) or rewritten (failed deliveries). */
  oldRows: number;
  done: boolean;
  /** Nothing to do: an earlier run finished. */
  already: boolean;
}

const LIST_KINDS = new Set(["assignee", "iro", "team", "child", "all"]);

/** A list row of the old layout (`{by}|{who}|{dispute}`, no open/closed range) or an old failed row (`failed|{dispute}|{effect}`). */
function oldShape(rowKey: string): "list" | "failed" | undefined {
  const parts = rowKey.split("|");
  if (LIST_KINDS.has(parts[0]!) && parts.length === 3) return "list";
  if (parts[0] === "failed" && !/^\d{13}$/.test(parts[1] ?? "")) return "failed";
  return undefined;
}

/**
 * `npm run migrate`: rewrite one authority's indexes in the layout of `indexKeys.ts`. Each
 * dispute's rows are written from the dispute itself and a progress row records how far it got,
 * so a run that stops (or is stopped after `limit` disputes) carries on where it left off, and a
 * run after the last one changes nothing.
 */
export async function migrateIndexes(tables: Tables, store: DisputeStore, tenantId: string, limit = Infinity, now = new Date()): Promise<MigrationReport> {
  const indexes = tables.client("indexes");
  const disputes = tables.client("disputes");
  const progress = await readProgress();
  if (progress.done) return { tenantId, disputes: 0, oldRows: 0, done: true, already: true };

  const rebuilt = await store.rebuildIndexes(tenantId, { ...(progress.after ? { after: progress.after } : {}), limit });
  const first = await backfillMonths(progress.after, rebuilt.last, progress.first);
  await indexes.upsertEntity({ partitionKey: tenantId, rowKey: CHECKPOINT, after: rebuilt.last ?? progress.after ?? "", done: false, first: first ?? "" }, "Replace");
  if (!rebuilt.done) return { tenantId, disputes: rebuilt.disputes, oldRows: 0, done: false, already: false };
  // Every dispute has its cells in every month it was active in: each month is complete.
  if (first) await markCarried(indexes, tenantId, monthsBetween(first, monthAt(now)));

  // Every dispute has its new rows: the old layout's rows go (failed deliveries are re-keyed, newest first).
  let oldRows = 0;
  const deletions: TransactionAction[] = [];
  for await (const e of indexes.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId}` } })) {
    const shape = oldShape(String(e.rowKey));
    if (!shape) continue;
    if (shape === "failed") await rekeyFailed(e);
    deletions.push(["delete", { partitionKey: tenantId, rowKey: String(e.rowKey) }]);
    oldRows++;
  }
  for (let i = 0; i < deletions.length; i += 100) await indexes.submitTransaction(deletions.slice(i, i + 100));
  await indexes.upsertEntity({ partitionKey: tenantId, rowKey: CHECKPOINT, after: "", done: true }, "Replace");
  return { tenantId, disputes: rebuilt.disputes, oldRows, done: true, already: false };

  /** The month projection's cells of the disputes the rebuild just rewrote (after `from`, up to `to`); the earliest month seen. */
  async function backfillMonths(from: string | undefined, to: string | undefined, earliest: string | undefined): Promise<string | undefined> {
    if (!to) return earliest;
    const filter = odata`PartitionKey gt ${from ?? `${tenantId}~`} and PartitionKey le ${to} and RowKey eq ${"state"}`;
    const ids: string[] = [];
    for await (const e of disputes.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ["PartitionKey"] } })) {
      const id = String(e.partitionKey).slice(tenantId.length + 1);
      if (!isFeedbackId(id)) ids.push(id);
    }
    const cells = (await Promise.all(ids.map(async (id) => monthCells(await store.events(tenantId, id), monthAt(now))))).flat();
    await writeMonthCells(indexes, tenantId, cells);
    return cells.map((c) => c.key.split("|")[1]!).reduce((a, b) => (a < b ? a : b), earliest ?? "~");
  }

  async function readProgress(): Promise<{ after?: string; done: boolean; first?: string }> {
    try {
      const e = await indexes.getEntity<{ after?: string; done?: boolean; first?: string }>(tenantId, CHECKPOINT);
      return { ...(e.after ? { after: e.after } : {}), ...(e.first ? { first: e.first } : {}), done: e.done === true };
    } catch (err) {
      if (statusOf(err) === 404) return { done: false };
      throw err;
    }
  }

  async function rekeyFailed(e: Record<string, unknown>): Promise<void> {
    const disputeId = String(e.disputeId);
    const { partitionKey: _p, rowKey: _r, etag: _e, timestamp: _t, ...columns } = e as Record<string, unknown> & { etag?: string; timestamp?: string };
    await indexes.upsertEntity(
      { ...columns, partitionKey: tenantId, rowKey: failedKey(String(e.failedAt), disputeId, String(e.effectId)), team: await subjectTeam(disputes, tenantId, disputeId) },
      "Replace",
    );
  }
}
