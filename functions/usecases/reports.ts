import type { Rejection } from "../../shared/dispute/lifecycle";
import { noticeLabels } from "../../shared/messages/notices";
import { type ChildRecordDocument, type ChildRecordLabels, childRecordDocument } from "../../shared/reports/childRecord";
import { type MonthlyReport, REPORT_FORMAT, isMonth, monthPeriod, monthlyReport } from "../../shared/reports/monthlyReport";
import { type Result, err, ok } from "../../shared/result";
import type { DirectoryPerson } from "../ports";
import { mayRead, noPart } from "./queries";
import type { Services } from "./services";

const DAY_MS = 86_400_000;

export const MONTH_MESSAGE = "month: must be a month written YYYY-MM, e.g. 2026-12";

/**
 * The QA service's monthly report (Lambeth 6, Blackburn 15, Redbridge 5): QA only. It reads the
 * events of the disputes active in the month and the month before (the month projection,
 * monthEvents.ts), never the authority's whole history. A past month always comes out the same:
 * once computed it is kept, and read back at the cost of one request.
 */
export async function monthlyReportFor(
  services: Services,
  tenantId: string,
  month: string,
  person: DirectoryPerson,
): Promise<Result<{ report: MonthlyReport; authority: string }, Rejection>> {
  if (!person.capabilities.includes("qa")) return err({ code: "forbidden", message: "Only the QA service sees the monthly report." });
  if (!isMonth(month)) return err({ code: "invalid", message: MONTH_MESSAGE });
  const runtime = await services.runtime(tenantId);
  if (!runtime) return err({ code: "not-found", message: `No authority ${tenantId}.` });
  const period = monthPeriod(month);
  const teams = await services.directory.teams(tenantId);
  // A month that ended over a day ago is done: no commit still in flight can add to it.
  const past = services.clock.now().getTime() >= period.end.getTime() + DAY_MS;
  const basis = JSON.stringify({ format: REPORT_FORMAT, procedure: runtime.procedure.id, calendar: runtime.config.calendar, teams });
  const cached = past ? await services.reportCache.get(tenantId, month, basis) : undefined;
  if (cached) return ok({ report: cached, authority: runtime.config.displayName });
  // Good-practice records are not dispute events: the month's records, counted beside them.
  const [monthEvents, positiveFeedback] = await Promise.all([services.monthEvents.read(tenantId, month, services.clock.now()), services.feedback.list(tenantId, { from: period.start, to: period.end })]);
  // A month that ended before the month projection was kept: every event, once (the result is kept below).
  const events = monthEvents ?? (await services.store.allEvents(tenantId));
  const report = monthlyReport({
    month,
    events,
    calendar: runtime.calendar,
    labels: runtime.procedure,
    teams,
    positiveFeedback,
  });
  if (past) await services.reportCache.put(tenantId, month, basis, report);
  return ok({ report, authority: runtime.config.displayName });
}

/** The printable record of one dispute for the child's file: for those who may read the dispute. */
export async function childRecordFor(
  services: Services,
  tenantId: string,
  disputeId: string,
  person: DirectoryPerson,
): Promise<Result<{ document: ChildRecordDocument; disputeId: string; childReference: string }, Rejection>> {
  const stored = await services.store.load(tenantId, disputeId);
  if (!stored) return err({ code: "not-found", message: `No dispute ${disputeId}.` });
  const d = stored.dispute;
  if (!(await mayRead(services, d, person))) return err(noPart(disputeId));
  const [history, runtime, teams] = await Promise.all([services.store.events(tenantId, disputeId), services.runtime(tenantId), services.directory.teams(tenantId)]);
  // The dispute follows the ladder it was raised under; the current procedure gives the words when it is the same one.
  const procedure = runtime && runtime.procedure.id === d.ladder.procedureId ? runtime.procedure : undefined;
  const teamName = teams.find((t) => t.id === d.child.team)?.displayName;
  const labels: ChildRecordLabels = { ...(procedure ? noticeLabels(procedure, d) : {}), ...(teamName ? { team: teamName } : {}) };
  if (procedure && d.exception) {
    const kind = procedure.exceptions.kinds.find((k) => k.id === d.exception!.kind);
    if (kind) labels.exception = kind.label;
  }
  const document = childRecordDocument({
    dispute: d,
    history,
    labels,
    // The authority by its directory's name, as the monthly report names it; the procedure by its title.
    ...(runtime ? { authority: runtime.config.displayName } : {}),
    procedureTitle: procedure ? procedure.title : d.ladder.procedureId,
    generatedAt: services.clock.now(),
  });
  return ok({ document, disputeId: d.id, childReference: d.child.reference });
}
