import { createWorkingCalendar } from "../shared/calendar/workingDays";
import { newDisputeId, newFeedbackId } from "./adapters/disputeIds";
import { loadProcedure } from "./adapters/procedureFiles";
import { createSettableClock } from "./adapters/settableClock";
import { DIRECTORY_TABLE, createTableDirectory } from "./adapters/tableDirectory";
import { TABLES, createTableDisputeStore } from "./adapters/tableDisputeStore";
import { type RequestCounter, type Tables, connectTables } from "./adapters/tables";
import { demoAuthority } from "./demo/demoAuthority";
import { type Caller, createAuthenticator } from "./http/auth";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import { ResolveBot } from "../bot/resolveBot";
import { createRoutingSink, createTeamsSink } from "../bot/teamsSink";
import { CONVERSATIONS_TABLE, type ConversationStore, createConversationStore } from "./adapters/tableConversations";
import { createTableOutbox } from "./adapters/tableOutbox";
import { createTableFeedbackStore } from "./adapters/tableFeedbackStore";
import { MAILBOX_TABLE, createLocalMailboxSink } from "./adapters/localMailbox";
import { createGraphSink, graphClientFor, graphConfigured } from "./adapters/graphSink";
import type { EffectSink, OutboxStore } from "./ports";
import type { Dispute } from "../shared/dispute/disputeSchema";
import { noticeLabels } from "../shared/messages/notices";
import { type RelayReport, relay, relayDispute } from "./usecases/relay";
import { type AuditorReport, type Heartbeat, runAuditor } from "./usecases/auditor";
import { createTableHeartbeat } from "./adapters/tableHeartbeat";
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
  outbox: OutboxStore;
  sink: EffectSink;
  conversations: ConversationStore;
  bot: { adapter: CloudAdapter; handler: ResolveBot };
  /** Deliver every outbox's pending effects now. */
  relayAll(): Promise<RelayReport>;
  /** Deliver one dispute's new effects soon, without holding up the caller. */
  kick(tenantId: string, disputeId: string): void;
  /** Find and re-kick work left behind (run by the sweep timer); its last run is on GET /api/health. */
  audit(): Promise<AuditorReport>;
  heartbeat: Heartbeat;
}

/** How often the sweep timer runs (and with it the auditor): see functions/timers.ts. */
export const SWEEP_PERIOD_MS = 5 * 60_000;

/** The one composition root: every adapter is built here, once. */
export async function composeApp(settings: Settings, counter?: RequestCounter): Promise<App> {
  const tables = connectTables(settings.RESOLVE_TABLES_CONNECTION, counter);
  await tables.ensure([...TABLES, DIRECTORY_TABLE, CONVERSATIONS_TABLE, MAILBOX_TABLE]);
  const directory = createTableDirectory(tables);
  const clock = createSettableClock();
  const runtimes = new Map<string, Promise<TenantRuntime | undefined>>();
  const outbox = createTableOutbox(tables);
  const services: Services = {
    store: createTableDisputeStore(tables),
    feedback: createTableFeedbackStore(tables),
    outbox,
    directory,
    clock,
    newDisputeId,
    newFeedbackId,
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

  const conversations = createConversationStore(tables);
  const appId = settings.MicrosoftAppId ?? "";
  // With no app id (local mode) the adapter accepts the Agents Playground without tokens.
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: appId,
      MicrosoftAppPassword: settings.MicrosoftAppPassword ?? "",
      // SingleTenant needs an app id; with none (local mode) the type is left out.
      ...(appId ? { MicrosoftAppType: settings.MicrosoftAppType } : {}),
      MicrosoftAppTenantId: settings.MicrosoftAppTenantId ?? "",
    } as never),
  );
  adapter.onTurnError = async (context, error) => {
    console.error(`bot: turn failed (${context.activity.type}, ${context.activity.id ?? "no id"}): ${error.message}`);
  };
  // Graph when the app has credentials; otherwise everything lands in the local mailbox.
  const labels = async (d: Dispute) => {
    const runtime = await services.runtime(d.tenantId);
    return runtime ? noticeLabels(runtime.procedure, d) : undefined;
  };
  const calendarFor = async (d: Dispute) => (await services.runtime(d.tenantId))?.calendar;
  const mail = graphConfigured(settings)
    ? createGraphSink({ client: graphClientFor(settings), senderMailbox: settings.RESOLVE_MAIL_SENDER!, renderLabels: labels, calendarFor, now: () => clock.now() })
    : createLocalMailboxSink(tables, undefined, { clock, labels, calendarFor });
  const sink = createRoutingSink({ mail, teams: createTeamsSink({ adapter, appId, services, conversations }) });
  const relayDeps = { services, outbox, sink };
  const kicked = new Set<string>();
  const kick = (tenantId: string, disputeId: string) => {
    const key = `${tenantId}~${disputeId}`;
    if (kicked.has(key)) return;
    kicked.add(key);
    setTimeout(async () => {
      kicked.delete(key);
      try {
        const marker = await outbox.marker(tenantId, disputeId);
        if (marker) await relayDispute(relayDeps, marker, { delivered: 0, retrying: 0, failed: 0, dropped: 0 });
      } catch (e) {
        // The relay timer picks it up: the work marker stays until delivery is done.
        console.error(`relay: ${disputeId}: ${(e as Error).message}`);
      }
    }, 50);
  };
  const handler = new ResolveBot({ services, conversations, kick });
  const heartbeat = createTableHeartbeat(tables);
  return {
    settings,
    services,
    tables,
    directory,
    setClock: clock.set,
    authenticate: createAuthenticator(settings, services),
    outbox,
    sink,
    conversations,
    bot: { adapter, handler },
    relayAll: () => relay(relayDeps),
    kick,
    audit: () => runAuditor({ ...relayDeps, heartbeat, periodMs: SWEEP_PERIOD_MS }),
    heartbeat,
  };
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
