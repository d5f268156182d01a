import { createHash } from "node:crypto";
import { type TableClient, type TransactionAction, odata } from "@azure/data-tables";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import type { AuditEvent } from "../../shared/dispute/events";
import type { DisputeSummary } from "../../shared/dispute/disputeSummary";
import { monthAt, monthPeriod, previousMonth } from "../../shared/reports/monthlyReport";
import { END, listPrefix } from "./indexKeys";
import { fromJsonColumns, statusOf } from "./tables";

/**
 * The monthly report's projection: for each month, every dispute active in it as one cell (its
 * audit events up to its latest in that month, as JSON) in one of 32 rows, `month|{YYYY-MM}|{shard}`
 * in the tenant's index partition. A report reads its month's rows and the month before's (for
 * themes), so its requests and rows stay the same however many disputes other months hold.
 *
 * - `reproject` writes a dispute's cell for the month of its latest event from the dispute's own
 *   events (the truth), in its batch conditioned on the manifest's ETag, and marks the manifest
 *   with that month and version, so a crash or a late writer is put right by the next visit.
 * - A dispute open at a month's start that does not change in it has no commit to write its cell:
 *   the month's first report copies those cells from the months they last changed in (once; a
 *   `carried` row says so), under each row's ETag so a newer cell a commit wrote is never replaced.
 * - A past month whose `carried` row is missing (it ended before this layout) is not complete
 *   here: the report then reads every event once, and keeps the result.
 *
 * A row holds at most 252 columns and 1 MB: 32 rows hold about 5,000 disputes active in a month,
 * and a history too long for its row's share is read from the dispute instead (`LONGEST`).
 */
export const MONTH_SHARDS = 32;
const PREFIX = "month|";
const CHUNK = 30_000;

const shard = (disputeId: string) => String(createHash("sha1").update(disputeId).digest()[1]! % MONTH_SHARDS).padStart(2, "0");
const rowKey = (month: string, disputeId: string) => `${PREFIX}${month}|${shard(disputeId)}`;
const carriedKey = (month: string) => `${PREFIX}${month}|carried`;
/** Column names are identifiers; a history longer than a column holds goes on in numbered ones. */
const columnBase = (disputeId: string) => `c_${disputeId.replace(/[^A-Za-z0-9]/g, "_")}_`;

/** What the manifest records once a dispute's cell holds every event up to its version. */
export const monthMark = (d: Dispute) => `${monthAt(new Date(d.updatedAt))}|${d.version}`;

/** A history past this many characters would crowd its row (1 MB in all): the cell then only says so, and a report reads those events from the dispute. */
const LONGEST = 64_000;

function columns(disputeId: string, events: readonly AuditEvent[]): Record<string, string> {
  const sorted = JSON.stringify([...events].sort((a, b) => a.version - b.version));
  const text = sorted.length > LONGEST ? JSON.stringify({ elsewhere: disputeId }) : sorted;
  const out: Record<string, string> = {};
  for (let i = 0; i * CHUNK < text.length; i++) out[`${columnBase(disputeId)}${i}`] = text.slice(i * CHUNK, (i + 1) * CHUNK);
  return out;
}

/** Write `d`'s cell for the month of its latest event: a merge of its columns alone. */
export const writeMonthCell = (tenantId: string, d: Dispute, events: readonly AuditEvent[]): TransactionAction => [
  "upsert",
  { partitionKey: tenantId, rowKey: rowKey(monthAt(new Date(d.updatedAt)), d.id), ...columns(d.id, events) },
  "Merge",
];

/** A dispute whose history is too long for a cell: read from its own partition. */
const ELSEWHERE = "elsewhere";

/** The cells of a set of rows, as each dispute's events (or where to find them). */
function cells(rows: readonly Record<string, unknown>[]): Map<string, AuditEvent[] | typeof ELSEWHERE> {
  const parts = new Map<string, { base: string; chunks: string[] }>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      const m = /^(c_.+_)(\d+)$/.exec(name);
      if (!m || typeof value !== "string") continue;
      let p = parts.get(m[1]!);
      if (!p) parts.set(m[1]!, (p = { base: m[1]!, chunks: [] }));
      p.chunks[Number(m[2])] = value;
    }
  }
  const out = new Map<string, AuditEvent[] | typeof ELSEWHERE>();
  for (const p of parts.values()) {
    const cell = JSON.parse(p.chunks.join("")) as AuditEvent[] | { elsewhere: string };
    if (!Array.isArray(cell)) out.set(cell.elsewhere, ELSEWHERE);
    else if (cell.length) out.set(cell[0]!.disputeId, cell);
  }
  return out;
}

async function rowsOf(indexes: TableClient, tenantId: string, from: string, to: string): Promise<Record<string, unknown>[]> {
  const filter = odata`PartitionKey eq ${tenantId} and RowKey ge ${from} and RowKey lt ${to}`;
  const rows: Record<string, unknown>[] = [];
  for await (const e of indexes.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) rows.push(e);
  return rows;
}

export interface MonthEventsDeps {
  indexes: TableClient;
  /** One dispute's events from its own partition: for a cell a month lacks. */
  events(tenantId: string, disputeId: string): Promise<AuditEvent[]>;
}

/**
 * The events the report of `month` needs: every dispute active in it and in the month before, as
 * far as their cells go; undefined when the month is past and was never carried (see above).
 * `now` decides whether `month` is the current one, whose missing carry is made here.
 */
export async function readMonthEvents(deps: MonthEventsDeps, tenantId: string, month: string, now: Date): Promise<AuditEvent[] | undefined> {
  const { indexes } = deps;
  const before = previousMonth(month);
  // One range from the month before's rows to this month's carried row.
  let rows = await rowsOf(indexes, tenantId, `${PREFIX}${before}|`, `${PREFIX}${month}|${END}`);
  if (!rows.some((r) => r.rowKey === carriedKey(month))) {
    if (month !== monthAt(now)) return undefined;
    await carry(deps, tenantId, month, rows);
    rows = await rowsOf(indexes, tenantId, `${PREFIX}${before}|`, `${PREFIX}${month}|${END}`);
  }
  const mine = (r: Record<string, unknown>, m: string) => String(r.rowKey).startsWith(`${PREFIX}${m}|`);
  // A dispute in both months: this month's cell holds the other's events and more.
  const histories = cells(rows.filter((r) => mine(r, before)));
  for (const [id, events] of cells(rows.filter((r) => mine(r, month)))) histories.set(id, events);
  const read = await Promise.all([...histories].map(async ([id, events]) => (events === ELSEWHERE ? deps.events(tenantId, id) : events)));
  return read.flat();
}

/** Copy into `month` the cells of the disputes open now that have not changed in it. */
async function carry(deps: MonthEventsDeps, tenantId: string, month: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  const { indexes } = deps;
  const here = cells(rows.filter((r) => String(r.rowKey).startsWith(`${PREFIX}${month}|`)));
  const prefix = listPrefix({ kind: "all" }, "open");
  const quiet = (await rowsOf(indexes, tenantId, prefix, prefix + END))
    .filter((r) => r.current === true && !here.has(String(r.disputeId)))
    .map((r) => ({ id: String(r.disputeId), version: Number(r.version), last: monthAt(new Date(fromJsonColumns<DisputeSummary>(r).updatedAt)) }))
    .filter((q) => q.last < month);
  const found = new Map<string, AuditEvent[] | typeof ELSEWHERE>();
  for (const last of new Set(quiet.map((q) => q.last))) {
    for (const [id, events] of cells(await rowsOf(indexes, tenantId, `${PREFIX}${last}|`, `${PREFIX}${last}|${END}`))) found.set(id, events);
  }
  const wanted = [];
  for (const q of quiet) {
    const cell = found.get(q.id);
    // No cell, one behind the dispute (its relay has yet to run) or one too long: its own events.
    const events = !cell || cell === ELSEWHERE || cell[cell.length - 1]!.version < q.version ? await deps.events(tenantId, q.id) : cell;
    wanted.push({ key: rowKey(month, q.id), disputeId: q.id, events });
  }
  await writeMonthCells(indexes, tenantId, wanted);
  await markCarried(indexes, tenantId, [month]);
}

/** Add cells a row lacks, never replacing one a commit wrote since: under the row's ETag, again on a race. */
async function addCells(indexes: TableClient, tenantId: string, key: string, wanted: Map<string, AuditEvent[]>): Promise<void> {
  for (let attempt = 0; attempt < 8; attempt++) {
    let row: Record<string, unknown> | undefined;
    try {
      row = await indexes.getEntity<Record<string, unknown>>(tenantId, key);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    const present = row ? cells([row]) : new Map();
    const add = Object.assign({}, ...[...wanted].filter(([id]) => !present.has(id)).map(([id, events]) => columns(id, events))) as Record<string, string>;
    if (!Object.keys(add).length) return;
    try {
      if (row) await indexes.updateEntity({ partitionKey: tenantId, rowKey: key, ...add }, "Merge", { etag: String(row.etag) });
      else await indexes.createEntity({ partitionKey: tenantId, rowKey: key, ...add });
      return;
    } catch (err) {
      if (statusOf(err) !== 412 && statusOf(err) !== 409) throw err;
    }
  }
  throw new Error(`month rows: ${key} kept changing while its carried cells were added`);
}

/**
 * Every cell a dispute with these events has when each month it was active in was carried: its
 * events before each month's end, for each month from its raise to `current` (a quiet month of
 * `current` included). For the migration's backfill and the benchmark's seed.
 */
export function monthCells(events: readonly AuditEvent[], current: string): { key: string; disputeId: string; events: AuditEvent[] }[] {
  const sorted = [...events].sort((a, b) => a.version - b.version);
  if (!sorted.length) return [];
  const disputeId = sorted[0]!.disputeId;
  const closedAt = sorted.find((e) => e.action === "resolve" || e.action === "withdraw")?.at;
  const last = closedAt ? monthAt(new Date(closedAt)) : current;
  const out = [];
  for (let m = monthAt(new Date(sorted[0]!.at)); m <= last && m <= current; m = nextMonth(m)) {
    const end = monthPeriod(m).end.getTime();
    out.push({ key: rowKey(m, disputeId), disputeId, events: sorted.filter((e) => Date.parse(e.at) < end) });
  }
  return out;
}

const nextMonth = (m: string) => monthAt(new Date(monthPeriod(m).end.getTime() + 3_600_000));

/** Add each row's cells where absent (see `addCells`). */
export async function writeMonthCells(indexes: TableClient, tenantId: string, cellsWanted: readonly { key: string; disputeId: string; events: AuditEvent[] }[]): Promise<void> {
  const byRow = new Map<string, Map<string, AuditEvent[]>>();
  for (const c of cellsWanted) {
    if (!byRow.has(c.key)) byRow.set(c.key, new Map());
    byRow.get(c.key)!.set(c.disputeId, c.events);
  }
  await Promise.all([...byRow].map(([key, wanted]) => addCells(indexes, tenantId, key, wanted)));
}

/** Mark months as carried: every dispute active in them has its cell. */
export async function markCarried(indexes: TableClient, tenantId: string, months: readonly string[]): Promise<void> {
  for (let i = 0; i < months.length; i += 100) {
    await indexes.submitTransaction(months.slice(i, i + 100).map((m): TransactionAction => ["upsert", { partitionKey: tenantId, rowKey: carriedKey(m) }, "Replace"]));
  }
}

/** The months from `first` to `last`, both included. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let m = first; m <= last; m = nextMonth(m)) out.push(m);
  return out;
}
