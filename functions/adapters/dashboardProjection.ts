import { createHash } from "node:crypto";
import { type TableClient, type TransactionAction, odata } from "@azure/data-tables";
import { type Dispute, isOpen } from "../../shared/dispute/disputeSchema";
import { summarise } from "../../shared/dispute/disputeSummary";
import type { DashboardDisputeInput } from "../../shared/reports/dashboard";
import { END } from "./indexKeys";
import { statusOf } from "./tables";

/**
 * The dashboard's projection: every open dispute as one cell (a column holding what the dashboard
 * shows of it) in one of a few rows a team, `dash|{team}|{shard}` in the tenant's index partition.
 * A load reads that one small range, so its requests and rows stay the same however many disputes
 * the authority holds; the figures are counted from the cells as the load reads them, so nothing
 * is a counter two commits could race on.
 *
 * The cell is written with the dispute's list rows (named in its manifest, in the same batch, and
 * put right by `reproject` like them): a merge that touches only that dispute's column, so commits
 * of different disputes into one row never conflict. A dispute that closes leaves its column blank
 * (only a replace can drop a column); a load rewrites a row with many blanks under its ETag.
 *
 * A row holds at most 252 columns: 16 shards a team hold about 3,000 open disputes a team.
 */
export const DASHBOARD_SHARDS = 16;
const PREFIX = "dash|";
/** Blank cells a row may gather before a load rewrites it without them; at most this many rows a load. */
const BLANKS_BEFORE_COMPACTING = 24;
const COMPACTIONS_PER_LOAD = 2;

const shard = (disputeId: string) => String(createHash("sha1").update(disputeId).digest()[0]! % DASHBOARD_SHARDS).padStart(2, "0");

/** The dashboard row an open dispute's cell lives in; none once it is closed. */
export const dashboardKeys = (d: Dispute): string[] => (isOpen(d) ? [`${PREFIX}${d.child.team}|${shard(d.id)}`] : []);

export const isDashboardKey = (rowKey: string) => rowKey.startsWith(PREFIX);

/** Column names are identifiers: D-7K3F9Q → c_D_7K3F9Q. */
const column = (disputeId: string) => `c_${disputeId.replace(/[^A-Za-z0-9]/g, "_")}`;

function cell(d: Dispute): string {
  const { version: _v, open: _o, updatedAt: _u, ...shown } = summarise(d);
  return JSON.stringify(shown satisfies DashboardDisputeInput);
}

/** Put `d`'s cell in row `rowKey`: a merge of its column alone. */
export const writeCell = (tenantId: string, rowKey: string, d: Dispute): TransactionAction => ["upsert", { partitionKey: tenantId, rowKey, [column(d.id)]: cell(d) }, "Merge"];

/** Blank `d`'s cell in row `rowKey` (it closed, or moved team). */
export const blankCell = (tenantId: string, rowKey: string, disputeId: string): TransactionAction => ["upsert", { partitionKey: tenantId, rowKey, [column(disputeId)]: "" }, "Merge"];

const isCell = (name: string) => name.startsWith("c_");

/** Every open dispute of the tenant as the dashboard counts them, read from the projection's range. */
export async function readDashboardProjection(indexes: TableClient, tenantId: string): Promise<DashboardDisputeInput[]> {
  const filter = odata`PartitionKey eq ${tenantId} and RowKey ge ${PREFIX} and RowKey lt ${PREFIX + END}`;
  const open: DashboardDisputeInput[] = [];
  const crowded: Record<string, unknown>[] = [];
  for await (const row of indexes.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
    let blanks = 0;
    for (const [name, value] of Object.entries(row)) {
      if (!isCell(name) || typeof value !== "string") continue;
      if (value) open.push(JSON.parse(value) as DashboardDisputeInput);
      else blanks++;
    }
    if (blanks >= BLANKS_BEFORE_COMPACTING) crowded.push(row);
  }
  await Promise.all(crowded.slice(0, COMPACTIONS_PER_LOAD).map((row) => compact(indexes, row)));
  return open;
}

/** Rewrite a row without its blank cells, unless a commit wrote to it since it was read. */
async function compact(indexes: TableClient, row: Record<string, unknown>): Promise<void> {
  const kept = Object.fromEntries(Object.entries(row).filter(([name, value]) => isCell(name) && value !== ""));
  try {
    await indexes.updateEntity({ partitionKey: String(row.partitionKey), rowKey: String(row.rowKey), ...kept }, "Replace", { etag: String(row.etag) });
  } catch (err) {
    if (statusOf(err) !== 412 && statusOf(err) !== 404) throw err;
  }
}
