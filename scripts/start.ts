/**
 * npm start: the whole product on this machine, on its embedded defaults. Azurite (persisted in
 * .data/), the local Functions host with its timers, and a seeded demo authority. Ctrl-C stops
 * everything.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startAzurite } from "./azurite";
import { type RunningPlayground, startPlaygrounds } from "./playground";

const root = join(import.meta.dirname, "..");
const tablePort = Number(process.env.RESOLVE_TABLE_PORT ?? 10002);
const hostPort = Number(process.env.RESOLVE_PORT ?? 7071);
const playgroundPort = Number(process.env.RESOLVE_PLAYGROUND_PORT ?? 56150);

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
  let playgrounds: RunningPlayground[] = [];
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    for (const pg of playgrounds) pg.process.kill();
    await host.stop();
    await azurite.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  // One Teams client per persona, so each can be used side by side.
  const personas = [
    { key: "iro", role: "IRO (raises, decides)", person: p.alex },
    { key: "team-manager", role: "Team manager (stage 1)", person: p.megan },
    { key: "service-manager", role: "Service manager (stage 2)", person: p.adele },
    { key: "assistant-director", role: "Assistant director (3)", person: p.isaiah },
    { key: "director", role: "Director CSC (stage 4)", person: p.patti },
    { key: "dcs", role: "DCS (stage 5)", person: p.lynne },
  ];
  if (process.env.RESOLVE_PLAYGROUND !== "off") {
    try {
      playgrounds = await startPlaygrounds({ personas, endpoint: `${api}/messages`, basePort: playgroundPort, dataDir: join(root, ".data", "playground") });
    } catch (e) {
      console.error(`npm start: ${(e as Error).message}`);
      await stop();
    }
  }

  const rows = personas.map((x) => {
    const pg = playgrounds.find((g) => g.persona.key === x.key);
    return `    ${x.role.padEnd(27)} ${x.person.displayName.padEnd(16)} ${x.person.upn.padEnd(22)} ${pg ? pg.url : ""}`;
  });
  console.log(`
Resolve is running (local mode, procedure ${process.env.RESOLVE_PROCEDURE}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  Who is who in the demo authority (team ${DEMO_TEAM}), with each one's Teams client (Agents Playground):
${rows.join("\n")}
    QA                          ${p.quinn.displayName.padEnd(16)} ${p.quinn.upn}

  API            ${api}   (x-resolve-dev-user: <upn> names the caller)
  Local mailbox  ${api}/dev/mailbox/page   (every mail and calendar entry Graph would have sent)
  Dev clock      curl -s -X POST ${api}/dev/clock -H 'content-type: application/json' -d '{"advanceWorkingDays":5}'
  Run timers     curl -s -X POST ${api}/dev/sweep
  Storage        Azurite on 127.0.0.1:${tablePort}; data in .data/ (npm run reset clears it)

In the IRO's Playground, type "raise". Press Ctrl-C to stop.`);
  void app;
}

main().catch((e: Error) => {
  console.error(`npm start: ${e.message}`);
  process.exit(1);
});
