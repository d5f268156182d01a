import type { DisputeAction } from "../dispute/commands";
import { currentStage, isOpen } from "../dispute/disputeSchema";
import type { DisputeCardData } from "./cardContract";
import { FORMS } from "./cardInputs";
import { answerable, nameOf } from "./alertParts";
import { type Action, formActions } from "./actionForms";
import { typedForm } from "./typedForm";
import { type CardElement, NO_TIMESCALE, formatWhen, textBlock } from "./text";

/** Where a dispute's actions sit on its card: a line on what the reader may do, the main action first, the rest behind "More…". */

/** What this reader may and may not do, in a line above the buttons. */
export function viewerLine(data: DisputeCardData): CardElement[] {
  const d = data.dispute;
  const s = currentStage(d);
  const iro = nameOf(d.raisedBy, data.people);
  if (data.viewer === "reader") {
    const text = answerable(d)
      ? `You can see this dispute; only ${nameOf(s.assignee, data.people)} can answer it and only ${iro} can decide.`
      : isOpen(d)
        ? `You can see this dispute; only ${iro} can decide what happens next.`
        : "You can see this dispute; it is closed.";
    return [textBlock(text, { isSubtle: true, spacing: "large", separator: true })];
  }
  if (data.viewer === "assignee" && answerable(d) && data.actions.includes("respond")) {
    // An exception raised by whoever first knew is theirs and QA's to decide, not an IRO's.
    const decider = d.exception?.raisedAs ? `${iro}, who raised it, or the QA service then decides` : `${iro}, the IRO, then decides`;
    return [textBlock(`Answer here ${s.dueAt ? `by ${formatWhen(s.dueAt)}` : `(${NO_TIMESCALE})`}. ${decider} what happens next.`, { isSubtle: true, spacing: "large", separator: true })];
  }
  return [];
}


/** The one thing this reader is most likely here to do: answer, or the decision the state calls for. */
function mainVerb(data: DisputeCardData): DisputeAction | undefined {
  const d = data.dispute;
  if (data.viewer === "assignee") return "respond";
  if (d.state === "awaiting-decision") return "resolve";
  if (d.state === "on-hold") return d.hold?.ended ? "resolve" : "resume";
  return "escalate";
}

/**
 * The main action first and emphasised, then "More…", which shows the rest (a toggle, not
 * `mode: "secondary"`: Teams does not open a ShowCard from its overflow menu). Each ActionSet holds
 * at most five (the renderers' limit); forms open inline below their row.
 */
export function actionRows(data: DisputeCardData, afterLine: boolean): CardElement[] {
  if (data.viewer === "reader") return [];
  const all = formActions(data);
  const open = data.typed ? all.byForm.get(FORMS[data.typed.action].form) : undefined;
  // Input ids are unique in a card: the open form is not also behind its button.
  const actions = [...all.main, ...all.more].filter((a) => a !== open);
  const verb = mainVerb(data);
  const isMain = (a: Action) => (a.type === "Action.Execute" ? a.verb === verb : all.byForm.get(verb ? FORMS[verb].form : "") === a);
  const main = actions.find(isMain) ?? actions[0];
  const rest = actions.filter((a) => a !== main);
  const first = { spacing: afterLine ? "medium" : "large", separator: !afterLine };
  const rows: CardElement[] = [];
  for (let i = 0; i < rest.length; i += 5) rows.push({ type: "ActionSet", spacing: "small", actions: rest.slice(i, i + 5) });
  const moreButton: Action = { type: "Action.ToggleVisibility", title: "More…", tooltip: "The other things you can do", targetElements: ["more-actions"] };
  return [
    ...(open && data.typed ? [typedForm(data.typed, open)] : []),
    ...(main ? [{ type: "ActionSet", ...first, actions: [{ ...main, style: main.style ?? "positive" }, ...(rest.length ? [moreButton] : [])] }] : []),
    ...(rest.length ? [{ type: "Container", id: "more-actions", isVisible: false, spacing: "none", items: rows }] : []),
  ];
}
