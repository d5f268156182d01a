import { alertCard } from "../shared/cards/alertCard";
import type { AdaptiveCard } from "../shared/cards/cardContract";
import type { WorkingCalendar } from "../shared/calendar/workingDays";
import { RaiseDetailsSchema } from "../shared/dispute/commands";
import type { DisputeAction } from "../shared/dispute/commands";
import { RAISE_FORM_FIELDS, RAISE_LABELS } from "../shared/dispute/fieldLabels";
import { type Dispute, currentStage } from "../shared/dispute/disputeSchema";
import { decide, isAllowedIn } from "../shared/dispute/lifecycle";
import { actionsFor } from "../shared/dispute/permissions";
import type { PersonRef, Roster } from "../shared/dispute/people";
import { noticeLabels } from "../shared/messages/notices";
import { type EscalationPlan, planForDispute } from "../shared/plan/planEscalation";
import type { Procedure } from "../shared/procedure/procedureSchema";
import { words } from "../shared/cards/text";
import { raiseContacts } from "../shared/cards/contactForms";
import type { SourceEmail } from "./emailText";

/**
 * The raise form of the task pane as data: what the IRO typed → the API's raise body (checked by
 * the same schema the server uses, each problem named by its field), and the preview of what the
 * first recipient will get and who gets it when, computed here with the domain's own lifecycle,
 * calendar and plan.
 */

export type Field = keyof typeof RAISE_FORM_FIELDS;
export const FIELDS = Object.keys(RAISE_FORM_FIELDS) as Field[];
/** The fields a raise may leave empty. */
export const OPTIONAL_FIELDS: readonly Field[] = ["timescaleDays", "reviewDate", "guardianName", "guardianEmail", "solicitorName", "solicitorEmail", "inProceedings"];
export type FormValues = Record<Field, string>;

/** Each input's label: the same words the bot's form and the server's refusals use. */
export const FIELD_LABELS = Object.fromEntries(FIELDS.map((f) => [f, RAISE_LABELS[RAISE_FORM_FIELDS[f]]!])) as Record<Field, string>;

export const emptyForm = (): FormValues => Object.fromEntries(FIELDS.map((f) => [f, ""])) as FormValues;

export interface FieldError {
  field: Field;
  message: string;
}

/** The schema's path → the form field it came from. */
function fieldOf(path: readonly PropertyKey[]): Field {
  const [a, b] = path.map(String);
  if (a === "child") return b === "reference" ? "childReference" : b === "initials" ? "childInitials" : b === "legalStatus" ? "legalStatus" : "team";
  if (a === "category" || a === "reason") return "categoryReason";
  if (a === "childContacts") {
    const [, , c] = path.map(String);
    const who = b === "solicitor" ? "solicitor" : "guardian";
    return b === "inProceedings" ? "inProceedings" : c === "email" ? `${who}Email` : `${who}Name`;
  }
  if (a && (FIELDS as readonly string[]).includes(a)) return a as Field;
  return "concerns";
}

/** Friendlier words for the schema's messages, where a person needs them. */
function messageFor(field: Field, message: string, value: string): string {
  if (value.trim() === "") {
    return {
      childReference: "Give the child's case reference (letters, digits, - / _).",
      childInitials: "Give the child's initials, in capitals, e.g. J.S.",
      legalStatus: "Choose the child's legal status.",
      team: "Give the team holding the case.",
      categoryReason: "Choose the category and reason.",
      concerns: "Describe the concerns.",
      outcomesSought: "Say what outcome you are asking for.",
      startStage: "Choose where the dispute starts.",
      timescaleDays: message,
      reviewDate: message,
      guardianName: "Give the Children's Guardian's name as well as their email address.",
      guardianEmail: "Give the Children's Guardian's email address as well as their name.",
      solicitorName: "Give the child's solicitor's name as well as their email address.",
      solicitorEmail: "Give the child's solicitor's email address as well as their name.",
      inProceedings: message,
    }[field];
  }
  if (field === "childInitials") return "Initials only, in capitals (at most four), e.g. J.S.: never the child's name.";
  if (field === "guardianEmail" || field === "solicitorEmail") return `${FIELD_LABELS[field]}: write it as name@example.org.`;
  return `${FIELD_LABELS[field]} ${message}.`;
}

export type RaiseBody = ReturnType<typeof RaiseDetailsSchema.parse> & { sourceEmail?: SourceEmail };

/** The raise body for the API, or every problem, each naming its field. Nothing is sent unless this succeeds. */
export function toRaiseBody(values: FormValues, sourceEmail?: SourceEmail): { ok: true; body: RaiseBody } | { ok: false; errors: FieldError[] } {
  const [category = "", reason = ""] = values.categoryReason.split("/");
  const number = (v: string) => (v.trim() === "" ? undefined : /^\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN);
  const candidate = {
    child: { reference: values.childReference, initials: values.childInitials, legalStatus: values.legalStatus || undefined, team: values.team },
    category,
    reason,
    concerns: values.concerns,
    outcomesSought: values.outcomesSought,
    startStage: values.startStage === "" ? undefined : Number(values.startStage),
    ...(number(values.timescaleDays) !== undefined ? { timescaleDays: number(values.timescaleDays) } : {}),
    ...(values.reviewDate.trim() ? { reviewDate: values.reviewDate.trim() } : {}),
    ...(sourceEmail && Object.keys(sourceEmail).length ? { sourceEmail } : {}),
    ...raiseContacts(values),
  };
  const parsed = RaiseDetailsSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, body: parsed.data };
  const errors: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path);
    if (errors.some((e) => e.field === field)) continue;
    const message = field === "timescaleDays" ? "Shorter response time must be a whole number of working days, 1 to 20." : messageFor(field, issue.message, values[field]);
    errors.push({ field, message });
  }
  return { ok: false, errors: errors.sort((a, b) => FIELDS.indexOf(a.field) - FIELDS.indexOf(b.field)) };
}

/** Who would receive each stage: the procedure names roles; the directory names people when it is raised. */
/** Who holds each role: the team's names where the directory gave them, placeholders ("the Team Manager") elsewhere. */
function roleHolders(p: Procedure, names: Readonly<Record<string, string>>): Roster {
  const titles = new Map<string, string>();
  for (const s of [...p.stages, ...(p.reverse?.stages ?? [])]) if (!titles.has(s.role)) titles.set(s.role, s.title);
  const roles = new Set<string>([
    p.informal.role,
    ...titles.keys(),
    ...p.stages.flatMap((s) => s.notify),
    ...p.notify.onRaise,
    ...p.notify.onResolve,
    ...p.notify.qualityAssurance,
    ...p.notify.beforeReferral.cafcass,
    ...p.notify.beforeReferral.lscp,
  ]);
  return Object.fromEntries([...roles].map((role) => [role, { id: `role:${role}`, upn: `${role}@preview`, displayName: names[role] ?? `the ${titles.get(role) ?? words(role)}` }]));
}

export interface RaisePreview {
  card: AdaptiveCard;
  plan: EscalationPlan | null;
  dispute: Dispute;
}

/**
 * What the first recipient would get if the form were raised now: the real lifecycle raises a
 * copy of it here (missing entries stand in as placeholders), and the real card builder draws it.
 */
export function previewRaise(values: FormValues, procedure: Procedure, calendar: WorkingCalendar, now: Date, raisedBy: PersonRef, holders: Readonly<Record<string, string>> = {}): RaisePreview | { error: string } {
  const firstReason = procedure.categories[0]!;
  const [category, reason] = values.categoryReason.includes("/") ? values.categoryReason.split("/") : [firstReason.id, firstReason.reasons[0]!.id];
  const checked = toRaiseBody(values);
  const bad = new Set(checked.ok ? [] : checked.errors.map((e) => e.field));
  const ok = (field: Field, fallback: string) => (bad.has(field) ? fallback : values[field].trim());
  const startStage = values.startStage === "" ? 1 : Number(values.startStage);
  const days = /^\d+$/.test(values.timescaleDays.trim()) ? Number(values.timescaleDays.trim()) : undefined;
  const roster = roleHolders(procedure, holders);
  const decision = decide(
    undefined,
    {
      action: "raise",
      disputeId: "new",
      tenantId: "preview",
      direction: "standard",
      details: {
        child: {
          reference: ok("childReference", "CASE-REF"),
          initials: ok("childInitials", "XX"),
          legalStatus: (values.legalStatus || "looked-after") as "looked-after",
          team: ok("team", "team"),
        },
        category: category!,
        reason: reason!,
        concerns: values.concerns.trim() || "The concerns you write appear here.",
        outcomesSought: values.outcomesSought.trim() || "The outcomes you ask for appear here.",
        startStage,
        ...(days && days >= 1 && days <= 20 ? { timescaleDays: days } : {}),
        ...(/^\d{4}-\d{2}-\d{2}$/.test(values.reviewDate) ? { reviewDate: values.reviewDate } : {}),
      },
    },
    { actor: { kind: "person", person: raisedBy, capabilities: ["iro"] }, now, procedure, calendar, roster, source: "outlook" },
  );
  if (!decision.ok) return { error: decision.error.message };
  const d = decision.value.dispute;
  const s = currentStage(d);
  const assignee = { kind: "person" as const, person: s.assignee, capabilities: [] };
  // Placeholders stand in for the directory's holders: the plan keeps their stages, but names nobody above the first.
  const planned = planForDispute(d, calendar);
  const plan = planned && { ...planned, stages: planned.stages.map(({ holder, ...s }, i) => (i === 0 && holder ? { ...s, holder } : s)) };
  const labels = noticeLabels(procedure, d);
  const card = alertCard({
    dispute: d,
    history: [],
    plan,
    viewer: "assignee",
    actions: actionsFor(d, assignee, (a) => isAllowedIn(a, d.state)) as DisputeAction[],
    labels: { category: labels.category ?? d.category, reason: labels.reason ?? d.reason },
    workingDaysLeft: s.dueAt ? calendar.workingDaysLeft(now, new Date(s.dueAt)) : null,
    refreshUserIds: [],
    banner: { text: "Preview: the card the first recipient gets", tone: "default" },
  });
  return { card, plan, dispute: d };
}
