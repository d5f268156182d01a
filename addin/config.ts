/**
 * What a page knows about where it runs, from the meta tags the server writes into it
 * (functions/http/addin.ts) or, for a page opened by hand, a query flag:
 * - `resolve-mode`: "local" (the dev identity header and a persona picker) or "azure" (Entra tokens);
 * - `resolve-client-id` and `resolve-api-scope`: the Entra app the page signs in with;
 * - the API lives beside the pages: /api/addin/… → /api/….
 */
export interface PageConfig {
  mode: "local" | "azure";
  clientId: string;
  apiScope: string;
  apiBase: string;
}

const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content?.trim() ?? "";

export function readPageConfig(location: Location = window.location): PageConfig {
  const query = new URLSearchParams(location.search);
  const mode = query.get("resolve-mode") === "local" || meta("resolve-mode") === "local" ? "local" : "azure";
  const clientId = meta("resolve-client-id");
  const apiScope = meta("resolve-api-scope") || (clientId ? `api://${clientId}/access_as_user` : "");
  const apiBase = meta("resolve-api") || new URL("../", location.href).href;
  return { mode, clientId, apiScope, apiBase: apiBase.endsWith("/") ? apiBase : `${apiBase}/` };
}
