import type { NoticeWords } from "../messages/notices";
import type { AdaptiveCard, DisputeCardData, NoticeRef } from "./cardContract";
import { LIMITS, banner, facts, header, spoken, statement } from "./alertParts";
import { actionRows } from "./alertActions";
import { type CardElement, adaptiveCard, escapeMarkdown, textBlock } from "./text";

/** A notice's card: the dispute as its reader sees it now, which notice it is, and the notice's words. */
export interface NoticeCardData extends DisputeCardData {
  from: NoticeRef;
  /** The notice's words, as the mail says them. */
  said: NoticeWords;
}

function whatHappened(said: NoticeWords): CardElement[] {
  return said.lines.flatMap((l, i) =>
    "label" in l
      ? statement(escapeMarkdown(l.label), l.text, LIMITS.answer)
      : [textBlock(escapeMarkdown(l.text), { spacing: i ? "small" : "medium" })],
  );
}

/**
 * A notice about a dispute, laid out as its alert is: a headline to the reader, where the dispute
 * stands now, what else happened, the facts (labels in bold, one fact a line), and the actions the
 * server says this reader may take on it now, answered in place. No "Open" button: a notice never
 * posts a second live copy of the alert. Where the reader may do nothing, it has no button.
 */
export function noticeCard(data: NoticeCardData): AdaptiveCard {
  const d = data.dispute;
  const headline = escapeMarkdown(data.said.headline);
  const buttons = actionRows(data, true);
  const body: CardElement[] = [
    ...(data.banner ? [banner(data.banner)] : []),
    header(data, headline),
    ...whatHappened(data.said),
    facts(data),
    // What to do, as the mail says it; with no buttons it is the only way on.
    textBlock(escapeMarkdown(data.said.act), { isSubtle: !buttons.length, spacing: "large", separator: true }),
    ...buttons,
  ];
  return adaptiveCard(body, [], {
    speak: spoken(data, headline),
    refresh: {
      action: { type: "Action.Execute", verb: "refresh", data: { disputeId: d.id, version: d.version, ...data.from } },
      userIds: data.refreshUserIds,
    },
  });
}
