import * as AC from "adaptivecards";
import MarkdownIt from "markdown-it";
import type { AdaptiveCard } from "../shared/cards/cardContract";
import { PEOPLE_DATASET } from "../shared/cards/text";
import type { PersonChoice } from "../shared/dispute/people";
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
export function renderCard(
  container: HTMLElement,
  card: AdaptiveCard,
  onExecute?: (action: ExecutedAction) => void,
  hostConfig: AC.HostConfig = HOST_CONFIG,
  people?: (text: string) => Promise<PersonChoice[]>,
): void {
  const ac = new AC.AdaptiveCard();
  // Its own fetching of `choices.data` would ask a bot this page has not got: the names come from searchAsYouType.
  (hostConfig.inputs as { allowDynamicallyFilteredChoiceSet: boolean }).allowDynamicallyFilteredChoiceSet = false;
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
  if (people) searchAsYouType(ac, card, container, people);
  container.replaceChildren(...(rendered ? [rendered] : []));
}

/**
 * Teams fills a person picker (`choices.data`, dataset "people") by asking the bot; this renderer
 * does not, so here the names found as the person types join the picker's choices: the renderer
 * then sends the chosen name's UPN, as Teams does.
 */
function searchAsYouType(ac: AC.AdaptiveCard, card: AdaptiveCard, container: HTMLElement, people: (text: string) => Promise<PersonChoice[]>): void {
  const ids = new Set(cardNodes(card).filter((n) => (n["choices.data"] as { dataset?: unknown } | undefined)?.dataset === PEOPLE_DATASET).map((n) => String(n.id)));
  let asked = "";
  // Forms behind a button are drawn when opened: listen on the card, find the picker typed in then.
  container.addEventListener("input", (e) => {
    const text = e.target instanceof HTMLInputElement && e.target.list ? e.target : undefined;
    const input = text && ac.getAllInputs().find((i) => i instanceof AC.ChoiceSetInput && ids.has(i.id ?? "") && i.renderedElement?.contains(text));
    if (!text || !(input instanceof AC.ChoiceSetInput)) return;
    const typed = text.value.trim();
    if (typed.length < 2 || input.choices.some((c) => c.title === typed)) return;
    asked = typed;
    void people(typed).then((found) => {
      // An answer to an earlier search, overtaken by more typing, is dropped.
      if (asked !== typed) return;
      const fresh = found.filter((p) => !input.choices.some((c) => c.value === p.upn));
      input.choices.push(...fresh.map((p) => new AC.Choice(p.displayName, p.upn)));
      text.list?.append(...fresh.map((p) => Object.assign(document.createElement("option"), { value: p.displayName })));
    });
  });
}

/** Every object in a card's JSON, depth first. */
function cardNodes(v: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(v)) for (const x of v) cardNodes(x, out);
  else if (v && typeof v === "object") {
    out.push(v as Record<string, unknown>);
    for (const x of Object.values(v)) cardNodes(x, out);
  }
  return out;
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
