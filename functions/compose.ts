import { createWorkingCalendar } from "../shared/calendar/workingDays";
import { newDisputeId } from "./adapters/disputeIds";
import { loadProcedure } from "./adapters/procedureFiles";
import { createSettableClock } from "./adapters/settableClock";
import { DIRECTORY_TABLE, createTableDirectory } from "./adapters/tableDirectory";
import { TABLES, createTableDisputeStore } from "./adapters/tableDisputeStore";
import { type RequestCounter, type Tables, connectTables } from "./adapters/tables";
import { demoAuthority } from "./demo/demoAuthority";
import { type Caller, createAuthenticator } from "./http/auth";
import type { Settings } from "./settings";
import { readSettings } from "./settings";
import type { Services, TenantRuntime } from "./usecases/services";

export interface App {
  settings: Settings;
  services: Services;
  tables: Tables;
  /** Local mode's clock control. */
  setClock(to: Date): void;
  authenticate: ReturnType<typeof createAuthenticator>;
  directory: ReturnType<typeof createTableDirectory>;
}

/** The one composition root: every adapter is built here, once. */
export async function composeApp(settings: Settings, counter?: RequestCounter): Promise<App> {
  const tables = connectTables(settings.RESOLVE_TABLES_CONNECTION, counter);
  await tables.ensure([...TABLES, DIRECTORY_TABLE]);
  const directory = createTableDirectory(tables);
  const clock = createSettableClock();
  const runtimes = new Map<string, Promise<TenantRuntime | undefined>>();
  const services: Services = {
    store: createTableDisputeStore(tables),
    directory,
    clock,
    newDisputeId,
    runtime(tenantId) {
      let r = runtimes.get(tenantId);
      if (!r) {
        r = (async () => {
          const config = await directory.tenant(tenantId);
          if (!config) return undefined;
          const procedure = await loadProcedure(config.procedure);
          if (!procedure.ok) throw new Error(`Authority ${tenantId}: ${procedure.error}`);
          return { config, procedure: procedure.value, calendar: createWorkingCalendar(config.calendar) };
        })();
        r.catch(() => runtimes.delete(tenantId));
        runtimes.set(tenantId, r);
      }
      return r;
    },
  };
  if (settings.RESOLVE_MODE === "local") await directory.seed(demoAuthority(settings.RESOLVE_PROCEDURE, settings.RESOLVE_DEV_TENANT));
  return { settings, services, tables, directory, setClock: clock.set, authenticate: createAuthenticator(settings, services) };
}

let current: Promise<App> | undefined;

/** The app for this process, composed from the environment on first use. */
export function getApp(): Promise<App> {
  if (!current) {
    current = composeApp(readSettings());
    current.catch(() => (current = undefined));
  }
  return current;
}

export type { Caller };
