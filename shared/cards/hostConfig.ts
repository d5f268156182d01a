/**
 * How Resolve's pages draw Adaptive Cards: close to Teams' light theme, so the task pane, the tab
 * and the test screenshots look like the card in a Teams chat. Plain data for adaptivecards' HostConfig.
 */
export const TEAMS_LIGHT_HOST_CONFIG = {
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
} as const;

/**
 * How the local mailbox draws a mail's card: close to Outlook on the web's light theme (its blue
 * accent and grey emphasis), so the card looks as it would in the reading pane.
 */
export const OUTLOOK_LIGHT_HOST_CONFIG = {
  ...TEAMS_LIGHT_HOST_CONFIG,
  containerStyles: Object.fromEntries(
    Object.entries(TEAMS_LIGHT_HOST_CONFIG.containerStyles).map(([style, value]) => [
      style,
      {
        ...value,
        ...(style === "emphasis" ? { backgroundColor: "#F3F2F1" } : style === "accent" ? { backgroundColor: "#DEECF9" } : {}),
        foregroundColors: { ...value.foregroundColors, accent: { default: "#0078D4", subtle: "#0078D4" }, default: { default: "#201F1E", subtle: "#605E5C" } },
      },
    ]),
  ),
} as const;
