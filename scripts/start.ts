/**
 * npm start: the whole product on this machine, on its embedded defaults. Azurite (persisted in
 * .data/), the local Functions host with its timers, and a seeded demo authority. Ctrl-C stops
 * everything.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startAzurite } from "./azurite";

const root = join(import.meta.dirname, "..");
const tablePort = Number(process.env.RESOLVE_TABLE_PORT ?? 10002);
const hostPort = Number(process.env.RESOLVE_PORT ?? 7071);

// Outside Core Tools, @azure/functions says it is in test mode and skips each registration: expected here.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const first = String(args[0] ?? "");
  if (first.includes("Azure Functions runtime") || first.includes("Skipping call to register function")) return;
  warn(...args);
};

async function main() {
  const started = Date.now();
  const dataDir = join(root, ".data", "azurite");
  mkdirSync(dataDir, { recursive: true });
  const azurite = await startAzurite({ persistDir: dataDir, port: tablePort });

  process.env.RESOLVE_MODE = "local";
  process.env.RESOLVE_TABLES_CONNECTION = azurite.connectionString;
  process.env.RESOLVE_PROCEDURE ??= "lambeth";
  await import("../functions/index");
  const { startLocalHost } = await import("../functions/host/localHost");
  const { getApp } = await import("../functions/compose");
  const { demoPeople, DEMO_TEAM } = await import("../functions/demo/demoAuthority");
  const app = await getApp();
  const host = await startLocalHost({ port: hostPort, runTimers: true });

  const api = `${host.url}/api`;
  const p = demoPeople;
  console.log(`
Resolve is running (local mode, procedure ${process.env.RESOLVE_PROCEDURE}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  API            ${api}            (x-resolve-dev-user: <upn> names the caller)
  Bot endpoint   ${api}/messages
  Local mailbox  ${api}/dev/mailbox/page
  Health         ${api}/health
  Storage        Azurite on 127.0.0.1:${tablePort}, data in .data/ (npm run reset clears it)

  Who is who in the demo authority (team ${DEMO_TEAM}):
    IRO                  ${p.alex.displayName.padEnd(16)} ${p.alex.upn}
    Team manager (1)     ${p.megan.displayName.padEnd(16)} ${p.megan.upn}
    Service manager (2)  ${p.adele.displayName.padEnd(16)} ${p.adele.upn}
    AD / Head of service ${p.isaiah.displayName.padEnd(16)} ${p.isaiah.upn}
    Director CSC (4)     ${p.patti.displayName.padEnd(16)} ${p.patti.upn}
    DCS (5)              ${p.lynne.displayName.padEnd(16)} ${p.lynne.upn}
    QA                   ${p.quinn.displayName.padEnd(16)} ${p.quinn.upn}

  Try:  curl -s -X POST ${api}/dev/clock -H 'content-type: application/json' -d '{"advanceWorkingDays":5}'
Press Ctrl-C to stop.`);
  void app;

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    await host.stop();
    await azurite.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: Error) => {
  console.error(`npm start: ${e.message}`);
  process.exit(1);
});
