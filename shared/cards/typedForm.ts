import type { DisputeCardData } from "./cardContract";
import { inputId } from "./cardInputs";
import type { Action } from "./actionForms";
import { type CardElement, escapeMarkdown, textBlock } from "./text";

/** The refused form, open: what was typed put back in each input, the reason under the field it is about. */
export function typedForm(typed: NonNullable<DisputeCardData["typed"]>, form: Action): CardElement {
  const card = form.card as { body: CardElement[]; actions: CardElement[] };
  const wrong = typed.field ? inputId(typed.action, typed.field) : undefined;
  const body = card.body.flatMap((e) => {
    const id = typeof e.id === "string" ? e.id : undefined;
    const typedValue = id ? typed.values[id] : undefined;
    const filled = typedValue === undefined || typedValue === null ? e : { ...e, value: e.type === "Input.Number" ? Number(typedValue) : String(typedValue) };
    return id && id === wrong ? [filled, textBlock(escapeMarkdown(typed.message), { color: "attention", size: "small", spacing: "none" })] : [filled];
  });
  return {
    type: "Container",
    id: "typed",
    style: "emphasis",
    spacing: "large",
    separator: true,
    items: [textBlock(`${escapeMarkdown(String(form.title))}: what you typed is kept below`, { weight: "bolder" }), ...body, { type: "ActionSet", actions: card.actions }],
  };
}
