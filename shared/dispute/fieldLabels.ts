import type { z } from "zod";
import type { DisputeAction } from "./commands";

/**
 * The label a person sees on each input (the alert card's forms, the raise form, the task pane,
 * the tab), by the field's path in the request body: the one place refusals take a field's name
 * from, so a message says "Agreed completion date", never `until`. The cards' labels may add a
 * hint after it ("(optional)", "(a working day)"); test/unit/fieldLabels.test.ts holds them to it.
 */

/** The raise form (bot card, task pane, API body). */
export const RAISE_LABELS: Readonly<Record<string, string>> = {
  "child.reference": "Case reference",
  "child.initials": "Child's initials",
  "child.legalStatus": "Legal status",
  "child.team": "Team",
  category: "Category and reason",
  reason: "Category and reason",
  concerns: "Concerns",
  outcomesSought: "Outcomes sought",
  startStage: "Start at",
  timescaleDays: "Shorter response time",
  reviewDate: "Linked review date",
  ratification: "Review recommendations awaiting ratification",
  sourceEmail: "Linked e-mail",
  "childContacts.guardian.name": "Children's Guardian: name",
  "childContacts.guardian.email": "Children's Guardian: email address",
  "childContacts.solicitor.name": "Child's solicitor: name",
  "childContacts.solicitor.email": "Child's solicitor: email address",
  "childContacts.inProceedings": "The child is in court proceedings",
};

/** What a raise asks beside the form: which way it runs, and the exception it is. */
const RAISE_COMMAND_LABELS = { direction: "Direction", exceptionKind: "Exception" };

/** The raise form's inputs (bot card, task pane) by their ids, → the field of the body they fill. */
export const RAISE_FORM_FIELDS = {
  childReference: "child.reference",
  childInitials: "child.initials",
  legalStatus: "child.legalStatus",
  team: "child.team",
  categoryReason: "category",
  concerns: "concerns",
  outcomesSought: "outcomesSought",
  startStage: "startStage",
  timescaleDays: "timescaleDays",
  reviewDate: "reviewDate",
  guardianName: "childContacts.guardian.name",
  guardianEmail: "childContacts.guardian.email",
  solicitorName: "childContacts.solicitor.name",
  solicitorEmail: "childContacts.solicitor.email",
  inProceedings: "childContacts.inProceedings",
} as const;

const CHILD_VOICE = {
  childVoice: "The child's voice",
  "childVoice.told": "Has the child been told of this step?",
  "childVoice.wishesAndFeelings": "The child's wishes and feelings (optional)",
  "childVoice.advocacyOffered": "Was the child offered an advocate?",
  "childVoice.routesExplained": "Were the ways to complain or get legal advice explained to the child?",
};

/** Each action's inputs on the alert card and in the tab. */
export const ACTION_LABELS: Readonly<Record<DisputeAction, Readonly<Record<string, string>>>> = {
  respond: { response: "Your response", actionsAgreed: "Actions agreed", completionDate: "Agreed completion date" },
  acknowledge: {},
  "request-more-time": { days: "How many more working days", reason: "Why" },
  escalate: { toStage: "Escalate to", rationale: "Rationale", timescaleDays: "Shorter response time in working days", ...CHILD_VOICE },
  extend: { until: "New due date", reason: "Why" },
  hold: { until: "Agreed completion date", actionsAgreed: "Actions agreed" },
  resume: { reason: "Why it resumes" },
  resolve: { outcome: "Outcome, for the child's record", impact: "Impact for the child", ...CHILD_VOICE, "childVoice.told": "Has the child been told of the outcome?" },
  withdraw: { reason: "Why the dispute is withdrawn" },
  reassign: { to: "Give it to", role: "Role", reason: "Why" },
  "intend-referral": { to: "Refer to", reasons: "Reasons" },
  refer: { to: "Refer to", reasons: "Reasons" },
  "record-child-informed": { informed: "Child informed", advocacyOffered: "Advocacy", note: "Note" },
  "add-note": { note: "Note, for the record" },
  "request-meeting": { invite: "Also invite", by: "To be held by" },
  "record-meeting": { heldOn: "Held on", chair: "Chaired by", attended: "Attended", minutes: "Minutes", outcome: "Outcome" },
  "set-child-contacts": {
    guardian: "Children's Guardian",
    "guardian.name": "Children's Guardian: name",
    "guardian.email": "Children's Guardian: email address",
    solicitor: "Child's solicitor",
    "solicitor.name": "Child's solicitor: name",
    "solicitor.email": "Child's solicitor: email address",
    inProceedings: "The child is in court proceedings",
  },
  "record-consultation": { consultation: "Consulted", on: "Consulted on", outcome: "Outcome" },
};

/** The good-practice form (bot card, tab, API body). */
export const FEEDBACK_LABELS: Readonly<Record<string, string>> = {
  team: "Team",
  workerUpn: "Worker",
  childReference: "Case reference",
  feedback: "What you saw",
};

export type Labels = Readonly<Record<string, string>>;

/** The labels of a whole command's fields: a raise's form sits under `details`. */
export function commandLabels(action: unknown): Labels {
  if (action === "raise" || action === "raise-exception") return { ...RAISE_COMMAND_LABELS, ...Object.fromEntries(Object.entries(RAISE_LABELS).map(([k, v]) => [`details.${k}`, v])) };
  return typeof action === "string" && action in ACTION_LABELS ? ACTION_LABELS[action as DisputeAction] : {};
}

/** A body's path as its key: `child.reference`, `attended`. */
export const pathKey = (path: readonly PropertyKey[]) => path.filter((k) => typeof k !== "number").map(String).join(".");

/**
 * The label of a body's field; a part of a field (the `upn` of a person chosen) goes by the field's
 * label, as the form shows it; a field no form shows, by its name in words ("Expected version").
 */
export function labelOf(labels: Labels, path: readonly PropertyKey[]): string {
  const keys = pathKey(path).split(".");
  for (let n = keys.length; n > 0; n--) {
    const label = labels[keys.slice(0, n).join(".")];
    if (label) return label;
  }
  const last = keys[keys.length - 1] ?? "";
  const spaced = last.replace(/([A-Z])/g, " $1").toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** What a value must be, in words, from zod's name of its type. */
const KIND: Record<string, string> = { string: "text", number: "a number", int: "a whole number", boolean: "yes or no", array: "a list", object: "a group of fields" };

type Issue = z.core.$ZodIssue;

/** A schema's message as the end of a sentence: one full stop, even after "e.g. J.S.". */
const sentenceEnd = (message: string) => (message.endsWith(".") ? message : `${message}.`);

/** One problem in plain English, the field named by its label; an unknown field by the name it was sent as. */
function sentence(issue: Issue, labels: Labels): string[] {
  if (issue.code === "unrecognized_keys") return issue.keys.map((key) => `"${[pathKey(issue.path), key].filter(Boolean).join(".")}" is not a field of this form (misspelt?); nothing was changed.`);
  const label = labelOf(labels, issue.path);
  // A schema's own words ("type at least 2 letters") say it best; zod's defaults are reworded below.
  if (issue.code !== "invalid_type" && !/^(Too small|Too big|Invalid)\b/.test(issue.message)) return [`${label}: ${sentenceEnd(issue.message)}`];
  switch (issue.code) {
    case "invalid_type":
      // zod keeps no input on an issue unless asked: its own message says what was received.
      if (/received undefined$/.test(issue.message)) return [`${label}: this is needed.`];
      return [/^Invalid input/.test(issue.message) ? `${label}: must be ${KIND[issue.expected] ?? issue.expected}.` : `${label}: ${sentenceEnd(issue.message)}`];
    case "too_small":
      if (issue.origin === "string") return [Number(issue.minimum) <= 1 ? `${label}: must not be empty.` : `${label}: must be at least ${issue.minimum} characters.`];
      if (issue.origin === "array") return [`${label}: choose at least ${issue.minimum}.`];
      return [`${label}: must be at least ${issue.minimum}.`];
    case "too_big":
      if (issue.origin === "string") return [`${label}: must be at most ${issue.maximum} characters.`];
      if (issue.origin === "array") return [`${label}: choose at most ${issue.maximum}.`];
      return [`${label}: must be at most ${issue.maximum}.`];
    case "invalid_value":
      return [`${label}: choose one of ${issue.values.map(String).join(", ")}.`];
    case "invalid_union":
      return [`${label}: not one the form offers.`];
    default:
      // The schemas' own messages (refinements, formats) read as plain English after the label.
      return [`${label}: ${sentenceEnd(issue.message)}`];
  }
}

/** A refused request body: every problem in one message, and the first field it names for the form to mark. */
export function describeBody(error: z.ZodError, labels: Labels): { message: string; field?: string } {
  const message = error.issues.flatMap((issue) => sentence(issue, labels)).join(" ");
  const first = error.issues.find((i) => i.code !== "unrecognized_keys" && i.path.length);
  return first ? { message, field: pathKey(first.path) } : { message };
}
