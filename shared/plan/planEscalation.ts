import { londonDate } from "../calendar/londonTime";
import type { WorkingCalendar } from "../calendar/workingDays";
import { type Dispute, currentStage, isOpen } from "../dispute/disputeSchema";
import type { PersonRef } from "../dispute/people";
import type { Stage } from "../procedure/procedureSchema";

export interface PlannedStage {
  stage: number;
  role: string;
  title: string;
  responseDays: number;
  receivedAt: string;
  dueAt: string;
  /** The London date the stage falls due. */
  dueDate: string;
  /** Past the ladder's cap on the whole formal process. */
  exceedsCap: boolean;
  holder?: PersonRef;
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
  startStage?: number;
  /** A shorter first response set by the IRO. */
  firstResponseDays?: number;
  /** When the formal process started, if before `receivedAt` (a dispute already climbing). */
  formalStartedAt?: Date;
  holders?: Readonly<Record<string, PersonRef>>;
}

/**
 * Who gets the dispute and when if nobody answers: each stage received when the one before it
 * falls due, up the ladder from the start stage, with every stage past the cap marked.
 */
export function planEscalation(input: PlanInput, calendar: WorkingCalendar): EscalationPlan {
  const start = input.startStage ?? 1;
  const capAt = calendar.deadline(input.formalStartedAt ?? input.receivedAt, input.capWorkingDays);
  const stages: PlannedStage[] = [];
  let receivedAt = input.receivedAt;
  for (const s of input.stages.filter((x) => x.stage >= start)) {
    const responseDays = s.stage === start && input.firstResponseDays ? Math.min(input.firstResponseDays, s.responseDays) : s.responseDays;
    const dueAt = calendar.deadline(receivedAt, responseDays);
    const holder = input.holders?.[s.role];
    stages.push({
      stage: s.stage,
      role: s.role,
      title: s.title,
      responseDays,
      receivedAt: receivedAt.toISOString(),
      dueAt: dueAt.toISOString(),
      dueDate: londonDate(dueAt),
      exceedsCap: dueAt > capAt,
      ...(holder ? { holder } : {}),
    });
    receivedAt = dueAt;
  }
  return {
    procedure: input.procedure,
    receivedAt: input.receivedAt.toISOString(),
    stages,
    capDate: londonDate(capAt),
    exceedsCapAtStage: stages.find((s) => s.exceedsCap)?.stage ?? null,
  };
}

/** The plan for a dispute in flight: from its current stage's due date up the rest of its ladder. */
/**
 * `now` moves the next stage to now when the current one is already past its deadline (an overdue
 * dispute, or one awaiting the IRO's decision): a card shows dates that can still happen.
 */
export function planForDispute(d: Dispute, calendar: WorkingCalendar, now?: Date): EscalationPlan | null {
  if (!isOpen(d)) return null;
  const s = currentStage(d);
  const next = new Date(Math.max(new Date(s.dueAt).getTime(), now?.getTime() ?? 0));
  const upcoming = planEscalation(
    {
      procedure: d.ladder.procedureId,
      stages: d.ladder.stages,
      capWorkingDays: d.ladder.capWorkingDays,
      receivedAt: next,
      startStage: d.stage + 1,
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
    responseDays: s.responseDays,
    receivedAt: s.receivedAt,
    dueAt: s.dueAt,
    dueDate: londonDate(new Date(s.dueAt)),
    exceedsCap: !!capAt && new Date(s.dueAt) > capAt,
    holder: s.assignee,
  };
  const stages = [current, ...upcoming.stages];
  return { ...upcoming, receivedAt: s.receivedAt, stages, exceedsCapAtStage: stages.find((x) => x.exceedsCap)?.stage ?? null };
}
