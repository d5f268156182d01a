import * as AC from "adaptivecards";
import MarkdownIt from "markdown-it";
import type { AdaptiveCard } from "../shared/cards/cardContract";
import { TEAMS_LIGHT_HOST_CONFIG } from "../shared/cards/hostConfig";

/**
 * Renders the same Adaptive Cards the bot sends (shared/cards) with Microsoft's renderer, and
 * hands their Action.Execute submits to the page. Card text is markdown built from escaped text
 * (shared/cards/text.ts); markdown-it renders it with raw HTML switched off, so nothing a person
 * typed becomes markup.
 */

const markdown = new MarkdownIt({ html: false, linkify: false, breaks: false, typographer: false });

AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = markdown.render(text);
  result.didProcess = true;
};

const HOST_CONFIG = new AC.HostConfig(TEAMS_LIGHT_HOST_CONFIG);

export interface ExecutedAction {
  verb: string;
  /** The action's data merged with the card's inputs, by input id. */
  data: Record<string, unknown>;
}

/**
 * Render `card` into `container`; `onExecute` receives each Action.Execute that passed the card's
 * own input checks. `hostConfig` is Teams' look unless the card stands in a mail (Outlook's).
 */
export function renderCard(container: HTMLElement, card: AdaptiveCard, onExecute?: (action: ExecutedAction) => void, hostConfig: AC.HostConfig = HOST_CONFIG): void {
  const ac = new AC.AdaptiveCard();
  ac.hostConfig = hostConfig;
  ac.onExecuteAction = (action) => {
    if (!(action instanceof AC.ExecuteAction) || !onExecute) return;
    const data = (typeof action.data === "object" && action.data !== null ? action.data : {}) as Record<string, unknown>;
    onExecute({ verb: action.verb ?? "", data: { ...data } });
  };
  // The renderer marks the shown element after this event: put its state right once it is done.
  ac.onElementVisibilityChanged = () => queueMicrotask(() => sayWhatIsShown(ac));
  ac.parse(card);
  const rendered = ac.render();
  sayWhatIsShown(ac);
  container.replaceChildren(...(rendered ? [rendered] : []));
}

/**
 * The renderer puts aria-expanded on the element a toggle ("More…") shows, where it is not allowed,
 * and not on the toggle, where a screen reader needs it to say "collapsed" or "expanded" (WCAG
 * 4.1.2): move it to the toggle.
 */
function sayWhatIsShown(ac: AC.AdaptiveCard): void {
  for (const action of ac.getAllActions()) {
    if (!(action instanceof AC.ToggleVisibilityAction) || !action.renderedElement) continue;
    const targets = Object.keys(action.targetElements).map((id) => ac.getElementById(id));
    for (const t of targets) t?.renderedElement?.removeAttribute("aria-expanded");
    action.renderedElement.setAttribute("aria-expanded", String(targets.some((t) => t?.isVisible)));
  }
}
