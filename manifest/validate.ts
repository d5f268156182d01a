import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { MANIFEST_VERSION } from "./manifest";

/**
 * Checks a manifest offline against the JSON schema Microsoft ships in the npm package
 * @microsoft/app-manifest, for the manifest version we write. The schema is draft-04, hence
 * ajv's draft-04 build; formats (uri, email…) come from ajv-formats. Each problem names its field.
 */

const require = createRequire(import.meta.url);

export function schemaPath(version = MANIFEST_VERSION): string {
  const pkg = dirname(require.resolve("@microsoft/app-manifest/package.json"));
  return join(pkg, "build", "json-schemas", "teams", `v${version}`, "MicrosoftTeams.schema.json");
}

/** A JSON pointer (/bots/0/botId) as a person edits JSON: bots[0].botId. */
function fieldOf(pointer: string, extra?: string): string {
  const parts = pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra) parts.push(extra);
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join("") || "(top level)";
}

let validator: ReturnType<Ajv["compile"]> | undefined;

/** Every schema error in the manifest, each as "field: problem"; none means valid. */
export function validateManifest(manifest: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(schemaPath(), "utf8")));
  }
  if (validator(manifest)) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of validator.errors ?? []) {
    const p = e.params as Record<string, string>;
    const field = fieldOf(e.instancePath, p.missingProperty ?? p.additionalProperty);
    const message =
      e.keyword === "required" ? "is required"
      : e.keyword === "additionalProperties" ? "is not allowed here"
      : e.keyword === "const" ? `must be ${JSON.stringify(p.allowedValue)}`
      : e.keyword === "enum" ? `must be one of ${(p.allowedValues as unknown as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`
      : (e.message ?? e.keyword);
    const line = `${field}: ${message}`;
    if (!seen.has(line)) out.push(line);
    seen.add(line);
  }
  return out;
}
