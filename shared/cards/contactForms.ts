import type { DisputeAction } from "../dispute/commands";
import type { Dispute } from "../dispute/disputeSchema";
import { type CardElement, escapeMarkdown, textBlock } from "./text";

// The IRO's forms on the alert card for who is told beyond the ladder: the child's Children's
// Guardian and solicitor (with the "in proceedings" flag), and a consultation a referral waits for.

/** The card's flat inputs for the child's contacts; `contactsCommand` turns them into the command's fields. */
export const CONTACT_FIELDS = ["guardianName", "guardianEmail", "solicitorName", "solicitorEmail", "inProceedings"] as const;

/**
 * The card's contact inputs as the command's fields: a contact whose two inputs are both empty is
 * left as it was; one half filled is sent as it is, so the schema names the missing half.
 */
export function contactsCommand(command: Record<string, unknown>): Record<string, unknown> {
  const { guardianName, guardianEmail, solicitorName, solicitorEmail, inProceedings, ...rest } = command;
  const contact = (name: unknown, email: unknown) => (name === undefined && email === undefined ? {} : { name: name ?? "", email: email ?? "" });
  const guardian = contact(guardianName, guardianEmail);
  const solicitor = contact(solicitorName, solicitorEmail);
  return {
    ...rest,
    ...("name" in guardian ? { guardian } : {}),
    ...("name" in solicitor ? { solicitor } : {}),
    ...(inProceedings === true || inProceedings === "true" ? { inProceedings: true } : inProceedings === false || inProceedings === "false" ? { inProceedings: false } : {}),
  };
}

/** The child's contacts a raise form (the bot's card, the task pane) sends, when any was filled in. */
export function raiseContacts(values: Readonly<Record<string, string | undefined>>): { childContacts?: Record<string, unknown> } {
  const given = (k: string) => (values[k]?.trim() ? values[k]!.trim() : undefined);
  const c = contactsCommand({
    guardianName: given("guardianName"),
    guardianEmail: given("guardianEmail"),
    solicitorName: given("solicitorName"),
    solicitorEmail: given("solicitorEmail"),
    inProceedings: values.inProceedings,
  });
  const { guardianName: _g, guardianEmail: _ge, solicitorName: _s, solicitorEmail: _se, ...fields } = c;
  if (!fields.guardian && !fields.solicitor && fields.inProceedings !== true) return {};
  return { childContacts: { ...fields, inProceedings: fields.inProceedings === true } };
}

/** The raise form's inputs for the child's contacts, filled with what was typed before a refusal. */
export function contactInputs(values: Readonly<Record<string, string | undefined>>): CardElement[] {
  const value = (id: string) => (values[id] ? { value: values[id] } : {});
  const input = (id: string, label: string, max: number, style?: string) => ({ type: "Input.Text", id, label, maxLength: max, ...(style ? { style } : {}), ...value(id) });
  return [
    textBlock("The child's Children's Guardian and solicitor (optional)", { weight: "bolder", spacing: "medium" }),
    textBlock("Outside the authority: told by mail where the procedure says, with the case reference and initials only.", { isSubtle: true, size: "small", spacing: "none" }),
    {
      type: "ColumnSet",
      columns: [
        { type: "Column", width: "stretch", items: [input("guardianName", "Children's Guardian: name", 120)] },
        { type: "Column", width: "stretch", items: [input("guardianEmail", "Children's Guardian: email address", 254, "Email")] },
      ],
    },
    {
      type: "ColumnSet",
      columns: [
        { type: "Column", width: "stretch", items: [input("solicitorName", "Child's solicitor: name", 120)] },
        { type: "Column", width: "stretch", items: [input("solicitorEmail", "Child's solicitor: email address", 254, "Email")] },
      ],
    },
    { type: "Input.Toggle", id: "inProceedings", label: "Proceedings", title: "The child is in court proceedings", valueOn: "true", valueOff: "false", value: values.inProceedings === "true" ? "true" : "false" },
  ];
}

type Show = (title: string, body: CardElement[], actions: CardElement[]) => CardElement;
type Execute = (verb: DisputeAction, title: string) => CardElement;
type Text = (action: DisputeAction, field: string, label: string, options?: Record<string, unknown>) => CardElement;

/**
 * The forms, for those who may use them. The card never shows the contacts' names or addresses
 * (they stay in the record): it says only whether each is named.
 */
export function contactForms(d: Dispute, may: ReadonlySet<DisputeAction>, show: Show, execute: Execute, text: Text): CardElement[] {
  const forms: CardElement[] = [];
  if (may.has("set-child-contacts")) {
    const c = d.childContacts;
    const named = [c?.guardian ? "the Children's Guardian is named" : "no Children's Guardian is named", c?.solicitor ? "the child's solicitor is named" : "no solicitor is named"].join("; ");
    forms.push(
      show(
        "Guardian and solicitor",
        [
          textBlock(`The child's own contacts, outside the authority: told by mail where the procedure says, with the case reference and initials only. Now ${named}. Leave a contact blank to keep it as it is.`, { isSubtle: true, size: "small" }),
          text("set-child-contacts", "guardianName", "Children's Guardian: name", { maxLength: 120 }),
          text("set-child-contacts", "guardianEmail", "Children's Guardian: email address", { maxLength: 254, style: "Email" }),
          text("set-child-contacts", "solicitorName", "Child's solicitor: name", { maxLength: 120 }),
          text("set-child-contacts", "solicitorEmail", "Child's solicitor: email address", { maxLength: 254, style: "Email" }),
          {
            type: "Input.Toggle",
            id: "contacts.inProceedings",
            label: "Proceedings",
            title: "The child is in court proceedings",
            valueOn: "true",
            valueOff: "false",
            value: String(c?.inProceedings ?? false),
          },
        ],
        [execute("set-child-contacts", "Save")],
      ),
    );
  }
  const awaited = (d.ladder.consultations ?? []).filter((r) => !(d.consultations ?? []).some((x) => x.id === r.id));
  if (may.has("record-consultation") && awaited.length) {
    forms.push(
      show(
        "Record a consultation",
        [
          textBlock(`The procedure asks for this before a referral: ${escapeMarkdown(awaited.map((r) => r.label).join(", "))}.`, { isSubtle: true, size: "small" }),
          {
            type: "Input.ChoiceSet",
            id: "consult.consultation",
            label: "Consulted",
            style: "expanded",
            choices: awaited.map((r) => ({ title: r.label, value: r.id })),
            value: awaited[0]!.id,
            isRequired: true,
            errorMessage: "Choose who was consulted.",
          },
          { type: "Input.Date", id: "consult.on", label: "Consulted on", isRequired: true, errorMessage: "Choose the day of the consultation." },
          text("record-consultation", "outcome", "Outcome", { isMultiline: true, maxLength: 2000, isRequired: true, errorMessage: "Write the outcome." }),
        ],
        [execute("record-consultation", "Record the consultation")],
      ),
    );
  }
  return forms;
}
