import { getApp } from "./compose";
import { registerTimer } from "./host/registry";
import { recordAuditorRepairs, recordDeliveries, recordSweep } from "./telemetry/metrics";
import { sweep } from "./usecases/sweep";

/** The sweep's heartbeat name: the readiness check and the alert rule watch it. */
export const SWEEP_HEARTBEAT = "sweep";

registerTimer({
  name: "sweep",
  schedule: "0 */5 * * * *",
  localEveryMs: 60_000,
  handler: async (_timer, context) => {
    const app = await getApp();
    const report = await sweep(app.services);
    recordSweep(report.lagMs);
    await app.heartbeats.beat(SWEEP_HEARTBEAT, app.services.clock.now());
    if (report.due) context.log(`sweep: ${report.due} due, ${report.acted} acted, ${report.dropped} no longer standing`);
    // The auditor runs after every sweep: what it repaired is logged here and shown on /api/health.
    const audit = await app.audit();
    recordAuditorRepairs(audit.pendingWithoutMarker + audit.staleMarkers + audit.overdueTimers);
    if (audit.pendingWithoutMarker + audit.staleMarkers + audit.overdueTimers) context.log(`auditor: ${JSON.stringify(audit)}`);
  },
});

registerTimer({
  name: "relay",
  schedule: "0 * * * * *",
  localEveryMs: 15_000,
  handler: async (_timer, context) => {
    const report = await (await getApp()).relayAll();
    recordDeliveries(report);
    if (report.delivered + report.failed + report.retrying) context.log(`relay: ${JSON.stringify(report)}`);
  },
});
