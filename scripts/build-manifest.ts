/**
 * Builds the Microsoft 365 app package: dist/manifest/resolve.zip with manifest.json and its two
 * icons (manifest/color.png and outline.png: a council's own, or the defaults `npm run icons` draws), the manifest filled from the environment (RESOLVE_TEAMS_APP_ID,
 * RESOLVE_APP_ID, RESOLVE_BOT_ID or MicrosoftAppId, RESOLVE_HOST_URL; placeholders for local), and
 * validated offline against the schema in @microsoft/app-manifest. Any schema error fails the build.
 *
 * Usage: npm run manifest
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { zipSync } from "fflate";
import { readIcons } from "../manifest/iconFiles";
import { pngInfo } from "../manifest/icons";
import { COLOR_ICON, OUTLINE_ICON, buildManifest, manifestSettings } from "../manifest/manifest";
import { validateManifest } from "../manifest/validate";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface AppPackage {
  zip: string;
  manifest: Record<string, unknown>;
  files: Record<string, Uint8Array>;
}

export class ManifestError extends Error {}

/** The files of the package, checked: the schema, and the icons' sizes as Teams requires them. */
export function packageFiles(manifest: Record<string, unknown>, icons = readIcons()): Record<string, Uint8Array> {
  const problems = validateManifest(manifest);
  const color = pngInfo(icons.color);
  const outline = pngInfo(icons.outline);
  if (color.width !== 192 || color.height !== 192) problems.push(`icons.color: ${COLOR_ICON} must be 192×192, not ${color.width}×${color.height}`);
  if (outline.width !== 32 || outline.height !== 32 || !outline.alpha) problems.push(`icons.outline: ${OUTLINE_ICON} must be a transparent 32×32 PNG`);
  if (problems.length) throw new ManifestError(`The app manifest is not valid:\n  ${problems.join("\n  ")}`);
  return { "manifest.json": Buffer.from(JSON.stringify(manifest, null, 2)), [COLOR_ICON]: icons.color, [OUTLINE_ICON]: icons.outline };
}

export function buildAppPackage(options: { env?: Record<string, string | undefined>; outdir?: string } = {}): AppPackage {
  const outdir = options.outdir ?? join(root, "dist", "manifest");
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  const manifest = buildManifest(manifestSettings(options.env ?? process.env, version));
  const files = packageFiles(manifest);
  mkdirSync(outdir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(outdir, name), bytes);
  const zip = join(outdir, "resolve.zip");
  // Fixed times: the same inputs make the same zip.
  const mtime = new Date("2026-01-01T00:00:00Z");
  writeFileSync(zip, zipSync(Object.fromEntries(Object.entries(files).map(([n, b]) => [n, [b, { mtime }]])), { level: 9 }));
  return { zip, manifest, files };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    const pkg = buildAppPackage();
    console.log(`built ${relative(root, pkg.zip)}: manifest ${String(pkg.manifest.manifestVersion)} valid against @microsoft/app-manifest's schema, with ${Object.keys(pkg.files).join(", ")}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
