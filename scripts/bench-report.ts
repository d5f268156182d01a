/**
 * npm run bench:report: the monthly report over 10,000 disputes' audit events, in memory.
 *
 * The events are made by the domain itself: each dispute is raised and taken through its story
 * (answered on time or late, escalated, held, referred, resolved or withdrawn, or left open) by
 * `decide`, with the sweep's timers fired as they fall due, between November 2026 and February
 * 2027. Then December 2026's report is computed from all of them (in shuffled order) a few times.
 * Prints the figure in milliseconds; exits 1 if the median run takes 2 s or more.
 *
 * BENCH_DISPUTES (default 10000) and BENCH_RUNS (default 5) change the size.
 */
import { performance } from "node:perf_hooks";
import { createWorkingCalendar } from "../shared/calendar/workingDays";
import type { Command } from "../shared/dispute/commands";
import type { Dispute } from "../shared/dispute/disputeSchema";
import type { AuditEvent } from "../shared/dispute/events";
import { type DecideContext, decide } from "../shared/dispute/lifecycle";
import { type Actor, type PersonRef, type Roster, SYSTEM } from "../shared/dispute/people";
import { TIMER_ACTION } from "../shared/dispute/timers";
import { builtInProcedures } from "../shared/procedures";
import { monthlyReport } from "../shared/reports/monthlyReport";

const DISPUTES = Number(process.env.BENCH_DISPUTES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LIMIT_MS = 2_000;

const procedure = builtInProcedures["lambeth"]!;
const calendar = createWorkingCalendar();
const person = (n: number, name: string): PersonRef => ({ id: `p-${n}`, upn: `${name.toLowerCase().replace(/\W/g, "")}@example.com`, displayName: name });
const iros = Array.from({ length: 12 }, (_, i) => person(100 + i, `IRO ${i + 1}`));
const teams = Array.from({ length: 20 }, (_, i) => `team-${i + 1}`);
const roster: Roster = {
  "social-worker": person(1, "Social Worker"),
  "team-manager": person(2, "Team Manager"),
  "service-manager": person(3, "Service Manager"),
  "assistant-director": person(4, "Assistant Director"),
  "director-csc": person(5, "Director CSC"),
  dcs: person(6, "DCS"),
  "iro-service-manager": person(7, "IRO Service Manager"),
  "ad-quality-assurance": person(8, "AD QA"),
  lscp: person(9, "LSCP"),
};
const holderOf = (d: Dispute): Actor => ({ kind: "person", person: d.stages[d.stages.length - 1]!.assignee, capabilities: [] });

/** A small deterministic generator, so every run builds the same data. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function generate(n: number): AuditEvent[] {
  const rnd = random(20261221);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const start = Date.parse("2026-11-02T09:00:00Z");
  const span = Date.parse("2027-01-29T09:00:00Z") - start;
  const events: AuditEvent[] = [];
  for (let i = 0; i < n; i++) {
    const iro = pick(iros);
    const raiser: Actor = { kind: "person", person: iro, capabilities: ["iro"] };
    let now = start + Math.floor(rnd() * span);
    const context = (actor: Actor): DecideContext => ({ actor, now: new Date(now), procedure, calendar, roster, source: "api" });
    let d: Dispute | undefined;
    const run = (actor: Actor, command: Command): boolean => {
      // Fire the timers that fell due before this moment, as the sweep would.
      for (;;) {
        const due = d?.timers.filter((t) => Date.parse(t.at) <= now).sort((a, b) => a.at.localeCompare(b.at))[0];
        if (!due || !d) break;
        const fired = decide(d, { action: TIMER_ACTION[due.kind], token: due.token }, { ...context(SYSTEM), now: new Date(due.at), source: "system" });
        if (!fired.ok) break;
        d = fired.value.dispute;
        events.push(fired.value.event);
      }
      const r = decide(d, command, context(actor));
      if (!r.ok) return false;
      d = r.value.dispute;
      events.push(r.value.event);
      return true;
    };
    const later = (hours: number) => (now += hours * 3_600_000);
    const category = pick(procedure.categories);
    const details = {
      child: { reference: `MOS-${100000 + i}`, initials: "J.S.", legalStatus: pick(["looked-after", "child-protection"] as const), team: pick(teams) },
      category: category.id,
      reason: pick(category.reasons).id,
      concerns: "Concerns as recorded at the review.",
      outcomesSought: "Actions within 5 working days.",
      startStage: rnd() < 0.1 ? 0 : rnd() < 0.85 ? 1 : 2,
    };
    const disputeId = `B-${i}`;
    if (rnd() < 0.02) {
      const { startStage: _s, ...rest } = details;
      run(raiser, { action: "raise-exception", disputeId, tenantId: "bench", exceptionKind: pick(procedure.exceptions.kinds).id, details: rest });
    } else if (rnd() < 0.03) {
      run({ kind: "person", person: roster["service-manager"]!, capabilities: [] }, { action: "raise", disputeId, tenantId: "bench", direction: "reverse", details: { ...details, startStage: 1 } });
    } else {
      run(raiser, { action: "raise", disputeId, tenantId: "bench", direction: "standard", details });
    }
    if (!d) continue;
    const decider: Actor = { kind: "person", person: d.raisedBy, capabilities: d.direction === "reverse" ? [] : ["iro"] };
    // Up to three rounds: an answer (sometimes late), then the IRO's decision.
    for (let round = 0; round < 3; round++) {
      later(24 + rnd() * (rnd() < 0.2 ? 200 : 90));
      if (!run(holderOf(d), { action: "respond", response: "Done as asked." })) break;
      later(4 + rnd() * 40);
      const choice = rnd();
      if (choice < 0.45) {
        run(decider, { action: "resolve", outcome: "Resolved." });
        break;
      }
      if (choice < 0.5) {
        run(decider, { action: "withdraw", reason: "No longer needed." });
        break;
      }
      if (choice < 0.6 && d.direction === "standard") {
        run(decider, { action: "intend-referral", to: pick(["cafcass", "lscp"] as const), reasons: "Drift." });
        later(20);
        run(decider, { action: "refer", to: d.referrals[0]?.body ?? "cafcass" });
      }
      if (choice < 0.7) {
        const until = calendar.addWorkingDays(new Date(now).toISOString().slice(0, 10), 5);
        if (run(decider, { action: "hold", until, actionsAgreed: "Agreed actions." })) {
          later(24 * 8);
          run(decider, { action: "resolve", outcome: "Actions done." });
        }
        break;
      }
      if (!run(decider, { action: "escalate", rationale: "Not resolved at this stage." })) {
        run(decider, { action: "resolve", outcome: "Resolved at the top." });
        break;
      }
    }
  }
  return events;
}

const built = performance.now();
const events = generate(DISPUTES);
const buildMs = performance.now() - built;
// Any order: shuffle them.
const rnd = random(7);
for (let i = events.length - 1; i > 0; i--) {
  const j = Math.floor(rnd() * (i + 1));
  [events[i], events[j]] = [events[j]!, events[i]!];
}

const times: number[] = [];
let report: ReturnType<typeof monthlyReport> | undefined;
for (let run = 0; run < RUNS; run++) {
  const t = performance.now();
  report = monthlyReport({ month: "2026-12", events, calendar, labels: procedure });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const median = times[Math.ceil(times.length / 2) - 1]!;
console.log(
  JSON.stringify({
    disputes: DISPUTES,
    events: events.length,
    generate_ms: Math.round(buildMs),
    report_ms_median: +median.toFixed(1),
    report_ms_max: +times[times.length - 1]!.toFixed(1),
    runs: RUNS,
    limit_ms: LIMIT_MS,
    december: { raised: report!.summary.raised, resolved: report!.summary.resolved, openAtEnd: report!.summary.openAtEnd, medianWorkingDays: report!.resolution.medianWorkingDays },
  }),
);
console.log(`monthly report over ${DISPUTES} disputes (${events.length} events): ${median.toFixed(0)} ms (median of ${RUNS}; limit ${LIMIT_MS} ms)`);
if (median >= LIMIT_MS) process.exit(1);
