import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { registerHttp } from "../host/registry";
import { type Settings, readSettings } from "../settings";
import { API_SCOPE, apiIdentity } from "./auth";
import { problem } from "./responses";

/**
 * The browser side: GET /api/addin/{*path} serves the built pages of the Outlook task pane and the
 * personal tab from dist/addin/ (`npm run build:addin`). Pages get the mode and the Entra app they
 * sign in with written into their meta tags; static files get their content type and caching.
 */

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
};

/** The hosts that frame the pages: Teams, Outlook on the web, the Microsoft 365 app (Microsoft's published list). */
const FRAME_ANCESTORS = [
  "'self'",
  "https://*.cloud.microsoft",
  "https://teams.microsoft.com",
  "https://*.teams.microsoft.com",
  "https://*.microsoft365.com",
  "https://*.office.com",
  "https://outlook.office.com",
  "https://outlook.office365.com",
  "https://outlook.live.com",
  "https://outlook-sdf.office.com",
  "https://outlook-sdf.office365.com",
];

/**
 * Where the built pages are: RESOLVE_ADDIN_DIR when set (a test that builds its own copy, so two
 * test files never rebuild the same folder under each other), beside the bundled app
 * (dist/functions → dist/addin), or under the project's dist/.
 */
function addinDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const configured = process.env.RESOLVE_ADDIN_DIR;
  return [...(configured ? [configured] : []), join(here, "..", "addin"), join(here, "..", "..", "dist", "addin"), join(process.cwd(), "dist", "addin")].find((d) => existsSync(join(d, "taskpane.html")));
}

let settings: Settings | undefined;

/** The Entra app the pages sign in with, from the API's audience: a client id or `api://…/<client id>`. */
export function signInConfig(audience: string | undefined): { clientId: string; scope: string } {
  const { clientId, appIdUri } = apiIdentity(audience ?? "");
  if (!clientId) return { clientId: "", scope: "" };
  return { clientId, scope: `${appIdUri}/${API_SCOPE}` };
}

const attr = (s: string) => s.replace(/[&"<>]/g, (c) => ({ "&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;" })[c]!);

function page(html: string, s: Settings): string {
  const { clientId, scope } = signInConfig(s.RESOLVE_API_AUDIENCE);
  return html
    .replace(/<meta name="resolve-mode" content="[^"]*">/, `<meta name="resolve-mode" content="${s.RESOLVE_MODE === "local" ? "local" : "azure"}">`)
    .replace(/<meta name="resolve-client-id" content="[^"]*">/, `<meta name="resolve-client-id" content="${attr(clientId)}">`)
    .replace(/<meta name="resolve-api-scope" content="[^"]*">/, `<meta name="resolve-api-scope" content="${attr(scope)}">`);
}

export async function serveAddin(req: HttpRequest): Promise<HttpResponseInit> {
  const dir = addinDir();
  if (!dir) return problem(404, "The add-in pages are not built: run `npm run build:addin`.");
  const wanted = req.params.path ?? "";
  // Pages link to their files relatively: /api/addin → /api/addin/index.html.
  if (!wanted) return { status: 302, headers: { location: `${new URL(req.url).pathname.replace(/\/?$/, "/")}index.html` } };
  const path = normalize(join(dir, wanted));
  if (!path.startsWith(dir + sep) || wanted.split(/[\\/]/).includes("..") || /(^|\/)meta\.json$/.test(wanted)) return problem(404, "No such file.");
  if (!existsSync(path) || !statSync(path).isFile()) return problem(404, `No such file: ${wanted}`);
  const type = TYPES[extname(path)] ?? "application/octet-stream";
  const headers: Record<string, string> = { "content-type": type, "x-content-type-options": "nosniff" };
  if (type.startsWith("text/html")) {
    settings ??= readSettings();
    headers["cache-control"] = "no-cache";
    headers["content-security-policy"] = `frame-ancestors ${FRAME_ANCESTORS.join(" ")}; object-src 'none'; base-uri 'self'`;
    headers["referrer-policy"] = "no-referrer";
    return { status: 200, headers, body: page(readFileSync(path, "utf8"), settings) };
  }
  // Chunks carry a content hash in their name; entries and styles do not, so they are revalidated.
  headers["cache-control"] = wanted.startsWith("chunks/") ? "public, max-age=31536000, immutable" : "no-cache";
  return { status: 200, headers, body: readFileSync(path) };
}

registerHttp({ name: "addin", route: "addin/{*path}", methods: ["GET"], handler: serveAddin });
