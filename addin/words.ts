import { formatWhen } from "../shared/cards/text";
import type { DisputeSummary } from "./api";
import type { Auth } from "./auth";
import { h } from "./dom";

/** A dispute in a list, as a person reads it: where it stands and with whom. */
export function summaryState(s: DisputeSummary, now: Date = new Date()): { text: string; tone: "open" | "overdue" | "decide" | "closed" } {
  const stage = s.stage === 0 ? "Informal" : `Stage ${s.stage}`;
  switch (s.state) {
    case "informal":
    case "awaiting-response": {
      const overdue = !!s.dueAt && new Date(s.dueAt).getTime() < now.getTime();
      // "Overdue" in words too: the red edge alone says nothing to someone who cannot see it or tell red apart.
      return { text: `${stage} · ${overdue ? "overdue · " : ""}waiting for ${s.assignee.displayName}${s.dueAt ? ` · due ${formatWhen(s.dueAt)}` : ""}`, tone: overdue ? "overdue" : "open" };
    }
    case "awaiting-decision":
      return { text: `${stage} · answered by ${s.assignee.displayName}; the IRO decides`, tone: "decide" };
    case "on-hold":
      return { text: `${stage} · on hold while agreed actions are done`, tone: "open" };
    case "resolved":
      return { text: `Resolved · ${formatWhen(s.updatedAt)}`, tone: "closed" };
    case "withdrawn":
      return { text: `Withdrawn · ${formatWhen(s.updatedAt)}`, tone: "closed" };
  }
}

/** "MOS-100234 · J.S." */
export const childLine = (s: Pick<DisputeSummary, "childReference" | "childInitials">) => `${s.childReference} · ${s.childInitials}`;

/** Local mode: who the page acts as, chosen from the demo authority's people. */
export function personaPicker(auth: Auth, onChange: () => void): HTMLElement | null {
  const persona = auth.persona;
  if (!persona) return null;
  const select = h(
    "select",
    // Named by the visible words of its <label> (WCAG 2.5.3 Label in name), not a different aria-label.
    { id: "persona", onchange: (e: Event) => {
      persona.set((e.target as HTMLSelectElement).value);
      onChange();
    } },
    persona.choices.map((p) => h("option", { value: p.upn, selected: p.upn === persona.current() }, `${p.displayName} (${p.role})`)),
  );
  return h("label", { className: "persona" }, h("span", { className: "persona-label" }, "Local mode · acting as "), select);
}
