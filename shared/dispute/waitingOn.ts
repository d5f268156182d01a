import { formatLondon } from "../calendar/londonTime";
import { type Dispute, currentStage } from "./disputeSchema";
import type { PersonRef } from "./people";

/**
 * Who a dispute waits on, and what is asked of each: the stage's holder answers; the IRO decides
 * once the holder answered, the deadline passed without an answer, or the hold ended. A dispute
 * past its deadline waits on both: the holder may still answer, the IRO may escalate.
 */
export type Ask = "answer" | "decide-answered" | "decide-overdue" | "decide-hold-ended";

export interface Waiting {
  person: PersonRef;
  ask: Ask;
  /** The other party of the ask: who answered, or who did not. */
  about?: PersonRef;
  /** When the answer is (or was) due, or when the hold ended. */
  at?: string;
}

export function waitingOn(d: Dispute): Waiting[] {
  const s = currentStage(d);
  switch (d.state) {
    case "informal":
    case "awaiting-response":
      return [
        { person: s.assignee, ask: "answer", at: s.dueAt },
        ...(s.overdueSince ? [{ person: d.raisedBy, ask: "decide-overdue" as const, about: s.assignee, at: s.dueAt }] : []),
      ];
    case "awaiting-decision":
      return [{ person: d.raisedBy, ask: "decide-answered", ...(s.response ? { about: s.response.by } : {}) }];
    case "on-hold":
      return d.hold?.ended ? [{ person: d.raisedBy, ask: "decide-hold-ended", at: d.hold.endsAt }] : [];
    case "resolved":
    case "withdrawn":
      return [];
  }
}

/** The ask of a row of "waiting on me": the holder's, said as covering for them, when the row is a cover's. */
export function askOf(row: { waitingOn?: readonly Waiting[]; coveringFor?: PersonRef }, personId: string, now: Date): string | undefined {
  if (!row.coveringFor) return askLine(row.waitingOn, personId, now);
  const ask = askLine(row.waitingOn, row.coveringFor.id, now);
  return `Covering for ${row.coveringFor.displayName}${ask ? `: ${ask.replace(/^Your /, "your ")}` : ""}`;
}

/** What is asked of this person, in a line: "Megan Bowen answered: your decision". */
function askLine(waiting: readonly Waiting[] | undefined, personId: string, now: Date): string | undefined {
  const w = waiting?.find((x) => x.person.id === personId);
  if (!w) return undefined;
  const when = w.at ? formatLondon(w.at) : "";
  switch (w.ask) {
    case "answer":
      return w.at && new Date(w.at) < now ? `Your answer was due ${when}: it is overdue` : `Your answer is needed by ${when}`;
    case "decide-answered":
      return `${w.about?.displayName ?? "The manager"} answered: your decision (resolve, escalate or hold)`;
    case "decide-overdue":
      return `${w.about?.displayName ?? "The manager"} did not answer by ${when}: your decision (wait or escalate)`;
    case "decide-hold-ended":
      return `The hold ended ${when}: check the agreed actions, then resolve or resume`;
  }
}
