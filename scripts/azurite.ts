/**
 * Starts a real Azurite Table service from node_modules for local runs and tests.
 *
 * - loopback only (127.0.0.1), telemetry off, API version check off, loose mode;
 * - in memory unless `persistDir` is given (then a LokiJS file in that folder);
 * - the child never outlives this process: it is killed on exit / SIGINT / SIGTERM, and a tiny
 *   preload in the child exits it when its IPC channel to us closes (which also covers SIGKILL).
 *
 * CLI: `tsx scripts/azurite.ts [--persist <dir>]` starts one on RESOLVE_TABLE_PORT (default
 * 10002) and prints the connection string.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export interface AzuriteOptions {
  /** Folder for the table database; in memory when absent. Created if missing. */
  persistDir?: string;
  /** Port for the table endpoint; a free one is chosen when absent. */
  port?: number;
  /** How long to wait for Azurite to answer (ms). Default 15 000. */
  startTimeoutMs?: number;
  /** Serve HTTPS with this certificate and accept bearer tokens (Azurite's basic OAuth), as an account reached by managed identity is. */
  oauth?: { certPath: string; keyPath: string };
}

export interface RunningAzurite {
  port: number;
  connectionString: string;
  /** The account's table endpoint, for a token credential (https when started with `oauth`). */
  tableEndpoint: string;
  /** The Azurite process, for a benchmark that counts what storage spent. */
  pid: number;
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const ACCOUNT = "devstoreaccount1";
/** Azurite's well-known development account key (public, documented by Microsoft). */
const ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export function azuriteConnectionString(port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};` +
    `TableEndpoint=http://${HOST}:${port}/${ACCOUNT};`
  );
}

/**
 * Runs inside the child before Azurite's own main. When the IPC channel to the parent closes
 * (the parent stopped us, exited or died, even by SIGKILL), it closes Azurite through Azurite's
 * own SIGINT handler (which saves a persisted database) and exits once Azurite says it has closed
 * (at the latest 10 s later). If Azurite is already closing (a Ctrl-C in the terminal reaches it
 * directly, and its SIGINT handler runs once), it waits for that close rather than cutting the save
 * short. Output errors are ignored so a dead parent's broken pipe cannot crash the child before
 * the database is saved.
 */
const CHILD_GUARD_SOURCE = `
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});
let state = "running";
const log = console.log;
console.log = (...args) => {
  try { log(...args); } catch {}
  const text = String(args[0]);
  if (text.includes("service is closing")) state = "closing";
  if (text.includes("successfully closed")) {
    state = "closed";
    if (!process.connected) process.exit(0);
  }
};
process.on("disconnect", () => {
  if (state === "closed") process.exit(0);
  setTimeout(() => process.exit(0), 10000).unref();
  if (state === "running") {
    if (process.listenerCount("SIGINT") === 0) process.exit(0);
    process.emit("SIGINT");
  }
});
`;
const CHILD_GUARD = `data:text/javascript,${encodeURIComponent(CHILD_GUARD_SOURCE)}`;

/**
 * Azurite 3.35 finds an entity by its partition first, then walks the whole partition for the row
 * key, so every point read and write in a tenant's one index partition costs what the partition
 * holds, which Table Storage never does. Azurite 3.37 looks up by row key first; it needs Node 22.
 * Until then the child asks its database the same way 3.37 does (RESOLVE_AZURITE_LOKIJS names the
 * database module Azurite loads).
 */
const ROW_KEY_FIRST_SOURCE = `
import { createRequire } from "node:module";
const path = process.env.RESOLVE_AZURITE_LOKIJS;
const { Collection } = createRequire(path)(path);
const findOne = Collection.prototype.findOne;
Collection.prototype.findOne = function (query) {
  if (query && Object.keys(query).length === 2 && "PartitionKey" in query && "RowKey" in query) query = { RowKey: query.RowKey, PartitionKey: query.PartitionKey };
  return findOne.call(this, query);
};
`;
const ROW_KEY_FIRST = `data:text/javascript,${encodeURIComponent(ROW_KEY_FIRST_SOURCE)}`;

function azuriteTableMain(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve("azurite/package.json");
  return join(dirname(pkgJson), "dist", "src", "table", "main.js");
}

/** Binds a throwaway server on port 0 and returns the port the OS gave it. */
export async function freePort(host = HOST): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error("Could not find a free port"))));
    });
  });
}

/** True when nothing listens on host:port (we could bind it ourselves). */
export async function portIsFree(port: number, host = HOST): Promise<boolean> {
  return new Promise((resolveFree, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE" || err.code === "EACCES") resolveFree(false);
      else reject(err);
    });
    server.listen(port, host, () => server.close(() => resolveFree(true)));
  });
}

function tcpAnswers(port: number, host = HOST): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = createConnection({ port, host });
    socket.setTimeout(500);
    socket.once("connect", () => {
      socket.destroy();
      resolveAnswer(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolveAnswer(false);
    });
    socket.once("error", () => resolveAnswer(false));
  });
}

// ---- children never outlive this process ----------------------------------------------------

interface Tracked {
  child: ChildProcess;
  persisted: boolean;
}
const live = new Set<Tracked>();
let hooksInstalled = false;

function killAllNow(): void {
  for (const t of live) {
    if (t.child.exitCode !== null || t.child.signalCode !== null) continue;
    // A persisted Azurite closes gracefully (saving its database) once the IPC channel closes, and
    // its guard ends it within 10 s: never cut its save short. An in-memory one has nothing to save.
    if (!t.persisted) t.child.kill("SIGKILL");
    else if (t.child.connected) t.child.disconnect();
  }
}

function onSignal(signal: NodeJS.Signals): void {
  killAllNow();
  // Keep the default behaviour (terminate) unless someone else handles the signal.
  if (process.listenerCount(signal) === 1) {
    removeHooks();
    process.kill(process.pid, signal);
  }
}
const onSigint = (): void => onSignal("SIGINT");
const onSigterm = (): void => onSignal("SIGTERM");

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", killAllNow);
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
}

function removeHooks(): void {
  if (!hooksInstalled) return;
  hooksInstalled = false;
  process.off("exit", killAllNow);
  process.off("SIGINT", onSigint);
  process.off("SIGTERM", onSigterm);
}

// ---- start ------------------------------------------------------------------------------------

class PortInUse extends Error {}

function portInUseError(port: number): PortInUse {
  return new PortInUse(`Port ${port} is in use: stop the other Azurite or set RESOLVE_TABLE_PORT`);
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  if (options.port !== undefined) {
    if (!(await portIsFree(options.port))) throw portInUseError(options.port);
    return launch(options.port, options);
  }
  // A port found free can be taken by someone else before Azurite binds it: try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(await freePort(), options);
    } catch (err) {
      if (!(err instanceof PortInUse) || attempt >= 3) throw err;
    }
  }
}

async function launch(port: number, options: AzuriteOptions): Promise<RunningAzurite> {
  const timeoutMs = options.startTimeoutMs ?? 15_000;

  const args = [
    "--import",
    CHILD_GUARD,
    "--import",
    ROW_KEY_FIRST,
    azuriteTableMain(),
    "--tableHost",
    HOST,
    "--tablePort",
    String(port),
    "--disableTelemetry",
    "--skipApiVersionCheck",
    "--loose",
    "--silent",
    ...(options.oauth ? ["--oauth", "basic", "--cert", options.oauth.certPath, "--key", options.oauth.keyPath] : []),
  ];
  let cwd = tmpdir();
  const persisted = options.persistDir !== undefined;
  if (options.persistDir !== undefined) {
    const dir = resolve(options.persistDir);
    mkdirSync(dir, { recursive: true });
    args.push("--location", dir);
    cwd = dir;
  } else {
    args.push("--inMemoryPersistence");
  }

  // AZURITE_ACCOUNTS would replace the well-known dev account our connection string uses.
  const env: NodeJS.ProcessEnv = { ...process.env, RESOLVE_AZURITE_LOKIJS: createRequire(azuriteTableMain()).resolve("lokijs") };
  delete env.AZURITE_ACCOUNTS;

  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  const tracked: Tracked = { child, persisted };
  live.add(tracked);
  installHooks();

  let stdout = "";
  let stderr = "";
  const keepTail = (s: string): string => (s.length > 8_000 ? s.slice(-8_000) : s);
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    stdout = keepTail(stdout + chunk);
  });
  child.stderr?.on("data", (chunk: string) => {
    stderr = keepTail(stderr + chunk);
  });

  const exited = new Promise<void>((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit();
    else child.once("exit", () => resolveExit());
  });
  // Don't let the IPC channel or pipes keep this process alive on their own.
  const unrefAll = (): void => {
    child.unref();
    (child as unknown as { channel?: { unref(): void } }).channel?.unref();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  };
  child.once("exit", () => {
    live.delete(tracked);
    if (live.size === 0) removeHooks();
  });

  let spawnError: Error | undefined;
  child.once("error", (err) => {
    spawnError = err;
  });

  const isAlive = (): boolean => child.exitCode === null && child.signalCode === null && !spawnError;

  const stop = async (): Promise<void> => {
    child.ref(); // keep this process alive until the child has gone
    if (!isAlive()) {
      await exited;
      return;
    }
    if (persisted) {
      // Graceful: the guard triggers Azurite's SIGINT close, which saves the LokiJS database. The
      // channel may be closed already (the signal hooks do that first): the close is under way then.
      const closed = new Promise<void>((resolveClosed) => {
        const check = (): void => {
          if (stdout.includes("Table service successfully closed")) resolveClosed();
        };
        child.stdout?.on("data", check);
        check();
      });
      if (child.connected) child.disconnect();
      await Promise.race([exited, closed, sleep(10_000, { unref: true })]);
    }
    if (isAlive()) child.kill("SIGKILL");
    await exited;
  };

  const startedAt = Date.now();
  try {
    for (;;) {
      if (spawnError) throw new Error(`Azurite could not be started: ${spawnError.message}`);
      if (!isAlive()) {
        await exited;
        if (/EADDRINUSE/.test(stderr)) throw portInUseError(port);
        throw new Error(
          `Azurite exited during start (code ${child.exitCode ?? child.signalCode}).\n` +
            `stderr: ${stderr.trim() || "(empty)"}\nstdout: ${stdout.trim() || "(empty)"}`,
        );
      }
      if (stdout.includes("Table service successfully started") || (await tcpAnswers(port))) {
        if (isAlive()) break;
        continue;
      }
      if (Date.now() - startedAt > timeoutMs) {
        await stop();
        throw new Error(
          `Azurite did not answer on ${HOST}:${port} within ${timeoutMs} ms.\n` +
            `stderr: ${stderr.trim() || "(empty)"}\nstdout: ${stdout.trim() || "(empty)"}`,
        );
      }
      await sleep(50);
    }
  } catch (err) {
    if (isAlive()) await stop();
    throw err;
  }

  unrefAll();
  return { port, connectionString: azuriteConnectionString(port), tableEndpoint: `${options.oauth ? "https" : "http"}://${HOST}:${port}/${ACCOUNT}`, pid: child.pid!, stop };
}

function sleep(ms: number, options: { unref?: boolean } = {}): Promise<void> {
  return new Promise((r) => {
    const timer = setTimeout(r, ms);
    if (options.unref) timer.unref();
  });
}

// ---- CLI --------------------------------------------------------------------------------------

async function cli(): Promise<void> {
  const argv = process.argv.slice(2);
  const persistAt = argv.indexOf("--persist");
  const persistDir = persistAt >= 0 ? argv[persistAt + 1] : undefined;
  if (persistAt >= 0 && !persistDir) throw new Error("--persist needs a folder");
  const port = Number(process.env.RESOLVE_TABLE_PORT ?? 10002);
  const azurite = await startAzurite(persistDir ? { port, persistDir } : { port });
  console.log(`Azurite Table on http://${HOST}:${azurite.port} (${persistDir ? `persisted in ${persistDir}` : "in memory"})`);
  console.log(`RESOLVE_TABLES_CONNECTION=${azurite.connectionString}`);
  // Keep running until interrupted; the exit hooks stop the child.
  setInterval(() => undefined, 1 << 30);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
