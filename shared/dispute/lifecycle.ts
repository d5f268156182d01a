import { formatLondon, londonDate } from "../calendar/londonTime";
import type { WorkingCalendar } from "../calendar/workingDays";
import type { Procedure, RoleId, Stage } from "../procedure/procedureSchema";
import { type Result, err, ok } from "../result";
import { describeIssues } from "../procedure/procedureSchema";
import { type Command, type CommandOf, CommandSchema, type ParsedCommand, type RaiseDetails } from "./commands";
import { type Dispute, type DisputeState, type LadderSnapshot, type StageRecord, currentStage } from "./disputeSchema";
import type { EffectDraft, Effect, NoticeKind } from "./effects";
import { type AuditEvent, auditEvent } from "./events";
import { type Actor, type PersonRef, type Roster, type Source, samePerson } from "./people";
import { ACTION_PARTY, mayTake } from "./permissions";
import { scheduleTimers } from "./timers";

/** "busy": others kept acting at the same moment; the command may simply be tried again. */
export type RejectionCode = "invalid" | "forbidden" | "not-found" | "conflict" | "stale" | "busy";
/** Why a command was not applied; nothing changed. */
export interface Rejection {
  code: RejectionCode;
  message: string;
}

export interface DecideContext {
  actor: Actor;
  now: Date;
  /** The procedure a new dispute is raised under; a running dispute follows its own snapshot. */
  procedure: Procedure;
  calendar: WorkingCalendar;
  /** Who holds each role for the child's team: needed to raise. */
  roster?: Roster;
  source: Source;
}

export interface Decision {
  dispute: Dispute;
  event: AuditEvent;
  effects: Effect[];
}

/** The states in which each action makes sense. */
const ALLOWED_IN: Record<ParsedCommand["action"], readonly (DisputeState | "none")[]> = {
  raise: ["none"],
  "raise-exception": ["none"],
  respond: ["informal", "awaiting-response"],
  acknowledge: ["informal", "awaiting-response"],
  "request-more-time": ["informal", "awaiting-response"],
  escalate: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  extend: ["informal", "awaiting-response"],
  hold: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  resume: ["on-hold"],
  resolve: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  withdraw: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  reassign: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  "intend-referral": ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  refer: ["informal", "awaiting-response", "awaiting-decision", "on-hold"],
  "record-child-informed": ["informal", "awaiting-response", "awaiting-decision", "on-hold", "resolved", "withdrawn"],
  "add-note": ["informal", "awaiting-response", "awaiting-decision", "on-hold", "resolved", "withdrawn"],
  "reminder-due": ["informal", "awaiting-response"],
  "deadline-passed": ["informal", "awaiting-response"],
  "hold-ended": ["on-hold"],
  "cap-warning": ["awaiting-response", "awaiting-decision", "on-hold"],
  "cap-passed": ["awaiting-response", "awaiting-decision", "on-hold"],
};

export const isAllowedIn = (action: ParsedCommand["action"], state: DisputeState) => ALLOWED_IN[action].includes(state);

const reject = (code: RejectionCode, message: string): Result<never, Rejection> => err({ code, message });

/** What a handler produces before the version, the audit event and the effect ids are stamped on. */
interface Change {
  dispute: Dispute;
  detail: Record<string, unknown>;
  effects: EffectDraft[];
  /** Recompute the timers: the schedule moved. */
  reschedule: boolean;
}

type Handler<A extends ParsedCommand["action"]> = (
  d: Dispute,
  c: CommandOf<A>,
  ctx: DecideContext,
) => Result<Change, Rejection>;

/**
 * The dispute lifecycle: (dispute, command, context) → the new dispute, its one audit event and
 * the effects to deliver, or a rejection that says why and changes nothing.
 */
export function decide(dispute: Dispute | undefined, command: Command, ctx: DecideContext): Result<Decision, Rejection> {
  const parsed = CommandSchema.safeParse(command);
  if (!parsed.success) return reject("invalid", describeIssues(parsed.error));
  const c = parsed.data;
  const actorPerson = ctx.actor.kind === "person" ? ctx.actor.person : null;

  if (c.action === "raise" || c.action === "raise-exception") {
    if (dispute) return reject("conflict", `Dispute ${dispute.id} already exists.`);
    const raised = c.action === "raise" ? raise(c, ctx) : raiseException(c, ctx);
    if (!raised.ok) return raised;
    return ok(stamp(undefined, raised.value, c.action, actorPerson, ctx));
  }

  if (!dispute) return reject("not-found", "No such dispute.");
  if (!mayTake(dispute, c.action, ctx.actor)) return reject("forbidden", forbiddenMessage(dispute, c.action));
  if ("expectedVersion" in c && c.expectedVersion !== undefined && c.expectedVersion !== dispute.version) {
    return reject(
      "stale",
      `Dispute ${dispute.id} has changed since this was shown (it is now ${describeState(dispute)}). Nothing was changed.`,
    );
  }
  if (!isAllowedIn(c.action, dispute.state)) return reject("conflict", notAllowedMessage(dispute, c.action));

  const handler = HANDLERS[c.action] as Handler<typeof c.action>;
  const changed = handler(dispute, c as never, ctx);
  if (!changed.ok) return changed;
  return ok(stamp(dispute, changed.value, c.action, actorPerson, ctx));
}

function stamp(
  before: Dispute | undefined,
  change: Change,
  action: ParsedCommand["action"],
  actor: PersonRef | null,
  ctx: DecideContext,
): Decision {
  const version = (before?.version ?? 0) + 1;
  let dispute: Dispute = { ...change.dispute, version, updatedAt: ctx.now.toISOString() };
  if (change.reschedule) dispute = { ...dispute, timers: scheduleTimers(dispute, ctx.now, ctx.calendar) };
  const effects = change.effects.map((e, i) => ({ ...e, id: `${dispute.id}:${version}:${i + 1}`, disputeId: dispute.id }) as Effect);
  const event = auditEvent(before, dispute, action, actor, ctx.source, ctx.now, change.detail);
  return { dispute, event, effects };
}

// ——— messages ———

export function describeState(d: Dispute): string {
  const s = currentStage(d);
  switch (d.state) {
    case "informal":
      return `informal, with ${s.assignee.displayName}`;
    case "awaiting-response":
      return `at stage ${d.stage} (${s.title}), awaiting ${s.assignee.displayName}'s response`;
    case "awaiting-decision":
      return `at stage ${d.stage} (${s.title}), answered by ${s.response?.by.displayName}, awaiting the IRO's decision`;
    case "on-hold":
      return `on hold until ${d.hold?.until}`;
    case "resolved":
      return `resolved by ${d.outcome?.by.displayName} at ${formatLondon(d.outcome?.at ?? d.updatedAt)}`;
    case "withdrawn":
      return `withdrawn at ${formatLondon(d.updatedAt)}`;
  }
}

/** How an action reads after "can" where its name does not: "can answer it", not "can respond it". */
const CAN: Partial<Record<ParsedCommand["action"], string>> = {
  respond: "answer",
  "request-more-time": "ask for more time on",
  "intend-referral": "record an intended referral on",
  "record-child-informed": "record whether the child was told of",
};

function forbiddenMessage(d: Dispute, action: keyof typeof ACTION_PARTY): string {
  switch (ACTION_PARTY[action]) {
    case "assignee":
      return `Only ${currentStage(d).assignee.displayName}, who holds dispute ${d.id} now, can ${CAN[action] ?? action} it.`;
    case "decider":
      return `Only ${d.raisedBy.displayName}, who raised dispute ${d.id}, or the QA service can ${CAN[action] ?? action} it.`;
    case "participant":
      return `Only people taking part in dispute ${d.id} can add to it.`;
    case "system":
      return `${action} is taken by the timers, not by a person.`;
  }
}

function notAllowedMessage(d: Dispute, action: ParsedCommand["action"]): string {
  const s = currentStage(d);
  if (action === "respond" && d.state === "awaiting-decision" && s.response) {
    return `Stage ${s.stage} of dispute ${d.id} was already answered by ${s.response.by.displayName} at ${formatLondon(s.response.at)}. Nothing was changed.`;
  }
  return `Dispute ${d.id} is ${describeState(d)}: it cannot be ${PAST[action]} now. Nothing was changed.`;
}

const PAST: Record<ParsedCommand["action"], string> = {
  raise: "raised",
  "raise-exception": "raised",
  respond: "answered",
  acknowledge: "acknowledged",
  "request-more-time": "given more time on request",
  escalate: "escalated",
  extend: "extended",
  hold: "put on hold",
  resume: "resumed",
  resolve: "resolved",
  withdraw: "withdrawn",
  reassign: "reassigned",
  "intend-referral": "marked for referral",
  refer: "referred",
  "record-child-informed": "updated",
  "add-note": "noted",
  "reminder-due": "reminded",
  "deadline-passed": "marked overdue",
  "hold-ended": "taken off hold",
  "cap-warning": "warned about the cap",
  "cap-passed": "marked past the cap",
};

// ——— building blocks ———

const notice = (to: PersonRef, notice: NoticeKind, role: RoleId | null, channel: "teams" | "mail"): EffectDraft => ({
  kind: "notify",
  notice,
  to,
  role,
  channel,
});
const cardUpdate: EffectDraft = { kind: "card-update" };

/** The people holding these roles, each once, leaving out those already told another way. */
function peopleIn(roles: readonly RoleId[], roster: Roster, except: readonly PersonRef[] = []) {
  const people: { role: RoleId; person: PersonRef }[] = [];
  const missing: RoleId[] = [];
  for (const role of roles) {
    const person = roster[role];
    if (!person) missing.push(role);
    else if (!except.some((p) => samePerson(p, person)) && !people.some((p) => samePerson(p.person, person))) {
      people.push({ role, person });
    }
  }
  return { people, missing };
}

function stageOf(ladder: LadderSnapshot, n: number): Stage | undefined {
  return ladder.stages.find((s) => s.stage === n);
}

function informalStage(ladder: LadderSnapshot): Stage {
  return { stage: 0, role: ladder.informal.role, title: "Informal", responseDays: ladder.informal.defaultDays, mode: "written", notify: [] };
}

const entryKey = (d: Dispute, s: StageRecord, person: PersonRef) => `${d.id}:stage-${s.stage}:${person.id}`;

function calendarEntries(d: Dispute, s: StageRecord, op: "upsert" | "cancel"): EffectDraft[] {
  const people = samePerson(s.assignee, d.raisedBy) ? [s.assignee] : [s.assignee, d.raisedBy];
  return people.map((attendee) => ({
    kind: "calendar",
    op,
    entryKey: entryKey(d, s, attendee),
    attendee,
    subject: `Dispute ${d.id}: stage ${s.stage} response due`,
    at: s.dueAt,
  }));
}

/** The response time the IRO may set: shorter than the procedure's, within its first-response limit. */
function responseDaysFor(ladder: LadderSnapshot, stage: Stage, requested: number | undefined, first: boolean): Result<number, Rejection> {
  if (stage.stage === 0) return ok(requested ?? stage.responseDays);
  const limit = first && ladder.firstResponseMaxDays ? Math.min(stage.responseDays, ladder.firstResponseMaxDays) : stage.responseDays;
  if (requested === undefined) return ok(limit);
  if (requested > limit) {
    return reject(
      "invalid",
      `timescaleDays: stage ${stage.stage} (${stage.title}) allows at most ${limit} working days; the IRO may set a shorter time, not a longer one.`,
    );
  }
  return ok(requested);
}

/** Put the dispute at a stage: the record, the alert to its holder, calendar entries, who else is told. */
function enterStage(d: Dispute, stage: Stage, days: number, ctx: DecideContext): { dispute: Dispute; effects: EffectDraft[] } {
  const assignee = d.ladder.roster[stage.role]!;
  const record: StageRecord = {
    stage: stage.stage,
    role: stage.role,
    title: stage.title,
    assignee,
    receivedAt: ctx.now.toISOString(),
    dueAt: ctx.calendar.deadline(ctx.now, days).toISOString(),
    responseDays: days,
    mode: stage.mode,
  };
  const formalStartedAt = d.formalStartedAt ?? (stage.stage > 0 ? ctx.now.toISOString() : undefined);
  const capDueAt =
    d.capDueAt ?? (formalStartedAt ? ctx.calendar.deadline(new Date(formalStartedAt), d.ladder.capWorkingDays).toISOString() : undefined);
  const dispute: Dispute = {
    ...d,
    stage: stage.stage,
    state: stage.stage === 0 ? "informal" : "awaiting-response",
    stages: [...d.stages, record],
    formalStartedAt,
    capDueAt,
    hold: undefined,
  };
  const effects: EffectDraft[] = [notice(assignee, "alert", stage.role, "teams"), ...calendarEntries(dispute, record, "upsert")];
  for (const { role, person } of peopleIn(stage.notify, d.ladder.roster, [assignee, d.raisedBy]).people) {
    effects.push(notice(person, "stage-notice", role, "mail"));
  }
  if (stage.mode === "meeting") {
    const invitees = [d.raisedBy, ...peopleIn(d.ladder.notify.qualityAssurance, d.ladder.roster, [assignee, d.raisedBy]).people.map((p) => p.person)];
    for (const earlier of d.stages) {
      if (!invitees.some((p) => samePerson(p, earlier.assignee)) && !samePerson(earlier.assignee, assignee)) invitees.push(earlier.assignee);
    }
    effects.push({ kind: "meeting", stage: stage.stage, chair: assignee, invitees, by: record.dueAt, subject: `Dispute ${d.id}: stage ${stage.stage} meeting` });
  }
  return { dispute, effects };
}

/** Close the current round and its calendar entries; a round a hold already closed stays as it was. */
function closeStage(d: Dispute, how: NonNullable<StageRecord["closed"]>["how"], ctx: DecideContext, rationale?: string) {
  const s = currentStage(d);
  const effects: EffectDraft[] = [];
  if (d.hold && !d.hold.ended) effects.push(holdEntry(d, d.hold.endsAt, "cancel"));
  if (s.closed) return { dispute: d, effects };
  if (!s.response) effects.unshift(...calendarEntries(d, s, "cancel"));
  const closed: StageRecord = { ...s, closed: { how, at: ctx.now.toISOString(), ...(rationale ? { rationale } : {}) } };
  return { dispute: replaceCurrent(d, closed), effects };
}

function holdEntry(d: Dispute, at: string, op: "upsert" | "cancel"): EffectDraft {
  return { kind: "calendar", op, entryKey: `${d.id}:hold:${d.raisedBy.id}`, attendee: d.raisedBy, subject: `Dispute ${d.id}: check the agreed actions`, at };
}

const replaceCurrent = (d: Dispute, s: StageRecord): Dispute => ({ ...d, stages: [...d.stages.slice(0, -1), s] });

// ——— raise ———

function resolveCategory(procedure: Procedure, details: { category: string; reason: string }): Result<{ category: string; reason: string }, Rejection> {
  const category = procedure.categories.find((c) => c.id === details.category);
  if (!category) {
    return reject("invalid", `category: "${details.category}" is not a category of ${procedure.id}; choose one of ${procedure.categories.map((c) => c.id).join(", ")}.`);
  }
  const wanted = details.reason.trim().toLowerCase();
  const reason = category.reasons.find((r) => r.id === wanted || r.label.toLowerCase() === wanted);
  if (!reason) {
    return reject("invalid", `reason: "${details.reason}" is not a reason under ${category.label}; choose one of ${category.reasons.map((r) => r.id).join(", ")}.`);
  }
  return ok({ category: category.id, reason: reason.id });
}

function snapshotLadder(procedure: Procedure, direction: "standard" | "reverse", roster: Roster): LadderSnapshot {
  return {
    procedureId: procedure.id,
    direction,
    informal: procedure.informal,
    stages: direction === "reverse" ? procedure.reverse!.stages : procedure.stages,
    capWorkingDays: procedure.capWorkingDays,
    capWarningDays: procedure.capWarningDays,
    ...(procedure.firstResponseMaxDays ? { firstResponseMaxDays: procedure.firstResponseMaxDays } : {}),
    onDeadline: procedure.onDeadline,
    reminders: procedure.reminders,
    notify: {
      onResolve: procedure.notify.onResolve,
      beforeReferral: procedure.notify.beforeReferral,
      qualityAssurance: procedure.notify.qualityAssurance,
    },
    roster,
  };
}

/** Rung pre-flight: every stage the dispute could climb to has somebody to receive it. */
function preflight(stages: readonly Stage[], roster: Roster, team: string): Result<true, Rejection> {
  for (const s of stages) {
    if (!roster[s.role]) {
      return reject(
        "invalid",
        `Stage ${s.stage} (${s.title}) has nobody assigned as ${s.role} for team ${team}: ask QA to set who holds it before raising. Nothing was sent.`,
      );
    }
  }
  return ok(true);
}

function newDispute(
  c: { disputeId: string; tenantId: string },
  details: Omit<RaiseDetails, "startStage" | "timescaleDays"> & { category: string; reason: string },
  ladder: LadderSnapshot,
  raisedBy: PersonRef,
  ctx: DecideContext,
  direction: "standard" | "reverse",
): Dispute {
  return {
    id: c.disputeId,
    tenantId: c.tenantId,
    version: 0,
    direction,
    state: "informal",
    stage: 0,
    raisedBy,
    raisedAt: ctx.now.toISOString(),
    raisedFrom: ctx.source,
    child: details.child,
    category: details.category,
    reason: details.reason,
    concerns: details.concerns,
    outcomesSought: details.outcomesSought,
    ...(details.reviewDate ? { reviewDate: details.reviewDate } : {}),
    ...(details.sourceEmail ? { sourceEmail: details.sourceEmail } : {}),
    ladder,
    stages: [],
    referrals: [],
    timers: [],
    updatedAt: ctx.now.toISOString(),
  } as unknown as Dispute;
}

function raise(c: CommandOf<"raise">, ctx: DecideContext): Result<Change, Rejection> {
  const { actor, procedure } = ctx;
  if (actor.kind !== "person") return reject("forbidden", "A dispute is raised by a person.");
  if (c.direction === "standard" && !actor.capabilities.includes("iro")) {
    return reject("forbidden", "Only an IRO or CP chair can raise a dispute; the service raises a concern about an IRO as a reverse dispute.");
  }
  if (c.direction === "reverse" && !procedure.reverse) {
    return reject("invalid", `direction: ${procedure.authority}'s procedure has no reverse process for concerns about an IRO.`);
  }
  const roster = ctx.roster ?? {};
  const ladder = snapshotLadder(procedure, c.direction, roster);
  const { startStage, timescaleDays } = c.details;
  if (startStage === 0 && (!ladder.informal.enabled || c.direction === "reverse")) {
    return reject("invalid", `startStage: ${procedure.authority}'s procedure has no informal stage here; start at stage 1 or above.`);
  }
  if (startStage > ladder.stages.length) {
    return reject("invalid", `startStage: the ladder has ${ladder.stages.length} stages; ${startStage} is not one of them.`);
  }
  const category = resolveCategory(procedure, c.details);
  if (!category.ok) return category;
  const start = startStage === 0 ? informalStage(ladder) : stageOf(ladder, startStage)!;
  const climbable = ladder.stages.filter((s) => s.stage >= Math.max(1, startStage));
  const ready = preflight(startStage === 0 ? [start, ...climbable] : climbable, roster, c.details.child.team);
  if (!ready.ok) return ready;
  const days = responseDaysFor(ladder, start, timescaleDays, true);
  if (!days.ok) return days;

  const draft = newDispute(c, { ...c.details, ...category.value }, ladder, actor.person, ctx, c.direction);
  const entered = enterStage(draft, start, days.value, ctx);
  const effects = [...entered.effects];
  const told = peopleIn(procedure.notify.onRaise, roster, [actor.person, currentStage(entered.dispute).assignee]);
  for (const { role, person } of told.people) effects.push(notice(person, "raised", role, "mail"));
  return ok({
    dispute: entered.dispute,
    effects,
    reschedule: true,
    detail: {
      direction: c.direction,
      startStage,
      bypassed: startStage > 1 ? ladder.stages.filter((s) => s.stage < startStage).map((s) => s.stage) : [],
      responseDays: days.value,
      ...raisedDetail(entered.dispute, procedure, told),
    },
  });
}

/** What the record and the reports need to know of a new dispute. */
function raisedDetail(d: Dispute, procedure: Procedure, told: ReturnType<typeof peopleIn>) {
  return {
    category: d.category,
    reason: d.reason,
    team: d.child.team,
    legalStatus: d.child.legalStatus,
    procedureId: procedure.id,
    assignee: currentStage(d).assignee,
    told: told.people.map((p) => p.role),
    notTold: told.missing,
  };
}

function raiseException(c: CommandOf<"raise-exception">, ctx: DecideContext): Result<Change, Rejection> {
  const { actor, procedure } = ctx;
  if (actor.kind !== "person" || !actor.capabilities.includes("iro")) {
    return reject("forbidden", "Only an IRO or CP chair can raise a dispute as an exception.");
  }
  const kind = procedure.exceptions.kinds.find((k) => k.id === c.exceptionKind);
  if (!kind) {
    return reject("invalid", `exceptionKind: "${c.exceptionKind}" is not an exception in ${procedure.id}; choose one of ${procedure.exceptions.kinds.map((k) => k.id).join(", ")}.`);
  }
  const roster = ctx.roster ?? {};
  const ladder = snapshotLadder(procedure, "standard", roster);
  const category = resolveCategory(procedure, c.details);
  if (!category.ok) return category;
  const start = stageOf(ladder, procedure.exceptions.stage)!;
  const ready = preflight(ladder.stages.filter((s) => s.stage >= start.stage), roster, c.details.child.team);
  if (!ready.ok) return ready;
  const draft = newDispute(c, { ...c.details, ...category.value }, ladder, actor.person, ctx, "standard");
  const entered = enterStage({ ...draft, exception: { kind: kind.id, declaredAt: ctx.now.toISOString() } }, start, start.responseDays, ctx);
  const told = peopleIn(procedure.notify.onException, roster, [actor.person]);
  const effects = [...entered.effects, ...told.people.map(({ role, person }) => notice(person, "exception", role, "mail"))];
  return ok({
    dispute: entered.dispute,
    effects,
    reschedule: true,
    detail: {
      exception: kind.id,
      startStage: start.stage,
      ...raisedDetail(entered.dispute, procedure, told),
    },
  });
}

// ——— the assignee ———

const respond: Handler<"respond"> = (d, c, ctx) => {
  const s = currentStage(d);
  const person = (ctx.actor as Extract<Actor, { kind: "person" }>).person;
  if (c.completionDate && c.completionDate < londonDate(ctx.now)) {
    return reject("invalid", `completionDate: ${c.completionDate} is in the past.`);
  }
  const response = {
    text: c.response,
    ...(c.actionsAgreed ? { actionsAgreed: c.actionsAgreed } : {}),
    ...(c.completionDate ? { completionDate: c.completionDate } : {}),
    by: person,
    at: ctx.now.toISOString(),
  };
  const answered = replaceCurrent(d, { ...s, response });
  const withinTimescale = ctx.now <= new Date(s.dueAt);
  return ok({
    dispute: { ...answered, state: "awaiting-decision" },
    effects: [...calendarEntries(d, s, "cancel"), notice(d.raisedBy, "response-received", null, "teams"), cardUpdate],
    reschedule: true,
    detail: { stage: s.stage, response: c.response, actionsAgreed: c.actionsAgreed, completionDate: c.completionDate, withinTimescale },
  });
};

const acknowledge: Handler<"acknowledge"> = (d, _c, ctx) => {
  const s = currentStage(d);
  if (s.acknowledgedAt) return reject("conflict", `Stage ${s.stage} was already acknowledged at ${formatLondon(s.acknowledgedAt)}. Nothing was changed.`);
  return ok({
    dispute: replaceCurrent(d, { ...s, acknowledgedAt: ctx.now.toISOString() }),
    effects: [cardUpdate],
    reschedule: false,
    detail: { stage: s.stage },
  });
};

const requestMoreTime: Handler<"request-more-time"> = (d, c, ctx) => {
  const s = currentStage(d);
  return ok({
    dispute: replaceCurrent(d, { ...s, moreTimeRequested: { days: c.days, reason: c.reason, at: ctx.now.toISOString() } }),
    effects: [notice(d.raisedBy, "more-time-requested", null, "teams"), cardUpdate],
    reschedule: false,
    detail: { stage: s.stage, days: c.days, reason: c.reason },
  });
};

// ——— the IRO's decisions ———

const escalate: Handler<"escalate"> = (d, c, ctx) => {
  const top = d.ladder.stages.length;
  if (d.stage >= top) {
    return reject("conflict", `Stage ${d.stage} (${currentStage(d).title}) is the top of the ladder: resolve the dispute, or refer it to CAFCASS or the LSCP.`);
  }
  const to = c.toStage ?? d.stage + 1;
  if (to <= d.stage) return reject("invalid", `toStage: a dispute only climbs; it stands at stage ${d.stage}, so choose a stage above it.`);
  const target = stageOf(d.ladder, to);
  if (!target) return reject("invalid", `toStage: the ladder has ${top} stages; ${to} is not one of them.`);
  const days = responseDaysFor(d.ladder, target, c.timescaleDays, d.stage === 0);
  if (!days.ok) return days;
  return ok(climb(d, target, days.value, c.rationale, ctx));
};

function climb(d: Dispute, target: Stage, days: number, rationale: string, ctx: DecideContext): Change {
  const from = d.stage;
  const closed = closeStage(d, "escalated", ctx, rationale);
  const entered = enterStage(closed.dispute, target, days, ctx);
  const previous = currentStage(d).assignee;
  const effects = [...closed.effects, ...entered.effects, cardUpdate];
  // The previous holder is told it moved on, unless the new stage already tells them (its holder, or in its notify list).
  if (!entered.effects.some((e) => e.kind === "notify" && samePerson(e.to, previous))) effects.push(notice(previous, "stage-notice", currentStage(d).role, "mail"));
  if (ctx.actor.kind === "person" && !samePerson(ctx.actor.person, d.raisedBy) && !samePerson(previous, d.raisedBy)) {
    effects.push(notice(d.raisedBy, "stage-notice", null, "teams"));
  }
  return {
    dispute: entered.dispute,
    effects,
    reschedule: true,
    detail: {
      fromStage: from,
      toStage: target.stage,
      bypassed: d.ladder.stages.filter((s) => s.stage > from && s.stage < target.stage).map((s) => s.stage),
      rationale,
      responseDays: days,
      assignee: currentStage(entered.dispute).assignee,
    },
  };
}

const extend: Handler<"extend"> = (d, c, ctx) => {
  const s = currentStage(d);
  if (!ctx.calendar.isWorkingDay(c.until)) return reject("invalid", `until: ${c.until} is not a working day.`);
  const dueAt = ctx.calendar.endOfWorkingDay(c.until);
  if (dueAt <= ctx.now) return reject("invalid", `until: ${c.until} has passed; choose a later working day.`);
  const moved: StageRecord = { ...s, dueAt: dueAt.toISOString(), overdueSince: undefined, moreTimeRequested: undefined };
  const dispute = replaceCurrent(d, moved);
  return ok({
    dispute,
    effects: [...calendarEntries(dispute, moved, "upsert"), notice(s.assignee, "deadline-extended", s.role, "teams"), cardUpdate],
    reschedule: true,
    detail: { stage: s.stage, from: s.dueAt, to: moved.dueAt, reason: c.reason, answersRequest: !!s.moreTimeRequested },
  });
};

const hold: Handler<"hold"> = (d, c, ctx) => {
  if (!ctx.calendar.isWorkingDay(c.until)) return reject("invalid", `until: ${c.until} is not a working day.`);
  if (c.until <= londonDate(ctx.now)) return reject("invalid", `until: the agreed completion date must be after today (${londonDate(ctx.now)}).`);
  const s = currentStage(d);
  const closed = closeStage(d, "held", ctx, c.actionsAgreed);
  const endsAt = ctx.calendar.endOfWorkingDay(c.until).toISOString();
  const held: Dispute = {
    ...closed.dispute,
    state: "on-hold",
    hold: { until: c.until, endsAt, actionsAgreed: c.actionsAgreed, since: ctx.now.toISOString(), ended: false },
  };
  return ok({
    dispute: held,
    effects: [...closed.effects, holdEntry(held, endsAt, "upsert"), notice(s.assignee, "on-hold", s.role, "teams"), cardUpdate],
    reschedule: true,
    detail: { stage: s.stage, until: c.until, actionsAgreed: c.actionsAgreed },
  });
};

/** Off hold, back to the same stage for a fresh answer with its full response time. */
const resume: Handler<"resume"> = (d, c, ctx) => {
  const s = currentStage(d);
  const stage = s.stage === 0 ? informalStage(d.ladder) : stageOf(d.ladder, s.stage)!;
  const effects: EffectDraft[] = d.hold && !d.hold.ended ? [holdEntry(d, d.hold.endsAt, "cancel")] : [];
  const again = enterStage(d, stage, s.responseDays, ctx);
  return ok({
    dispute: again.dispute,
    effects: [...effects, ...again.effects.filter((e) => !(e.kind === "notify" && e.notice === "stage-notice")), cardUpdate],
    reschedule: true,
    detail: { stage: s.stage, reason: c.reason, dueAt: currentStage(again.dispute).dueAt },
  });
};

function finish(d: Dispute, how: "resolved" | "withdrawn", text: string, ctx: DecideContext): Change {
  const person = (ctx.actor as Extract<Actor, { kind: "person" }>).person;
  const closed = closeStage(d, how, ctx, text);
  const s = currentStage(d);
  const effects: EffectDraft[] = [...closed.effects];
  if (!samePerson(s.assignee, person)) effects.push(notice(s.assignee, how, s.role, "teams"));
  // QA decided on the IRO's dispute: the IRO who raised it hears of it.
  if (!samePerson(d.raisedBy, person)) effects.push(notice(d.raisedBy, how, null, "teams"));
  if (how === "resolved") {
    for (const { role, person: p } of peopleIn(d.ladder.notify.onResolve, d.ladder.roster, [s.assignee, person]).people) {
      effects.push(notice(p, "resolved", role, "mail"));
    }
  }
  effects.push(cardUpdate);
  const base: Dispute = { ...closed.dispute, state: how, hold: d.hold ? { ...d.hold, ended: true } : undefined, timers: [] };
  return {
    dispute: how === "resolved" ? { ...base, outcome: { text, by: person, at: ctx.now.toISOString() } } : base,
    effects,
    reschedule: false,
    detail: how === "resolved" ? { stage: d.stage, outcome: text } : { stage: d.stage, reason: text },
  };
}

const resolve: Handler<"resolve"> = (d, c, ctx) => ok(finish(d, "resolved", c.outcome, ctx));
const withdraw: Handler<"withdraw"> = (d, c, ctx) => ok(finish(d, "withdrawn", c.reason, ctx));

const reassign: Handler<"reassign"> = (d, c, ctx) => {
  const s = currentStage(d);
  const role = c.role ?? s.role;
  const before = d.ladder.roster[role];
  if (samePerson(before, c.to)) return reject("conflict", `${c.to.displayName} already holds ${role} on dispute ${d.id}. Nothing was changed.`);
  if (samePerson(c.to, d.raisedBy)) return reject("invalid", `to: the IRO who raised dispute ${d.id} cannot answer it.`);
  let dispute: Dispute = { ...d, ladder: { ...d.ladder, roster: { ...d.ladder.roster, [role]: c.to } } };
  const effects: EffectDraft[] = [];
  if (role === s.role) {
    const moved: StageRecord = { ...s, assignee: c.to, acknowledgedAt: undefined };
    dispute = replaceCurrent(dispute, moved);
    if (d.state === "informal" || d.state === "awaiting-response") {
      effects.push(...calendarEntries(d, s, "cancel").filter((e) => e.kind === "calendar" && samePerson(e.attendee, s.assignee)));
      effects.push(...calendarEntries(dispute, moved, "upsert").filter((e) => e.kind === "calendar" && samePerson(e.attendee, c.to)));
      effects.push(notice(c.to, "alert", role, "teams"));
    }
    effects.push(notice(s.assignee, "reassigned-away", role, "mail"));
  }
  effects.push(cardUpdate);
  return ok({ dispute, effects, reschedule: false, detail: { role, from: before ?? null, to: c.to, reason: c.reason } });
};

const intendReferral: Handler<"intend-referral"> = (d, c, ctx) => {
  const roles = d.ladder.notify.beforeReferral[c.to];
  const told = peopleIn(roles, d.ladder.roster, [d.raisedBy]);
  if (told.missing.length) {
    return reject("invalid", `Nobody holds ${told.missing.join(", ")} for this dispute, who must be told before a referral to ${bodyName(c.to)}.`);
  }
  const referrals = [...d.referrals.filter((r) => r.body !== c.to || r.madeAt), { body: c.to, reasons: c.reasons, informed: told.people.map((p) => p.person), intendedAt: ctx.now.toISOString() }];
  return ok({
    dispute: { ...d, referrals },
    effects: [...told.people.map(({ role, person }) => notice(person, "referral-intended", role, "mail")), cardUpdate],
    reschedule: false,
    detail: { to: c.to, reasons: c.reasons, informed: told.people.map((p) => p.role) },
  });
};

const bodyName = (b: "cafcass" | "lscp") => (b === "cafcass" ? "CAFCASS" : "the LSCP");

const refer: Handler<"refer"> = (d, c, ctx) => {
  const roles = d.ladder.notify.beforeReferral[c.to];
  if (d.referrals.some((r) => r.body === c.to && r.madeAt)) return reject("conflict", `Dispute ${d.id} was already referred to ${bodyName(c.to)}. Nothing was changed.`);
  const intended = d.referrals.find((r) => r.body === c.to && r.intendedAt && !r.madeAt);
  if (roles.length && !intended) {
    return reject("conflict", `${roles.join(" and ")} must be told before a referral to ${bodyName(c.to)}: record the intention to refer first. Nothing was changed.`);
  }
  const made = { body: c.to, reasons: c.reasons ?? intended?.reasons ?? "", informed: intended?.informed ?? [], ...(intended?.intendedAt ? { intendedAt: intended.intendedAt } : {}), madeAt: ctx.now.toISOString() };
  const referrals = [...d.referrals.filter((r) => r !== intended), made];
  const effects: EffectDraft[] = peopleIn(d.ladder.notify.qualityAssurance, d.ladder.roster, [d.raisedBy]).people.map(({ role, person }) => notice(person, "referral-made", role, "mail"));
  return ok({ dispute: { ...d, referrals }, effects: [...effects, cardUpdate], reschedule: false, detail: { to: c.to, reasons: made.reasons, informedFirst: made.informed } });
};

const recordChildInformed: Handler<"record-child-informed"> = (d, c, ctx) =>
  ok({
    dispute: { ...d, childInformed: { informed: c.informed, advocacyOffered: c.advocacyOffered, ...(c.note ? { note: c.note } : {}), at: ctx.now.toISOString() } },
    effects: [cardUpdate],
    reschedule: false,
    detail: { informed: c.informed, advocacyOffered: c.advocacyOffered, note: c.note },
  });

const addNote: Handler<"add-note"> = (d, c) => ok({ dispute: d, effects: [], reschedule: false, detail: { note: c.note } });

// ——— the timers ———

function firedTimer(d: Dispute, token: string, kind: string, now: Date): Result<Dispute, Rejection> {
  const t = d.timers.find((x) => x.token === token && x.kind === kind);
  if (!t) return reject("conflict", `Dispute ${d.id} no longer has this ${kind} scheduled. Nothing was changed.`);
  if (new Date(t.at) > now) return reject("conflict", `This ${kind} for dispute ${d.id} is not due until ${formatLondon(t.at)}.`);
  return ok({ ...d, timers: d.timers.filter((x) => x !== t) });
}

const reminderDue: Handler<"reminder-due"> = (d, c, ctx) => {
  const fired = firedTimer(d, c.token, "reminder", ctx.now);
  if (!fired.ok) return fired;
  const s = currentStage(d);
  return ok({
    dispute: fired.value,
    effects: [notice(s.assignee, "reminder", s.role, "teams")],
    reschedule: false,
    detail: { stage: s.stage, dueAt: s.dueAt, workingDaysLeft: ctx.calendar.workingDaysLeft(ctx.now, new Date(s.dueAt)) },
  });
};

const deadlinePassed: Handler<"deadline-passed"> = (d, c, ctx) => {
  const fired = firedTimer(d, c.token, "deadline", ctx.now);
  if (!fired.ok) return fired;
  const s = currentStage(d);
  const next = stageOf(d.ladder, d.stage + 1);
  if (d.ladder.onDeadline === "escalate" && d.stage >= 1 && next) {
    const change = climb(fired.value, next, next.responseDays, `No response from ${s.assignee.displayName} by ${formatLondon(s.dueAt)}: escalated as the procedure says.`, ctx);
    return ok({ ...change, effects: [...change.effects, notice(d.raisedBy, "deadline-passed", null, "teams")], detail: { ...change.detail, automatic: true } });
  }
  const overdue = replaceCurrent(fired.value, { ...s, overdueSince: ctx.now.toISOString() });
  return ok({
    dispute: overdue,
    effects: [notice(d.raisedBy, "deadline-passed", null, "teams"), notice(s.assignee, "overdue", s.role, "teams"), cardUpdate],
    reschedule: false,
    detail: { stage: s.stage, dueAt: s.dueAt, automatic: false },
  });
};

const holdEnded: Handler<"hold-ended"> = (d, c, ctx) => {
  const fired = firedTimer(d, c.token, "hold-end", ctx.now);
  if (!fired.ok) return fired;
  return ok({
    dispute: { ...fired.value, hold: { ...d.hold!, ended: true } },
    effects: [notice(d.raisedBy, "hold-ended", null, "teams"), cardUpdate],
    reschedule: false,
    detail: { until: d.hold?.until, actionsAgreed: d.hold?.actionsAgreed },
  });
};

function capNotice<K extends "cap-warning" | "cap-passed">(kind: K): Handler<K> {
  return (d, c, ctx) => {
    const fired = firedTimer(d, (c as { token: string }).token, kind === "cap-warning" ? "cap-warning" : "cap", ctx.now);
    if (!fired.ok) return fired;
    const qa = peopleIn(d.ladder.notify.qualityAssurance, d.ladder.roster, [d.raisedBy]);
    const at = ctx.now.toISOString();
    const capNotices = kind === "cap-warning" ? { ...d.capNotices, warnedAt: at } : { ...d.capNotices, passedAt: at };
    return ok({
      dispute: { ...fired.value, capNotices },
      effects: [notice(d.raisedBy, kind, null, "teams"), ...qa.people.map(({ role, person }) => notice(person, kind, role, "mail")), cardUpdate],
      reschedule: false,
      detail: { capDueAt: d.capDueAt, stage: d.stage, told: ["iro", ...qa.people.map((p) => p.role)] },
    });
  };
}

const HANDLERS: { [A in Exclude<ParsedCommand["action"], "raise" | "raise-exception">]: Handler<A> } = {
  respond,
  acknowledge,
  "request-more-time": requestMoreTime,
  escalate,
  extend,
  hold,
  resume,
  resolve,
  withdraw,
  reassign,
  "intend-referral": intendReferral,
  refer,
  "record-child-informed": recordChildInformed,
  "add-note": addNote,
  "reminder-due": reminderDue,
  "deadline-passed": deadlinePassed,
  "hold-ended": holdEnded,
  "cap-warning": capNotice("cap-warning"),
  "cap-passed": capNotice("cap-passed"),
};
