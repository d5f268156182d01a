import type { PersonChoice } from "../dispute/people";
import type { AdaptiveCard } from "./cardContract";
import { type CardElement, adaptiveCard, escapeMarkdown, personPicker, spokenLines, textBlock } from "./text";

/**
 * The small form an IRO records good practice with, in chat (`feedback`): the team, the worker
 * (chosen by name, optional), the child's case reference (optional) and what they saw. Submitted with the
 * verb `record-feedback`; entries come back after a refused submit, with the reason.
 */
export interface FeedbackFormData {
  teams: { id: string; displayName: string }[];
  /** The authority's people, listed where the host cannot search as you type. */
  people: PersonChoice[];
  values?: Record<string, string>;
  error?: string;
}

/** The same rule as the dispute schema's child reference, for the card's own check. */
const REFERENCE = "^[A-Za-z0-9][A-Za-z0-9/_-]{1,39}$";

export function feedbackForm(data: FeedbackFormData): AdaptiveCard {
  const values = data.values ?? {};
  const value = (id: string, fallback?: string) => {
    const v = values[id] ?? fallback;
    return v === undefined || v === "" ? {} : { value: v };
  };
  const body: CardElement[] = [
    {
      type: "Container",
      style: "good",
      bleed: true,
      items: [
        textBlock("Record good practice", { style: "heading", size: "medium", weight: "bolder" }),
        textBlock("It goes to the managers your procedure names, in Teams and by mail, and counts in the monthly report.", { isSubtle: true, spacing: "none" }),
      ],
    },
  ];
  if (data.error) body.push({ type: "Container", style: "attention", spacing: "medium", items: [textBlock(`Not recorded: ${escapeMarkdown(data.error)}`, { weight: "bolder" })] });
  body.push(
    {
      type: "Input.ChoiceSet",
      id: "team",
      label: "Team",
      style: "compact",
      placeholder: "Choose",
      choices: data.teams.map((t) => ({ title: t.displayName, value: t.id })),
      ...value("team", data.teams.length === 1 ? data.teams[0]!.id : undefined),
      isRequired: true,
      errorMessage: "Choose the team.",
    },
    personPicker("workerUpn", "Worker (optional: none for the whole team)", data.people, value("workerUpn")),
    { type: "Input.Text", id: "childReference", label: "Case reference (optional)", placeholder: "e.g. MOS-100234: never the child's name", maxLength: 40, regex: REFERENCE, errorMessage: "A case reference: letters, digits, - / _ (2 to 40).", ...value("childReference") },
    {
      type: "Input.Text",
      id: "feedback",
      label: "What you saw",
      isMultiline: true,
      maxLength: 4000,
      placeholder: "The good practice, in a few sentences",
      ...value("feedback"),
      isRequired: true,
      errorMessage: "Say what the good practice was.",
    },
  );
  return adaptiveCard(
    body,
    [{ type: "Action.Execute", verb: "record-feedback", title: "Record and send", style: "positive", associatedInputs: "auto", data: {} }],
    data.error ? { speak: spokenLines(["Record good practice", `Not recorded: ${escapeMarkdown(data.error)}`]) } : {},
  );
}
