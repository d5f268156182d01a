import { createHash } from "node:crypto";
import type { Command } from "../../shared/dispute/commands";
import type { AuditEvent } from "../../shared/dispute/events";
import { type Dispute, currentStage } from "../../shared/dispute/disputeSchema";
import { type Rejection, decide } from "../../shared/dispute/lifecycle";
import type { Actor, Roster, Source } from "../../shared/dispute/people";
import { type Result, err, ok } from "../../shared/result";
import type { CommandMark, StoredDispute } from "../ports";
import { withCover } from "./cover";
import type { Services } from "./services";

const ATTEMPTS = 4;

/**
 * The most a dispute's state row may hold. Notes and past actions live in audit events, but each
 * hold-and-resume round adds a stage record: a change that would pass this is refused, naming why,
 * well before storage's 1 MB entity limit would refuse it.
 */
export const MAX_STATE_CHARS = 512 * 1024;

/**
 * How long the same person's identical command counts as a repeat of the one applied (a double
 * click, a request retried after its answer was lost) rather than a new one.
 */
export const REPEAT_WINDOW_MS = 2 * 60_000;

/** What a command did: the dispute as it now stands, and whether this was a repeat answered with success. */
export interface Applied {
  dispute: Dispute;
  repeated: boolean;
  /** Asked for with `withHistory`: the dispute's audit events up to `dispute`'s version, when the read had them all. */
  history?: AuditEvent[];
}

/** The command as its sender meant it, without the version they saw: the same request gives the same fingerprint. */
function fingerprintOf(command: Command): string {
  const { expectedVersion: _seen, ...meant } = command as Command & { expectedVersion?: number };
  return createHash("sha256").update(JSON.stringify(meant)).digest("base64url");
}

/** Reduce a client's Idempotency-Key, scoped to the person, to a hash safe in a storage key. */
const requestKeyOf = (personId: string, key: string) => createHash("sha256").update(`${personId}\n${key}`).digest("base64url");

/** What a person acting on the dispute saw that gives the command its meaning: who holds it, at which stage, until when. */
function seenOf(d: Dispute): string {
  const s = currentStage(d);
  return JSON.stringify([d.state, d.stage, s.assignee.id, s.dueAt, d.hold?.until ?? null, d.stages.length]);
}

/**
 * Load, decide, commit; the same request applies once.
 * - The same person's identical command within REPEAT_WINDOW_MS of the one applied (unless sent
 *   against the version that command produced: then they saw it and mean another), or a request
 *   under an Idempotency-Key already used, is a repeat: answered with success, nothing changed.
 * - When someone else committed first (ETag conflict), the command is decided again only if the
 *   dispute still is what its sender saw (same state, stage, holder, due date, hold); otherwise it
 *   is refused as stale, with what it is now. A timer's command carries its own token and is
 *   simply decided again.
 */
export async function runCommand(
  services: Services,
  input: {
    tenantId: string;
    disputeId: string;
    command: Command;
    actor: Actor;
    source: Source;
    roster?: Roster;
    teamName?: string;
    idempotencyKey?: string;
    /** Read the dispute's history with it (the same request) and answer with it: for a caller that shows the dispute next. */
    withHistory?: boolean;
  },
): Promise<Result<Applied, Rejection>> {
  const runtime = await services.runtime(input.tenantId);
  if (!runtime) return err({ code: "not-found", message: `No authority "${input.tenantId}".` });
  const person = input.actor.kind === "person" ? input.actor.person : undefined;
  const fingerprint = fingerprintOf(input.command);
  const requestKey = person && input.idempotencyKey ? requestKeyOf(person.id, input.idempotencyKey) : undefined;
  let firstSeen: { version: number; seen: string } | undefined;
  let conflicted = false;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // A new dispute's id was just drawn: nothing to read until a clash says otherwise.
    const raising = input.command.action === "raise" || input.command.action === "raise-exception";
    const read = raising && attempt === 0 ? undefined : await load(services, input.tenantId, input.disputeId, input.withHistory === true);
    const stored = read?.stored;
    // Complete only if it reaches the version read (a commit between the two rows' reads would leave it short).
    const history = raising && attempt === 0 ? [] : read?.history?.some((e) => e.version === stored?.dispute.version) ? read.history : undefined;
    if (!stored && !raising) {
      return err({ code: "not-found", message: `No dispute ${input.disputeId}.` });
    }
    const now = services.clock.now();
    let meaningChanged = false;
    if (stored && person) {
      const expectedVersion = (input.command as { expectedVersion?: number }).expectedVersion;
      const repeat = await repeatOf(services, input.tenantId, stored, person.id, fingerprint, requestKey, expectedVersion, now);
      if (repeat) {
        if (conflicted) await services.store.reproject(input.tenantId, input.disputeId, { force: true });
        return repeat.ok && history && input.withHistory ? ok({ ...repeat.value, history }) : repeat;
      }
      if (!firstSeen) firstSeen = { version: stored.dispute.version, seen: seenOf(stored.dispute) };
      else meaningChanged = seenOf(stored.dispute) !== firstSeen.seen;
    }
    const context = {
      actor: stored ? await withCover(services, input.tenantId, stored.dispute, input.actor, now) : input.actor,
      now,
      procedure: runtime.procedure,
      calendar: runtime.calendar,
      ...(input.roster ? { roster: input.roster } : {}),
      ...(input.teamName ? { teamName: input.teamName } : {}),
      source: input.source,
    };
    let decided = decide(stored?.dispute, input.command, context);
    // Someone else changed what the sender saw since, and the command would still apply: decide it
    // against the version they saw, which refuses it as stale, saying what the dispute is now.
    if (decided.ok && meaningChanged && firstSeen) decided = decide(stored?.dispute, { ...input.command, expectedVersion: firstSeen.version } as Command, context);
    if (!decided.ok) {
      // Our index rows went out for a commit that lost the race: put them back as committed.
      if (conflicted) await services.store.reproject(input.tenantId, input.disputeId, { force: true });
      return decided;
    }
    const size = JSON.stringify(decided.value.dispute).length;
    // Closing it stays possible whatever its size: that is the way out offered.
    const closing = input.command.action === "resolve" || input.command.action === "withdraw";
    if (!closing && size > MAX_STATE_CHARS && (!stored || size > JSON.stringify(stored.dispute).length)) {
      return err({ code: "invalid", message: `Dispute ${input.disputeId} has too many rounds on its record to take this change (it would hold ${Math.round(size / 1024)} KB, at most ${MAX_STATE_CHARS / 1024} KB). Resolve it or raise a new one. Nothing was changed.` });
    }
    const mark: CommandMark = { by: person?.id ?? "system", fingerprint, at: now.toISOString(), version: decided.value.dispute.version };
    let committed;
    try {
      committed = await services.store.commit(input.tenantId, stored, decided.value, { mark, ...(requestKey ? { idempotencyKey: requestKey } : {}) });
    } catch (e) {
      // Storage refused the change itself (too large, or the service failing): nothing was applied,
      // and the index rows written ahead of it must not say otherwise.
      await services.store.reproject(input.tenantId, input.disputeId, { force: true });
      return err(refusalOf(e, input.disputeId));
    }
    if (committed.ok) return ok({ dispute: decided.value.dispute, repeated: false, ...(history && input.withHistory ? { history: [...history, decided.value.event] } : {}) });
    conflicted = true;
  }
  await services.store.reproject(input.tenantId, input.disputeId, { force: true });
  return err({ code: "busy", message: `Dispute ${input.disputeId} is changing too fast to act on; try again.` });
}

/** The dispute as stored, with its history when asked for: one request either way. */
async function load(services: Services, tenantId: string, disputeId: string, withHistory: boolean): Promise<{ stored: StoredDispute; history?: AuditEvent[] } | undefined> {
  if (withHistory) return services.store.loadWithHistory(tenantId, disputeId);
  const stored = await services.store.load(tenantId, disputeId);
  return stored && { stored };
}

/** The same request already applied: by its Idempotency-Key, or the same person's identical command just now. */
async function repeatOf(
  services: Services,
  tenantId: string,
  stored: StoredDispute,
  personId: string,
  fingerprint: string,
  requestKey: string | undefined,
  expectedVersion: number | undefined,
  now: Date,
): Promise<Result<Applied, Rejection> | undefined> {
  if (requestKey) {
    const first = await services.store.request(tenantId, stored.dispute.id, requestKey);
    if (first && first.fingerprint !== fingerprint) {
      return err({ code: "invalid", message: "Idempotency-Key: this key was already used for a different request on this dispute; use a new key for a new request." });
    }
    if (first) return ok({ dispute: stored.dispute, repeated: true });
  }
  const last = stored.lastCommand;
  // Sent by someone who saw the dispute as their last command left it: a new command, not a repeat.
  const sawIt = expectedVersion !== undefined && expectedVersion >= stored.dispute.version;
  if (last && !sawIt && last.by === personId && last.fingerprint === fingerprint && now.getTime() - new Date(last.at).getTime() < REPEAT_WINDOW_MS) {
    return ok({ dispute: stored.dispute, repeated: true });
  }
  return undefined;
}

/** A storage refusal as the caller should hear it: too large is their input; anything else, try again. */
function refusalOf(e: unknown, disputeId: string): Rejection {
  const status = (e as { statusCode?: number }).statusCode;
  const code = String((e as { code?: string }).code ?? "");
  if (status === 413 || code === "EntityTooLarge" || code === "RequestBodyTooLarge" || code === "PropertyValueTooLarge") {
    return { code: "invalid", message: `Dispute ${disputeId} cannot take this change: its record would be larger than storage allows. Nothing was changed.` };
  }
  return { code: "busy", message: `Dispute ${disputeId} could not be saved just now; nothing was changed. Try again.` };
}
