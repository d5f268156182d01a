import { createWorkingCalendar } from "../shared/calendar/workingDays";
import { newDisputeId, newFeedbackId } from "./adapters/disputeIds";
import { loadProcedure } from "./adapters/procedureFiles";
import { createSettableClock } from "./adapters/settableClock";
import { DIRECTORY_TABLE, createTableDirectory } from "./adapters/tableDirectory";
import { TABLES, createTableDisputeStore } from "./adapters/tableDisputeStore";
import { type RequestCounter, type Tables, type TablesTarget, connectTables } from "./adapters/tables";
import { HEARTBEATS_TABLE, type Heartbeats, createHeartbeats } from "./adapters/heartbeats";
import { recordCommitted, recordDeliveries } from "./telemetry/metrics";
import { startTelemetry } from "./telemetry/start";
import { demoAuthority } from "./demo/demoAuthority";
import { type Caller, createAuthenticator } from "./http/auth";
import type { CloudAdapter } from "botbuilder";
import type { ResolveBot } from "../bot/resolveBot";
import { CONVERSATIONS_TABLE, type ConversationStore, createConversationStore } from "./adapters/tableConversations";
import { createTableOutbox } from "./adapters/tableOutbox";
import { createTableFeedbackStore } from "./adapters/tableFeedbackStore";
import { MAILBOX_TABLE, createLocalMailboxSink } from "./adapters/localMailbox";
import type { DisputeStore, EffectSink, OutboxStore } from "./ports";
import type { Dispute } from "../shared/dispute/disputeSchema";
import { noticeLabels } from "../shared/messages/notices";
import { type RelayReport, relay, relayDispute } from "./usecases/relay";
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
  /** When each timer last finished (the readiness check reads the sweep's). */
  heartbeats: Heartbeats;
  bot: { adapter: CloudAdapter; handler: ResolveBot };
  /** Deliver every outbox's pending effects now. */
  relayAll(): Promise<RelayReport>;
  /** Deliver one dispute's new effects soon, without holding up the caller. */
  kick(tenantId: string, disputeId: string): void;
}

/** The one composition root: every adapter is built here, once. */
export async function composeApp(settings: Settings, counter?: RequestCounter): Promise<App> {
  void startTelemetry(settings).catch((e: unknown) => console.error(`telemetry: not started: ${(e as Error).message}`));
  const tables = connectTables(await tablesTarget(settings), counter);
  await tables.ensure([...TABLES, DIRECTORY_TABLE, CONVERSATIONS_TABLE, MAILBOX_TABLE, HEARTBEATS_TABLE]);
  const directory = createTableDirectory(tables);
  const clock = createSettableClock();
  const runtimes = new Map<string, Promise<TenantRuntime | undefined>>();
  const outbox = createTableOutbox(tables);
  const services: Services = {
    store: countingCommits(createTableDisputeStore(tables)),
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
  // Graph when the app has credentials; otherwise everything lands in the local mailbox.
  const labels = async (d: Dispute) => {
    const runtime = await services.runtime(d.tenantId);
    return runtime ? noticeLabels(runtime.procedure, d) : undefined;
  };
  const calendarFor = async (d: Dispute) => (await services.runtime(d.tenantId))?.calendar;
  // Graph's client and @azure/identity load only where a sender mailbox says Graph is meant.
  const graph = settings.RESOLVE_MAIL_SENDER ? await import("./adapters/graphSink") : undefined;
  const mail = graph?.graphConfigured(settings)
    ? graph.createGraphSink({ client: graph.graphClientFor(settings), senderMailbox: settings.RESOLVE_MAIL_SENDER!, renderLabels: labels, calendarFor, now: () => clock.now() })
    : createLocalMailboxSink(tables, undefined, { clock, labels, calendarFor });
  const { composeBot } = await import("../bot/composeBot");
  const bot = composeBot({ settings, services, conversations, mail, kick: (tenantId, disputeId) => kick(tenantId, disputeId) });
  const sink = bot.sink;
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
        const report = { delivered: 0, retrying: 0, failed: 0, dropped: 0 };
        if (marker) await relayDispute(relayDeps, marker, report);
        recordDeliveries(report);
      } catch (e) {
        // The relay timer picks it up: the work marker stays until delivery is done.
        console.error(`relay: ${disputeId}: ${(e as Error).message}`);
      }
    }, 50);
  };
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
    heartbeats: createHeartbeats(tables),
    bot: { adapter: bot.adapter, handler: bot.handler },
    relayAll: () => relay(relayDeps),
    kick,
  };
}

/** Counts raises and escalations as they commit: every path (API, bot, timers) goes through the store. */
function countingCommits(store: DisputeStore): DisputeStore {
  // The same object, its commit wrapped: the store's own methods keep calling each other through it.
  const commit = store.commit.bind(store);
  store.commit = async (tenantId, before, decision) => {
    const outcome = await commit(tenantId, before, decision);
    if (outcome.ok) recordCommitted(tenantId, decision);
    return outcome;
  };
  return store;
}

/** The account's endpoint through the managed identity (AZURE_CLIENT_ID names a user-assigned one) when set; else the connection string. */
async function tablesTarget(settings: Settings): Promise<TablesTarget> {
  if (!settings.RESOLVE_TABLES_ENDPOINT) return { connectionString: settings.RESOLVE_TABLES_CONNECTION };
  const { DefaultAzureCredential } = await import("@azure/identity");
  return { endpoint: settings.RESOLVE_TABLES_ENDPOINT, credential: new DefaultAzureCredential() };
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
