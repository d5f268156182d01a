import { TIMER_ACTION } from "../../shared/dispute/timers";
import { SYSTEM } from "../../shared/dispute/people";
import type { DueEntry } from "../ports";
import { runCommand } from "./runCommand";
import type { Services } from "./services";

/** Disputes whose due steps are taken at the same time. */
const WIDTH = 8;

export interface SweepReport {
  due: number;
  acted: number;
  /** Entries whose step no longer stands (the dispute moved on, or another sweep took it). */
  dropped: number;
  /** Of those, the ones the index already said were superseded: removed without reading the dispute. */
  skipped: number;
  /** How late, at most, this sweep acted on a due step (ms; 0 when nothing was due). */
  lagMs: number;
}

/**
 * Run every timer step that is due. Reads only the due index; an entry marked superseded (a
 * committed version of its dispute no longer has the step) is removed unread; for any other, the
 * dispute is re-read and the step taken only while the entry's token still stands, so overlapping
 * or repeated sweeps act once. A dispute's steps are taken in order; different disputes', a few at
 * a time.
 */
export async function sweep(services: Services, batch = 200): Promise<SweepReport> {
  const report: SweepReport = { due: 0, acted: 0, dropped: 0, skipped: 0, lagMs: 0 };
  const now = services.clock.now();
  for (const tenant of await services.directory.tenants()) {
    const byDispute = new Map<string, DueEntry[]>();
    for (const entry of await services.store.due(tenant.id, now, batch)) byDispute.set(entry.disputeId, [...(byDispute.get(entry.disputeId) ?? []), entry]);
    const queue = [...byDispute.values()];
    const step = async (entry: DueEntry) => {
      report.due++;
      report.lagMs = Math.max(report.lagMs, now.getTime() - Date.parse(entry.at));
      if (entry.superseded) {
        report.dropped++;
        report.skipped++;
        await services.store.removeDue(entry);
        return;
      }
      const action = TIMER_ACTION[entry.kind as keyof typeof TIMER_ACTION];
      const result = action
        ? await runCommand(services, { tenantId: tenant.id, disputeId: entry.disputeId, command: { action, token: entry.token }, actor: SYSTEM, source: "system" })
        : undefined;
      if (result && !result.ok && result.error.code === "busy") return; // the next sweep tries again
      if (result?.ok) report.acted++;
      else report.dropped++;
      await services.store.removeDue(entry);
    };
    await Promise.all(
      Array.from({ length: Math.min(WIDTH, queue.length) }, async () => {
        for (let entries = queue.shift(); entries; entries = queue.shift()) for (const entry of entries) await step(entry);
      }),
    );
  }
  return report;
}
