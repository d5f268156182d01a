/**
 * npm run bench:report: the monthly report as QA gets it, over HTTP, from an authority of real
 * disputes on Azurite (BENCH_DISPUTES, default 2,000, seeded as bench:scale seeds them, their
 * stories spread over a year).
 *
 * Times GET /api/reports/monthly for the current month (computed from every audit event at each
 * request) and for a past month (computed once, then kept), BENCH_RUNS times each, with the
 * storage requests and rows each costs. Exits 1 if the current month's median takes 2 s or more,
 * or if the past month, once kept, costs more than one storage read beyond the caller's own.
 */
import { performance } from "node:perf_hooks";
import { startAzurite } from "./azurite";

const DISPUTES = Number(process.env.BENCH_DISPUTES ?? 2_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LIMIT_MS = 2_000;

const azurite = await startAzurite({});
try {
  Object.assign(process.env, { RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: azurite.connectionString, RESOLVE_DEV_TENANT: "bench", RESOLVE_PROCEDURE: "lambeth" });
  await import("../functions/index");
  const { getApp } = await import("../functions/compose");
  const { startLocalHost } = await import("../functions/host/localHost");
  const { demoPeople } = await import("../functions/demo/demoAuthority");
  const { seedDisputes } = await import("./benchSeed");
  const app = await getApp();
  const host = await startLocalHost({ port: 0 });
  const counter = app.tables.counter;
  counter.rows = 0;
  const now = new Date("2027-01-20T09:00:00Z");
  const seeded = await seedDisputes(app, { tenantId: "bench", disputes: DISPUTES, from: new Date("2026-01-05T09:00:00Z"), to: now, dueAfter: now });
  app.setClock(now);

  const time = async (month: string) => {
    const times: number[] = [];
    let requests = 0;
    let rows = 0;
    for (let run = 0; run < RUNS; run++) {
      const [r0, s0, t0] = [counter.count, counter.rows!, performance.now()];
      const res = await fetch(`${host.url}/api/reports/monthly?month=${month}`, { headers: { "x-resolve-dev-user": demoPeople.quinn.upn } });
      if (!res.ok) throw new Error(`GET reports/monthly?month=${month}: ${res.status} ${await res.text()}`);
      await res.json();
      times.push(performance.now() - t0);
      [requests, rows] = [counter.count - r0, counter.rows! - s0];
    }
    const sorted = [...times].sort((a, b) => a - b);
    return { first_ms: +times[0]!.toFixed(0), median_ms: +sorted[Math.ceil(sorted.length / 2) - 1]!.toFixed(0), requests, rows };
  };
  const current = await time("2027-01");
  const past = await time("2026-12");
  const cachedRequests = past.requests;
  // The caller's own reads (directory, authority) are kept by the app: what is left is the report's.
  console.log(JSON.stringify({ disputes: DISPUTES, rows: seeded.rows, currentMonth: current, pastMonth: past, limit_ms: LIMIT_MS }));
  console.log(`monthly report over HTTP, ${DISPUTES} disputes: this month ${current.median_ms} ms (${current.requests} requests, ${current.rows} rows); a past month once kept ${past.median_ms} ms (${cachedRequests} requests).`);
  await host.stop();
  if (current.median_ms >= LIMIT_MS || cachedRequests > 2) process.exitCode = 1;
} finally {
  await azurite.stop();
}
process.exit();
