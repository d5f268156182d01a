import { ACCENT } from "./icons";

/**
 * The one Microsoft 365 app package: the Teams bot (with its commands), the "My disputes" personal
 * tab (Teams, Outlook, the Microsoft 365 app), and the Outlook add-in whose task pane raises a
 * dispute from an e-mail (a button on the ribbon of a message being read), signed in with nested
 * app authentication (webApplicationInfo). Unified manifest, schema 1.24.
 */

export const MANIFEST_VERSION = "1.24";
export const SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

export interface ManifestSettings {
  /** The app package's own id (a GUID the Teams admin centre knows the app by). */
  teamsAppId: string;
  /** The Entra app the tab and the add-in sign in with, and whose `access_as_user` scope the API accepts. */
  appId: string;
  /** The bot's Microsoft App ID (Bot Service). */
  botId: string;
  /** Where the Functions app is reached, https. */
  hostUrl: string;
  version: string;
}

/** Placeholders that let a package be built and validated on a developer's machine. */
export const LOCAL_DEFAULTS: ManifestSettings = {
  teamsAppId: "6f1d2c83-9a3b-4d3e-8d0c-5e7a0b9c1d01",
  appId: "00000000-0000-0000-0000-00000000a001",
  botId: "00000000-0000-0000-0000-00000000b001",
  hostUrl: "https://localhost:7071",
  version: "0.1.0",
};

/** From the environment: RESOLVE_TEAMS_APP_ID, RESOLVE_APP_ID, RESOLVE_BOT_ID (or MicrosoftAppId), RESOLVE_HOST_URL. */
export function manifestSettings(env: Record<string, string | undefined>, version = LOCAL_DEFAULTS.version): ManifestSettings {
  return {
    teamsAppId: env.RESOLVE_TEAMS_APP_ID || LOCAL_DEFAULTS.teamsAppId,
    appId: env.RESOLVE_APP_ID || LOCAL_DEFAULTS.appId,
    botId: env.RESOLVE_BOT_ID || env.MicrosoftAppId || LOCAL_DEFAULTS.botId,
    hostUrl: (env.RESOLVE_HOST_URL || LOCAL_DEFAULTS.hostUrl).replace(/\/+$/, ""),
    version,
  };
}

export const COLOR_ICON = "color.png";
export const OUTLINE_ICON = "outline.png";

export function buildManifest(s: ManifestSettings): Record<string, unknown> {
  const host = new URL(s.hostUrl);
  const pages = `${s.hostUrl}/api/addin`;
  const icon = (size: number) => ({ size, url: `${pages}/icons/icon-${size}.png` });
  const ribbonIcons = [icon(16), icon(32), icon(80)];
  const scope = `api://${s.appId}/access_as_user`;
  return {
    $schema: SCHEMA_URL,
    manifestVersion: MANIFEST_VERSION,
    version: s.version,
    id: s.teamsAppId,
    developer: {
      name: "Resolve",
      websiteUrl: `${pages}/index.html`,
      privacyUrl: `${pages}/index.html#privacy`,
      termsOfUseUrl: `${pages}/index.html#terms`,
    },
    name: { short: "Resolve", full: "Resolve: IRO dispute resolution and escalation" },
    description: {
      short: "Raise, answer and escalate IRO disputes on a child's plan, on time.",
      full:
        "When an Independent Reviewing Officer or Child Protection chair challenges a child's plan, Resolve carries the " +
        "challenge up the authority's own ladder of managers, each with a deadline in working days: it alerts the " +
        "manager in Teams, takes the answer on the card, reminds and escalates, and keeps the complete record for the " +
        "child's file. Raise a dispute from an e-mail in Outlook; see what waits on you in the My disputes tab.",
    },
    icons: { color: COLOR_ICON, outline: OUTLINE_ICON },
    accentColor: ACCENT,
    bots: [
      {
        botId: s.botId,
        scopes: ["personal"],
        isNotificationOnly: false,
        supportsFiles: false,
        commandLists: [
          {
            scopes: ["personal"],
            commands: [
              { title: "raise", description: "Raise a dispute: the form, with the plan of who gets it when" },
              { title: "my disputes", description: "What waits on you, and what you raised" },
              { title: "status", description: "Where a dispute stands, e.g. status D-7K3F9Q" },
              { title: "help", description: "What Resolve does and what to say" },
            ],
          },
        ],
      },
    ],
    staticTabs: [
      { entityId: "my-disputes", name: "My disputes", contentUrl: `${pages}/tab.html`, websiteUrl: `${pages}/tab.html`, scopes: ["personal"], context: ["personalTab"] },
      // Keeps the chat with the bot beside the tab.
      { entityId: "conversations", scopes: ["personal"] },
    ],
    validDomains: [host.host],
    webApplicationInfo: {
      id: s.appId,
      resource: `api://${s.appId}`,
      nestedAppAuthInfo: [{ redirectUri: `brk-multihub://${host.host}`, scopes: [scope] }],
    },
    authorization: { permissions: { resourceSpecific: [{ name: "MailboxItem.Read.User", type: "Delegated" }] } },
    extensions: [
      {
        // The task pane signs in by nested app authentication (MSAL), so it needs the NestedAppAuth set.
        requirements: { scopes: ["mail"], capabilities: [{ name: "Mailbox", minVersion: "1.5" }, { name: "NestedAppAuth", minVersion: "1.1" }] },
        runtimes: [
          {
            id: "TaskPaneRuntime",
            type: "general",
            code: { page: `${pages}/taskpane.html` },
            lifetime: "short",
            actions: [{ id: "OpenResolvePane", type: "openPage", displayName: "Raise a dispute", pinnable: true }],
          },
        ],
        ribbons: [
          {
            contexts: ["mailRead"],
            tabs: [
              {
                builtInTabId: "TabDefault",
                groups: [
                  {
                    id: "ResolveGroup",
                    label: "Resolve",
                    icons: ribbonIcons,
                    controls: [
                      {
                        id: "RaiseDisputeButton",
                        type: "button",
                        label: "Raise dispute",
                        icons: ribbonIcons,
                        supertip: { title: "Raise an IRO dispute", description: "Raise a dispute from this e-mail, linked to it, and see the disputes already raised for this conversation or child." },
                        actionId: "OpenResolvePane",
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}
