import type { DisputeAction } from "../dispute/commands";
import { currentStage } from "../dispute/disputeSchema";
import type { DisputeCardData, CardActionData } from "./cardContract";
import { CHILD_VOICE, inputId, required } from "./cardInputs";
import { LIMITS, bodyLabel, inline, nameOf } from "./alertParts";
import { meetingForms } from "./meetingForms";
import { contactForms } from "./contactForms";
import { type CardElement, NO_TIMESCALE, escapeMarkdown, formatWhen, personPicker, plural, sectionHeading, textBlock, timescaleWords, words } from "./text";
import { timescaleOf } from "../procedure/procedureSchema";

/** A button on a card: an Action.Execute, or an Action.ShowCard holding a form. */
export type Action = CardElement;

const yesNo = (action: DisputeAction, field: (typeof CHILD_VOICE)[number], label: string): CardElement => ({
  type: "Input.ChoiceSet",
  id: inputId(action, field),
  label,
  // A drop-down: radio buttons are drawn smaller than a finger (WCAG 2.5.8).
  style: "compact",
  choices: [
    { title: "Yes", value: "true" },
    { title: "No", value: "false" },
  ],
  ...required("Choose yes or no."),
});

/**
 * The child's voice, asked at each escalation and at resolution (Lambeth 3 and 7): the
 * three questions answered yes or no, so a "no" is recorded as said and never assumed.
 */
function childVoiceInputs(action: "escalate" | "resolve"): CardElement[] {
  return [
    sectionHeading("The child's voice"),
    yesNo(action, "childVoice.told", action === "resolve" ? "Has the child been told of the outcome?" : "Has the child been told of this step?"),
    { type: "Input.Text", id: inputId(action, "childVoice.wishesAndFeelings"), label: "The child's wishes and feelings (optional)", isMultiline: true, maxLength: 4000 },
    yesNo(action, "childVoice.advocacyOffered", "Was the child offered an advocate?"),
    yesNo(action, "childVoice.routesExplained", "Were the ways to complain or get legal advice explained to the child?"),
  ];
}

/** Every action this viewer may take, as buttons and the forms they open. */
export function formActions(data: DisputeCardData): { main: Action[]; more: Action[]; byForm: Map<string, Action> } {
  const d = data.dispute;
  const s = currentStage(d);
  const may = new Set(data.actions);
  const ref: CardActionData = { disputeId: d.id, version: d.version, ...data.from };
  const execute = (verb: DisputeAction, title: string, extra: Record<string, unknown> = {}): Action => ({ type: "Action.Execute", verb, title, data: { ...ref }, ...extra });
  const byForm = new Map<string, Action>();
  const show = (title: string, body: CardElement[], actions: Action[], extra: Record<string, unknown> = {}): Action => {
    const action = { type: "Action.ShowCard", title, card: { type: "AdaptiveCard", body, actions }, ...extra };
    // Which form this is, read from its inputs' ids ("hold.until" → "hold").
    const input = body.find((e) => typeof e.id === "string" && String(e.type).startsWith("Input."));
    if (input) byForm.set(String(input.id).split(".")[0]!, action);
    return action;
  };
  const text = (action: DisputeAction, field: string, label: string, options: Record<string, unknown> = {}): CardElement => ({
    type: "Input.Text",
    id: inputId(action, field),
    label,
    ...options,
  });
  const actions: Action[] = [];
  const more: Action[] = [];

  // The assignee's.
  if (may.has("respond")) {
    actions.push(
      show(
        "Respond",
        [
          text("respond", "response", s.mode === "meeting" ? "Outcome of the meeting" : "Your response", {
            isMultiline: true,
            maxLength: 4000,
            placeholder: "What has been or will be done, and by when",
            ...required("Write your response before sending it."),
          }),
          text("respond", "actionsAgreed", "Actions agreed (optional)", { isMultiline: true, maxLength: 4000 }),
          { type: "Input.Date", id: inputId("respond", "completionDate"), label: "Agreed completion date (optional)" },
        ],
        [execute("respond", "Send response", { style: "positive" })],
      ),
    );
  }
  if (may.has("acknowledge") && !s.acknowledgedAt) actions.push(execute("acknowledge", "Acknowledge"));
  if (may.has("request-more-time")) {
    actions.push(
      show(
        "Ask for more time",
        [
          { type: "Input.Number", id: inputId("request-more-time", "days"), label: "How many more working days", min: 1, max: 20, ...required("Say how many working days, from 1 to 20.") },
          text("request-more-time", "reason", "Why", { isMultiline: true, maxLength: 2000, ...required("Say why more time is needed.") }),
        ],
        [execute("request-more-time", "Send request")],
      ),
    );
  }

  // The IRO's.
  if (may.has("resolve")) {
    actions.push(
      show(
        "Resolve",
        [
          text("resolve", "outcome", "Outcome, for the child's record", { isMultiline: true, maxLength: 4000, ...required("Write the outcome before resolving.") }),
          text("resolve", "impact", "Impact for the child (optional): what changed for them", { isMultiline: true, maxLength: 4000 }),
          ...childVoiceInputs("resolve"),
        ],
        [execute("resolve", "Resolve the dispute", { style: "positive" })],
      ),
    );
  }
  const above = d.ladder.stages.filter((x) => x.stage > d.stage);
  if (may.has("escalate") && above.length) {
    actions.push(
      show(
        "Escalate",
        [
          {
            type: "Input.ChoiceSet",
            id: inputId("escalate", "toStage"),
            label: "Escalate to",
            style: "compact",
            value: String(above[0]!.stage),
            choices: above.map((x) => {
              const holder = d.ladder.roster[x.role];
              return { title: `Stage ${x.stage} · ${x.title}${holder ? ` (${holder.displayName})` : ""} · ${timescaleWords(timescaleOf(x))}${x.productDefault ? " (product default)" : ""}`, value: String(x.stage) };
            }),
            ...required("Choose the stage to escalate to."),
          },
          text("escalate", "rationale", "Rationale (the next recipient sees it)", { isMultiline: true, maxLength: 2000, ...required("Give the rationale for escalating.") }),
          { type: "Input.Number", id: inputId("escalate", "timescaleDays"), label: "Shorter response time in working days (optional)", min: 1, max: 20 },
          ...childVoiceInputs("escalate"),
        ],
        [execute("escalate", "Escalate", { style: "destructive" })],
      ),
    );
  }
  if (may.has("hold")) {
    const response = s.response;
    actions.push(
      show(
        "Hold until…",
        [
          textBlock("The dispute waits until the agreed date; you then close it, resume it or escalate it.", { isSubtle: true, size: "small" }),
          {
            type: "Input.Date",
            id: inputId("hold", "until"),
            label: "Agreed completion date (a working day)",
            ...(response?.completionDate ? { value: response.completionDate } : {}),
            ...required("Choose the agreed completion date."),
          },
          text("hold", "actionsAgreed", "Actions agreed", {
            isMultiline: true,
            maxLength: 4000,
            ...(response?.actionsAgreed ? { value: response.actionsAgreed } : {}),
            ...required("Write the actions agreed."),
          }),
        ],
        [execute("hold", "Put on hold")],
      ),
    );
  }
  if (may.has("extend")) {
    const asked = s.moreTimeRequested;
    actions.push(
      show(
        "Extend",
        [
          ...(asked
            ? [textBlock(`${nameOf(s.assignee, data.people)} asked for ${plural(asked.days, "more working day")}: ${inline(asked.reason, LIMITS.rationale)}`, { isSubtle: true, size: "small" })]
            : []),
          { type: "Input.Date", id: inputId("extend", "until"), label: s.dueAt ? `New due date (now ${formatWhen(s.dueAt)})` : `Due date (${NO_TIMESCALE} so far)`, ...required("Choose the new due date.") },
          text("extend", "reason", "Why", { isMultiline: true, maxLength: 2000, ...required("Say why the deadline moves.") }),
        ],
        [execute("extend", "Extend the deadline")],
      ),
    );
  }
  if (may.has("resume")) {
    actions.push(
      show(
        "Resume",
        [text("resume", "reason", "Why it resumes (optional)", { isMultiline: true, maxLength: 2000 })],
        [execute("resume", `Resume at ${s.stage === 0 ? "the informal stage" : `stage ${s.stage}`}`)],
      ),
    );
  }
  if (may.has("intend-referral") || may.has("refer")) {
    const first = (body: "cafcass" | "lscp") =>
      d.ladder.notify.beforeReferral[body].map((role) => d.ladder.roster[role]?.displayName ?? words(role));
    const note = (["cafcass", "lscp"] as const)
      .map((b) => (first(b).length ? `${bodyLabel(b)}: ${escapeMarkdown(first(b).join(", "))} must be told first.` : ""))
      .filter(Boolean)
      .join(" ");
    more.push(
      show(
        "Refer",
        [
          textBlock(`A referral can be made at any stage, alongside the dispute. ${note} Record the intention first; refer once they have been told.`, { isSubtle: true, size: "small" }),
          {
            type: "Input.ChoiceSet",
            id: inputId("refer", "to"),
            label: "Refer to",
            style: "expanded",
            choices: [
              { title: "CAFCASS (s.118 Adoption and Children Act 2002)", value: "cafcass" },
              { title: "LSCP (Local Safeguarding Children Partnership)", value: "lscp" },
            ],
            ...required("Choose CAFCASS or the LSCP."),
          },
          text("intend-referral", "reasons", "Reasons", { isMultiline: true, maxLength: 4000 }),
        ],
        [
          ...(may.has("intend-referral") ? [execute("intend-referral", "Record intention to refer")] : []),
          ...(may.has("refer") ? [execute("refer", "Refer now", { style: "destructive" })] : []),
        ],
      ),
    );
  }
  if (may.has("withdraw")) {
    more.push(
      show(
        "Withdraw",
        [text("withdraw", "reason", "Why the dispute is withdrawn", { isMultiline: true, maxLength: 2000, ...required("Say why it is withdrawn.") })],
        [execute("withdraw", "Withdraw the dispute", { style: "destructive" })],
      ),
    );
  }
  if (may.has("record-child-informed")) {
    const was = d.childInformed;
    more.push(
      show(
        "Record child informed",
        [
          { type: "Input.Toggle", id: inputId("record-child-informed", "informed"), label: "Child informed", title: "The child has been told of the dispute", valueOn: "true", valueOff: "false", value: String(was?.informed ?? false) },
          { type: "Input.Toggle", id: inputId("record-child-informed", "advocacyOffered"), label: "Advocacy", title: "The child was offered an advocate", valueOn: "true", valueOff: "false", value: String(was?.advocacyOffered ?? false) },
          text("record-child-informed", "note", "Note (optional)", { isMultiline: true, maxLength: 2000 }),
        ],
        [execute("record-child-informed", "Save")],
      ),
    );
  }
  if (may.has("add-note")) {
    more.push(
      show(
        "Add note",
        [text("add-note", "note", "Note, for the record", { isMultiline: true, maxLength: 2000, ...required("Write the note.") })],
        [execute("add-note", "Add note")],
      ),
    );
  }
  if (may.has("reassign")) {
    more.push(
      show(
        "Reassign",
        [
          personPicker(inputId("reassign", "to"), `Give ${s.stage === 0 ? "this" : `stage ${s.stage}`} to`, data.choosable ?? [], required("Choose the person to take it.")),
          text("reassign", "reason", "Why", { isMultiline: true, maxLength: 2000, ...required("Say why it is reassigned.") }),
        ],
        [execute("reassign", "Reassign")],
      ),
    );
  }
  // Meetings go with the other actions behind "More…".
  return { main: actions, more: [...more, ...meetingForms(data, show, execute, text), ...contactForms(d, may, show, execute, text)], byForm };
}
