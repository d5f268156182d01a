import type { AdaptiveCardInvokeResponse, TurnContext } from "botbuilder";
import { cardForPerson } from "./cardViews";
import { actionableCard, embedActionableCard } from "../shared/cards/actionableMessage";
import { asksToAct } from "../shared/dispute/delivery";
import { isPositiveFeedback } from "../shared/feedback/positiveFeedback";
import type { MailHtml } from "../functions/ports";
import type { Services } from "../functions/usecases/services";

/**
 * Outlook Actionable Messages through the Bot Framework's Outlook channel: the mail that asks
 * someone to act carries their live alert card, and the card's actions come back to the same bot
 * as `adaptiveCard/action` invokes on channel "outlook", handled like Teams'.
 */

/** The Bot Framework's channel id for Outlook Actionable Messages. */
export const OUTLOOK_CHANNEL = "outlook";

export const isOutlook = (context: TurnContext) => context.activity.channelId === OUTLOOK_CHANNEL;

/**
 * Embeds, in each mail that asks someone to act (an alert, an overdue notice, a decision the IRO
 * must take), the alert card that person would get in Teams, as an Actionable Message from
 * `originator`. Anything else, or a card that cannot be built, leaves the HTML as it was.
 */
export function mailWithCard(services: Services, originator: string): MailHtml {
  return async (effect, subject, html) => {
    if (isPositiveFeedback(subject) || !asksToAct(effect.notice)) return html;
    const card = await cardForPerson(services, subject, effect.to.id);
    return card ? embedActionableCard(html, actionableCard(card, originator)) : html;
  };
}

/** Outlook shows a refreshed card only if it names the same originator as the mail's. */
export function forOutlook(response: AdaptiveCardInvokeResponse, originator: string | undefined): AdaptiveCardInvokeResponse {
  if (!originator || response.type !== "application/vnd.microsoft.card.adaptive" || !response.value) return response;
  return { ...response, value: actionableCard(response.value as Record<string, unknown>, originator) };
}
