/**
 * npm run bench:package: the artifact Azure runs, measured as Azure meets it.
 * - the zip's size and the Functions bundle's (the entry the host imports first);
 * - cold import: a fresh `node` importing the unpacked bundle, median of 7 (target ≤ 400 ms);
 * - first request: the first /api/health/ready of a fresh process (composes the app on Azurite),
 *   then the first record PDF (loads pdfkit).
 * Prints the machine's load average beside the figures: on a shared machine it moves them.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { unzipSync } from "fflate";
import { startAzurite } from "./azurite";
import { PACKAGE_MAIN, buildPackage } from "./package";

const COLD_IMPORT_TARGET_MS = 400;
const RUNS = 7;

function runNode(cwd: string, code: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`node exited ${code}: ${err.split("\n").filter((l) => !l.startsWith("WARNING")).join("\n")}`))));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const work = mkdtempSync(join(tmpdir(), "resolve-bench-package-"));
  const azurite = await startAzurite({});
  try {
    const pkg = await buildPackage({ dir: join(work, "build"), zip: join(work, "resolve-functions.zip"), quiet: true });
    const dir = join(work, "unpacked");
    for (const [name, bytes] of Object.entries(unzipSync(readFileSync(pkg.zip)))) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    const env = { RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: azurite.connectionString, RESOLVE_DEV_TENANT: "bench" };

    const imports: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = await runNode(dir, `const t = performance.now(); await import("./${PACKAGE_MAIN}"); console.log(performance.now() - t);`, env);
      imports.push(Number(out.trim().split("\n").pop()));
    }

    const first = await runNode(
      dir,
      `const { startLocalHost } = await import("./${PACKAGE_MAIN}");
const host = await startLocalHost({ port: 0 });
const headers = { "x-resolve-dev-user": "alexw@example.com", "content-type": "application/json" };
let t = performance.now();
const ready = await fetch(host.url + "/api/health/ready");
const readyMs = performance.now() - t;
const raised = await (await fetch(host.url + "/api/disputes", { method: "POST", headers, body: JSON.stringify({ child: { reference: "BEN-1", initials: "B.N.", legalStatus: "looked-after", team: "demo-team" }, category: "statutory-responsibilities", reason: "no allocated social worker", concerns: "c", outcomesSought: "o", startStage: 1 }) })).json();
t = performance.now();
const pdf = await fetch(host.url + "/api/disputes/" + raised.id + "/record?format=pdf", { headers });
await pdf.arrayBuffer();
const pdfMs = performance.now() - t;
console.log(JSON.stringify({ ready: ready.status, readyMs, pdf: pdf.status, pdfMs }));
await host.stop();
process.exit(0);`,
      env,
    );
    const r = JSON.parse(first.trim().split("\n").pop()!) as { ready: number; readyMs: number; pdf: number; pdfMs: number };
    const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
    const cold = median(imports);
    console.log(`zip: ${kib(pkg.zipBytes)}; Functions entry bundle: ${kib(pkg.bundleBytes)}`);
    console.log(`cold import (median of ${RUNS}): ${cold.toFixed(0)} ms (target ≤ ${COLD_IMPORT_TARGET_MS} ms: ${cold <= COLD_IMPORT_TARGET_MS ? "met" : "NOT met"}); runs ${imports.map((x) => x.toFixed(0)).join(", ")} ms`);
    console.log(`first request, /api/health/ready (composes the app): ${r.readyMs.toFixed(0)} ms (${r.ready}); first record PDF: ${r.pdfMs.toFixed(0)} ms (${r.pdf})`);
    console.log(`load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${(await import("node:os")).cpus().length} cores`);
  } finally {
    await azurite.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
