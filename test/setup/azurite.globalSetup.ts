/**
 * vitest globalSetup: one in-memory Azurite (Table service) for the whole run.
 * Tests read its connection string with `inject("tablesConnection")` or from
 * `process.env.RESOLVE_TABLES_CONNECTION` (set before the test workers start).
 */
import type { TestProject } from "vitest/node";
import { startAzurite } from "../../scripts/azurite";

declare module "vitest" {
  export interface ProvidedContext {
    tablesConnection: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite({});
  project.provide("tablesConnection", azurite.connectionString);
  process.env.RESOLVE_TABLES_CONNECTION = azurite.connectionString;
  return async () => {
    await azurite.stop();
  };
}
