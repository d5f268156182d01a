/**
 * Bundles the Functions app (functions/index.ts, the one composition root) into
 * dist/functions/index.js, the `main` that the Azure Functions host and `func start` load.
 * node_modules stay external: they are deployed alongside, as the Functions host expects.
 *
 * Usage: npm run build
 */
import { rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist", "functions");

export async function buildFunctions(options: { entry?: string; outfile?: string } = {}): Promise<string> {
  const entry = options.entry ?? join(root, "functions", "index.ts");
  const outfile = options.outfile ?? join(outdir, "index.js");
  if (!options.outfile) rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
    metafile: true,
  });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`built ${relative(root, outfile)} (${Math.round(bytes / 1024)} KiB incl. source map)`);
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  buildFunctions().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
