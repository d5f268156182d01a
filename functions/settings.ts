import { z } from "zod";

/** Everything the app reads from its environment, checked once at start. */
const SettingsSchema = z.object({
  RESOLVE_MODE: z.enum(["local", "azure"]).default("azure"),
  RESOLVE_TABLES_CONNECTION: z.string().min(1).default("UseDevelopmentStorage=true"),
  /** The procedure the local demo authority runs. */
  RESOLVE_PROCEDURE: z.string().min(1).default("lambeth"),
  /** The authority the dev identity header acts in. */
  RESOLVE_DEV_TENANT: z.string().min(1).default("demo"),
  /** Our API's app id URI or client id: the `aud` of tokens the add-in and tab send. */
  RESOLVE_API_AUDIENCE: z.string().optional(),
  /** Where Entra's signing keys are; overridable so tests can sign their own. */
  RESOLVE_JWKS_URL: z.string().url().default("https://login.microsoftonline.com/common/discovery/v2.0/keys"),
  RESOLVE_ISSUER_TEMPLATE: z.string().default("https://login.microsoftonline.com/{tid}/v2.0"),
  /** The bot's Entra app; when set, every /api/messages request must carry a valid Bot Framework token. */
  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppType: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("SingleTenant"),
  MicrosoftAppTenantId: z.string().optional(),
  /** Graph, app-only: a managed identity ("true" or its client id), or tenant + client id + secret. */
  RESOLVE_GRAPH_MANAGED_IDENTITY: z.string().optional(),
  RESOLVE_GRAPH_TENANT_ID: z.string().optional(),
  RESOLVE_GRAPH_CLIENT_ID: z.string().optional(),
  RESOLVE_GRAPH_CLIENT_SECRET: z.string().optional(),
  /** The mailbox mail is sent from; with it and credentials, effects go through Graph, not the local mailbox. */
  RESOLVE_MAIL_SENDER: z.string().optional(),
  WEBSITE_INSTANCE_ID: z.string().optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Settings that only a real deployment has: local mode refuses to start beside them. */
const PRODUCTION_MARKERS = ["WEBSITE_INSTANCE_ID", "MicrosoftAppPassword", "RESOLVE_API_AUDIENCE", "RESOLVE_MAIL_SENDER", "RESOLVE_GRAPH_CLIENT_SECRET", "RESOLVE_GRAPH_MANAGED_IDENTITY"] as const;

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
  }
  return s;
}
