/**
 * The tab's Administration view in real Chromium, served by the local Functions host from a bundle
 * built here (its own RESOLVE_ADDIN_DIR), against the REST API on the run's Azurite in local mode.
 * Rowan Ellis, the authority's administrator, finds a person in the organisation and adds them,
 * gives them a role, adds a team with its Entra group's members and sets a closure day; each change shows in the view's history and is what
 * the API then says. A manager sets their own cover from the header's "I am away…".
 * Screenshots go to test-output/admin/.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

useLocalMode("adminb");
process.env.RESOLVE_ADDIN_DIR = join(mkdtempSync(join(tmpdir(), "resolve-addin-")), "addin");

import "../../functions/index";
import { demoPeople } from "../../functions/demo/demoAuthority";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { buildAddin } from "../../scripts/build-addin";
import { launchChromium } from "../fixtures/chromium";

const OUT = join(process.cwd(), "test-output", "admin");
const ADMIN = demoPeople.rowan.upn;
const MANAGER = demoPeople.megan.upn;

let host: LocalHost;
let browser: Browser;

async function api(path: string, as = ADMIN) {
  const res = await fetch(`${host.url}/api/${path}`, { headers: { "x-resolve-dev-user": as } });
  expect(res.status).toBe(200);
  return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function open(as: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1800 }, locale: "en-GB", timezoneId: "Europe/London" });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  await context.addInitScript((upn) => localStorage.setItem("resolve.devUser", upn), as);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${host.url}/api/addin/tab.html`);
  await page.waitForSelector("body[data-ready='true']", { timeout: 15_000 });
  return { context, page, errors };
}

/** After a change the view draws itself again with what the server said: wait for these words. */
async function said(page: Page, words: string | RegExp): Promise<void> {
  await page.locator("#admin-result").filter({ hasText: words }).waitFor({ timeout: 10_000 });
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await buildAddin({ outdir: process.env.RESOLVE_ADDIN_DIR!, quiet: true });
  host = await startLocalHost({ port: 0 });
  await api("me");
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe("the Administration view, as the administrator", () => {
  let page: Page;
  let context: BrowserContext;
  let errors: string[];
  beforeAll(async () => {
    ({ page, context, errors } = await open(ADMIN));
  }, 30_000);
  afterAll(async () => {
    await context?.close();
  });

  it("is offered to the administrator, and shows the authority's people, roles and procedure", async () => {
    expect(await page.locator("nav.views button").allInnerTexts()).toContain("Administration");
    await page.locator("#view-admin").click();
    await page.waitForSelector("#people");
    expect(await page.locator("#people").textContent()).toContain("Megan Bowen");
    expect(await page.locator("#roles").textContent()).toContain("Team Manager");
    expect(await page.locator("#procedure-now").textContent()).toMatch(/Lambeth: Dispute resolution/);
  });

  it("finds a person in the organisation and adds them", async () => {
    await page.locator("#entra-text").fill("diego");
    await page.locator("#entra-search button[type=submit]").click();
    await page.locator("button.entra-add", { hasText: "Add Diego Siciliani" }).click();
    expect(await page.locator("#person-upn").inputValue()).toBe("diegos@example.com");
    await page.locator("#person-form input[name='person-team'][value='demo-team']").check();
    await page.locator("#person-save").click();
    await said(page, "Diego Siciliani: saved.");
    expect(await page.locator("#people").textContent()).toContain("diegos@example.com");
    const diego = (await api("admin/directory")).people.find((p: { upn: string }) => p.upn === "diegos@example.com");
    expect(diego).toMatchObject({ id: "00000000-0000-0000-0000-000000000040", displayName: "Diego Siciliani", teams: ["demo-team"], capabilities: [] });
  });

  it("gives them a role", async () => {
    await page.locator("#role-team").selectOption("demo-team");
    await page.locator("#role-role").selectOption("service-manager");
    await page.locator("#role-person").selectOption("diegos@example.com");
    await page.locator("#role-save").click();
    await said(page, "Service Manager: saved.");
    const row = (await api("admin/directory")).roles.find((r: { scope: string; role: string }) => r.scope === "demo-team" && r.role === "service-manager");
    expect(row.holder.upn).toBe("diegos@example.com");
    expect(await page.locator("#admin-history-list li").first().textContent()).toContain("Service Manager, Children in Care Team 1: Adele Vance → Diego Siciliani");
  });

  it("adds a team, then the members of its Entra group", async () => {
    await page.locator("#team-id").fill("leaving-care");
    await page.locator("#team-name").fill("Leaving Care Team");
    await page.locator("#team-area").fill("leaving-care");
    await page.locator("#team-save").click();
    await said(page, "Leaving Care Team: saved.");
    await page.locator("#group-team").selectOption("leaving-care");
    await page.locator("#group-text").fill("leaving");
    await page.locator("#group-form button[type=submit]").click();
    await page.locator("button.group-add", { hasText: "Add the members of Leaving Care Team to Leaving Care Team" }).click();
    await said(page, "Leaving Care Team: added Johanna Lorenz, Lee Gu; joined: Diego Siciliani.");
    const people = (await api("admin/directory")).people as { upn: string; teams: string[] }[];
    expect(people.find((p) => p.upn === "leeg@example.com")!.teams).toEqual(["leaving-care"]);
  });

  it("sets a closure day, shown the UK way, and the history says who changed what", async () => {
    await page.locator("#closure-day").fill("2026-12-29");
    await page.locator("#calendar-save").click();
    await said(page, "The working calendar: saved.");
    expect(await page.locator("#closure-days").textContent()).toContain("Tue 29 Dec 2026");
    expect((await api("admin/directory")).calendar).toEqual({ closureDays: ["2026-12-29"], endOfDay: "17:00" });
    const history = await page.locator("#admin-history-list li").first().textContent();
    expect(history).toContain("Rowan Ellis");
    expect(history).toContain("Working calendar: no closure days; the working day ends at 17:00 → closed Tue 29 Dec 2026");
    await page.screenshot({ path: join(OUT, "administration.png"), fullPage: true });
  });

  it("a refused change says why, naming the field, and changes nothing", async () => {
    await page.locator("#team-id").fill("Bad Id");
    await page.locator("#team-name").fill("Team");
    await page.locator("#team-area").fill("children-in-care");
    await page.locator("#team-save").click();
    await said(page, /^teamId: "Bad Id" must be an id/);
    expect(await page.locator("#admin-result").getAttribute("role")).toBe("alert");
    expect((await api("admin/directory")).teams.map((t: { displayName: string }) => t.displayName).sort()).toEqual(["Children in Care Team 1", "Leaving Care Team"]);
    expect(errors).toEqual([]);
  });
});

describe("I am away, as a manager", () => {
  it("sets their own cover from the header; the administrator sees it", async () => {
    const { page, context, errors } = await open(MANAGER);
    expect(await page.locator("nav.views button").allInnerTexts()).not.toContain("Administration");
    await page.locator("#away-open").click();
    await page.locator("#cover-from").fill("2027-01-04");
    await page.locator("#cover-until").fill("2027-01-08");
    await page.locator("#cover-person").fill(demoPeople.adele.upn);
    await page.locator("#cover-save").click();
    await said(page, "Cover: saved.");
    expect((await api("admin/directory")).covers).toEqual([
      { holder: { id: demoPeople.megan.id, upn: MANAGER, displayName: "Megan Bowen" }, cover: { id: demoPeople.adele.id, upn: demoPeople.adele.upn, displayName: "Adele Vance" }, from: "2027-01-04", until: "2027-01-08" },
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
