import type { Occasion } from "../procedure/toldSchema";
import type { PersonRef } from "./people";

/** What a message is about; the card and mail templates are chosen by it. */
export type NoticeKind =
  | "alert" // you hold this dispute now: answer it
  | "raised" // for information: a dispute was raised on a child in your area
  | "stage-notice" // for information: the dispute reached a stage you are told at
  | "response-received" // to the IRO: the assignee answered
  | "more-time-requested"
  | "deadline-extended"
  | "reminder"
  | "deadline-passed" // to the IRO: escalate now, extend, or wait
  | "overdue" // to the assignee
  | "on-hold"
  | "hold-ended" // to the IRO: close, resume or escalate
  | "resumed"
  | "resolved"
  | "withdrawn"
  | "reassigned-away"
  | "referral-intended"
  | "referral-made"
  | "exception"
  | "cap-warning"
  | "cap-passed"
  | "positive-feedback"
  | "feedback-reply" // to the IRO: a manager replied to the good practice they recorded
  | "holder-away" // to the IRO: the holder is away past the deadline, escalate now if you wish
  | "child-contact" // to the child's Guardian or solicitor, outside the authority: case reference and initials only
  | "court-notice"; // to the authority's solicitors while the child is in proceedings: tell the court

/**
 * Something to do outside the domain, written with the state change and delivered at least once.
 * `id` is stable (dispute, version, position), so a retry is recognised downstream.
 */
export type Effect =
  | {
      kind: "notify";
      id: string;
      /** The dispute, or the good-practice record (G-…), the notice is about. */
      disputeId: string;
      notice: NoticeKind;
      to: PersonRef;
      role: string | null;
      /** Teams: a card in the person's chat, sent as mail instead when Teams cannot reach them. */
      channel: "teams" | "mail";
      /** false: the same notice also goes by mail, so a card Teams cannot deliver is not mailed again. */
      mailFallback?: false;
      /** Relayed down a chain the procedure sets: who tells the recipient (the IRO's manager). */
      toldBy?: { person: PersonRef; role: string };
      /** What the procedure tells a child's contact or the court of. */
      on?: Occasion;
    }
  | {
      kind: "calendar";
      id: string;
      disputeId: string;
      op: "upsert" | "cancel";
      /** One entry per dispute, stage and person: the same key updates or cancels it. */
      entryKey: string;
      attendee: PersonRef;
      subject: string;
      at: string;
    }
  | {
      kind: "meeting";
      id: string;
      disputeId: string;
      stage: number;
      chair: PersonRef;
      invitees: PersonRef[];
      /** The meeting must take place before the stage falls due. */
      by: string;
      subject: string;
      /** Asked for by someone on the dispute, rather than held because the stage is a meeting stage. */
      requested?: true;
    }
  | { kind: "card-update"; id: string; disputeId: string };

export type EffectDraft = Effect extends infer E ? (E extends Effect ? Omit<E, "id" | "disputeId"> : never) : never;
