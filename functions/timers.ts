import { getApp } from "./compose";
import { registerTimer } from "./host/registry";
import { sweep } from "./usecases/sweep";

registerTimer({
  name: "sweep",
  schedule: "0 */5 * * * *",
  localEveryMs: 60_000,
  handler: async (_timer, context) => {
    const app = await getApp();
    const report = await sweep(app.services);
    if (report.due) context.log(`sweep: ${report.due} due, ${report.acted} acted, ${report.dropped} no longer standing`);
    // The auditor runs after every sweep: what it repaired is logged here and shown on /api/health.
    const audit = await app.audit();
    if (audit.pendingWithoutMarker + audit.staleMarkers + audit.overdueTimers) context.log(`auditor: ${JSON.stringify(audit)}`);
  },
});

registerTimer({
  name: "relay",
  schedule: "0 * * * * *",
  localEveryMs: 15_000,
  handler: async (_timer, context) => {
    const report = await (await getApp()).relayAll();
    if (report.delivered + report.failed + report.retrying) context.log(`relay: ${JSON.stringify(report)}`);
  },
});
