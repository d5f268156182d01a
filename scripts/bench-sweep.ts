/**
 * npm run bench:sweep: one sweep over an authority of real disputes (BENCH_DISPUTES, default
 * 2,000, seeded as bench:scale seeds them: every row the product writes, with the due entries of
 * every version still ahead, most of them stale), with 10 fresh disputes whose first step is due.
 *
 * Target: the sweep reads the due index only up to now, so it reads the 10 entries due and none
 * of the others, and each due step costs 4 requests (read the dispute, index batch, commit, remove
 * the entry) plus 2 for the sweep (the authorities, the due range). Exits 1 when it costs more.
 */
import { performance } from "node:perf_hooks";
import { composeApp } from "../functions/compose";
import { demoPeople } from "../functions/demo/demoAuthority";
import { readSettings } from "../functions/settings";
import { raiseDispute } from "../functions/usecases/raise";
import { sweep } from "../functions/usecases/sweep";
import { startAzurite } from "./azurite";
import { seedDisputes } from "./benchSeed";

const DISPUTES = Number(process.env.BENCH_DISPUTES ?? 2_000);
const DUE = 10;

async function main() {
  const azurite = await startAzurite({});
  try {
    const counter = { count: 0, rows: 0 };
    const app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: azurite.connectionString, RESOLVE_DEV_TENANT: "bench" }), counter);
    const details = {
      child: { reference: "MOS-100234", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no-allocated-social-worker",
      concerns: "No allocated social worker.",
      outcomesSought: "Allocate a social worker.",
      startStage: 1,
    };
    const seedEnd = new Date("2027-01-11T09:00:00Z");
    app.setClock(seedEnd);
    const fresh = [];
    for (let i = 0; i < DUE; i++) {
      const r = await raiseDispute(app.services, { tenantId: "bench", raisedBy: demoPeople.alex, source: "api", details });
      if (!r.ok) throw new Error(r.error.message);
      fresh.push(r.value.dispute);
    }
    // Just after each fresh dispute's first step; every seeded entry lies after it.
    const sweepAt = new Date(Math.max(...fresh.map((d) => Math.min(...d.timers.map((t) => Date.parse(t.at))))) + 60_000);
    const started = performance.now();
    const seeded = await seedDisputes(app, { tenantId: "bench", disputes: DISPUTES, from: new Date("2026-01-05T09:00:00Z"), to: seedEnd, dueAfter: sweepAt });
    console.log(`seeded ${seeded.disputes} disputes (${seeded.open} open, ${seeded.rows} rows) in ${((performance.now() - started) / 1000).toFixed(0)} s`);

    app.setClock(sweepAt);
    const [requests0, rows0] = [counter.count, counter.rows];
    const t0 = performance.now();
    const report = await sweep(app.services);
    const ms = performance.now() - t0;
    const requests = counter.count - requests0;
    const limit = 4 * report.due + 2;
    console.log(JSON.stringify({ disputes: DISPUTES, dueEntriesRead: report.due, acted: report.acted, dropped: report.dropped, storageRequests: requests, rowsRead: counter.rows - rows0, requestLimit: limit, sweepMs: +ms.toFixed(0) }));
    if (report.due !== DUE || requests > limit) {
      console.log(`The sweep read ${report.due} due entries (expected ${DUE}) and made ${requests} requests (limit ${limit}).`);
      process.exitCode = 1;
    }
  } finally {
    await azurite.stop();
  }
}

await main();
