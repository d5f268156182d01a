/**
 * The monthly report in the tab, for the QA service: a month picker (this month to begin with), the
 * month's figures as the report page shows them, and the CSV to download. The server decides who
 * may see it (GET /api/reports/monthly); the page only asks.
 */
import { monthAt, monthLabel, reportTables } from "../shared/reports/monthlyReport";
import type { Api } from "./api";
import { fill, h, tableBox } from "./dom";

export interface ReportViewOptions {
  api: Api;
  month?: string;
  onMonth(month: string): void;
}

export async function renderMonthlyReport(panel: HTMLElement, options: ReportViewOptions): Promise<void> {
  const month = options.month ?? monthAt(options.api.now());
  const picker = h(
    "form",
    { className: "filters", id: "report-month-form", onsubmit: (e: Event) => { e.preventDefault(); options.onMonth(((e.target as HTMLFormElement).elements.namedItem("month") as HTMLInputElement).value); } },
    h("label", { className: "filter", for: "report-month" }, h("span", {}, "Month"), h("input", { id: "report-month", name: "month", type: "month", value: month, required: true })),
    h("button", { type: "submit", className: "primary" }, "Show"),
  );
  fill(panel, h("h2", { id: "report-title" }, `Monthly report, ${monthLabel(month)}`), picker, h("p", { className: "muted" }, "Loading…"));
  const r = await options.api.report(month);
  if (!r.ok) {
    fill(panel, h("h2", { id: "report-title" }, `Monthly report, ${monthLabel(month)}`), picker, h("div", { className: "notice attention", role: "alert" }, r.message));
    return;
  }
  const csv = h("button", { type: "button", id: "report-csv", className: "link", onclick: () => void download(options.api, month) }, `Download the CSV for ${monthLabel(month)}`);
  const tables = reportTables(r.value).map((t) =>
    h(
      "section",
      { className: "report-table" },
      h("h3", {}, t.title),
      t.rows.length
        ? h(
            "div",
            tableBox(t.title),
            h(
            "table",
            { className: "data" },
            h("thead", {}, h("tr", {}, t.header.map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, t.rows.map((row) => h("tr", {}, row.map((v) => h("td", { className: typeof v === "number" ? "n" : "" }, v === null ? "–" : String(v)))))),
            ),
          )
        : h("p", { className: "muted" }, "None this month."),
    ),
  );
  fill(panel, h("h2", { id: "report-title" }, `Monthly report, ${monthLabel(month)}`), picker, csv, ...tables);
}

/** The CSV is fetched with the caller's identity, then saved as a file. */
async function download(api: Api, month: string): Promise<void> {
  const r = await api.reportCsv(month);
  if (!r.ok) return;
  const a = h("a", { href: URL.createObjectURL(new Blob([r.value], { type: "text/csv" })), download: `resolve-monthly-report-${month}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
}
