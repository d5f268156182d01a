/**
 * Local mode's stand-in for Graph and Teams: every effect becomes a row in the `mailbox` table, so a
 * developer sees each mail, Teams message, calendar entry and meeting that would have been sent
 * (GET /api/dev/mailbox, /api/dev/mailbox/page).
 *
 * Rows live in one partition per tenant:
 * - `m|<time>|<effect id>`: a mail, a Teams message or a meeting, sortable by time then effect id.
 *   The time is fixed by a marker row `x|<effect id>` written once, so delivering the same effect
 *   again rewrites the same row instead of adding one.
 * - `c|<entry key>`: a calendar entry, one per entry key with its latest state (upsert replaces it,
 *   cancel marks it cancelled), as a real calendar shows it. An older effect delivered late never
 *   overwrites a newer one.
 */
import { RestError, type TableClient, odata } from "@azure/data-tables";
import { createWorkingCalendar, type WorkingCalendar } from "../../shared/calendar/workingDays";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import type { Effect } from "../../shared/dispute/effects";
import type { EffectSubject } from "../../shared/dispute/delivery";
import { isPositiveFeedback } from "../../shared/feedback/positiveFeedback";
import { type LabelsFor, meetingSlot, renderCalendarEntry, renderMeeting, renderNoticeAbout } from "../../shared/messages/notices";
import type { Clock, DeliveryOutcome, EffectSink, MailHtml } from "../ports";
import { type Tables, fromJsonColumns, jsonColumns } from "./tables";

export const MAILBOX_TABLE = "mailbox";

export type MailboxKind = "mail" | "teams" | "calendar" | "meeting";

export interface MailboxItem {
  /** The row key. */
  id: string;
  effectId: string;
  disputeId: string;
  kind: MailboxKind;
  /** The recipient's UPN (the attendee for a calendar entry, the chair for a meeting). */
  to: string;
  /** Mail and Teams messages: the recipient's Entra object id, as whom the mailbox page answers a mail's card. */
  toId?: string;
  toName: string;
  subject: string;
  text: string;
  html: string;
  /** When it was written (for a calendar entry: its latest change), by the service's clock. */
  at: string;
  notice?: string;
  preview?: string;
  /** Calendar entries. */
  op?: "upsert" | "cancel";
  entryKey?: string;
  dueAt?: string;
  cancelled?: boolean;
  /** Calendar entries and meetings: the slot, ISO instants. */
  start?: string;
  end?: string;
  /** Meetings: every invitee's UPN. */
  attendees?: string[];
}

export interface LocalMailboxOptions {
  /** The service's clock (local mode's is settable); default the real one. */
  clock?: Clock;
  /** Category and reason labels for the mail text; ids are shown without it. */
  labels?: LabelsFor;
  /** The authority's working days, for a meeting's proposed slot; default England and Wales. */
  calendarFor?: (dispute: Dispute) => WorkingCalendar | undefined | Promise<WorkingCalendar | undefined>;
  /** Finishes a mail's HTML as Graph would send it: the live card for a mail that asks its reader to act. */
  mailHtml?: MailHtml;
}

/** Characters a row key may not hold: / \ # ? and control characters. */
const safeKey = (value: string) => value.replace(/[/\\#?\u0000-\u001f\u007f-\u009f]/g, "_");
const statusOf = (e: unknown) => (e instanceof RestError ? e.statusCode : undefined);

/** "D-1:3:2" → [3, 2]: the dispute version and position that made the effect, to order them. */
function effectOrder(id: string): [number, number] | undefined {
  const m = /:(\d+):(\d+)$/.exec(id);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function ensureOnce(tables: Tables): () => Promise<TableClient> {
  let ready: Promise<void> | undefined;
  return async () => {
    if (!ready) {
      ready = tables.ensure([MAILBOX_TABLE]);
      ready.catch(() => (ready = undefined));
    }
    await ready;
    return tables.client(MAILBOX_TABLE);
  };
}

export function createLocalMailboxSink(
  tables: Tables,
  tenantOf: (subject: EffectSubject) => string = (s) => s.tenantId,
  options: LocalMailboxOptions = {},
): EffectSink {
  const table = ensureOnce(tables);
  const now = () => (options.clock ? options.clock.now() : new Date());
  const defaultCalendar = createWorkingCalendar();

  /** A mail, Teams message or meeting: one row per effect id, whenever and however often it is delivered. */
  async function writeMessage(tenant: string, effectId: string, row: (at: string) => Record<string, unknown>): Promise<void> {
    const client = await table();
    const markerKey = `x|${safeKey(effectId)}`;
    let at = now().toISOString();
    try {
      await client.createEntity({ partitionKey: tenant, rowKey: markerKey, at });
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
      at = String((await client.getEntity<{ at: string }>(tenant, markerKey)).at);
    }
    await client.upsertEntity({ partitionKey: tenant, rowKey: `m|${at}|${safeKey(effectId)}`, ...row(at) }, "Replace");
  }

  async function writeCalendar(tenant: string, effect: Extract<Effect, { kind: "calendar" }>, dispute: Dispute): Promise<DeliveryOutcome> {
    const client = await table();
    const rowKey = `c|${safeKey(effect.entryKey)}`;
    const entry = renderCalendarEntry(effect, dispute, options.labels ? await options.labels(dispute) : undefined);
    const order = effectOrder(effect.id);
    for (let attempt = 0; attempt < 5; attempt++) {
      let existing: Record<string, unknown> & { etag: string } | undefined;
      try {
        existing = await client.getEntity(tenant, rowKey);
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
      if (existing) {
        if (existing.effectId === effect.id) return { ok: true, detail: `calendar entry ${effect.op === "cancel" ? "cancelled" : "written"} already` };
        const before = effectOrder(String(existing.effectId));
        if (order && before && (order[0] < before[0] || (order[0] === before[0] && order[1] < before[1]))) {
          return { ok: true, detail: "a later change of this calendar entry is already in the mailbox" };
        }
      }
      const row = {
        partitionKey: tenant,
        rowKey,
        effectId: effect.id,
        disputeId: effect.disputeId,
        kind: "calendar",
        to: effect.attendee.upn,
        toName: effect.attendee.displayName,
        subject: entry.subject,
        at: now().toISOString(),
        op: effect.op,
        entryKey: effect.entryKey,
        dueAt: effect.at,
        cancelled: effect.op === "cancel",
        start: entry.start.toISOString(),
        end: entry.end.toISOString(),
        ...jsonColumns({ text: entry.text, html: entry.html }),
      };
      try {
        if (existing) await client.updateEntity(row, "Replace", { etag: existing.etag });
        else await client.createEntity(row);
        return { ok: true, detail: effect.op === "cancel" ? "calendar entry cancelled in the local mailbox" : "calendar entry written to the local mailbox" };
      } catch (e) {
        const status = statusOf(e);
        if (status !== 409 && status !== 412) throw e;
        // Someone wrote this entry at the same moment: read it again and decide again.
      }
    }
    return { ok: false, retryable: true, error: "the calendar entry kept changing while it was written" };
  }

  return {
    async deliver(effect: Effect, subject: EffectSubject): Promise<DeliveryOutcome> {
      const tenant = tenantOf(subject);
      try {
        if (isPositiveFeedback(subject) && effect.kind !== "notify") return { ok: false, retryable: false, error: `a good-practice record sends no ${effect.kind}` };
        const dispute = subject as Dispute;
        switch (effect.kind) {
          case "notify": {
            const labels = options.labels && !isPositiveFeedback(subject) ? await options.labels(subject) : undefined;
            const rendered = renderNoticeAbout(subject, effect, labels);
            const kind: MailboxKind = effect.channel === "teams" ? "teams" : "mail";
            const html = kind === "mail" && options.mailHtml ? await options.mailHtml(effect, subject, rendered.html) : rendered.html;
            await writeMessage(tenant, effect.id, (at) => ({
              effectId: effect.id,
              disputeId: effect.disputeId,
              kind,
              notice: effect.notice,
              to: effect.to.upn,
              toId: effect.to.id,
              toName: effect.to.displayName,
              subject: rendered.subject,
              preview: rendered.preview,
              at,
              ...jsonColumns({ text: rendered.text, html }),
            }));
            return { ok: true, detail: kind === "teams" ? "Teams message written to the local mailbox" : "mail written to the local mailbox" };
          }
          case "calendar":
            return await writeCalendar(tenant, effect, dispute);
          case "meeting": {
            const calendar = (options.calendarFor ? await options.calendarFor(dispute) : undefined) ?? defaultCalendar;
            const meeting = renderMeeting(effect, meetingSlot(effect.by, calendar, now()), dispute, options.labels ? await options.labels(dispute) : undefined);
            await writeMessage(tenant, effect.id, (at) => ({
              effectId: effect.id,
              disputeId: effect.disputeId,
              kind: "meeting",
              to: effect.chair.upn,
              toName: effect.chair.displayName,
              subject: meeting.subject,
              at,
              dueAt: effect.by,
              start: meeting.start.toISOString(),
              end: meeting.end.toISOString(),
              attendees: JSON.stringify([effect.chair.upn, ...effect.invitees.map((p) => p.upn)]),
              ...jsonColumns({ text: meeting.text, html: meeting.html }),
            }));
            return { ok: true, detail: "meeting written to the local mailbox" };
          }
          case "card-update":
            return { ok: true, detail: "no card posted yet" };
          default:
            return { ok: false, retryable: false, error: `unknown effect kind ${(effect as { kind: string }).kind}` };
        }
      } catch (e) {
        // Storage trouble: ids and status only, never the message.
        return { ok: false, retryable: true, error: `local mailbox: ${statusOf(e) ?? ""} ${(e as Error).name ?? "error"}`.replace(/\s+/g, " ").trim() };
      }
    },
  };
}

function toItem(e: Record<string, unknown>): MailboxItem {
  const body = e.jsonChunks !== undefined ? fromJsonColumns<{ text: string; html: string }>(e) : { text: "", html: "" };
  const str = (k: string) => (typeof e[k] === "string" ? (e[k] as string) : undefined);
  const item: MailboxItem = {
    id: String(e.rowKey),
    effectId: String(e.effectId ?? ""),
    disputeId: String(e.disputeId ?? ""),
    kind: String(e.kind) as MailboxKind,
    to: String(e.to ?? ""),
    toName: String(e.toName ?? ""),
    subject: String(e.subject ?? ""),
    text: body.text,
    html: body.html,
    at: String(e.at ?? ""),
  };
  for (const k of ["toId", "notice", "preview", "entryKey", "dueAt", "start", "end"] as const) {
    const v = str(k);
    if (v !== undefined) item[k] = v;
  }
  if (e.op === "upsert" || e.op === "cancel") item.op = e.op;
  if (typeof e.cancelled === "boolean") item.cancelled = e.cancelled;
  const attendees = str("attendees");
  if (attendees) {
    try {
      item.attendees = JSON.parse(attendees) as string[];
    } catch {
      // leave it out
    }
  }
  return item;
}

/** A tenant's mailbox, newest first; `to` keeps what that person received or was invited to. */
export async function listMailbox(tables: Tables, tenantId: string, query: { to?: string; limit: number }): Promise<MailboxItem[]> {
  const client = tables.client(MAILBOX_TABLE);
  const items: MailboxItem[] = [];
  const to = query.to?.trim().toLowerCase();
  try {
    // Calendar rows (c|…) and messages (m|…); the markers (x|…) sort after "n".
    const rows = client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${tenantId} and RowKey ge ${"c|"} and RowKey lt ${"n"}` },
    });
    for await (const row of rows) {
      const item = toItem(row);
      if (to && item.to.toLowerCase() !== to && !item.attendees?.some((a) => a.toLowerCase() === to)) continue;
      items.push(item);
      if (items.length >= 10_000) break;
    }
  } catch (e) {
    // No mail yet: the table is made on the first delivery.
    if (statusOf(e) === 404) return [];
    throw e;
  }
  items.sort((a, b) => (a.at === b.at ? b.id.localeCompare(a.id) : b.at.localeCompare(a.at)));
  return items.slice(0, Math.max(0, query.limit));
}
