import { type TableEntity, type TransactionAction, odata } from "@azure/data-tables";
import { CalendarConfigSchema } from "../../shared/calendar/workingDays";
import type { Roster } from "../../shared/dispute/people";
import { type Cover, CoverSchema } from "../../shared/directory/cover";
import type { Directory, DirectoryPerson, TeamInfo, TenantConfig } from "../ports";
import { type Tables, statusOf } from "./tables";

/**
 * The directory on Table Storage. Partition `tenants` maps authorities and their Entra tenants;
 * each authority's partition holds `person|id`, `upn|upn`, `team|id` and `role|team|role` rows,
 * where team `*` holds the authority-wide roles (DCS, QA, LSCP…). What administrators change
 * (tableDirectoryAdmin.ts) lives in the authority's partition too: its `config` row (calendar and
 * procedure, over the seed's), `cover|id`, `procedure|vN` and `change|…` rows.
 */
export const DIRECTORY_TABLE = "directory";
const WIDE = "*";
export const CONFIG_ROW = "config";

export const toPerson = (e: Record<string, unknown>): DirectoryPerson => ({
  id: String(e.rowKey).slice("person|".length),
  upn: String(e.upn),
  displayName: String(e.displayName),
  capabilities: JSON.parse(String(e.capabilities ?? "[]")),
  serviceAreas: JSON.parse(String(e.serviceAreas ?? "[]")),
  teams: JSON.parse(String(e.teams ?? "[]")),
});

export const personRows = (tenantId: string, p: DirectoryPerson): TableEntity[] => [
  { partitionKey: tenantId, rowKey: `person|${p.id}`, upn: p.upn, displayName: p.displayName, capabilities: JSON.stringify(p.capabilities), serviceAreas: JSON.stringify(p.serviceAreas), teams: JSON.stringify(p.teams) },
  { partitionKey: tenantId, rowKey: `upn|${p.upn.toLowerCase()}`, personId: p.id },
];

export interface DirectorySeed {
  tenant: TenantConfig;
  people: DirectoryPerson[];
  teams: TeamInfo[];
  /** team id (or "*") → role → person id */
  roles: Record<string, Record<string, string>>;
  /** Other UPNs that find a person: UPN → person id. */
  aliases?: Record<string, string>;
}

/** A `cover|{person}` row as the cover it holds; ended cover keeps its row, empty. */
export const coverOfRow = (e: Record<string, unknown> | undefined): Cover | undefined => (e?.cover ? CoverSchema.parse(JSON.parse(String(e.cover))) : undefined);

export function createTableDirectory(tables: Tables): Directory & { seed(seed: DirectorySeed): Promise<void> } {
  const table = tables.client(DIRECTORY_TABLE);
  const get = async <T extends object>(pk: string, rk: string) => {
    try {
      return await table.getEntity<T>(pk, rk);
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  };
  // An administrator's calendar and procedure (the `config` row) stand over the seed's.
  const toTenant = (e: Record<string, unknown>, config?: Record<string, unknown>): TenantConfig => ({
    id: String(e.rowKey),
    displayName: String(e.displayName),
    entraTenantId: String(e.entraTenantId),
    procedure: String((config ?? e).procedure),
    ...(config?.procedureVersion !== undefined ? { procedureVersion: Number(config.procedureVersion) } : {}),
    calendar: CalendarConfigSchema.parse(JSON.parse(String((config ?? e).calendar ?? "{}"))),
  });

  const directory = {
    async tenants() {
      const out: TenantConfig[] = [];
      for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${"tenants"}` } })) {
        if (!String(e.rowKey).startsWith("entra|")) out.push(toTenant(e, await get<Record<string, unknown>>(String(e.rowKey), CONFIG_ROW)));
      }
      return out;
    },
    async tenant(tenantId: string) {
      const [e, config] = await Promise.all([get<Record<string, unknown>>("tenants", tenantId), get<Record<string, unknown>>(tenantId, CONFIG_ROW)]);
      return e ? toTenant(e, config) : undefined;
    },
    async tenantForEntra(entraTenantId: string) {
      const e = await get<{ tenantId: string }>("tenants", `entra|${entraTenantId}`);
      return e ? directory.tenant(e.tenantId) : undefined;
    },
    async cover(tenantId: string, personId: string) {
      return coverOfRow(await get<Record<string, unknown>>(tenantId, `cover|${personId}`));
    },
    async personById(tenantId: string, id: string) {
      const e = await get<Record<string, unknown>>(tenantId, `person|${id}`);
      return e ? toPerson(e) : undefined;
    },
    async personByUpn(tenantId: string, upn: string) {
      const e = await get<{ personId: string }>(tenantId, `upn|${upn.toLowerCase()}`);
      return e ? directory.personById(tenantId, e.personId) : undefined;
    },
    async team(tenantId: string, team: string): Promise<TeamInfo | undefined> {
      const e = await get<{ displayName: string; serviceArea: string }>(tenantId, `team|${team}`);
      return e ? { id: team, displayName: e.displayName, serviceArea: e.serviceArea } : undefined;
    },
    async people(tenantId: string): Promise<DirectoryPerson[]> {
      const out: DirectoryPerson[] = [];
      for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId} and RowKey ge ${"person|"} and RowKey lt ${"person|~"}` } })) {
        out.push(toPerson(e));
      }
      return out;
    },
    async teams(tenantId: string): Promise<TeamInfo[]> {
      const out: TeamInfo[] = [];
      for await (const e of table.listEntities<{ displayName: string; serviceArea: string }>({
        queryOptions: { filter: odata`PartitionKey eq ${tenantId} and RowKey ge ${"team|"} and RowKey lt ${"team|~"}` },
      })) {
        out.push({ id: String(e.rowKey).slice("team|".length), displayName: e.displayName, serviceArea: e.serviceArea });
      }
      return out;
    },
    async roster(tenantId: string, team: string): Promise<Roster> {
      // People and roles sort together ("person|" < "role|"): one range query reads both.
      const people = new Map<string, DirectoryPerson>();
      const holders: Record<string, string> = {};
      const teamHolders: Record<string, string> = {};
      for await (const e of table.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${tenantId} and RowKey ge ${"person|"} and RowKey lt ${"role|~"}` },
      })) {
        const key = String(e.rowKey);
        if (key.startsWith("person|")) {
          const p = toPerson(e);
          people.set(p.id, p);
        } else if (key.startsWith("role|")) {
          const [, scope, role] = key.split("|");
          if (scope === WIDE) holders[role!] = String(e.personId);
          else if (scope === team) teamHolders[role!] = String(e.personId);
        }
      }
      const roster: Roster = {};
      for (const [role, id] of Object.entries({ ...holders, ...teamHolders })) {
        const p = people.get(id);
        if (p) roster[role] = { id: p.id, upn: p.upn, displayName: p.displayName };
      }
      return roster;
    },

    /** Write an authority's people, teams and roles; repeating it changes nothing. */
    async seed(seed: DirectorySeed) {
      const t = seed.tenant;
      await table.upsertEntity({ partitionKey: "tenants", rowKey: t.id, displayName: t.displayName, entraTenantId: t.entraTenantId, procedure: t.procedure, calendar: JSON.stringify(t.calendar) }, "Replace");
      await table.upsertEntity({ partitionKey: "tenants", rowKey: `entra|${t.entraTenantId}`, tenantId: t.id }, "Replace");
      const rows: TableEntity[] = [];
      for (const p of seed.people) rows.push(...personRows(t.id, p));
      for (const [upn, personId] of Object.entries(seed.aliases ?? {})) rows.push({ partitionKey: t.id, rowKey: `upn|${upn.toLowerCase()}`, personId });
      for (const team of seed.teams) rows.push({ partitionKey: t.id, rowKey: `team|${team.id}`, displayName: team.displayName, serviceArea: team.serviceArea });
      for (const [scope, roles] of Object.entries(seed.roles)) {
        for (const [role, personId] of Object.entries(roles)) rows.push({ partitionKey: t.id, rowKey: `role|${scope}|${role}`, personId });
      }
      for (let i = 0; i < rows.length; i += 100) {
        await table.submitTransaction(rows.slice(i, i + 100).map((r): TransactionAction => ["upsert", r, "Replace"]));
      }
    },
  };
  return directory;
}
