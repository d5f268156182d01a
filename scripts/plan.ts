/**
 * npm run plan -- --procedure <id|path.json> --received <ISO datetime> [--start-stage N]
 * Prints who gets a dispute and when if nobody answers.
 */
import { parseArgs } from "node:util";
import { isLocalDate } from "../shared/calendar/londonTime";
import { createWorkingCalendar } from "../shared/calendar/workingDays";
import { planEscalation } from "../shared/plan/planEscalation";
import { loadProcedure } from "../functions/adapters/procedureFiles";

const USAGE = "usage: npm run plan -- --procedure <id|path.json> --received <ISO datetime> [--start-stage N]";

function fail(message: string): never {
  process.stderr.write(`plan: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { procedure: { type: "string" }, received: { type: "string" }, "start-stage": { type: "string" } },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (!values.procedure) fail("--procedure is required");
  if (!values.received) fail("--received is required");
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(values.received) || Number.isNaN(Date.parse(values.received)) || !isLocalDate(values.received.slice(0, 10))) {
    fail(`--received must be an ISO date and time with its offset, e.g. 2026-12-21T10:00:00Z; got "${values.received}"`);
  }
  const loaded = await loadProcedure(values.procedure);
  if (!loaded.ok) fail(loaded.error);
  const procedure = loaded.value;
  const startStage = values["start-stage"] === undefined ? 1 : Number(values["start-stage"]);
  if (!Number.isInteger(startStage) || startStage < 1 || startStage > procedure.stages.length) {
    fail(`--start-stage must be a stage of ${procedure.id}, 1 to ${procedure.stages.length}; got "${values["start-stage"]}"`);
  }
  const plan = planEscalation(
    { procedure: procedure.id, stages: procedure.stages, capWorkingDays: procedure.capWorkingDays, receivedAt: new Date(values.received), startStage, firstResponseDays: procedure.firstResponseMaxDays },
    createWorkingCalendar(),
  );
  const out = {
    procedure: plan.procedure,
    receivedAt: plan.receivedAt,
    stages: plan.stages.map(({ stage, role, responseDays, receivedAt, dueAt, dueDate }) => ({ stage, role, responseDays, receivedAt, dueAt, dueDate })),
    capDate: plan.capDate,
    exceedsCapAtStage: plan.exceedsCapAtStage,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

await main();
