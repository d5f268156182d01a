/**
 * Builds the browser side (addin/): the Outlook task pane and the Teams / Outlook / Microsoft 365
 * personal tab, bundled by esbuild (minified, with source maps) into dist/addin/ beside their
 * pages and style sheet. The Functions app serves that folder at /api/addin/ (functions/http/addin.ts).
 *
 * MSAL is loaded on demand (a separate chunk), so local mode, which names its caller with the dev
 * header, never downloads it. date-holidays is cut down to Great Britain's data for the browser:
 * the working-day calendar needs only England and Wales.
 *
 * Usage: npm run build:addin
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type Plugin, build } from "esbuild";
import { RIBBON_SIZES, ribbonIconFile } from "../manifest/iconFiles";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ADDIN_OUT = join(root, "dist", "addin");
const PAGES = ["taskpane.html", "tab.html", "index.html", "styles.css"];

/**
 * `date-holidays` ships every country's rules (about 800 KB) and its parser pulls in astronomy,
 * other calendars and every time zone. The working-day calendar needs England and Wales alone, so
 * the browser gets the same parser over Great Britain's data, the London and UTC zones only, and
 * stand-ins for the astronomical and non-Gregorian calendars GB's rules never use (they throw if
 * ever called). `checkBrowserHolidays` proves the result equals the server's, year by year.
 */
export function britishHolidaysOnly(): Plugin {
  const unused = (what: string) =>
    `const off = (k) => () => { throw new Error("${what}." + String(k) + " is not in Resolve's browser build: only Great Britain's holidays are"); };
const stub = new Proxy({}, { get: (_, k) => off(k) });`;
  const virtual: Record<string, () => Promise<string> | string> = {
    "date-holidays": async () => {
      const { data } = (await import("date-holidays/data" as string)) as { data: { version: string; license: string; holidays: Record<string, unknown>; names: Record<string, { name?: Record<string, string> }> } };
      const gb = data.holidays.GB;
      if (!gb) throw new Error("date-holidays has no GB data");
      // Only the names GB's rules refer to, in English.
      const used = new Set(["substitutes", ...[...JSON.stringify(gb).matchAll(/"_name":"([^"]+)"/g)].map((m) => m[1]!)]);
      const names = Object.fromEntries(Object.entries(data.names).filter(([k]) => used.has(k)).map(([k, v]) => [k, { name: { en: v.name?.en ?? k } }]));
      const subset = { version: data.version, license: data.license, holidays: { GB: gb }, names };
      return `import HolidaysParser from "date-holidays-parser";
const data = ${JSON.stringify(subset)};
export default class Holidays extends HolidaysParser {
  constructor(country, state, region, opts) { super(data, country, state, region, opts); }
}`;
    },
    "moment-timezone": () => {
      const packed = JSON.parse(readFileSync(join(root, "node_modules", "moment-timezone", "data", "packed", "latest.json"), "utf8")) as { version: string; zones: string[]; links: string[] };
      const keep = (name: string) => name === "Europe/London" || name === "Etc/UTC";
      const zones = packed.zones.filter((z) => keep(z.split("|")[0]!));
      const links = packed.links.filter((l) => keep(l.split("|")[0]!));
      return `import moment from "moment-timezone/moment-timezone.js";
moment.tz.load(${JSON.stringify({ version: packed.version, zones, links })});
export default moment;`;
    },
    astronomia: () => `${unused("astronomia")}
export const solstice = stub, julian = stub, base = stub, moonphase = stub, sexagesimal = stub;
export const planetposition = { Planet: class Planet {} };
export default stub;`,
    "astronomia/data/vsop87Bearth": () => "export default {};",
    "date-chinese": () => `${unused("date-chinese")}
class Unavailable { constructor() { off("calendar")(); } }
export const CalendarChinese = Unavailable, CalendarKorean = Unavailable, CalendarVietnamese = Unavailable;`,
    "date-bengali-revised": () => `${unused("date-bengali-revised")}
export default class Unavailable { constructor() { off("calendar")(); } }`,
    "jalaali-js": () => `${unused("jalaali-js")}
export default stub;`,
  };
  const filter = new RegExp(`^(${Object.keys(virtual).map((k) => k.replace(/[/.-]/g, "\\$&")).join("|")})$`);
  return {
    name: "gb-holidays-only",
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: "gb-holidays" }));
      // zod carries messages in 48 languages (a quarter of a megabyte); the pages speak English.
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), "..", "locales", "en.js"), namespace: "zod-en" } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: "zod-en" }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: root, loader: "js" }));
      b.onLoad({ filter: /.*/, namespace: "gb-holidays" }, async (args) => ({ contents: await virtual[args.path]!(), resolveDir: root, loader: "js" }));
    },
  };
}

/** The browser's bank holidays (built as above) must be the server's: checked for 2020–2040. */
export async function checkBrowserHolidays(): Promise<void> {
  const out = await build({
    stdin: { contents: 'export { englandAndWalesBankHolidays } from "./shared/calendar/bankHolidays";', resolveDir: root, loader: "ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    plugins: [britishHolidaysOnly()],
    logLevel: "error",
  });
  const code = out.outputFiles[0]!.text;
  const browser = (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as { englandAndWalesBankHolidays(y: number): string[] };
  const server = await import("../shared/calendar/bankHolidays");
  for (let year = 2020; year <= 2040; year++) {
    const a = browser.englandAndWalesBankHolidays(year).join(",");
    const b = server.englandAndWalesBankHolidays(year).join(",");
    if (a !== b) throw new Error(`The browser build's bank holidays for ${year} differ from the server's: ${a} ≠ ${b}`);
  }
}

export interface AddinBuild {
  outdir: string;
  /** Bytes of each entry's JavaScript, with the chunks it imports statically: raw and gzip. */
  entries: Record<string, { bytes: number; gzip: number }>;
}

export async function buildAddin(options: { outdir?: string; quiet?: boolean } = {}): Promise<AddinBuild> {
  const outdir = options.outdir ?? ADDIN_OUT;
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { taskpane: join(root, "addin", "taskpane.ts"), tab: join(root, "addin", "tab.ts"), mailbox: join(root, "addin", "mailbox.ts") },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: ["chrome109", "edge109", "firefox115", "safari16"],
    minify: true,
    sourcemap: true,
    chunkNames: "chunks/[name]-[hash]",
    legalComments: "linked",
    define: { "process.env.NODE_ENV": '"production"', global: "globalThis" },
    plugins: [britishHolidaysOnly()],
    logLevel: "warning",
    metafile: true,
  });
  for (const page of PAGES) copyFileSync(join(root, "addin", page), join(outdir, page));
  // Outlook's ribbon button (the manifest points at these): 16, 32 and 80 px.
  mkdirSync(join(outdir, "icons"), { recursive: true });
  for (const size of RIBBON_SIZES) copyFileSync(ribbonIconFile(size), join(outdir, "icons", `icon-${size}.png`));
  writeFileSync(join(outdir, "meta.json"), JSON.stringify(result.metafile));

  // What a page downloads before it runs: its entry and every chunk it imports statically.
  const outputs = result.metafile.outputs;
  const entries: AddinBuild["entries"] = {};
  for (const [file, out] of Object.entries(outputs)) {
    if (!out.entryPoint || !/^(taskpane|tab)\.js$/.test(file.split("/").pop()!)) continue;
    const seen = new Set<string>();
    const visit = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const imp of outputs[f]?.imports ?? []) if (imp.kind === "import-statement") visit(imp.path);
    };
    visit(file);
    const code = [...seen].map((f) => readFileSync(resolve(process.cwd(), f)));
    const name = file.split("/").pop()!.replace(/\.js$/, "");
    entries[name] = { bytes: code.reduce((n, c) => n + c.length, 0), gzip: code.reduce((n, c) => n + gzipSync(c, { level: 9 }).length, 0) };
  }
  if (!options.quiet) {
    for (const [name, e] of Object.entries(entries)) {
      console.log(`built ${relative(root, join(outdir, `${name}.js`))}: ${Math.round(e.bytes / 1024)} KiB, ${Math.round(e.gzip / 1024)} KiB gzip (with its static chunks)`);
    }
  }
  await checkBrowserHolidays();
  return { outdir, entries };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  buildAddin().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
