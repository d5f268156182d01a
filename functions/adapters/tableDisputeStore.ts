import { isDeepStrictEqual } from "node:util";
import { type TableEntity, type TransactionAction, odata } from "@azure/data-tables";
import { type Dispute, DisputeSchema, isOpen } from "../../shared/dispute/disputeSchema";
import type { Decision } from "../../shared/dispute/lifecycle";
import type { AuditEvent } from "../../shared/dispute/events";
import { isFeedbackId } from "../../shared/feedback/positiveFeedback";
import type { CommandMark, CommitOutcome, CommitRequest, DisputeStore, RebuildProgress, DisputeSummary, DueEntry, ListBy, Page, StoredDispute } from "../ports";
import { summarise } from "../../shared/dispute/disputeSummary";
import { END, dueKey, dueParts, fingerprint, listKeys, listPrefix, manifestColumn, manifestDueColumn, manifestDueKeys, manifestKey, manifestRows, workKey } from "./indexKeys";
import { type Tables, fromJsonColumns, jsonColumns, jsonTextOf, statusOf } from "./tables";
import { blankCell, dashboardKeys, isDashboardKey, writeCell } from "./dashboardProjection";
import { monthMark, writeMonthCell } from "./monthEvents";
import { recentlyUsed } from "./recentlyUsed";

/**
 * Disputes on Azure Table Storage.
 * - `disputes`: one partition per dispute (tenant~id) with its state row, audit events and outbox
 *   entries, all written by one entity-group transaction conditioned on the state row's ETag.
 * - `indexes`: one partition per tenant, keyed as `indexKeys.ts` describes. A commit writes the
 *   dispute's due entries, work marker, list rows and their manifest in one batch just before the
 *   commit, so a transition costs three round trips (read, index batch, commit) and a crash after
 *   the commit cannot lose a timer. A commit only ever adds due entries: one whose dispute did not
 *   commit, or moved on, no longer matches a token. `reproject` marks those a committed version no
 *   longer has as superseded (the sweep removes them without reading the dispute); any other is
 *   dropped when it comes due, once the sweep has read its dispute. A list row the
 *   dispute no longer has (a past assignee, the open row of a closed dispute) is marked not current
 *   by the commit and deleted by `reproject`, which also puts right rows written for a commit that
 *   then failed; the use case calls it when it gives up, the relay for every work marker.
 */
export const TABLES = ["disputes", "indexes"] as const;

const partition = (tenantId: string, disputeId: string) => `${tenantId}~${disputeId}`;
const eventKey = (version: number) => `event|${String(version).padStart(10, "0")}`;
/** A client's Idempotency-Key (already reduced to a safe hash by the use case). */
const requestKey = (key: string) => `request|${key}`;

const prefixFilter = (pk: string, prefix: string) =>
  odata`PartitionKey eq ${pk} and RowKey ge ${prefix} and RowKey lt ${prefix + END}`;

const stateEntity = (tenantId: string, d: Dispute): TableEntity => ({
  partitionKey: partition(tenantId, d.id),
  rowKey: "state",
  version: d.version,
  state: d.state,
  stage: d.stage,
  updatedAt: d.updatedAt,
  ...jsonColumns(d),
});

const listRow = (tenantId: string, d: Dispute, rowKey: string, summary: Record<string, string | number>): TableEntity => ({
  partitionKey: tenantId,
  rowKey,
  disputeId: d.id,
  current: true,
  open: isOpen(d),
  version: d.version,
  ...summary,
});

/** The manifest naming `rowKeys` as the dispute's list rows and `dueKeys` as its due entries, written by whoever wrote them. */
const manifest = (tenantId: string, d: Dispute, summaryJson: string, rowKeys: readonly string[], dueKeys: readonly string[]): TableEntity => ({
  partitionKey: tenantId,
  rowKey: manifestKey(d.id),
  disputeId: d.id,
  version: d.version,
  print: fingerprint(summaryJson),
  ...Object.fromEntries(rowKeys.map((k) => [manifestColumn(k), k])),
  ...Object.fromEntries(dueKeys.map((k) => [manifestDueColumn(k), k])),
});

const dueKeysOf = (d: Dispute) => d.timers.map((t) => dueKey(t.at, d.id, t.token));

/** Due entries of `before`'s steps, already due when `after` was decided, that `after` no longer has. */
const takenWhenDue = (before: Dispute | undefined, after: Dispute) =>
  (before?.timers ?? []).filter((t) => t.at <= after.updatedAt && !after.timers.some((x) => x.token === t.token)).map((t) => dueKey(t.at, after.id, t.token));

/**
 * The batch that makes a dispute's list rows say what `after` says. Rows `before` had and `after`
 * has not are marked not current (an upsert cannot fail on a missing row) and added to the
 * manifest by merge, so `reproject` finds and deletes them without reading anything else; so are
 * `after`'s due entries (written beside them by `commitActions`), so that `reproject` can mark the
 * ones a later committed version no longer has.
 */
export function listRows(tenantId: string, before: Dispute | undefined, after: Dispute): TransactionAction[] {
  const summaryJson = JSON.stringify(summarise(after));
  const summary = jsonColumns(summarise(after));
  const keep = projectedKeys(after);
  const gone = (before ? projectedKeys(before) : []).filter((k) => !keep.includes(k));
  return [
    ...keep.map((rowKey) => writeRow(tenantId, after, rowKey, summary)),
    ...gone.map((rowKey): TransactionAction => (isDashboardKey(rowKey) ? blankCell(tenantId, rowKey, after.id) : ["upsert", { partitionKey: tenantId, rowKey, current: false }, "Merge"])),
    // Steps already due that this change took away are the sweep's to remove, now (the one it took,
    // those it finds stale): forgotten here, so that re-projection never marks an entry removed.
    ["upsert", { ...manifest(tenantId, after, summaryJson, [...keep, ...gone], dueKeysOf(after)), ...Object.fromEntries(takenWhenDue(before, after).map((k) => [manifestDueColumn(k), ""])) }, "Merge"],
  ];
}

/** A dispute's list rows and its cell in the dashboard's projection: the rows its manifest names. */
const projectedKeys = (d: Dispute): string[] => [...listKeys(d), ...dashboardKeys(d)];

const writeRow = (tenantId: string, d: Dispute, rowKey: string, summary: Record<string, string | number>): TransactionAction =>
  isDashboardKey(rowKey) ? writeCell(tenantId, rowKey, d) : ["upsert", listRow(tenantId, d, rowKey, summary), "Replace"];

/**
 * The due entries of `d`'s steps; with `before`, only of the steps `before` did not have (its own
 * commit wrote the others). An entry is never written again while its step stands, so the sweep's
 * removal of it, conditioned on the entry as read, fails only when the step was scheduled anew.
 */
export const dueRows = (tenantId: string, d: Dispute, before?: Dispute): TransactionAction[] =>
  d.timers.filter((t) => !before?.timers.some((b) => b.token === t.token)).map((t) => [
    "upsert",
    { partitionKey: tenantId, rowKey: dueKey(t.at, d.id, t.token), disputeId: d.id, kind: t.kind, token: t.token, at: t.at },
    "Replace",
  ]);

/**
 * A change's audit event and its outbox entries, pending from the event's time: the rows every
 * record the relay delivers for (a dispute, a good-practice record) writes in its own transaction.
 */
export const eventAndOutbox = (pk: string, event: { version: number; action: string; at: string }, effects: readonly { id: string; kind: string }[]): TransactionAction[] => [
  ["create", { partitionKey: pk, rowKey: eventKey(event.version), action: event.action, at: event.at, ...jsonColumns(event) }],
  ...effects.map(
    (effect): TransactionAction => [
      "create",
      { partitionKey: pk, rowKey: `outbox|${effect.id}`, kind: effect.kind, status: "pending", attempts: 0, nextAttemptAt: event.at, ...jsonColumns(effect) },
    ],
  ),
];

/**
 * What a commit writes, as two batches: the index batch (due entries, work marker, list rows and
 * manifest) sent first, then the dispute's own (state, event, outbox) conditioned on `before`.
 */
export function commitActions(tenantId: string, before: StoredDispute | undefined, decision: Decision, request?: CommitRequest): { indexes: TransactionAction[]; dispute: TransactionAction[] } {
  const { dispute, event, effects } = decision;
  const pk = partition(tenantId, dispute.id);
  // The command that made this version, so a repeat of it is recognised (runCommand).
  const state = { ...stateEntity(tenantId, dispute), lastCommand: request ? JSON.stringify(request.mark) : "" };
  return {
    indexes: [
      ...dueRows(tenantId, dispute, before?.dispute),
      ["upsert", { partitionKey: tenantId, rowKey: workKey(dispute.id), disputeId: dispute.id, version: dispute.version }, "Replace"],
      ...listRows(tenantId, before?.dispute, dispute),
    ],
    dispute: [
      before ? ["update", state, "Replace", { etag: before.etag }] : ["create", state],
      ...(request?.idempotencyKey
        ? [["create", { partitionKey: pk, rowKey: requestKey(request.idempotencyKey), json: JSON.stringify(request.mark) }] as TransactionAction]
        : []),
      ...eventAndOutbox(pk, event, effects),
    ],
  };
}

/**
 * State rows already checked against the schema, by their JSON. Each version of a dispute is read
 * several times (the click, its relay, the card updates), and the check is most of a load's CPU.
 * Only a row the schema leaves exactly as stored is kept, so skipping its check changes nothing.
 */
const checked = new Set<string>();
const CHECKED_KEPT = 2_000;

function disputeOf(e: Record<string, unknown>): Dispute {
  const text = jsonTextOf(e);
  if (checked.has(text)) return JSON.parse(text) as Dispute;
  const stored = JSON.parse(text) as unknown;
  const dispute = DisputeSchema.parse(stored);
  // Key order aside (the schema's may differ from the writer's), nothing added, dropped or changed.
  if (isDeepStrictEqual(dispute, stored)) {
    if (checked.size >= CHECKED_KEPT) checked.delete(checked.values().next().value!);
    checked.add(text);
  }
  return dispute;
}

/** A dispute's state row as stored: the dispute, its ETag, and the command that made it. */
function storedOf(e: Record<string, unknown> & { etag?: string }): StoredDispute {
  const lastCommand = typeof e.lastCommand === "string" && e.lastCommand ? (JSON.parse(e.lastCommand) as CommandMark) : undefined;
  return { dispute: disputeOf(e), etag: e.etag!, ...(lastCommand ? { lastCommand } : {}) };
}

/**
 * Each dispute's history up to a version, as last read or written here. An event row is written
 * once, by the commit that made its version, and never changed, so the history up to a version
 * stays true: a later read needs only the state row and any events after it (most often none).
 * Weighed by the characters of its events' JSON.
 */
type KnownHistory = { version: number; events: AuditEvent[]; chars: number };

/** Events as stored, and the characters of their JSON. */
function eventsOf(rows: Record<string, unknown>[]): { events: AuditEvent[]; chars: number } {
  let chars = 0;
  const events = rows.map((e) => {
    const text = jsonTextOf(e);
    chars += text.length;
    return JSON.parse(text) as AuditEvent;
  });
  return { events, chars };
}

export function createTableDisputeStore(tables: Tables): DisputeStore {
  const disputes = tables.client("disputes");
  const indexes = tables.client("indexes");
  // About 40 MB of strings at most: a thousand histories of 20 events of 1,000 characters.
  const known = recentlyUsed<KnownHistory>(20_000_000, (h) => h.chars);

  const eventsAfter = async (pk: string, version: number) => {
    const rows: Record<string, unknown>[] = [];
    const filter = odata`PartitionKey eq ${pk} and RowKey gt ${eventKey(version)} and RowKey lt ${`event|${END}`}`;
    for await (const e of disputes.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) rows.push(e);
    return eventsOf(rows);
  };

  const store = {
    async load(tenantId: string, disputeId: string): Promise<StoredDispute | undefined> {
      try {
        return storedOf(await disputes.getEntity<Record<string, unknown>>(partition(tenantId, disputeId), "state"));
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    },

    async loadWithHistory(tenantId: string, disputeId: string) {
      const pk = partition(tenantId, disputeId);
      const before = known.get(pk);
      if (before) {
        // The state row by its key, and only the events this instance has not seen.
        const stored = await store.load(tenantId, disputeId);
        if (!stored) return undefined;
        const { version } = stored.dispute;
        const after = version === before.version ? { events: [], chars: 0 } : await eventsAfter(pk, before.version);
        const history = [...before.events, ...after.events];
        if (history.at(-1)?.version === version) {
          known.set(pk, { version, events: history, chars: before.chars + after.chars });
          return { stored, history: history.slice() };
        }
      }
      const filter = odata`PartitionKey eq ${pk} and ((RowKey ge ${"event|"} and RowKey lt ${`event|${END}`}) or RowKey eq ${"state"})`;
      let stored: StoredDispute | undefined;
      const rows: Record<string, unknown>[] = [];
      for await (const e of disputes.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        if (e.rowKey === "state") stored = storedOf(e);
        else rows.push(e);
      }
      const { events: history, chars } = eventsOf(rows);
      if (stored && history.at(-1)?.version === stored.dispute.version) known.set(pk, { version: stored.dispute.version, events: history.slice(), chars });
      return stored && { stored, history };
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
      const actions = commitActions(tenantId, before, decision, request);
      await indexes.submitTransaction(actions.indexes);
      let etag: string;
      try {
        const response = await disputes.submitTransaction(actions.dispute);
        etag = response.subResponses[0]?.etag ?? "";
        const pk = partition(tenantId, decision.dispute.id);
        // The history it extends, when known here (a raise extends none); stored as a read returns it.
        const had = before ? known.get(pk) : { version: 0, events: [], chars: 0 };
        if (had?.version === (before?.dispute.version ?? 0)) {
          const text = JSON.stringify(decision.event);
          known.set(pk, { version: decision.dispute.version, events: [...had.events, JSON.parse(text) as AuditEvent], chars: had.chars + text.length });
        }
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
      // A key range; the only rows in it that are not current are those a commit has just left
      // behind and the relay has yet to delete, so storage scans about as many rows as it returns.
      const filter = `${prefixFilter(tenantId, listPrefix(by, state))} and current eq true`;
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
          const parts = dueParts(e.rowKey!);
          entries.push({
            tenantId,
            ...parts,
            kind: e.kind ?? parts.token.split(":")[0]!,
            key: e.rowKey!,
            etag: e.etag!,
            ...(e.supersededBy !== undefined ? { superseded: true } : {}),
          });
        }
        if (entries.length >= limit) break;
      }
      return entries.slice(0, limit);
    },

    async removeDue(entry: DueEntry): Promise<void> {
      try {
        await indexes.deleteEntity(entry.tenantId, entry.key, entry.etag ? { etag: entry.etag } : {});
      } catch (err) {
        // Gone already (another sweep), or written again since it was read: either way it is not ours to remove.
        const status = statusOf(err);
        if (status !== 404 && status !== 412) throw err;
      }
    },

    async reproject(tenantId: string, disputeId: string, options: { force?: boolean; dispute?: Dispute; history?: readonly AuditEvent[] } = {}): Promise<void> {
      for (let attempt = 0; attempt < 4; attempt++) {
        // The manifest first, then the dispute: a manifest newer than the dispute read is a commit in flight.
        const found = await readManifest(tenantId, disputeId);
        const d = attempt === 0 && options.dispute ? options.dispute : (await store.load(tenantId, disputeId))?.dispute;
        if (!d) return;
        if (found && Number(found.version) > d.version && !options.force) return;
        const summaryJson = JSON.stringify(summarise(d));
        const wanted = projectedKeys(d);
        const have = found ? manifestRows(found) : [];
        // The monthly report's cell (monthEvents.ts) is behind until a visit after the commit writes it.
        const month = monthMark(d);
        // Due entries the committed dispute no longer has are marked superseded, so the sweep drops
        // them unread. Only when the manifest is this very version's (no commit in flight, so a commit
        // scheduling the step again writes its entry after this, or fails this batch by its ETag),
        // and never by force (the dispute read may be older than a commit in flight).
        const wantedDue = dueKeysOf(d);
        const extraDue = found ? manifestDueKeys(found).filter((k) => !wantedDue.includes(k)) : [];
        const marking = !options.force && found !== undefined && Number(found.version) === d.version;
        const missingDue = found ? wantedDue.filter((k) => !manifestDueKeys(found).includes(k)) : wantedDue;
        const rowsRight =
          found && Number(found.version) === d.version && found.print === fingerprint(summaryJson) && have.length === wanted.length && wanted.every((k) => have.includes(k)) && !extraDue.length && !missingDue.length;
        // Forced (a rebuild, or a writer that lost its race), rows the manifest names are written even so: they may be gone.
        if (rowsRight && found.month === month && !options.force) return;
        // The history read with the dispute serves while it reaches the dispute's version (a commit between the two reads would leave it short).
        const given = attempt === 0 && options.dispute ? options.history : undefined;
        const history = (given?.some((e) => e.version === d.version) ? given : await store.events(tenantId, d.id)).filter((e) => e.version <= d.version);
        const summary = jsonColumns(summarise(d));
        const written = { ...manifest(tenantId, d, summaryJson, wanted, marking ? wantedDue : [...wantedDue, ...extraDue]), month };
        const actions: TransactionAction[] =
          rowsRight && !options.force
            ? // The usual visit after a commit: its rows are right, only the month cell is behind.
              [writeMonthCell(tenantId, d, history), ["update", { partitionKey: tenantId, rowKey: found.rowKey as string, month }, "Merge", { etag: String(found.etag) }]]
            : [
                writeMonthCell(tenantId, d, history),
                ...wanted.map((rowKey) => writeRow(tenantId, d, rowKey, summary)),
                ...have.filter((k) => !wanted.includes(k)).map((rowKey): TransactionAction => (isDashboardKey(rowKey) ? blankCell(tenantId, rowKey, d.id) : ["delete", { partitionKey: tenantId, rowKey }])),
                // A merge never fails: an entry the sweep has removed since comes back as a bare mark, which it removes unread.
                ...(marking ? extraDue.map((rowKey): TransactionAction => ["upsert", { partitionKey: tenantId, rowKey, supersededBy: d.version }, "Merge"]) : []),
                found ? ["update", written, "Replace", { etag: String(found.etag) }] : ["create", written],
              ];
        try {
          await indexes.submitTransaction(actions);
          return;
        } catch (err) {
          // Someone wrote these rows since the manifest was read: read again.
          const status = statusOf(err);
          if (status !== 412 && status !== 409 && status !== 404) throw err;
        }
      }
    },

    async rebuildIndexes(tenantId: string, options: { after?: string; limit?: number } = {}): Promise<RebuildProgress> {
      const limit = options.limit ?? Infinity;
      const filter = odata`PartitionKey gt ${options.after ?? `${tenantId}~`} and PartitionKey lt ${`${tenantId}~${END}`} and RowKey eq ${"state"}`;
      let disputesDone = 0;
      let last: string | undefined;
      for await (const page of disputes.listEntities<Record<string, unknown>>({ queryOptions: { filter } }).byPage({ maxPageSize: Math.min(100, limit) })) {
        await Promise.all(
          page.map(async (e) => {
            const d = disputeOf(e);
            await store.reproject(tenantId, d.id, { force: true, dispute: d });
            if (d.timers.length) await indexes.submitTransaction(dueRows(tenantId, d));
          }),
        );
        disputesDone += page.length;
        last = page.length ? String(page[page.length - 1]!.partitionKey) : last;
        if (disputesDone >= limit) return { disputes: disputesDone, ...(last ? { last } : {}), done: !page.continuationToken };
      }
      return { disputes: disputesDone, ...(last ? { last } : {}), done: true };
    },
  };

  async function readManifest(tenantId: string, disputeId: string): Promise<Record<string, unknown> | undefined> {
    try {
      return await indexes.getEntity<Record<string, unknown>>(tenantId, manifestKey(disputeId));
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
  return store;
}
