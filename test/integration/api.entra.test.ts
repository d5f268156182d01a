/**
 * The REST API over real HTTP in azure mode: Entra ID bearer tokens, checked for signature (a
 * local JWKS server stands in for Entra's keys), issuer and audience as Entra pairs them (v2: the
 * client id; v1: the App ID URI and sts.windows.net), the access_as_user scope, expiry and tenant.
 */
import { randomUUID } from "node:crypto";
import { type Server, createServer } from "node:http";
import { type CryptoKey, SignJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import "../../functions/index";
import { getApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";

const CLIENT_ID = randomUUID();
const APP_ID_URI = `api://resolve.council.example/${CLIENT_ID}`;
const tenantId = `entra-${Math.random().toString(36).slice(2, 8)}`;
const tid = randomUUID();
const issuerFor = (t: string) => `https://login.microsoftonline.com/${t}/v2.0`;
const v1IssuerFor = (t: string) => `https://sts.windows.net/${t}/`;

const raiseBody = {
  child: { reference: "LCS-778812", initials: "A.B.", legalStatus: "child-protection", team: "demo-team" },
  category: "safeguarding",
  reason: "cp-plan-delay",
  concerns: "Core group has not met since the conference.",
  outcomesSought: "A core group within 5 working days.",
  startStage: 1,
};

let host: LocalHost;
let jwksServer: Server;
let keys: { privateKey: CryptoKey; kid: string };
let otherKey: CryptoKey;

/** A v2 token as Entra issues it for our API (aud = client id); `change` alters what a test needs. */
async function token(change: { claims?: Record<string, unknown>; issuer?: string; audience?: string; expires?: string | number; key?: CryptoKey; kid?: string } = {}) {
  const claims = { tid, oid: demoPeople.alex.id, ver: "2.0", scp: "access_as_user", azp: CLIENT_ID, name: "Alex Wilber", ...change.claims };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: change.kid ?? keys.kid, typ: "JWT" })
    .setIssuer(change.issuer ?? issuerFor(String(claims.tid)))
    .setAudience(change.audience ?? CLIENT_ID)
    .setIssuedAt()
    .setExpirationTime(change.expires ?? "10m")
    .sign(change.key ?? keys.privateKey);
}

async function call(method: string, path: string, opts: { bearer?: string; authorization?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.bearer !== undefined) headers.authorization = `Bearer ${opts.bearer}`;
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${host.url}/api/${path}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  keys = { privateKey: pair.privateKey, kid: "test-key-1" };
  otherKey = (await generateKeyPair("RS256")).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: keys.kid, alg: "RS256", use: "sig" };
  jwksServer = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  const address = jwksServer.address();
  const port = typeof address === "object" && address ? address.port : 0;

  // getApp() reads the environment on first use: azure mode, our audience, our keys.
  process.env.RESOLVE_MODE = "azure";
  process.env.RESOLVE_TABLES_CONNECTION = inject("tablesConnection");
  process.env.RESOLVE_API_AUDIENCE = APP_ID_URI;
  process.env.RESOLVE_JWKS_URL = `http://127.0.0.1:${port}/discovery/v2.0/keys`;
  // A dev tenant named here must not matter: azure mode seeds nothing and ignores the dev header.
  process.env.RESOLVE_DEV_TENANT = tenantId;
  delete process.env.RESOLVE_ISSUER_TEMPLATE;

  host = await startLocalHost({ port: 0 });
  // Azure mode seeds no authority: this one is ours, with its Entra tenant id.
  const app = await getApp();
  expect(app.settings.RESOLVE_MODE).toBe("azure");
  await app.directory.seed(demoAuthority("lambeth", tenantId, tid));
  app.setClock(new Date("2026-12-21T10:00:00Z"));
});

afterAll(async () => {
  await host?.stop();
  await new Promise<void>((resolve) => (jwksServer ? jwksServer.close(() => resolve()) : resolve()));
});

describe("a valid Entra token", () => {
  it("raises (201), reads (200) and lists (200) as the person its oid names", async () => {
    const alex = await token();
    const raised = await call("POST", "disputes", { bearer: alex, body: raiseBody });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    expect(raised.body).toMatchObject({ state: "awaiting-response", stage: 1, tenantId, raisedBy: { upn: "alexw@example.com" }, assignee: { upn: "meganb@example.com" }, dueAt: "2026-12-29T17:00:00.000Z" });
    expect(raised.headers.get("location")).toBe(`/api/disputes/${raised.body.id}`);

    const read = await call("GET", `disputes/${raised.body.id}`, { bearer: alex });
    expect(read.status).toBe(200);
    expect(read.body.history).toHaveLength(1);

    const mine = await call("GET", "disputes?role=iro", { bearer: alex });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(raised.body.id);

    // The team manager answers with her own token.
    const megan = await token({ claims: { oid: demoPeople.megan.id, name: "Megan Bowen" } });
    const answered = await call("POST", `disputes/${raised.body.id}/actions`, { bearer: megan, body: { action: "respond", response: "Core group booked for 6 January." } });
    expect(answered.status).toBe(200);
    expect(answered.body.state).toBe("awaiting-decision");
    // And may not decide.
    const resolve = await call("POST", `disputes/${raised.body.id}/actions`, { bearer: megan, body: { action: "resolve", outcome: "Done." } });
    expect(resolve.status).toBe(403);
  });

  it("GET /api/procedures with a token; GET /api/health needs none", async () => {
    const p = await call("GET", "procedures", { bearer: await token() });
    expect(p.status).toBe(200);
    expect(p.body.current.id).toBe("lambeth");
    expect(await call("GET", "procedures")).toMatchObject({ status: 401 });
    expect(await call("GET", "health")).toMatchObject({ status: 200, body: { status: "ok", mode: "azure" } });
  });
});

describe("the token shapes Entra issues for the API registration", () => {
  it("v2 (requestedAccessTokenVersion 2): issuer login.microsoftonline.com/{tid}/v2.0, audience the client id", async () => {
    expect((await call("GET", "disputes", { bearer: await token() })).status).toBe(200);
  });

  it("v1: issuer sts.windows.net/{tid}/, audience the App ID URI", async () => {
    const v1 = await token({ claims: { ver: "1.0", appid: CLIENT_ID, azp: undefined }, issuer: v1IssuerFor(tid), audience: APP_ID_URI });
    expect((await call("GET", "disputes", { bearer: v1 })).status).toBe(200);
  });

  it("access_as_user among other delegated scopes", async () => {
    expect((await call("GET", "disputes", { bearer: await token({ claims: { scp: "User.Read access_as_user openid" } }) })).status).toBe(200);
  });

  it("401 for shapes Entra never issues: v2 with the App ID URI, v1 with the client id, a v1 issuer on a v2 token", async () => {
    const shapes = [
      { name: "v2 issuer, App ID URI audience", change: { audience: APP_ID_URI } },
      { name: "v1 issuer, client id audience", change: { claims: { ver: "1.0" }, issuer: v1IssuerFor(tid), audience: CLIENT_ID } },
      { name: "v1 issuer and audience, ver 2.0", change: { issuer: v1IssuerFor(tid), audience: APP_ID_URI } },
      { name: "v1 issuer of another tenant", change: { claims: { ver: "1.0" }, issuer: v1IssuerFor(randomUUID()), audience: APP_ID_URI } },
    ];
    for (const { name, change } of shapes) {
      const r = await call("GET", "disputes", { bearer: await token(change) });
      expect(r.status, name).toBe(401);
      expect(r.body.error, name).toMatch(/^The bearer token was refused: /);
    }
  });

  it("403 without the access_as_user scope: another scope, a look-alike, or an app-only token (roles, no scp)", async () => {
    for (const claims of [{ scp: "Disputes.ReadWrite" }, { scp: "access_as_user_admin" }, { scp: undefined, roles: ["access_as_user"], idtyp: "app" }]) {
      const r = await call("GET", "disputes", { bearer: await token({ claims }) });
      expect(r.status, JSON.stringify(claims)).toBe(403);
      expect(r.body.error).toBe("The token does not grant access_as_user: sign in through the Resolve tab or add-in.");
    }
  });
});

describe("refused tokens", () => {
  it("401 without a token", async () => {
    const r = await call("GET", "disputes");
    expect(r.status).toBe(401);
    expect(r.body.error).toBe("A bearer token is required.");
    expect((await call("GET", "disputes", { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` })).status).toBe(401);
  });

  it("401 for a bearer that is not a JWT", async () => {
    const r = await call("GET", "disputes", { bearer: "not-a-jwt" });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe("The bearer token is not a JWT.");
  });

  it("401 for another audience", async () => {
    const r = await call("GET", "disputes", { bearer: await token({ audience: "api://someone-else" }) });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatch(/^The bearer token was refused: .*aud/);
  });

  it("401 for another issuer (another tenant's, or not Entra's)", async () => {
    for (const issuer of [issuerFor(randomUUID()), "https://evil.example.com/" + tid + "/v2.0", `https://login.microsoftonline.com/${tid}/`]) {
      const r = await call("GET", "disputes", { bearer: await token({ issuer }) });
      expect(r.status, issuer).toBe(401);
      expect(r.body.error).toMatch(/^The bearer token was refused: .*iss/);
    }
  });

  it("401 for an expired token", async () => {
    const r = await call("GET", "disputes", { bearer: await token({ expires: Math.floor(Date.now() / 1000) - 120 }) });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatch(/^The bearer token was refused: .*exp/);
  });

  it("401 for a token signed by another key, under our key's id or another", async () => {
    for (const kid of [keys.kid, "someone-elses-key"]) {
      const r = await call("GET", "disputes", { bearer: await token({ key: otherKey, kid }) });
      expect(r.status, kid).toBe(401);
      expect(r.body.error).toMatch(/^The bearer token was refused: /);
    }
  });

  it("401 for an unsigned token (alg none)", async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64({ tid, oid: demoPeople.alex.id, iss: issuerFor(tid), aud: CLIENT_ID, exp: now + 600 })}.`;
    expect((await call("GET", "disputes", { bearer: unsigned })).status).toBe(401);
  });

  it("401 for a token naming no tenant", async () => {
    const r = await call("GET", "disputes", { bearer: await token({ claims: { tid: undefined }, issuer: issuerFor(tid) }) });
    expect(r.status).toBe(401);
  });

  it("403 for a valid token from an Entra tenant that is not an authority here", async () => {
    const stranger = randomUUID();
    const r = await call("GET", "disputes", { bearer: await token({ claims: { tid: stranger } }) });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe("This Entra tenant is not an authority using Resolve.");
  });

  it("a forged token naming an unknown tenant is refused as unauthenticated (401), telling nothing of which tenants are authorities", async () => {
    const r = await call("GET", "disputes", { bearer: await token({ claims: { tid: randomUUID() }, key: otherKey }) });
    expect(r.status).toBe(401);
  });

  it("403 for a valid token for someone not in the authority's directory", async () => {
    const r = await call("GET", "disputes", { bearer: await token({ claims: { oid: randomUUID() } }) });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe("You are not in this authority's Resolve directory.");
  });

  it("the dev header is ignored in azure mode: 401", async () => {
    const r = await call("GET", "disputes", { headers: { "x-resolve-dev-user": "alexw@example.com" } });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe("A bearer token is required.");
    const raised = await call("POST", "disputes", { headers: { "x-resolve-dev-user": "alexw@example.com" }, body: raiseBody });
    expect(raised.status).toBe(401);
  });
});

describe("dev controls in azure mode", () => {
  it("the dev clock and the sweep refuse (403), even with a valid token, and the clock does not move", async () => {
    const bearer = await token();
    for (const [path, body] of [["dev/clock", { now: "2030-01-01T00:00:00Z" }], ["dev/clock", { advanceWorkingDays: 5 }], ["dev/sweep", {}]] as const) {
      const r = await call("POST", path, { bearer, body, headers: { "x-resolve-dev-user": "alexw@example.com" } });
      expect(r.status, path).toBe(403);
      expect(r.body.error).toBe("Dev controls are available in local mode only.");
    }
    expect((await call("GET", "dev/clock", { bearer })).status).toBe(403);
    const now = (await getApp()).services.clock.now().getTime();
    expect(now - new Date("2026-12-21T10:00:00Z").getTime()).toBeLessThan(60_000);
  });
});
