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

/**
 * Who is calling. Outside local mode: an Entra ID bearer token, checked for signature (JWKS),
 * issuer, audience and tenant, whose `oid` must be a person in that authority's directory.
 * In local mode only: the `x-resolve-dev-user: <upn>` header names the caller.
 */
export function createAuthenticator(settings: Settings, services: Services) {
  const jwks = createRemoteJWKSet(new URL(settings.RESOLVE_JWKS_URL));
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
        issuer: settings.RESOLVE_ISSUER_TEMPLATE.replace("{tid}", tid),
        audience: settings.RESOLVE_API_AUDIENCE!,
        algorithms: ["RS256"],
      }));
    } catch (e) {
      return { ok: false, status: 401, message: `The bearer token was refused: ${(e as Error).message}` };
    }
    if (claims.tid !== tid) return { ok: false, status: 401, message: "The token's tenant does not match." };
    const tenant = await services.directory.tenantForEntra(tid);
    if (!tenant) return { ok: false, status: 403, message: "This Entra tenant is not an authority using Resolve." };
    const person = await services.directory.personById(tenant.id, String(claims.oid ?? ""));
    if (!person) return { ok: false, status: 403, message: "You are not in this authority's Resolve directory." };
    return { ok: true, caller: { tenantId: tenant.id, person } };
  };
}
