import type { AuditEvent } from "../../shared/dispute/events";
import { type EffectSubject, stillStands } from "../../shared/dispute/delivery";
import type { Absence } from "../../shared/directory/cover";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import { SYSTEM } from "../../shared/dispute/people";
import { isFeedbackId } from "../../shared/feedback/positiveFeedback";
import type { EffectSink, OutboxEntry, OutboxStore, WorkMarker } from "../ports";
import type { RouteEffect } from "./cover";
import { RETRY, retryDelayMs } from "./retryPolicy";
import { runCommand } from "./runCommand";
import type { Services } from "./services";

/** How long a relay holds an entry it is sending before another may try. */
const LEASE_MS = 2 * 60_000;

export interface RelayReport {
  delivered: number;
  retrying: number;
  failed: number;
  dropped: number;
}

export interface RelayDeps {
  services: Services;
  outbox: OutboxStore;
  sink: EffectSink;
  /** Who actually receives a notice: the holder, or their cover while they are away. */
  route?: RouteEffect;
  random?: () => number;
}

/**
 * Deliver what each transition (and each good-practice record) wrote to its outbox, at least once. Work markers (written before
 * every commit) say which disputes to look at, so nothing is scanned; each effect is re-checked
 * against the dispute as it is now, sent, and recorded; failures wait under the one retry policy
 * and are parked as failed after its last attempt, visible on the dispute. Every marker is read,
 * oldest due first, and those not yet due are skipped: a backlog waiting in backoff never starves
 * newer work. At most `limit` disputes are relayed per authority per run.
 */
export async function relay(deps: RelayDeps, limit = 100): Promise<RelayReport> {
  const report: RelayReport = { delivered: 0, retrying: 0, failed: 0, dropped: 0 };
  const now = deps.services.clock.now().toISOString();
  for (const tenant of await deps.services.directory.tenants()) {
    const due = (await deps.outbox.work(tenant.id)).filter((m) => !m.dueAt || m.dueAt <= now).slice(0, limit);
    for (const marker of due) await relayDispute(deps, marker, report);
  }
  return report;
}

/** What a work marker is about: a dispute (D-…) with its history, or a good-practice record (G-…), as stored now. */
async function loadSubject(services: Services, tenantId: string, id: string): Promise<{ subject: EffectSubject; history?: AuditEvent[] } | undefined> {
  if (isFeedbackId(id)) {
    const feedback = await services.feedback.load(tenantId, id);
    return feedback && { subject: feedback };
  }
  const found = await services.store.loadWithHistory(tenantId, id);
  if (!found) return undefined;
  const d = found.stored.dispute;
  // Serves only if it reaches the dispute's version (a commit between the two rows' reads would leave it short).
  return { subject: d, ...(found.history.some((e) => e.version === d.version) ? { history: found.history.filter((e) => e.version <= d.version) } : {}) };
}

/**
 * The IRO is told, through the dispute's own record, that the alert's holder is away past the
 * deadline; once per stage (a repeat is refused by the lifecycle and changes nothing).
 */
async function tellIroAway(services: Services, tenantId: string, d: Dispute, away: Absence): Promise<void> {
  await runCommand(services, { tenantId, disputeId: d.id, command: { action: "holder-away", stage: d.stage, ...(away.until ? { until: away.until } : {}) }, actor: SYSTEM, source: "system" });
}

export async function relayDispute(deps: RelayDeps, marker: WorkMarker, report: RelayReport): Promise<void> {
  const { services, outbox, sink } = deps;
  const loaded = await loadSubject(services, marker.tenantId, marker.disputeId);
  if (!loaded) {
    // The raise (or the good-practice record) this marker was written for never committed.
    await outbox.clearWork(marker);
    return;
  }
  // Index rows written for a commit that then failed, or a crash between the two, are put right here.
  const { subject, history } = loaded;
  if (!isFeedbackId(marker.disputeId)) await services.store.reproject(marker.tenantId, marker.disputeId, { dispute: subject as Dispute, ...(history ? { history } : {}) });
  // The earliest moment an entry waiting in backoff is due again.
  let waitingUntil: string | undefined;
  const wait = (at: string) => {
    if (!waitingUntil || at < waitingUntil) waitingUntil = at;
  };
  // Another relay holds an entry right now: the marker is theirs to clear or defer, never ours.
  let heldByOther = false;
  const now = services.clock.now();
  const toSend: OutboxEntry[] = [];
  for (const entry of await outbox.pending(marker.tenantId, marker.disputeId)) {
    if (new Date(entry.nextAttemptAt) > now) {
      // A failed attempt records its error; a claim (below) records none.
      if (entry.lastError) wait(entry.nextAttemptAt);
      else heldByOther = true;
      continue;
    }
    // Written by a commit after the dispute was read here: its words and card must come from that
    // version, so it waits for the next pass (the marker stays due, whoever wrote it).
    if (!isFeedbackId(marker.disputeId) && effectVersion(entry.effect.id) > (subject as Dispute).version) {
      wait(now.toISOString());
      continue;
    }
    const stands = stillStands(entry.effect, subject);
    if (!stands.ok) {
      if ((await outbox.update(entry, { status: "dropped", attempts: entry.attempts, nextAttemptAt: entry.nextAttemptAt, lastError: `not sent: ${stands.why}` })) !== null) report.dropped++;
      else heldByOther = true;
      continue;
    }
    toSend.push(entry);
  }
  // Claim them for a while, all in one request: another relay running at the same moment skips
  // them instead of sending them again; if this one dies, the claim lapses and they are taken up
  // again. The lease grows with the entries, which are sent one after another.
  const until = new Date(now.getTime() + LEASE_MS * toSend.length).toISOString();
  const claims = toSend.length ? ((await outbox.claim(toSend, until)) ?? (await claimEach(outbox, toSend, until))) : [];
  for (const [i, entry] of toSend.entries()) {
    const claimed = claims[i] ?? null;
    if (claimed === null) {
      heldByOther = true;
      continue;
    }
    const mine = { ...entry, etag: claimed };
    const attempts = entry.attempts + 1;
    let outcome;
    let routed: Awaited<ReturnType<RouteEffect>> = { effect: entry.effect };
    try {
      if (deps.route) routed = await deps.route(entry.effect, subject, marker.tenantId);
      outcome = await sink.deliver(routed.effect, subject, history);
    } catch (e) {
      outcome = { ok: false as const, retryable: true, error: (e as Error).message };
    }
    // Recorded by the clock after the send: a slow send must not date its next attempt in the past.
    const after = services.clock.now();
    let recorded: string | null;
    if (outcome.ok) {
      recorded = await outbox.update(mine, { status: "delivered", attempts, nextAttemptAt: after.toISOString(), ...(outcome.detail || routed.note ? { detail: [routed.note, outcome.detail].filter(Boolean).join("; ") } : {}) });
      if (recorded !== null) report.delivered++;
      if (recorded !== null && routed.awayPastDeadline && entry.effect.kind === "notify") await tellIroAway(services, marker.tenantId, subject as Dispute, routed.awayPastDeadline);
    } else if (!outcome.retryable || attempts >= RETRY.maxAttempts) {
      recorded = await outbox.update(mine, { status: "failed", attempts, nextAttemptAt: after.toISOString(), lastError: outcome.error });
      if (recorded !== null) report.failed++;
    } else {
      const next = new Date(after.getTime() + retryDelayMs(attempts, outcome.retryAfterMs, deps.random)).toISOString();
      recorded = await outbox.update(mine, { status: "pending", attempts, nextAttemptAt: next, lastError: outcome.error });
      if (recorded !== null) report.retrying++;
      wait(next);
    }
    // Our claim lapsed and another relay took the entry over: it is theirs to record.
    if (recorded === null) heldByOther = true;
  }
  if (heldByOther) return;
  // Nothing left waiting: done, unless a commit wrote the marker again since it was read (then it stays, due now).
  if (waitingUntil === undefined) await outbox.clearWork(marker);
  else await outbox.deferWork(marker, waitingUntil);
}

/** The dispute version whose commit wrote an effect: ids are `{dispute}:{version}:{n}`. */
const effectVersion = (effectId: string) => Number(effectId.split(":")[1]);

/** Claimed one by one, when some were taken by another relay since they were read: null for those. */
async function claimEach(outbox: OutboxStore, entries: OutboxEntry[], until: string): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (const entry of entries) out.push(await outbox.update(entry, { status: "pending", attempts: entry.attempts, nextAttemptAt: until }));
  return out;
}
