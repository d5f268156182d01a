/**
 * Resolve's own metrics, through the OpenTelemetry API: with Application Insights configured
 * (functions/telemetry/start.ts) they reach Azure Monitor; otherwise every call is a no-op.
 * Attributes are ids and outcomes only, never case content. The alert rules in
 * infra/monitoring/alerts.bicep query these names (test/unit/infra.test.ts checks they agree).
 */
import { type Counter, type Histogram, type MeterProvider, metrics } from "@opentelemetry/api";
import type { Decision } from "../../shared/dispute/lifecycle";

export const METRIC = {
  disputesRaised: "resolve.disputes.raised",
  disputesEscalated: "resolve.disputes.escalated",
  /** One count per delivery attempt's outcome: `outcome` is delivered, retrying or failed. */
  deliveries: "resolve.deliveries",
  /** Seconds between a timer step falling due and the sweep acting on it; one value per sweep (0 when nothing was due). */
  sweepLag: "resolve.sweep.lag",
  auditorRepairs: "resolve.auditor.repairs",
} as const;

interface Instruments {
  raised: Counter;
  escalated: Counter;
  deliveries: Counter;
  sweepLag: Histogram;
  repairs: Counter;
}

// A meter taken before the SDK registers stays a no-op: instruments follow the current provider.
let cache: { provider: MeterProvider; instruments: Instruments } | undefined;

function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cache?.provider !== provider) {
    const meter = provider.getMeter("resolve");
    cache = {
      provider,
      instruments: {
        raised: meter.createCounter(METRIC.disputesRaised, { description: "Disputes raised" }),
        escalated: meter.createCounter(METRIC.disputesEscalated, { description: "Disputes escalated, by a person or by the procedure" }),
        deliveries: meter.createCounter(METRIC.deliveries, { description: "Outbox delivery outcomes" }),
        sweepLag: meter.createHistogram(METRIC.sweepLag, { description: "How late the sweep acted on due timer steps", unit: "s" }),
        repairs: meter.createCounter(METRIC.auditorRepairs, { description: "Stranded or overdue work the auditor re-kicked" }),
      },
    };
  }
  return cache.instruments;
}

/** After a committed change: counts raises and escalations (the latter manual or automatic). */
export function recordCommitted(tenantId: string, decision: Decision): void {
  const { action, detail } = decision.event;
  if (action === "raise" || action === "raise-exception") instruments().raised.add(1, { tenant: tenantId });
  if (action === "escalate" || (action === "deadline-passed" && detail.automatic === true)) instruments().escalated.add(1, { tenant: tenantId });
}

export function recordDeliveries(report: { delivered: number; retrying: number; failed: number }): void {
  for (const outcome of ["delivered", "retrying", "failed"] as const) if (report[outcome]) instruments().deliveries.add(report[outcome], { outcome });
}

export function recordSweep(lagMs: number): void {
  instruments().sweepLag.record(Math.max(0, lagMs) / 1000);
}

export function recordAuditorRepairs(count: number): void {
  if (count) instruments().repairs.add(count);
}
