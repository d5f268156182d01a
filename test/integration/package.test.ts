/**
 * The artifact Azure runs, as Azure gets it: `npm run package`'s zip unpacked in an empty folder
 * with no node_modules anywhere above it, started under the local host by plain `node`. It must
 * import, answer /api/health and readiness on the run's Azurite, serve the pages, and print the
 * record's PDF with no browser package inside it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BROWSER_ONLY, PACKAGE_MAIN, buildPackage } from "../../scripts/package";

let work: string;
let unpacked: string;
let files: string[];
let child: ChildProcess | undefined;
let url: string;
const tenant = `pkg-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "resolve-package-"));
  const built = await buildPackage({ dir: join(work, "build"), zip: join(work, "resolve-functions.zip"), quiet: true });
  unpacked = join(work, "unpacked");
  mkdirSync(unpacked);
  const entries = unzipSync(readFileSync(built.zip));
  files = Object.keys(entries);
  for (const [name, bytes] of Object.entries(entries)) {
    mkdirSync(dirname(join(unpacked, name)), { recursive: true });
    writeFileSync(join(unpacked, name), bytes);
  }
  const starter = `const { startLocalHost } = await import("./${PACKAGE_MAIN}"); const host = await startLocalHost({ port: 0 }); console.log("LISTENING " + host.url);`;
  child = spawn(process.execPath, ["--input-type=module", "-e", starter], {
    cwd: unpacked,
    env: { PATH: process.env.PATH, RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: tenant, RESOLVE_PROCEDURE: "lambeth" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The packaged app did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /LISTENING (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child!.stdout!.on("data", read);
    child!.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    child!.once("exit", (code) => reject(new Error(`The packaged app exited (${code}):\n${output}`)));
  });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packaged Functions app", () => {
  it("holds the bundle, the pages, host.json and a package.json with no dependencies; no node_modules, no source maps", () => {
    expect(files).toEqual(expect.arrayContaining(["host.json", "package.json", PACKAGE_MAIN, "dist/addin/taskpane.html", "dist/addin/tab.html"]));
    expect(files.filter((f) => f.startsWith("node_modules/") || f.endsWith(".map"))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(unpacked, "package.json"), "utf8"));
    expect(pkg).toMatchObject({ main: PACKAGE_MAIN, type: "module", dependencies: {} });
    expect(pkg.devDependencies).toBeUndefined();
    let dir = unpacked;
    for (;;) {
      expect(existsSync(join(dir, "node_modules")), `${dir}/node_modules`).toBe(false);
      if (dirname(dir) === dir) break;
      dir = dirname(dir);
    }
  });

  it("carries no browser package and no Chromium driver in the Functions bundle", () => {
    const code = readdirSync(join(unpacked, "dist", "functions"), { recursive: true })
      .filter((f) => String(f).endsWith(".js"))
      .map((f) => readFileSync(join(unpacked, "dist", "functions", String(f)), "utf8"))
      .join("\n");
    expect(code).not.toMatch(/playwright/);
    for (const pkg of BROWSER_ONLY) expect(code, pkg).not.toContain(`node_modules/${pkg}/`);
  });

  it("answers /api/health and /api/health/ready, and serves the task pane", async () => {
    const live = await fetch(`${url}/api/health`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok", mode: "local" });
    const ready = await fetch(`${url}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ok", checks: { storage: { status: "ok" } } });
    const page = await fetch(`${url}/api/addin/taskpane.html`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
  });

  it("raises a dispute and prints its record as a PDF, with no browser", async () => {
    const headers = { "x-resolve-dev-user": "alexw@example.com", "content-type": "application/json" };
    const body = {
      child: { reference: "PKG-100200", initials: "P.K.", legalStatus: "looked-after", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no allocated social worker",
      concerns: "No social worker since the review.",
      outcomesSought: "A social worker allocated this week.",
      startStage: 1,
    };
    const raised = await fetch(`${url}/api/disputes`, { method: "POST", headers, body: JSON.stringify(body) });
    const dispute = await raised.json();
    expect(raised.status, JSON.stringify(dispute)).toBe(201);
    const pdf = await fetch(`${url}/api/disputes/${dispute.id}/record?format=pdf`, { headers });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });
});
