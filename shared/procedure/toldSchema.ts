import { z } from "zod";
import { RoleIdSchema } from "./roleId";

// Who is told, as a procedure words it: notices relayed down a chain, consultations a step waits
// for, and the child's own contacts (the Children's Guardian and the solicitor in their proceedings).

/** The moments a procedure tells someone: the raise, each escalation, a referral, the resolution. */
export const OccasionSchema = z.enum(["raise", "escalate", "cafcass-referral", "lscp-referral", "resolve"]);
export type Occasion = z.infer<typeof OccasionSchema>;

const ruleSource = {
  /** Where the procedure says so, e.g. "ORP, referral". */
  source: z.string().optional(),
  /** The document leaves this open: the rule is the product's default, and users are shown so. */
  productDefault: z.boolean().optional(),
};

/**
 * "They will inform their Manager of this referral who will in turn inform the AD and Senior
 * Manager" (Cumberland): when `by` is told on `on`, the same notice goes on to `to`, sent as told by
 * `by`, so the record shows who told whom.
 */
export const ChainSchema = z.strictObject({
  on: OccasionSchema,
  by: RoleIdSchema,
  to: z.array(RoleIdSchema).min(1),
  ...ruleSource,
});
export type Chain = z.infer<typeof ChainSchema>;

/**
 * A consultation a step waits for: "following consultation with Senior Management" (Lambeth 7).
 * The step is refused until the IRO records who was consulted, on which day, and the outcome.
 */
export const ConsultationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be an id in lower-case-with-hyphens"),
  /** Who is consulted, as the procedure names them: "Senior management". */
  label: z.string().min(1),
  /** The steps that wait for it. */
  before: z.array(z.enum(["cafcass-referral", "lscp-referral"])).min(1),
  ...ruleSource,
});
export type Consultation = z.infer<typeof ConsultationSchema>;

export const ChildContactKindSchema = z.enum(["guardian", "solicitor"]);
export type ChildContactKind = z.infer<typeof ChildContactKindSchema>;

/**
 * The child's contacts the procedure tells, and when. They are outside the authority, so they are
 * told by mail only, and told once per occasion: "raise" means while the dispute is open, so a
 * Guardian named after the raise is told when named.
 */
export const ChildContactRuleSchema = z.strictObject({
  contact: ChildContactKindSchema,
  on: z.array(OccasionSchema).min(1),
  /** Only while the child is in proceedings (the dispute's "in proceedings" flag). */
  inProceedingsOnly: z.boolean().optional(),
  ...ruleSource,
});

/** While the child is in proceedings, these roles (the authority's solicitors) are told so that they tell the court. */
export const CourtRuleSchema = z.strictObject({
  tell: z.array(RoleIdSchema).min(1),
  on: z.array(OccasionSchema).min(1),
  ...ruleSource,
});

export const ChildContactRulesSchema = z.strictObject({
  tell: z.array(ChildContactRuleSchema).default([]),
  court: CourtRuleSchema.optional(),
});
export type ChildContactRules = z.infer<typeof ChildContactRulesSchema>;
