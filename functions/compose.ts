import { createWorkingCalendar } from "../shared/calendar/workingDays";
import { newDisputeId, newFeedbackId } from "./adapters/disputeIds";
import { loadProcedure } from "./adapters/procedureFiles";
import { createTableDirectoryAdmin } from "./adapters/tableDirectoryAdmin";
import { createGraphAbsence, createGraphEntraDirectory } from "./adapters/graphDirectory";
import { createLocalEntraDirectory } from "./demo/demoTenantPeople";
import { createCoverRouting } from "./usecases/cover";
import { parseProcedure } from "../shared/procedure/procedureSchema";
import type { TenantConfig } from "./ports";
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
import type { EffectSink, OutboxStore, EntraDirectory } from "./ports";
import type { Dispute } from "../shared/dispute/disputeSchema";
import { noticeLabels } from "../shared/messages/notices";
import { type RelayReport, relay, relayDispute } from "./usecases/relay";
import type { Settings } from "./settings";
import { outlookOriginator, readSettings } from "./settings";
import { mailWithCard } from "../bot/outlookChannel";
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
  /** Entra's people and groups (Graph), or the demo tenant's in local mode. */
  entra: EntraDirectory;
  /** Deliver every outbox's pending effects now. */
  relayAll(): Promise<RelayReport>;
  /** Deliver one dispute's new effects soon, without holding up the caller. */
  kick(tenantId: string, disputeId: string): void;
}

/** The one composition root: every adapter is built here, once. */
export async function composeApp(settings: Settings, counter?: RequestCounter): Promise<App> {
  const tables = connectTables(settings.RESOLVE_TABLES_CONNECTION, counter);
  await tables.ensure([...TABLES, DIRECTORY_TABLE, CONVERSATIONS_TABLE, MAILBOX_TABLE]);
  const directory = createTableDirectory(tables);
  const clock = createSettableClock();
  const administration = createTableDirectoryAdmin(tables);
  // An authority's calendar and procedure, read again after a change here or at most RUNTIME_TTL_MS
  // after one made by another instance of the app.
  const runtimes = new Map<string, { loadedAt: number; runtime: Promise<TenantRuntime | undefined> }>();
  const procedureOf = async (config: TenantConfig) => {
    if (config.procedure !== "uploaded" || config.procedureVersion === undefined) return loadProcedure(config.procedure);
    const json = await administration.uploadedProcedure(config.id, config.procedureVersion);
    return json ? parseProcedure(JSON.parse(json), `version ${config.procedureVersion}`) : { ok: false as const, error: `version ${config.procedureVersion} of the procedure is missing` };
  };
  const outbox = createTableOutbox(tables);
  const services: Services = {
    store: createTableDisputeStore(tables),
    feedback: createTableFeedbackStore(tables),
    outbox,
    directory,
    administration,
    clock,
    newDisputeId,
    newFeedbackId,
    runtime(tenantId) {
      const cached = runtimes.get(tenantId);
      if (cached && Date.now() - cached.loadedAt < RUNTIME_TTL_MS) return cached.runtime;
      const r = (async () => {
        const config = await directory.tenant(tenantId);
        if (!config) return undefined;
        const procedure = await procedureOf(config);
        if (!procedure.ok) throw new Error(`Authority ${tenantId}: ${procedure.error}`);
        return { config, procedure: procedure.value, calendar: createWorkingCalendar(config.calendar) };
      })();
      r.catch(() => runtimes.delete(tenantId));
      runtimes.set(tenantId, { loadedAt: Date.now(), runtime: r });
      return r;
    },
    forgetRuntime: (tenantId) => void runtimes.delete(tenantId),
  };
  // The demo authority is seeded once; after that it is administered like any other (npm run reset starts over).
  if (settings.RESOLVE_MODE === "local" && !(await directory.tenant(settings.RESOLVE_DEV_TENANT))) {
    await directory.seed(demoAuthority(settings.RESOLVE_PROCEDURE, settings.RESOLVE_DEV_TENANT));
  }

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
  // Mail that asks someone to act carries their live card, once a provider is registered for it.
  const originator = outlookOriginator(settings);
  const mailHtml = originator ? mailWithCard(services, originator) : undefined;
  const graph = graphConfigured(settings) ? graphClientFor(settings) : undefined;
  const mail = graph
    ? createGraphSink({ client: graph, senderMailbox: settings.RESOLVE_MAIL_SENDER!, renderLabels: labels, calendarFor, now: () => clock.now(), ...(mailHtml ? { mailHtml } : {}) })
    : createLocalMailboxSink(tables, undefined, { clock, labels, calendarFor, ...(mailHtml ? { mailHtml } : {}) });
  const sink = createRoutingSink({ mail, teams: createTeamsSink({ adapter, appId, services, conversations }) });
  // Cover set by an administrator first; without one, what the holder's mailbox says (Graph only).
  const route = createCoverRouting({ services, ...(graph ? { absence: createGraphAbsence(graph) } : {}) });
  const relayDeps = { services, outbox, sink, route };
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
  const handler = new ResolveBot({ services, conversations, kick, ...(originator ? { outlookOriginator: originator } : {}) });
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
    entra: graph ? createGraphEntraDirectory(graph) : createLocalEntraDirectory(),
    relayAll: () => relay(relayDeps),
    kick,
  };
}

const RUNTIME_TTL_MS = 30_000;

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
