import type { DisputeAction } from "../dispute/commands";
import type { DisputeCardData } from "./cardContract";
import { inputId, required } from "./cardInputs";
import { nameOf, roleTitle } from "./alertParts";
import type { Action } from "./actionForms";
import { type CardElement, textBlock } from "./text";

/** Ask for a meeting (anyone on the dispute, at any stage), and record the one held: chair, attendees, minutes, outcome. */
export function meetingForms(
  data: DisputeCardData,
  show: (title: string, body: CardElement[], actions: Action[]) => Action,
  execute: (verb: DisputeAction, title: string) => Action,
  text: (action: DisputeAction, field: string, label: string, options?: Record<string, unknown>) => CardElement,
): Action[] {
  const d = data.dispute;
  const may = new Set(data.actions);
  const people = Object.entries(d.ladder.roster).map(([role, p]) => ({ title: `${roleTitle(d, role)} · ${nameOf(p, data.people)}`, value: role }));
  const everyone = [{ title: `IRO · ${nameOf(d.raisedBy, data.people)}`, value: "iro" }, ...people];
  const forms: Action[] = [];
  if (may.has("request-meeting")) {
    forms.push(
      show(
        "Ask for a meeting",
        [
          textBlock("A Teams meeting is proposed in the calendar of the stage's holder, who chairs it; the IRO and you are invited.", { isSubtle: true, size: "small" }),
          { type: "Input.ChoiceSet", id: inputId("request-meeting", "invite"), label: "Also invite", isMultiSelect: true, choices: people },
          { type: "Input.Date", id: inputId("request-meeting", "by"), label: "To be held by (optional, a working day)" },
        ],
        [execute("request-meeting", "Ask for the meeting")],
      ),
    );
  }
  if (may.has("record-meeting") && (d.meetings ?? []).some((m) => m.stage === d.stage && !m.held)) {
    forms.push(
      show(
        "Record the meeting",
        [
          { type: "Input.Date", id: inputId("record-meeting", "heldOn"), label: "Held on", ...required("Choose the day it was held.") },
          { type: "Input.ChoiceSet", id: inputId("record-meeting", "chair"), label: "Chaired by", choices: everyone, ...required("Choose who chaired it.") },
          { type: "Input.ChoiceSet", id: inputId("record-meeting", "attended"), label: "Attended", isMultiSelect: true, choices: everyone, ...required("Choose who attended.") },
          text("record-meeting", "minutes", "Minutes", { isMultiline: true, maxLength: 4000, ...required("Write the minutes.") }),
          text("record-meeting", "outcome", "Outcome", { isMultiline: true, maxLength: 4000, ...required("Write the outcome.") }),
        ],
        [execute("record-meeting", "Record")],
      ),
    );
  }
  return forms;
}
