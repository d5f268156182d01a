/**
 * The tab's Dashboard and good-practice form in real Chromium, served by the local Functions host
 * from a bundle built here (its own folder, RESOLVE_ADDIN_DIR, so it never rebuilds the pages
 * another test file is serving), against the REST API on the run's Azurite in local mode. QA
 * switches to the Dashboard: the charts (Chart.js on canvas) draw, a row opens the dispute, the
 * filters narrow it; a manager gets it too, an IRO gets the good-practice form instead.
 * Screenshots go to test-output/dashboard/ for a person to look at.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("dashb");
process.env.RESOLVE_ADDIN_DIR = join(mkdtempSync(join(tmpdir(), "resolve-addin-")), "addin");

import "../../functions/index";
import { getApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { buildAddin } from "../../scripts/build-addin";
import { launchChromium } from "../fixtures/chromium";

const OUT = join(process.cwd(), "test-output", "dashboard");
const IRO = demoPeople.alex.upn;
const MANAGER = demoPeople.megan.upn;
const QA = demoPeople.quinn.upn;
const olive = { id: "00000000-0000-0000-0000-000000000099", upn: "olive@example.com", displayName: "Olive Outsider", capabilities: [], serviceAreas: ["children-in-need"], teams: ["other-team"] };

let host: LocalHost;
let browser: Browser;
const ids: Record<string, string> = {};

async function call(method: string, path: string, as = IRO, body?: unknown) {
  const res = await fetch(`${host.url}/api/${path}`, {
    method,
    headers: { "x-resolve-dev-user": as, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(res.status, JSON.stringify(json)).toBeLessThan(300);
  return json;
}

const raise = async (reference: string, team: string, startStage: number, category = "statutory-responsibilities", reason = "no-allocated-social-worker") =>
  (
    await call("POST", "disputes", IRO, {
      child: { reference, initials: "K.T.", legalStatus: "looked-after", team },
      category,
      reason,
      concerns: "The plan has drifted since the review.",
      outcomesSought: "Put it right within 5 working days.",
      startStage,
    })
  ).id as string;

interface Opened {
  context: BrowserContext;
  page: Page;
  errors: string[];
  outside: string[];
}

async function open(as: string, viewport = { width: 1200, height: 1600 }): Promise<Opened> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: "en-GB", timezoneId: "Europe/London" });
  const outside: string[] = [];
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, async (route) => {
    outside.push(route.request().url());
    return route.abort();
  });
  await context.addInitScript((upn) => localStorage.setItem("resolve.devUser", upn), as);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${host.url}/api/addin/tab.html`);
  await page.waitForSelector("body[data-ready='true']", { timeout: 15_000 });
  return { context, page, errors, outside };
}

/** How many of a canvas's pixels something was drawn on. */
const paintedPixels = (page: Page, id: string) =>
  page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement | null;
    if (!canvas || !canvas.width || !canvas.height) return 0;
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  }, id);

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await buildAddin({ outdir: process.env.RESOLVE_ADDIN_DIR!, quiet: true });
  host = await startLocalHost({ port: 0 });
  const demo = demoAuthority("lambeth", tenantId);
  const app = await getApp();
  await app.directory.seed({
    ...demo,
    people: [...demo.people, olive],
    teams: [...demo.teams, { id: "other-team", displayName: "Children in Need Team 4", serviceArea: "children-in-need" }],
    roles: { ...demo.roles, "other-team": { "social-worker": olive.id, "team-manager": olive.id, "service-manager": olive.id } },
  });
  // Raised on Monday 7 December 2026 and answered: its 20 working days ended on Thursday 7 January.
  await call("POST", "dev/clock", IRO, { now: "2026-12-07T10:00:00Z" });
  ids.capPassed = await raise("MOS-300001", "demo-team", 1);
  await call("POST", "dev/clock", IRO, { now: "2026-12-08T10:00:00Z" });
  await call("POST", `disputes/${ids.capPassed}/actions`, MANAGER, { action: "respond", response: "Allocated from today." });
  // Monday 4 January: due Friday 8 January, unanswered.
  await call("POST", "dev/clock", IRO, { now: "2027-01-04T10:00:00Z" });
  ids.overdue = await raise("MOS-300002", "demo-team", 1);
  // Monday 11 January: due Friday 15 January.
  await call("POST", "dev/clock", IRO, { now: "2027-01-11T10:00:00Z" });
  ids.stage2 = await raise("MOS-300003", "demo-team", 2, "drift-in-care-planning", "care-plan-delay");
  ids.other = await raise("MOS-300004", "other-team", 1);
  for (let i = 0; i < 100 && (await app.outbox.work(tenantId, 500)).length; i++) await app.relayAll();
  const entry = (await app.outbox.all(tenantId, ids.overdue)).find((e) => e.effect.kind === "notify")!;
  await app.outbox.update(entry, { status: "failed", attempts: 8, nextAttemptAt: "2027-01-12T09:00:00.000Z", lastError: "Graph said 503 eight times" });
  await call("POST", "dev/clock", IRO, { now: "2027-01-13T10:00:00Z" });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe("the Dashboard, as QA", () => {
  let tab: Opened;
  beforeAll(async () => {
    tab = await open(QA);
  }, 30_000);
  afterAll(async () => {
    await tab?.context.close();
  });

  it("switches from My disputes to the Dashboard; the charts draw on their canvases", async () => {
    const { page } = tab;
    expect(await page.locator("nav.views button").allInnerTexts()).toEqual(["My disputes", "Dashboard", "Monthly report", "Good practice"]);
    await page.locator("#view-dashboard").click();
    await page.waitForSelector("#dashboard");
    expect(await page.locator("#view-dashboard").getAttribute("aria-selected")).toBe("true");
    for (const id of ["chart-teams", "chart-deadlines"]) {
      const canvas = page.locator(`#${id}`);
      expect(await canvas.count(), id).toBe(1);
      const box = (await canvas.boundingBox())!;
      expect(box.width, id).toBeGreaterThan(200);
      expect(box.height, id).toBeGreaterThan(150);
      await expect.poll(() => paintedPixels(page, id), { timeout: 5_000 }).toBeGreaterThan(2_000);
      expect(await canvas.getAttribute("aria-label"), id).toBeTruthy();
    }
    expect(await page.locator("#chart-teams").getAttribute("aria-label")).toBe("Open disputes by team and stage: Children in Care Team 1 3, Children in Need Team 4 1");
    expect(await page.locator("#tile-open").getAttribute("data-value")).toBe("4");
    expect(await page.locator("#tile-overdue").getAttribute("data-value")).toBe("1");
    expect(await page.locator("#tile-due-this-week").getAttribute("data-value")).toBe("2");
    expect(await page.locator("#tile-cap-at-risk").getAttribute("data-value")).toBe("1");
    expect(await page.locator("#tile-failed").getAttribute("data-value")).toBe("1");
    expect(await page.locator("#dashboard-failed").innerText()).toContain("Graph said 503 eight times");
    expect(await page.locator("#dashboard-teams").innerText()).toContain("Children in Need Team 4");
    // The most pressing first: the overdue one.
    expect(await page.locator("#dashboard-disputes tbody tr").first().getAttribute("data-id")).toBe(ids.overdue);
    await page.screenshot({ path: join(OUT, "dashboard-qa.png"), fullPage: true });
    expect(tab.errors).toEqual([]);
    expect(tab.outside).toEqual([]);
  });

  it("a filter narrows it, and the charts draw again", async () => {
    const { page } = tab;
    await page.locator("#filter-team").selectOption("other-team");
    await expect.poll(() => page.locator("#dashboard-disputes tbody tr").count()).toBe(1);
    expect(await page.locator("#dashboard-disputes tbody tr").first().getAttribute("data-id")).toBe(ids.other);
    await expect.poll(() => paintedPixels(page, "chart-teams")).toBeGreaterThan(1_000);
    await page.locator("#filter-team").selectOption("");
    await expect.poll(() => page.locator("#dashboard-disputes tbody tr").count()).toBe(4);
  });

  it("each figure lists its disputes; every open one again after", async () => {
    const { page } = tab;
    await page.locator("#list-overdue").click();
    await expect.poll(() => page.locator("#dashboard-list").getAttribute("data-list")).toBe("overdue");
    expect(await page.locator("#dashboard-list-title").innerText()).toBe("Overdue (1)");
    expect(await page.locator("#dashboard-disputes tbody tr").first().getAttribute("data-id")).toBe(ids.overdue);
    // Fewer than a page: no More.
    expect(await page.locator("#dashboard-more").isVisible()).toBe(false);
    await page.locator("#list-open").click();
    await expect.poll(() => page.locator("#dashboard-disputes tbody tr").count()).toBe(4);
  });

  it("a row opens the dispute; back returns to the Dashboard", async () => {
    const { page } = tab;
    await page.locator(`#dashboard-disputes tr[data-id='${ids.stage2}'] td:nth-child(3)`).click();
    await page.waitForSelector("#card .ac-adaptiveCard");
    expect(await page.locator("#state").innerText()).toContain(ids.stage2);
    expect(await page.locator("#state").getAttribute("data-state")).toBe("awaiting-response");
    expect(await page.locator("#card").innerText()).toContain("MOS-300003");
    await page.screenshot({ path: join(OUT, "dashboard-opened.png"), fullPage: true });
    expect(await page.locator("#back").innerText()).toBe("← Dashboard");
    await page.locator("#back").click();
    await page.waitForSelector("#dashboard");
    await expect.poll(() => paintedPixels(page, "chart-deadlines")).toBeGreaterThan(2_000);
    expect(tab.errors).toEqual([]);
  });
});

describe("the Monthly report, as QA", () => {
  it("opens on this month by name; another month is chosen; its CSV downloads", async () => {
    const tab = await open(QA, { width: 1100, height: 1600 });
    const { page } = tab;
    await page.locator("#view-report").click();
    await expect.poll(() => page.locator("#report-title").innerText()).toBe("Monthly report, January 2027");
    await page.waitForSelector("#report-csv");
    expect(await page.locator("#report-panel h3").first().innerText()).toBe("Summary, January 2027");
    await page.locator("#report-month").fill("2026-12");
    await page.getByRole("button", { name: "Show" }).click();
    await expect.poll(() => page.locator("#report-title").innerText()).toBe("Monthly report, December 2026");
    await page.waitForSelector("#report-csv");
    const summary = page.locator("#report-panel section").first();
    expect(await summary.innerText()).toMatch(/Disputes raised\s+1\b/);
    await page.screenshot({ path: join(OUT, "monthly-report-qa.png"), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#report-csv").click()]);
    expect(download.suggestedFilename()).toBe("resolve-monthly-report-2026-12.csv");
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.startsWith(`"Summary, December 2026"\r\nMeasure,Value\r\nDisputes raised,1\r\n`)).toBe(true);
    expect(tab.errors).toEqual([]);
    expect(tab.outside).toEqual([]);
    await tab.context.close();
  });

  it("a manager and an IRO are not offered it", async () => {
    for (const as of [MANAGER, IRO]) {
      const tab = await open(as, { width: 900, height: 900 });
      expect(await tab.page.locator("#view-report").count(), as).toBe(0);
      await tab.context.close();
    }
  });
});

describe("who is offered what", () => {
  it("a manager gets the Dashboard of their own service area", async () => {
    const tab = await open(MANAGER, { width: 900, height: 1400 });
    const { page } = tab;
    await page.locator("#view-dashboard").click();
    await page.waitForSelector("#dashboard");
    expect(await page.locator("#filter-team option").allInnerTexts()).toEqual(["All", "Children in Care Team 1"]);
    expect(await page.locator("#dashboard-disputes tbody tr").count()).toBe(3);
    await expect.poll(() => paintedPixels(page, "chart-teams")).toBeGreaterThan(2_000);
    await page.screenshot({ path: join(OUT, "dashboard-manager.png"), fullPage: true });
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it("an IRO gets no Dashboard but the good-practice form: the worker is chosen by name, a name not listed is refused, then it is recorded", async () => {
    const tab = await open(IRO, { width: 900, height: 1200 });
    const { page } = tab;
    expect(await page.locator("nav.views button").allInnerTexts()).toEqual(["My disputes", "Good practice"]);
    await page.locator("#view-feedback").click();
    await page.locator("#fb-team").selectOption("demo-team");
    await page.locator("#fb-workerUpn").fill("Nobody Here");
    await page.locator("#fb-feedback").fill("Sam's life-story work with K.T. was exemplary.");
    await page.locator("#feedback-submit").click();
    await expect.poll(() => page.locator("#fb-workerUpn-error").innerText()).toBe('Nobody called "Nobody Here" in this authority: choose the worker from the list, or leave it empty.');
    expect(await page.locator("#fb-workerUpn").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#fb-workerUpn").inputValue()).toBe("Nobody Here");
    expect(await page.locator("#fb-feedback").inputValue()).toBe("Sam's life-story work with K.T. was exemplary.");
    await page.screenshot({ path: join(OUT, "feedback-invalid.png"), fullPage: true });
    // Search as you type: the list offers the authority's people by name.
    await page.locator("#fb-workerUpn").fill("Sa");
    await expect.poll(() => page.locator("#fb-workerUpn-people option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(["Sam Kaur"]);
    await page.locator("#fb-workerUpn").fill("Sam Kaur");
    await expect.poll(() => page.locator("input[type=hidden][name=workerUpn]").inputValue()).toBe(demoPeople.sam.upn);
    await page.locator("#feedback-submit").click();
    await expect.poll(() => page.locator("#feedback-result").innerText()).toMatch(/^Recorded G-[0-9A-Z]{6}: sent to Megan Bowen and Rowan Ellis, in Teams and by mail\.$/);
    await page.screenshot({ path: join(OUT, "feedback-recorded.png"), fullPage: true });
    const id = /G-[0-9A-Z]{6}/.exec(await page.locator("#feedback-result").innerText())![0];
    const stored = await (await getApp()).services.feedback.load(tenantId, id);
    expect(stored).toMatchObject({ source: "tab", worker: { upn: demoPeople.sam.upn }, feedback: "Sam's life-story work with K.T. was exemplary." });
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it("the team manager it was sent to reads it under Good practice and replies; the reply is kept for the IRO", async () => {
    const sent = (await (await getApp()).services.feedback.list(tenantId)).find((f) => f.feedback === "Sam's life-story work with K.T. was exemplary.")!;
    const tab = await open(MANAGER, { width: 900, height: 1200 });
    const { page } = tab;
    await page.locator("#view-feedback").click();
    await page.waitForSelector(`#gp-${sent.id}`);
    // A manager records nothing here: the form is the IRO's.
    expect(await page.locator("#feedback-form").count()).toBe(0);
    expect(await page.locator(`#gp-${sent.id} h3`).innerText()).toBe(`${sent.id} · for Sam Kaur, Children in Care Team 1`);
    await page.locator(`#gp-${sent.id}-send`).click();
    await expect.poll(() => page.locator(`#gp-${sent.id}-result`).innerText()).toBe("Write your reply before sending it.");
    await page.locator(`#gp-${sent.id}-reply`).fill("Thank you: shared with Sam at supervision.");
    await page.locator(`#gp-${sent.id}-send`).click();
    await expect.poll(() => page.locator(`#gp-${sent.id}-result`).innerText()).toBe("Your reply went to Alex Wilber, in Teams and by mail.");
    expect(await page.locator(`#gp-${sent.id} .reply-given`).innerText()).toContain("Thank you: shared with Sam at supervision.");
    await page.screenshot({ path: join(OUT, "feedback-replied.png"), fullPage: true });
    const stored = await (await getApp()).services.feedback.load(tenantId, sent.id);
    expect(stored?.replies).toEqual([expect.objectContaining({ text: "Thank you: shared with Sam at supervision.", by: expect.objectContaining({ upn: MANAGER }) })]);
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it("a social worker gets My disputes alone, with no switcher", async () => {
    const tab = await open(demoPeople.sam.upn, { width: 900, height: 900 });
    expect(await tab.page.locator("nav.views").count()).toBe(0);
    expect(await tab.page.locator("#list-assignee").count()).toBe(1);
    await tab.context.close();
  });
});

describe("a list longer than a page", () => {
  it("shows 25 and a More button that brings the rest, then goes", async () => {
    // Last in the file: the disputes raised here would change the figures above.
    for (let i = 0; i < 24; i++) await raise(`MOS-3001${String(i).padStart(2, "0")}`, "other-team", 1);
    const tab = await open(QA);
    const { page } = tab;
    await page.locator("#view-dashboard").click();
    await page.waitForSelector("#dashboard-disputes");
    expect(await page.locator("#dashboard-list-title").innerText()).toBe("Open disputes (28)");
    expect(await page.locator("#dashboard-disputes tbody tr").count()).toBe(25);
    await page.locator("#dashboard-more").click();
    await expect.poll(() => page.locator("#dashboard-disputes tbody tr").count()).toBe(28);
    expect(await page.locator("#dashboard-more").isVisible()).toBe(false);
    expect(await page.locator("#dashboard-more-status").innerText()).toBe("Showing 28 of 28.");
    const shown = await page.locator("#dashboard-disputes tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));
    expect(new Set(shown).size).toBe(28);
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });
});
