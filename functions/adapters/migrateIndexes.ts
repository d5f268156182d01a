import { type TransactionAction, odata } from "@azure/data-tables";
import type { DisputeStore } from "../ports";
import { failedKey } from "./indexKeys";
import { subjectTeam } from "./tableOutbox";
import { type Tables, statusOf } from "./tables";

/** The index layout this migration brings a store to (3: with the dashboard's projection); its progress row is named after it. */
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
export async function migrateIndexes(tables: Tables, store: DisputeStore, tenantId: string, limit = Infinity): Promise<MigrationReport> {
  const indexes = tables.client("indexes");
  const disputes = tables.client("disputes");
  const progress = await readProgress();
  if (progress.done) return { tenantId, disputes: 0, oldRows: 0, done: true, already: true };

  const rebuilt = await store.rebuildIndexes(tenantId, { ...(progress.after ? { after: progress.after } : {}), limit });
  await indexes.upsertEntity({ partitionKey: tenantId, rowKey: CHECKPOINT, after: rebuilt.last ?? progress.after ?? "", done: false }, "Replace");
  if (!rebuilt.done) return { tenantId, disputes: rebuilt.disputes, oldRows: 0, done: false, already: false };

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

  async function readProgress(): Promise<{ after?: string; done: boolean }> {
    try {
      const e = await indexes.getEntity<{ after?: string; done?: boolean }>(tenantId, CHECKPOINT);
      return { ...(e.after ? { after: e.after } : {}), done: e.done === true };
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
