import { TIMER_ACTION } from "../../shared/dispute/timers";
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { addCalendarDays, londonDate } from "../../shared/calendar/londonTime";
import type { Command } from "../../shared/dispute/commands";
import { type Dispute, DisputeSchema, currentStage } from "../../shared/dispute/disputeSchema";
import type { Effect } from "../../shared/dispute/effects";
import { type Decision, decide } from "../../shared/dispute/lifecycle";
import { type Actor, type PersonRef, SYSTEM } from "../../shared/dispute/people";
import { ACTION_PARTY } from "../../shared/dispute/permissions";
import { type Procedure, parseProcedure } from "../../shared/procedure/procedureSchema";
import { builtInProcedures } from "../../shared/procedures";
import { apply, calendar, ctx, details } from "../fixtures/disputes";
import { adele, alex, as, iro, isaiah, lynne, megan, patti, quinn, sam, stranger } from "../fixtures/people";

/**
 * Random lives of a dispute under each shipped procedure: a valid raise, then up to 25 commands
 * with valid and invalid payloads, from the right and the wrong people, at advancing times from
 * 2026 to 2028 (Christmas, Easter and the clock changes included). Whatever happens, the record
 * stays consistent.
 */

const londonClock = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const MINUTE = 60_000;

// ——— when ———

/** Weeks where the calendar is interesting: Christmas and New Year, Easter, May, the clock changes. */
const ANCHORS = [
  "2026-03-26", // BST starts Sun 29 March 2026, Good Friday 3 April, Easter Monday 6 April
  "2026-04-01",
  "2026-05-01",
  "2026-08-27",
  "2026-10-22", // GMT again Sun 25 October 2026
  "2026-12-18",
  "2026-12-21", // Christmas Fri 25, Boxing Day substitute Mon 28 December, New Year Fri 1 January 2027
  "2027-03-22", // Good Friday 26 March 2027, BST Sun 28 March, Easter Monday 29 March
  "2027-03-25",
  "2027-05-27",
  "2027-12-22", // Christmas substitutes Mon 27 and Tue 28 December 2027
  "2027-12-30", // New Year's Day substitute Mon 3 January 2028
  "2028-04-11", // Good Friday 14 April, Easter Monday 17 April 2028
  "2028-12-21",
];

const raisedAt: fc.Arbitrary<Date> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }))
    .map(([day, minutes]) => new Date(Date.parse(`${day}T00:00:00Z`) + minutes * MINUTE)),
  fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2028-12-01T00:00:00Z"), noInvalidDate: true }),
);

/** Minutes to move the clock on before a command: often none, sometimes days. */
const advance = fc.oneof(
  { arbitrary: fc.constant(0), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 600 }), weight: 3 },
  { arbitrary: fc.integer({ min: 600, max: 12 * 24 * 60 }), weight: 4 },
);

// ——— what ———

const valid = fc.constantFrom(
  "No allocated social worker since the review.",
  "  Padded with spaces, still fine.  ",
  "Visit booked for Thursday; PEP meeting arranged.",
  "Escalating: no response within the timescale.",
);
const invalidText = fc.constantFrom("", "   ", "x".repeat(4001));
/** Text a person typed: usually fine, sometimes empty or far too long. */
const text = fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: invalidText, weight: 1 });

/** A date written relative to today in London, or one that is not a date at all. */
const dateOffset = fc.oneof(
  { arbitrary: fc.integer({ min: -3, max: 35 }).map((n) => ({ offset: n })), weight: 9 },
  { arbitrary: fc.constantFrom("2027-02-30", "tomorrow", "2027-1-5").map((raw) => ({ raw })), weight: 1 },
);
type DateSpec = { offset: number } | { raw: string };

const people: PersonRef[] = [stranger, sam, megan, adele, isaiah, patti, lynne, alex, quinn, { id: "new-tm", upn: "newtm@example.com", displayName: "New Team Manager" }];

type Op =
  | { type: "respond"; response: string; actionsAgreed: string | undefined; completion: DateSpec | undefined }
  | { type: "acknowledge" }
  | { type: "request-more-time"; days: number; reason: string }
  | { type: "escalate"; by: number | undefined; timescaleDays: number | undefined; rationale: string }
  | { type: "extend"; until: DateSpec; reason: string }
  | { type: "hold"; until: DateSpec; actionsAgreed: string }
  | { type: "resume"; reason: string | undefined }
  | { type: "resolve"; outcome: string }
  | { type: "withdraw"; reason: string }
  | { type: "reassign"; role: string | undefined; to: number; reason: string }
  | { type: "intend-referral"; to: "cafcass" | "lscp"; reasons: string }
  | { type: "refer"; to: "cafcass" | "lscp"; reasons: string | undefined }
  | { type: "record-child-informed"; informed: boolean; advocacyOffered: boolean }
  | { type: "add-note"; note: string }
  /** The child's Guardian (one of two, or removed), and the proceedings flag. */
  | { type: "set-child-contacts"; guardian: 0 | 1 | null | undefined; inProceedings: boolean | undefined }
  | { type: "record-consultation"; known: boolean; on: DateSpec }
  /** A timer from the dispute, fired on time or early, under its own action or another, or a made-up token. */
  | { type: "fire"; index: number; onTime: boolean; wrongAction: boolean; madeUp: boolean };

/** true `yes` times in `yes + no`. */
const sometimes = (yes: number, no = 1) => fc.oneof({ arbitrary: fc.constant(true), weight: yes }, { arbitrary: fc.constant(false), weight: no });

const body = fc.constantFrom("cafcass" as const, "lscp" as const);
const GUARDIANS = [
  { name: "Priya Shah", email: "priya.shah@cafcass.example" },
  { name: "Ann Cole", email: "ann.cole@cafcass.example" },
] as const;

const op = (p: Procedure): fc.Arbitrary<Op> =>
  fc.oneof(
    { arbitrary: fc.record({ type: fc.constant("respond" as const), response: text, actionsAgreed: fc.option(text, { nil: undefined }), completion: fc.option(dateOffset, { nil: undefined }) }), weight: 4 },
    { arbitrary: fc.record({ type: fc.constant("acknowledge" as const) }), weight: 1 },
    { arbitrary: fc.record({ type: fc.constant("request-more-time" as const), days: fc.integer({ min: -1, max: 22 }), reason: text }), weight: 1 },
    {
      arbitrary: fc.record({
        type: fc.constant("escalate" as const),
        by: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 5 },
          { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 3 },
          { arbitrary: fc.constantFrom(-1, 0, p.stages.length + 1), weight: 1 },
        ),
        timescaleDays: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 6 },
          { arbitrary: fc.integer({ min: 1, max: 6 }), weight: 3 },
          { arbitrary: fc.constantFrom(0, 21), weight: 1 },
        ),
        rationale: text,
      }),
      weight: 6,
    },
    { arbitrary: fc.record({ type: fc.constant("extend" as const), until: dateOffset, reason: text }), weight: 2 },
    { arbitrary: fc.record({ type: fc.constant("hold" as const), until: dateOffset, actionsAgreed: text }), weight: 2 },
    { arbitrary: fc.record({ type: fc.constant("resume" as const), reason: fc.option(text, { nil: undefined }) }), weight: 4 },
    { arbitrary: fc.record({ type: fc.constant("resolve" as const), outcome: text }), weight: 1 },
    { arbitrary: fc.record({ type: fc.constant("withdraw" as const), reason: text }), weight: 1 },
    {
      arbitrary: fc.record({
        type: fc.constant("reassign" as const),
        role: fc.option(fc.constantFrom(...p.stages.map((s) => s.role), "Not A Role", "lscp"), { nil: undefined }),
        to: fc.nat({ max: people.length - 1 }),
        reason: text,
      }),
      weight: 1,
    },
    { arbitrary: fc.record({ type: fc.constant("intend-referral" as const), to: body, reasons: text }), weight: 1 },
    { arbitrary: fc.record({ type: fc.constant("refer" as const), to: body, reasons: fc.option(text, { nil: undefined }) }), weight: 1 },
    {
      arbitrary: fc.record({ type: fc.constant("set-child-contacts" as const), guardian: fc.constantFrom(0 as const, 1 as const, null, undefined), inProceedings: fc.option(fc.boolean(), { nil: undefined }) }),
      weight: 1,
    },
    { arbitrary: fc.record({ type: fc.constant("record-consultation" as const), known: sometimes(4), on: dateOffset.map((x) => ("offset" in x ? { offset: -Math.abs(x.offset) } : x)) }), weight: 1 },
    { arbitrary: fc.record({ type: fc.constant("record-child-informed" as const), informed: fc.boolean(), advocacyOffered: fc.boolean() }), weight: 1 },
    { arbitrary: fc.record({ type: fc.constant("add-note" as const), note: text }), weight: 1 },
    {
      arbitrary: fc.record({
        type: fc.constant("fire" as const),
        index: fc.nat({ max: 7 }),
        onTime: sometimes(4),
        wrongAction: sometimes(1, 5),
        madeUp: sometimes(1, 7),
      }),
      weight: 6,
    },
  );

/** Who takes the command: usually the party it belongs to, often someone else. */
type Who = "party" | "iro" | "assignee" | "qa" | "stranger" | "system";
const who = fc.oneof(
  { arbitrary: fc.constant<Who>("party"), weight: 6 },
  { arbitrary: fc.constantFrom<Who>("iro", "assignee", "qa", "stranger", "system"), weight: 4 },
);

/** Which version the person was looking at. */
const seen = fc.oneof(
  { arbitrary: fc.constant<"none" | "current" | "stale">("none"), weight: 3 },
  { arbitrary: fc.constantFrom<"none" | "current" | "stale">("current", "stale"), weight: 1 },
);

interface Step {
  who: Who;
  advance: number;
  op: Op;
  seen: "none" | "current" | "stale";
}
const steps = (p: Procedure) => fc.array(fc.record({ who, advance, op: op(p), seen }), { maxLength: 25, size: "max" });

type Opening =
  | { kind: "raise"; startStage: number; timescaleDays: number | undefined; contacts: boolean }
  | { kind: "reverse"; timescaleDays: number | undefined }
  | { kind: "exception"; exceptionKind: string }
  | { kind: "ratification" };

/** A raise the procedure accepts: any stage it allows, a timescale within its limits, reverse and exceptions. */
function opening(p: Procedure): fc.Arbitrary<Opening> {
  const limit = (stage: number) =>
    // A stage with no timescale takes any the IRO sets, up to the 20 a command allows.
    stage === 0 ? 20 : Math.min(p.stages[stage - 1]!.responseDays ?? 20, p.firstResponseMaxDays ?? Number.POSITIVE_INFINITY);
  const raise = fc
    .integer({ min: p.informal.enabled ? 0 : 1, max: p.stages.length })
    .chain((startStage) =>
      fc.record({
        kind: fc.constant("raise" as const),
        startStage: fc.constant(startStage),
        timescaleDays: fc.option(fc.integer({ min: 1, max: limit(startStage) }), { nil: undefined }),
        contacts: fc.boolean(),
      }),
    );
  const options: fc.WeightedArbitrary<Opening>[] = [
    { arbitrary: raise, weight: 8 },
    { arbitrary: fc.record({ kind: fc.constant("exception" as const), exceptionKind: fc.constantFrom(...p.exceptions.kinds.map((k) => k.id)) }), weight: 1 },
  ];
  if (p.reviewDecisions) options.push({ arbitrary: fc.constant({ kind: "ratification" as const }), weight: 1 });
  if (p.reverse) {
    options.push({
      arbitrary: fc.record({ kind: fc.constant("reverse" as const), timescaleDays: fc.option(fc.integer({ min: 1, max: p.reverse.stages[0]!.responseDays }), { nil: undefined }) }),
      weight: 2,
    });
  }
  return fc.oneof(...options);
}

// ——— running it ———

const serviceRaiser = as(megan);

function open(p: Procedure, o: Opening, at: Date): Decision {
  const base = { disputeId: "P-1", tenantId: "t-prop" };
  const d = details({ category: p.categories[0]!.id, reason: p.categories[0]!.reasons[0]!.id });
  switch (o.kind) {
    case "raise":
    {
      // Where the informal window runs from the review, the review was held the day the dispute is raised.
      const review = o.startStage === 0 && p.informal.from === "review" ? { reviewDate: londonDate(at) } : {};
      const contacts = o.contacts ? { childContacts: { guardian: GUARDIANS[0], inProceedings: true } } : {};
      return apply(undefined, { action: "raise", ...base, details: { ...d, ...review, ...contacts, startStage: o.startStage, timescaleDays: o.timescaleDays } }, ctx(at, iro, p));
    }
    case "reverse":
      return apply(undefined, { action: "raise", ...base, direction: "reverse", details: { ...d, timescaleDays: o.timescaleDays } }, ctx(at, serviceRaiser, p));
    case "ratification":
      // The review was held the day the window is opened.
      return apply(undefined, { action: "raise", ...base, details: { ...d, ratification: true, reviewDate: londonDate(at) } }, ctx(at, iro, p));
    case "exception": {
      const { startStage: _s, timescaleDays: _t, ...rest } = d;
      return apply(undefined, { action: "raise-exception", ...base, exceptionKind: o.exceptionKind, details: rest }, ctx(at, iro, p));
    }
  }
}

const dateOf = (spec: DateSpec, now: Date) => ("raw" in spec ? spec.raw : addCalendarDays(londonDate(now), spec.offset));

const ACTIONS = Object.values(TIMER_ACTION);

/** The command for this step against the dispute as it stands, and the time it is taken at. */
function materialise(d: Dispute, step: Step, now: Date): { command: Command; now: Date } {
  const o = step.op;
  const expectedVersion = step.seen === "none" ? {} : { expectedVersion: step.seen === "current" ? d.version : Math.max(1, d.version - 1) };
  switch (o.type) {
    case "respond":
      return {
        now,
        command: { action: "respond", ...expectedVersion, response: o.response, ...(o.actionsAgreed !== undefined ? { actionsAgreed: o.actionsAgreed } : {}), ...(o.completion ? { completionDate: dateOf(o.completion, now) } : {}) },
      };
    case "acknowledge":
      return { now, command: { action: "acknowledge", ...expectedVersion } };
    case "request-more-time":
      return { now, command: { action: "request-more-time", ...expectedVersion, days: o.days, reason: o.reason } };
    case "escalate":
      return {
        now,
        command: { action: "escalate", ...expectedVersion, rationale: o.rationale, ...(o.by !== undefined ? { toStage: d.stage + o.by } : {}), ...(o.timescaleDays !== undefined ? { timescaleDays: o.timescaleDays } : {}) },
      };
    case "extend":
      return { now, command: { action: "extend", ...expectedVersion, until: dateOf(o.until, now), reason: o.reason } };
    case "hold":
      return { now, command: { action: "hold", ...expectedVersion, until: dateOf(o.until, now), actionsAgreed: o.actionsAgreed } };
    case "resume":
      return { now, command: { action: "resume", ...expectedVersion, ...(o.reason !== undefined ? { reason: o.reason } : {}) } };
    case "resolve":
      return { now, command: { action: "resolve", ...expectedVersion, outcome: o.outcome } };
    case "withdraw":
      return { now, command: { action: "withdraw", ...expectedVersion, reason: o.reason } };
    case "reassign":
      return { now, command: { action: "reassign", ...expectedVersion, ...(o.role !== undefined ? { role: o.role } : {}), to: people[o.to]!, reason: o.reason } };
    case "intend-referral":
      return { now, command: { action: "intend-referral", ...expectedVersion, to: o.to, reasons: o.reasons } };
    case "refer":
      return { now, command: { action: "refer", ...expectedVersion, to: o.to, ...(o.reasons !== undefined ? { reasons: o.reasons } : {}) } };
    case "record-child-informed":
      return { now, command: { action: "record-child-informed", ...expectedVersion, informed: o.informed, advocacyOffered: o.advocacyOffered } };
    case "add-note":
      return { now, command: { action: "add-note", ...expectedVersion, note: o.note } };
    case "set-child-contacts":
      return {
        now,
        command: { action: "set-child-contacts", ...expectedVersion, ...(o.guardian !== undefined ? { guardian: o.guardian === null ? null : GUARDIANS[o.guardian] } : {}), ...(o.inProceedings !== undefined ? { inProceedings: o.inProceedings } : {}) },
      };
    case "record-consultation":
      return { now, command: { action: "record-consultation", ...expectedVersion, consultation: o.known ? (d.ladder.consultations?.[0]?.id ?? "senior-management") : "the-mayor", on: dateOf(o.on, now), outcome: "Agreed." } };
    case "fire": {
      const timer = d.timers.length ? d.timers[o.index % d.timers.length] : undefined;
      if (!timer) return { now, command: { action: ACTIONS[o.index % ACTIONS.length]!, token: `made-up:${o.index}` } };
      const action = o.wrongAction ? ACTIONS[(ACTIONS.indexOf(TIMER_ACTION[timer.kind]) + 1) % ACTIONS.length]! : TIMER_ACTION[timer.kind];
      const at = new Date(timer.at);
      return { now: o.onTime && at > now ? at : now, command: { action, token: o.madeUp ? `${timer.token}x` : timer.token } };
    }
  }
}

function actorFor(d: Dispute, step: Step, action: Command["action"], raiser: Actor): Actor {
  const assignee = as(currentStage(d).assignee);
  const party = action === "raise" || action === "raise-exception" ? "decider" : ACTION_PARTY[action];
  switch (step.who) {
    case "party":
      return party === "assignee" ? assignee : party === "system" ? SYSTEM : raiser;
    case "iro":
      return raiser;
    case "assignee":
      return assignee;
    case "qa":
      return as(quinn, "qa");
    case "stranger":
      return as(stranger);
    case "system":
      return SYSTEM;
  }
}

// ——— the invariants ———

/** Instants already found to end a working day: most deadlines are carried from one version to the next. */
const endsOfWorkingDays = new Set<string>();

function expectEndOfWorkingDay(instant: string, what: string) {
  if (endsOfWorkingDays.has(instant)) return;
  const at = new Date(instant);
  const day = londonDate(at);
  expect(calendar.isWorkingDay(day), `${what} ${instant} falls on ${day}, not a working day`).toBe(true);
  expect(londonClock.format(at), `${what} ${instant} is not at 17:00 London`).toBe("17:00");
  endsOfWorkingDays.add(instant);
}

/** 1: every deadline the dispute holds, or its effects carry, ends a working day at 17:00 London. */
function expectDeadlinesOnWorkingDays(d: Dispute, effects: Effect[]) {
  for (const s of d.stages) if (s.dueAt) expectEndOfWorkingDay(s.dueAt, `stage ${s.stage} dueAt`);
  for (const t of d.timers) if (t.kind === "deadline" || t.kind === "cap" || t.kind === "hold-end") expectEndOfWorkingDay(t.at, `${t.kind} timer`);
  if (d.capDueAt) expectEndOfWorkingDay(d.capDueAt, "capDueAt");
  if (d.hold) expectEndOfWorkingDay(d.hold.endsAt, "hold endsAt");
  for (const e of effects) {
    if (e.kind === "calendar") expectEndOfWorkingDay(e.at, `calendar entry ${e.entryKey}`);
    if (e.kind === "meeting") expectEndOfWorkingDay(e.by, `stage ${e.stage} meeting`);
  }
}

/** 2: one audit event per accepted command, version + 1, from and to as the dispute was and is; effect ids unique and the dispute's. */
function expectAudited(before: Dispute | undefined, decision: Decision, seenIds: Set<string>) {
  const { dispute, event, effects } = decision;
  const version = (before?.version ?? 0) + 1;
  expect(dispute.version).toBe(version);
  expect(event.version).toBe(version);
  expect(event.id).toBe(`${dispute.id}:${version}`);
  expect(event.disputeId).toBe(dispute.id);
  expect(event.from).toEqual({ state: before?.state ?? null, stage: before?.stage ?? null });
  expect(event.to).toEqual({ state: dispute.state, stage: dispute.stage });
  for (const e of effects) {
    expect(e.id.startsWith(`${dispute.id}:`), e.id).toBe(true);
    expect(e.disputeId).toBe(dispute.id);
    expect(seenIds.has(e.id), `effect id ${e.id} used twice`).toBe(false);
    seenIds.add(e.id);
  }
}

/** 7: the child's contacts and the court are told by mail only, each once per occasion (per stage for escalations), and each telling is in the record. */
function expectToldOnce(before: Dispute | undefined, decision: Decision) {
  const { dispute, effects } = decision;
  const told = dispute.told ?? [];
  const keys = told.map((t) => `${t.on}|${t.why}|${t.as}|${t.to.upn}|${t.on === "escalate" ? t.stage : ""}`);
  expect(new Set(keys).size).toBe(keys.length);
  const added = told.length - (before?.told ?? []).length;
  const beyond = effects.filter((e) => e.kind === "notify" && (e.notice === "child-contact" || e.notice === "court-notice" || e.toldBy));
  expect(beyond).toHaveLength(added);
  for (const e of beyond) if (e.kind === "notify") expect(e.channel).toBe("mail");
}

/** 5 and 6: the stored state is valid; closed disputes have no timers; one deadline while a response is awaited. */
function expectWellFormed(d: Dispute) {
  expect(() => DisputeSchema.parse(d)).not.toThrow();
  const deadlines = d.timers.filter((t) => t.kind === "deadline");
  const s = currentStage(d);
  if (d.state === "resolved" || d.state === "withdrawn") {
    expect(d.timers).toEqual([]);
  } else if ((d.state === "awaiting-response" || d.state === "informal") && !s.overdueSince && s.dueAt) {
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0]!.at).toBe(s.dueAt);
  } else {
    // A stage with no timescale has no deadline, nor reminders, to time.
    if (!s.dueAt) expect(d.timers.filter((t) => t.kind === "reminder")).toEqual([]);
    // Answered, on hold, or overdue (the one deadline has fired and the IRO decides): nothing to time.
    expect(deadlines).toEqual([]);
  }
  expect(d.timers.filter((t) => t.kind === "hold-end")).toHaveLength(d.state === "on-hold" && d.hold && !d.hold.ended ? 1 : 0);
}

interface Tally {
  accepted: number;
  rejected: number;
  actions: Map<string, number>;
  states: Set<string>;
}

function live(p: Procedure, o: Opening, at: Date, run: Step[], tally: Tally) {
  const seenIds = new Set<string>();
  const first = open(p, o, at);
  expectAudited(undefined, first, seenIds);
  expectToldOnce(undefined, first);
  expectDeadlinesOnWorkingDays(first.dispute, first.effects);
  expectWellFormed(first.dispute);
  const raiser = o.kind === "reverse" ? serviceRaiser : iro;

  let d = first.dispute;
  let now = at;
  for (const step of run) {
    now = new Date(now.getTime() + step.advance * MINUTE);
    const m = materialise(d, step, now);
    now = m.now;
    const actor = actorFor(d, step, m.command.action, raiser);
    const before = structuredClone(d);
    const result = decide(d, m.command, ctx(now, actor, p));
    // 3: decide never changes what it is given, accepted or not.
    if (!isDeepStrictEqual(d, before)) expect(d).toStrictEqual(before);
    if (!result.ok) {
      tally.rejected++;
      expect(result.error.message.length).toBeGreaterThan(0);
      continue;
    }
    tally.accepted++;
    tally.actions.set(m.command.action, (tally.actions.get(m.command.action) ?? 0) + 1);
    const after = result.value.dispute;
    tally.states.add(after.state);
    expectAudited(d, result.value, seenIds);
    expectToldOnce(d, result.value);
    // 4: a dispute only climbs.
    expect(after.stage).toBeGreaterThanOrEqual(d.stage);
    expectDeadlinesOnWorkingDays(after, result.value.effects);
    expectWellFormed(after);
    d = after;
  }
}

/** Lambeth with its stages 3 and 4 set no timescale (reports to the AD and the director), beside the five shipped. */
const { responseDays: _three, ...adStage } = builtInProcedures["lambeth"]!.stages[2]!;
const { responseDays: _four, ...directorStage } = builtInProcedures["lambeth"]!.stages[3]!;
const withUntimedStages = parseProcedure({
  ...builtInProcedures["lambeth"]!,
  id: "lambeth-untimed",
  stages: builtInProcedures["lambeth"]!.stages.map((s) => (s.stage === 3 ? { ...adStage, timescale: "none" } : s.stage === 4 ? { ...directorStage, timescale: "none" } : s)),
});
if (!withUntimedStages.ok) throw new Error(withUntimedStages.error);

describe.each([...Object.values(builtInProcedures), withUntimedStages.value].map((p) => [p.id, p] as const))("%s: any sequence of commands from a raised dispute", (_id, p) => {
  it("keeps deadlines on working days at 17:00, audits every change once, changes nothing on rejection, only climbs, stays valid and keeps its timers straight", () => {
    const tally: Tally = { accepted: 0, rejected: 0, actions: new Map(), states: new Set() };
    fc.assert(
      fc.property(opening(p), raisedAt, steps(p), (o, at, run) => live(p, o, at, run, tally)),
      { numRuns: 150 },
    );
    // The generator reaches the interesting places, and rejects as well as accepts.
    expect(tally.rejected).toBeGreaterThan(300);
    expect(tally.accepted).toBeGreaterThan(250);
    for (const action of ["respond", "escalate", "extend", "hold", "resolve", "withdraw", "intend-referral", "set-child-contacts", "reminder-due", "deadline-passed", "cap-warning", "cap-passed"]) {
      expect(tally.actions.get(action) ?? 0, `accepted ${action} commands`).toBeGreaterThan(0);
    }
    expect([...tally.states].sort()).toEqual(
      // Stage 0 is the informal stage, or the review-decision window.
      [...(p.informal.enabled || p.reviewDecisions ? ["informal"] : []), "awaiting-response", "awaiting-decision", "on-hold", "resolved", "withdrawn"].sort(),
    );
  });
});
