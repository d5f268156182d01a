/**
 * npm run bench: one transition (load, decide, index batch, commit) on a real Azurite.
 * Prints p50 / p95 latency and the storage round trips each transition costs.
 */
import { performance } from "node:perf_hooks";
import { composeApp } from "../functions/compose";
import { demoPeople } from "../functions/demo/demoAuthority";
import { readSettings } from "../functions/settings";
import { actOnDispute } from "../functions/usecases/act";
import { raiseDispute } from "../functions/usecases/raise";
import { startAzurite } from "./azurite";

const DISPUTES = Number(process.env.BENCH_DISPUTES ?? 150);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main() {
  const azurite = await startAzurite({});
  try {
    const counter = { count: 0 };
    const app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: azurite.connectionString, RESOLVE_DEV_TENANT: "bench" }), counter);
    app.setClock(new Date("2027-01-11T09:00:00Z"));
    const details = {
      child: { reference: "MOS-100234", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no-allocated-social-worker",
      concerns: "No allocated social worker since the review on 4 January.",
      outcomesSought: "Allocate a social worker within 5 working days.",
    };
    const latencies: Record<string, number[]> = {};
    const trips: Record<string, number[]> = {};
    const measure = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const before = counter.count;
      const start = performance.now();
      const result = await run();
      (latencies[name] ??= []).push(performance.now() - start);
      (trips[name] ??= []).push(counter.count - before);
      return result;
    };
    // Warm up connections and the tenant's runtime.
    await raiseDispute(app.services, { tenantId: "bench", raisedBy: demoPeople.alex, source: "api", details });
    for (let i = 0; i < DISPUTES; i++) {
      const raised = await measure("raise", () => raiseDispute(app.services, { tenantId: "bench", raisedBy: demoPeople.alex, source: "api", details }));
      if (!raised.ok) throw new Error(raised.error.message);
      const id = raised.value.dispute.id;
      const act = (name: string, person: typeof demoPeople.alex, body: object) =>
        measure(name, async () => {
          const r = await actOnDispute(app.services, { tenantId: "bench", disputeId: id, person, source: "api", body });
          if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
        });
      await act("respond", demoPeople.megan, { action: "respond", response: "A social worker is allocated from Monday." });
      await act("escalate", demoPeople.alex, { action: "escalate", rationale: "The allocation is not confirmed in writing." });
      await act("resolve", demoPeople.alex, { action: "resolve", outcome: "Allocated and visited." });
    }
    const rows = Object.keys(latencies).map((name) => {
      const l = [...latencies[name]!].sort((a, b) => a - b);
      const t = trips[name]!;
      return { transition: name, n: l.length, p50_ms: +percentile(l, 50).toFixed(1), p95_ms: +percentile(l, 95).toFixed(1), round_trips_max: Math.max(...t), round_trips_mean: +(t.reduce((a, b) => a + b, 0) / t.length).toFixed(2) };
    });
    const all = Object.values(latencies).flat().sort((a, b) => a - b);
    const allTrips = Object.values(trips).flat();
    console.table(rows);
    console.log(
      JSON.stringify({ transitions: all.length, p50_ms: +percentile(all, 50).toFixed(1), p95_ms: +percentile(all, 95).toFixed(1), round_trips_max: Math.max(...allTrips), targets: { p95_ms: 50, round_trips: 3 } }),
    );
  } finally {
    await azurite.stop();
  }
}

await main();
