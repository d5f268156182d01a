/**
 * npm start: the whole product on this machine, on its embedded defaults. Azurite (persisted in
 * .data/, or RESOLVE_DATA_DIR), the local Functions host with its timers, a seeded demo authority
 * and one Agents Playground per persona. Ctrl-C stops everything.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { portIsFree, startAzurite } from "./azurite";
import { type RunningPlayground, startPlaygrounds, stopPlaygrounds } from "./playground";
import { DEMO_TEAM, demoPeople } from "../functions/demo/demoAuthority";

const root = join(import.meta.dirname, "..");
const dataRoot = resolve(process.env.RESOLVE_DATA_DIR || join(root, ".data"));
const withPlaygrounds = process.env.RESOLVE_PLAYGROUND !== "off";

function portSetting(name: string, fallback: number, span = 1): number {
  const raw = process.env[name];
  const port = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port + span - 1 > 65535) throw new Error(`${name}=${raw} is not a port number (1 to ${65536 - span}).`);
  return port;
}

const p = demoPeople;
// One Teams client per persona, so each can be used side by side.
const personas = [
  { key: "iro", role: "IRO (raises, decides)", person: p.alex },
  { key: "team-manager", role: "Team manager (stage 1)", person: p.megan },
  { key: "service-manager", role: "Service manager (stage 2)", person: p.adele },
  { key: "assistant-director", role: "Assistant director (3)", person: p.isaiah },
  { key: "director", role: "Director CSC (stage 4)", person: p.patti },
  { key: "dcs", role: "DCS (stage 5)", person: p.lynne },
];

/** The Outlook task pane and Teams tab, built fresh so the pages always match the code. */
function buildAddin() {
  const built = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts", "build-addin.ts")], { cwd: root, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`building the add-in pages failed (npm run build:addin):\n${(built.stderr || built.stdout).slice(-1500)}`);
}

/** Every port this run needs, checked before anything starts, so a clash names the culprit and its setting. */
async function checkPorts(ports: { tablePort: number; hostPort: number; playgroundPort: number }) {
  const wanted = [
    { port: ports.tablePort, host: "127.0.0.1", what: "Azurite (table storage)", setting: "RESOLVE_TABLE_PORT" },
    { port: ports.hostPort, host: "127.0.0.1", what: "the Functions host (API and bot)", setting: "RESOLVE_PORT" },
    // The Playground listens on every interface.
    ...(withPlaygrounds
      ? personas.map((x, i) => ({ port: ports.playgroundPort + i, host: "0.0.0.0", what: `the Agents Playground for ${x.person.displayName}`, setting: "RESOLVE_PLAYGROUND_PORT (the first of six)" }))
      : []),
  ];
  for (const w of wanted) {
    if (!(await portIsFree(w.port, w.host))) {
      throw new Error(`port ${w.port} is in use, and ${w.what} needs it. Stop what holds it (often an earlier npm start still running) or choose other ports with ${w.setting}.`);
    }
  }
}

async function main() {
  const tablePort = portSetting("RESOLVE_TABLE_PORT", 10002);
  const hostPort = portSetting("RESOLVE_PORT", 7071);
  const playgroundPort = portSetting("RESOLVE_PLAYGROUND_PORT", 56150, personas.length);
  await checkPorts({ tablePort, hostPort, playgroundPort });
  buildAddin();

  const dataDir = join(dataRoot, "azurite");
  mkdirSync(dataDir, { recursive: true });
  const azurite = await startAzurite({ persistDir: dataDir, port: tablePort });

  process.env.RESOLVE_MODE = "local";
  process.env.RESOLVE_TABLES_CONNECTION = azurite.connectionString;
  process.env.RESOLVE_PROCEDURE ??= "lambeth";
  // A Playground is the Teams of its one persona: it cannot start a chat with anyone else.
  if (withPlaygrounds) process.env.RESOLVE_TEAMS_NEW_CHATS ??= "off";
  await import("../functions/index");
  const { startLocalHost } = await import("../functions/host/localHost");
  const { getApp } = await import("../functions/compose");
  await getApp();
  const host = await startLocalHost({ port: hostPort, runTimers: true });
  const api = `${host.url}/api`;
  let playgrounds: RunningPlayground[] = [];
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) {
      // A second Ctrl-C: stop waiting (the children go with us: Azurite and the Playgrounds watch their channel to this process).
      process.exit(code || 130);
    }
    stopping = true;
    console.log("\nStopping…");
    await Promise.all([stopPlaygrounds(playgrounds.map((pg) => pg.process)), host.stop()]);
    await azurite.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());

  if (withPlaygrounds) {
    try {
      playgrounds = await startPlaygrounds({ personas, endpoint: `${api}/messages`, basePort: playgroundPort, dataDir: join(dataRoot, "playground") });
    } catch (e) {
      console.error(`npm start: ${(e as Error).message}`);
      await stop(1);
    }
  }

  const rows = personas.map((x) => {
    const pg = playgrounds.find((g) => g.persona.key === x.key);
    return `    ${x.role.padEnd(27)} ${x.person.displayName.padEnd(16)} ${x.person.upn.padEnd(22)} ${pg ? pg.url : ""}`;
  });
  console.log(`
Resolve is running (local mode, procedure ${process.env.RESOLVE_PROCEDURE}, ready in ${process.uptime().toFixed(1)} s)

  Who is who in the demo authority (team ${DEMO_TEAM}), with each one's Teams client (Agents Playground):
${rows.join("\n")}
    QA                          ${p.quinn.displayName.padEnd(16)} ${p.quinn.upn}
    QA lead, administrator      ${p.rowan.displayName.padEnd(16)} ${p.rowan.upn}

  API            ${api}   (x-resolve-dev-user: <upn> names the caller)
  Outlook pane   ${api}/addin/taskpane.html   (runs inside Outlook: sideload the app package from npm run manifest)
  Teams tab      ${api}/addin/tab.html   (My disputes, the dashboard, the monthly report, good practice, administration; pick a persona)
  Local mailbox  ${api}/dev/mailbox/page   (every mail and calendar entry Graph would have sent)
  Dev clock      curl -s -X POST ${api}/dev/clock -H 'content-type: application/json' -d '{"advanceWorkingDays":5}'
  Run timers     curl -s -X POST ${api}/dev/sweep
  Storage        Azurite on 127.0.0.1:${tablePort}; data in ${dataRoot} (npm run reset clears it)

A persona's Playground opened later catches up: it shows the cards of every dispute waiting on
that person (their alerts went to the local mailbox meanwhile). A page keeps no other history, so
keep the pages open once opened. In the IRO's Playground, type "raise". Press Ctrl-C to stop.`);
}

main().catch((e: NodeJS.ErrnoException) => {
  if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "MODULE_NOT_FOUND") {
    console.error(`npm start: a dependency is missing (${e.message.split("\n")[0]}): run npm install first.`);
  } else {
    console.error(`npm start: ${e.message}`);
  }
  process.exit(1);
});
