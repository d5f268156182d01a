import { z } from "zod";

/** Everything the app reads from its environment, checked once at start. */
const SettingsSchema = z.object({
  RESOLVE_MODE: z.enum(["local", "azure"]).default("azure"),
  /** The storage account's table endpoint (https://<account>.table.core.windows.net), reached with the app's managed identity. */
  RESOLVE_TABLES_ENDPOINT: z.string().url().optional(),
  /** A connection string, for Azurite on a developer's machine (used when no endpoint is set). */
  RESOLVE_TABLES_CONNECTION: z.string().min(1).default("UseDevelopmentStorage=true"),
  /** The procedure the local demo authority runs. */
  RESOLVE_PROCEDURE: z.string().min(1).default("lambeth"),
  /** The authority the dev identity header acts in. */
  RESOLVE_DEV_TENANT: z.string().min(1).default("demo"),
  /** Our API's App ID URI (`api://…/<client id>`) or client id: v2 tokens carry the client id, v1 tokens the App ID URI. */
  RESOLVE_API_AUDIENCE: z.string().optional(),
  /** Where Entra's signing keys are; overridable so tests can sign their own. */
  RESOLVE_JWKS_URL: z.string().url().default("https://login.microsoftonline.com/common/discovery/v2.0/keys"),
  RESOLVE_ISSUER_TEMPLATE: z.string().default("https://login.microsoftonline.com/{tid}/v2.0"),
  /** The bot's Entra app; when set, every /api/messages request must carry a valid Bot Framework token. */
  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppType: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("SingleTenant"),
  MicrosoftAppTenantId: z.string().optional(),
  /**
   * Whether the bot may start a 1:1 chat with someone who has none (Teams does where the app is
   * installed for them). Off for the local Agents Playgrounds, each the Teams of one person: an
   * alert to someone whose page is not open goes by mail at once, and the page catches up when opened.
   */
  RESOLVE_TEAMS_NEW_CHATS: z.enum(["on", "off"]).default("on"),
  /** Graph, app-only: a managed identity ("true" or its client id), or tenant + client id + secret. */
  RESOLVE_GRAPH_MANAGED_IDENTITY: z.string().optional(),
  RESOLVE_GRAPH_TENANT_ID: z.string().optional(),
  RESOLVE_GRAPH_CLIENT_ID: z.string().optional(),
  RESOLVE_GRAPH_CLIENT_SECRET: z.string().optional(),
  /** The mailbox mail is sent from; with it and credentials, effects go through Graph, not the local mailbox. */
  RESOLVE_MAIL_SENDER: z.string().optional(),
  /** The provider id from the Actionable Email Developer Dashboard: mail that asks someone to act carries the live card (docs/outlook-actionable-messages.md). */
  RESOLVE_OUTLOOK_ORIGINATOR: z.string().uuid().optional(),
  /** Application Insights (Azure): telemetry goes there through OpenTelemetry when set. */
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().optional(),
  /** `ClientId=<managed identity>;Authorization=AAD` when the resource accepts Entra sign-in only. */
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: z.string().optional(),
  WEBSITE_INSTANCE_ID: z.string().optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Every setting the app reads (the Bicep must set or knowingly leave each one: test/unit/infra.test.ts). */
export const SETTING_NAMES = Object.keys(SettingsSchema.shape) as (keyof Settings)[];

/** Settings that only a real deployment has: local mode refuses to start beside them. */
const PRODUCTION_MARKERS = ["WEBSITE_INSTANCE_ID", "RESOLVE_TABLES_ENDPOINT", "MicrosoftAppPassword", "RESOLVE_API_AUDIENCE", "RESOLVE_MAIL_SENDER", "RESOLVE_GRAPH_CLIENT_SECRET", "RESOLVE_GRAPH_MANAGED_IDENTITY"] as const;

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Local mode's stand-in originator, so the local mailbox carries the card as Outlook would get it. */
const LOCAL_OUTLOOK_ORIGINATOR = "00000000-0000-4000-8000-00000000a11c";

/** The originator mail cards carry: the setting, local mode's stand-in, or none (mail goes without a card). */
export function outlookOriginator(s: Settings): string | undefined {
  return s.RESOLVE_OUTLOOK_ORIGINATOR ?? (s.RESOLVE_MODE === "local" ? LOCAL_OUTLOOK_ORIGINATOR : undefined);
}

/**
 * Whether a Table Storage connection string points at this machine: the development storage
 * shortcut, or a TableEndpoint whose host is loopback. Read as a connection string (key=value
 * pairs), never searched: "AccountName=localhost;TableEndpoint=https://council.table.core.windows.net"
 * is remote.
 */
export function tablesAreLocal(connection: string): boolean {
  const pairs = new Map<string, string>();
  for (const part of connection.split(";")) {
    const i = part.indexOf("=");
    if (i > 0) pairs.set(part.slice(0, i).trim().toLowerCase(), part.slice(i + 1).trim());
  }
  if (pairs.get("usedevelopmentstorage")?.toLowerCase() === "true") return !pairs.has("tableendpoint") && !pairs.has("developmentstorageproxyuri");
  const endpoint = pairs.get("tableendpoint");
  if (!endpoint) return false;
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

export function readSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = SettingsSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")));
  if (!parsed.success) throw new Error(`Bad settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const s = parsed.data;
  if (s.RESOLVE_MODE === "local") {
    const present = PRODUCTION_MARKERS.filter((k) => s[k]);
    const remoteStorage = !tablesAreLocal(s.RESOLVE_TABLES_CONNECTION);
    if (present.length || remoteStorage) {
      throw new Error(
        `RESOLVE_MODE=local accepts a development identity and is for a developer's machine only; refusing to start beside production settings (${[...present, ...(remoteStorage ? ["a non-local RESOLVE_TABLES_CONNECTION"] : [])].join(", ")}).`,
      );
    }
  } else if (!s.RESOLVE_API_AUDIENCE) {
    throw new Error("RESOLVE_API_AUDIENCE is required outside local mode: it is the audience API tokens must carry.");
  } else if (!GUID.test(s.RESOLVE_API_AUDIENCE)) {
    throw new Error("RESOLVE_API_AUDIENCE must name the API's client id (a GUID, or an App ID URI api://…/<client id>): Entra's v2 tokens carry it as their audience.");
  }
  return s;
}
