import { z } from "zod";
import { isClockTime } from "../calendar/londonTime";
import { type Result, err, ok } from "../result";
import { RoleIdSchema } from "./roleId";
import { ChainSchema, ChildContactRulesSchema, ConsultationSchema } from "./toldSchema";

export { RoleIdSchema, type RoleId } from "./roleId";

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be an id in lower-case-with-hyphens");

/**
 * Who may take a step: "iro" (the IRO who raised the dispute), "qa" (anyone in the QA service), or
 * a role id (whoever holds that role on the dispute, e.g. "qa-service-manager").
 */
export const PartySchema = RoleIdSchema;
export type Party = z.infer<typeof PartySchema>;
/** The parties who may decide unless the procedure names others: the IRO and the QA service. */
export const DEFAULT_DECIDERS: readonly Party[] = ["iro", "qa"];

/**
 * Who may raise an exception: "staff" (anyone in the authority's directory), or the parties above.
 * Lambeth 9: the DCS and the LSCP are made aware "by whoever first comes to know", so anyone in
 * the directory when the procedure does not narrow it.
 */
export const ExceptionRaiserSchema = z.union([z.literal("staff"), PartySchema]);
export type ExceptionRaiser = z.infer<typeof ExceptionRaiserSchema>;
export const DEFAULT_EXCEPTION_RAISERS: readonly ExceptionRaiser[] = ["staff"];

/** When a deadline passes with no answer: the IRO decides, the QA service decides, or it escalates on its own. */
export const DeadlineRuleSchema = z.enum(["ask-iro", "ask-qa", "escalate"]);
export type DeadlineRule = z.infer<typeof DeadlineRuleSchema>;

export const StageSchema = z.strictObject({
  stage: z.number().int().min(1),
  role: RoleIdSchema,
  title: z.string().min(1),
  /** Working days to answer; absent only where `timescale` is "none". */
  responseDays: z.number().int().min(1).max(20).optional(),
  /**
   * "none": the procedure sets this stage no timescale (a report to a director): no deadline, no
   * reminders, though the cap on the whole process still runs. Said outright, so a forgotten
   * `responseDays` is refused rather than read as no deadline.
   */
  timescale: z.literal("none").optional(),
  /** A written reply on the alert, or a minuted meeting chaired by the stage's officer. */
  mode: z.enum(["written", "meeting"]),
  /** Who else is told when a dispute reaches this stage. */
  notify: z.array(RoleIdSchema).default([]),
  /** "Where applicable": skipped (and the plan says so) when nobody holds the role, instead of refusing the raise. */
  optional: z.boolean().optional(),
  /** Roles that hold the stage together with `role` (social worker and team manager): either may answer. */
  jointRoles: z.array(RoleIdSchema).optional(),
  /** Who may escalate from this stage; the IRO and QA when not said. */
  escalateBy: z.array(PartySchema).min(1).optional(),
  /** Who decides when this stage's deadline passes with no answer; the procedure's `onDeadline` when not said. */
  onDeadline: DeadlineRuleSchema.optional(),
  /** The document leaves this stage's role or timescale open: what is here is the product's default, and users are shown so. */
  productDefault: z.boolean().optional(),
  /** Where the procedure says so, e.g. "Annex B". */
  source: z.string().optional(),
});
export type Stage = z.infer<typeof StageSchema>;

/** A stage's working days to answer, or undefined where the procedure sets it no timescale. */
export const timescaleOf = (s: Pick<Stage, "responseDays" | "timescale">): number | undefined => (s.timescale === "none" ? undefined : s.responseDays);

/** Stages numbered 1, 2, 3… in order, each with its working days or, said outright, none. */
function checkLadder(stages: { stage: number; responseDays?: number; timescale?: "none" }[], ctx: z.RefinementCtx) {
  stages.forEach((s, i) => {
    if ((s.responseDays === undefined) === (s.timescale === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [i, s.timescale ? "timescale" : "responseDays"],
        message: s.timescale ? 'must not be given beside responseDays: a stage has working days or "none"' : 'give the working days to answer, or timescale "none" where the procedure sets none',
      });
    }
    if (s.stage !== i + 1) {
      ctx.addIssue({
        code: "custom",
        path: [i, "stage"],
        message: `must be ${i + 1}: stages are numbered 1, 2, 3… in order`,
      });
    }
  });
}

const LadderSchema = z.array(StageSchema).min(1).superRefine(checkLadder);

export const ReminderSchema = z.strictObject({
  /** 1 = the working day before the deadline, 0 = the day it falls due. */
  workingDaysBefore: z.number().int().min(0).max(10),
  at: z.string().refine(isClockTime, "must be a time written HH:MM"),
});

export const CategorySchema = z.strictObject({
  id: idSchema,
  label: z.string().min(1),
  reasons: z.array(z.strictObject({ id: idSchema, label: z.string().min(1) })).min(1),
});
export type Category = z.infer<typeof CategorySchema>;

/**
 * A procedure file. Every object is strict: an unknown key is refused, naming it, because a
 * misspelt rule (`notfy`) would otherwise be dropped and silently change the procedure.
 */
export const ProcedureSchema = z
  .strictObject({
    id: idSchema,
    authority: z.string().min(1),
    title: z.string().min(1),
    /** The document this file encodes: title, version and date. */
    source: z.string().min(1),
    informal: z.strictObject({
      enabled: z.boolean(),
      /** Working days the IRO gives by default for informal resolution. */
      defaultDays: z.number().int().min(1).max(20),
      role: RoleIdSchema,
      /** Roles that hold the informal stage together with `role`: either may answer. */
      jointRoles: z.array(RoleIdSchema).optional(),
      /** Count the informal window from the review date ("within 5 working days of the review"), not from the raise. */
      from: z.enum(["raised", "review"]).optional(),
    }),
    stages: LadderSchema,
    /**
     * The review-decision window (Redbridge 2.2, Blackburn 13, IRO guidance 1): the role ratifies or
     * contests the review's recommendations within `days` working days of the review, or they stand
     * as decisions; contested, the IRO escalates at `contestStage` (or the first stage above it someone holds).
     */
    reviewDecisions: z
      .strictObject({
        role: RoleIdSchema,
        days: z.number().int().min(1).max(20),
        contestStage: z.number().int().min(1),
        source: z.string().optional(),
      })
      .optional(),
    /** The whole formal process must fit in this many working days (IRO Handbook 6.2: 20). */
    capWorkingDays: z.number().int().min(1).max(60).default(20),
    /** Warn the IRO and QA this many working days before the cap. */
    capWarningDays: z.number().int().min(0).max(10).default(2),
    /** Upper limit on the first response the IRO may set, where the procedure has one. */
    firstResponseMaxDays: z.number().int().min(1).max(20).optional(),
    /** When a deadline passes with no answer: ask the IRO what to do, ask QA, or escalate on our own. */
    onDeadline: DeadlineRuleSchema,
    /** Who may resolve or withdraw a dispute: the IRO and QA when not said; a QA role id narrows QA to its holder. */
    closeBy: z.array(PartySchema).min(1).optional(),
    reminders: z.array(ReminderSchema).default([]),
    categories: z.array(CategorySchema).min(1),
    notify: z.strictObject({
      onRaise: z.array(RoleIdSchema).default([]),
      onResolve: z.array(RoleIdSchema).default([]),
      onException: z.array(RoleIdSchema).min(1),
      /** Who must be told before the IRO refers to CAFCASS (s.118 ACA 2002) or the LSCP. */
      beforeReferral: z.strictObject({
        cafcass: z.array(RoleIdSchema).default([]),
        lscp: z.array(RoleIdSchema).default([]),
      }),
      positiveFeedback: z.array(RoleIdSchema).default([]),
      /** The IRO's own managers, who oversee every dispute. */
      qualityAssurance: z.array(RoleIdSchema).min(1),
      /** Notices relayed as the procedure words them: who, once told, tells whom. */
      chains: z.array(ChainSchema).default([]),
    }),
    /** Consultations a step waits for, recorded by the IRO (who, when, outcome). */
    consultations: z.array(ConsultationSchema).default([]),
    /** The child's Children's Guardian and solicitor: when the procedure tells them, and the court rule while in proceedings. */
    childContacts: ChildContactRulesSchema.optional(),
    exceptions: z.strictObject({
      kinds: z.array(z.strictObject({ id: idSchema, label: z.string().min(1) })).min(1),
      /** The stage an exception goes to at once. */
      stage: z.number().int().min(1),
      /** Who may raise one; anyone in the authority's directory when not said (whoever first comes to know). */
      raisedBy: z.array(ExceptionRaiserSchema).min(1).optional(),
      /**
       * Who else is told at once when someone who is not an IRO raises one, so the IRO service can take
       * it on; the QA service (`notify.qualityAssurance`) when not said.
       */
      notifyWhenNotIro: z.array(RoleIdSchema).optional(),
    }),
    /** The ladder for a concern raised by the service about the IRO (Lambeth 7). */
    reverse: z.strictObject({ stages: LadderSchema }).optional(),
    /** Where the procedure says so, per rule. */
    notes: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((p, ctx) => {
    if (p.exceptions.stage > p.stages.length) {
      ctx.addIssue({
        code: "custom",
        path: ["exceptions", "stage"],
        message: `must be a stage of the ladder (1 to ${p.stages.length})`,
      });
    }
    if (p.reviewDecisions && p.reviewDecisions.contestStage > p.stages.length) {
      ctx.addIssue({ code: "custom", path: ["reviewDecisions", "contestStage"], message: `must be a stage of the ladder (1 to ${p.stages.length})` });
    }
    const categoryIds = new Set<string>();
    p.categories.forEach((c, i) => {
      if (categoryIds.has(c.id)) {
        ctx.addIssue({ code: "custom", path: ["categories", i, "id"], message: `"${c.id}" is used twice` });
      }
      categoryIds.add(c.id);
    });
  });

export type Procedure = z.infer<typeof ProcedureSchema>;
export type ProcedureInput = z.input<typeof ProcedureSchema>;

/** A zod path written the way a person edits JSON: stages[2].responseDays. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join("");
}

/**
 * Every problem in one message, each naming its field by its path, as the administrator or IT
 * editing the file writes it (`stages[2].responseDays`); an unknown key is named by its own path.
 * For files and settings only: what a person fills in on a form is described by its labels
 * (shared/dispute/fieldLabels.ts).
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => `${formatPath([...issue.path, key])}: is not a field here (misspelt?)`)
        : [`${issue.path.length ? formatPath(issue.path) : "(top level)"}: ${issue.message}`],
    )
    .join("; ");
}

/** Checks a procedure a council wrote; `source` names the file in the message. */
export function parseProcedure(input: unknown, source = "procedure"): Result<Procedure> {
  const parsed = ProcedureSchema.safeParse(input);
  if (!parsed.success) return err(`${source} is not a valid procedure (fields named by their path in the file): ${describeIssues(parsed.error)}`);
  return ok(parsed.data);
}
