/**
 * npm run bench:sweep: a sweep over an authority with 50,000 open disputes, 10 of them due.
 * The due index holds a deadline and reminders for every open dispute; the sweep must read only
 * the 10 that are due. Prints the index entries read and the storage requests made.
 */
import { performance } from "node:perf_hooks";
import type { TransactionAction } from "@azure/data-tables";
import { composeApp } from "../functions/compose";
import { demoPeople } from "../functions/demo/demoAuthority";
import { readSettings } from "../functions/settings";
import { raiseDispute } from "../functions/usecases/raise";
import { sweep } from "../functions/usecases/sweep";
import { startAzurite } from "./azurite";

const OPEN = Number(process.env.BENCH_OPEN ?? 50_000);
const DUE = 10;

async function main() {
  const azurite = await startAzurite({});
  try {
    const counter = { count: 0 };
    const app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: azurite.connectionString, RESOLVE_DEV_TENANT: "bench" }), counter);
    const details = {
      child: { reference: "MOS-100234", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no-allocated-social-worker",
      concerns: "No allocated social worker.",
      outcomesSought: "Allocate a social worker.",
    };
    // Ten real disputes, raised so that their deadlines are due when the sweep runs.
    app.setClock(new Date("2027-01-11T09:00:00Z"));
    for (let i = 0; i < DUE; i++) {
      const r = await raiseDispute(app.services, { tenantId: "bench", raisedBy: demoPeople.alex, source: "api", details });
      if (!r.ok) throw new Error(r.error.message);
    }
    // The rest of the open disputes' steps, due in the weeks after the sweep, as their index entries.
    const indexes = app.tables.client("indexes");
    const started = performance.now();
    for (let i = DUE; i < OPEN; i += 100) {
      const batch: TransactionAction[] = [];
      for (let j = i; j < Math.min(OPEN, i + 100); j++) {
        const at = new Date(Date.UTC(2027, 1, 1 + (j % 40), 17)).toISOString();
        batch.push(["create", { partitionKey: "bench", rowKey: `due|${at}|D-B${j}|deadline:1:${at}`, disputeId: `D-B${j}`, kind: "deadline", token: `deadline:1:${at}`, at }]);
      }
      await indexes.submitTransaction(batch);
    }
    console.log(`seeded ${OPEN - DUE} other open disputes' index entries in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // After the ten deadlines (Fri 15 Jan 17:00), before anything else falls due.
    app.setClock(new Date("2027-01-15T17:30:00Z"));
    const before = counter.count;
    const t0 = performance.now();
    const report = await sweep(app.services);
    const ms = performance.now() - t0;
    const requests = counter.count - before;
    console.log(JSON.stringify({ openDisputes: OPEN, dueEntriesRead: report.due, acted: report.acted, storageRequests: requests, requestsPerDueEntry: +(requests / report.due).toFixed(1), sweepMs: +ms.toFixed(0) }));
  } finally {
    await azurite.stop();
  }
}

await main();
