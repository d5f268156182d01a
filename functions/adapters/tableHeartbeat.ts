import type { AuditorReport, Heartbeat } from "../usecases/auditor";
import { type Tables, statusOf } from "./tables";

/** The auditor's last run: one row in the indexes table, outside every authority's partition. */
export function createTableHeartbeat(tables: Tables): Heartbeat {
  const indexes = tables.client("indexes");
  const key = { partitionKey: "~auditor", rowKey: "last" };
  return {
    async record(report) {
      await indexes.upsertEntity({ ...key, json: JSON.stringify(report) }, "Replace");
    },
    async last() {
      try {
        const e = await indexes.getEntity<{ json: string }>(key.partitionKey, key.rowKey);
        return JSON.parse(e.json) as AuditorReport;
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    },
  };
}
