import { z } from "zod";
import { isLocalDate } from "../calendar/londonTime";
import { DeadlineRuleSchema, PartySchema, ReminderSchema, RoleIdSchema, StageSchema } from "../procedure/procedureSchema";
import { ChainSchema, ChildContactRulesSchema, ConsultationSchema, OccasionSchema } from "../procedure/toldSchema";
import { PersonRefSchema, RosterSchema, SourceSchema } from "./people";

export const LocalDateSchema = z.string().refine(isLocalDate, "must be a day on the calendar (year-month-day)");
export const InstantSchema = z.iso.datetime({ offset: true });

/** Text a person typed: stored as given, bounded, escaped wherever it is shown. */
export const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);

export const ChildSchema = z.object({
  /** The case-system id (Mosaic, LCS…): the child is never named. */
  reference: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9/_-]{1,39}$/, "must be a case reference: letters, digits, - / _ (2 to 40)"),
  /** Capitals only, at most four: "J.S.", "JS", "J-P O'B"; a name such as "Amy Li" or "Olivia" is refused. */
  initials: z.string().trim().regex(/^[A-Z](?:[ .'-]{0,2}[A-Z]){0,3}\.?$/, "must be initials only, e.g. J.S."),
  legalStatus: z.enum(["looked-after", "child-protection", "child-in-need", "care-leaver"]),
  team: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a team id in lower-case-with-hyphens"),
});
export type Child = z.infer<typeof ChildSchema>;

export const SourceEmailSchema = z.object({
  internetMessageId: z.string().max(998).optional(),
  conversationId: z.string().max(512).optional(),
  restId: z.string().max(512).optional(),
  subject: z.string().max(255).optional(),
  receivedAt: InstantSchema.optional(),
});

/** The ladder copied onto the dispute when it is raised: editing a procedure never moves a dispute in flight. */
export const LadderSnapshotSchema = z.object({
  procedureId: z.string(),
  direction: z.enum(["standard", "reverse"]),
  informal: z.object({ enabled: z.boolean(), defaultDays: z.number().int(), role: RoleIdSchema, jointRoles: z.array(RoleIdSchema).optional(), from: z.enum(["raised", "review"]).optional() }),
  stages: z.array(StageSchema),
  capWorkingDays: z.number().int(),
  capWarningDays: z.number().int(),
  firstResponseMaxDays: z.number().int().optional(),
  onDeadline: DeadlineRuleSchema,
  closeBy: z.array(PartySchema).optional(),
  reviewDecisions: z.object({ role: RoleIdSchema, days: z.number().int(), contestStage: z.number().int() }).optional(),
  reminders: z.array(ReminderSchema),
  notify: z.object({
    onResolve: z.array(RoleIdSchema),
    beforeReferral: z.object({ cafcass: z.array(RoleIdSchema), lscp: z.array(RoleIdSchema) }),
    qualityAssurance: z.array(RoleIdSchema),
    chains: z.array(ChainSchema).optional(),
  }),
  consultations: z.array(ConsultationSchema).optional(),
  childContacts: ChildContactRulesSchema.optional(),
  roster: RosterSchema,
});
export type LadderSnapshot = z.infer<typeof LadderSnapshotSchema>;

export const ResponseSchema = z.object({
  text: z.string(),
  actionsAgreed: z.string().optional(),
  completionDate: LocalDateSchema.optional(),
  by: PersonRefSchema,
  /** The holder `by` answered for, while covering for them. */
  coveringFor: PersonRefSchema.optional(),
  at: InstantSchema,
});

export const StageRecordSchema = z.object({
  stage: z.number().int().min(0),
  role: RoleIdSchema,
  title: z.string(),
  assignee: PersonRefSchema,
  /** Who holds the stage together with the assignee; either may answer. */
  jointAssignees: z.array(PersonRefSchema).optional(),
  receivedAt: InstantSchema,
  /** Absent, with `responseDays`, where the procedure sets the stage no timescale and the IRO set none: no deadline, no reminders. */
  dueAt: InstantSchema.optional(),
  responseDays: z.number().int().optional(),
  mode: z.enum(["written", "meeting"]),
  acknowledgedAt: InstantSchema.optional(),
  moreTimeRequested: z.object({ days: z.number().int(), reason: z.string(), at: InstantSchema }).optional(),
  /** When the IRO was told the holder's automatic replies say they are away past the deadline, and until when. */
  holderAway: z.object({ until: InstantSchema.optional(), at: InstantSchema }).optional(),
  overdueSince: InstantSchema.optional(),
  response: ResponseSchema.optional(),
  /** How the stage ended: the IRO's decision, or the system's when it escalated by itself. */
  closed: z
    .object({
      how: z.enum(["escalated", "held", "resolved", "withdrawn"]),
      at: InstantSchema,
      rationale: z.string().optional(),
    })
    .optional(),
});
export type StageRecord = z.infer<typeof StageRecordSchema>;

export const TimerKindSchema = z.enum(["reminder", "deadline", "hold-end", "cap-warning", "cap"]);
export type TimerKind = z.infer<typeof TimerKindSchema>;
/** A step the sweep must take at `at`; the token lets it act only if the step still stands. */
export const TimerSchema = z.object({ kind: TimerKindSchema, at: InstantSchema, token: z.string() });
export type Timer = z.infer<typeof TimerSchema>;

/** A meeting on the dispute: one a meeting stage holds, or one someone asked for at any stage; then what it decided. */
export const MeetingSchema = z.object({
  stage: z.number().int().min(0),
  /** Who asked for it; absent for the meeting a meeting stage holds. */
  requestedBy: PersonRefSchema.optional(),
  at: InstantSchema,
  chair: PersonRefSchema,
  invitees: z.array(PersonRefSchema),
  by: InstantSchema,
  held: z
    .object({
      on: LocalDateSchema,
      chair: PersonRefSchema,
      attendees: z.array(PersonRefSchema),
      minutes: z.string(),
      outcome: z.string(),
      recordedBy: PersonRefSchema,
      at: InstantSchema,
    })
    .optional(),
});
export type Meeting = z.infer<typeof MeetingSchema>;

/** One of the child's contacts, outside the authority: a name for the record, an address for mail. */
export const ChildContactSchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters"),
  email: z.email("must be an email address").max(254),
});
export type ChildContact = z.infer<typeof ChildContactSchema>;

/** The child's Children's Guardian and the solicitor in their proceedings, and whether proceedings are live. */
export const ChildContactsSchema = z.strictObject({
  guardian: ChildContactSchema.optional(),
  solicitor: ChildContactSchema.optional(),
  inProceedings: z.boolean().default(false),
});
export type ChildContacts = z.infer<typeof ChildContactsSchema>;

/**
 * Someone told beyond the ladder's own notices: down a chain (`by` told them), one of the child's
 * contacts, or the authority's solicitors so that they tell the court. Also what keeps each told once.
 */
export const ToldSchema = z.object({
  on: OccasionSchema,
  /** "guardian", "solicitor", or the role told. */
  as: z.string(),
  to: PersonRefSchema,
  by: PersonRefSchema.optional(),
  why: z.enum(["chain", "child-contact", "court"]),
  /** The stage the dispute stood at: each escalation is an occasion of its own. */
  stage: z.number().int().min(0),
  at: InstantSchema,
});
export type Told = z.infer<typeof ToldSchema>;

/** A consultation a step waited for, as the IRO recorded it. */
export const ConsultationRecordSchema = z.object({
  id: z.string(),
  label: z.string(),
  before: z.array(z.enum(["cafcass-referral", "lscp-referral"])),
  on: LocalDateSchema,
  outcome: z.string(),
  by: PersonRefSchema,
  at: InstantSchema,
});
export type ConsultationRecord = z.infer<typeof ConsultationRecordSchema>;

export const DisputeStateSchema = z.enum([
  "informal",
  "awaiting-response",
  "awaiting-decision",
  "on-hold",
  "resolved",
  "withdrawn",
]);
export type DisputeState = z.infer<typeof DisputeStateSchema>;
export const OPEN_STATES: readonly DisputeState[] = ["informal", "awaiting-response", "awaiting-decision", "on-hold"];

export const ReferralBodySchema = z.enum(["cafcass", "lscp"]);
export type ReferralBody = z.infer<typeof ReferralBodySchema>;

export const DisputeSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  /** Counts accepted commands: a card built at version n is stale once the dispute is past n. */
  version: z.number().int().min(1),
  direction: z.enum(["standard", "reverse"]),
  state: DisputeStateSchema,
  /** 0 while informal, then the formal stage the dispute stands at. */
  stage: z.number().int().min(0),
  raisedBy: PersonRefSchema,
  raisedAt: InstantSchema,
  raisedFrom: SourceSchema,
  child: ChildSchema,
  category: z.string(),
  reason: z.string(),
  concerns: z.string(),
  outcomesSought: z.string(),
  reviewDate: LocalDateSchema.optional(),
  /** Raised as the review-decision window: the recommendations of the review on `reviewDate` await ratification. */
  ratification: z.boolean().optional(),
  sourceEmail: SourceEmailSchema.optional(),
  /** Raised as an exception; `raisedAs` is the procedure's party the person raised it as ("staff", "qa", a role), absent for an IRO. */
  exception: z.object({ kind: z.string(), declaredAt: InstantSchema, raisedAs: z.string().optional() }).optional(),
  ladder: LadderSnapshotSchema,
  /** Every round at a stage, in order (a stage resumed after a hold has a second round); the last is the current one. */
  stages: z.array(StageRecordSchema).min(1),
  formalStartedAt: InstantSchema.optional(),
  capDueAt: InstantSchema.optional(),
  /** When QA and the IRO were told the 20 working day cap was near, and when it passed. */
  capNotices: z.object({ warnedAt: InstantSchema.optional(), passedAt: InstantSchema.optional() }).optional(),
  hold: z
    .object({
      until: LocalDateSchema,
      endsAt: InstantSchema,
      actionsAgreed: z.string(),
      since: InstantSchema,
      ended: z.boolean(),
    })
    .optional(),
  referrals: z.array(
    z.object({
      body: ReferralBodySchema,
      reasons: z.string(),
      informed: z.array(PersonRefSchema),
      intendedAt: InstantSchema.optional(),
      madeAt: InstantSchema.optional(),
    }),
  ),
  childContacts: ChildContactsSchema.optional(),
  told: z.array(ToldSchema).optional(),
  consultations: z.array(ConsultationRecordSchema).optional(),
  childInformed: z
    .object({ informed: z.boolean(), advocacyOffered: z.boolean(), note: z.string().optional(), at: InstantSchema })
    .optional(),
  /** How it was resolved, and the impact for the child where the IRO recorded it. */
  outcome: z.object({ text: z.string(), impact: z.string().optional(), by: PersonRefSchema, at: InstantSchema }).optional(),
  meetings: z.array(MeetingSchema).optional(),
  /** The child's voice as the IRO recorded it at each escalation and at resolution. */
  childVoice: z
    .array(
      z.object({
        stage: z.number().int().min(0),
        on: z.enum(["escalate", "resolve"]),
        told: z.boolean(),
        wishesAndFeelings: z.string().optional(),
        advocacyOffered: z.boolean(),
        routesExplained: z.boolean(),
        by: PersonRefSchema,
        at: InstantSchema,
      }),
    )
    .optional(),
  timers: z.array(TimerSchema),
  updatedAt: InstantSchema,
  /** The last accepted command, so that a refusal of an out-of-date card can say what changed and who did it. */
  lastChange: z.object({ action: z.string(), by: PersonRefSchema.nullable(), at: InstantSchema }).optional(),
});
export type Dispute = z.infer<typeof DisputeSchema>;

export const currentStage = (d: Dispute): StageRecord => d.stages[d.stages.length - 1]!;
export const isOpen = (d: Dispute) => OPEN_STATES.includes(d.state);
