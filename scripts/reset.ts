/** npm run reset: forget the local data (Azurite's tables and the Playgrounds' files under .data/, or RESOLVE_DATA_DIR). */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";

const dataRoot = resolve(process.env.RESOLVE_DATA_DIR || join(import.meta.dirname, "..", ".data"));
rmSync(dataRoot, { recursive: true, force: true });
console.log(`Local data cleared (${dataRoot}): the next npm start begins with only the demo authority.`);
