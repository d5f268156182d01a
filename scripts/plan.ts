/**
 * npm run plan -- --procedure <id|path.json> --received <ISO datetime> [--start-stage N]
 *   [--review-date YYYY-MM-DD] [--closure-days YYYY-MM-DD,...] [--vacant role,...]
 * Prints who gets a dispute and when if nobody answers.
 */
import { parseArgs } from "node:util";
import { isLocalDate } from "../shared/calendar/londonTime";
import { createWorkingCalendar } from "../shared/calendar/workingDays";
import { planEscalation } from "../shared/plan/planEscalation";
import { loadProcedure } from "../functions/adapters/procedureFiles";

const USAGE =
  "usage: npm run plan -- --procedure <id|path.json> --received <ISO datetime> [--start-stage N] [--review-date YYYY-MM-DD] [--closure-days YYYY-MM-DD,...] [--vacant role,...]";

function fail(message: string): never {
  process.stderr.write(`plan: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const list = (value: string | undefined) => (value === undefined ? [] : value.split(",").map((x) => x.trim()).filter(Boolean));

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        procedure: { type: "string" },
        received: { type: "string" },
        "start-stage": { type: "string" },
        "review-date": { type: "string" },
        "closure-days": { type: "string" },
        vacant: { type: "string" },
      },
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
  const closureDays = list(values["closure-days"]);
  const badDay = closureDays.find((d) => !isLocalDate(d));
  if (badDay !== undefined) fail(`--closure-days must be dates written YYYY-MM-DD, separated by commas; got "${badDay}"`);
  const reviewDate = values["review-date"];
  if (reviewDate !== undefined && !isLocalDate(reviewDate)) fail(`--review-date must be a date written YYYY-MM-DD; got "${reviewDate}"`);

  const loaded = await loadProcedure(values.procedure);
  if (!loaded.ok) fail(loaded.error);
  const procedure = loaded.value;
  const informal = procedure.informal.enabled;
  const startStage = values["start-stage"] === undefined ? 1 : Number(values["start-stage"]);
  const lowest = informal ? 0 : 1;
  if (!Number.isInteger(startStage) || startStage < lowest || startStage > procedure.stages.length) {
    fail(`--start-stage must be a stage of ${procedure.id}, 1 to ${procedure.stages.length}; got "${values["start-stage"]}"${informal ? " (0 plans its informal stage)" : ""}`);
  }
  const fromReview = startStage === 0 && procedure.informal.from === "review";
  if (fromReview && !reviewDate) fail(`--review-date is required: ${procedure.id} counts the informal stage from the review`);
  if (reviewDate && !fromReview) fail(`--review-date is used only with --start-stage 0 where the procedure counts the informal stage from the review, as ${procedure.id} does not here`);

  const plan = planEscalation(
    {
      procedure: procedure.id,
      stages: procedure.stages,
      capWorkingDays: procedure.capWorkingDays,
      receivedAt: new Date(values.received),
      startStage,
      firstResponseDays: procedure.firstResponseMaxDays,
      informal: procedure.informal,
      ...(reviewDate ? { reviewDate } : {}),
      vacant: list(values.vacant),
    },
    createWorkingCalendar({ closureDays }),
  );
  const out = {
    procedure: plan.procedure,
    receivedAt: plan.receivedAt,
    // A stage with no timescale has null days and dates, and says so; the stages after it are undated.
    stages: plan.stages.map(({ stage, role, responseDays, receivedAt, dueAt, dueDate, skipped, noTimescale }) =>
      skipped ? { stage, role, skipped } : { stage, role, responseDays, receivedAt, dueAt, dueDate, ...(noTimescale ? { noTimescale } : {}) },
    ),
    capDate: plan.capDate,
    exceedsCapAtStage: plan.exceedsCapAtStage,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

await main();
