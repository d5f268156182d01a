/**
 * WCAG 2.2 AA on every page and view a person opens, in real Chromium: the task pane (empty,
 * pre-filled from an e-mail, after a refused submit), the tab's views for an IRO, a team manager,
 * QA and an administrator (their lists, Find, a dispute opened, the dashboard, the monthly report
 * view), the monthly report page, the record for the child's file and the local mailbox. axe-core finds nothing serious or critical; each reflows at 320 CSS pixels
 * (1280 at 400% zoom) without scrolling sideways; the raise and respond flows work with the
 * keyboard alone, focus always visible. Pages are served by the local Functions host from a bundle
 * built here, against the REST API on the run's Azurite in local mode.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("a11y");
process.env.RESOLVE_ADDIN_DIR = join(mkdtempSync(join(tmpdir(), "resolve-addin-")), "addin");

import "../../functions/index";
import { getApp } from "../../functions/compose";
import { demoPeople } from "../../functions/demo/demoAuthority";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { buildAddin } from "../../scripts/build-addin";
import { type Focused, focused, horizontalOverflow, seriousViolations, tabTo } from "../fixtures/axe";
import { launchChromium } from "../fixtures/chromium";
import { OFFICE_JS_URL, officeStub } from "../fixtures/officeStub";

const IRO = demoPeople.alex.upn;
const MANAGER = demoPeople.megan.upn;
const QA = demoPeople.quinn.upn;
const ADMIN = demoPeople.rowan.upn;

const MAIL = {
  itemId: "AAMkA11y=/item+1",
  conversationId: "AAQkA11y-conv",
  internetMessageId: "<A11Y1@mail.example.gov.uk>",
  subject: "MOS-300111 plan not progressing",
  from: { displayName: "Sam Kaur", emailAddress: "samk@example.com" },
  dateTimeCreated: "2026-12-21T09:30:00Z",
  body: "The review asked for a PEP within 10 working days. It has not been started.",
};

let host: LocalHost;
let browser: Browser;
/** A dispute waiting on the team manager, and one she has answered (waiting on the IRO). */
const ids = { waiting: "", answered: "" };

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

async function settled(disputeId: string) {
  const app = await getApp();
  for (let i = 0; i < 100; i++) {
    if (!(await app.outbox.work(tenantId, 500)).some((m) => m.disputeId === disputeId)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dispute ${disputeId}: effects not relayed within 5 s`);
}

const raise = async (reference: string) =>
  (
    await call("POST", "disputes", IRO, {
      child: { reference, initials: "K.T.", legalStatus: "looked-after", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no allocated social worker",
      concerns: "The plan has drifted since the review.",
      outcomesSought: "Allocate a social worker within 5 working days.",
      startStage: 1,
    })
  ).id as string;

interface Opened {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/** A fresh context acting as `as` (the dev identity: localStorage for the pages, a header for the server's own pages). */
async function open(path: string, as: string, options: { width?: number; mail?: boolean; ready?: boolean } = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1024, height: 900 }, deviceScaleFactor: 1, locale: "en-GB", timezoneId: "Europe/London", extraHTTPHeaders: { "x-resolve-dev-user": as } });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, async (route) => {
    // Outside Outlook office.js loads but offers no mailbox; in Outlook, the stand-in with one message.
    if (route.request().url().startsWith(OFFICE_JS_URL)) return route.fulfill({ status: 200, contentType: "text/javascript", body: options.mail ? officeStub([MAIL]) : "" });
    return route.abort();
  });
  await context.addInitScript((upn) => localStorage.setItem("resolve.devUser", upn), as);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${host.url}/api/${path}`);
  if (options.ready !== false) await page.waitForSelector("body[data-ready='true']", { timeout: 15_000 });
  return { context, page, errors };
}

async function openDispute(page: Page, id: string) {
  await page.locator(`button.open-dispute[data-id='${id}']`).click();
  await page.waitForSelector("#card .ac-adaptiveCard");
}

/** Each view: how to reach it, and the page it opens on. */
const VIEWS: { name: string; path: string; as: string; mail?: boolean; ready?: boolean; then?: (page: Page) => Promise<void> }[] = [
  { name: "task pane, empty (outside Outlook)", path: "addin/taskpane.html", as: IRO },
  { name: "task pane, pre-filled from an e-mail", path: "addin/taskpane.html", as: IRO, mail: true },
  {
    name: "task pane, after a refused submit",
    path: "addin/taskpane.html",
    as: IRO,
    mail: true,
    then: async (page) => {
      await page.locator("#raise-button").click();
      await page.waitForSelector("#errors:not([hidden])");
    },
  },
  {
    name: "task pane, after the server refused the raise",
    path: "addin/taskpane.html",
    as: IRO,
    mail: true,
    then: async (page) => {
      await page.locator("#f-childInitials").fill("J.S.");
      await page.locator("#f-legalStatus").selectOption({ label: "Looked after" });
      await page.locator("#f-categoryReason").selectOption({ label: "No allocated social worker" });
      await page.locator("#f-outcomesSought").fill("Allocate a social worker within 5 working days.");
      // Longer than stage 1 allows: the form lets it through (1 to 20), the procedure does not.
      await page.locator("#f-startStage").selectOption("1");
      await page.locator("#f-timescaleDays").fill("10");
      await page.locator("#raise-button").click();
      await page.waitForSelector("#errors:not([hidden])");
      // The reason takes focus, so it is read out and the keyboard starts from it.
      expect(await page.locator("#errors").innerText()).toContain("The dispute was not raised.");
      expect((await focused(page)).id).toBe("errors");
    },
  },
  { name: "tab, IRO: waiting on me", path: "addin/tab.html", as: IRO },
  { name: "tab, IRO: I raised", path: "addin/tab.html", as: IRO, then: (page) => page.locator("#list-iro").click() },
  {
    name: "tab, IRO: find a child's disputes",
    path: "addin/tab.html",
    as: IRO,
    then: async (page) => {
      await page.locator("#list-find").click();
      await page.locator("#find-reference").fill("MOS-300333");
      await page.locator("#find-submit").click();
      await page.waitForSelector(`button.open-dispute[data-id='${ids.answered}']`);
    },
  },
  {
    name: "tab, IRO: a dispute to decide, Escalate open",
    path: "addin/tab.html",
    as: IRO,
    then: async (page) => {
      await page.locator("#list-iro").click();
      await openDispute(page, ids.answered);
      // Resolve is the main action; Escalate is among the rest, behind "More…", which says it is open.
      const more = page.getByRole("button", { name: "More…" });
      expect(await more.getAttribute("aria-expanded")).toBe("false");
      await more.click();
      expect(await more.getAttribute("aria-expanded")).toBe("true");
      await page.getByRole("button", { name: "Escalate" }).click();
    },
  },
  { name: "tab, IRO: good practice", path: "addin/tab.html", as: IRO, then: (page) => page.locator("#view-feedback").click() },
  {
    name: "tab, IRO: good practice refused",
    path: "addin/tab.html",
    as: IRO,
    then: async (page) => {
      await page.locator("#view-feedback").click();
      await page.locator("#feedback-submit").click();
      await page.waitForSelector("#feedback-result");
    },
  },
  { name: "tab, team manager: waiting on me", path: "addin/tab.html", as: MANAGER },
  {
    name: "tab, team manager: good practice sent to them, with its reply form",
    path: "addin/tab.html",
    as: MANAGER,
    then: async (page) => {
      await page.locator("#view-feedback").click();
      await page.waitForSelector("ul.good-practice textarea");
    },
  },
  {
    name: "tab, team manager: a dispute to answer, Respond open",
    path: "addin/tab.html",
    as: MANAGER,
    then: async (page) => {
      await openDispute(page, ids.waiting);
      await page.getByRole("button", { name: "Respond" }).click();
    },
  },
  { name: "tab, team manager: open in my team", path: "addin/tab.html", as: MANAGER, then: (page) => page.locator("#list-team").click() },
  { name: "tab, team manager: dashboard", path: "addin/tab.html", as: MANAGER, then: async (page) => { await page.locator("#view-dashboard").click(); await page.waitForSelector("#dashboard"); } },
  { name: "tab, QA: dashboard", path: "addin/tab.html", as: QA, then: async (page) => { await page.locator("#view-dashboard").click(); await page.waitForSelector("#dashboard"); } },
  { name: "tab, QA: my disputes", path: "addin/tab.html", as: QA },
  { name: "tab, QA: monthly report", path: "addin/tab.html", as: QA, then: async (page) => { await page.locator("#view-report").click(); await page.waitForSelector("#report-csv"); } },
  { name: "tab, administrator: administration", path: "addin/tab.html", as: ADMIN, then: async (page) => { await page.locator("#view-admin").click(); await page.waitForSelector("#people"); } },
  { name: "tab, team manager: I am away", path: "addin/tab.html", as: MANAGER, then: async (page) => { await page.locator("#away-open").click(); await page.waitForSelector("#admin-result, form"); } },
  { name: "monthly report", path: "reports/monthly/page?month=2026-12", as: QA, ready: false },
  { name: "record for the child's file", path: "disputes/{answered}/record", as: IRO, ready: false },
  { name: "local mailbox", path: "dev/mailbox/page", as: IRO, ready: false },
];

beforeAll(async () => {
  await buildAddin({ outdir: process.env.RESOLVE_ADDIN_DIR!, quiet: true });
  host = await startLocalHost({ port: 0 });
  await call("POST", "dev/clock", IRO, { now: "2026-12-21T10:00:00Z" });
  ids.waiting = await raise("MOS-300222");
  ids.answered = await raise("MOS-300333");
  await settled(ids.answered);
  await call("POST", `disputes/${ids.answered}/actions`, MANAGER, { action: "respond", response: "Allocated from Monday." });
  await Promise.all([settled(ids.waiting), settled(ids.answered)]);
  await call("POST", "feedback", IRO, { team: "demo-team", feedback: "The team turned the plan round in a week." });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe("WCAG 2.2 AA (axe-core): nothing serious or critical", () => {
  it.each(VIEWS)("$name", async (view) => {
    const { context, page, errors } = await open(view.path.replace("{answered}", ids.answered), view.as, view);
    await view.then?.(page);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("reflow at 320 CSS pixels (400% zoom of 1280): no scrolling sideways", () => {
  it.each(VIEWS)("$name", async (view) => {
    const { context, page } = await open(view.path.replace("{answered}", ids.answered), view.as, { ...view, width: 320 });
    await view.then?.(page);
    expect(await horizontalOverflow(page)).toEqual([]);
    // Narrow, a wide table scrolls in its own box: the keyboard must reach it there too.
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});

/** The ids of the stops on the way, each once, in the order the keyboard met them. */
const stops = (trail: Focused[]) => trail.map((f) => f.id).filter((id, i, all) => id && all.indexOf(id) === i);

describe("with the keyboard alone", () => {
  it("an IRO raises a dispute from the task pane: fields in reading order, focus always drawn, a refused submit lands on the field to put right", async () => {
    const { context, page, errors } = await open("addin/taskpane.html", IRO, { mail: true, width: 420 });
    const trail = await tabTo(page, (f) => f.id === "raise-button");
    expect(trail.filter((f) => !f.visible)).toEqual([]);
    expect(stops(trail).filter((id) => id.startsWith("f-"))).toEqual(["f-childReference", "f-childInitials", "f-legalStatus", "f-team", "f-categoryReason", "f-concerns", "f-outcomesSought", "f-startStage", "f-timescaleDays", "f-reviewDate", "f-guardianName", "f-guardianEmail", "f-solicitorName", "f-solicitorEmail", "f-inProceedings"]);

    // Submitted with nothing but the e-mail's pre-fill: refused, and focus goes to the first field named.
    await page.keyboard.press("Enter");
    await page.waitForSelector("#errors:not([hidden])");
    expect(await page.locator("#errors").getAttribute("role")).toBe("alert");
    expect((await focused(page)).id).toBe("f-childInitials");
    expect(await page.locator("#f-childInitials").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#f-childInitials").getAttribute("aria-describedby")).toBe("e-childInitials");

    await page.keyboard.type("J.S.");
    // No legal status is chosen for the IRO: it is typed to, like any choice.
    await tabTo(page, (f) => f.id === "f-legalStatus");
    await page.keyboard.type("Looked");
    expect(await page.locator("#f-legalStatus").inputValue()).toBe("looked-after");
    await tabTo(page, (f) => f.id === "f-categoryReason");
    await page.keyboard.type("No allocated");
    expect(await page.locator("#f-categoryReason").inputValue()).toBe("statutory-responsibilities/no-allocated-social-worker");
    await tabTo(page, (f) => f.id === "f-outcomesSought");
    await page.keyboard.type("Allocate a social worker within 5 working days.");
    await tabTo(page, (f) => f.id === "raise-button");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#raised");
    expect(await page.locator("#raised").innerText()).toContain("Sent to Megan Bowen (Team Manager)");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a team manager opens a dispute from the tab and responds on its card: focus lands on the dispute, a refused send on the answer, the outcome is read out", async () => {
    const id = await raise("MOS-300444");
    await settled(id);
    const { context, page, errors } = await open("addin/tab.html", MANAGER, { width: 900 });
    const trail = await tabTo(page, (f) => f.tag === "button" && f.name.startsWith(id));
    expect(trail.filter((f) => !f.visible)).toEqual([]);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#card .ac-adaptiveCard");
    expect((await focused(page)).id).toBe("state");

    expect((await tabTo(page, (f) => f.name === "Respond")).filter((f) => !f.visible)).toEqual([]);
    await page.keyboard.press("Enter");
    await tabTo(page, (f) => f.name === "Send response");
    // Sent empty: the card refuses it and puts focus in the answer, whose name now carries the reason.
    await page.keyboard.press("Enter");
    expect((await focused(page)).name).toMatch(/^Your response.*Write your response before sending it\./);
    await page.keyboard.type("Allocated from Monday; first visit on Wednesday.");
    const back = await tabTo(page, (f) => f.name === "Send response");
    expect(back.filter((f) => !f.visible)).toEqual([]);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#state").getAttribute("data-state")).toBe("awaiting-decision");
    expect((await focused(page)).id).toBe("state");
    await expect.poll(() => page.locator("#announcer").innerText()).toMatch(/^Your answer was sent at /);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the tab's rows of tabs", () => {
  it("each row is one Tab stop; the arrow keys, Home and End move along it and choose, focus staying on the tab", async () => {
    const { context, page } = await open("addin/tab.html", MANAGER, { width: 900 });
    const trail = await tabTo(page, (f) => f.id === "list-assignee");
    expect(stops(trail)).toEqual(["away-open", "persona", "view-mine", "list-assignee"]);
    // A team manager raises nothing as an IRO: her lists are what waits on her, her team's, and Find.
    expect(await page.locator("#list-iro").count()).toBe(0);
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => page.locator("#list-team").getAttribute("aria-selected")).toBe("true");
    expect((await focused(page)).id).toBe("list-team");
    await page.keyboard.press("End");
    await expect.poll(() => page.locator("#list-find").getAttribute("aria-selected")).toBe("true");
    expect((await focused(page)).id).toBe("list-find");
    await page.keyboard.press("Home");
    await expect.poll(() => page.locator("#list-assignee").getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => page.locator("#list-assignee").getAttribute("aria-selected")).toBe("true");
    expect((await focused(page)).id).toBe("list-assignee");
    // Back to the views: the dashboard opens from the keyboard alone.
    await page.keyboard.press("Shift+Tab");
    expect((await focused(page)).id).toBe("view-mine");
    await page.keyboard.press("ArrowRight");
    await page.waitForSelector("#dashboard");
    expect((await focused(page)).id).toBe("view-dashboard");
    await context.close();
  });
});

describe("the local mailbox", () => {
  it("shows new items in place, without reloading; paused, it waits until told to check", async () => {
    const { context, page } = await open("dev/mailbox/page", IRO, { ready: false });
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    const count = () => page.locator("#items").getAttribute("data-count").then(Number);
    const before = await count();
    await settled(await raise("MOS-300555"));
    await expect.poll(count, { timeout: 8_000 }).toBeGreaterThan(before);
    expect(await page.locator("#update-status").innerText()).toMatch(/new items? at/);
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);

    await page.getByRole("button", { name: "Pause updates" }).click();
    expect(await page.locator("#pause").getAttribute("aria-pressed")).toBe("true");
    const paused = await count();
    await settled(await raise("MOS-300666"));
    await page.waitForTimeout(6_000);
    expect(await count()).toBe(paused);
    await page.getByRole("button", { name: "Check now" }).click();
    await expect.poll(count).toBeGreaterThan(paused);
    await context.close();
  }, 30_000);
});
