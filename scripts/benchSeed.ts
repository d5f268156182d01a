/**
 * Seeds an authority for the benchmarks with real disputes, fast: each dispute's story is decided
 * by the domain (raised, answered, escalated, held, resolved, its timers fired as they fall due),
 * and the very rows the store writes for it (state, audit events, delivered outbox entries, list
 * rows and manifest, due entries still in the future: most of them stale) go to storage in
 * batches, many at a time, instead of one transition after another.
 */
import type { TableClient, TransactionAction } from "@azure/data-tables";
import { commitActions, dueRows, listRows } from "../functions/adapters/tableDisputeStore";
import { failedKey } from "../functions/adapters/indexKeys";
import { isDashboardKey } from "../functions/adapters/dashboardProjection";
import { markCarried, monthCells, monthMark, monthsBetween, writeMonthCells } from "../functions/adapters/monthEvents";
import { monthAt, previousMonth } from "../shared/reports/monthlyReport";
import type { Tables } from "../functions/adapters/tables";
import type { App } from "../functions/compose";
import { demoPeople } from "../functions/demo/demoAuthority";
import { actorOf } from "../functions/usecases/actors";
import type { Command } from "../shared/dispute/commands";
import type { Dispute } from "../shared/dispute/disputeSchema";
import { type DecideContext, type Decision, decide } from "../shared/dispute/lifecycle";
import { type Actor, SYSTEM } from "../shared/dispute/people";
import { TIMER_ACTION } from "../shared/dispute/timers";

export interface SeedOptions {
  tenantId: string;
  disputes: number;
  /** Stories start between these instants; due entries at or before `dueAfter` are left out (the sweep took them). */
  from: Date;
  to: Date;
  dueAfter: Date;
  /** One delivery in this many disputes was parked as failed. */
  failEvery?: number;
}

/** A small deterministic generator, so every run builds the same data. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Runs a batch of writes at most `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, run: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

async function submit(client: TableClient, actions: TransactionAction[]): Promise<void> {
  for (let i = 0; i < actions.length; i += 100) await client.submitTransaction(actions.slice(i, i + 100));
}

export async function seedDisputes(app: App, options: SeedOptions): Promise<{ disputes: number; open: number; failed: number; rows: number }> {
  const { tenantId } = options;
  const runtime = (await app.services.runtime(tenantId))!;
  const roster = await app.directory.roster(tenantId, "demo-team");
  const rnd = random(20270111);
  const span = options.to.getTime() - options.from.getTime();
  const tables: Tables = app.tables;
  const disputes = tables.client("disputes");
  const indexes = tables.client("indexes");
  const iro = actorOf(demoPeople.alex);
  let open = 0;
  let failed = 0;
  let rows = 0;
  const CHUNK = 2_000;
  const current = monthAt(options.dueAfter);
  const monthRows: Parameters<typeof writeMonthCells>[2][number][] = [];
  for (let start = 0; start < options.disputes; start += CHUNK) {
    const disputeBatches: TransactionAction[][] = [];
    const indexRows = new Map<string, TransactionAction>();
    for (let i = start; i < Math.min(options.disputes, start + CHUNK); i++) {
      let now = options.from.getTime() + Math.floor(rnd() * span);
      let d: Dispute | undefined;
      const decisions: Decision[] = [];
      const ctx = (actor: Actor, at = now): DecideContext => ({ actor, now: new Date(at), procedure: runtime.procedure, calendar: runtime.calendar, roster, source: "api" });
      const fireTimers = (until: number) => {
        for (;;) {
          const due = d?.timers.filter((t) => Date.parse(t.at) <= until).sort((a, b) => a.at.localeCompare(b.at))[0];
          if (!due || !d) return;
          const fired = decide(d, { action: TIMER_ACTION[due.kind], token: due.token }, { ...ctx(SYSTEM, Date.parse(due.at)), source: "system" });
          if (!fired.ok) return;
          decisions.push(fired.value);
          d = fired.value.dispute;
        }
      };
      const run = (actor: Actor, command: Command) => {
        fireTimers(now);
        const r = decide(d, command, ctx(actor));
        if (!r.ok) return false;
        decisions.push(r.value);
        d = r.value.dispute;
        return true;
      };
      const holder = (): Actor => ({ kind: "person", person: d!.stages[d!.stages.length - 1]!.assignee, capabilities: [] });
      const id = `D-S${String(i).padStart(6, "0")}`;
      run(iro, {
        action: "raise",
        disputeId: id,
        tenantId,
        direction: "standard",
        details: {
          child: { reference: `MOS-${100000 + i}`, initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
          category: "statutory-responsibilities",
          reason: "no-allocated-social-worker",
          concerns: "No allocated social worker since the review.",
          outcomesSought: "Allocate a social worker within 5 working days.",
          startStage: 1,
        },
      });
      const story = rnd();
      if (story < 0.75) {
        now += (24 + rnd() * 72) * 3_600_000;
        if (run(holder(), { action: "respond", response: "A social worker is allocated." })) {
          now += (4 + rnd() * 40) * 3_600_000;
          if (story < 0.6) run(iro, { action: "resolve", outcome: "Allocated and visited." });
          else if (story < 0.7) run(iro, { action: "escalate", rationale: "Not confirmed in writing." });
          else run(iro, { action: "hold", until: runtime.calendar.addWorkingDays(new Date(now).toISOString().slice(0, 10), 5), actionsAgreed: "Weekly visits." });
        }
      }
      if (Date.parse(d!.updatedAt) < options.dueAfter.getTime()) fireTimers(options.dueAfter.getTime());
      const final = d!;
      if (["informal", "awaiting-response", "awaiting-decision", "on-hold"].includes(final.state)) open++;

      // The dispute's own partition: its state, every event, every effect (delivered, or one parked as failed).
      const fails = options.failEvery !== undefined && i % options.failEvery === 0;
      const own: TransactionAction[] = [];
      decisions.forEach((decision, n) => {
        const actions = commitActions(tenantId, undefined, decision).dispute.slice(1);
        for (const action of actions) {
          const entity = action[1] as Record<string, unknown>;
          if (String(entity.rowKey).startsWith("outbox|")) {
            const parked = fails && n === 0 && entity.rowKey === actions[1]?.[1].rowKey;
            Object.assign(entity, { status: parked ? "failed" : "delivered", attempts: parked ? 8 : 1, lastError: parked ? "Graph said 503 eight times" : "" });
            if (parked) {
              failed++;
              const effectId = String(entity.rowKey).slice("outbox|".length);
              const failedAt = decision.event.at;
              indexRows.set(`failed:${id}`, ["upsert", { partitionKey: tenantId, rowKey: failedKey(failedAt, id, effectId), disputeId: id, effectId, kind: String(entity.kind), notice: "alert", to: "meganb@example.com", lastError: "Graph said 503 eight times", failedAt, attempts: 8, team: final.child.team }, "Replace"]);
            }
          }
          own.push(action);
        }
      });
      own.unshift(commitActions(tenantId, undefined, decisions[decisions.length - 1]!).dispute[0]!);
      disputeBatches.push(own);
      rows += own.length;

      // The tenant's index partition: list rows and manifest as the relay leaves them, and every due entry still ahead.
      for (const action of listRows(tenantId, undefined, final)) {
        // The dashboard's projection packs many disputes into one row: their cells merge.
        const key = String(action[1].rowKey);
        const earlier = indexRows.get(key);
        indexRows.set(key, earlier && isDashboardKey(key) ? ["upsert", { ...earlier[1], ...action[1] }, "Merge"] : action);
      }
      // Its cells in the month projection as its relay and each month's first report left them (this month: only if it changed in it).
      (indexRows.get(`of|${id}`)![1] as Record<string, unknown>).month = monthMark(final);
      const events = decisions.map((x) => x.event);
      monthRows.push(...monthCells(events, current).filter((c) => !c.key.startsWith(`month|${current}|`) || events.some((e) => monthAt(new Date(e.at)) === current)));
      for (const decision of decisions) {
        for (const action of dueRows(tenantId, decision.dispute)) {
          if (Date.parse(String(action[1].at)) > options.dueAfter.getTime()) indexRows.set(String(action[1].rowKey), action);
        }
      }
    }
    const index = [...indexRows.values()];
    rows += index.length;
    const indexBatches: TransactionAction[][] = [];
    for (let i = 0; i < index.length; i += 100) indexBatches.push(index.slice(i, i + 100));
    await inParallel(disputeBatches, 16, (batch) => submit(disputes, batch));
    await inParallel(indexBatches, 4, (batch) => indexes.submitTransaction(batch));
  }
  await writeMonthCells(indexes, tenantId, monthRows);
  await markCarried(indexes, tenantId, monthsBetween(monthAt(options.from), previousMonth(current)));
  rows += monthRows.length;
  return { disputes: options.disputes, open, failed, rows };
}
