import type { DisputeAction } from "../dispute/commands";
import type { CardActionData } from "./cardContract";
import { CONTACT_FIELDS, contactsCommand } from "./contactForms";

/** The inputs of each action's form on a dispute's card, and reading what a card sends back into a command. */

/** The child's voice, asked at each escalation and at resolution: the command's `childVoice`, field by field. */
export const CHILD_VOICE = ["childVoice.told", "childVoice.wishesAndFeelings", "childVoice.advocacyOffered", "childVoice.routesExplained"] as const;

/**
 * Each action's inputs, by the form (ShowCard) that holds them. Input ids are `form.field`: ids
 * must be unique in the whole card (Teams' mobile renderers refuse a card with two inputs of one
 * id), and several forms ask for a `reason`, an `until`, a `to`.
 */
export const FORMS: Record<DisputeAction, { form: string; fields: readonly string[] }> = {
  respond: { form: "respond", fields: ["response", "actionsAgreed", "completionDate"] },
  acknowledge: { form: "acknowledge", fields: [] },
  "request-more-time": { form: "more-time", fields: ["days", "reason"] },
  escalate: { form: "escalate", fields: ["toStage", "rationale", "timescaleDays", ...CHILD_VOICE] },
  extend: { form: "extend", fields: ["until", "reason"] },
  hold: { form: "hold", fields: ["until", "actionsAgreed"] },
  resume: { form: "resume", fields: ["reason"] },
  resolve: { form: "resolve", fields: ["outcome", "impact", ...CHILD_VOICE] },
  withdraw: { form: "withdraw", fields: ["reason"] },
  reassign: { form: "reassign", fields: ["to", "reason"] },
  "intend-referral": { form: "refer", fields: ["to", "reasons"] },
  refer: { form: "refer", fields: ["to", "reasons"] },
  "record-child-informed": { form: "child-informed", fields: ["informed", "advocacyOffered", "note"] },
  "add-note": { form: "add-note", fields: ["note"] },
  "request-meeting": { form: "meeting", fields: ["invite", "by"] },
  "record-meeting": { form: "minutes", fields: ["heldOn", "chair", "attended", "minutes", "outcome"] },
  "set-child-contacts": { form: "contacts", fields: CONTACT_FIELDS },
  "record-consultation": { form: "consult", fields: ["consultation", "on", "outcome"] },
};

/** The id of an input on the alert card: `inputId("respond", "response")` → "respond.response". */
export const inputId = (action: DisputeAction, field: string) => `${FORMS[action].form}.${field}`;

const NUMBERS = new Set(["days", "toStage", "timescaleDays"]);
const BOOLEANS = new Set(["informed", "advocacyOffered", "childVoice.told", "childVoice.advocacyOffered", "childVoice.routesExplained"]);
/** An input the card refuses to send empty, with the message it shows. */
export const required = (message: string) => ({ isRequired: true, errorMessage: message });
/** Multi-select choice sets send "a,b,c". */
const LISTS = new Set(["invite", "attended"]);

/**
 * What an Action.Execute from the alert card asks for, as the fields of the command: inputs read
 * by their card id (or by the bare field name, for callers that post plain JSON), empty inputs
 * left out, numbers and toggles turned back into numbers and booleans (Teams sends strings), and
 * the card's version as `expectedVersion`. A field `a.b` fills `b` of the command's object `a`
 * (`childVoice.told`). `reassign.to` is the UPN of the person chosen: the server looks them up.
 * The result still goes through the command schema.
 */
export function cardCommand(action: DisputeAction, data: CardActionData): { action: DisputeAction; expectedVersion?: number } & Record<string, unknown> {
  const command: { action: DisputeAction; expectedVersion?: number } & Record<string, unknown> = { action };
  const version = typeof data.version === "string" ? Number(data.version) : data.version;
  if (typeof version === "number" && Number.isInteger(version)) command.expectedVersion = version;
  for (const field of FORMS[action].fields) {
    const [outer, inner] = field.split(".") as [string, string | undefined];
    const posted = inner ? (data[outer] as Record<string, unknown> | undefined) : undefined;
    let value = data[inputId(action, field)] ?? data[field] ?? (posted && typeof posted === "object" ? posted[inner!] : undefined);
    if (typeof value === "string") {
      value = value.trim();
      if (value === "") continue;
      if (NUMBERS.has(field) && /^-?\d+$/.test(value as string)) value = Number(value);
      else if (BOOLEANS.has(field) && (value === "true" || value === "false")) value = value === "true";
      else if (LISTS.has(field)) value = (value as string).split(",").map((x) => x.trim()).filter(Boolean);
    }
    if (value === undefined || value === null) continue;
    if (inner) command[outer] = { ...(command[outer] as Record<string, unknown> | undefined), [inner]: value };
    else command[field] = value;
  }
  return action === "set-child-contacts" ? (contactsCommand(command) as typeof command) : command;
}
