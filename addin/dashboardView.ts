/**
 * The dashboard in the tab, for QA and managers: figures first, charts where a glance says more
 * than a table (Chart.js on canvas, bundled here and loaded only when the dashboard is opened),
 * then the tables the charts are drawn from, each row opening the dispute. The server decides what
 * this person may see (GET /api/dashboard); the filters only narrow it.
 */
import { ArcElement, BarController, BarElement, CategoryScale, Chart, type ChartConfiguration, DoughnutController, Legend, LinearScale, Tooltip } from "chart.js";
import { formatWhen, words } from "../shared/cards/text";
import { isFeedbackId } from "../shared/feedback/positiveFeedback";
import { DASHBOARD_PAGE, type DashboardList, type DashboardRow } from "../shared/reports/dashboard";
import type { Api, Dashboard, DashboardFilters } from "./api";
import { fill, h, tableBox } from "./dom";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Legend, Tooltip);

/** Stage colours, from the informal stage up the ladder: Fluent's palette, distinct in greyscale too. */
const STAGE_COLOURS = ["#8A8886", "#5B5FC7", "#0F6CBD", "#038387", "#C19C00", "#CA5010", "#C4314B", "#8764B8"];
const DEADLINE_COLOURS = { overdue: "#C4314B", dueThisWeek: "#C19C00", dueLater: "#0F6CBD", awaitingDecision: "#8764B8", onHold: "#A19F9D" };

export interface DashboardViewOptions {
  api: Api;
  filters: DashboardFilters;
  onFilters(filters: DashboardFilters): void;
  onOpen(disputeId: string): void;
}

/** Charts drawn into the page, destroyed before the next render. */
const drawn: Chart[] = [];

function tile(id: string, label: string, value: number, tone: "default" | "bad" | "warn" = "default", note?: string): HTMLElement {
  return h("div", { className: `tile tone-${tone}`, id: `tile-${id}`, "data-value": String(value) }, h("div", { className: "tile-value" }, String(value)), h("div", { className: "tile-label" }, label), note ? h("div", { className: "tile-note" }, note) : null);
}

function select(id: string, label: string, choices: { id: string; label: string }[], current: string | null, onChange: (value: string) => void): HTMLElement {
  return h(
    "label",
    { className: "filter" },
    h("span", {}, label),
    h(
      "select",
      { id, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
      h("option", { value: "" }, "All"),
      choices.map((c) => h("option", { value: c.id, selected: c.id === current }, c.label)),
    ),
  );
}

function chartBox(id: string, title: string, summary: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
  // The canvas says what it shows to a screen reader; the tables below carry every number.
  const canvas = h("canvas", { id, role: "img", "aria-label": `${title}: ${summary}` });
  return { box: h("figure", { className: "chart" }, h("figcaption", {}, title), h("div", { className: "chart-area" }, canvas)), canvas };
}

function flags(r: DashboardRow): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (r.overdue) out.push(h("span", { className: "flag bad" }, "Overdue"));
  else if (r.dueThisWeek) out.push(h("span", { className: "flag warn" }, "Due this week"));
  if (r.capPassed) out.push(h("span", { className: "flag bad" }, "Cap passed"));
  else if (r.capAtRisk) out.push(h("span", { className: "flag warn" }, `Cap in ${r.capWorkingDaysLeft} wd`));
  return out;
}

function disputeRow(r: DashboardRow, onOpen: (id: string) => void): HTMLElement {
  return h(
    "tr",
    { className: `open-row${r.overdue || r.capPassed ? " tone-bad" : r.capAtRisk || r.dueThisWeek ? " tone-warn" : ""}`, "data-id": r.id, onclick: () => onOpen(r.id) },
    h("td", {}, h("button", { type: "button", className: "link dashboard-open", "data-id": r.id, onclick: (e: Event) => { e.stopPropagation(); onOpen(r.id); } }, r.id)),
    h("td", {}, `${r.childReference} · ${r.childInitials}`),
    h("td", {}, r.teamLabel),
    h("td", {}, r.stageLabel),
    h("td", {}, r.state === "awaiting-decision" ? `${r.raisedBy.displayName} (decide)` : r.state === "on-hold" ? "On hold" : r.assignee.displayName),
    h("td", {}, r.dueAt ? formatWhen(r.dueAt) : "–"),
    h("td", {}, r.capDueAt ? formatWhen(r.capDueAt) : "–"),
    h("td", {}, r.categoryLabel),
    h("td", {}, flags(r)),
  );
}

const LIST_TITLES: Record<DashboardList, string> = { open: "Open disputes", overdue: "Overdue", "due-this-week": "Due this week", "cap-at-risk": "20-day cap at risk" };

/**
 * The list behind a figure, a page at a time (the server sends 25): "More" appends the next page.
 * Choosing another figure's list replaces it.
 */
function disputeList(d: Dashboard, options: DashboardViewOptions): HTMLElement {
  const section = h("section", { id: "dashboard-list", "data-list": d.list.name, "aria-labelledby": "dashboard-list-title" });
  const heading = h("h2", { id: "dashboard-list-title" }, `${LIST_TITLES[d.list.name]} (${d.list.total})`);
  if (!d.disputes.length) {
    fill(section, heading, h("p", { className: "muted", id: "dashboard-empty" }, "No open disputes match."));
    return section;
  }
  const body = h("tbody", {}, d.disputes.map((r) => disputeRow(r, options.onOpen)));
  const status = h("p", { className: "muted", role: "status", id: "dashboard-more-status" });
  let next = d.list.next;
  const more = h("button", { type: "button", id: "dashboard-more", hidden: !next }, "More");
  more.onclick = async () => {
    if (!next) return;
    more.disabled = true;
    const r = await options.api.dashboard(options.filters, { list: d.list.name, cursor: next });
    more.disabled = false;
    if (!r.ok) {
      status.textContent = r.message;
      return;
    }
    for (const row of r.value.disputes) body.append(disputeRow(row, options.onOpen));
    next = r.value.list.next;
    more.hidden = !next;
    status.textContent = `Showing ${body.children.length} of ${r.value.list.total}.`;
  };
  fill(
    section,
    heading,
    h(
      "div",
      tableBox(LIST_TITLES[d.list.name]),
      h("table", { className: "data", id: "dashboard-disputes" }, h("thead", {}, h("tr", {}, ["Dispute", "Child", "Team", "Stage", "With", "Due", "20-day cap", "Category", ""].map((c) => h("th", { scope: "col" }, c)))), body),
    ),
    more,
    status,
  );
  return section;
}

function teamTable(d: Dashboard): HTMLElement {
  return h(
    "div",
    tableBox("By team and stage"),
    h(
      "table",
      { className: "data", id: "dashboard-teams" },
      h("thead", {}, h("tr", {}, [h("th", { scope: "col" }, "Team"), ...d.stages.map((s) => h("th", { scope: "col", className: "n" }, s.label)), ...["Open", "Overdue", "Due this week", "Cap at risk"].map((c) => h("th", { scope: "col", className: "n" }, c))])),
      h(
        "tbody",
        {},
        d.byTeam.map((t) =>
          h(
            "tr",
            { "data-team": t.team },
            h("th", { scope: "row" }, t.label),
            d.stages.map((s) => h("td", { className: "n" }, String(t.byStage[s.stage] ?? 0))),
            h("td", { className: "n" }, String(t.open)),
            h("td", { className: "n" }, String(t.overdue)),
            h("td", { className: "n" }, String(t.dueThisWeek)),
            h("td", { className: "n" }, String(t.capAtRisk)),
          ),
        ),
      ),
    ),
  );
}

function failedTable(d: Dashboard, onOpen: (id: string) => void): HTMLElement {
  if (!d.failedDeliveries.length) return h("p", { className: "muted", id: "failed-none" }, "Every notice was delivered.");
  return h(
    "div",
    tableBox("Failed deliveries"),
    h(
      "table",
      { className: "data", id: "dashboard-failed" },
      h("thead", {}, h("tr", {}, ["About", "Notice", "To", "Why", "Gave up", "Tries"].map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        d.failedDeliveries.map((x) =>
          h(
            "tr",
            { "data-id": x.disputeId },
            // Good-practice records (G-…) have no dispute view.
            h("td", {}, isFeedbackId(x.disputeId) ? x.disputeId : h("button", { type: "button", className: "link dashboard-open", "data-id": x.disputeId, onclick: () => onOpen(x.disputeId) }, x.disputeId)),
            h("td", {}, words(x.notice || x.kind)),
            h("td", {}, x.to),
            h("td", { className: "user-text" }, x.lastError),
            h("td", {}, x.failedAt ? formatWhen(x.failedAt) : "–"),
            h("td", { className: "n" }, String(x.attempts)),
          ),
        ),
      ),
    ),
  );
}

function draw(canvas: HTMLCanvasElement, config: ChartConfiguration): void {
  drawn.push(new Chart(canvas, config));
}

/** Render the dashboard into `container`; resolves once it is drawn (or the reason it could not be). */
export async function renderDashboard(container: HTMLElement, options: DashboardViewOptions): Promise<void> {
  for (const c of drawn.splice(0)) c.destroy();
  fill(container, h("p", { className: "muted" }, "Loading the dashboard…"));
  const r = await options.api.dashboard(options.filters);
  if (!r.ok) {
    fill(container, h("div", { className: "notice attention", role: "alert", id: "dashboard-error" }, r.message));
    return;
  }
  const d = r.value;
  const dark = document.body.classList.contains("theme-dark") || document.body.classList.contains("theme-contrast");
  Chart.defaults.color = dark ? "#D6D6D6" : "#424242";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;

  const set = (key: keyof DashboardFilters) => (value: string) => options.onFilters({ ...options.filters, [key]: value || undefined });
  const filters = h(
    "div",
    { className: "filters", role: "group", "aria-label": "Filters" },
    select("filter-team", "Team", d.choices.teams, d.filters.team, set("team")),
    select("filter-iro", "IRO", d.choices.iros, d.filters.iro, set("iro")),
    select("filter-category", "Category", d.choices.categories, d.filters.category, set("category")),
  );
  const t = d.totals;
  const tiles = h(
    "div",
    { className: "tiles" },
    tile("open", "Open", t.open, "default", `${t.awaitingResponse} waiting for an answer · ${t.awaitingDecision} for the IRO · ${t.onHold} on hold`),
    tile("overdue", "Overdue", t.overdue, t.overdue ? "bad" : "default"),
    tile("due-this-week", "Due this week", t.dueThisWeek, t.dueThisWeek ? "warn" : "default"),
    tile("cap-at-risk", "20-day cap at risk", t.capAtRisk, t.capPassed ? "bad" : t.capAtRisk ? "warn" : "default", t.capPassed ? `${t.capPassed} passed` : "within 3 working days"),
    tile("failed", "Failed deliveries", t.failedDeliveries, t.failedDeliveries ? "bad" : "default", d.failedDeliveriesMore ? `among the newest ${DASHBOARD_PAGE}; there are older ones` : undefined),
  );

  // Which figure's list is shown: each tile's list, paged, fetched on demand.
  let list = disputeList(d, options);
  const show = async (name: DashboardList) => {
    const r = await options.api.dashboard(options.filters, { list: name });
    if (!r.ok) return;
    const fresh = disputeList(r.value, options);
    list.replaceWith(fresh);
    list = fresh;
  };
  const listPicker = h(
    "div",
    { className: "filters", role: "group", "aria-label": "List" },
    (Object.keys(LIST_TITLES) as DashboardList[]).map((name) => h("button", { type: "button", className: "link", id: `list-${name}`, onclick: () => void show(name) }, `List ${LIST_TITLES[name].toLowerCase()}`)),
  );

  const teams = chartBox("chart-teams", "Open disputes by team and stage", d.byTeam.map((x) => `${x.label} ${x.open}`).join(", ") || "none");
  const dl = d.deadlines;
  const deadlines = chartBox("chart-deadlines", "Where they stand against their deadlines", `${dl.overdue} overdue, ${dl.dueThisWeek} due this week, ${dl.dueLater} due later, ${dl.awaitingDecision} awaiting the IRO's decision, ${dl.onHold} on hold`);

  fill(
    container,
    h("div", { id: "dashboard", "data-generated": d.generatedAt }, filters, tiles, h("div", { className: "charts" }, teams.box, deadlines.box),
      listPicker, list,
      h("h2", {}, "By team and stage"), teamTable(d),
      h("h2", {}, d.failedDeliveriesMore ? `Failed deliveries (the newest ${d.failedDeliveries.length}; there are older ones)` : `Failed deliveries (${d.failedDeliveries.length})`), failedTable(d, options.onOpen),
    ),
  );

  draw(teams.canvas, {
    type: "bar",
    data: {
      labels: d.byTeam.map((x) => x.label),
      datasets: d.stages.map((s, i) => ({ label: s.label, data: d.byTeam.map((x) => x.byStage[s.stage] ?? 0), backgroundColor: STAGE_COLOURS[Math.min(s.stage, STAGE_COLOURS.length - 1)] ?? STAGE_COLOURS[i % STAGE_COLOURS.length] })),
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
      plugins: { legend: { position: "bottom" } },
    },
  });
  draw(deadlines.canvas, {
    type: "doughnut",
    data: {
      labels: ["Overdue", "Due this week", "Due later", "Awaiting the IRO's decision", "On hold"],
      datasets: [{ data: [dl.overdue, dl.dueThisWeek, dl.dueLater, dl.awaitingDecision, dl.onHold], backgroundColor: Object.values(DEADLINE_COLOURS) }],
    },
    options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { position: "right" } } },
  });
}
