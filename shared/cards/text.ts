/**
 * Text on cards. Adaptive Cards render TextBlock and FactSet text as markdown, so anything a
 * person typed (concerns, answers, rationales, names) is escaped before it is put on a card:
 * "**urgent**" shows as typed, a "[link](…)" is not a link, "<script>" is just text.
 */
import { formatDay, formatWhen, londonDate } from "../calendar/londonTime";
import type { PersonChoice } from "../dispute/people";
import type { PlannedStage } from "../plan/planEscalation";

/**
 * Characters that start or end markdown anywhere in a line: emphasis, code, links, autolinks and
 * raw HTML, entities. CommonMark lets a backslash escape any ASCII punctuation.
 */
const INLINE = /[\\`*_~[\]<&]/g;

/** Escape markdown so the text shows exactly as it was typed, on one or many lines. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) =>
      line
        .replace(INLINE, (c) => `\\${c}`)
        // Block syntax at the start of a line: headings, quotes, lists ("- ", "+ ", "1. ", "1) "), setext and thematic breaks.
        .replace(/^(\s*)([-+=#>])/, "$1\\$2")
        .replace(/^(\s*\d+)([.)])/, "$1\\$2"),
    )
    .join("\n");
}

/**
 * Text a person typed, escaped, with its line breaks kept: a TextBlock joins single newlines
 * into one paragraph, so each line becomes its own paragraph (blank lines add nothing).
 */
export function userText(text: string, max?: number): string {
  const cut = max === undefined ? text : clip(text, max);
  return escapeMarkdown(cut.trim())
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join("\n\n");
}

/** At most `max` characters, cut at a word where one is near, ending "…". */
export function clip(text: string, max: number): string {
  const t = text.trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Whether `clip` would shorten it. */
export const isClipped = (text: string, max: number) => text.trim().length > max;

/** The one short date style (shared/calendar/londonTime.ts), where the cards and pages look for it. */
export { formatDay, formatWhen };

/** "1 working day", "3 working days". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What a person reads where a stage has no deadline because its procedure gives it none (a report to a director). */
export const NO_TIMESCALE = "no timescale set by the procedure";
/** A stage's time to answer in words: "4 working days", or that the procedure sets none. */
/** When a planned stage would be received and fall due, in words; undated after a stage with no timescale. */
export function plannedWhen(p: Pick<PlannedStage, "receivedAt" | "dueDate">): string {
  if (!p.receivedAt) return "no date: reached only if the IRO escalates past a stage with no timescale";
  const from = `from ${formatDay(londonDate(new Date(p.receivedAt)))}`;
  return p.dueDate ? `${from}, due ${formatDay(p.dueDate)}` : `${from}, ${NO_TIMESCALE}`;
}
export const timescaleWords = (days: number | null | undefined) => (days === undefined || days === null ? NO_TIMESCALE : plural(days, "working day"));

const LEGAL_STATUS: Record<string, string> = {
  "looked-after": "Looked after",
  "child-protection": "Child protection plan",
  "child-in-need": "Child in need",
  "care-leaver": "Care leaver",
};

/** The legal status as a label. */
export const legalStatusLabel = (status: string) => LEGAL_STATUS[status] ?? status;
export const LEGAL_STATUSES = Object.entries(LEGAL_STATUS).map(([value, title]) => ({ value, title }));

/** An id such as "child-death" as words, for when no label is at hand: "Child death". */
export const words = (id: string) => {
  const s = id.replace(/[-_]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
};

// ——— the few elements every card uses ———

export type CardElement = Record<string, unknown>;

export interface TextOptions {
  size?: "small" | "default" | "medium" | "large" | "extraLarge";
  weight?: "lighter" | "default" | "bolder";
  color?: "default" | "dark" | "light" | "accent" | "good" | "warning" | "attention";
  isSubtle?: boolean;
  spacing?: "none" | "small" | "default" | "medium" | "large" | "extraLarge" | "padding";
  separator?: boolean;
  style?: "default" | "heading";
  id?: string;
  isVisible?: boolean;
  maxLines?: number;
}

/** A wrapping TextBlock. `text` is markdown: escape what a person typed before passing it. */
export function textBlock(text: string, options: TextOptions = {}): CardElement {
  return { type: "TextBlock", text, wrap: true, ...options };
}

/** A small bold heading over a section. */
export const sectionHeading = (text: string, spacing: TextOptions["spacing"] = "medium"): CardElement =>
  textBlock(text, { weight: "bolder", spacing });

/** Card markdown as words for a screen reader: escapes undone, emphasis marks and line breaks dropped. */
export function spokenText(markdown: string): string {
  return markdown
    .replace(/\\(.)|\*\*|__/g, (_, escaped: string | undefined) => escaped ?? "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Several lines of card markdown spoken as sentences, for a card whose `speak` says more than its headline. */
export const spokenLines = (lines: readonly (string | false | undefined)[]): string =>
  lines
    .filter((l): l is string => !!l)
    .map((l) => spokenText(l).replace(/([^.!?…])$/, "$1."))
    .join(" ");

/** The TextBlocks of a body in reading order, into containers and columns. */
function textBlocks(elements: readonly CardElement[]): CardElement[] {
  return elements.flatMap((e) => {
    if (e.type === "TextBlock") return [e];
    const inner = [...((e.items as CardElement[] | undefined) ?? []), ...((e.columns as CardElement[] | undefined) ?? [])];
    return textBlocks(inner);
  });
}

/** A card's headline: its first heading, else its first line. */
function headline(body: readonly CardElement[]): string | undefined {
  const blocks = textBlocks(body);
  const block = blocks.find((b) => b.style === "heading") ?? blocks[0];
  return typeof block?.text === "string" ? spokenText(block.text) : undefined;
}

/**
 * The card itself: Adaptive Cards 1.5, full width in Teams. `speak`, what a screen reader
 * announces for the card, is its headline unless `extra` says more.
 */
export function adaptiveCard(body: CardElement[], actions: CardElement[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const speak = headline(body);
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    ...(speak ? { speak } : {}),
    ...extra,
    body,
    ...(actions.length ? { actions } : {}),
    msteams: { width: "Full" },
  };
}

/** Teams fills a picker's choices as the person types by asking the bot for this dataset (`application/search`). */
export const PEOPLE_DATASET = "people";

/**
 * A person chosen by name from the authority's directory, sending their UPN: Teams searches as
 * the person types (`choices.data`); hosts without that (Outlook, the Playground) list `people`.
 */
export function personPicker(id: string, label: string, people: readonly PersonChoice[], options: Record<string, unknown> = {}): CardElement {
  return {
    type: "Input.ChoiceSet",
    id,
    label,
    style: "filtered",
    placeholder: "Type a name",
    choices: people.map((p) => ({ title: p.displayName, value: p.upn })),
    "choices.data": { type: "Data.Query", dataset: PEOPLE_DATASET },
    ...options,
  };
}
