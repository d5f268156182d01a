import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The app's icons are PNG files beside the manifest, which a council may replace with its own
 * (same sizes): the package's colour and outline icons, and Outlook's ribbon button.
 */
const here = dirname(fileURLToPath(import.meta.url));

export const ICON_FILES = { color: join(here, "color.png"), outline: join(here, "outline.png") };
export const RIBBON_SIZES = [16, 32, 80] as const;
export const ribbonIconFile = (size: (typeof RIBBON_SIZES)[number]) => join(here, `ribbon-${size}.png`);

export function readIcons(): { color: Buffer; outline: Buffer } {
  return { color: readFileSync(ICON_FILES.color), outline: readFileSync(ICON_FILES.outline) };
}
