/**
 * QA oversight over HTTP:
 * - GET /api/reports/monthly?month=YYYY-MM[&format=csv]: the monthly report as JSON or CSV (QA only).
 * - GET /api/reports/monthly/page[?month=YYYY-MM]: the same report as a simple page (this month without one).
 * - GET /api/disputes/{id}/record[?format=pdf]: the dispute's record for the child's file, as
 *   HTML or as an A4 PDF drawn without a browser (functions/adapters/recordPdf.ts).
 */
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { monthAt, monthlyReportCsv, monthlyReportHtml } from "../../shared/reports/monthlyReport";
import { recordHtml } from "../../shared/reports/recordHtml";
import { recordPdf } from "../adapters/recordPdf";
import { registerHttp } from "../host/registry";
import { MONTH_MESSAGE, childRecordFor, monthlyReportFor } from "../usecases/reports";
import { disputeIdOf, problem, rejected } from "./responses";
import { authenticated } from "./route";


/** Pages here run no script and load nothing; what they show is escaped besides. */
const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/** The `format` query parameter, one of `allowed` (the first is the default), or the 400 that says so. */
function formatOf<T extends string>(req: HttpRequest, allowed: readonly T[]): T | HttpResponseInit {
  const raw = req.query.get("format");
  if (raw === null || raw === "") return allowed[0]!;
  return (allowed as readonly string[]).includes(raw) ? (raw as T) : problem(400, `format: must be one of ${allowed.join(", ")}.`);
}

const monthOf = (req: HttpRequest) => (req.query.get("month") ?? "").trim();
const safeName = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_");

registerHttp({
  name: "monthlyReport",
  route: "reports/monthly",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app): Promise<HttpResponseInit> => {
    const format = formatOf(req, ["json", "csv"] as const);
    if (typeof format !== "string") return format;
    const month = monthOf(req);
    if (!month) return problem(400, MONTH_MESSAGE, "invalid");
    const result = await monthlyReportFor(app.services, caller.tenantId, month, caller.person);
    if (!result.ok) return rejected(result.error);
    if (format === "json") return { status: 200, headers: { "cache-control": "no-store" }, jsonBody: result.value.report };
    return {
      status: 200,
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="resolve-monthly-report-${safeName(month)}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
      body: monthlyReportCsv(result.value.report),
    };
  }),
});

registerHttp({
  name: "monthlyReportPage",
  route: "reports/monthly/page",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app): Promise<HttpResponseInit> => {
    // Opened without a month (a link, a bookmark): this month, London time.
    const month = monthOf(req) || monthAt(app.services.clock.now());
    const result = await monthlyReportFor(app.services, caller.tenantId, month, caller.person);
    if (!result.ok) return rejected(result.error);
    const html = monthlyReportHtml(result.value.report, { authority: result.value.authority, csvHref: `../monthly?month=${encodeURIComponent(month)}&format=csv` });
    return { status: 200, headers: PAGE_HEADERS, body: html };
  }),
});

registerHttp({
  name: "childRecord",
  route: "disputes/{id}/record",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app): Promise<HttpResponseInit> => {
    const format = formatOf(req, ["html", "pdf"] as const);
    if (typeof format !== "string") return format;
    const id = disputeIdOf(req);
    if (!id.ok) return id.response;
    const result = await childRecordFor(app.services, caller.tenantId, id.id, caller.person);
    if (!result.ok) return rejected(result.error);
    const { document, disputeId } = result.value;
    if (format === "html") return { status: 200, headers: PAGE_HEADERS, body: recordHtml(document) };
    const pdf = await recordPdf(document, app.services.clock.now());
    return {
      status: 200,
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `inline; filename="dispute-${safeName(disputeId)}-record.pdf"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
      body: pdf,
    };
  }),
});
