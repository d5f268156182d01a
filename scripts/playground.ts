/**
 * The Microsoft 365 Agents Playground as the local Teams client: one per persona, each on its own
 * port with its own config (its current user is that persona, the other demo people its users),
 * all talking to the local /api/messages.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { DirectoryPerson } from "../functions/ports";

export const PLAYGROUND_TENANT = "00000000-0000-0000-0000-0000000000001";
const BOT_ID = "00000000-0000-0000-0000-00000000000011";

export interface Persona {
  key: string;
  role: string;
  person: DirectoryPerson;
}

const account = (p: DirectoryPerson, index: number) => {
  const [given, ...rest] = p.displayName.split(" ");
  return [
    `  id: user-id-${index}`,
    `  name: ${p.displayName}`,
    `  userPrincipleName: ${p.upn}`,
    `  aadObjectId: ${p.id}`,
    `  givenName: ${given}`,
    `  surname: ${rest.join(" ") || given}`,
    `  email: ${p.upn}`,
  ];
};

/** The Playground's config with `me` as the current user and everyone else as its users (it wants at least five). */
export function playgroundConfig(me: Persona, everyone: Persona[]): string {
  const others = everyone.filter((p) => p.key !== me.key);
  const lines = [
    'version: "0.1.1"',
    `tenantId: ${PLAYGROUND_TENANT}`,
    "bot:",
    `  id: ${BOT_ID}`,
    "  name: Resolve",
    "currentUser:",
    ...account(me.person, 0),
    "users:",
    ...others.flatMap((p, i) => account(p.person, i + 1).map((l, j) => (j === 0 ? `  - ${l.trim()}` : `  ${l}`))),
    "personalChat:",
    `  id: personal-chat-${me.key}`,
    "groupChat:",
    "  id: group-chat-resolve",
    "  name: Case discussion",
    "team:",
    "  id: team-resolve",
    "  name: Children in Care",
    "  aadGroupId: 00000000-0000-0000-0000-000000000031",
    "  channels:",
    "    - id: channel-general",
    "      name: General",
  ];
  return `${lines.join("\n")}\n`;
}

export interface RunningPlayground {
  persona: Persona;
  url: string;
  process: ChildProcess;
}

/**
 * Runs in each Playground before its own code: when the channel to npm start closes (it stopped,
 * crashed or was killed, even by SIGKILL), the Playground exits too instead of holding its port.
 */
const CHILD_GUARD = `data:text/javascript,${encodeURIComponent('process.on("disconnect", () => process.exit(0));')}`;

/** Stop Playgrounds: SIGTERM, then SIGKILL any still running after 3 s; resolves once all have exited. */
export async function stopPlaygrounds(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** Start one Playground per persona (`everyone` are the users each knows; default the personas); resolves once each listens. If one cannot start, none is left running. */
export async function startPlaygrounds(options: { personas: Persona[]; endpoint: string; basePort: number; dataDir: string; everyone?: Persona[] }): Promise<RunningPlayground[]> {
  const bin = join(createRequire(import.meta.url).resolve("@microsoft/m365agentsplayground/package.json"), "..", "cli.js");
  mkdirSync(options.dataDir, { recursive: true });
  const children: ChildProcess[] = [];
  const started = await Promise.allSettled(
    options.personas.map((persona, i) => {
      const port = options.basePort + i;
      const config = join(options.dataDir, `${persona.key}.yml`);
      // A test may start one persona's Playground alone: the others are still its users.
      writeFileSync(config, playgroundConfig(persona, options.everyone ?? options.personas));
      const child = spawn(process.execPath, ["--import", CHILD_GUARD, bin, "-e", options.endpoint, "-c", "msteams", "--dt", "-p", String(port)], {
        cwd: options.dataDir,
        env: { ...process.env, M365_AGENTS_PLAYGROUND_CONFIG_PATH: config, M365_AGENTS_PLAYGROUND_LOGFILE: join(options.dataDir, `${persona.key}.log`), BROWSER: "none" },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
      children.push(child);
      return new Promise<RunningPlayground>((resolve, reject) => {
        let output = "";
        const fail = (message: string) => {
          clearTimeout(timer);
          child.kill();
          reject(new Error(message));
        };
        const timer = setTimeout(() => fail(`The Playground for ${persona.person.displayName} did not start on port ${port} within 60 s: ${output.slice(-500)}`), 60_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const m = /Listening on (\d+)/.exec(output);
          if (m) {
            clearTimeout(timer);
            if (Number(m[1]) !== port) fail(`Port ${port} is in use, and the Playground for ${persona.person.displayName} needs it: stop what holds it or set RESOLVE_PLAYGROUND_PORT`);
            else resolve({ persona, url: `http://127.0.0.1:${port}`, process: child });
          }
          if (/error Failed to start/.test(output)) fail(`The Playground for ${persona.person.displayName} failed: ${output.slice(-500)}`);
        };
        child.stdout!.on("data", onData);
        child.stderr!.on("data", onData);
        child.on("error", (e) => fail(`The Playground for ${persona.person.displayName} could not be started: ${e.message}`));
        child.on("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`The Playground for ${persona.person.displayName} exited (${code}): ${output.slice(-500)}`));
        });
      });
    }),
  );
  const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await stopPlaygrounds(children);
    throw failed.reason;
  }
  return started.map((r) => (r as PromiseFulfilledResult<RunningPlayground>).value);
}
