import type { HttpRequest } from "@azure/functions";
import { type JWTPayload, createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import type { DirectoryPerson } from "../ports";
import type { Settings } from "../settings";
import type { Services } from "../usecases/services";

export interface Caller {
  tenantId: string;
  person: DirectoryPerson;
}

export type AuthResult = { ok: true; caller: Caller } | { ok: false; status: 401 | 403; message: string };

export const DEV_USER_HEADER = "x-resolve-dev-user";

/** The delegated scope the API exposes; the add-in and tab ask for it. */
export const API_SCOPE = "access_as_user";

/**
 * The two tokens Entra issues for our API registration: v2 (the registration asks for it,
 * `requestedAccessTokenVersion: 2`) carries the client id as audience; v1, still issued to clients
 * that ask the v1 endpoint, carries the App ID URI and the sts.windows.net issuer.
 */
export function apiTokenShapes(settings: Pick<Settings, "RESOLVE_API_AUDIENCE" | "RESOLVE_ISSUER_TEMPLATE">) {
  const { clientId, appIdUri } = apiIdentity(settings.RESOLVE_API_AUDIENCE ?? "");
  return {
    v2: { ver: "2.0", audience: clientId, issuer: (tid: string) => settings.RESOLVE_ISSUER_TEMPLATE.replace("{tid}", tid) },
    v1: { ver: "1.0", audience: appIdUri, issuer: (tid: string) => `https://sts.windows.net/${tid}/` },
  };
}

/** The API's client id and App ID URI from its audience setting: a client id, or `api://…/<client id>`. */
export function apiIdentity(audience: string): { clientId: string; appIdUri: string } {
  const clientId = audience.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i)?.[0] ?? "";
  const appIdUri = audience.startsWith("api://") ? audience.replace(/\/$/, "") : clientId ? `api://${clientId}` : "";
  return { clientId, appIdUri };
}

/**
 * Who is calling. Outside local mode: an Entra ID bearer token, checked for signature (JWKS),
 * issuer, audience and tenant, whose `oid` must be a person in that authority's directory.
 * In local mode only: the `x-resolve-dev-user: <upn>` header names the caller.
 */
export function createAuthenticator(settings: Settings, services: Services) {
  const jwks = createRemoteJWKSet(new URL(settings.RESOLVE_JWKS_URL));
  const shapes = apiTokenShapes(settings);
  return async function authenticate(req: HttpRequest): Promise<AuthResult> {
    if (settings.RESOLVE_MODE === "local") {
      const upn = req.headers.get(DEV_USER_HEADER);
      if (!upn) return { ok: false, status: 401, message: `Local mode: name the caller with the ${DEV_USER_HEADER} header (a UPN).` };
      const person = await services.directory.personByUpn(settings.RESOLVE_DEV_TENANT, upn);
      if (!person) return { ok: false, status: 403, message: `${upn} is not in the directory of ${settings.RESOLVE_DEV_TENANT}.` };
      return { ok: true, caller: { tenantId: settings.RESOLVE_DEV_TENANT, person } };
    }
    const header = req.headers.get("authorization") ?? "";
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    if (!token) return { ok: false, status: 401, message: "A bearer token is required." };
    let tid: string;
    try {
      tid = String(decodeJwt(token).tid ?? "");
    } catch {
      return { ok: false, status: 401, message: "The bearer token is not a JWT." };
    }
    if (!tid) return { ok: false, status: 401, message: "The token names no tenant (tid)." };
    // The signature first: an unverified token learns nothing (which tenants use Resolve) and costs no storage read.
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, jwks, {
        issuer: [shapes.v2.issuer(tid), shapes.v1.issuer(tid)],
        audience: [shapes.v2.audience, shapes.v1.audience],
        algorithms: ["RS256"],
      }));
    } catch (e) {
      return { ok: false, status: 401, message: `The bearer token was refused: ${(e as Error).message}` };
    }
    const shape = claims.iss === shapes.v2.issuer(tid) ? shapes.v2 : shapes.v1;
    if (claims.aud !== shape.audience || claims.ver !== shape.ver) {
      return { ok: false, status: 401, message: `The bearer token was refused: a v${shape.ver} token from Entra carries the audience ${shape.audience}.` };
    }
    if (!String(claims.scp ?? "").split(" ").includes(API_SCOPE)) {
      return { ok: false, status: 403, message: `The token does not grant ${API_SCOPE}: sign in through the Resolve tab or add-in.` };
    }
    if (claims.tid !== tid) return { ok: false, status: 401, message: "The token's tenant does not match." };
    const tenant = await services.directory.tenantForEntra(tid);
    if (!tenant) return { ok: false, status: 403, message: "This Entra tenant is not an authority using Resolve." };
    const person = await services.directory.personById(tenant.id, String(claims.oid ?? ""));
    if (!person) return { ok: false, status: 403, message: "You are not in this authority's Resolve directory." };
    return { ok: true, caller: { tenantId: tenant.id, person } };
  };
}
