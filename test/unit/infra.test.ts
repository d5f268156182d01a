/**
 * The deployment as code, checked offline (Bicep cannot be compiled on these machines, and the
 * Agents Toolkit is not a dependency): the yml's actions are the toolkit's, every file it names
 * exists, every variable it reads is written before it is read, and the Bicep's parameters,
 * outputs, modules and app settings line up with the yml, the env template and functions/settings.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { METRIC } from "../../functions/telemetry/metrics";
import { SETTING_NAMES, readSettings } from "../../functions/settings";
import { PACKAGE_DIR } from "../../scripts/package";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** The toolkit's actions (schema v1.11's `uses` values) this project may use. */
const TOOLKIT_ACTIONS = new Set([
  "aadApp/create", "aadApp/update", "arm/deploy", "azureFunctions/zipDeploy", "botAadApp/create", "botFramework/create",
  "cli/runNpmCommand", "cli/runNpxCommand", "file/createOrUpdateEnvironmentFile", "file/createOrUpdateJsonFile", "script",
  "teamsApp/create", "teamsApp/extendToM365", "teamsApp/publishAppPackage", "teamsApp/update", "teamsApp/validateAppPackage",
  "teamsApp/validateManifest", "teamsApp/zipAppPackage",
]);
/** Set by the toolkit itself, or asked for when empty. */
const BUILT_IN = new Set(["TEAMSFX_ENV", "APP_NAME_SUFFIX", "AZURE_SUBSCRIPTION_ID", "AZURE_RESOURCE_GROUP_NAME", "TEAMS_APP_TENANT_ID"]);
/** Written by aadApp/update when the manifest uses it and it is empty. */
const WRITTEN_BY_AAD_UPDATE = ["AAD_APP_ACCESS_AS_USER_PERMISSION_ID"];

interface Action {
  uses: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  writeToEnvironmentFile?: Record<string, string>;
}

const varsIn = (text: string) => [...text.matchAll(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g)].map((m) => m[1]!);
const envFile = (path: string) => new Set(read(path).split("\n").filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => l.split("=")[0]!));

// ——— Bicep, read as text: plain templates, local modules only ———
function bicep(path: string) {
  const text = read(path);
  return {
    text,
    params: [...text.matchAll(/^param (\w+) (\w+)( = .*)?$/gm)].map((m) => ({ name: m[1]!, hasDefault: !!m[3] })),
    outputs: [...text.matchAll(/^output (\w+) /gm)].map((m) => m[1]!),
    modules: [...text.matchAll(/^module \w+ '([^']+)' = \{[\s\S]*?params: \{([\s\S]*?)\n {2}\}/gm)].map((m) => ({ path: m[1]!, params: [...m[2]!.matchAll(/^\s+(\w+):/gm)].map((p) => p[1]!) })),
    appSettings: [...text.matchAll(/\{ name: '([A-Za-z0-9_]+)', value: (.+) \}/g)].map((m) => ({ name: m[1]!, value: m[2]! })),
  };
}

const main = bicep("infra/azure.bicep");

function lifecycle(file: string, stage: "provision" | "deploy" | "publish"): Action[] {
  return (parse(read(file)) as Record<string, Action[]>)[stage] ?? [];
}

for (const file of ["m365agents.yml", "m365agents.local.yml"]) {
  describe(file, () => {
    const doc = parse(read(file)) as Record<string, unknown>;
    const envName = file === "m365agents.yml" ? "dev" : "local";
    const declared = envFile(`env/.env.${envName}`);

    it("is a v1.11 project whose environments live in env/", () => {
      expect(doc.version).toBe("v1.11");
      expect(doc.environmentFolderPath).toBe("./env");
      expect(Object.keys(doc).filter((k) => !["version", "environmentFolderPath", "provision", "deploy", "publish"].includes(k))).toEqual([]);
    });

    it("uses only the toolkit's actions, and the npm scripts it runs exist", () => {
      const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
      for (const stage of ["provision", "deploy", "publish"] as const) {
        for (const action of lifecycle(file, stage)) {
          expect(TOOLKIT_ACTIONS.has(action.uses), `${stage}: ${action.uses}`).toBe(true);
          if (action.uses === "cli/runNpmCommand") {
            const script = /^run (\S+)/.exec(String(action.with?.args))?.[1];
            if (script) expect(scripts[script], `npm run ${script}`).toBeDefined();
          }
        }
      }
    });

    it("every file it names exists, and the packages it uploads are the ones our scripts write", () => {
      for (const stage of ["provision", "deploy", "publish"] as const) {
        for (const action of lifecycle(file, stage)) {
          const w = action.with ?? {};
          const templates = (w.templates as { path: string; parameters?: string }[] | undefined) ?? [];
          for (const t of templates) for (const p of [t.path, t.parameters]) if (p) expect(existsSync(join(root, p)), p).toBe(true);
          if (typeof w.manifestPath === "string") expect(existsSync(join(root, w.manifestPath)), w.manifestPath).toBe(true);
          if (typeof w.appPackagePath === "string") expect(w.appPackagePath).toBe("./dist/manifest/resolve.zip");
          if (typeof w.artifactFolder === "string") expect(join(root, w.artifactFolder)).toBe(PACKAGE_DIR);
        }
      }
      expect(read("scripts/build-manifest.ts")).toContain('join(outdir, "resolve.zip")');
    });

    it("every variable it reads is in the env template, built in, or written by an earlier action or the Bicep's outputs", () => {
      const available = new Set([...BUILT_IN, ...declared]);
      for (const stage of ["provision", "deploy", "publish"] as const) {
        for (const action of lifecycle(file, stage)) {
          const text = JSON.stringify({ with: action.with, env: action.env });
          const files = [
            ...(((action.with?.templates as { parameters?: string }[] | undefined) ?? []).map((t) => t.parameters).filter(Boolean) as string[]),
            ...(typeof action.with?.manifestPath === "string" ? [action.with.manifestPath] : []),
          ];
          const used = [...varsIn(text), ...files.flatMap((f) => varsIn(read(f)))];
          const missing = used.filter((v) => !available.has(v) && !(action.uses === "aadApp/update" && WRITTEN_BY_AAD_UPDATE.includes(v)));
          expect(missing, `${stage}: ${action.uses}`).toEqual([]);
          for (const v of Object.values(action.writeToEnvironmentFile ?? {})) available.add(v);
          if (action.uses === "arm/deploy") for (const o of main.outputs) available.add(o);
          if (action.uses === "aadApp/update") for (const v of WRITTEN_BY_AAD_UPDATE) available.add(v);
        }
      }
    });

    it("the env template commits no secret: every value is empty or a plain name", () => {
      const lines = read(`env/.env.${envName}`).split("\n").filter((l) => /^[A-Z0-9_]+=/.test(l));
      for (const line of lines) {
        const [name, value] = line.split(/=(.*)/s) as [string, string];
        expect(name.startsWith("SECRET_"), name).toBe(false);
        expect(value, name).toMatch(/^(|[A-Za-z0-9_.-]+)$/);
      }
    });
  });
}

describe("infra/ (Bicep)", () => {
  it("the parameters file sets every parameter without a default, and nothing else", () => {
    const given = Object.keys((JSON.parse(read("infra/azure.parameters.json")) as { parameters: Record<string, unknown> }).parameters);
    for (const p of main.params.filter((p) => !p.hasDefault)) expect(given, p.name).toContain(p.name);
    for (const g of given) expect(main.params.map((p) => p.name), g).toContain(g);
  });

  it("every output is declared in env/.env.dev, where arm/deploy writes it", () => {
    const declared = envFile("env/.env.dev");
    for (const o of main.outputs) expect(declared.has(o), o).toBe(true);
  });

  it("modules are local files, called with exactly the parameters they declare", () => {
    expect(main.modules.length).toBeGreaterThan(0);
    for (const m of main.modules) {
      expect(m.path.startsWith("./"), `${m.path}: no registry modules`).toBe(true);
      const mod = bicep(join("infra", m.path));
      for (const p of mod.params.filter((p) => !p.hasDefault)) expect(m.params, `${m.path}: ${p.name}`).toContain(p.name);
      for (const p of m.params) expect(mod.params.map((q) => q.name), `${m.path}: ${p}`).toContain(p);
    }
    expect(read("infra/azure.bicep")).not.toMatch(/br:|br\/|ts:/);
  });

  it("the Function App runs on Flex Consumption, Node 22, as its user-assigned identity; storage has shared keys off and the identity holds table data access", () => {
    expect(main.text).toMatch(/name: 'FC1'\s+tier: 'FlexConsumption'/);
    expect(main.text).toMatch(/runtime: \{\s+name: 'node'\s+version: '22'/);
    expect(main.text).toContain("allowSharedKeyAccess: false");
    // Storage Table Data Contributor, assigned on the account to the identity.
    expect(main.text).toContain("storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
    expect(main.text).toMatch(/for role in \[[^\]]*roles\.storageTableDataContributor/);
    expect(main.text).toContain("DisableLocalAuth: true");
    expect(main.text).toContain("WorkspaceResourceId: workspace.id");
    expect(main.text).not.toMatch(/listKeys|AccountKey=|Microsoft\.KeyVault/);
  });

  it("the Azure Bot runs on the managed identity (no secret) with the Teams and Outlook channels", () => {
    const bot = read("infra/botRegistration/azurebot.bicep");
    expect(bot).toContain("msaAppType: 'UserAssignedMSI'");
    for (const channel of ["MsTeamsChannel", "OutlookChannel", "M365Extensions"]) expect(bot).toContain(`channelName: '${channel}'`);
    expect(bot).toContain("endpoint: 'https://${botAppDomain}/api/messages'");
  });

  it("the alert rules query the metrics the code emits and the requests table: failed deliveries, the sweep's heartbeat, the 5xx rate", () => {
    const alerts = read("infra/monitoring/alerts.bicep");
    expect(alerts).toContain(`name == "${METRIC.deliveries}" and tostring(customDimensions.outcome) == "failed"`);
    expect(alerts).toContain(`name == "${METRIC.sweepLag}"`);
    expect(alerts).toMatch(/requests \| summarize total = count\(\), failed = countif\(toint\(resultCode\) >= 500\)/);
  });

  it("an availability test calls the readiness route the app serves, with an alert (Flex Consumption has no platform health check)", () => {
    expect(main.text).toContain("readinessUrl: 'https://${hostName}/api/health/ready'");
    expect(read("functions/http/health.ts")).toContain('route: "health/ready"');
    const alerts = read("infra/monitoring/alerts.bicep");
    expect(alerts).toContain("RequestUrl: readinessUrl");
    expect(alerts).toContain("webTestId: readiness.id");
    expect(main.text).not.toContain("healthCheckPath");
  });
});

describe("the Bicep's app settings and functions/settings.ts", () => {
  /** Settings the Bicep deliberately leaves unset, and why. */
  const NOT_IN_AZURE: Record<string, string> = {
    RESOLVE_TABLES_CONNECTION: "Azurite only; Azure uses RESOLVE_TABLES_ENDPOINT and the managed identity",
    RESOLVE_PROCEDURE: "local mode's demo authority",
    RESOLVE_DEV_TENANT: "local mode's dev identity",
    RESOLVE_JWKS_URL: "Entra's keys are the default",
    RESOLVE_ISSUER_TEMPLATE: "Entra's v2 issuer is the default",
    MicrosoftAppPassword: "the bot signs in as the managed identity",
    RESOLVE_GRAPH_TENANT_ID: "Graph signs in as the managed identity",
    RESOLVE_GRAPH_CLIENT_ID: "Graph signs in as the managed identity",
    RESOLVE_GRAPH_CLIENT_SECRET: "Graph signs in as the managed identity",
    WEBSITE_INSTANCE_ID: "set by the platform",
    RESOLVE_TEAMS_NEW_CHATS: "Teams starts chats (the default); off only for the local Playgrounds",
  };
  /** Read by the platform or the Azure SDK, not by functions/settings.ts. */
  const PLATFORM = ["AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AZURE_CLIENT_ID"];

  it("every setting the code reads is set by the Bicep or knowingly left (with the reason)", () => {
    const set = main.appSettings.map((s) => s.name);
    for (const name of SETTING_NAMES) expect(set.includes(name) || name in NOT_IN_AZURE, `${name} is neither set by infra/azure.bicep nor listed as left unset`).toBe(true);
    for (const name of Object.keys(NOT_IN_AZURE)) expect(set, name).not.toContain(name);
  });

  it("every app setting is one the code or the platform reads", () => {
    for (const { name } of main.appSettings) expect((SETTING_NAMES as string[]).includes(name) || PLATFORM.includes(name), name).toBe(true);
  });

  it("the values the Bicep gives pass functions/settings.ts in azure mode, with no secret among them", () => {
    const guid = "7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d";
    const env = Object.fromEntries(
      main.appSettings.map(({ name, value }) => {
        // A quoted literal stands; an expression stands for what Azure fills in.
        const literal = /^'([^'$]*)'$/.exec(value)?.[1];
        if (literal !== undefined) return [name, literal];
        if (/primaryEndpoints\.table/.test(value)) return [name, "https://stresolve.table.core.windows.net/"];
        return [name, value.replace(/^'|'$/g, "").replace(/\$\{[^}]+\}/g, guid).replace(/^[a-z][\w.]*$/i, guid)];
      }),
    );
    const settings = readSettings(env);
    expect(settings).toMatchObject({ RESOLVE_MODE: "azure", MicrosoftAppType: "UserAssignedMSI", RESOLVE_TABLES_ENDPOINT: "https://stresolve.table.core.windows.net/", RESOLVE_API_AUDIENCE: `api://${guid}` });
    expect(Object.keys(env).filter((k) => /SECRET|PASSWORD|KEY$/i.test(k))).toEqual([]);
  });
});

describe("the API's Entra registration (infra/entra/resolve-api.manifest.json)", () => {
  const manifest = JSON.parse(read("infra/entra/resolve-api.manifest.json")) as {
    identifierUris: string[];
    api: { requestedAccessTokenVersion: number; oauth2PermissionScopes: { value: string; type: string }[] };
    spa: { redirectUris: string[] };
    signInAudience: string;
  };

  it("exposes access_as_user, asks for v2 tokens, and allows the NAA broker redirect for the tab and the add-in", () => {
    expect(manifest.api.requestedAccessTokenVersion).toBe(2);
    expect(manifest.api.oauth2PermissionScopes.map((s) => [s.value, s.type])).toEqual([["access_as_user", "User"]]);
    expect(manifest.spa.redirectUris).toContain("brk-multihub://${{FUNCTION_APP_DOMAIN}}");
    expect(manifest.signInAudience).toBe("AzureADMyOrg");
  });

  it("its App ID URI is the audience the Bicep gives the app", () => {
    expect(manifest.identifierUris).toEqual(["api://${{AAD_APP_CLIENT_ID}}"]);
    expect(main.appSettings.find((s) => s.name === "RESOLVE_API_AUDIENCE")?.value).toBe("'api://${apiClientId}'");
    expect(read("infra/azure.parameters.json")).toContain('"apiClientId": { "value": "${{AAD_APP_CLIENT_ID}}" }');
  });
});
