import { type Procedure, parseProcedure } from "../procedure/procedureSchema";
import blackburnWithDarwen from "./blackburn-with-darwen.json" with { type: "json" };
import cumberland from "./cumberland.json" with { type: "json" };
import iroGuidanceThreeStage from "./iro-guidance-three-stage.json" with { type: "json" };
import lambeth from "./lambeth.json" with { type: "json" };
import redbridge from "./redbridge.json" with { type: "json" };

/**
 * Checks procedure files that ship with the product, keyed by file name. They are part of the
 * product, so a broken one is a bug: this throws, naming the file and every bad field.
 */
export function loadBuiltInProcedures(files: Record<string, unknown>): Record<string, Procedure> {
  const procedures: Record<string, Procedure> = {};
  for (const [name, json] of Object.entries(files)) {
    const parsed = parseProcedure(json, `${name}.json`);
    if (!parsed.ok) throw new Error(parsed.error);
    const procedure = parsed.value;
    if (procedure.id !== name) {
      throw new Error(`${name}.json is not a valid procedure: id: must be "${name}", the file's name, not "${procedure.id}"`);
    }
    procedures[procedure.id] = procedure;
  }
  return procedures;
}

/** The five procedures in the seeds, parsed once at import. */
export const builtInProcedures: Record<string, Procedure> = Object.freeze(
  loadBuiltInProcedures({
    lambeth,
    redbridge,
    "iro-guidance-three-stage": iroGuidanceThreeStage,
    "blackburn-with-darwen": blackburnWithDarwen,
    cumberland,
  }),
);

export const builtInProcedureIds: readonly string[] = Object.freeze(Object.keys(builtInProcedures));
