import type { PersonChoice } from "../shared/dispute/people";
import { h } from "./dom";

/**
 * A person chosen by name from the authority's directory (GET /api/people as the person types):
 * the visible input shows names from a datalist; the hidden `name` input carries the chosen
 * person's UPN, and stays empty until a listed name is chosen, so a typed address is never sent.
 */
export function personPicker(options: {
  id: string;
  name: string;
  search: (text: string) => Promise<PersonChoice[]>;
  /** What was in it before (after a refused submit): the name shown, and the UPN if it was chosen. */
  was?: { text: string; upn?: string };
}): { element: HTMLElement; input: HTMLInputElement; typed: () => string } {
  const was = options.was;
  const known = new Map<string, string>(was?.upn ? [[was.text, was.upn]] : []);
  const list = h("datalist", { id: `${options.id}-people` });
  const upn = h("input", { type: "hidden", name: options.name, value: was?.upn ?? "" });
  const input = h("input", { id: options.id, list: `${options.id}-people`, autocomplete: "off", placeholder: "Type a name", value: was?.text ?? "" });
  let asked = "";
  input.addEventListener("input", () => {
    const text = input.value.trim();
    upn.value = known.get(text) ?? "";
    if (text.length < 2 || known.has(text)) return;
    asked = text;
    void options.search(text).then((people) => {
      // An answer to an earlier search, overtaken by more typing, is dropped.
      if (asked !== text) return;
      for (const p of people) known.set(p.displayName, p.upn);
      list.replaceChildren(...people.map((p) => h("option", { value: p.displayName })));
      upn.value = known.get(input.value.trim()) ?? "";
    });
  });
  return { element: h("span", { className: "person-picker" }, input, list, upn), input, typed: () => (upn.value ? "" : input.value.trim()) };
}
