/**
 * Draws Resolve's default icons (manifest/icons.ts) into the PNG files the app package and the
 * Outlook ribbon use: manifest/color.png (192×192), manifest/outline.png (32×32, transparent) and
 * manifest/ribbon-16.png, ribbon-32.png, ribbon-80.png. A council replaces those files with its own
 * (same sizes); `npm run manifest` checks them. This script only restores the defaults.
 *
 * Usage: npm run icons
 */
import { writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { colorIcon, outlineIcon } from "../manifest/icons";
import { ICON_FILES, RIBBON_SIZES, ribbonIconFile } from "../manifest/iconFiles";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export function drawDefaultIcons(): string[] {
  const written: [string, Buffer][] = [
    [ICON_FILES.color, colorIcon(192)],
    [ICON_FILES.outline, outlineIcon(32)],
    ...RIBBON_SIZES.map((size) => [ribbonIconFile(size), colorIcon(size)] as [string, Buffer]),
  ];
  for (const [path, png] of written) writeFileSync(path, png);
  return written.map(([path]) => path);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  console.log(`drew ${drawDefaultIcons().map((p) => relative(root, p)).join(", ")}`);
}
