/**
 * The dashboard's projection on a real Azurite: one cell per open dispute in a few rows a team,
 * written with each commit. Real commits at once into the same rows lose nothing; rows a late
 * losing writer left wrong, or lost altogether, are put right by the relay's reprojection or a
 * rebuild; a load rewrites a row crowded with closed disputes' blank cells, never losing a cell
 * a commit wrote meanwhile.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { odata } from "@azure/data-tables";
import { type App, composeApp } from "../../functions/compose";
import { readSettings } from "../../functions/settings";
import { demoPeople } from "../../functions/demo/demoAuthority";
import { DASHBOARD_SHARDS, blankCell, readDashboardProjection, writeCell } from "../../functions/adapters/dashboardProjection";
import { listRows } from "../../functions/adapters/tableDisputeStore";
import { actOnDispute } from "../../functions/usecases/act";
import { raiseDispute } from "../../functions/usecases/raise";
import { decide } from "../../shared/dispute/lifecycle";
import { actorOf } from "../../functions/usecases/actors";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import { raised } from "../fixtures/disputes";

const tenantId = `dashproj-${Math.random().toString(36).slice(2, 8)}`;
let app: App;

const details = (n: number) => ({
  child: { reference: `MOS-${200000 + n}`, initials: "K.L.", legalStatus: "looked-after", team: "demo-team" },
  category: "statutory-responsibilities",
  reason: "no-allocated-social-worker",
  concerns: "No allocated social worker since the review.",
  outcomesSought: "Allocate a social worker within 5 working days.",
  startStage: 1,
});

async function raise(n: number): Promise<Dispute> {
  const r = await raiseDispute(app.services, { tenantId, raisedBy: demoPeople.alex, source: "api", details: details(n) });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.dispute;
}

async function act(disputeId: string, person: typeof demoPeople.alex, body: object) {
  return actOnDispute(app.services, { tenantId, disputeId, person, source: "api", body });
}

/** The open disputes as their list rows say, in the dashboard's shape, by id. */
async function fromListRows() {
  const page = await app.services.store.list(tenantId, { kind: "all" }, "open", 1000);
  return page.items.map(({ version: _v, open: _o, updatedAt: _u, ...shown }) => shown).sort((a, b) => (a.id < b.id ? -1 : 1));
}

const fromProjection = async () => (await app.services.dashboard.open(tenantId)).sort((a, b) => (a.id < b.id ? -1 : 1));

beforeAll(async () => {
  app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: tenantId }));
  app.setClock(new Date("2026-12-21T10:00:00Z"));
});

describe("the dashboard's projection", () => {
  it("40 disputes raised at once, then 15 resolved, 10 answered and 10 noted at once: it holds every open one as committed, in at most 16 rows", async () => {
    const disputes = await Promise.all(Array.from({ length: 40 }, (_, n) => raise(n)));
    expect(await fromProjection()).toEqual(await fromListRows());
    expect((await fromProjection()).map((d) => d.id).sort()).toEqual(disputes.map((d) => d.id).sort());

    const results = await Promise.all([
      ...disputes.slice(0, 15).map((d) => act(d.id, demoPeople.alex, { action: "resolve", outcome: "Allocated." })),
      ...disputes.slice(15, 25).map((d) => act(d.id, demoPeople.megan, { action: "respond", response: "A social worker is allocated." })),
      ...disputes.slice(25, 35).map((d) => act(d.id, demoPeople.alex, { action: "add-note", note: "Spoke to the team manager." })),
    ]);
    expect(results.filter((r) => !r.ok)).toEqual([]);

    const open = await fromProjection();
    expect(open).toEqual(await fromListRows());
    expect(open).toHaveLength(25);
    expect(open.filter((d) => d.state === "awaiting-decision").map((d) => d.id).sort()).toEqual(disputes.slice(15, 25).map((d) => d.id).sort());

    app.tables.counter.rows = 0;
    const [requests, rows] = [app.tables.counter.count, app.tables.counter.rows];
    await app.services.dashboard.open(tenantId);
    expect(app.tables.counter.count - requests).toBe(1);
    expect(app.tables.counter.rows - rows).toBeLessThanOrEqual(DASHBOARD_SHARDS);
  }, 90_000);

  it("conflicting actions on one dispute at once: the cell says what was committed", async () => {
    const d = await raise(100);
    const results = await Promise.all([
      act(d.id, demoPeople.alex, { action: "resolve", outcome: "Allocated." }),
      act(d.id, demoPeople.megan, { action: "respond", response: "Allocated today." }),
      act(d.id, demoPeople.alex, { action: "add-note", note: "Chased by phone." }),
    ]);
    expect(results.some((r) => r.ok)).toBe(true);
    const committed = (await app.services.store.load(tenantId, d.id))!.dispute;
    const cell = (await fromProjection()).find((x) => x.id === d.id);
    if (committed.state === "resolved") expect(cell).toBeUndefined();
    else expect(cell?.state).toBe(committed.state);
    expect(await fromProjection()).toEqual(await fromListRows());
  });

  it("a losing writer's rows landing after the winner's are put right by the relay's reprojection", async () => {
    const d = await raise(101);
    const before = (await app.services.store.load(tenantId, d.id))!;
    const ctx = { actor: actorOf(demoPeople.megan), now: app.services.clock.now(), procedure: (await app.services.runtime(tenantId))!.procedure, calendar: (await app.services.runtime(tenantId))!.calendar, roster: await app.directory.roster(tenantId, "demo-team"), source: "api" as const };
    const winner = decide(before.dispute, { action: "respond", response: "Allocated today." }, ctx);
    const loser = decide(before.dispute, { action: "resolve", outcome: "Allocated." }, { ...ctx, actor: actorOf(demoPeople.alex) });
    if (!winner.ok || !loser.ok) throw new Error("both decisions stand against the version read");
    expect((await app.services.store.commit(tenantId, before, winner.value)).ok).toBe(true);
    // The loser's index batch arrives late, saying the dispute closed; its commit then fails.
    await app.tables.client("indexes").submitTransaction(listRows(tenantId, before.dispute, loser.value.dispute));
    expect((await fromProjection()).find((x) => x.id === d.id)).toBeUndefined();
    expect((await app.services.store.commit(tenantId, before, loser.value)).ok).toBe(false);

    await app.services.store.reproject(tenantId, d.id);
    expect((await fromProjection()).find((x) => x.id === d.id)?.state).toBe("awaiting-decision");
    expect(await fromProjection()).toEqual(await fromListRows());
  });

  it("rows lost altogether come back from the disputes themselves (the rebuild npm run migrate runs)", async () => {
    const indexes = app.tables.client("indexes");
    const wanted = await fromListRows();
    for await (const row of indexes.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${tenantId} and RowKey ge ${"dash|"} and RowKey lt ${"dash|~"}` } })) {
      await indexes.deleteEntity(tenantId, String(row.rowKey));
    }
    expect(await fromProjection()).toEqual([]);
    await app.services.store.rebuildIndexes(tenantId);
    expect(await fromProjection()).toEqual(wanted);
  });

  it("a row crowded with blank cells is rewritten without them by a load, keeping a cell written at the same moment", async () => {
    const indexes = app.tables.client("indexes");
    const tenant = `${tenantId}-crowded`;
    const rowKey = "dash|crowded-team|00";
    const many = Array.from({ length: 30 }, (_, n) => ({ ...raised().dispute, id: `D-C${String(n).padStart(5, "0")}` }));
    // One entity appears once a batch: each cell is its own merge, all at once.
    await Promise.all(many.map((d) => indexes.submitTransaction([writeCell(tenant, rowKey, d)])));
    await Promise.all(many.slice(0, 26).map((d) => indexes.submitTransaction([blankCell(tenant, rowKey, d.id)])));
    const late = { ...raised().dispute, id: "D-LATE01" };
    const [open] = await Promise.all([readDashboardProjection(indexes, tenant), indexes.submitTransaction([writeCell(tenant, rowKey, late)])]);
    expect(open.map((d) => d.id).filter((id) => id !== late.id).sort()).toEqual(many.slice(26).map((d) => d.id));

    const after = await readDashboardProjection(indexes, tenant);
    expect(after.map((d) => d.id).sort()).toEqual([...many.slice(26).map((d) => d.id), late.id].sort());
    // Compacted by one of the two loads (the first may have lost to the late write), then by the next at the latest.
    await readDashboardProjection(indexes, tenant);
    const row = await indexes.getEntity<Record<string, unknown>>(tenant, rowKey);
    expect(Object.keys(row).filter((k) => k.startsWith("c_"))).toHaveLength(5);
  });
});
