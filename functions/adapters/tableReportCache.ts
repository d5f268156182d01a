import type { MonthlyReport } from "../../shared/reports/monthlyReport";
import type { ReportCache } from "../ports";
import { fingerprint } from "./indexKeys";
import { type Tables, fromJsonColumns, jsonColumns, statusOf } from "./tables";

/** Past months' reports, one row each in the tenant's index partition, with what they were computed from. */
export function createTableReportCache(tables: Tables): ReportCache {
  const indexes = tables.client("indexes");
  const key = (month: string) => `report|${month}`;
  return {
    async get(tenantId, month, basis) {
      try {
        const e = await indexes.getEntity<Record<string, unknown>>(tenantId, key(month));
        return e.basis === fingerprint(basis) ? fromJsonColumns<MonthlyReport>(e) : undefined;
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    },
    async put(tenantId, month, basis, report) {
      await indexes.upsertEntity({ partitionKey: tenantId, rowKey: key(month), basis: fingerprint(basis), ...jsonColumns(report) }, "Replace");
    },
  };
}
