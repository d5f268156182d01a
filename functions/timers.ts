import { getApp } from "./compose";
import { registerTimer } from "./host/registry";
import { sweep } from "./usecases/sweep";

registerTimer({
  name: "sweep",
  schedule: "0 */5 * * * *",
  localEveryMs: 60_000,
  handler: async (_timer, context) => {
    const report = await sweep((await getApp()).services);
    if (report.due) context.log(`sweep: ${report.due} due, ${report.acted} acted, ${report.dropped} no longer standing`);
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
