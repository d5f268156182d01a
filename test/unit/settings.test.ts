import { describe, expect, it } from "vitest";
import { readSettings } from "../../functions/settings";

const AZURITE = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";
const AZURE_STORAGE = "DefaultEndpointsProtocol=https;AccountName=resolveprod;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net";

const local = { RESOLVE_MODE: "local" };

describe("readSettings", () => {
  it("defaults: azure mode, development storage, Lambeth, the demo authority, Entra's keys and issuer", () => {
    const s = readSettings({ RESOLVE_API_AUDIENCE: "api://7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d" });
    expect(s).toMatchObject({
      RESOLVE_MODE: "azure",
      RESOLVE_TABLES_CONNECTION: "UseDevelopmentStorage=true",
      RESOLVE_PROCEDURE: "lambeth",
      RESOLVE_DEV_TENANT: "demo",
      RESOLVE_API_AUDIENCE: "api://7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d",
      RESOLVE_JWKS_URL: "https://login.microsoftonline.com/common/discovery/v2.0/keys",
      RESOLVE_ISSUER_TEMPLATE: "https://login.microsoftonline.com/{tid}/v2.0",
    });
  });

  it("local mode with nothing else set starts, on development storage", () => {
    const s = readSettings(local);
    expect(s.RESOLVE_MODE).toBe("local");
    expect(s.RESOLVE_TABLES_CONNECTION).toBe("UseDevelopmentStorage=true");
    expect(s.RESOLVE_API_AUDIENCE).toBeUndefined();
  });

  it("local mode on a loopback Azurite starts", () => {
    expect(readSettings({ ...local, RESOLVE_TABLES_CONNECTION: AZURITE, RESOLVE_DEV_TENANT: "api-x" })).toMatchObject({ RESOLVE_MODE: "local", RESOLVE_DEV_TENANT: "api-x" });
    expect(readSettings({ ...local, RESOLVE_TABLES_CONNECTION: AZURITE.replace("127.0.0.1", "localhost") }).RESOLVE_MODE).toBe("local");
  });

  it("empty and undefined values count as unset", () => {
    expect(readSettings({ ...local, RESOLVE_API_AUDIENCE: "", WEBSITE_INSTANCE_ID: undefined, MicrosoftAppPassword: "" }).RESOLVE_MODE).toBe("local");
  });

  describe("local mode refuses to start beside production settings, naming them", () => {
    const markers: [string, string][] = [
      ["WEBSITE_INSTANCE_ID", "a1b2c3d4e5"],
      ["MicrosoftAppPassword", "bot-secret"],
      ["RESOLVE_API_AUDIENCE", "api://7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d"],
      ["RESOLVE_MAIL_SENDER", "resolve@council.gov.uk"],
    ];
    for (const [name, value] of markers) {
      it(name, () => {
        expect(() => readSettings({ ...local, [name]: value })).toThrow(new RegExp(`refusing to start beside production settings \\(${name}\\)`));
      });
    }

    it("a tables connection that is not local", () => {
      expect(() => readSettings({ ...local, RESOLVE_TABLES_CONNECTION: AZURE_STORAGE })).toThrow(/production settings \(a non-local RESOLVE_TABLES_CONNECTION\)/);
    });

    it("the table endpoint's host is read, not the string searched: 'localhost' or '127.0.0.1' elsewhere in it is not local", () => {
      const disguised = [
        "DefaultEndpointsProtocol=https;AccountName=localhost;AccountKey=c2VjcmV0;TableEndpoint=https://resolveprod.table.core.windows.net/",
        "DefaultEndpointsProtocol=https;AccountName=resolveprod;AccountKey=c2VjcmV0;TableEndpoint=https://127.0.0.1.attacker.example/",
        "DefaultEndpointsProtocol=https;AccountName=resolveprod;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net;Note=UseDevelopmentStorage=true",
        "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=https://proxy.example",
        "TableEndpoint=not a url",
      ];
      for (const connection of disguised) {
        expect(() => readSettings({ ...local, RESOLVE_TABLES_CONNECTION: connection }), connection).toThrow(/a non-local RESOLVE_TABLES_CONNECTION/);
      }
      for (const connection of ["UseDevelopmentStorage=true", AZURITE.replace("127.0.0.1", "[::1]"), AZURITE.replace("127.0.0.1", "127.0.0.2")]) {
        expect(readSettings({ ...local, RESOLVE_TABLES_CONNECTION: connection }).RESOLVE_MODE, connection).toBe("local");
      }
    });

    it("all of them at once, each named", () => {
      let message = "";
      try {
        readSettings({ ...local, ...Object.fromEntries(markers), RESOLVE_TABLES_CONNECTION: AZURE_STORAGE });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^RESOLVE_MODE=local accepts a development identity/);
      for (const [name, value] of markers) {
        expect(message).toContain(name);
        // Names only: a secret's value is never repeated in the message.
        expect(message).not.toContain(value);
      }
      expect(message).toContain("a non-local RESOLVE_TABLES_CONNECTION");
      expect(message).not.toContain("c2VjcmV0");
    });
  });

  it("azure mode without RESOLVE_API_AUDIENCE refuses", () => {
    expect(() => readSettings({})).toThrow("RESOLVE_API_AUDIENCE is required outside local mode");
    expect(() => readSettings({ RESOLVE_MODE: "azure", RESOLVE_API_AUDIENCE: "" })).toThrow("RESOLVE_API_AUDIENCE is required outside local mode");
  });

  it("azure mode refuses an audience that names no client id (Entra's v2 tokens carry it)", () => {
    expect(() => readSettings({ RESOLVE_API_AUDIENCE: "api://resolve" })).toThrow("RESOLVE_API_AUDIENCE must name the API's client id");
    expect(readSettings({ RESOLVE_API_AUDIENCE: "api://resolve.council.gov.uk/7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d" }).RESOLVE_MODE).toBe("azure");
  });

  it("azure mode accepts production settings", () => {
    const s = readSettings({ RESOLVE_MODE: "azure", RESOLVE_API_AUDIENCE: "api://7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d", RESOLVE_TABLES_CONNECTION: AZURE_STORAGE, WEBSITE_INSTANCE_ID: "abc", RESOLVE_MAIL_SENDER: "resolve@council.gov.uk" });
    expect(s).toMatchObject({ RESOLVE_MODE: "azure", RESOLVE_TABLES_CONNECTION: AZURE_STORAGE });
  });

  it("an unknown mode or a JWKS address that is not a URL is refused, naming the setting", () => {
    expect(() => readSettings({ RESOLVE_MODE: "dev", RESOLVE_API_AUDIENCE: "api://7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d" })).toThrow(/^Bad settings: RESOLVE_MODE: /);
    expect(() => readSettings({ RESOLVE_API_AUDIENCE: "api://7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d", RESOLVE_JWKS_URL: "keys" })).toThrow(/^Bad settings: RESOLVE_JWKS_URL: /);
  });
});
