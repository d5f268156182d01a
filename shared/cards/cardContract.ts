import type { DisputeAction } from "../dispute/commands";
import type { Dispute } from "../dispute/disputeSchema";
import type { NoticeKind } from "../dispute/effects";
import type { AuditEvent } from "../dispute/events";
import type { PersonChoice, PersonRef } from "../dispute/people";
import type { EscalationPlan } from "../plan/planEscalation";
import type { Procedure } from "../procedure/procedureSchema";

/** An Adaptive Card as JSON. */
export type AdaptiveCard = Record<string, unknown>;

/**
 * What travels in an Action.Execute between a card and the bot. The verb is the dispute action
 * (the same word the API uses: "respond", "escalate"…), or one of the card verbs below; the data
 * names the dispute and the version the card showed, so a click on an out-of-date card is
 * recognised, and a retried click is applied once.
 */
export type CardVerb = DisputeAction | "refresh" | "raise" | "raise-preview" | "open-raise-form" | "record-feedback";

export interface CardActionData {
  disputeId?: string;
  /** The dispute's version when this card was built. */
  version?: number;
  /** Everything the person typed into the card's inputs, by input id. */
  [input: string]: unknown;
}

/** Whose view a card is: the assignee answers, the decider (IRO or QA) decides, others read. */
export type CardViewer = "assignee" | "decider" | "reader";

/** What every card about one dispute knows of it and of its reader: the alert, and a notice. */
export interface DisputeCardData {
  dispute: Dispute;
  viewer: CardViewer;
  /** The actions this viewer may take now (from the server's rules, never the card's). */
  actions: DisputeAction[];
  /** Labels for the dispute's category and reason (and its exception, if it was raised as one). */
  labels: { category: string; reason: string; exception?: string };
  /** Working days until the current stage falls due (0 on the day, negative once past). */
  workingDaysLeft: number | null;
  /** A line at the top: what just happened ("Megan Bowen answered at …", "This card was out of date…"). */
  banner?: { text: string; tone: "good" | "attention" | "warning" | "default" };
  /** Who sees their own view when the card refreshes (Teams `refresh.userIds`). */
  refreshUserIds: string[];
  /** People by aad object id, for "held by" lines. */
  people?: Record<string, PersonRef>;
  /** The team's display name, shown beside its id. */
  teamName?: string;
  /** The authority's people, listed in the reassign picker where the host cannot search as you type. */
  choosable?: PersonChoice[];
  /** A refused action: its form comes back open, with what was typed in it and the reason beside the field. */
  typed?: TypedAction;
  /** On a notice's card: which notice, carried in its actions so the answer is that notice again. */
  from?: NoticeRef;
}

/** The alert card: the dispute with its whole story and the plan if nobody answers. */
export interface AlertCardData extends DisputeCardData {
  history: AuditEvent[];
  plan: EscalationPlan | null;
}

/** Which notice a card is, and the role its reader was told in ("service-manager"), if any. */
export interface NoticeRef {
  notice: Exclude<NoticeKind, "alert">;
  role?: string;
}

export interface TypedAction {
  action: DisputeAction;
  /** What the person typed, by input id (as the card sent it). */
  values: Record<string, unknown>;
  /** Why it was refused, and the field it is about when there is one. */
  message: string;
  field?: string;
}

export interface RaiseFormData {
  procedure: Procedure;
  /** Teams the IRO may raise for: id → display name. */
  teams: { id: string; displayName: string }[];
  /** Previous entries to put back after a rejected submit. */
  values?: Record<string, string>;
  /** The plan preview for the values entered so far. */
  plan?: EscalationPlan | null;
  /** Why the last submit was refused, naming the field. */
  error?: string;
}
