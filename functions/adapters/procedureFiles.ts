import { readFile } from "node:fs/promises";
import { type Procedure, parseProcedure } from "../../shared/procedure/procedureSchema";
import { builtInProcedures } from "../../shared/procedures";
import { type Result, err } from "../../shared/result";

/**
 * A procedure by its id (one of the five shipped) or by the path of a council's own JSON file.
 * A council adds its procedure by pointing at its file; no code changes.
 */
export async function loadProcedure(idOrPath: string): Promise<Result<Procedure>> {
  const builtIn = builtInProcedures[idOrPath];
  if (builtIn) return { ok: true, value: builtIn };
  if (!idOrPath.endsWith(".json")) {
    return err(`No procedure "${idOrPath}": use one of ${Object.keys(builtInProcedures).join(", ")}, or the path of a .json file.`);
  }
  let text: string;
  try {
    text = await readFile(idOrPath, "utf8");
  } catch (e) {
    return err(`Cannot read procedure file ${idOrPath}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return err(`${idOrPath} is not valid JSON: ${(e as Error).message}`);
  }
  return parseProcedure(json, idOrPath);
}
