import type { FailedDelivery } from "../dispute/delivery";
import type { DisputeSummary } from "../dispute/disputeSummary";
/**
 * The QA and managers' dashboard: what is open now, by team and by stage, what is overdue or
 * falls due this week, which disputes near or passed the cap on the whole formal process, and
 * which notices could not be delivered. Pure and browser-safe: `now` and the calendar are given.
 *
 * - Overdue: waiting for an answer (informal or awaiting a response) and past its due time.
 * - Due this week: waiting for an answer, not overdue, due before Monday 00:00 London time.
 * - Cap at risk: open, with the cap's date passed or at most `capRiskWorkingDays` working days away
 *   (3 by default; a hold does not stop the cap).
 *
 * The answer stays small at any size: the counts, and one page of one list behind a figure
 * (`list`, from `cursor`), never every open dispute.
 */
import { addCalendarDays, dayOfWeek, londonDate, londonInstant } from "../calendar/londonTime";
import type { WorkingCalendar } from "../calendar/workingDays";
import type { DisputeState } from "../dispute/disputeSchema";
import { type ReportLabels, stageLabel } from "./monthlyReport";

/** One open dispute as the list rows carry it (the store's summary). */
export type DashboardDisputeInput = Omit<DisputeSummary, "version" | "open" | "updatedAt">;

export interface DashboardTeam {
  id: string;
  displayName: string;
  serviceArea: string;
}

/** A delivery the relay gave up on, with the team it concerns when known. */
export type DashboardFailure = FailedDelivery;

export interface DashboardFilters {
  team?: string;
  iro?: string;
  category?: string;
}

/** The lists behind the figures, each paged: every open dispute, or those behind one tile. */
export const DASHBOARD_LISTS = ["open", "overdue", "due-this-week", "cap-at-risk"] as const;
export type DashboardList = (typeof DASHBOARD_LISTS)[number];
/** Rows in a page of a list, and the newest failed deliveries shown. */
export const DASHBOARD_PAGE = 25;

export interface DashboardInput {
  now: Date;
  calendar: WorkingCalendar;
  /** The open disputes the viewer may see (their teams only). */
  disputes: readonly DashboardDisputeInput[];
  /** The teams the viewer may see. */
  teams: readonly DashboardTeam[];
  failed: readonly DashboardFailure[];
  /** Whether older failed deliveries lie beyond the page given: `failedDeliveries` then counts that page only. */
  failedMore?: boolean;
  filters?: DashboardFilters;
  labels?: ReportLabels;
  capRiskWorkingDays?: number;
  /** The list to page (every open dispute by default) and where its page starts (a `next` given before). */
  list?: DashboardList;
  cursor?: string;
}

export interface DashboardRow extends DashboardDisputeInput {
  teamLabel: string;
  stageLabel: string;
  categoryLabel: string;
  overdue: boolean;
  dueThisWeek: boolean;
  capAtRisk: boolean;
  capPassed: boolean;
  /** Working days until the cap: 0 on its day, negative once past; null without a cap date. */
  capWorkingDaysLeft: number | null;
}

export interface Dashboard {
  generatedAt: string;
  filters: { team: string | null; iro: string | null; category: string | null };
  /** What the filters can be set to: the viewer's teams, and the IROs and categories among their open disputes. */
  choices: { teams: { id: string; label: string; serviceArea: string }[]; iros: { id: string; label: string }[]; categories: { id: string; label: string }[] };
  totals: { open: number; awaitingResponse: number; awaitingDecision: number; onHold: number; overdue: number; dueThisWeek: number; capAtRisk: number; capPassed: number; failedDeliveries: number };
  /** The stages open disputes stand at, in ladder order: the columns of `byTeam`. */
  stages: { stage: number; label: string }[];
  byTeam: { team: string; label: string; serviceArea: string; open: number; byStage: Record<string, number>; overdue: number; dueThisWeek: number; capAtRisk: number }[];
  /** Where the open disputes stand against their deadlines: for a chart. */
  deadlines: { overdue: number; dueThisWeek: number; dueLater: number; awaitingDecision: number; onHold: number };
  /** The list paged in `disputes`: its name, how many it holds, and the cursor of its next page (null at the end). */
  list: { name: DashboardList; total: number; next: string | null };
  /** One page of the list, the most pressing first: overdue, cap passed or near, due soonest. */
  disputes: DashboardRow[];
  failedDeliveries: DashboardFailure[];
  /** True when older failed deliveries lie beyond these: the figure is then "at least". */
  failedDeliveriesMore: boolean;
}

const WAITING: ReadonlySet<DisputeState> = new Set(["informal", "awaiting-response"]);
const OPEN: ReadonlySet<DisputeState> = new Set(["informal", "awaiting-response", "awaiting-decision", "on-hold"]);

/** Monday 00:00 London time after `now`: the end of "this week". */
export function endOfLondonWeek(now: Date): Date {
  const today = londonDate(now);
  const daysToMonday = ((8 - dayOfWeek(today)) % 7) || 7;
  return londonInstant(addCalendarDays(today, daysToMonday), "00:00");
}

const byLabel = <T extends { label: string; id: string }>(a: T, b: T) => a.label.localeCompare(b.label, "en-GB") || (a.id < b.id ? -1 : 1);

export function dashboard(input: DashboardInput): Dashboard {
  const { now, calendar, labels } = input;
  const riskDays = input.capRiskWorkingDays ?? 3;
  const f = input.filters ?? {};
  const weekEnd = endOfLondonWeek(now).getTime();
  const t = now.getTime();
  const teams = new Map(input.teams.map((x) => [x.id, x]));
  const teamLabel = (id: string) => teams.get(id)?.displayName ?? id;
  const categoryLabel = (id: string) => labels?.categories?.find((c) => c.id === id)?.label ?? id;

  const open = input.disputes.filter((d) => OPEN.has(d.state) && teams.has(d.team));
  const iros = new Map<string, string>();
  const categories = new Map<string, string>();
  for (const d of open) {
    iros.set(d.raisedBy.id, d.raisedBy.displayName);
    categories.set(d.category, categoryLabel(d.category));
  }
  const shown = open.filter((d) => (!f.team || d.team === f.team) && (!f.iro || d.raisedBy.id === f.iro) && (!f.category || d.category === f.category));

  const rows: DashboardRow[] = shown.map((d) => {
    const due = d.dueAt ? Date.parse(d.dueAt) : NaN;
    const waiting = WAITING.has(d.state) && !Number.isNaN(due);
    const cap = d.capDueAt ? new Date(d.capDueAt) : undefined;
    const capLeft = cap && !Number.isNaN(cap.getTime()) ? calendar.workingDaysLeft(now, cap) : null;
    const capPassed = !!cap && cap.getTime() < t;
    return {
      ...d,
      teamLabel: teamLabel(d.team),
      stageLabel: stageLabel("standard", d.stage, labels),
      categoryLabel: categoryLabel(d.category),
      overdue: waiting && due < t,
      dueThisWeek: waiting && due >= t && due < weekEnd,
      capAtRisk: capLeft !== null && (capPassed || capLeft <= riskDays),
      capPassed,
      capWorkingDaysLeft: capLeft,
    };
  });
  const urgency = (r: DashboardRow) => (r.overdue ? 0 : r.capPassed ? 1 : r.capAtRisk ? 2 : r.dueThisWeek ? 3 : 4);
  rows.sort((a, b) => urgency(a) - urgency(b) || (a.dueAt ?? "~").localeCompare(b.dueAt ?? "~") || (a.id < b.id ? -1 : 1));

  const stageNumbers = [...new Set(rows.map((r) => r.stage))].sort((a, b) => a - b);
  const byTeam = new Map<string, Dashboard["byTeam"][number]>();
  const visibleTeams = f.team ? input.teams.filter((x) => x.id === f.team) : input.teams;
  for (const team of visibleTeams) byTeam.set(team.id, { team: team.id, label: team.displayName, serviceArea: team.serviceArea, open: 0, byStage: {}, overdue: 0, dueThisWeek: 0, capAtRisk: 0 });
  for (const r of rows) {
    const line = byTeam.get(r.team)!;
    line.open++;
    line.byStage[r.stage] = (line.byStage[r.stage] ?? 0) + 1;
    if (r.overdue) line.overdue++;
    if (r.dueThisWeek) line.dueThisWeek++;
    if (r.capAtRisk) line.capAtRisk++;
  }
  const count = (p: (r: DashboardRow) => boolean) => rows.filter(p).length;
  const listName = input.list ?? "open";
  const listed = listName === "open" ? rows : rows.filter(listName === "overdue" ? (r) => r.overdue : listName === "due-this-week" ? (r) => r.dueThisWeek : (r) => r.capAtRisk);
  const from = Number(input.cursor ?? 0);
  const next = from + DASHBOARD_PAGE < listed.length ? String(from + DASHBOARD_PAGE) : null;
  const failedDeliveries = input.failed
    .filter((x) => !f.team || x.team === f.team)
    .slice()
    .sort((a, b) => (a.failedAt < b.failedAt ? 1 : a.failedAt > b.failedAt ? -1 : 0));

  return {
    generatedAt: now.toISOString(),
    filters: { team: f.team ?? null, iro: f.iro ?? null, category: f.category ?? null },
    choices: {
      teams: input.teams.map((x) => ({ id: x.id, label: x.displayName, serviceArea: x.serviceArea })).sort(byLabel),
      iros: [...iros].map(([id, label]) => ({ id, label })).sort(byLabel),
      categories: [...categories].map(([id, label]) => ({ id, label })).sort(byLabel),
    },
    totals: {
      open: rows.length,
      awaitingResponse: count((r) => WAITING.has(r.state)),
      awaitingDecision: count((r) => r.state === "awaiting-decision"),
      onHold: count((r) => r.state === "on-hold"),
      overdue: count((r) => r.overdue),
      dueThisWeek: count((r) => r.dueThisWeek),
      capAtRisk: count((r) => r.capAtRisk),
      capPassed: count((r) => r.capPassed),
      failedDeliveries: failedDeliveries.length,
    },
    stages: stageNumbers.map((stage) => ({ stage, label: stageLabel("standard", stage, labels) })),
    byTeam: [...byTeam.values()].sort((a, b) => b.open - a.open || a.label.localeCompare(b.label, "en-GB")),
    deadlines: {
      overdue: count((r) => r.overdue),
      dueThisWeek: count((r) => r.dueThisWeek),
      dueLater: count((r) => WAITING.has(r.state) && !r.overdue && !r.dueThisWeek),
      awaitingDecision: count((r) => r.state === "awaiting-decision"),
      onHold: count((r) => r.state === "on-hold"),
    },
    list: { name: listName, total: listed.length, next },
    disputes: listed.slice(from, from + DASHBOARD_PAGE),
    failedDeliveries,
    failedDeliveriesMore: input.failedMore ?? false,
  };
}
