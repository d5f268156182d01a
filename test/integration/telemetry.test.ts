/**
 * Resolve's metrics as an OpenTelemetry SDK collects them (the Azure Monitor distro registers the
 * same kind of meter provider in Azure): a raise and an escalation over real HTTP, a delivery
 * through the relay, and a sweep. Attributes are ids and outcomes only: nothing of the case.
 */
import { metrics } from "@opentelemetry/api";
import { AggregationTemporality, type CollectionResult, MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import azureFunctions from "@azure/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../../functions/index";
import { getApp } from "../../functions/compose";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { timerJobs } from "../../functions/host/registry";
import { METRIC } from "../../functions/telemetry/metrics";
import { type RunningAzurite, startAzurite } from "../../scripts/azurite";
import { useLocalMode } from "../fixtures/localMode";

const tenant = useLocalMode("telemetry");
// An Azurite of its own: the timers run for every authority in their storage, and here that is only this one.
let azurite: RunningAzurite;

/** Collects on demand, as an exporter's reader would on its interval. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const reader = new CollectingReader();
const provider = new MeterProvider({ readers: [reader] });
let host: LocalHost;
const CANARY = { reference: "TEL-987654", initials: "Q.Z.", concerns: "Canary concerns that must never leave the service." };
const headers = (upn: string) => ({ "x-resolve-dev-user": upn, "content-type": "application/json" });

/** Every data point of a metric: its attributes and value (a sum, or a histogram's count). */
function points(result: CollectionResult, name: string): { attributes: Record<string, unknown>; value: number }[] {
  return result.resourceMetrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .filter((m) => m.descriptor.name === name)
    .flatMap((m) => m.dataPoints.map((p) => ({ attributes: p.attributes, value: typeof p.value === "number" ? p.value : (p.value as { count: number }).count })));
}

beforeAll(async () => {
  azurite = await startAzurite();
  process.env.RESOLVE_TABLES_CONNECTION = azurite.connectionString;
  metrics.setGlobalMeterProvider(provider);
  host = await startLocalHost({ port: 0 });
});

afterAll(async () => {
  await host?.stop();
  metrics.disable();
  await provider.shutdown();
  await azurite?.stop();
});

describe("metrics", () => {
  it("counts a raise and an escalation, delivery outcomes and the sweep, with ids only", async () => {
    const app = await getApp();
    app.setClock(new Date("2026-12-21T10:00:00Z"));
    const raised = await fetch(`${host.url}/api/disputes`, {
      method: "POST",
      headers: headers("alexw@example.com"),
      body: JSON.stringify({
        child: { reference: CANARY.reference, initials: CANARY.initials, legalStatus: "looked-after", team: "demo-team" },
        category: "statutory-responsibilities",
        reason: "no allocated social worker",
        concerns: CANARY.concerns,
        outcomesSought: "A social worker.",
        startStage: 1,
      }),
    });
    const dispute = await raised.json();
    expect(raised.status, JSON.stringify(dispute)).toBe(201);
    const escalated = await fetch(`${host.url}/api/disputes/${dispute.id}/actions`, { method: "POST", headers: headers("alexw@example.com"), body: JSON.stringify({ action: "escalate", rationale: "No answer and the child waits." }) });
    expect(escalated.status).toBe(200);
    // Past the escalated stage's deadline (Tuesday 29 December, 17:00), so the sweep has this dispute's steps to act on.
    app.setClock(new Date("2026-12-29T18:00:00Z"));
    const said: string[] = [];
    const context = () => new azureFunctions.InvocationContext({ functionName: "timer", logHandler: (_level, ...args) => said.push(args.join(" ")) });
    const timer = { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: "", next: "", lastUpdated: "" } };
    for (const name of ["relay", "sweep"]) await timerJobs.find((j) => j.name === name)!.handler(timer, context());
    // The timers' log lines are figures and outcomes, never a name or a reference.
    for (const line of said) expect(line).toMatch(/^(sweep|relay|auditor): /);
    for (const secret of Object.values(CANARY)) expect(said.join("\n")).not.toContain(secret);

    // A relay the raise or the escalation kicked may still be delivering (the timer's relay then
    // finds its entries claimed): its outcomes are counted when it finishes.
    let result = { resourceMetrics: (await reader.collect()).resourceMetrics, errors: [] } as CollectionResult;
    for (const until = Date.now() + 10_000; !points(result, METRIC.deliveries).some((p) => p.attributes.outcome === "delivered") && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 50));
      result = { resourceMetrics: (await reader.collect()).resourceMetrics, errors: [] } as CollectionResult;
    }
    const { resourceMetrics } = result;
    expect(points(result, METRIC.disputesRaised)).toEqual([{ attributes: { tenant }, value: 1 }]);
    expect(points(result, METRIC.disputesEscalated)).toEqual([{ attributes: { tenant }, value: 1 }]);
    const delivered = points(result, METRIC.deliveries).find((p) => p.attributes.outcome === "delivered");
    expect(delivered?.value).toBeGreaterThan(0);
    expect(points(result, METRIC.sweepLag)[0]?.value).toBeGreaterThanOrEqual(1);
    const everything = JSON.stringify(resourceMetrics);
    for (const secret of Object.values(CANARY)) expect(everything).not.toContain(secret);
    expect(everything).not.toContain(dispute.id);
  }, 60_000);
});
