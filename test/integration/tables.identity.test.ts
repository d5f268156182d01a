/**
 * Tables through a token credential, as the Function App reaches its storage account with its
 * managed identity (shared keys off): a real Azurite serving HTTPS with its basic OAuth check
 * (issuer, audience, expiry) stands in for the account's table endpoint.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectTables, statusOf } from "../../functions/adapters/tables";
import { type RunningAzurite, startAzurite } from "../../scripts/azurite";

let azurite: RunningAzurite;
let dir: string;
let ca: string;

/** A credential that mints what Entra would for storage; Azurite checks its claims, not its signature. */
function credential(audience = "https://storage.azure.com") {
  const scopes: string[][] = [];
  const cred: TokenCredential = {
    async getToken(scope: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
      scopes.push([scope].flat());
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const now = Math.floor(Date.now() / 1000);
      const claims = { aud: audience, iss: "https://sts.windows.net/7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d/", nbf: now - 60, iat: now - 60, exp: now + 3600, oid: "mi-object-id" };
      return { token: `${b64({ alg: "RS256", typ: "JWT" })}.${b64(claims)}.c2ln`, expiresOnTimestamp: (now + 3600) * 1000 };
    },
  };
  return { cred, scopes };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "resolve-tables-tls-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
  ca = readFileSync(join(dir, "cert.pem"), "utf8");
  azurite = await startAzurite({ oauth: { certPath: join(dir, "cert.pem"), keyPath: join(dir, "key.pem") } });
});

afterAll(async () => {
  await azurite?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("Tables by managed identity (RESOLVE_TABLES_ENDPOINT)", () => {
  it("creates tables and writes and reads an entity with a bearer token for storage, no account key", async () => {
    const { cred, scopes } = credential();
    const tables = connectTables({ endpoint: azurite.tableEndpoint, credential: cred, ca });
    await tables.ensure(["identitycheck"]);
    const client = tables.client("identitycheck");
    await client.upsertEntity({ partitionKey: "p", rowKey: "r", value: "written by the identity" });
    expect((await client.getEntity<{ value: string }>("p", "r")).value).toBe("written by the identity");
    expect(scopes.length).toBeGreaterThan(0);
    expect(scopes.every((s) => s.join(" ") === "https://storage.azure.com/.default")).toBe(true);
    expect(tables.counter.count).toBeGreaterThanOrEqual(2);
  });

  it("a token for another audience is refused by the account (403), and nothing is written", async () => {
    const tables = connectTables({ endpoint: azurite.tableEndpoint, credential: credential("https://vault.azure.net").cred, ca });
    const error = await tables.client("identitycheck").upsertEntity({ partitionKey: "p", rowKey: "other", value: "x" }).catch((e: unknown) => e);
    expect(statusOf(error)).toBe(403);
    const reader = connectTables({ endpoint: azurite.tableEndpoint, credential: credential().cred, ca }).client("identitycheck");
    expect(statusOf(await reader.getEntity("p", "other").catch((e: unknown) => e))).toBe(404);
  });
});
