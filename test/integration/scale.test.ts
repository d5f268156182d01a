/**
 * Every read path costs what its answer needs, not what the authority has stored: on a real
 * Azurite, two authorities seeded with real disputes (one four times the other's size) answer
 * each read with the same storage requests and the same rows scanned. Sizes are modest and
 * nothing is timed: `npm run bench:scale` measures the large sizes and the time.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type App, composeApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { dashboardFor } from "../../functions/usecases/dashboard";
import { readSettings } from "../../functions/settings";
import { type Dashboard, DASHBOARD_PAGE } from "../../shared/reports/dashboard";
import { seedDisputes } from "../../scripts/benchSeed";
import { DASHBOARD_SHARDS } from "../../functions/adapters/dashboardProjection";
import { MONTH_SHARDS } from "../../functions/adapters/monthEvents";
import { monthlyReportFor } from "../../functions/usecases/reports";
import { monthlyReport } from "../../shared/reports/monthlyReport";
import { actOnDispute } from "../../functions/usecases/act";
import { getDispute } from "../../functions/usecases/queries";
import { raiseDispute } from "../../functions/usecases/raise";
import { relayDispute } from "../../functions/usecases/relay";
import { sweep } from "../../functions/usecases/sweep";
import type { Services } from "../../functions/usecases/services";
import type { Dispute } from "../../shared/dispute/disputeSchema";

const run = Math.random().toString(36).slice(2, 8);
const SIZES = [60, 240] as const;
const tenantOf = (size: number) => `scale-${run}-${size}`;
let app: App;

beforeAll(async () => {
  app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: tenantOf(SIZES[0]) }));
  for (const size of SIZES) {
    await app.directory.seed(demoAuthority("lambeth", tenantOf(size), `${tenantOf(size)}-entra`));
    await seedDisputes(app, { tenantId: tenantOf(size), disputes: size, from: new Date("2026-06-01T09:00:00Z"), to: new Date("2027-01-11T09:00:00Z"), dueAfter: new Date("2027-01-11T09:00:00Z"), failEvery: 2 });
  }
  app.tables.counter.rows = 0;
  app.tables.counter.trips = 0;
}, 120_000);

/** Storage requests and rows scanned by `read` in each authority. */
async function costs(read: (tenantId: string) => Promise<unknown>): Promise<{ requests: number; rows: number }[]> {
  const out = [];
  for (const size of SIZES) {
    const counter = app.tables.counter;
    const [requests, rows] = [counter.count, counter.rows!];
    await read(tenantOf(size));
    out.push({ requests: counter.count - requests, rows: counter.rows! - rows });
  }
  return out;
}

const expectFlat = (measured: { requests: number; rows: number }[]) => expect(measured[1]).toEqual(measured[0]);

describe("reads whose cost does not grow with the authority", () => {
  it("a page of open disputes reads one page: first and later pages alike", async () => {
    const first = await costs((t) => app.services.store.list(t, { kind: "all" }, "open", 10));
    expect(first[0]).toEqual({ requests: 1, rows: 10 });
    expectFlat(first);
    expectFlat(
      await costs(async (t) => {
        const page = await app.services.store.list(t, { kind: "all" }, "open", 10);
        await app.services.store.list(t, { kind: "all" }, "open", 10, page.next);
      }),
    );
  });

  it("a page of closed disputes never passes over the open ones, nor a person's list over anyone else's", async () => {
    expectFlat(await costs((t) => app.services.store.list(t, { kind: "all" }, "closed", 10)));
    expectFlat(await costs((t) => app.services.store.list(t, { kind: "iro", personId: "p-20" }, "closed", 10)));
  });

  it("failed deliveries: the newest page, at one request", async () => {
    const measured = await costs((t) => app.outbox.failed(t, 10));
    expect(measured[0]).toEqual({ requests: 1, rows: 10 });
    expectFlat(measured);
    const pages = await Promise.all(SIZES.map((s) => app.outbox.failed(tenantOf(s), 10)));
    for (const page of pages) expect(page.items.map((x) => x.failedAt)).toEqual(page.items.map((x) => x.failedAt).sort().reverse());
  });

  it("putting one dispute's list rows right reads its manifest, never the partition", async () => {
    const ids = await Promise.all(SIZES.map(async (s) => (await app.services.store.list(tenantOf(s), { kind: "all" }, "open", 1)).items[0]!.id));
    const measured = [];
    for (const [i, size] of SIZES.entries()) {
      const counter = app.tables.counter;
      const [requests, rows] = [counter.count, counter.rows!];
      await app.services.store.reproject(tenantOf(size), ids[i]!);
      measured.push({ requests: counter.count - requests, rows: counter.rows! - rows });
    }
    expect(measured[0]).toEqual({ requests: 2, rows: 2 });
    expectFlat(measured);
  });

  it("the sweep's read of what is due reads only what is due", async () => {
    expectFlat(await costs((t) => app.services.store.due(t, new Date("2027-01-11T09:00:00Z"), 200)));
  });

  it("this month's report reads its month's projection: the same requests and rows at both sizes, the same report as every event gives", async () => {
    const qa = async (t: string) => (await app.directory.personByUpn(t, demoPeople.quinn.upn))!;
    const report = async (t: string) => {
      const r = await monthlyReportFor(app.services, t, "2027-01", await qa(t));
      if (!r.ok) throw new Error(r.error.message);
      return r.value.report;
    };
    app.setClock(new Date("2027-01-12T10:00:00Z"));
    // The month's first report carries its quiet open disputes into it; after that, its rows alone.
    for (const size of SIZES) await report(tenantOf(size));
    const measured = await costs(report);
    // The same requests; rows at most the two months' rows (32 each, fewer where a small authority leaves some empty) and the carried marks.
    expect(measured[1]!.requests).toBe(measured[0]!.requests);
    for (const m of measured) expect(m.rows).toBeLessThanOrEqual(2 * MONTH_SHARDS + 2);

    // Every event of the larger authority, through the same arithmetic: the same report.
    const t = tenantOf(SIZES[1]);
    const runtime = (await app.services.runtime(t))!;
    const everything = monthlyReport({ month: "2027-01", events: await app.services.store.allEvents(t), calendar: runtime.calendar, labels: runtime.procedure, teams: await app.directory.teams(t), positiveFeedback: [] });
    expect(await report(t)).toEqual(everything);
  });

  it("the dashboard answers the same size and the same requests: its figures and one page of a list, never every open dispute", async () => {
    const board = async (t: string, page: { list?: "open" | "overdue"; cursor?: string } = {}): Promise<Dashboard> => {
      const person = (await app.directory.personByUpn(t, demoPeople.quinn.upn))!;
      const r = await dashboardFor(app.services, { tenantId: t, person, filters: {}, ...page });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    for (const size of SIZES) await board(tenantOf(size));
    const bytes: number[] = [];
    const measured = await costs(async (t) => {
      const d = await board(t);
      bytes.push(JSON.stringify(d).length);
      expect(d.disputes).toHaveLength(DASHBOARD_PAGE);
    });
    expect(measured.map((m) => m.requests)).toEqual([measured[0]!.requests, measured[0]!.requests]);
    // Its projection's rows (16 a team) and the newest page of failed deliveries, at any size.
    for (const m of measured) expect(m.rows).toBeLessThanOrEqual(DASHBOARD_SHARDS + DASHBOARD_PAGE + 1);
    expect(measured[0]!.requests).toBeLessThanOrEqual(10);
    for (const b of bytes) expect(b).toBeLessThanOrEqual(50_000);
    // Names and counts differ a little between the two authorities; the rows sent do not.
    expect(Math.abs(bytes[1]! - bytes[0]!)).toBeLessThan(bytes[0]! / 10);

    // Paging the largest authority's open list reaches every open dispute once, in 25s.
    const t = tenantOf(SIZES[1]);
    const seen: string[] = [];
    let d = await board(t);
    for (;;) {
      seen.push(...d.disputes.map((r) => r.id));
      if (!d.list.next) break;
      d = await board(t, { cursor: d.list.next });
    }
    expect(seen).toHaveLength(d.totals.open);
    expect(new Set(seen).size).toBe(seen.length);
    // Failed deliveries: the newest page, saying older ones exist (every second dispute failed).
    expect(d.failedDeliveries).toHaveLength(DASHBOARD_PAGE);
    expect(d.failedDeliveriesMore).toBe(true);
    const overdue = await board(t, { list: "overdue" });
    expect(overdue.list.total).toBe(overdue.totals.overdue);
    expect(overdue.disputes.every((r) => r.overdue)).toBe(true);
  });
});

describe("units of work that cost the same in any authority", () => {
  const details = {
    child: { reference: "MOS-900002", initials: "C.D.", legalStatus: "looked-after", team: "demo-team" },
    category: "statutory-responsibilities",
    reason: "no-allocated-social-worker",
    concerns: "No allocated social worker.",
    outcomesSought: "Allocate a social worker.",
    startStage: 1,
  };
  /** The sweep and the relay, scoped to one authority. */
  const scoped = async (t: string): Promise<Services> => ({ ...app.services, directory: { ...app.services.directory, tenants: async () => [(await app.services.directory.tenant(t))!] } });
  const raiseIn = async (t: string): Promise<Dispute> => {
    const r = await raiseDispute(app.services, { tenantId: t, raisedBy: demoPeople.alex, source: "api", details });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.dispute;
  };
  const answer = async (t: string, d: Dispute) => {
    const megan = (await app.directory.personByUpn(t, demoPeople.megan.upn))!;
    const r = await actOnDispute(app.services, { tenantId: t, disputeId: d.id, person: megan, body: { action: "respond", response: "Allocated." }, source: "api" });
    if (!r.ok) throw new Error(r.error.message);
    return { megan, dispute: r.value.dispute };
  };

  it("an action and its answer: at most 4 round trips while the person waits; its relay at most 6 requests per effect delivered", async () => {
    app.setClock(new Date("2027-01-11T08:00:00Z"));
    const disputes = new Map<string, Dispute>();
    for (const size of SIZES) disputes.set(tenantOf(size), await raiseIn(tenantOf(size)));
    // The caller's directory entry and the authority's runtime are kept by a running instance.
    for (const size of SIZES) await app.directory.personByUpn(tenantOf(size), demoPeople.megan.upn);
    const counter = app.tables.counter;
    const waited: { requests: number; trips: number }[] = [];
    const relayed: { requests: number; delivered: number }[] = [];
    for (const size of SIZES) {
      const t = tenantOf(size);
      const d = disputes.get(t)!;
      for (const marker of await app.outbox.work(t)) if (marker.disputeId === d.id) await relayDispute({ services: await scoped(t), outbox: app.outbox, sink: app.sink }, marker, { delivered: 0, retrying: 0, failed: 0, dropped: 0 });
      const [r0, p0] = [counter.count, counter.trips!];
      const { megan, dispute } = await answer(t, d);
      // What the API answers with: the dispute as committed, its history and deliveries.
      expect((await getDispute(app.services, t, d.id, megan, { committed: dispute })).ok).toBe(true);
      waited.push({ requests: counter.count - r0, trips: counter.trips! - p0 });
      const r1 = counter.count;
      const report = { delivered: 0, retrying: 0, failed: 0, dropped: 0 };
      const marker = (await app.outbox.marker(t, d.id))!;
      await relayDispute({ services: await scoped(t), outbox: app.outbox, sink: app.sink }, marker, report);
      relayed.push({ requests: counter.count - r1, delivered: report.delivered });
    }
    expect(waited[1]).toEqual(waited[0]);
    expect(waited[0]!.trips).toBeLessThanOrEqual(4);
    expect(relayed[1]).toEqual(relayed[0]);
    expect(relayed[0]!.delivered).toBeGreaterThan(0);
    expect(relayed[0]!.requests / relayed[0]!.delivered).toBeLessThanOrEqual(6);
  });

  it("the sweep: the same requests in both authorities, and entries an answer superseded dropped without reading their dispute", async () => {
    // Raised well before every seeded entry falls due, so the sweep meets these disputes' steps alone.
    app.setClock(new Date("2026-12-01T08:00:00Z"));
    const standing = new Map<string, Dispute[]>();
    const answered = new Map<string, Dispute[]>();
    for (const size of SIZES) {
      const t = tenantOf(size);
      standing.set(t, [await raiseIn(t), await raiseIn(t)]);
      const gone = [await raiseIn(t), await raiseIn(t)];
      for (const d of gone) await answer(t, d);
      answered.set(t, gone);
      for (const marker of await app.outbox.work(t)) await relayDispute({ services: await scoped(t), outbox: app.outbox, sink: app.sink }, marker, { delivered: 0, retrying: 0, failed: 0, dropped: 0 });
    }
    const first = standing.get(tenantOf(SIZES[0]))![0]!;
    app.setClock(new Date(Math.min(...first.timers.map((t) => Date.parse(t.at))) + 60_000));
    const loads: string[] = [];
    const reports: Awaited<ReturnType<typeof sweep>>[] = [];
    const measured = await costs(async (t) => {
      const services = await scoped(t);
      reports.push(await sweep({ ...services, store: { ...services.store, load: (tt, id) => (loads.push(id), services.store.load(tt, id)) } }));
    });
    expectFlat(measured);
    for (const r of reports) expect(r).toMatchObject({ acted: 2, skipped: 2 });
    for (const d of [...answered.values()].flat()) expect(loads).not.toContain(d.id);
  });
});

