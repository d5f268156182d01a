/**
 * How cards are drawn in Teams' three themes (default, dark, high contrast): plain data for
 * adaptivecards' HostConfig. The pages draw with the default theme, so the task pane, the tab and
 * the test screenshots look like the card in a Teams chat; the render tests draw every theme and
 * check each for contrast, since Teams draws the same card JSON in whichever theme a person chose.
 */

type Foreground = "default" | "accent" | "good" | "warning" | "attention";
type ContainerStyle = "default" | "emphasis" | "good" | "attention" | "warning" | "accent";

interface Palette {
  /** Each container style's background. */
  backgrounds: Record<ContainerStyle, string>;
  /** Each text colour: [default, subtle]. */
  foregrounds: Record<Foreground, readonly [string, string]>;
  line: string;
}

function teamsHostConfig(palette: Palette) {
  return {
    fontFamily: "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, 'Liberation Sans', Arial, sans-serif",
    spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 14 },
    separator: { lineThickness: 1, lineColor: palette.line },
    fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
    fontWeights: { lighter: 300, default: 400, bolder: 600 },
    // Without a level a heading TextBlock is role="heading" with no aria-level, which screen readers cannot place.
    textBlock: { headingLevel: 2 },
    supportsInteractivity: true,
    containerStyles: Object.fromEntries(
      Object.entries(palette.backgrounds).map(([style, backgroundColor]) => [
        style,
        {
          backgroundColor,
          foregroundColors: Object.fromEntries(Object.entries(palette.foregrounds).map(([name, [d, subtle]]) => [name, { default: d, subtle }])),
        },
      ]),
    ),
    actions: { maxActions: 6, spacing: "default", buttonSpacing: 8, showCard: { actionMode: "inline", inlineTopMargin: 12, style: "emphasis" }, actionsOrientation: "horizontal", actionAlignment: "left" },
    inputs: { label: { inputSpacing: "small", requiredInputs: { suffix: " *", suffixColor: "attention" }, optionalInputs: {} }, errorMessage: { spacing: "small", size: "small" } },
  } as const;
}

/** Teams' default (light) theme, close to Fluent's. */
export const TEAMS_LIGHT_HOST_CONFIG = teamsHostConfig({
  backgrounds: { default: "#FFFFFF", emphasis: "#F5F5F5", good: "#E7F2DA", attention: "#FDF3F4", warning: "#FBF6D9", accent: "#E8EBFA" },
  foregrounds: { default: ["#242424", "#616161"], accent: ["#4F52B2", "#4F52B2"], good: ["#237B4B", "#237B4B"], warning: ["#835C00", "#835C00"], attention: ["#C4314B", "#C4314B"] },
  line: "#E0E0E0",
});

/** Teams' dark theme. */
export const TEAMS_DARK_HOST_CONFIG = teamsHostConfig({
  backgrounds: { default: "#292929", emphasis: "#1F1F1F", good: "#0D260D", attention: "#3E1F25", warning: "#463100", accent: "#2F2F4A" },
  foregrounds: { default: ["#FFFFFF", "#D6D6D6"], accent: ["#A6A9FF", "#A6A9FF"], good: ["#92C353", "#92C353"], warning: ["#F8D22A", "#F8D22A"], attention: ["#FF9BA5", "#FF9BA5"] },
  line: "#3D3D3D",
});

/** Teams' high-contrast theme: white and bright colours on black. */
export const TEAMS_CONTRAST_HOST_CONFIG = teamsHostConfig({
  backgrounds: { default: "#000000", emphasis: "#000000", good: "#000000", attention: "#000000", warning: "#000000", accent: "#000000" },
  foregrounds: { default: ["#FFFFFF", "#FFFFFF"], accent: ["#FFFF01", "#FFFF01"], good: ["#3FF23F", "#3FF23F"], warning: ["#FFFF01", "#FFFF01"], attention: ["#FF8080", "#FF8080"] },
  line: "#FFFFFF",
});

export const TEAMS_HOST_CONFIGS = { default: TEAMS_LIGHT_HOST_CONFIG, dark: TEAMS_DARK_HOST_CONFIG, contrast: TEAMS_CONTRAST_HOST_CONFIG } as const;

/**
 * How the local mailbox draws a mail's card: close to Outlook on the web's light theme (its blue
 * accent and grey emphasis), so the card looks as it would in the reading pane.
 */
export const OUTLOOK_LIGHT_HOST_CONFIG = teamsHostConfig({
  backgrounds: { default: "#FFFFFF", emphasis: "#F3F2F1", good: "#E7F2DA", attention: "#FDF3F4", warning: "#FBF6D9", accent: "#DEECF9" },
  foregrounds: { default: ["#201F1E", "#605E5C"], accent: ["#005A9E", "#005A9E"], good: ["#237B4B", "#237B4B"], warning: ["#835C00", "#835C00"], attention: ["#C4314B", "#C4314B"] },
  line: "#E0E0E0",
});
