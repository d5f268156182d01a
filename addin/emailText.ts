import type { OpenEmail } from "./office";

/**
 * Turning an e-mail into a first draft of a dispute: the concerns from the body (the newest
 * message only, without the quoted thread or a long signature), a case reference where the
 * message names exactly one, and the link back to the e-mail. The IRO reviews everything.
 */

const CONCERNS_MAX = 4000;

/** Lines where an earlier message starts in a reply: Outlook's header block, "On … wrote:", a quote. */
const EARLIER_MESSAGE = [
  /^-{2,}\s*Original Message\s*-{2,}/i,
  /^_{10,}\s*$/,
  /^From:\s.+/i,
  /^On .{4,200} wrote:\s*$/i,
  /^>/,
];

/** The newest message of an e-mail's text, tidied for a text box. */
export function concernsFromBody(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").replace(/\u00a0/g, " ").split("\n");
  const cut = lines.findIndex((l, i) => i > 0 && EARLIER_MESSAGE.some((re) => re.test(l.trim())));
  const own = (cut === -1 ? lines : lines.slice(0, cut)).map((l) => l.replace(/[ \t]+$/g, ""));
  const tidy = own.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  if (tidy.length <= CONCERNS_MAX) return tidy;
  const clipped = tidy.slice(0, CONCERNS_MAX - 1);
  const space = clipped.lastIndexOf(" ");
  return `${(space > CONCERNS_MAX * 0.8 ? clipped.slice(0, space) : clipped).trimEnd()}…`;
}

/** Case references such as MOS-100234, LCS/55012 or ICS123456 named in a text, each once. */
export function caseReferencesIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\b([A-Z]{2,5}[-/_]?\d{4,10})\b/g)) found.add(m[1]!);
  return [...found];
}

/** The single case reference the subject (or else the body) names, if exactly one. */
export function likelyCaseReference(email: Pick<OpenEmail, "subject" | "bodyText">): string | undefined {
  const inSubject = caseReferencesIn(email.subject);
  if (inSubject.length === 1) return inSubject[0];
  if (inSubject.length > 1) return undefined;
  const inBody = caseReferencesIn(email.bodyText);
  return inBody.length === 1 ? inBody[0] : undefined;
}

export interface SourceEmail {
  internetMessageId?: string;
  conversationId?: string;
  restId?: string;
  subject?: string;
  receivedAt?: string;
}

/** The e-mail as the dispute records its source, within the API's limits. */
export function sourceEmailOf(email: OpenEmail): SourceEmail {
  return {
    ...(email.internetMessageId ? { internetMessageId: email.internetMessageId.slice(0, 998) } : {}),
    ...(email.conversationId ? { conversationId: email.conversationId.slice(0, 512) } : {}),
    ...(email.restId ? { restId: email.restId.slice(0, 512) } : {}),
    ...(email.subject ? { subject: email.subject.slice(0, 255) } : {}),
    ...(email.receivedAt ? { receivedAt: email.receivedAt } : {}),
  };
}
