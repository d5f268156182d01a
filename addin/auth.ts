import type { IPublicClientApplication } from "@azure/msal-browser";
import { demoPeople } from "../functions/demo/demoAuthority";
import type { PageConfig } from "./config";

/**
 * Who the pages call the API as.
 *
 * In Outlook, Teams and the Microsoft 365 app: nested app authentication. MSAL's nestable client
 * asks the host (which already signed the person in) for a token for our API
 * (`api://<app id>/access_as_user`): silently first, and with a popup only when the host says
 * interaction is needed (consent, MFA, an expired session), as Microsoft documents for NAA.
 * Exchange callback and identity tokens are never used. MSAL is loaded only when needed.
 *
 * In local mode: the server accepts the `x-resolve-dev-user` header, and a small persona picker
 * lets a person act as the IRO, a manager or QA of the demo authority.
 */
export interface Auth {
  mode: "local" | "azure";
  /** Headers that name the caller on an API request. */
  headers(): Promise<Record<string, string>>;
  /** Local mode: the persona in use and how to change it. */
  persona?: { current(): string; set(upn: string): void; choices: readonly Persona[] };
}

export interface Persona {
  upn: string;
  displayName: string;
  /** What they do in the demo authority. */
  role: string;
}

/** The demo authority's people, as a person picks one in local mode. */
export const PERSONAS: readonly Persona[] = [
  { ...pick("alex"), role: "IRO" },
  { ...pick("megan"), role: "Team Manager" },
  { ...pick("adele"), role: "Service Manager" },
  { ...pick("isaiah"), role: "Assistant Director" },
  { ...pick("patti"), role: "Director CSC" },
  { ...pick("lynne"), role: "DCS" },
  { ...pick("sam"), role: "Social Worker" },
  { ...pick("quinn"), role: "QA: IRO Service Manager" },
  { ...pick("rowan"), role: "QA lead, administrator" },
];

function pick(key: keyof typeof demoPeople): { upn: string; displayName: string } {
  const p = demoPeople[key];
  return { upn: p.upn, displayName: p.displayName };
}

const PERSONA_KEY = "resolve.devUser";
export const DEV_USER_HEADER = "x-resolve-dev-user";

export function localAuth(storage: Pick<Storage, "getItem" | "setItem"> | undefined = safeStorage(), fallback = PERSONAS[0]!.upn): Auth {
  let current = storage?.getItem(PERSONA_KEY) || fallback;
  return {
    mode: "local",
    headers: async () => ({ [DEV_USER_HEADER]: current }),
    persona: {
      current: () => current,
      set(upn) {
        current = upn;
        storage?.setItem(PERSONA_KEY, upn);
      },
      choices: PERSONAS,
    },
  };
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export class SignInError extends Error {}

/** Nested app authentication: the host's signed-in account, a token for our API. */
export function naaAuth(config: PageConfig): Auth {
  if (!config.clientId || !config.apiScope) throw new SignInError("This page has no Entra app configured (resolve-client-id).");
  const scopes = [config.apiScope];
  let pca: Promise<IPublicClientApplication> | undefined;
  const client = () =>
    (pca ??= import("@azure/msal-browser").then((msal) =>
      msal.createNestablePublicClientApplication({
        auth: { clientId: config.clientId, authority: "https://login.microsoftonline.com/common" },
      }),
    ));
  const token = async (): Promise<string> => {
    const app = await client();
    const account = app.getActiveAccount() ?? app.getAllAccounts()[0];
    try {
      const silent = await app.acquireTokenSilent({ scopes, ...(account ? { account } : {}) });
      if (silent.account) app.setActiveAccount(silent.account);
      return silent.accessToken;
    } catch {
      // As Microsoft documents for NAA: when the silent request fails, ask the person through the host.
      const popup = await app.acquireTokenPopup({ scopes });
      if (popup.account) app.setActiveAccount(popup.account);
      return popup.accessToken;
    }
  };
  return { mode: "azure", headers: async () => ({ authorization: `Bearer ${await token()}` }) };
}

export function authFor(config: PageConfig, options: { defaultPersona?: string } = {}): Auth {
  return config.mode === "local" ? localAuth(undefined, options.defaultPersona) : naaAuth(config);
}
