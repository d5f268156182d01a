/**
 * The artifact Azure runs: dist/package/ (what `azureFunctions/zipDeploy` uploads) and the same
 * files zipped as dist/resolve-functions.zip.
 *
 * - dist/functions/index.js: the Functions app bundled by esbuild with every dependency inside it,
 *   except `@azure/functions-core`, which the Functions worker provides;
 * - dist/addin/: the task pane and tab pages (their browser packages, teams-js, adaptivecards,
 *   msal-browser and chart.js, are bundled into the pages, never into the Functions bundle);
 * - host.json and a production package.json with no dependencies: nothing to `npm install`.
 *
 * Usage: npm run package
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Plugin, build } from "esbuild";
import { zipSync } from "fflate";
import { britishHolidaysOnly, buildAddin } from "./build-addin";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PACKAGE_DIR = join(root, "dist", "package");
export const PACKAGE_ZIP = join(root, "dist", "resolve-functions.zip");
/** The bundle's path inside the package: package.json's `main`, which the Functions host loads. */
export const PACKAGE_MAIN = "dist/functions/index.js";

/** Browser-only packages: a Functions bundle that contains one of them has pulled in page code. */
export const BROWSER_ONLY = ["@microsoft/teams-js", "adaptivecards", "@azure/msal-browser", "chart.js"];

export interface FunctionsPackage {
  dir: string;
  zip: string;
  zipBytes: number;
  bundleBytes: number;
}

export async function buildPackage(options: { dir?: string; zip?: string; quiet?: boolean } = {}): Promise<FunctionsPackage> {
  const dir = options.dir ?? PACKAGE_DIR;
  const zipPath = options.zip ?? PACKAGE_ZIP;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, "functions", "index.ts")],
    outdir: join(dir, dirname(PACKAGE_MAIN)),
    // Code loaded on demand (the telemetry distro) stays in its own chunk, off the cold start.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    keepNames: true,
    legalComments: "linked",
    external: ["@azure/functions-core"],
    // Bundled CommonJS packages call require() for Node's own modules.
    banner: { js: 'import { createRequire as __resolveCreateRequire } from "node:module"; const require = __resolveCreateRequire(import.meta.url);' },
    plugins: [britishHolidaysOnly(), pdfFontsInline()],
    logLevel: "warning",
    metafile: true,
  });
  const bundled = Object.keys(result.metafile.inputs);
  const leaked = BROWSER_ONLY.filter((p) => bundled.some((i) => i.includes(`node_modules/${p}/`)));
  if (leaked.length) throw new Error(`The Functions bundle contains browser-only packages: ${leaked.join(", ")}`);
  await buildAddin({ outdir: join(dir, "dist", "addin"), quiet: true });

  const project = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string; description: string; engines: Record<string, string> };
  const production = { name: project.name, version: project.version, description: project.description, private: true, type: "module", main: PACKAGE_MAIN, engines: project.engines, dependencies: {} };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(production, null, 2)}\n`);
  writeFileSync(join(dir, "host.json"), readFileSync(join(root, "host.json")));

  const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
  // Fixed times: the same sources make the same zip.
  const mtime = new Date("2026-01-01T00:00:00Z");
  for (const file of walk(dir)) {
    // Source maps and the page build's size record stay out of the artifact.
    if (/\.map$|[\\/]meta\.json$/.test(file)) rmSync(file);
    else files[relative(dir, file).split("\\").join("/")] = [readFileSync(file), { mtime }];
  }
  writeFileSync(zipPath, zipSync(files, { level: 9 }));
  const pkg = { dir, zip: zipPath, zipBytes: statSync(zipPath).size, bundleBytes: statSync(join(dir, PACKAGE_MAIN)).size };
  if (!options.quiet) console.log(`packaged ${relative(root, zipPath)} (${kib(pkg.zipBytes)}; bundle ${kib(pkg.bundleBytes)}) and ${relative(root, dir)}/ for zip deploy`);
  return pkg;
}

/** The PDF's fonts are read from pdfkit's folder at run time: the bundle carries the three it uses instead. */
export const PDF_FONTS = ["Helvetica", "Helvetica-Bold", "Helvetica-Oblique"];

function pdfFontsInline(): Plugin {
  return {
    name: "pdf-fonts-inline",
    setup(b) {
      b.onLoad({ filter: /[\\/]node_modules[\\/]pdfkit[\\/]js[\\/]pdfkit(\.es)?\.js$/ }, (args) => {
        const source = readFileSync(args.path, "utf8").replace(/fs\.readFileSync\(__dirname \+ '\/data\/([\w-]+)\.afm', 'utf8'\)/g, (_, font: string) =>
          PDF_FONTS.includes(font)
            ? JSON.stringify(readFileSync(join(dirname(args.path), "data", `${font}.afm`), "utf8"))
            : `(() => { throw new Error("The font ${font} is not in Resolve's bundle"); })()`,
        );
        return { contents: source, loader: "js" };
      });
    },
  };
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  buildPackage().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
