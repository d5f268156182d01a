import { type TableEntity, type TransactionAction, odata } from "@azure/data-tables";
import { type Cover, CoverSchema } from "../../shared/directory/cover";
import { type DirectoryChange, DirectoryChangeSchema } from "../../shared/directory/directoryChange";
import type { DirectoryAdmin, DirectoryPerson, DirectoryWrite, RoleHolding } from "../ports";
import { CONFIG_ROW, DIRECTORY_TABLE, personRows, toPerson } from "./tableDirectory";
import { type Tables, statusOf } from "./tables";

/**
 * The administrators' side of the directory table. Each change and its audit record (`change|…`,
 * newest first by an inverted time) go in one entity-group transaction in the authority's
 * partition: a change is never stored without its who, when, before and after.
 */
export function createTableDirectoryAdmin(tables: Tables): DirectoryAdmin {
  const table = tables.client(DIRECTORY_TABLE);
  const range = async <T extends Record<string, unknown>>(tenantId: string, prefix: string, limit = 5000): Promise<T[]> => {
    const out: T[] = [];
    for await (const e of table.listEntities<T>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}` } })) {
      out.push(e as T);
      if (out.length >= limit) break;
    }
    return out;
  };
  const get = async (pk: string, rk: string) => {
    try {
      return await table.getEntity<Record<string, unknown>>(pk, rk);
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  };

  function rowsFor(tenantId: string, w: DirectoryWrite): TransactionAction[] {
    const upsert = (e: TableEntity): TransactionAction => ["upsert", e, "Replace"];
    switch (w.kind) {
      case "person":
        return personRows(tenantId, w.person).map(upsert);
      case "team":
        return [upsert({ partitionKey: tenantId, rowKey: `team|${w.team.id}`, displayName: w.team.displayName, serviceArea: w.team.serviceArea })];
      case "role":
        return [upsert({ partitionKey: tenantId, rowKey: `role|${w.scope}|${w.role}`, personId: w.personId })];
      case "config": {
        const { calendar, procedure, procedureVersion } = w.config;
        const rows = [upsert({ partitionKey: tenantId, rowKey: CONFIG_ROW, calendar: JSON.stringify(calendar), procedure, ...(procedureVersion !== undefined ? { procedureVersion } : {}) })];
        // A version is written once and never replaced: "create" fails the whole change if it exists.
        if (w.uploaded) rows.push(["create", { partitionKey: tenantId, rowKey: versionKey(w.uploaded.version), json: w.uploaded.json }]);
        return rows;
      }
      case "cover":
        return w.cover
          ? [upsert({ partitionKey: tenantId, rowKey: `cover|${w.personId}`, cover: JSON.stringify(w.cover) })]
          : [["delete", { partitionKey: tenantId, rowKey: `cover|${w.personId}` }]];
    }
  }

  return {
    async apply(tenantId, write, change) {
      const audit: TableEntity = { partitionKey: tenantId, rowKey: changeKey(change), change: JSON.stringify(change) };
      await table.submitTransaction([...rowsFor(tenantId, write), ["create", audit]]);
    },
    async people(tenantId) {
      return (await range(tenantId, "person|")).map((e) => toPerson(e) as DirectoryPerson);
    },
    async roles(tenantId): Promise<RoleHolding[]> {
      return (await range<{ rowKey: string; personId: string }>(tenantId, "role|")).map((e) => {
        const [, scope, role] = String(e.rowKey).split("|");
        return { scope: scope!, role: role!, personId: String(e.personId) };
      });
    },
    async covers(tenantId): Promise<Cover[]> {
      return (await range(tenantId, "cover|")).map((e) => CoverSchema.parse(JSON.parse(String(e.cover))));
    },
    async cover(tenantId, personId) {
      const e = await get(tenantId, `cover|${personId}`);
      return e ? CoverSchema.parse(JSON.parse(String(e.cover))) : undefined;
    },
    async uploadedProcedure(tenantId, version) {
      const e = await get(tenantId, versionKey(version));
      return e ? String(e.json) : undefined;
    },
    async changes(tenantId, limit): Promise<DirectoryChange[]> {
      return (await range(tenantId, "change|", limit)).map((e) => DirectoryChangeSchema.parse(JSON.parse(String(e.change))));
    },
  };
}

const versionKey = (version: number) => `procedure|v${String(version).padStart(6, "0")}`;

/**
 * Newest first: row keys sort ascending, so the time is inverted. The host's own clock orders the
 * rows, not the change's `at` (local mode's clock can be set back).
 */
const changeKey = (c: DirectoryChange) => `change|${String(8_640_000_000_000_000 - Date.now()).padStart(16, "0")}|${c.id}`;
