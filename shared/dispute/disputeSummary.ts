import { type Dispute, type DisputeState, currentStage, isOpen } from "./disputeSchema";
import type { PersonRef } from "./people";
import { type Waiting, waitingOn } from "./waitingOn";

/** One line of a list: enough to show a row without loading the dispute. */
export interface DisputeSummary {
  id: string;
  version: number;
  state: DisputeState;
  stage: number;
  open: boolean;
  childReference: string;
  childInitials: string;
  team: string;
  category: string;
  reason: string;
  raisedBy: PersonRef;
  raisedAt: string;
  assignee: PersonRef;
  dueAt: string | null;
  /** When the 20 working day cap on the formal process falls (absent before the first formal stage, and on rows written before it was listed). */
  capDueAt?: string | null;
  /** Whose move it is, and what is asked of each (absent on rows written before it was listed). */
  waitingOn?: Waiting[];
  updatedAt: string;
  /** In a cover's "waiting on me": the holder whose dispute this is, while the cover stands. */
  coveringFor?: PersonRef;
}

export function summarise(d: Dispute): DisputeSummary {
  const s = currentStage(d);
  return {
    id: d.id,
    version: d.version,
    state: d.state,
    stage: d.stage,
    open: isOpen(d),
    childReference: d.child.reference,
    childInitials: d.child.initials,
    team: d.child.team,
    category: d.category,
    reason: d.reason,
    raisedBy: d.raisedBy,
    raisedAt: d.raisedAt,
    assignee: s.assignee,
    dueAt: d.state === "informal" || d.state === "awaiting-response" ? (s.dueAt ?? null) : d.state === "on-hold" ? (d.hold?.endsAt ?? null) : null,
    capDueAt: d.capDueAt ?? null,
    waitingOn: waitingOn(d),
    updatedAt: d.updatedAt,
  };
}
