import { z } from "zod";
import { ChildContactSchema, ChildContactsSchema, ChildSchema, InstantSchema, LocalDateSchema, ReferralBodySchema, SourceEmailSchema, text } from "./disputeSchema";
import { PersonRefSchema } from "./people";
import { RoleIdSchema } from "../procedure/procedureSchema";

/** The limits on what a person types (README, "Limits"): a longer text is refused naming its field. */
export const LONG = 4000;
export const SHORT = 2000;

/**
 * A request body's object: an unknown field is refused, naming it, never dropped in silence (a
 * child's name sent as `child.name` must not be accepted and lost, nor a typo ignored).
 */
/** What an IRO fills in to raise a dispute: the API's body, the bot's form, the add-in's form. */
export const RaiseDetailsSchema = z.strictObject({
  child: z.strictObject(ChildSchema.shape),
  category: z.string().trim().min(1).max(80),
  /** A reason id of the category, or its label as written. */
  reason: z.string().trim().min(1).max(200),
  concerns: text(LONG),
  outcomesSought: text(LONG),
  /** 0 = informal; otherwise the formal stage to start at (the IRO may bypass stages). */
  startStage: z.number().int().min(0).max(12).default(1),
  /** A shorter response time for the first stage, set by the needs of the child. */
  timescaleDays: z.number().int().min(1).max(20).optional(),
  reviewDate: LocalDateSchema.optional(),
  /** Open the review-decision window instead of a dispute stage: the review's recommendations await ratification. */
  ratification: z.boolean().optional(),
  sourceEmail: z.strictObject(SourceEmailSchema.shape).optional(),
  /** The child's Children's Guardian and solicitor, and whether the child is in proceedings. */
  childContacts: ChildContactsSchema.optional(),
});
export type RaiseDetails = z.input<typeof RaiseDetailsSchema>;

/**
 * The child's voice at an escalation or a resolution: whether they were told, their wishes and
 * feelings, whether advocacy was offered and the complaints or legal advice routes explained.
 */
export const ChildVoiceSchema = z.strictObject({
  told: z.boolean(),
  wishesAndFeelings: text(LONG).optional(),
  advocacyOffered: z.boolean(),
  routesExplained: z.boolean(),
});
export type ChildVoice = z.infer<typeof ChildVoiceSchema>;

const withId = { disputeId: z.string().min(1).max(64), tenantId: z.string().min(1).max(64) };
/** The version of the dispute the person was looking at; an older one makes the command stale. */
const expectedVersion = { expectedVersion: z.number().int().min(1).optional() };
const token = { token: z.string().min(1) };

export const CommandSchema = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("raise"), ...withId, direction: z.enum(["standard", "reverse"]).default("standard"), details: RaiseDetailsSchema }),
  z.strictObject({
    action: z.literal("raise-exception"),
    ...withId,
    exceptionKind: z.string().min(1).max(60),
    /** The same form as a raise; an exception goes straight to its stage, so its start stage and timescale are not used. */
    details: RaiseDetailsSchema,
  }),
  z.strictObject({
    action: z.literal("respond"),
    ...expectedVersion,
    response: text(LONG),
    actionsAgreed: text(LONG).optional(),
    completionDate: LocalDateSchema.optional(),
  }),
  z.strictObject({ action: z.literal("acknowledge"), ...expectedVersion }),
  z.strictObject({ action: z.literal("request-more-time"), ...expectedVersion, days: z.number().int().min(1).max(20), reason: text(SHORT) }),
  z.strictObject({
    action: z.literal("escalate"),
    ...expectedVersion,
    rationale: text(SHORT),
    /** Omitted: the next stage. */
    toStage: z.number().int().min(1).max(12).optional(),
    timescaleDays: z.number().int().min(1).max(20).optional(),
    childVoice: ChildVoiceSchema.optional(),
  }),
  z.strictObject({
    action: z.literal("extend"),
    ...expectedVersion,
    /** The new due date for the current stage. */
    until: LocalDateSchema,
    reason: text(SHORT),
  }),
  z.strictObject({ action: z.literal("hold"), ...expectedVersion, until: LocalDateSchema, actionsAgreed: text(LONG) }),
  z.strictObject({ action: z.literal("resume"), ...expectedVersion, reason: text(SHORT).optional() }),
  z.strictObject({
    action: z.literal("resolve"),
    ...expectedVersion,
    outcome: text(LONG),
    /** What difference it made for the child (Lambeth, Evidencing Impact): the monthly report's outcomes narrative. */
    impact: text(LONG).optional(),
    childVoice: ChildVoiceSchema.optional(),
  }),
  z.strictObject({ action: z.literal("withdraw"), ...expectedVersion, reason: text(SHORT) }),
  z.strictObject({
    action: z.literal("reassign"),
    ...expectedVersion,
    /** Omitted: the role of the current stage. */
    role: RoleIdSchema.optional(),
    to: PersonRefSchema,
    reason: text(SHORT),
  }),
  z.strictObject({ action: z.literal("intend-referral"), ...expectedVersion, to: ReferralBodySchema, reasons: text(LONG) }),
  z.strictObject({ action: z.literal("refer"), ...expectedVersion, to: ReferralBodySchema, reasons: text(LONG).optional() }),
  z.strictObject({
    action: z.literal("record-child-informed"),
    ...expectedVersion,
    informed: z.boolean(),
    advocacyOffered: z.boolean(),
    note: text(SHORT).optional(),
  }),
  z.strictObject({ action: z.literal("add-note"), ...expectedVersion, note: text(SHORT) }),
  z.strictObject({
    action: z.literal("request-meeting"),
    ...expectedVersion,
    /** Who is invited besides the IRO and whoever asks: roles on the dispute. */
    invite: z.array(RoleIdSchema).max(12).default([]),
    /** The working day it must be held by; omitted, the current stage's due date (or 5 working days). */
    by: LocalDateSchema.optional(),
  }),
  z.strictObject({
    action: z.literal("record-meeting"),
    ...expectedVersion,
    heldOn: LocalDateSchema,
    /** Who chaired and who attended: "iro" or roles on the dispute. */
    chair: RoleIdSchema,
    attended: z.array(RoleIdSchema).min(1).max(20),
    minutes: text(LONG),
    outcome: text(LONG),
  }),
  /** The child's contacts as the IRO now knows them: a field left out stays as it was; null removes the contact. */
  z.strictObject({
    action: z.literal("set-child-contacts"),
    ...expectedVersion,
    guardian: ChildContactSchema.nullable().optional(),
    solicitor: ChildContactSchema.nullable().optional(),
    inProceedings: z.boolean().optional(),
  }),
  z.strictObject({
    action: z.literal("record-consultation"),
    ...expectedVersion,
    /** The consultation's id in the procedure, e.g. "senior-management". */
    consultation: z.string().min(1).max(60),
    on: LocalDateSchema,
    outcome: text(SHORT),
  }),
  z.strictObject({ action: z.literal("reminder-due"), ...token }),
  z.strictObject({ action: z.literal("deadline-passed"), ...token }),
  z.strictObject({ action: z.literal("hold-ended"), ...token }),
  z.strictObject({ action: z.literal("cap-warning"), ...token }),
  z.strictObject({ action: z.literal("cap-passed"), ...token }),
  /** The holder's automatic replies say they are away past the stage's deadline (until `until`, or with no return date). */
  z.strictObject({ action: z.literal("holder-away"), stage: z.number().int().min(0), until: InstantSchema.optional() }),
]);
export type Command = z.input<typeof CommandSchema>;
export type ParsedCommand = z.output<typeof CommandSchema>;
export type Action = ParsedCommand["action"];
export type CommandOf<A extends Action> = Extract<ParsedCommand, { action: A }>;

/** The commands a person takes on a dispute that exists (the API's and the card's actions). */
export const DISPUTE_ACTIONS = [
  "respond", "acknowledge", "request-more-time", "escalate", "extend", "hold", "resume", "resolve",
  "withdraw", "reassign", "intend-referral", "refer", "record-child-informed", "add-note", "request-meeting", "record-meeting",
  "set-child-contacts", "record-consultation",
] as const satisfies readonly Action[];
export type DisputeAction = (typeof DISPUTE_ACTIONS)[number];

export const SYSTEM_ACTIONS = ["reminder-due", "deadline-passed", "hold-ended", "cap-warning", "cap-passed", "holder-away"] as const satisfies readonly Action[];
