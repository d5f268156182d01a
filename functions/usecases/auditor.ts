import { type RelayDeps, type RelayReport, relayDispute } from "./relay";
import type { Services } from "./services";
import { sweep } from "./sweep";

/** What one run of the auditor found out of place, and put right. */
export interface AuditorReport {
  /** When it ran (the service's clock). */
  at: string;
  /**
   * Outbox entries pending past their next attempt whose dispute had no work marker: a marker is
   * written. Found by the deep scan only (every dispute's outbox), at most once a day.
   */
  pendingWithoutMarker: number;
  /** Work markers due more than one sweep period ago: nobody holds them, so they are relayed now. */
  staleMarkers: number;
  /** Outbox entries pending past their next attempt (with or without a marker), by the deep scan. */
  overdueEntries: number;
  /** When the deep scan last ran (this run, or the one it carries forward). */
  deepScanAt?: string;
  /** Timer steps due more than one sweep period ago: the sweep is run for them. */
  overdueTimers: number;
  /** What the relay did for the markers it re-kicked. */
  relayed: RelayReport;
}

/** Where the auditor's last run is kept, for GET /api/health. */
export interface Heartbeat {
  record(report: AuditorReport): Promise<void>;
  last(): Promise<AuditorReport | undefined>;
}

export interface AuditorDeps extends RelayDeps {
  heartbeat: Heartbeat;
  /** How often the sweep timer runs it: anything older than this has been missed. */
  periodMs: number;
}

/** How many overdue entries one run looks at per authority. */
const SCAN_LIMIT = 1000;

/**
 * How often the auditor reads every dispute's outbox for entries left without a marker. A marker is
 * written before every commit and cleared only when nothing waits, so none should be; the scan
 * grows with the authority, so it is a daily safety net, not part of every sweep.
 */
export const DEEP_SCAN_EVERY_MS = 24 * 3_600_000;

/**
 * The auditor, run by the sweep timer: nothing may be left pending forever. Every run reads the
 * work markers and the due index (key ranges: what waits, never every dispute) and re-kicks markers
 * no relay has taken up within a sweep period and timers overdue beyond one; once a day it also
 * reads every dispute's outbox for entries pending past their next attempt without a marker, and
 * gives them one. It records what it found and repaired, and leaves a heartbeat for GET /api/health.
 */
export async function runAuditor(deps: AuditorDeps): Promise<AuditorReport> {
  const { services, outbox } = deps;
  const now = services.clock.now();
  const missed = new Date(now.getTime() - deps.periodMs);
  const lastDeep = (await deps.heartbeat.last())?.deepScanAt;
  const deep = !lastDeep || now.getTime() - Date.parse(lastDeep) >= DEEP_SCAN_EVERY_MS;
  const report: AuditorReport = {
    at: now.toISOString(),
    pendingWithoutMarker: 0,
    staleMarkers: 0,
    overdueEntries: 0,
    overdueTimers: 0,
    relayed: { delivered: 0, retrying: 0, failed: 0, dropped: 0 },
    ...(deep ? { deepScanAt: now.toISOString() } : lastDeep ? { deepScanAt: lastDeep } : {}),
  };
  for (const tenant of await services.directory.tenants()) {
    const overdue = deep ? await outbox.overdue(tenant.id, now, SCAN_LIMIT) : [];
    report.overdueEntries += overdue.length;
    for (const disputeId of new Set(overdue.map((e) => e.disputeId))) {
      if (await outbox.marker(tenant.id, disputeId)) continue;
      await outbox.markWork(tenant.id, disputeId);
      report.pendingWithoutMarker++;
    }
    for (const marker of await outbox.work(tenant.id)) {
      if ((marker.dueAt || marker.writtenAt || "") > missed.toISOString()) continue;
      report.staleMarkers++;
      await relayDispute(deps, marker, report.relayed);
    }
    report.overdueTimers += (await services.store.due(tenant.id, missed, SCAN_LIMIT)).length;
  }
  if (report.overdueTimers) await sweep(services);
  await deps.heartbeat.record(report);
  return report;
}

/** The auditor as the health check shows it: anyone sees whether it runs; QA sees what it found. */
export async function auditorHealth(heartbeat: Heartbeat, services: Pick<Services, "clock">, periodMs: number, forQa: boolean) {
  const last = await heartbeat.last();
  if (!last) return { status: "not run yet" as const };
  const late = services.clock.now().getTime() - new Date(last.at).getTime() > 2 * periodMs;
  const { at, ...found } = last;
  return { status: late ? ("late" as const) : ("ok" as const), lastRunAt: at, ...(forQa ? { found } : {}) };
}
