import type { DisputeState } from "../dispute/disputeSchema";
import type { PersonRef } from "../dispute/people";
import type { AdaptiveCard } from "./cardContract";
import { type CardElement, adaptiveCard, clip, escapeMarkdown, formatWhen, sectionHeading, textBlock, userText } from "./text";

/** The small cards of the chat: welcome, help, my disputes, positive feedback. */

const heading = (text: string, subtitle?: string): CardElement => ({
  type: "Container",
  style: "emphasis",
  bleed: true,
  items: [
    textBlock(text, { style: "heading", size: "medium", weight: "bolder" }),
    ...(subtitle ? [textBlock(subtitle, { isSubtle: true, spacing: "none" })] : []),
  ],
});

const COMMANDS: [string, string, "iro"?][] = [
  ["raise", "open the form to raise a dispute", "iro"],
  ["my disputes", "what waits on you, and what you raised"],
  ["status D-…", "one dispute as it stands now"],
  ["find MOS-…", "every dispute about a child, open or closed, by case reference"],
  ["feedback", "record good practice you saw", "iro"],
  ["help", "this list"],
];

/** Who the card is for: an IRO or CP chair raises disputes; everyone else answers and reads them. */
export interface Reader {
  raises: boolean;
}

const commandList = (reader: Reader): CardElement => ({
  type: "FactSet",
  spacing: "small",
  facts: COMMANDS.filter(([, , who]) => !who || reader.raises).map(([title, value]) => ({ title, value })),
});

const raiseButton = (reader: Reader): CardElement[] =>
  reader.raises ? [{ type: "Action.Execute", verb: "open-raise-form", title: "Raise a dispute", style: "positive", data: {} }] : [];

/** The first message after the app is installed: what Resolve does for this person, and how to talk to it. */
export function welcomeCard(reader: Reader): AdaptiveCard {
  const lines = reader.raises
    ? [
        "Raise a dispute about a child's plan here, naming the child by case reference and initials only.",
        "The manager who holds it gets a card to answer on, with every earlier stage and the deadline in working days.",
        "If nobody answers in time, you are told and can escalate up the authority's ladder, hold it or resolve it.",
        "Every step is kept as the record for the child's file, and QA sees every dispute.",
      ]
    : [
        "When an IRO or CP chair raises a dispute about a child's plan with you, its card arrives here.",
        "Answer on the card by the deadline it shows (in working days); the IRO then decides what happens next.",
        "You can acknowledge it first, or ask for more time, on the same card.",
        "Every step is kept as the record for the child's file.",
      ];
  return adaptiveCard(
    [
      heading("Resolve", "IRO dispute resolution and escalation"),
      ...lines.map((l, i) => textBlock(l, { spacing: i === 0 ? "medium" : "small" })),
      sectionHeading("Say"),
      commandList(reader),
    ],
    raiseButton(reader),
  );
}

/** The list of commands; when the text was not one, say so, quoting at most 40 characters of it. */
export function helpCard(reader: Reader, unknownText?: string): AdaptiveCard {
  const said = unknownText?.trim();
  return adaptiveCard(
    [
      heading("Resolve: what you can say"),
      ...(said ? [textBlock(`“${escapeMarkdown(clip(said.replace(/\s+/g, " "), 40))}” is not something Resolve knows.`, { color: "warning", spacing: "medium" })] : []),
      commandList(reader),
    ],
    raiseButton(reader),
  );
}

/** One line of a list: what `DisputeSummary` carries, or less. */
export interface DisputeRow {
  id: string;
  version?: number;
  state: DisputeState;
  stage: number;
  childReference: string;
  childInitials: string;
  assignee: PersonRef;
  dueAt: string | null;
  /** The stage's title, where the list has it. */
  stageTitle?: string;
  /** What is asked of the reader, in the "Waiting on me" list: "Megan Bowen answered: your decision". */
  ask?: string;
}

const MAX_ROWS = 15;

function rowStatus(r: DisputeRow): string {
  const stage = r.stage === 0 ? "Informal" : `Stage ${r.stage}${r.stageTitle ? ` · ${escapeMarkdown(r.stageTitle)}` : ""}`;
  const who = escapeMarkdown(r.assignee.displayName);
  switch (r.state) {
    case "informal":
    case "awaiting-response":
      return `${stage} · with ${who}${r.dueAt ? ` · due ${formatWhen(r.dueAt)}` : ""}`;
    case "awaiting-decision":
      return `${stage} · answered by ${who}, waiting for the IRO's decision`;
    case "on-hold":
      return `${stage} · on hold${r.dueAt ? ` until ${formatWhen(r.dueAt)}` : ""}`;
    case "resolved":
      return `${stage} · resolved`;
    case "withdrawn":
      return `${stage} · withdrawn`;
  }
}

function rows(title: string, empty: string, list: readonly DisputeRow[]): CardElement[] {
  const out: CardElement[] = [sectionHeading(`${title} (${list.length})`, "large")];
  if (!list.length) return [...out, textBlock(empty, { isSubtle: true, spacing: "small" })];
  for (const r of list.slice(0, MAX_ROWS)) {
    out.push({
      type: "ColumnSet",
      spacing: "small",
      separator: true,
      columns: [
        {
          type: "Column",
          width: "stretch",
          items: [
            textBlock(`**${escapeMarkdown(r.id)}** · ${escapeMarkdown(r.childReference)} · ${escapeMarkdown(r.childInitials)}`),
            ...(r.ask ? [textBlock(escapeMarkdown(r.ask), { weight: "bolder", color: "attention", spacing: "none" })] : []),
            textBlock(rowStatus(r), { isSubtle: true, size: "small", spacing: "none" }),
          ],
        },
        {
          type: "Column",
          width: "auto",
          verticalContentAlignment: "center",
          items: [
            {
              type: "ActionSet",
              // Opened below the list, as a card of its own: the list stays where it is.
              actions: [{ type: "Action.Execute", verb: "open", title: "Open", tooltip: `Open dispute ${r.id}`, data: { disputeId: r.id, ...(r.version ? { version: r.version } : {}) } }],
            },
          ],
        },
      ],
    });
  }
  if (list.length > MAX_ROWS) out.push(textBlock(`And ${list.length - MAX_ROWS} more: see them all in the tab.`, { isSubtle: true, spacing: "small" }));
  return out;
}

/** What waits on this person, and what they raised; each row opens that dispute's card. */
export function myDisputesCard(data: { waitingOnMe: readonly DisputeRow[]; raisedByMe: readonly DisputeRow[] }): AdaptiveCard {
  return adaptiveCard([
    heading("My disputes"),
    ...rows("Waiting on me", "Nothing is waiting on you.", data.waitingOnMe),
    ...rows("Raised by me", "You have no open disputes that you raised.", data.raisedByMe),
  ]);
}

/** The disputes about one child, open and closed, newest first; each row opens that dispute's card. */
export function foundCard(reference: string, list: readonly DisputeRow[]): AdaptiveCard {
  return adaptiveCard([heading(`Disputes about ${escapeMarkdown(reference)}`), ...rows("Open and closed", `No dispute about ${escapeMarkdown(reference)} that you can see.`, list)]);
}

const TONE_COLOR = { good: "good", attention: "attention", warning: "warning", default: "default" } as const;

export interface PositiveFeedbackCardData {
  worker?: PersonRef;
  team: string;
  /** The team's display name, when known. */
  teamName?: string;
  childReference?: string;
  feedback: string;
  recordedBy: PersonRef;
  recordedAt?: string;
  /** The record's id (G-…). */
  id?: string;
  /** The managers it went to, by role. */
  sentTo?: readonly { role: string; person: PersonRef }[];
  /** A line at the top: what just happened ("Recorded and sent…"). */
  banner?: { text: string; tone: "good" | "attention" | "warning" | "default" };
  /** The managers' replies, returned to the IRO. */
  replies?: readonly { text: string; by: PersonRef; at: string }[];
  /** The reader is a manager it was sent to: the card offers Reply (verb `reply-feedback`). */
  replyable?: boolean;
  /** What the reader typed in a refused reply, given back beside the reason. */
  typedReply?: string;
}

/** The input of the card's Reply, as the bot reads it back. */
export const FEEDBACK_REPLY_INPUT = "feedback.reply";

/** Good practice an IRO saw, sent to the managers the procedure names. */
export function positiveFeedbackCard(data: PositiveFeedbackCardData): AdaptiveCard {
  const team = data.teamName ?? data.team;
  const facts: [string, string][] = [
    ["For", data.worker ? `${escapeMarkdown(data.worker.displayName)}, ${escapeMarkdown(team)}` : `the team: ${escapeMarkdown(team)}`],
    ...(data.childReference ? [["Case", escapeMarkdown(data.childReference)] as [string, string]] : []),
    ["From", `${escapeMarkdown(data.recordedBy.displayName)} (IRO)${data.recordedAt ? `, ${formatWhen(data.recordedAt)}` : ""}`],
    ...(data.sentTo?.length ? [["Sent to", data.sentTo.map((s) => `${escapeMarkdown(s.person.displayName)} (${escapeMarkdown(s.role.replaceAll("-", " "))})`).join(", ")] as [string, string]] : []),
    ...(data.id ? [["Reference", escapeMarkdown(data.id)] as [string, string]] : []),
  ];
  return adaptiveCard([
    ...(data.banner ? [textBlock(escapeMarkdown(data.banner.text), { weight: "bolder", color: TONE_COLOR[data.banner.tone] })] : []),
    { type: "Container", style: "good", bleed: true, items: [textBlock("Good practice noted", { style: "heading", size: "medium", weight: "bolder" })] },
    { type: "FactSet", spacing: "medium", facts: facts.map(([title, value]) => ({ title, value })) },
    sectionHeading("What the IRO saw"),
    textBlock(userText(data.feedback, 3000), { spacing: "small" }),
    ...(data.replies ?? []).flatMap((r) => [
      sectionHeading(`Reply from ${escapeMarkdown(r.by.displayName)} · ${formatWhen(r.at)}`),
      textBlock(userText(r.text, 2000), { spacing: "small" }),
    ]),
  ], data.replyable && data.id ? [replyAction(data.id, data.typedReply)] : []);
}

/** Reply to the IRO: a short form under the card, sent with the record's id. */
function replyAction(feedbackId: string, typed?: string): CardElement {
  return {
    type: "Action.ShowCard",
    title: "Reply",
    card: {
      type: "AdaptiveCard",
      body: [
        {
          type: "Input.Text",
          id: FEEDBACK_REPLY_INPUT,
          label: "Your reply to the IRO",
          isMultiline: true,
          maxLength: 4000,
          isRequired: true,
          errorMessage: "Write your reply.",
          ...(typed ? { value: typed } : {}),
        },
      ],
      actions: [{ type: "Action.Execute", verb: "reply-feedback", title: "Send the reply", style: "positive", associatedInputs: "auto", data: { feedbackId } }],
    },
  };
}
