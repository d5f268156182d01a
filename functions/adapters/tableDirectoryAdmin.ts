import { type TableEntity, type TransactionAction, odata } from "@azure/data-tables";
import type { Cover } from "../../shared/directory/cover";
import { type DirectoryChange, DirectoryChangeSchema } from "../../shared/directory/directoryChange";
import type { CommitOutcome, DirectoryAdmin, DirectoryPerson, DirectoryTarget, DirectoryWrite, RoleHolding } from "../ports";
import { CONFIG_ROW, DIRECTORY_TABLE, coverOfRow, personRows, toPerson } from "./tableDirectory";
import { type Tables, statusOf } from "./tables";

/**
 * The administrators' side of the directory table. Each change and its audit record (`change|…`,
 * newest first by an inverted time) go in one entity-group transaction in the authority's
 * partition: a change is never stored without its who, when, before and after. The row a change
 * replaces is conditioned on the ETag read before the change was worked out, so two administrators
 * changing the same thing at once never record a "before" that was not.
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

  /** The row that stands for a target: a person by their UPN row, the rest by their own. */
  const keyOf = (t: DirectoryTarget): string => {
    switch (t.kind) {
      case "person":
        return `upn|${t.upn.toLowerCase()}`;
      case "team":
        return `team|${t.id}`;
      case "role":
        return `role|${t.scope}|${t.role}`;
      case "config":
        return CONFIG_ROW;
      case "cover":
        return `cover|${t.personId}`;
    }
  };
  const targetOf = (w: DirectoryWrite): DirectoryTarget => {
    switch (w.kind) {
      case "person":
        return { kind: "person", upn: w.person.upn };
      case "team":
        return { kind: "team", id: w.team.id };
      case "role":
        return { kind: "role", scope: w.scope, role: w.role };
      case "config":
        return { kind: "config" };
      case "cover":
        return { kind: "cover", personId: w.personId };
    }
  };

  function rowsFor(tenantId: string, w: DirectoryWrite): TableEntity[] {
    switch (w.kind) {
      case "person":
        return personRows(tenantId, w.person);
      case "team":
        return [{ partitionKey: tenantId, rowKey: `team|${w.team.id}`, displayName: w.team.displayName, serviceArea: w.team.serviceArea }];
      case "role":
        return [{ partitionKey: tenantId, rowKey: `role|${w.scope}|${w.role}`, personId: w.personId }];
      case "config": {
        const { calendar, procedure, procedureVersion } = w.config;
        return [{ partitionKey: tenantId, rowKey: CONFIG_ROW, calendar: JSON.stringify(calendar), procedure, ...(procedureVersion !== undefined ? { procedureVersion } : {}) }];
      }
      case "cover":
        // Ended cover keeps its row, empty, so ending it is as conditional as setting it. The
        // `coveredBy|{cover}|{holder}` row finds it from the cover's side; the holder's row decides
        // whether it still stands, so a row left by a cover since changed or ended says nothing.
        return [
          { partitionKey: tenantId, rowKey: `cover|${w.personId}`, cover: w.cover ? JSON.stringify(w.cover) : "" },
          ...(w.cover ? [{ partitionKey: tenantId, rowKey: `coveredBy|${w.cover.cover.id}|${w.personId}` }] : []),
        ];
    }
  }

  /** The target row conditioned on its stamp; the rest of the change rides along in the same batch. */
  function actionsFor(tenantId: string, w: DirectoryWrite, stamp: string | null): TransactionAction[] {
    const key = keyOf(targetOf(w));
    const rows = rowsFor(tenantId, w);
    const actions: TransactionAction[] = rows.map((r) => {
      if (r.rowKey !== key) return ["upsert", r, "Replace"];
      return stamp === null ? ["create", r] : ["update", r, "Replace", { etag: stamp }];
    });
    // A version is written once and never replaced: "create" fails the whole change if it exists.
    if (w.kind === "config" && w.uploaded) actions.push(["create", { partitionKey: tenantId, rowKey: versionKey(w.uploaded.version), json: w.uploaded.json }]);
    return actions;
  }

  return {
    async stamp(tenantId, target) {
      return (await get(tenantId, keyOf(target)))?.etag ?? null;
    },
    async apply(tenantId, write, change, stamp): Promise<CommitOutcome> {
      const audit: TableEntity = { partitionKey: tenantId, rowKey: changeKey(change), change: JSON.stringify(change) };
      try {
        await table.submitTransaction([...actionsFor(tenantId, write, stamp), ["create", audit]]);
        return { ok: true, etag: "" };
      } catch (e) {
        const status = statusOf(e);
        if (status === 412 || status === 409) return { ok: false, reason: "conflict" };
        throw e;
      }
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
      return (await range(tenantId, "cover|")).flatMap((e) => coverOfRow(e) ?? []);
    },
    async cover(tenantId, personId) {
      return coverOfRow(await get(tenantId, `cover|${personId}`));
    },
    async coveredBy(tenantId, coverId) {
      const holders = (await range(tenantId, `coveredBy|${coverId}|`)).map((e) => String(e.rowKey).split("|")[2]!);
      const covers = await Promise.all(holders.map((holderId) => this.cover(tenantId, holderId)));
      return covers.filter((c): c is Cover => c?.cover.id === coverId);
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
