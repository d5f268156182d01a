/** npm run reset: forget the local data (Azurite's tables under .data/). */
import { rmSync } from "node:fs";
import { join } from "node:path";

rmSync(join(import.meta.dirname, "..", ".data"), { recursive: true, force: true });
console.log("Local data cleared: the next npm start begins with only the demo authority.");
