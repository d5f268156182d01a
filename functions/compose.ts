import { createWorkingCalendar } from "../shared/calendar/workingDays";
import { newDisputeId, newFeedbackId } from "./adapters/disputeIds";
import { loadProcedure } from "./adapters/procedureFiles";
import { createTableDirectoryAdmin } from "./adapters/tableDirectoryAdmin";
import { createLocalEntraDirectory } from "./demo/demoTenantPeople";
import { createCoverRouting } from "./usecases/cover";
import { parseProcedure } from "../shared/procedure/procedureSchema";
import type { TenantConfig } from "./ports";
import { createSettableClock } from "./adapters/settableClock";
import { DIRECTORY_TABLE, type DirectorySeed, createTableDirectory } from "./adapters/tableDirectory";
import { DIRECTORY_TTL_MS, cachedDirectory } from "./adapters/cachedDirectory";
import { TABLES, createTableDisputeStore } from "./adapters/tableDisputeStore";
import { readDashboardProjection } from "./adapters/dashboardProjection";
import { readMonthEvents } from "./adapters/monthEvents";
import { type RequestCounter, type Tables, type TablesTarget, connectTables } from "./adapters/tables";
import { HEARTBEATS_TABLE, type Heartbeats, createHeartbeats } from "./adapters/heartbeats";
import { recordCommitted, recordDeliveries } from "./telemetry/metrics";
import { startTelemetry } from "./telemetry/start";
import { demoAuthority } from "./demo/demoAuthority";
import { type Caller, createAuthenticator } from "./http/auth";
import type { BotParts } from "../bot/composeBot";
import { CONVERSATIONS_TABLE, type ConversationStore, createConversationStore } from "./adapters/tableConversations";
import { createTableOutbox } from "./adapters/tableOutbox";
import { createTableReportCache } from "./adapters/tableReportCache";
import { createTableFeedbackStore } from "./adapters/tableFeedbackStore";
import { MAILBOX_TABLE, createLocalMailboxSink } from "./adapters/localMailbox";
import type { DisputeStore, EffectSink, OutboxStore, EntraDirectory, AbsenceLookup } from "./ports";
import type { Dispute } from "../shared/dispute/disputeSchema";
import { noticeLabels } from "../shared/messages/notices";
import { type RelayReport, relay, relayDispute } from "./usecases/relay";
import { type AuditorReport, type Heartbeat, runAuditor } from "./usecases/auditor";
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
  /**
   * Forget what this instance keeps about an authority (its procedure and calendar, directory
   * answers): call it after changing the authority's directory or settings. Other instances see
   * the change within DIRECTORY_TTL_MS.
   */
  invalidateAuthority(tenantId: string): void;
  outbox: OutboxStore;
  sink: EffectSink;
  conversations: ConversationStore;
  /** When each timer last finished (the readiness check reads the sweep's). */
  heartbeats: Heartbeats;
  /** The bot's adapter, handler and Teams delivery, loaded with the bot SDK on first use. */
  bot(): Promise<BotParts>;
  /** Entra's people and groups (Graph), or the demo tenant's in local mode. */
  entra: EntraDirectory;
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

/** The auditor's heartbeat name, beside the sweep's in the heartbeats table. */
const AUDITOR_HEARTBEAT = "auditor";

/** The one composition root: every adapter is built here, once. */
export async function composeApp(settings: Settings, counter?: RequestCounter): Promise<App> {
  void startTelemetry(settings).catch((e: unknown) => console.error(`telemetry: not started: ${(e as Error).message}`));
  const tables = connectTables(await tablesTarget(settings), counter);
  await tables.ensure([...TABLES, DIRECTORY_TABLE, CONVERSATIONS_TABLE, MAILBOX_TABLE, HEARTBEATS_TABLE]);
  const stored = createTableDirectory(tables);
  const cached = cachedDirectory(stored);
  const clock = createSettableClock();
  const administration = createTableDirectoryAdmin(tables);
  // An authority's calendar and procedure, read again after a change here or at most DIRECTORY_TTL_MS
  // after one made by another instance of the app.
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
  const procedureOf = async (config: TenantConfig) => {
    if (config.procedure !== "uploaded" || config.procedureVersion === undefined) return loadProcedure(config.procedure);
    const json = await administration.uploadedProcedure(config.id, config.procedureVersion);
    return json ? parseProcedure(JSON.parse(json), `version ${config.procedureVersion}`) : { ok: false as const, error: `version ${config.procedureVersion} of the procedure is missing` };
  };
  const outbox = createTableOutbox(tables);
  const services: Services = {
    store: countingCommits(createTableDisputeStore(tables)),
    feedback: createTableFeedbackStore(tables),
    outbox,
    reportCache: createTableReportCache(tables),
    dashboard: { open: (tenantId) => readDashboardProjection(tables.client("indexes"), tenantId) },
    monthEvents: { read: (tenantId, month, now) => readMonthEvents({ indexes: tables.client("indexes"), events: (t, id) => services.store.events(t, id) }, tenantId, month, now) },
    directory,
    administration,
    clock,
    newDisputeId,
    newFeedbackId,
    runtime(tenantId) {
      const kept = runtimes.get(tenantId);
      if (kept && Date.now() - kept.at < DIRECTORY_TTL_MS) return kept.value;
      const r = (async () => {
        const config = await directory.tenant(tenantId);
        if (!config) return undefined;
        const procedure = await procedureOf(config);
        if (!procedure.ok) throw new Error(`Authority ${tenantId}: ${procedure.error}`);
        return { config, procedure: procedure.value, calendar: createWorkingCalendar(config.calendar) };
      })();
      r.catch(() => runtimes.delete(tenantId));
      runtimes.set(tenantId, { at: Date.now(), value: r });
      return r;
    },
    forgetRuntime: invalidateAuthority,
  };
  // The demo authority is seeded once; after that it is administered like any other (npm run reset starts over).
  if (settings.RESOLVE_MODE === "local" && !(await directory.tenant(settings.RESOLVE_DEV_TENANT))) {
    await directory.seed(demoAuthority(settings.RESOLVE_PROCEDURE, settings.RESOLVE_DEV_TENANT));
  }

  const conversations = createConversationStore(tables);
  const kick = (tenantId: string, disputeId: string) => kickRelay(tenantId, disputeId);
  // Mail that asks someone to act carries their live card, once a provider is registered for it.
  const originator = outlookOriginator(settings);
  const mailHtml = originator ? mailWithCard(services, originator) : undefined;
  // Graph when the app has credentials; otherwise everything lands in the local mailbox.
  const labels = async (d: Dispute) => {
    const [runtime, teams] = await Promise.all([services.runtime(d.tenantId), services.directory.teams(d.tenantId)]);
    return runtime ? { ...noticeLabels(runtime.procedure, d, teams), authority: runtime.config.displayName } : undefined;
  };
  const calendarFor = async (d: Dispute) => (await services.runtime(d.tenantId))?.calendar;
  // The bot SDK and the Graph client take longer to load than the rest of the app together: they
  // are loaded on the first path that needs them (a bot message, an effect to deliver), not at start.
  // Graph needs a sender mailbox: without one the Graph client is not even loaded.
  const graph = once(async () => {
    if (!settings.RESOLVE_MAIL_SENDER) return undefined;
    const [sink, directory] = await Promise.all([import("./adapters/graphSink"), import("./adapters/graphDirectory")]);
    return sink.graphConfigured(settings) ? { sink, directory, client: sink.graphClientFor(settings) } : undefined;
  });
  const bot = once(async () => {
    const [{ composeBot }, g] = await Promise.all([import("../bot/composeBot"), graph()]);
    const mail = g
      ? g.sink.createGraphSink({ client: g.client, senderMailbox: settings.RESOLVE_MAIL_SENDER!, renderLabels: labels, calendarFor, now: () => clock.now(), ...(mailHtml ? { mailHtml } : {}) })
      : createLocalMailboxSink(tables, undefined, { clock, labels, calendarFor, ...(mailHtml ? { mailHtml } : {}) });
    return composeBot({ settings, services, conversations, mail, kick, ...(originator ? { outlookOriginator: originator } : {}) });
  });
  const sink: EffectSink = { deliver: async (effect, subject, history) => (await bot()).sink.deliver(effect, subject, history) };
  // Cover set by an administrator first; without one, what the holder's mailbox says (Graph only).
  const absence: AbsenceLookup = {
    async absence(person, at) {
      const g = await graph();
      return g ? g.directory.createGraphAbsence(g.client).absence(person, at) : undefined;
    },
  };
  const route = createCoverRouting({ services, ...(settings.RESOLVE_MAIL_SENDER ? { absence } : {}) });
  const relayDeps = { services, outbox, sink, route };
  const kicked = new Set<string>();
  const kickRelay = (tenantId: string, disputeId: string) => {
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
  const heartbeats = createHeartbeats(tables);
  // The auditor's last report is its beat's detail: one store says when each timer last ran.
  const heartbeat: Heartbeat = {
    record: (report) => heartbeats.beat(AUDITOR_HEARTBEAT, new Date(report.at), report),
    last: () => heartbeats.detail<AuditorReport>(AUDITOR_HEARTBEAT),
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
    heartbeats,
    bot,
    entra: lazyEntra(graph),
    relayAll: () => relay(relayDeps),
    kick,
    audit: () => runAuditor({ ...relayDeps, heartbeat, periodMs: SWEEP_PERIOD_MS }),
    heartbeat,
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

/** Entra through Graph once it is loaded, or the demo tenant's people where Graph is not configured. */
function lazyEntra(graph: () => Promise<{ directory: typeof import("./adapters/graphDirectory"); client: import("@microsoft/microsoft-graph-client").Client } | undefined>): EntraDirectory {
  const entra = once(async () => {
    const g = await graph();
    return g ? g.directory.createGraphEntraDirectory(g.client) : createLocalEntraDirectory();
  });
  return {
    search: async (text) => (await entra()).search(text),
    groups: async (text) => (await entra()).groups(text),
    members: async (groupId) => (await entra()).members(groupId),
  };
}

/** Counts raises and escalations as they commit: every path (API, bot, timers) goes through the store. */
function countingCommits(store: DisputeStore): DisputeStore {
  // The same object, its commit wrapped: the store's own methods keep calling each other through it.
  const commit = store.commit.bind(store);
  store.commit = async (tenantId, before, decision, request) => {
    const outcome = await commit(tenantId, before, decision, request);
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
