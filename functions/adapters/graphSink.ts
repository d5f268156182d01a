/**
 * Effects delivered through Microsoft Graph with app-only permissions: mail from one sender
 * mailbox (Mail.ReadWrite to make the draft, Mail.Send to send it), deadline entries and stage meetings in people's calendars
 * (Calendars.ReadWrite). Teams cards are the bot's; a Teams notice the relay hands here (the
 * fallback when Teams cannot be reached) goes as mail.
 *
 * Idempotency, as far as Graph allows it:
 * - calendar entries and meetings are created with a `transactionId` derived from the effect, so a
 *   create retried (by the client's retry handler or by the relay) returns the event made the first
 *   time instead of a second one; every calendar entry also carries a custom extended property with
 *   its entry key, by which a later change (deadline moved, entry cancelled) finds it again.
 * - sendMail has no idempotency key, so mail is not sent with it: each mail is made as a draft in
 *   the sender mailbox carrying the effect id in a single-value extended property, then sent. A
 *   retry (after a timeout or a 504 that came after Graph stored the draft or sent it) first looks
 *   the effect id up in the mailbox: already sent, it is done; a draft, it sends that draft. So a
 *   mail whose answer was lost is not sent twice. The effect id also goes in an
 *   `x-resolve-effect-id` internet header, for the reader's mail rules or an audit.
 */
import { createHash } from "node:crypto";
import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from "@azure/identity";
import {
  AuthenticationHandler,
  type AuthenticationProvider,
  Client,
  type Context,
  type FetchOptions,
  HTTPMessageHandler,
  type Middleware,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from "@microsoft/microsoft-graph-client";
// The folder has no package.json "exports": name the file, or Node's ESM loader refuses a directory import.
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { createWorkingCalendar, type WorkingCalendar } from "../../shared/calendar/workingDays";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import type { Effect } from "../../shared/dispute/effects";
import type { EffectSubject } from "../../shared/dispute/delivery";
import { isPositiveFeedback } from "../../shared/feedback/positiveFeedback";
import { type LabelsFor, meetingSlot, renderCalendarEntry, renderMeeting, renderNoticeAbout } from "../../shared/messages/notices";
import type { DeliveryOutcome, EffectSink, MailHtml } from "../ports";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

/**
 * The custom (MAPI named) property every Resolve calendar entry carries: its entry key. Graph can
 * filter events on it, which `transactionId` cannot do.
 */
export const ENTRY_KEY_PROPERTY = "String {4d3c7a52-9e1b-4f0a-8c6d-2b7e5f1a9c30} Name ResolveEntryKey";
/** The custom property every Resolve mail carries: the effect id, by which a retry finds it. */
export const EFFECT_ID_PROPERTY = "String {8a1e3c5d-2f4b-4e6a-9c7d-1b3e5f7a9c2e} Name ResolveEffectId";
/** The namespace of the transaction ids derived below (a UUID v5 namespace of our own). */
const TRANSACTION_NAMESPACE = "6b1f0c2e-3d4a-5b6c-8d7e-9f0a1b2c3d4e";

// ——— the client ———

export interface GraphClientOptions {
  authProvider: AuthenticationProvider;
  /**
   * Default "https://graph.microsoft.com/". The version is added after it ("v1.0"), so a local
   * stand-in is `https://127.0.0.1:<port>/`, not `…/v1.0/`.
   */
  baseUrl?: string;
  /**
   * Host names (no scheme, no port) besides Graph's that may receive the bearer token. The client
   * sends the token only over https, and only to Graph's own hosts or these.
   */
  customHosts?: string[];
  /** One request's time limit, each retry included. Default 15 s. */
  timeoutMs?: number;
  retry?: {
    /** Default 2 (three tries in all). */
    maxRetries?: number;
    /** Seconds to wait when Graph gives no Retry-After. Default 2. */
    delaySeconds?: number;
    /** Retry in-process only if Retry-After asks for at most this many seconds; longer waits go back to the relay. Default 10. */
    maxInlineWaitSeconds?: number;
  };
  /** Passed to every fetch (tests use it for a dispatcher that trusts their own certificate). */
  fetchOptions?: FetchOptions;
}

/** Gives each try its own time limit, so a hanging Graph call ends as a retryable failure. */
class TimeoutHandler implements Middleware {
  private next?: Middleware;
  constructor(private readonly ms: number) {}
  async execute(context: Context): Promise<void> {
    const options = (context.options ??= {});
    const outer = options.signal ?? undefined;
    const timeout = AbortSignal.timeout(this.ms);
    options.signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    try {
      await this.next!.execute(context);
    } finally {
      // The retry handler sees the caller's signal again; the try in flight keeps its own.
      options.signal = outer;
    }
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** Seconds the response's Retry-After asks for (a number or an HTTP date), if any. */
function retryAfterSeconds(headers: Headers | undefined | null): number | undefined {
  const value = headers?.get("Retry-After");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * The Graph client with the SDK's default chain (authentication, retry on 429/503/504 honouring
 * Retry-After, redirects, telemetry) and a time limit on every try.
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const maxInline = options.retry?.maxInlineWaitSeconds ?? 10;
  const retry = new RetryHandlerOptions(options.retry?.delaySeconds ?? 2, options.retry?.maxRetries ?? 2, (_delay, _attempt, _request, fetchOptions, response) => {
    if (fetchOptions?.signal?.aborted) return false;
    const wait = retryAfterSeconds(response.headers);
    return wait === undefined || wait <= maxInline;
  });
  const middleware: Middleware[] = [
    new AuthenticationHandler(options.authProvider),
    new RetryHandler(retry),
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    new TimeoutHandler(options.timeoutMs ?? 15_000),
    new HTTPMessageHandler(),
  ];
  return Client.initWithMiddleware({
    middleware,
    defaultVersion: "v1.0",
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.customHosts?.length ? { customHosts: new Set(options.customHosts) } : {}),
    ...(options.fetchOptions ? { fetchOptions: options.fetchOptions } : {}),
  });
}

/** What Azure needs to reach Graph; absent credentials mean local mode's mailbox instead. */
export interface GraphSettings {
  RESOLVE_GRAPH_TENANT_ID?: string;
  RESOLVE_GRAPH_CLIENT_ID?: string;
  RESOLVE_GRAPH_CLIENT_SECRET?: string;
  /** "true" for the system-assigned managed identity, or a user-assigned identity's client id. */
  RESOLVE_GRAPH_MANAGED_IDENTITY?: string;
  /** The mailbox mail is sent from (UPN), e.g. resolve-noreply@council.gov.uk. */
  RESOLVE_MAIL_SENDER?: string;
}

export function graphCredentialFor(settings: GraphSettings): TokenCredential | undefined {
  const { RESOLVE_GRAPH_TENANT_ID: tenant, RESOLVE_GRAPH_CLIENT_ID: clientId, RESOLVE_GRAPH_CLIENT_SECRET: secret, RESOLVE_GRAPH_MANAGED_IDENTITY: mi } = settings;
  if (mi) return mi === "true" ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId: mi });
  if (tenant && clientId && secret) return new ClientSecretCredential(tenant, clientId, secret);
  return undefined;
}

/** True when Graph can be reached: credentials and a sender mailbox. */
export const graphConfigured = (settings: GraphSettings) => !!graphCredentialFor(settings) && !!settings.RESOLVE_MAIL_SENDER;

/** The Graph client for Azure: app-only, through @azure/identity. */
export function graphClientFor(settings: GraphSettings, options: Omit<GraphClientOptions, "authProvider"> = {}): Client {
  const credential = graphCredentialFor(settings);
  if (!credential) {
    throw new Error("Graph needs RESOLVE_GRAPH_MANAGED_IDENTITY, or RESOLVE_GRAPH_TENANT_ID, RESOLVE_GRAPH_CLIENT_ID and RESOLVE_GRAPH_CLIENT_SECRET.");
  }
  return createGraphClient({ ...options, authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] }) });
}

// ——— ids ———

/** A UUID v5 (SHA-1, RFC 4122) of `name`: the same name always gives the same GUID. */
export function deterministicGuid(name: string, namespace = TRANSACTION_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The transaction id of a calendar entry's create: from its entry key and the effect. The effect id
 * keeps retries of one delivery on one event; the entry key alone is not enough, because an entry
 * deleted (stage held) and written again (stage resumed) must be a new event, not the deleted one.
 */
export const entryTransactionId = (entryKey: string, effectId: string) => deterministicGuid(`calendar:${entryKey}:${effectId}`);
export const meetingTransactionId = (effectId: string) => deterministicGuid(`meeting:${effectId}`);

// ——— errors ———

interface GraphErrorLike {
  statusCode: number;
  code?: string | null;
  message?: string;
  headers?: Headers;
}

const isGraphError = (e: unknown): e is GraphErrorLike => typeof e === "object" && e !== null && typeof (e as GraphErrorLike).statusCode === "number";

/** An error message fit for the outbox and logs: no addresses, no long text. */
function clean(message: string | undefined): string {
  return (message ?? "")
    .replace(/[^\s'"<>()]+@[^\s'"<>()]+/g, "<address>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}

/** A Graph failure as the relay understands it: retry (when) or give up. */
export function deliveryFailure(e: unknown, what: string): DeliveryOutcome & { ok: false } {
  if (!isGraphError(e)) {
    return { ok: false, retryable: true, error: `Graph ${what}: ${(e as Error)?.name ?? "error"}: ${clean((e as Error)?.message)}` };
  }
  const status = e.statusCode;
  const code = e.code ?? "";
  if (status <= 0) {
    // No answer: the network, the token endpoint, or our own time limit.
    const timedOut = code === "TimeoutError" || code === "AbortError";
    return { ok: false, retryable: true, error: `Graph ${what}: ${timedOut ? "timed out" : `no response (${code || "network error"})`}` };
  }
  const waitSeconds = retryAfterSeconds(e.headers);
  const retryAfter = waitSeconds === undefined ? {} : { retryAfterMs: waitSeconds * 1000 };
  const error = `Graph ${what}: ${status}${code ? ` ${code}` : ""}${e.message ? `: ${clean(e.message)}` : ""}`;
  if (status === 429 || status === 408 || status === 409 || status === 412 || status >= 500) return { ok: false, retryable: true, error, ...retryAfter };
  return { ok: false, retryable: false, error };
}

// ——— the sink ———

export interface GraphSinkOptions {
  client: Client;
  /** The mailbox every mail is sent from (UPN or id). */
  senderMailbox: string;
  /** Category and reason labels for the mail text; ids are shown without it. */
  renderLabels?: LabelsFor;
  /** The authority's working days, for a meeting's proposed slot; default England and Wales. */
  calendarFor?: (dispute: Dispute) => WorkingCalendar | undefined | Promise<WorkingCalendar | undefined>;
  /** The time now, for a meeting's proposed slot. */
  now?: () => Date;
  /** The longest one delivery may take, every request and retry included. Default 60 s. */
  deliveryBudgetMs?: number;
  /** Finishes a mail's HTML: the live card for a mail that asks its reader to act (bot/outlookChannel.ts). */
  mailHtml?: MailHtml;
}

type CalendarEffect = Extract<Effect, { kind: "calendar" }>;
type MeetingEffect = Extract<Effect, { kind: "meeting" }>;

/** Graph's dateTimeTimeZone, in UTC. */
const graphTime = (d: Date) => ({ dateTime: d.toISOString().slice(0, 23), timeZone: "UTC" });
const user = (upn: string) => `/users/${encodeURIComponent(upn)}`;
const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function createGraphSink(options: GraphSinkOptions): EffectSink {
  const { client } = options;
  const defaultCalendar = createWorkingCalendar();
  const now = options.now ?? (() => new Date());

  async function sendMail(effect: Extract<Effect, { kind: "notify" }>, subject: EffectSubject, signal: AbortSignal): Promise<DeliveryOutcome> {
    const labels = options.renderLabels && !isPositiveFeedback(subject) ? await options.renderLabels(subject) : undefined;
    const rendered = renderNoticeAbout(subject, effect, labels);
    const html = options.mailHtml ? await options.mailHtml(effect, subject, rendered.html) : rendered.html;
    const mailbox = user(options.senderMailbox);
    const done = (how: string): DeliveryOutcome => ({ ok: true, detail: `${effect.channel === "teams" ? "mail instead of Teams" : how} (effect ${effect.id})` });
    const found = await findMail(effect.id, signal);
    if (found.sent) return done("mail already sent");
    let draft = found.drafts[0];
    if (!draft) {
      const created = (await client
        .api(`${mailbox}/messages`)
        .options({ signal })
        .post({
          subject: rendered.subject,
          body: { contentType: "HTML", content: html },
          toRecipients: [{ emailAddress: { address: effect.to.upn } }],
          internetMessageHeaders: [{ name: "x-resolve-effect-id", value: effect.id }],
          singleValueExtendedProperties: [{ id: EFFECT_ID_PROPERTY, value: effect.id }],
        })) as { id: string };
      draft = created.id;
    }
    try {
      await client.api(`${mailbox}/messages/${encodeURIComponent(draft)}/send`).options({ signal }).post(null);
    } catch (e) {
      // The send may have gone before its answer was lost (a 504, or a retry told the draft is gone): look again.
      if (!(await findMail(effect.id, signal)).sent) throw e;
    }
    // Drafts a retried create left behind are never sent: remove them.
    for (const extra of found.drafts.slice(1)) await deleteMessage(extra, signal);
    return done("mail sent");
  }

  /** Resolve's mail for this effect in the sender mailbox: whether one was sent, and any drafts. */
  async function findMail(effectId: string, signal: AbortSignal): Promise<{ sent: boolean; drafts: string[] }> {
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(EFFECT_ID_PROPERTY)} and ep/value eq ${odataString(effectId)})`;
    const found = (await client
      .api(`${user(options.senderMailbox)}/messages`)
      .filter(encodeURIComponent(filter))
      .select("id,isDraft")
      .top(10)
      .options({ signal })
      .get()) as { value?: { id: string; isDraft: boolean }[] };
    const messages = found.value ?? [];
    return { sent: messages.some((m) => !m.isDraft), drafts: messages.filter((m) => m.isDraft).map((m) => m.id) };
  }

  async function deleteMessage(id: string, signal: AbortSignal): Promise<void> {
    try {
      await client.api(`${user(options.senderMailbox)}/messages/${encodeURIComponent(id)}`).options({ signal }).delete();
    } catch (e) {
      if (!(isGraphError(e) && (e.statusCode === 404 || e.statusCode === 410))) throw e;
    }
  }

  /** Resolve's events in this calendar with this entry key (normally one). */
  async function findEntries(upn: string, entryKey: string, signal: AbortSignal): Promise<string[]> {
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(ENTRY_KEY_PROPERTY)} and ep/value eq ${odataString(entryKey)})`;
    const found = (await client
      .api(`${user(upn)}/events`)
      .filter(encodeURIComponent(filter))
      .select("id")
      .top(10)
      .options({ signal })
      .get()) as { value?: { id: string }[] };
    return (found.value ?? []).map((e) => e.id);
  }

  async function deleteEvent(upn: string, id: string, signal: AbortSignal): Promise<void> {
    try {
      await client.api(`${user(upn)}/events/${encodeURIComponent(id)}`).options({ signal }).delete();
    } catch (e) {
      if (!(isGraphError(e) && (e.statusCode === 404 || e.statusCode === 410))) throw e;
    }
  }

  async function calendar(effect: CalendarEffect, dispute: Dispute, signal: AbortSignal): Promise<DeliveryOutcome> {
    const upn = effect.attendee.upn;
    const found = await findEntries(upn, effect.entryKey, signal);
    if (effect.op === "cancel") {
      // A plain entry (no attendees) is deleted; one already gone is what we wanted.
      for (const id of found) await deleteEvent(upn, id, signal);
      return { ok: true, detail: found.length ? `calendar entry deleted (${found.length})` : "no calendar entry to cancel" };
    }
    const entry = renderCalendarEntry(effect, dispute, options.renderLabels ? await options.renderLabels(dispute) : undefined);
    const fields = {
      subject: entry.subject,
      body: { contentType: "HTML", content: entry.html },
      start: graphTime(entry.start),
      end: graphTime(entry.end),
      isReminderOn: true,
      showAs: "free",
      categories: ["Resolve"],
    };
    const [first, ...extra] = found;
    if (first) {
      try {
        await client.api(`${user(upn)}/events/${encodeURIComponent(first)}`).options({ signal }).patch(fields);
        for (const id of extra) await deleteEvent(upn, id, signal);
        return { ok: true, detail: `calendar event ${first} updated` };
      } catch (e) {
        // Deleted in Outlook since it was found: write it afresh below.
        if (!(isGraphError(e) && e.statusCode === 404)) throw e;
      }
    }
    const created = (await client
      .api(`${user(upn)}/events`)
      .options({ signal })
      .post({
        ...fields,
        transactionId: entryTransactionId(effect.entryKey, effect.id),
        singleValueExtendedProperties: [{ id: ENTRY_KEY_PROPERTY, value: effect.entryKey }],
      })) as { id?: string };
    return { ok: true, detail: `calendar event ${created?.id ?? "(no id)"} created` };
  }

  async function meeting(effect: MeetingEffect, dispute: Dispute, signal: AbortSignal): Promise<DeliveryOutcome> {
    const workingDays = (options.calendarFor ? await options.calendarFor(dispute) : undefined) ?? defaultCalendar;
    const invite = renderMeeting(effect, meetingSlot(effect.by, workingDays, now()), dispute, options.renderLabels ? await options.renderLabels(dispute) : undefined);
    const attendees = effect.invitees
      .filter((p) => p.upn.toLowerCase() !== effect.chair.upn.toLowerCase())
      .map((p) => ({ emailAddress: { address: p.upn, name: p.displayName }, type: "required" }));
    const created = (await client
      .api(`${user(effect.chair.upn)}/events`)
      .options({ signal })
      .post({
        subject: invite.subject,
        body: { contentType: "HTML", content: invite.html },
        start: graphTime(invite.start),
        end: graphTime(invite.end),
        attendees,
        isOnlineMeeting: true,
        onlineMeetingProvider: "teamsForBusiness",
        allowNewTimeProposals: true,
        isReminderOn: true,
        categories: ["Resolve"],
        transactionId: meetingTransactionId(effect.id),
        singleValueExtendedProperties: [{ id: ENTRY_KEY_PROPERTY, value: `${effect.disputeId}:meeting:${effect.stage}:${effect.id}` }],
      })) as { id?: string };
    return { ok: true, detail: `meeting ${created?.id ?? "(no id)"} proposed` };
  }

  return {
    async deliver(effect: Effect, subject: EffectSubject): Promise<DeliveryOutcome> {
      if (effect.kind === "card-update") return { ok: true, detail: "cards are the bot's" };
      if (isPositiveFeedback(subject) && effect.kind !== "notify") return { ok: false, retryable: false, error: `a good-practice record sends no ${effect.kind}` };
      const dispute = subject as Dispute;
      const signal = AbortSignal.timeout(options.deliveryBudgetMs ?? 60_000);
      const what = effect.kind === "notify" ? "sendMail" : effect.kind === "calendar" ? `calendar ${effect.op}` : effect.kind;
      try {
        switch (effect.kind) {
          case "notify":
            return await sendMail(effect, subject, signal);
          case "calendar":
            return await calendar(effect, dispute, signal);
          case "meeting":
            return await meeting(effect, dispute, signal);
          default:
            return { ok: false, retryable: false, error: `unknown effect kind ${(effect as { kind: string }).kind}` };
        }
      } catch (e) {
        return deliveryFailure(e, what);
      }
    },
  };
}
