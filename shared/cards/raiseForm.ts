import type { AdaptiveCard, RaiseFormData } from "./cardContract";
import { planSection } from "./alertCard";
import { timescaleOf } from "../procedure/procedureSchema";
import { contactInputs } from "./contactForms";
import { type CardElement, LEGAL_STATUSES, adaptiveCard, escapeMarkdown, plural, spokenLines, textBlock, timescaleWords } from "./text";

/**
 * The form an IRO raises a dispute with, in chat. Adaptive Cards 1.5 have no dependent
 * dropdowns, so category and reason are one choice ("Category — Reason", value
 * `category/reason`). Entries come back after a refused submit, with the reason and the plan.
 */

/** The same rule as the dispute schema's child reference and initials, for the card's own check. */
const REFERENCE = "^[A-Za-z0-9][A-Za-z0-9/_-]{1,39}$";
const INITIALS = "^[A-Z](?:[ .'-]{0,2}[A-Z]){0,3}\\.?$";

export function raiseForm(data: RaiseFormData): AdaptiveCard {
  const p = data.procedure;
  const values = data.values ?? {};
  const value = (id: string, fallback?: string) => {
    const v = values[id] ?? fallback;
    return v === undefined || v === "" ? {} : { value: v };
  };
  const required = (errorMessage: string) => ({ isRequired: true, errorMessage });
  const informalRole = p.stages.find((s) => s.role === p.informal.role)?.title ?? p.informal.role;

  const body: CardElement[] = [
    {
      type: "Container",
      style: "emphasis",
      bleed: true,
      items: [
        textBlock("Raise a dispute", { style: "heading", size: "medium", weight: "bolder" }),
        textBlock(`${escapeMarkdown(p.authority)} · ${escapeMarkdown(p.title)}`, { isSubtle: true, spacing: "none" }),
      ],
    },
  ];
  if (data.error) {
    body.push({ type: "Container", style: "attention", spacing: "medium", items: [textBlock(`Not raised: ${escapeMarkdown(data.error)}`, { weight: "bolder" })] });
  }
  body.push(
    textBlock("Name the child by case reference and initials only, never by name.", { isSubtle: true, size: "small", spacing: "medium" }),
    {
      type: "ColumnSet",
      spacing: "small",
      columns: [
        {
          type: "Column",
          width: "stretch",
          items: [
            {
              type: "Input.Text",
              id: "childReference",
              label: "Case reference",
              placeholder: "e.g. MOS-100234",
              maxLength: 40,
              regex: REFERENCE,
              ...value("childReference"),
              ...required("A case reference: letters, digits, - / _ (2 to 40)."),
            },
          ],
        },
        {
          type: "Column",
          width: "stretch",
          items: [
            {
              type: "Input.Text",
              id: "childInitials",
              label: "Child's initials",
              placeholder: "e.g. J.S.",
              maxLength: 12,
              regex: INITIALS,
              ...value("childInitials"),
              ...required("Initials only, in capitals, e.g. J.S."),
            },
          ],
        },
      ],
    },
    {
      type: "ColumnSet",
      columns: [
        {
          type: "Column",
          width: "stretch",
          items: [
            {
              type: "Input.ChoiceSet",
              id: "legalStatus",
              label: "Legal status",
              style: "compact",
              placeholder: "Choose",
              choices: LEGAL_STATUSES,
              ...value("legalStatus"),
              ...required("Choose the child's legal status."),
            },
          ],
        },
        {
          type: "Column",
          width: "stretch",
          items: [
            {
              type: "Input.ChoiceSet",
              id: "team",
              label: "Team",
              style: "compact",
              placeholder: "Choose",
              choices: data.teams.map((t) => ({ title: t.displayName, value: t.id })),
              ...value("team", data.teams.length === 1 ? data.teams[0]!.id : undefined),
              ...required("Choose the team holding the case."),
            },
          ],
        },
      ],
    },
    {
      type: "Input.ChoiceSet",
      id: "categoryReason",
      label: "Category and reason",
      style: "filtered",
      placeholder: "Type to search",
      choices: p.categories.flatMap((c) => c.reasons.map((r) => ({ title: `${c.label} — ${r.label}`, value: `${c.id}/${r.id}` }))),
      ...value("categoryReason"),
      ...required("Choose the category and reason."),
    },
    {
      type: "Input.Text",
      id: "concerns",
      label: "Concerns",
      isMultiline: true,
      maxLength: 4000,
      placeholder: "What is wrong, and since when",
      ...value("concerns"),
      ...required("Describe the concerns."),
    },
    {
      type: "Input.Text",
      id: "outcomesSought",
      label: "Outcomes sought",
      isMultiline: true,
      maxLength: 4000,
      placeholder: "What must happen, and by when",
      ...value("outcomesSought"),
      ...required("Say what outcome you are asking for."),
    },
    {
      type: "Input.ChoiceSet",
      id: "startStage",
      label: "Start at",
      style: "compact",
      choices: [
        ...(p.informal.enabled ? [{ title: `Informal · ${informalRole} · ${plural(p.informal.defaultDays, "working day")}`, value: "0" }] : []),
        ...p.stages.map((s) => ({ title: `Stage ${s.stage} · ${s.title} · ${timescaleWords(timescaleOf(s))}${s.productDefault ? " (product default)" : ""}`, value: String(s.stage) })),
      ],
      ...value("startStage", "1"),
      ...required("Choose where the dispute starts."),
    },
    {
      type: "ColumnSet",
      columns: [
        {
          type: "Column",
          width: "stretch",
          items: [
            {
              type: "Input.Number",
              id: "timescaleDays",
              label: "Shorter response time (optional)",
              placeholder: "Working days",
              min: 1,
              max: 20,
              ...(values.timescaleDays && /^\d+$/.test(values.timescaleDays) ? { value: Number(values.timescaleDays) } : {}),
            },
          ],
        },
        {
          type: "Column",
          width: "stretch",
          items: [{ type: "Input.Date", id: "reviewDate", label: "Linked review date (optional)", ...value("reviewDate") }],
        },
      ],
    },
  );
  body.push(...contactInputs(values));
  if (p.firstResponseMaxDays) {
    body.push(textBlock(`${escapeMarkdown(p.authority)} allows at most ${plural(p.firstResponseMaxDays, "working day")} for the first response.`, { isSubtle: true, size: "small", spacing: "none" }));
  }
  if (data.plan) {
    body.push({
      type: "Container",
      spacing: "large",
      separator: true,
      items: planSection(data.plan, { fromStage: 0, onDeadline: p.onDeadline, capWorkingDays: p.capWorkingDays, heading: "The plan if nobody answers" }),
    });
  } else {
    body.push(textBlock("Preview the plan to see who receives it at each stage, and when.", { isSubtle: true, spacing: "large", separator: true }));
  }

  return adaptiveCard(body, [
    { type: "Action.Execute", verb: "raise-preview", title: "Preview the plan", associatedInputs: "auto", data: {} },
    { type: "Action.Execute", verb: "raise", title: "Raise the dispute", style: "positive", associatedInputs: "auto", data: {} },
  ], data.error ? { speak: spokenLines(["Raise a dispute", `Not raised: ${escapeMarkdown(data.error)}`]) } : {});
}
