/**
 * QA oversight over HTTP:
 * - GET /api/reports/monthly?month=YYYY-MM[&format=csv]: the monthly report as JSON or CSV (QA only).
 * - GET /api/reports/monthly/page?month=YYYY-MM: the same report as a simple page.
 * - GET /api/disputes/{id}/record[?format=pdf]: the dispute's record for the child's file, as
 *   HTML or as a PDF printed by headless Chromium (Debian's `chromium`; 501 where there is none).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { escapeHtml } from "../../shared/messages/notices";
import { monthlyReportCsv, monthlyReportHtml } from "../../shared/reports/monthlyReport";
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
    const month = monthOf(req);
    if (!month) return problem(400, MONTH_MESSAGE, "invalid");
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
    const { html, disputeId } = result.value;
    if (format === "html") return { status: 200, headers: PAGE_HEADERS, body: html };
    const printed = await printPdf(html, `Dispute ${disputeId}`);
    if (!printed.ok) return problem(printed.status, printed.message);
    return {
      status: 200,
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `inline; filename="dispute-${safeName(disputeId)}-record.pdf"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
      body: printed.pdf,
    };
  }),
});

// ——— printing: headless Chromium through playwright-core ———

const run = promisify(execFile);

/**
 * Debian's Chromium, found on the PATH as DESIGN.md says, or at RESOLVE_CHROMIUM where a server
 * keeps it elsewhere; undefined where it is not installed.
 */
async function findChromium(): Promise<string | undefined> {
  const configured = process.env.RESOLVE_CHROMIUM;
  if (configured) return existsSync(configured) ? configured : undefined;
  try {
    const { stdout } = await run("sh", ["-c", "command -v chromium"], { timeout: 5_000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Print a self-contained page to an A4 PDF: scripts off, offline, one browser per document. */
export async function printPdf(
  html: string,
  footerText: string,
): Promise<{ ok: true; pdf: Buffer } | { ok: false; status: 500 | 501; message: string }> {
  const executablePath = await findChromium();
  if (!executablePath) {
    return {
      ok: false,
      status: 501,
      message: "PDF is not available on this server: it is printed by headless Chromium, which is not installed here (Debian: apt-get install chromium). The HTML record (without format=pdf) prints from any browser.",
    };
  }
  const { chromium } = await import("playwright-core");
  let browser: import("playwright-core").Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load", timeout: 30_000 });
    const pdf = await page.pdf({
      format: "A4",
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: `<div style="font-family:Arial,sans-serif;font-size:8px;width:100%;text-align:center;color:#333">${escapeHtml(footerText)} · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`,
    });
    return { ok: true, pdf };
  } catch (e) {
    console.error(`record: printing failed: ${(e as Error).message.split("\n")[0]}`);
    return { ok: false, status: 500, message: "The PDF could not be printed; the HTML record (without format=pdf) prints from any browser." };
  } finally {
    await browser?.close().catch(() => undefined);
  }
}
