/**
 * The tab's host: Teams, Outlook or the Microsoft 365 app through TeamsJS, or none (the page opened
 * in a browser, as in local mode). TeamsJS is initialised only inside a frame: a top-level page
 * has no host to talk to, and initialising would only wait. TeamsJS is loaded only then: on import
 * it fetches Microsoft's list of valid host origins, which a page outside a host has no use for.
 */
export interface HostInfo {
  /** "Teams", "Outlook", "Office"…; null when the page runs on its own. */
  host: string | null;
  /** The signed-in person's UPN as the host knows it. */
  upn?: string;
  /** The host's theme: "default", "dark", "contrast". */
  theme?: string;
}

const TIMEOUT_MS = 5_000;

export async function connectHost(win: Window = window): Promise<HostInfo> {
  const framed = win.parent !== win || !!win.opener;
  if (!framed) return { host: null };
  try {
    const { app } = await import("@microsoft/teams-js");
    await Promise.race([app.initialize(), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS))]);
    const context = await app.getContext();
    return {
      host: context.app.host.name ?? null,
      ...(context.user?.userPrincipalName ? { upn: context.user.userPrincipalName } : {}),
      ...(context.app.theme ? { theme: context.app.theme } : {}),
    };
  } catch {
    return { host: null };
  }
}
