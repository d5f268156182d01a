/**
 * The QA service's monthly report (Lambeth 6, 7 and "Evidencing Impact"; Blackburn 15
 * "Performance Data"; Redbridge 5 and 7): how many disputes were raised and resolved, at what
 * stage, in what time, about what, by team and by IRO, with holds, referrals, exceptions, reverse
 * disputes, positive feedback and the themes that are rising.
 *
 * Pure and browser-safe. It is computed ONLY from the audit events, and every event after the
 * month's end (midnight London time) is ignored, so a past month's report never changes when
 * later events arrive or today's state of a dispute moves on.
 *
 * Working days are counted with the authority's calendar between London dates: raised on Monday
 * and resolved on Tuesday is 1 working day; raised and resolved the same day is 0.
 *
 * Percentiles are NEAREST-RANK: for n values sorted ascending x[1] ≤ … ≤ x[n], the p-th
 * percentile is x[⌈p/100 · n⌉]. So the median (p = 50) of an even number of values is the
 * lower of the middle two (median of 3, 7 is 3), and every figure reported is a real case's
 * figure, never an average of two.
 */
import { type LocalDate, addCalendarDays, isLocalDate, londonDate, londonInstant } from "../calendar/londonTime";
import type { WorkingCalendar } from "../calendar/workingDays";
import { type ChildVoiceCounts, childVoiceCounts } from "./childVoice";
import type { AuditEvent } from "../dispute/events";
import type { PersonRef } from "../dispute/people";
import { escapeHtml } from "../messages/notices";
import { type GoodPracticeEntry, type GoodPracticeInput, type OutcomeEntry, type ReasonTheme, goodPracticeExamples, narrativeHtml, risesOf } from "./outcomesNarrative";

/** The shape of the report: a kept past month computed in an older shape is computed again. */
export const REPORT_FORMAT = 2;

/** "YYYY-MM". */
export type Month = string;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): value is Month {
  return MONTH.test(value) && isLocalDate(`${value}-01`);
}

/** The month as people write it: "2026-11" → "November 2026". */
export function monthLabel(month: Month): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return `${MONTH_NAMES[m - 1]} ${y}`;
}
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** The month in London at this instant. */
export const monthAt = (instant: Date): Month => londonDate(instant).slice(0, 7);

/** The month before, e.g. "2027-01" → "2026-12". */
export function previousMonth(month: Month): Month {
  return addCalendarDays(`${month}-01`, -1).slice(0, 7);
}

function nextMonthStart(month: Month): LocalDate {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}

/** The month in London: [start, end) as instants. */
export function monthPeriod(month: Month): { start: Date; end: Date } {
  if (!isMonth(month)) throw new RangeError(`month: must be a month written YYYY-MM, not "${month}"`);
  return { start: londonInstant(`${month}-01`, "00:00"), end: londonInstant(nextMonthStart(month), "00:00") };
}

/** Nearest-rank percentile (see the file's header); null for no values. */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

// ——— labels ———

interface LabelStage {
  stage: number;
  title: string;
}

/** Readable names, usually the authority's procedure; ids are shown where a label is missing. */
export interface ReportLabels {
  categories?: readonly { id: string; label: string; reasons: readonly { id: string; label: string }[] }[];
  stages?: readonly LabelStage[];
  reverse?: { stages: readonly LabelStage[] };
  exceptions?: { kinds: readonly { id: string; label: string }[] };
}

export type Direction = "standard" | "reverse";

export function stageLabel(direction: Direction, stage: number, labels?: ReportLabels): string {
  if (stage === 0) return "Informal";
  const ladder = direction === "reverse" ? labels?.reverse?.stages : labels?.stages;
  const title = ladder?.find((s) => s.stage === stage)?.title;
  const name = `${direction === "reverse" ? "Reverse stage" : "Stage"} ${stage}`;
  return title ? `${name}: ${title}` : name;
}

const categoryLabel = (labels: ReportLabels | undefined, id: string) => labels?.categories?.find((c) => c.id === id)?.label ?? id;
const reasonLabel = (labels: ReportLabels | undefined, category: string, id: string) =>
  labels?.categories?.find((c) => c.id === category)?.reasons.find((r) => r.id === id)?.label ?? id;
const LEGAL_STATUS: Record<string, string> = {
  "looked-after": "Looked after",
  "child-protection": "Child protection plan",
  "child-in-need": "Child in need",
  "care-leaver": "Care leaver",
};

// ——— the report ———

/** A line of a breakdown: disputes open at some time in the month, raised, resolved, still open at its end. */
export interface CountRow {
  key: string;
  label: string;
  active: number;
  raised: number;
  resolved: number;
  openAtEnd: number;
}

export interface ReasonRow extends Omit<CountRow, "key" | "label"> {
  category: string;
  categoryLabel: string;
  reason: string;
  reasonLabel: string;
}

export interface StageRow {
  direction: Direction;
  stage: number;
  label: string;
}

export interface MonthlyReport {
  month: Month;
  /** The month in London, as instants: events at or after `end` are not in it. */
  period: { start: string; end: string };
  summary: {
    raised: number;
    resolved: number;
    withdrawn: number;
    /** Open when the month began (raised before it, not yet closed). */
    openAtStart: number;
    openAtEnd: number;
    /** Disputes open at some time in the month. */
    active: number;
    escalations: number;
    holdsStarted: number;
    /** Stage deadlines that passed unanswered in the month. */
    deadlinesMissed: number;
    /** Intentions to refer recorded (the DCS or named officer told first). */
    referralsIntended: number;
    referralsMade: { cafcass: number; lscp: number };
    exceptions: number;
    reverseRaised: number;
    positiveFeedback: number;
  };
  /** Disputes resolved in the month, raise → resolve, in working days. */
  resolution: { resolved: number; medianWorkingDays: number | null; p90WorkingDays: number | null; longestWorkingDays: number | null };
  /** For each dispute open at some time in the month: the highest stage it had reached by the month's end. */
  stageReached: (StageRow & { disputes: number })[];
  /** Resolved in the month, by the stage it stood at ("at what level", Blackburn 15). */
  resolvedAtStage: (StageRow & { resolved: number; medianWorkingDays: number | null })[];
  /** Answers given in the month, by stage: how long they took from the stage's alert, and how many within its timescale. */
  responses: (StageRow & {
    responses: number;
    medianWorkingDays: number | null;
    withinTimescale: number;
    /** 0–100, one decimal, of the answers at a stage with a timescale; null when there were none. */
    percentWithinTimescale: number | null;
    deadlinesMissed: number;
  })[];
  byCategory: CountRow[];
  byReason: ReasonRow[];
  byTeam: CountRow[];
  /** By who raised it: the IRO or CP chair (for a reverse dispute, the person in the service). */
  byIro: CountRow[];
  byLegalStatus: CountRow[];
  exceptions: { kind: string; label: string; count: number }[];
  /** Concerns the service raised about the IRO service (Lambeth 7): QA track them and their outcomes. */
  reverse: { raised: number; resolved: number; withdrawn: number; openAtEnd: number };
  /** The child's voice at the month's escalations and resolutions. */
  childVoice: ChildVoiceCounts;
  /** Categories raised more often than in the month before. */
  themes: { category: string; label: string; previous: number; current: number; rise: number }[];
  /** Reasons raised more often than in the month before (Blackburn's themes, one level down). */
  reasonThemes: ReasonTheme[];
  /** The disputes resolved in the month, their outcomes and the impact for the child (Lambeth, Evidencing Impact). */
  outcomes: OutcomeEntry[];
  /** The month's good-practice records, as examples. */
  goodPractice: GoodPracticeEntry[];
}

export interface MonthlyReportInput {
  month: Month;
  /** Every audit event of every dispute of the authority, in any order. */
  events: readonly AuditEvent[];
  calendar: WorkingCalendar;
  labels?: ReportLabels;
  /** Good-practice notes are not dispute events: counted by month, and the month's shown as examples. */
  positiveFeedback?: readonly GoodPracticeInput[];
  /** Team names; the team id is shown otherwise. */
  teams?: readonly { id: string; displayName: string }[];
}

const RAISES = new Set(["raise", "raise-exception"]);
const CLOSES = new Set(["resolve", "withdraw"]);

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

interface Timed {
  e: AuditEvent;
  t: number;
}

/** Events grouped by dispute, in version order, with their instants parsed once. */
function byDispute(events: readonly AuditEvent[]): Timed[][] {
  const groups = new Map<string, Timed[]>();
  for (const e of events) {
    const t = Date.parse(e.at);
    if (Number.isNaN(t)) continue;
    const key = `${e.tenantId}~${e.disputeId}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push({ e, t });
  }
  const out: Timed[][] = [];
  for (const list of groups.values()) out.push(list.sort((a, b) => a.e.version - b.e.version));
  return out;
}

/** Counts per key, and the rows they make. */
class Breakdown {
  private rows = new Map<string, CountRow>();
  constructor(private label: (key: string) => string) {}
  add(key: string, f: { active: boolean; raised: boolean; resolved: boolean; openAtEnd: boolean }, label?: string) {
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { key, label: label ?? this.label(key), active: 0, raised: 0, resolved: 0, openAtEnd: 0 }));
    else if (label) row.label = label;
    if (f.active) row.active++;
    if (f.raised) row.raised++;
    if (f.resolved) row.resolved++;
    if (f.openAtEnd) row.openAtEnd++;
  }
  list(): CountRow[] {
    return [...this.rows.values()].sort((a, b) => b.raised - a.raised || b.active - a.active || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

const stageKey = (direction: Direction, stage: number) => `${direction === "reverse" ? 1 : 0}:${String(stage).padStart(3, "0")}`;
const byStageKey = <T extends StageRow>(rows: Iterable<T>): T[] =>
  [...rows].sort((a, b) => (stageKey(a.direction, a.stage) < stageKey(b.direction, b.stage) ? -1 : 1));

const percent = (part: number, whole: number) => (whole ? Math.round((1000 * part) / whole) / 10 : null);

/** How many disputes were raised in [start, end), by a key of the raise (its category, or category and reason). */
function raisedBy(groups: readonly Timed[][], start: number, end: number, keyOf: (detail: Record<string, unknown>) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of groups) {
    const raise = list.find((x) => RAISES.has(x.e.action));
    if (!raise || raise.t < start || raise.t >= end) continue;
    const key = keyOf(raise.e.detail);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
const categoryOf = (detail: Record<string, unknown>) => str(detail.category) ?? "(none)";
const reasonKeyOf = (detail: Record<string, unknown>) => `${categoryOf(detail)}\u0000${str(detail.reason) ?? "(none)"}`;

export function monthlyReport(input: MonthlyReportInput): MonthlyReport {
  const { month, calendar, labels } = input;
  const period = monthPeriod(month);
  const start = period.start.getTime();
  const end = period.end.getTime();
  const inMonth = (t: number) => t >= start && t < end;
  // London is UTC or UTC+1 and its clocks change on the hour, so every instant in one UTC hour has
  // the same London date: look it up once per hour, and each span of working days once.
  const dateByHour = new Map<number, LocalDate>();
  const dateOf = (t: number) => {
    const hour = Math.floor(t / 3_600_000);
    let d = dateByHour.get(hour);
    if (d === undefined) dateByHour.set(hour, (d = londonDate(new Date(hour * 3_600_000))));
    return d;
  };
  const spans = new Map<string, number>();
  const workingDays = (from: number, to: number) => {
    const key = `${dateOf(from)}|${dateOf(to)}`;
    let n = spans.get(key);
    if (n === undefined) spans.set(key, (n = calendar.workingDaysBetween(dateOf(from), dateOf(to))));
    return n;
  };

  const teamNames = new Map((input.teams ?? []).map((t) => [t.id, t.displayName]));
  const summary: MonthlyReport["summary"] = {
    raised: 0,
    resolved: 0,
    withdrawn: 0,
    openAtStart: 0,
    openAtEnd: 0,
    active: 0,
    escalations: 0,
    holdsStarted: 0,
    deadlinesMissed: 0,
    referralsIntended: 0,
    referralsMade: { cafcass: 0, lscp: 0 },
    exceptions: 0,
    reverseRaised: 0,
    positiveFeedback: 0,
  };
  const reverse = { raised: 0, resolved: 0, withdrawn: 0, openAtEnd: 0 };
  const resolutionDays: number[] = [];
  const reached = new Map<string, StageRow & { disputes: number }>();
  const resolvedAt = new Map<string, StageRow & { resolved: number; days: number[] }>();
  const responses = new Map<string, StageRow & { days: number[]; within: number; timed: number; missed: number }>();
  const exceptionKinds = new Map<string, number>();
  const byCategory = new Breakdown((k) => categoryLabel(labels, k));
  const byTeam = new Breakdown((k) => teamNames.get(k) ?? k);
  const byIro = new Breakdown((k) => k);
  const byLegalStatus = new Breakdown((k) => LEGAL_STATUS[k] ?? k);
  const reasons = new Map<string, ReasonRow>();
  const outcomes: OutcomeEntry[] = [];

  const stageRow = <T extends object>(map: Map<string, StageRow & T>, direction: Direction, stage: number, init: () => T) => {
    const key = stageKey(direction, stage);
    let row = map.get(key);
    if (!row) map.set(key, (row = { direction, stage, label: stageLabel(direction, stage, labels), ...init() }));
    return row;
  };

  const groups = byDispute(input.events);
  for (const list of groups) {
    const raise = list.find((x) => RAISES.has(x.e.action));
    if (!raise || raise.t >= end) continue;
    const detail = raise.e.detail;
    const direction: Direction = detail.direction === "reverse" ? "reverse" : "standard";
    const category = str(detail.category) ?? "(none)";
    const reason = str(detail.reason) ?? "(none)";
    const team = str(detail.team) ?? "(none)";
    const legalStatus = str(detail.legalStatus) ?? "(none)";
    const raiser: PersonRef | null = raise.e.actor;

    let closedAt: number | undefined;
    let maxStage = raise.e.to.stage;
    /** When the current round at a stage began: its alert. */
    let roundStart = raise.t;
    let resolvedInMonth = false;

    for (const { e, t } of list) {
      if (t >= end) continue;
      if (e.to.stage > maxStage) maxStage = e.to.stage;
      const climbed = e.action === "escalate" || (e.action === "deadline-passed" && e.detail.automatic === true);
      const during = inMonth(t);
      if (CLOSES.has(e.action) && closedAt === undefined) closedAt = t;
      if (during) {
        switch (e.action) {
          case "raise-exception": {
            summary.exceptions++;
            const kind = str(e.detail.exception) ?? "(none)";
            exceptionKinds.set(kind, (exceptionKinds.get(kind) ?? 0) + 1);
            break;
          }
          case "respond": {
            const stage = num(e.detail.stage) ?? e.from.stage ?? 0;
            const row = stageRow(responses, direction, stage, () => ({ days: [] as number[], within: 0, timed: 0, missed: 0 }));
            row.days.push(workingDays(roundStart, t));
            if (e.detail.withinTimescale === true) row.within++;
            // An answer at a stage with no timescale (null) is neither within nor outside one.
            if (e.detail.withinTimescale !== null) row.timed++;
            break;
          }
          case "deadline-passed": {
            summary.deadlinesMissed++;
            const stage = num(e.detail.fromStage) ?? num(e.detail.stage) ?? e.from.stage ?? 0;
            stageRow(responses, direction, stage, () => ({ days: [] as number[], within: 0, timed: 0, missed: 0 })).missed++;
            break;
          }
          case "hold":
            summary.holdsStarted++;
            break;
          case "intend-referral":
            summary.referralsIntended++;
            break;
          case "refer":
            if (e.detail.to === "cafcass" || e.detail.to === "lscp") summary.referralsMade[e.detail.to]++;
            break;
          case "resolve": {
            if (closedAt !== t) break;
            resolvedInMonth = true;
            summary.resolved++;
            if (direction === "reverse") reverse.resolved++;
            const days = workingDays(raise.t, t);
            resolutionDays.push(days);
            const row = stageRow(resolvedAt, direction, num(e.detail.stage) ?? e.from.stage ?? 0, () => ({ resolved: 0, days: [] as number[] }));
            row.resolved++;
            row.days.push(days);
            const [reference, initials, outcome, impact] = [str(detail.childReference), str(detail.childInitials), str(e.detail.outcome), str(e.detail.impact)];
            outcomes.push({
              disputeId: e.disputeId,
              ...(reference ? { childReference: reference } : {}),
              ...(reference && initials ? { childInitials: initials } : {}),
              stage: row.label,
              resolvedOn: dateOf(t),
              outcome: outcome ?? "",
              ...(impact ? { impact } : {}),
            });
            break;
          }
          case "withdraw":
            if (closedAt !== t) break;
            summary.withdrawn++;
            if (direction === "reverse") reverse.withdrawn++;
            break;
        }
        if (climbed) summary.escalations++;
      }
      if (climbed || e.action === "resume" || RAISES.has(e.action)) roundStart = t;
    }

    const raisedInMonth = inMonth(raise.t);
    const active = closedAt === undefined || closedAt >= start;
    if (!active) continue;
    const openAtEnd = closedAt === undefined;
    summary.active++;
    if (raise.t < start) summary.openAtStart++;
    if (openAtEnd) summary.openAtEnd++;
    if (raisedInMonth) {
      summary.raised++;
      if (direction === "reverse") {
        summary.reverseRaised++;
        reverse.raised++;
      }
    }
    if (openAtEnd && direction === "reverse") reverse.openAtEnd++;
    stageRow(reached, direction, maxStage, () => ({ disputes: 0 })).disputes++;

    const f = { active: true, raised: raisedInMonth, resolved: resolvedInMonth, openAtEnd };
    byCategory.add(category, f);
    byTeam.add(team, f);
    byLegalStatus.add(legalStatus, f);
    byIro.add(raiser?.id ?? "(system)", f, raiser?.displayName ?? "(system)");
    const reasonKey = `${category}\u0000${reason}`;
    let r = reasons.get(reasonKey);
    if (!r) {
      reasons.set(
        reasonKey,
        (r = { category, categoryLabel: categoryLabel(labels, category), reason, reasonLabel: reasonLabel(labels, category, reason), active: 0, raised: 0, resolved: 0, openAtEnd: 0 }),
      );
    }
    r.active++;
    if (f.raised) r.raised++;
    if (f.resolved) r.resolved++;
    if (f.openAtEnd) r.openAtEnd++;
  }

  for (const p of input.positiveFeedback ?? []) {
    const t = Date.parse(p.recordedAt);
    if (inMonth(t)) summary.positiveFeedback++;
  }

  const previous = monthPeriod(previousMonth(month));
  const [from, to] = [previous.start.getTime(), previous.end.getTime()];
  const themes = risesOf(raisedBy(groups, start, end, categoryOf), raisedBy(groups, from, to, categoryOf))
    .map(({ key: category, ...t }) => ({ category, label: categoryLabel(labels, category), ...t }))
    .sort((a, b) => b.rise - a.rise || (a.category < b.category ? -1 : 1));
  const reasonThemes = risesOf(raisedBy(groups, start, end, reasonKeyOf), raisedBy(groups, from, to, reasonKeyOf))
    .map(({ key, ...t }) => {
      const [category, reason] = key.split("\u0000") as [string, string];
      return { category, categoryLabel: categoryLabel(labels, category), reason, reasonLabel: reasonLabel(labels, category, reason), ...t };
    })
    .sort((a, b) => b.rise - a.rise || (`${a.category}/${a.reason}` < `${b.category}/${b.reason}` ? -1 : 1));

  return {
    month,
    period: { start: period.start.toISOString(), end: period.end.toISOString() },
    summary,
    resolution: {
      resolved: resolutionDays.length,
      medianWorkingDays: nearestRank(resolutionDays, 50),
      p90WorkingDays: nearestRank(resolutionDays, 90),
      longestWorkingDays: resolutionDays.length ? Math.max(...resolutionDays) : null,
    },
    stageReached: byStageKey(reached.values()),
    resolvedAtStage: byStageKey(resolvedAt.values()).map(({ days, ...r }) => ({ ...r, medianWorkingDays: nearestRank(days, 50) })),
    responses: byStageKey(responses.values()).map(({ days, within, timed, missed, ...r }) => ({
      ...r,
      responses: days.length,
      medianWorkingDays: nearestRank(days, 50),
      withinTimescale: within,
      percentWithinTimescale: percent(within, timed),
      deadlinesMissed: missed,
    })),
    byCategory: byCategory.list(),
    byReason: [...reasons.values()].sort((a, b) => b.raised - a.raised || b.active - a.active || (`${a.category}/${a.reason}` < `${b.category}/${b.reason}` ? -1 : 1)),
    byTeam: byTeam.list(),
    byIro: byIro.list(),
    byLegalStatus: byLegalStatus.list(),
    exceptions: [...exceptionKinds.entries()]
      .map(([kind, count]) => ({ kind, label: labels?.exceptions?.kinds.find((k) => k.id === kind)?.label ?? kind, count }))
      .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1)),
    reverse,
    childVoice: childVoiceCounts(input.events, inMonth),
    themes,
    reasonThemes,
    outcomes: outcomes.sort((a, b) => (a.resolvedOn < b.resolvedOn ? -1 : a.resolvedOn > b.resolvedOn ? 1 : a.disputeId < b.disputeId ? -1 : 1)),
    goodPractice: goodPracticeExamples(input.positiveFeedback ?? [], inMonth, dateOf),
  };
}

// ——— the report as tables: for CSV and for the page ———

export interface ReportTable {
  title: string;
  header: string[];
  rows: (string | number | null)[][];
}

const counts = (r: CountRow) => [r.active, r.raised, r.resolved, r.openAtEnd];
const COUNT_HEADER = ["Open during the month", "Raised", "Resolved", "Open at month end"];

/** The report as titled tables, one per section, in reading order. */
export function reportTables(report: MonthlyReport): ReportTable[] {
  const s = report.summary;
  const r = report.resolution;
  return [
    {
      title: `Summary, ${monthLabel(report.month)}`,
      header: ["Measure", "Value"],
      rows: [
        ["Disputes raised", s.raised],
        ["Disputes resolved", s.resolved],
        ["Disputes withdrawn", s.withdrawn],
        ["Open at the start of the month", s.openAtStart],
        ["Open at the end of the month", s.openAtEnd],
        ["Open at some time in the month", s.active],
        ["Escalations", s.escalations],
        ["Holds started", s.holdsStarted],
        ["Deadlines missed", s.deadlinesMissed],
        ["Referral intentions recorded", s.referralsIntended],
        ["Referrals made to CAFCASS", s.referralsMade.cafcass],
        ["Referrals made to the LSCP", s.referralsMade.lscp],
        ["Exceptions", s.exceptions],
        ["Reverse disputes raised", s.reverseRaised],
        ["Positive feedback recorded", s.positiveFeedback],
      ],
    },
    {
      title: "Time to resolution (working days, raised to resolved)",
      header: ["Resolved", "Median", "90th percentile", "Longest"],
      rows: [[r.resolved, r.medianWorkingDays, r.p90WorkingDays, r.longestWorkingDays]],
    },
    {
      title: "Stage reached by the month's end (disputes open during the month)",
      header: ["Stage", "Disputes"],
      rows: report.stageReached.map((x) => [x.label, x.disputes]),
    },
    {
      title: "Resolved, by the stage it was resolved at",
      header: ["Stage", "Resolved", "Median working days to resolution"],
      rows: report.resolvedAtStage.map((x) => [x.label, x.resolved, x.medianWorkingDays]),
    },
    {
      title: "Responses by stage",
      header: ["Stage", "Responses", "Median working days to respond", "Within timescale", "% within timescale", "Deadlines missed"],
      rows: report.responses.map((x) => [x.label, x.responses, x.medianWorkingDays, x.withinTimescale, x.percentWithinTimescale, x.deadlinesMissed]),
    },
    { title: "By category", header: ["Category", ...COUNT_HEADER], rows: report.byCategory.map((x) => [x.label, ...counts(x)]) },
    {
      title: "By reason",
      header: ["Category", "Reason", ...COUNT_HEADER],
      rows: report.byReason.map((x) => [x.categoryLabel, x.reasonLabel, x.active, x.raised, x.resolved, x.openAtEnd]),
    },
    { title: "By team", header: ["Team", ...COUNT_HEADER], rows: report.byTeam.map((x) => [x.label, ...counts(x)]) },
    { title: "By IRO (who raised it)", header: ["IRO", ...COUNT_HEADER], rows: report.byIro.map((x) => [x.label, ...counts(x)]) },
    { title: "By legal status", header: ["Legal status", ...COUNT_HEADER], rows: report.byLegalStatus.map((x) => [x.label, ...counts(x)]) },
    { title: "Exceptions", header: ["Exception", "Raised"], rows: report.exceptions.map((x) => [x.label, x.count]) },
    {
      title: "The child's voice at escalations and resolutions",
      header: ["Decisions", "Child's voice recorded", "Child told", "Wishes and feelings recorded", "Advocacy offered", "Complaints and legal advice routes explained"],
      rows: [[report.childVoice.decisions, report.childVoice.recorded, report.childVoice.told, report.childVoice.wishesRecorded, report.childVoice.advocacyOffered, report.childVoice.routesExplained]],
    },
    {
      title: "Reverse disputes (concerns about the IRO service)",
      header: ["Raised", "Resolved", "Withdrawn", "Open at month end"],
      rows: [[report.reverse.raised, report.reverse.resolved, report.reverse.withdrawn, report.reverse.openAtEnd]],
    },
    {
      title: "Themes: categories raised more often than the month before",
      header: ["Category", "Previous month", "This month", "Rise"],
      rows: report.themes.map((x) => [x.label, x.previous, x.current, x.rise]),
    },
    {
      title: "Themes: reasons raised more often than the month before",
      header: ["Category", "Reason", "Previous month", "This month", "Rise"],
      rows: report.reasonThemes.map((x) => [x.categoryLabel, x.reasonLabel, x.previous, x.current, x.rise]),
    },
    {
      title: "Outcomes and their impact for children (disputes resolved in the month)",
      header: ["Dispute", "Case reference", "Initials", "Resolved at", "Resolved on", "Outcome", "Impact for the child"],
      rows: report.outcomes.map((x) => [x.disputeId, x.childReference ?? null, x.childInitials ?? null, x.stage, x.resolvedOn, x.outcome, x.impact ?? null]),
    },
    {
      title: "Good practice recorded in the month",
      header: ["Reference", "Recorded on", "Recorded by", "For", "Team", "Case reference", "What the IRO saw", "Replies"],
      rows: report.goodPractice.map((x) => [x.id, x.recordedOn, x.recordedBy, x.for, x.team, x.childReference ?? null, x.feedback, x.replies]),
    },
  ];
}

/**
 * One CSV field, RFC 4180: quoted when it holds a comma, a quote, CR or LF, with quotes doubled.
 * Text that a spreadsheet would run as a formula (= + - @ tab CR first) is led with an apostrophe.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (fields: readonly (string | number | null)[]) => fields.map(csvField).join(",");

/** The report as CSV: one section per table (its title, its header row, its rows), a blank line between, CRLF line ends. */
export function monthlyReportCsv(report: MonthlyReport): string {
  const lines: string[] = [];
  for (const [i, t] of reportTables(report).entries()) {
    if (i) lines.push("");
    lines.push(csvLine([t.title]), csvLine(t.header), ...t.rows.map(csvLine));
  }
  return lines.join("\r\n") + "\r\n";
}

/**
 * The report as a simple, self-contained page (no script, inline CSS, prints on A4): a month
 * picker and one table per section. `links` are relative addresses for the month picker and the CSV.
 */
export function monthlyReportHtml(report: MonthlyReport, options: { authority?: string; csvHref?: string } = {}): string {
  const e = escapeHtml;
  const cell = (v: string | number | null) => (v === null ? `<td class="none">–</td>` : typeof v === "number" ? `<td class="n">${v}</td>` : `<td>${e(v)}</td>`);
  // A wide table scrolls inside its own box, which the keyboard can reach, so the page itself reflows at 320 px.
  const tables = reportTables(report)
    .map(
      (t, i) => `<section>
<h2 id="t${i}">${e(t.title)}</h2>
${
  t.rows.length
    ? `<div class="table-wrap" role="region" aria-labelledby="t${i}" tabindex="0"><table><thead><tr>${t.header.map((h, i) => `<th scope="col"${t.rows.some((r) => typeof r[i] === "number") ? ` class="n"` : ""}>${e(h)}</th>`).join("")}</tr></thead>
<tbody>${t.rows.map((row) => `<tr>${row.map(cell).join("")}</tr>`).join("\n")}</tbody></table></div>`
    : `<p class="empty">None this month.</p>`
}
</section>`,
    )
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dispute resolution: monthly report, ${e(monthLabel(report.month))}</title>
<style>
@page{size:A4;margin:15mm}
body{font-family:'Segoe UI',Arial,sans-serif;margin:0 auto;max-width:980px;padding:16px;color:#201f1e;font-size:14px;overflow-wrap:anywhere}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:22px 0 6px}
.meta{color:#605e5c;margin:0 0 12px}
table{border-collapse:collapse;width:100%;page-break-inside:avoid}
th,td{border:1px solid #c8c6c4;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f2f1}.n{text-align:right}td.none{color:#605e5c;text-align:right}
.table-wrap{overflow-x:auto}.table-wrap:focus-visible{outline:2px solid #4f52b2;outline-offset:2px}
.empty{color:#605e5c}
.narrative article{border-left:3px solid #c8c6c4;padding:0 0 0 10px;margin:8px 0;page-break-inside:avoid}.narrative h3{font-size:14px;margin:0}.narrative p{margin:4px 0}
form{margin:8px 0 0}
@media print{form,.links{display:none}body{max-width:none;padding:0}}
</style>
</head>
<body>
<header>
<h1>Dispute resolution: monthly report, ${e(monthLabel(report.month))}</h1>
<p class="meta">${options.authority ? `${e(options.authority)} · ` : ""}Computed from the audit log for ${e(monthLabel(report.month))} (London time); later events do not change it.</p>
<form method="get" action=""><label>Month <input name="month" type="month" value="${e(report.month)}"></label> <button type="submit">Show</button></form>
${options.csvHref ? `<p class="links"><a href="${e(options.csvHref)}">Download as CSV</a></p>` : ""}
</header>
${narrativeHtml(report)}
${tables}
</body>
</html>
`;
}
