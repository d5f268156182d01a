/**
 * The alert card as an Outlook Actionable Message (Universal Actions): the same Adaptive Card the
 * person gets in Teams, carried in the mail's HTML, whose Action.Execute reaches the same bot
 * through the Bot Framework's Outlook channel. Pure and browser-safe: the mail sinks embed the card,
 * the local mailbox page reads it back and sends the invoke Outlook would send.
 */
import type { AdaptiveCard, CardActionData } from "./cardContract";

/** Outlook renders Action.Execute and `refresh` from schema 1.4 on. */
export const OUTLOOK_MIN_VERSION = "1.4";

const SCRIPT_TYPE = "application/adaptivecard+json";

const versionAtLeast = (version: unknown, min: string) => {
  const [a = 0, b = 0] = String(version ?? "0").split(".").map(Number);
  const [c = 0, d = 0] = min.split(".").map(Number);
  return a > c || (a === c && b >= d);
};

/**
 * The card as Outlook takes it: `originator` is the provider id the Actionable Email Developer
 * Dashboard gave (Outlook shows no card without it, and checks it again on every refreshed card),
 * and the version is at least 1.4. Outlook ignores `refresh.userIds` and refreshes for whoever opens
 * the mail, which is what a mail to one person wants.
 */
export function actionableCard(card: AdaptiveCard, originator: string): AdaptiveCard {
  return { ...card, originator, version: versionAtLeast(card.version, OUTLOOK_MIN_VERSION) ? card.version : OUTLOOK_MIN_VERSION };
}

/**
 * The mail's HTML with the card in its head, where Outlook looks for it; the HTML body stays for
 * clients that render no cards. `<` is written as \u003c so no text in the card can end the script.
 */
export function embedActionableCard(html: string, card: AdaptiveCard): string {
  const json = JSON.stringify(card).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  const script = `<script type="${SCRIPT_TYPE}">${json}</script>`;
  if (/<\/head>/i.test(html)) return html.replace(/<\/head>/i, `${script}</head>`);
  return `${script}\n${html}`;
}

/** The card a mail carries, if it carries one. */
export function actionableCardOf(html: string): AdaptiveCard | undefined {
  const m = new RegExp(`<script type="${SCRIPT_TYPE.replace(/[+]/g, "\\+")}">([\\s\\S]*?)</script>`, "i").exec(html);
  if (!m) return undefined;
  try {
    const card = JSON.parse(m[1]!) as unknown;
    return card && typeof card === "object" && !Array.isArray(card) ? (card as AdaptiveCard) : undefined;
  } catch {
    return undefined;
  }
}

/** Who opened the mail: their Entra object id and tenant, as the Outlook channel reports them. */
export interface OutlookReader {
  aadObjectId: string;
  entraTenantId: string;
  name?: string;
}

/**
 * The `adaptiveCard/action` invoke the Bot Framework's Outlook channel delivers for an
 * Action.Execute in a mail (or for the card's `refresh` when the mail is opened: trigger
 * "automatic"). The local mailbox page sends exactly this to /api/messages.
 */
export function outlookInvoke(input: {
  reader: OutlookReader;
  verb: string;
  data: CardActionData;
  trigger: "manual" | "automatic";
  serviceUrl: string;
  botId?: string;
  id?: string;
  now?: string;
}): Record<string, unknown> {
  const { reader } = input;
  return {
    type: "invoke",
    name: "adaptiveCard/action",
    channelId: "outlook",
    ...(input.id ? { id: input.id } : {}),
    ...(input.now ? { timestamp: input.now } : {}),
    serviceUrl: input.serviceUrl,
    from: { id: reader.aadObjectId, aadObjectId: reader.aadObjectId, ...(reader.name ? { name: reader.name } : {}) },
    recipient: { id: input.botId ?? "resolve", name: "Resolve" },
    conversation: { id: `outlook:${reader.aadObjectId}`, tenantId: reader.entraTenantId },
    channelData: { tenant: { id: reader.entraTenantId } },
    value: { action: { type: "Action.Execute", verb: input.verb, data: input.data }, trigger: input.trigger },
  };
}
