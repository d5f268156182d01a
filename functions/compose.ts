import { createWorkingCalendar } from "../shared/calendar/workingDays";
import { newDisputeId, newFeedbackId } from "./adapters/disputeIds";
import { loadProcedure } from "./adapters/procedureFiles";
import { createSettableClock } from "./adapters/settableClock";
import { DIRECTORY_TABLE, type DirectorySeed, createTableDirectory } from "./adapters/tableDirectory";
import { DIRECTORY_TTL_MS, cachedDirectory } from "./adapters/cachedDirectory";
import { TABLES, createTableDisputeStore } from "./adapters/tableDisputeStore";
import { type RequestCounter, type Tables, connectTables } from "./adapters/tables";
import { demoAuthority } from "./demo/demoAuthority";
import { type Caller, createAuthenticator } from "./http/auth";
import type { CloudAdapter } from "botbuilder";
import type { ResolveBot } from "../bot/resolveBot";
import { CONVERSATIONS_TABLE, type ConversationStore, createConversationStore } from "./adapters/tableConversations";
import { createTableOutbox } from "./adapters/tableOutbox";
import { createTableReportCache } from "./adapters/tableReportCache";
import { createTableFeedbackStore } from "./adapters/tableFeedbackStore";
import { MAILBOX_TABLE, createLocalMailboxSink } from "./adapters/localMailbox";
import type { EffectSink, OutboxStore } from "./ports";
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
  /**
   * Forget what this instance keeps about an authority (its procedure and calendar, directory
   * answers): call it after changing the authority's directory or settings. Other instances see
   * the change within DIRECTORY_TTL_MS.
   */
  invalidateAuthority(tenantId: string): void;
  outbox: OutboxStore;
  sink: EffectSink;
  conversations: ConversationStore;
  /** The bot's adapter and handler, loaded with the bot SDK on first use. */
  bot(): Promise<{ adapter: CloudAdapter; handler: ResolveBot }>;
  /** Deliver every outbox's pending effects now. */
  relayAll(): Promise<RelayReport>;
  /** Deliver one dispute's new effects soon, without holding up the caller. */
  kick(tenantId: string, disputeId: string): void;
}

/** The one composition root: every adapter is built here, once. */
export async function composeApp(settings: Settings, counter?: RequestCounter): Promise<App> {
  const tables = connectTables(settings.RESOLVE_TABLES_CONNECTION, counter);
  await tables.ensure([...TABLES, DIRECTORY_TABLE, CONVERSATIONS_TABLE, MAILBOX_TABLE]);
  const stored = createTableDirectory(tables);
  const cached = cachedDirectory(stored);
  const clock = createSettableClock();
  const runtimes = new Map<string, { at: number; value: Promise<TenantRuntime | undefined> }>();
  const invalidateAuthority = (tenantId: string) => {
    runtimes.delete(tenantId);
    cached.invalidate(tenantId);
  };
  // Seeding changes the directory: what was kept about the authority goes.
  const directory = {
    ...cached,
    async seed(seed: DirectorySeed) {
      await stored.seed(seed);
      invalidateAuthority(seed.tenant.id);
    },
  };
  const outbox = createTableOutbox(tables);
  const services: Services = {
    store: createTableDisputeStore(tables),
    feedback: createTableFeedbackStore(tables),
    outbox,
    reportCache: createTableReportCache(tables),
    directory,
    clock,
    newDisputeId,
    newFeedbackId,
    runtime(tenantId) {
      const kept = runtimes.get(tenantId);
      if (kept && Date.now() - kept.at < DIRECTORY_TTL_MS) return kept.value;
      const r = (async () => {
        const config = await directory.tenant(tenantId);
        if (!config) return undefined;
        const procedure = await loadProcedure(config.procedure);
        if (!procedure.ok) throw new Error(`Authority ${tenantId}: ${procedure.error}`);
        return { config, procedure: procedure.value, calendar: createWorkingCalendar(config.calendar) };
      })();
      r.catch(() => runtimes.delete(tenantId));
      runtimes.set(tenantId, { at: Date.now(), value: r });
      return r;
    },
  };
  if (settings.RESOLVE_MODE === "local") await directory.seed(demoAuthority(settings.RESOLVE_PROCEDURE, settings.RESOLVE_DEV_TENANT));

  const conversations = createConversationStore(tables);
  const appId = settings.MicrosoftAppId ?? "";
  const kick = (tenantId: string, disputeId: string) => kickRelay(tenantId, disputeId);
  // The bot SDK and the Graph client take longer to load than the rest of the app together: they
  // are loaded on the first path that needs them (a bot message, an effect to deliver), not at start.
  const bot = once(async () => {
    const [{ CloudAdapter, ConfigurationBotFrameworkAuthentication }, { ResolveBot }] = await Promise.all([import("botbuilder"), import("../bot/resolveBot")]);
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
    return { adapter, handler: new ResolveBot({ services, conversations, kick }) };
  });
  // Graph when the app has credentials; otherwise everything lands in the local mailbox.
  const labels = async (d: Dispute) => {
    const runtime = await services.runtime(d.tenantId);
    return runtime ? noticeLabels(runtime.procedure, d) : undefined;
  };
  const calendarFor = async (d: Dispute) => (await services.runtime(d.tenantId))?.calendar;
  const routing = once(async (): Promise<EffectSink> => {
    const [{ createRoutingSink, createTeamsSink }, { adapter }] = await Promise.all([import("../bot/teamsSink"), bot()]);
    // Graph needs a sender mailbox: without one the Graph client is not even loaded.
    const graph = settings.RESOLVE_MAIL_SENDER ? await import("./adapters/graphSink") : undefined;
    const mail = graph?.graphConfigured(settings)
      ? graph.createGraphSink({ client: graph.graphClientFor(settings), senderMailbox: settings.RESOLVE_MAIL_SENDER!, renderLabels: labels, calendarFor, now: () => clock.now() })
      : createLocalMailboxSink(tables, undefined, { clock, labels, calendarFor });
    return createRoutingSink({ mail, teams: createTeamsSink({ adapter, appId, services, conversations }) });
  });
  const sink: EffectSink = { deliver: async (effect, subject) => (await routing()).deliver(effect, subject) };
  const relayDeps = { services, outbox, sink };
  const kicked = new Set<string>();
  const kickRelay = (tenantId: string, disputeId: string) => {
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
  return {
    settings,
    services,
    tables,
    directory,
    invalidateAuthority,
    setClock: clock.set,
    authenticate: createAuthenticator(settings, services),
    outbox,
    sink,
    conversations,
    bot,
    relayAll: () => relay(relayDeps),
    kick,
  };
}

/** A value made on first use, once; made again after a failure. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    if (!made) {
      made = make();
      made.catch(() => (made = undefined));
    }
    return made;
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
