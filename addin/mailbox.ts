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

/**
 * Checks for new items in place (never a meta refresh, WCAG 2.2.1/2.2.2): fetches this same page and
 * swaps the list in when what it holds changed, saying how many arrived in a polite live region.
 * Paused by a button, while the tab is hidden, and while someone is typing in a mail's card, so an
 * answer being written is never wiped; "Check now" checks at once.
 */
function keepUpToDate() {
  const every = 5000;
  const list = document.getElementById("items");
  const status = document.getElementById("update-status");
  const pause = document.getElementById("pause");
  const now = document.getElementById("check-now");
  if (!list || !status || !pause || !now) return;
  let paused = false;
  const time = () => new Date().toLocaleTimeString("en-GB");
  const typingInCard = () => !!document.activeElement?.closest(".am");
  async function check(said: boolean) {
    try {
      const res = await fetch(location.href, { cache: "no-store" });
      const next = new DOMParser().parseFromString(await res.text(), "text/html").getElementById("items");
      if (!next) throw new Error("no list");
      const before = Number(list!.dataset.count);
      if (next.dataset.signature !== list!.dataset.signature) {
        list!.replaceChildren(...next.childNodes);
        list!.dataset.signature = next.dataset.signature;
        list!.dataset.count = next.dataset.count;
        for (const box of list!.querySelectorAll<HTMLElement>(".am[data-card]")) mount(box, entraTenantId);
        const added = Number(next.dataset.count) - before;
        status!.textContent = `${added > 0 ? `${added} new item${added === 1 ? "" : "s"}` : "Updated"} at ${time()}.`;
      } else if (said) status!.textContent = `Nothing new at ${time()}.`;
    } catch {
      status!.textContent = `Could not check for new items at ${time()}.`;
    }
  }
  pause.hidden = false;
  now.hidden = false;
  pause.addEventListener("click", () => {
    paused = !paused;
    pause.setAttribute("aria-pressed", String(paused));
    pause.textContent = paused ? "Resume updates" : "Pause updates";
    status.textContent = paused ? "Updates paused." : "Updates resumed: checking every 5 seconds.";
  });
  now.addEventListener("click", () => void check(true));
  setInterval(() => {
    if (!paused && !document.hidden && !typingInCard()) void check(false);
  }, every);
}

keepUpToDate();
