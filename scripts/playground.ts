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

/** Start one Playground per persona; resolves once each listens. */
export async function startPlaygrounds(options: { personas: Persona[]; endpoint: string; basePort: number; dataDir: string }): Promise<RunningPlayground[]> {
  const bin = join(createRequire(import.meta.url).resolve("@microsoft/m365agentsplayground/package.json"), "..", "cli.js");
  mkdirSync(options.dataDir, { recursive: true });
  return Promise.all(
    options.personas.map((persona, i) => {
      const port = options.basePort + i;
      const config = join(options.dataDir, `${persona.key}.yml`);
      writeFileSync(config, playgroundConfig(persona, options.personas));
      const child = spawn(process.execPath, [bin, "-e", options.endpoint, "-c", "msteams", "--dt", "-p", String(port)], {
        cwd: options.dataDir,
        env: { ...process.env, M365_AGENTS_PLAYGROUND_CONFIG_PATH: config, M365_AGENTS_PLAYGROUND_LOGFILE: join(options.dataDir, `${persona.key}.log`), BROWSER: "none" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      return new Promise<RunningPlayground>((resolve, reject) => {
        let output = "";
        const timer = setTimeout(() => reject(new Error(`The Playground for ${persona.person.displayName} did not start on port ${port}: ${output.slice(-500)}`)), 30_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const m = /Listening on (\d+)/.exec(output);
          if (m) {
            clearTimeout(timer);
            if (Number(m[1]) !== port) {
              child.kill();
              reject(new Error(`Port ${port} is in use: stop the other Playground or set RESOLVE_PLAYGROUND_PORT`));
            } else resolve({ persona, url: `http://127.0.0.1:${port}`, process: child });
          }
          if (/error Failed to start/.test(output)) {
            clearTimeout(timer);
            reject(new Error(`The Playground for ${persona.person.displayName} failed: ${output.slice(-500)}`));
          }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`The Playground for ${persona.person.displayName} exited (${code}): ${output.slice(-500)}`));
        });
      });
    }),
  );
}
