import { type LocalDate, londonDate } from "../calendar/londonTime";
import type { WorkingCalendar } from "../calendar/workingDays";
import { type Dispute, currentStage, isOpen } from "../dispute/disputeSchema";
import type { PersonRef } from "../dispute/people";
import { type Stage, timescaleOf } from "../procedure/procedureSchema";

export interface PlannedStage {
  stage: number;
  role: string;
  title: string;
  /** Null where the procedure sets the stage no timescale. */
  responseDays: number | null;
  /** Null after a stage with no timescale: it is reached only when the IRO escalates, on a day nobody can plan. */
  receivedAt: string | null;
  /** Null for a stage with no timescale, and for every stage after one. */
  dueAt: string | null;
  /** The London date the stage falls due, or null as `dueAt`. */
  dueDate: string | null;
  /** The procedure sets this stage no timescale (a report to a director): no deadline, though the cap still runs. */
  noTimescale?: true;
  /** Past the ladder's cap on the whole formal process. */
  exceedsCap: boolean;
  holder?: PersonRef;
  /** A "where applicable" stage nobody holds: passed over, taking no time. */
  skipped?: true;
}

export interface EscalationPlan {
  procedure: string;
  receivedAt: string;
  stages: PlannedStage[];
  capDate: string;
  exceedsCapAtStage: number | null;
}

export interface PlanInput {
  procedure: string;
  stages: readonly Stage[];
  capWorkingDays: number;
  receivedAt: Date;
  /** 0 plans the informal stage first (it needs `informal`); otherwise the formal stage to start at. */
  startStage?: number;
  informal?: { defaultDays: number; role: string; from?: "raised" | "review" };
  /** The review an informal window counted "from the review" runs from. */
  reviewDate?: LocalDate;
  /** Roles nobody holds, where no roster is given (the command line): their optional stages are skipped. */
  vacant?: readonly string[];
  /** A shorter first response set by the IRO. */
  firstResponseDays?: number;
  /** When the formal process started, if before `receivedAt` (a dispute already climbing). */
  formalStartedAt?: Date;
  holders?: Readonly<Record<string, PersonRef>>;
  /** The stage before has no timescale: the stages planned are reached on no day that can be known. */
  undated?: boolean;
}

/**
 * Who gets the dispute and when if nobody answers: each stage received when the one before it
 * falls due, up the ladder from the start stage, with every stage past the cap marked and every
 * optional stage nobody holds marked skipped. From the informal stage, the formal process (and its
 * cap) starts when the informal window closes.
 */
export function planEscalation(input: PlanInput, calendar: WorkingCalendar): EscalationPlan {
  const start = input.startStage ?? 1;
  const stages: PlannedStage[] = [];
  let receivedAt = input.receivedAt;
  if (start === 0) {
    if (!input.informal) throw new RangeError("planning from the informal stage needs the procedure's informal stage");
    const { defaultDays, role, from } = input.informal;
    if (from === "review" && !input.reviewDate) throw new RangeError("this procedure counts the informal stage from the review: give the review date");
    const dueAt = calendar.deadline(from === "review" ? calendar.endOfWorkingDay(input.reviewDate!) : receivedAt, defaultDays);
    stages.push({ ...planned(0, role, "Informal", defaultDays, receivedAt, dueAt), exceedsCap: false, ...holderOf(input, role) });
    receivedAt = dueAt;
  }
  const formalStart = start === 0 ? receivedAt : (input.formalStartedAt ?? input.receivedAt);
  const capAt = calendar.deadline(formalStart, input.capWorkingDays);
  let first = true;
  // Past a stage with no timescale nothing moves on its own, so later stages have no dates.
  let dated: Date | null = input.undated ? null : receivedAt;
  for (const s of input.stages.filter((x) => x.stage >= Math.max(1, start))) {
    if (s.optional && (input.holders ? !input.holders[s.role] : input.vacant?.includes(s.role))) {
      stages.push({ ...planned(s.stage, s.role, s.title, 0, dated, dated), exceedsCap: false, skipped: true });
      continue;
    }
    const own = timescaleOf(s);
    const responseDays = first && input.firstResponseDays ? Math.min(input.firstResponseDays, own ?? input.firstResponseDays) : own;
    first = false;
    const dueAt = dated && responseDays !== undefined ? calendar.deadline(dated, responseDays) : null;
    stages.push({
      ...planned(s.stage, s.role, s.title, responseDays ?? null, dated, dueAt),
      exceedsCap: !!dueAt && dueAt > capAt,
      ...(responseDays === undefined ? { noTimescale: true as const } : {}),
      ...holderOf(input, s.role),
    });
    dated = dueAt;
  }
  return {
    procedure: input.procedure,
    receivedAt: input.receivedAt.toISOString(),
    stages,
    capDate: londonDate(capAt),
    exceedsCapAtStage: stages.find((s) => s.exceedsCap)?.stage ?? null,
  };
}

const planned = (stage: number, role: string, title: string, responseDays: number | null, receivedAt: Date | null, dueAt: Date | null) => ({
  stage,
  role,
  title,
  responseDays,
  receivedAt: receivedAt?.toISOString() ?? null,
  dueAt: dueAt?.toISOString() ?? null,
  dueDate: dueAt ? londonDate(dueAt) : null,
});

const holderOf = (input: PlanInput, role: string) => {
  const holder = input.holders?.[role];
  return holder ? { holder } : {};
};

/** The plan for a dispute in flight: from its current stage's due date up the rest of its ladder. */
/**
 * `now` moves the next stage to now when the current one is already past its deadline (an overdue
 * dispute, or one awaiting the IRO's decision): a card shows dates that can still happen.
 */
export function planForDispute(d: Dispute, calendar: WorkingCalendar, now?: Date): EscalationPlan | null {
  if (!isOpen(d)) return null;
  const s = currentStage(d);
  // A current stage with no due date moves on only when the IRO escalates: the rest cannot be dated.
  const next = s.dueAt ? new Date(Math.max(new Date(s.dueAt).getTime(), now?.getTime() ?? 0)) : null;
  const upcoming = planEscalation(
    {
      procedure: d.ladder.procedureId,
      stages: d.ladder.stages,
      capWorkingDays: d.ladder.capWorkingDays,
      receivedAt: next ?? now ?? new Date(s.receivedAt),
      undated: !next,
      // A review-decision window, if contested, goes on at the stage the procedure names.
      startStage: d.ratification && d.stage === 0 && d.ladder.reviewDecisions ? d.ladder.reviewDecisions.contestStage : d.stage + 1,
      // From informal, the next answer is the first formal response, held to the procedure's limit.
      ...(d.stage === 0 && d.ladder.firstResponseMaxDays ? { firstResponseDays: d.ladder.firstResponseMaxDays } : {}),
      ...(d.formalStartedAt ? { formalStartedAt: new Date(d.formalStartedAt) } : {}),
      holders: d.ladder.roster,
    },
    calendar,
  );
  const capAt = d.capDueAt ? new Date(d.capDueAt) : undefined;
  const current: PlannedStage = {
    stage: s.stage,
    role: s.role,
    title: s.title,
    responseDays: s.responseDays ?? null,
    receivedAt: s.receivedAt,
    dueAt: s.dueAt ?? null,
    dueDate: s.dueAt ? londonDate(new Date(s.dueAt)) : null,
    exceedsCap: !!capAt && !!s.dueAt && new Date(s.dueAt) > capAt,
    ...(s.dueAt ? {} : { noTimescale: true as const }),
    holder: s.assignee,
  };
  const stages = [current, ...upcoming.stages];
  return { ...upcoming, receivedAt: s.receivedAt, stages, exceedsCapAtStage: stages.find((x) => x.exceedsCap)?.stage ?? null };
}
