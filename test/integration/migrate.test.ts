/**
 * npm run migrate on a real Azurite: a store whose indexes are in the old layout (list rows
 * `{by}|{who}|{dispute}` with no open/closed range and no manifest, failed deliveries keyed by
 * dispute, no dashboard or month projection) is rewritten in the current one, a bounded run at a time, and a run after the last
 * changes nothing.
 */
import type { TransactionAction } from "@azure/data-tables";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { migrateIndexes } from "../../functions/adapters/migrateIndexes";
import { type App, composeApp } from "../../functions/compose";
import { demoPeople } from "../../functions/demo/demoAuthority";
import { readSettings } from "../../functions/settings";
import { actorOf } from "../../functions/usecases/actors";
import { raiseDispute } from "../../functions/usecases/raise";
import { runCommand } from "../../functions/usecases/runCommand";

const tenantId = `migrate-${Math.random().toString(36).slice(2, 8)}`;
let app: App;

const details = (n: number) => ({
  child: { reference: `MOS-${200 + n}`, initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
  category: "statutory-responsibilities",
  reason: "no allocated social worker",
  concerns: "No allocated social worker since the review.",
  outcomesSought: "Allocate a social worker within 5 working days.",
  startStage: 1,
});

/** Every row of the tenant's index partition, key → the columns that matter to a reader. */
async function indexRows(): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  for await (const e of app.tables.client("indexes").listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${tenantId}'` } })) {
    const { etag: _e, timestamp: _t, ...columns } = e as Record<string, unknown>;
    // A closed dispute's blank cell in the dashboard's projection says nothing: a row of blanks is no row.
    const said = Object.fromEntries(Object.entries(columns).filter(([k, v]) => !(k.startsWith("c_") && v === "")));
    const sorted = Object.fromEntries(Object.entries(said).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (Object.keys(said).some((k) => k.startsWith("c_")) || !String(e.rowKey).startsWith("dash|")) rows.set(String(e.rowKey), JSON.stringify(sorted));
  }
  return rows;
}

/** Put the index partition back as the previous layout wrote it. */
async function toOldLayout(failedDisputeId: string): Promise<void> {
  const indexes = app.tables.client("indexes");
  const actions: TransactionAction[] = [];
  for await (const e of indexes.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${tenantId}'` } })) {
    const key = String(e.rowKey);
    const parts = key.split("|");
    if (key.startsWith("of|") || key.startsWith("failed|") || key.startsWith("dash|") || key.startsWith("month|")) actions.push(["delete", { partitionKey: tenantId, rowKey: key }]);
    else if (["assignee", "iro", "team", "child", "all"].includes(parts[0]!)) {
      const { etag: _e, timestamp: _t, ...columns } = e as Record<string, unknown>;
      actions.push(["delete", { partitionKey: tenantId, rowKey: key }]);
      actions.push(["upsert", { ...columns, partitionKey: tenantId, rowKey: `${parts[0]}|${parts[1]}|${parts[3]}` }, "Replace"]);
    }
  }
  actions.push(["create", { partitionKey: tenantId, rowKey: `failed|${failedDisputeId}|${failedDisputeId}:1:1`, disputeId: failedDisputeId, effectId: `${failedDisputeId}:1:1`, kind: "notify", notice: "alert", to: "meganb@example.com", lastError: "503", failedAt: "2026-12-22T09:00:00.000Z", attempts: 8 }]);
  for (const action of actions) await indexes.submitTransaction([action]);
}

beforeAll(async () => {
  app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: tenantId }));
  app.setClock(new Date("2026-12-21T10:00:00Z"));
});

describe("npm run migrate", () => {
  it("rewrites an old layout's indexes a bounded run at a time, then changes nothing", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await raiseDispute(app.services, { tenantId, raisedBy: demoPeople.alex, source: "api", details: details(i) });
      if (!r.ok) throw new Error(r.error.message);
      ids.push(r.value.dispute.id);
    }
    const closed = ids[0]!;
    expect((await runCommand(app.services, { tenantId, disputeId: closed, command: { action: "resolve", outcome: "Sorted" }, actor: actorOf(demoPeople.alex), source: "api" })).ok).toBe(true);
    for (const id of ids) await app.services.store.reproject(tenantId, id);
    const current = await indexRows();

    await toOldLayout(ids[1]!);
    expect((await app.services.store.list(tenantId, { kind: "all" }, "open", 100)).items).toEqual([]);

    const first = await migrateIndexes(app.tables, app.services.store, tenantId, 2, app.services.clock.now());
    expect(first).toMatchObject({ disputes: 2, done: false, already: false });
    const second = await migrateIndexes(app.tables, app.services.store, tenantId, Infinity, app.services.clock.now());
    // 25: the resolved dispute waits on nobody, so it has no "waiting on me" row.
    expect(second).toMatchObject({ disputes: 3, done: true, oldRows: 25 });

    const open = await app.services.store.list(tenantId, { kind: "all" }, "open", 100);
    expect(open.items.map((s) => s.id).sort()).toEqual(ids.slice(1).sort());
    expect((await app.services.store.list(tenantId, { kind: "iro", personId: demoPeople.alex.id }, "closed", 100)).items.map((s) => s.id)).toEqual([closed]);
    const failed = await app.outbox.failed(tenantId, 10);
    expect(failed.items).toEqual([expect.objectContaining({ disputeId: ids[1], team: "demo-team", failedAt: "2026-12-22T09:00:00.000Z", attempts: 8 })]);

    // The list rows, manifests and due entries are what the store itself wrote; nothing of the old layout is left.
    const migrated = await indexRows();
    for (const [key, value] of current) expect(migrated.get(key), key).toBe(value);
    expect([...migrated.keys()].filter((k) => !current.has(k)).sort()).toEqual([expect.stringMatching(/^failed\|\d{13}\|/), "migration|indexes-3", "month|2026-12|carried"]);

    expect(await migrateIndexes(app.tables, app.services.store, tenantId)).toMatchObject({ already: true, disputes: 0 });
    expect(await indexRows()).toEqual(migrated);
  });
});
