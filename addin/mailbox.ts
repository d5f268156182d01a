import * as AC from "adaptivecards";
import { renderCard } from "./cardHost";
import { type OutlookReader, outlookInvoke } from "../shared/cards/actionableMessage";
import type { AdaptiveCard, CardActionData } from "../shared/cards/cardContract";
import { OUTLOOK_LIGHT_HOST_CONFIG } from "../shared/cards/hostConfig";

/**
 * The local mailbox page as Outlook: each mail's Actionable Message card (rendered from the card in
 * the mail's HTML) refreshes when the page opens and runs its actions by posting to /api/messages
 * the same `adaptiveCard/action` invoke the Bot Framework's Outlook channel would, as the mail's
 * recipient. Local mode only: the bot takes activities without a token there.
 */

const HOST_CONFIG = new AC.HostConfig(OUTLOOK_LIGHT_HOST_CONFIG);

interface InvokeAnswer {
  statusCode?: number;
  type?: string;
  value?: unknown;
}

function mount(box: HTMLElement, entraTenantId: string) {
  const cardBox = box.querySelector<HTMLElement>(".am-card")!;
  const status = box.querySelector<HTMLElement>(".am-status")!;
  const reader: OutlookReader = { aadObjectId: box.dataset.reader ?? "", entraTenantId, name: box.dataset.readerName ?? "" };

  const show = (card: AdaptiveCard) => renderCard(cardBox, card, (a) => void send(a.verb, a.data, "manual"), HOST_CONFIG);

  async function send(verb: string, data: CardActionData, trigger: "manual" | "automatic") {
    status.textContent = trigger === "manual" ? "Sending…" : "Bringing the card up to date…";
    box.setAttribute("aria-busy", "true");
    try {
      const activity = outlookInvoke({
        reader,
        verb,
        data,
        trigger,
        // The invoke is answered in its own response: nothing is ever sent to this address.
        serviceUrl: `${location.origin}/`,
        id: `mailbox-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        now: new Date().toISOString(),
      });
      const res = await fetch("/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
      const answer = (await res.json().catch(() => ({}))) as InvokeAnswer;
      if (!res.ok) status.textContent = `Resolve could not take this (HTTP ${res.status}).`;
      else if (answer.type === "application/vnd.microsoft.card.adaptive" && answer.value) {
        // The card itself says what came of it.
        show(answer.value as AdaptiveCard);
        status.textContent = "";
      } else status.textContent = typeof answer.value === "string" ? answer.value : "Resolve answered without a card.";
    } catch {
      status.textContent = "Resolve could not be reached: try again.";
    } finally {
      box.removeAttribute("aria-busy");
      box.dataset.ready = "true";
    }
  }

  const card = JSON.parse(box.dataset.card ?? "{}") as AdaptiveCard;
  show(card);
  // Outlook runs the card's refresh whenever the mail is opened, so it shows the dispute as it is now.
  const refresh = (card.refresh as { action?: { verb?: string; data?: CardActionData } } | undefined)?.action;
  if (refresh?.verb) void send(refresh.verb, refresh.data ?? {}, "automatic");
  else box.dataset.ready = "true";
}

const entraTenantId = document.body.dataset.entraTenant ?? "";
for (const box of document.querySelectorAll<HTMLElement>(".am[data-card]")) mount(box, entraTenantId);
