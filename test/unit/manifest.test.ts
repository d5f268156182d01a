/**
 * The app package: the manifest built from the environment is valid against the schema shipped in
 * @microsoft/app-manifest (offline), a broken one is refused naming the field, and the zip holds
 * manifest.json and the two icons at the sizes Teams requires.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { ICON_FILES, RIBBON_SIZES, ribbonIconFile } from "../../manifest/iconFiles";
import { colorIcon, outlineIcon, pngInfo } from "../../manifest/icons";
import { LOCAL_DEFAULTS, buildManifest, manifestSettings } from "../../manifest/manifest";
import { schemaPath, validateManifest } from "../../manifest/validate";
import { ManifestError, buildAppPackage, packageFiles } from "../../scripts/build-manifest";

const PROD = {
  RESOLVE_TEAMS_APP_ID: "2b7c8f0e-4d1a-4c55-9f3e-0a1b2c3d4e5f",
  RESOLVE_APP_ID: "9f8e7d6c-5b4a-4321-8fed-cba987654321",
  MicrosoftAppId: "11111111-2222-4333-8444-555555555555",
  RESOLVE_HOST_URL: "https://resolve-demo.azurewebsites.net/",
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const clone = (m: unknown): any => structuredClone(m);

describe("the Microsoft 365 app manifest", () => {
  it("is checked against the schema for its version, from the npm package, with no network", () => {
    expect(schemaPath()).toMatch(/@microsoft[\\/]app-manifest[\\/]build[\\/]json-schemas[\\/]teams[\\/]v1\.24[\\/]MicrosoftTeams\.schema\.json$/);
  });

  it("built from the environment, is valid: bot with its commands, the tab, the Outlook add-in, NAA", () => {
    const m = buildManifest(manifestSettings(PROD, "1.2.3")) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(validateManifest(m)).toEqual([]);
    expect(m.id).toBe(PROD.RESOLVE_TEAMS_APP_ID);
    expect(m.version).toBe("1.2.3");
    expect(m.bots[0].botId).toBe(PROD.MicrosoftAppId);
    expect(m.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual(["raise", "my disputes", "status", "help"]);
    expect(m.staticTabs[0]).toMatchObject({ entityId: "my-disputes", contentUrl: "https://resolve-demo.azurewebsites.net/api/addin/tab.html", scopes: ["personal"] });
    expect(m.validDomains).toEqual(["resolve-demo.azurewebsites.net"]);
    expect(m.webApplicationInfo).toEqual({
      id: PROD.RESOLVE_APP_ID,
      resource: `api://${PROD.RESOLVE_APP_ID}`,
      nestedAppAuthInfo: [{ redirectUri: "brk-multihub://resolve-demo.azurewebsites.net", scopes: [`api://${PROD.RESOLVE_APP_ID}/access_as_user`] }],
    });
    const ext = m.extensions[0];
    expect(ext.runtimes[0].code.page).toBe("https://resolve-demo.azurewebsites.net/api/addin/taskpane.html");
    expect(ext.runtimes[0].actions[0]).toMatchObject({ type: "openPage", pinnable: true });
    expect(ext.ribbons[0].contexts).toEqual(["mailRead"]);
    expect(ext.ribbons[0].tabs[0].groups[0].controls[0]).toMatchObject({ type: "button", actionId: ext.runtimes[0].actions[0].id });
  });

  it("with nothing set, uses local placeholders and is still valid", () => {
    const m = buildManifest(manifestSettings({})) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(m.id).toBe(LOCAL_DEFAULTS.teamsAppId);
    expect(m.staticTabs[0].contentUrl).toBe("https://localhost:7071/api/addin/tab.html");
    expect(validateManifest(m)).toEqual([]);
  });

  it("a broken manifest is refused, each problem naming its field", () => {
    const m = clone(buildManifest(LOCAL_DEFAULTS));
    m.bots[0].botId = "not-a-guid";
    delete m.developer.privacyUrl;
    m.extensions[0].ribbons[0].contexts = ["mailReed"];
    m.manifestVersion = "1.99";
    m.nickname = "Res";
    const problems = validateManifest(m);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bots\[0\]\.botId: must match pattern/),
        "developer.privacyUrl: is required",
        expect.stringMatching(/^extensions\[0\]\.ribbons\[0\]\.contexts\[0\]: must be one of "mailRead"/),
        'manifestVersion: must be "1.24"',
        "nickname: is not allowed here",
      ]),
    );
    expect(() => packageFiles(m)).toThrow(ManifestError);
    expect(() => packageFiles(m)).toThrow(/bots\[0\]\.botId/);
  });

  it("icons of the wrong size are refused", () => {
    expect(() => packageFiles(buildManifest(LOCAL_DEFAULTS), { color: colorIcon(96), outline: outlineIcon(32) })).toThrow("icons.color: color.png must be 192×192, not 96×96");
  });
});

describe("the app package (npm run manifest)", () => {
  it("zips manifest.json with a 192×192 colour icon and a transparent 32×32 outline icon", () => {
    const outdir = mkdtempSync(join(tmpdir(), "resolve-manifest-"));
    const pkg = buildAppPackage({ env: PROD, outdir });
    const files = unzipSync(new Uint8Array(readFileSync(pkg.zip)));
    expect(Object.keys(files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    const manifest = JSON.parse(Buffer.from(files["manifest.json"]!).toString("utf8"));
    expect(validateManifest(manifest)).toEqual([]);
    expect(manifest.icons).toEqual({ color: "color.png", outline: "outline.png" });
    expect(pngInfo(files["color.png"]!)).toEqual({ width: 192, height: 192, alpha: true });
    expect(pngInfo(files["outline.png"]!)).toEqual({ width: 32, height: 32, alpha: true });
  });

  it("the Outlook add-in requires the NestedAppAuth set it signs in with, besides Mailbox 1.5", () => {
    const manifest = buildManifest(manifestSettings(PROD)) as { extensions: { requirements: { capabilities: { name: string; minVersion: string }[] } }[] };
    expect(manifest.extensions[0]!.requirements.capabilities).toEqual([
      { name: "Mailbox", minVersion: "1.5" },
      { name: "NestedAppAuth", minVersion: "1.1" },
    ]);
  });

  it("takes its icons from the PNG files in manifest/ that a council may replace; the ribbon's are 16, 32 and 80 px", () => {
    const pkg = buildAppPackage({ env: PROD, outdir: mkdtempSync(join(tmpdir(), "resolve-manifest-")) });
    const files = unzipSync(new Uint8Array(readFileSync(pkg.zip)));
    expect(Buffer.from(files["color.png"]!).equals(readFileSync(ICON_FILES.color))).toBe(true);
    expect(Buffer.from(files["outline.png"]!).equals(readFileSync(ICON_FILES.outline))).toBe(true);
    for (const size of RIBBON_SIZES) expect(pngInfo(readFileSync(ribbonIconFile(size)))).toMatchObject({ width: size, height: size });
  });

  it("the outline icon is white on transparency; the colour icon is opaque inside its rounded corners", async () => {
    const { inflateSync } = await import("node:zlib");
    const pixels = (png: Buffer, size: number) => {
      // One IDAT chunk, filter 0 on every row (as encodePng writes it).
      const len = png.readUInt32BE(33);
      const raw = inflateSync(png.subarray(41, 41 + len));
      return (x: number, y: number) => [...raw.subarray(y * (size * 4 + 1) + 1 + x * 4, y * (size * 4 + 1) + 5 + x * 4)];
    };
    const outline = pixels(outlineIcon(32), 32);
    expect(outline(0, 0)[3]).toBe(0);
    const opaque: number[][] = [];
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) if (outline(x, y)[3]! > 0) opaque.push(outline(x, y));
    expect(opaque.length).toBeGreaterThan(100);
    expect(opaque.every(([r, g, b]) => r === 255 && g === 255 && b === 255)).toBe(true);
    const color = pixels(colorIcon(192), 192);
    expect(color(0, 0)[3]).toBe(0);
    expect(color(96, 10)).toEqual([0x5b, 0x5f, 0xc7, 255]);
  });
});
