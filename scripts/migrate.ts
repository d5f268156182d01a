/**
 * npm run migrate [-- --limit N]: rewrite every authority's indexes in the current layout
 * (functions/adapters/indexKeys.ts), against RESOLVE_TABLES_CONNECTION. Idempotent: a second run
 * changes nothing. Resumable: each authority records how far it got, so a run that stops, or is
 * told to stop after N disputes an authority, carries on where it left off when run again.
 */
import { parseArgs } from "node:util";
import { migrateIndexes } from "../functions/adapters/migrateIndexes";
import { DIRECTORY_TABLE, createTableDirectory } from "../functions/adapters/tableDirectory";
import { TABLES, createTableDisputeStore } from "../functions/adapters/tableDisputeStore";
import { connectTables } from "../functions/adapters/tables";
import { readSettings } from "../functions/settings";

const { values } = parseArgs({ options: { limit: { type: "string" } }, strict: true });
const limit = values.limit === undefined ? Infinity : Number(values.limit);
if (!Number.isInteger(limit) && limit !== Infinity) throw new Error(`--limit: a whole number of disputes, not "${values.limit}"`);

const tables = connectTables(readSettings().RESOLVE_TABLES_CONNECTION);
await tables.ensure([...TABLES, DIRECTORY_TABLE]);
const store = createTableDisputeStore(tables);
let unfinished = 0;
for (const tenant of await createTableDirectory(tables).tenants()) {
  const r = await migrateIndexes(tables, store, tenant.id, limit);
  if (!r.done) unfinished++;
  console.log(
    r.already
      ? `${tenant.displayName}: already migrated.`
      : `${tenant.displayName}: ${r.disputes} disputes rewritten${r.done ? `, ${r.oldRows} rows of the old layout removed; done.` : "; more to do: run again."}`,
  );
}
if (unfinished) process.exitCode = 2;
