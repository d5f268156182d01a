import * as AC from "adaptivecards";
import MarkdownIt from "markdown-it";
import type { AdaptiveCard } from "../shared/cards/cardContract";

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

/** Close to Teams' light theme, so the pane and the tab look like the card in chat. */
const HOST_CONFIG = new AC.HostConfig({
  fontFamily: "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, 'Liberation Sans', Arial, sans-serif",
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 14 },
  separator: { lineThickness: 1, lineColor: "#E0E0E0" },
  fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  supportsInteractivity: true,
  containerStyles: Object.fromEntries(
    Object.entries({ default: "#FFFFFF", emphasis: "#F5F5F5", good: "#E7F2DA", attention: "#FDF3F4", warning: "#FBF6D9", accent: "#E8EBFA" }).map(([style, backgroundColor]) => [
      style,
      {
        backgroundColor,
        foregroundColors: {
          default: { default: "#242424", subtle: "#616161" },
          accent: { default: "#5B5FC7", subtle: "#5B5FC7" },
          good: { default: "#237B4B", subtle: "#237B4B" },
          warning: { default: "#835C00", subtle: "#835C00" },
          attention: { default: "#C4314B", subtle: "#C4314B" },
        },
      },
    ]),
  ),
  actions: { maxActions: 6, spacing: "default", buttonSpacing: 8, showCard: { actionMode: "inline", inlineTopMargin: 12, style: "emphasis" }, actionsOrientation: "horizontal", actionAlignment: "left" },
  inputs: { label: { inputSpacing: "small", requiredInputs: { suffix: " *", suffixColor: "attention" }, optionalInputs: {} }, errorMessage: { spacing: "small", size: "small" } },
});

export interface ExecutedAction {
  verb: string;
  /** The action's data merged with the card's inputs, by input id. */
  data: Record<string, unknown>;
}

/** Render `card` into `container`; `onExecute` receives each Action.Execute that passed the card's own input checks. */
export function renderCard(container: HTMLElement, card: AdaptiveCard, onExecute?: (action: ExecutedAction) => void): void {
  const ac = new AC.AdaptiveCard();
  ac.hostConfig = HOST_CONFIG;
  ac.onExecuteAction = (action) => {
    if (!(action instanceof AC.ExecuteAction) || !onExecute) return;
    const data = (typeof action.data === "object" && action.data !== null ? action.data : {}) as Record<string, unknown>;
    onExecute({ verb: action.verb ?? "", data: { ...data } });
  };
  ac.parse(card);
  const rendered = ac.render();
  container.replaceChildren(...(rendered ? [rendered] : []));
}
