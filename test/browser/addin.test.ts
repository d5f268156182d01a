/**
 * The Outlook task pane and the "My disputes" tab in real Chromium, served by the local Functions
 * host from the built bundle (npm run build:addin, run here first), against the REST API on the
 * run's Azurite in local mode. Office.js is a stand-in with a mailbox item (the page's request for
 * Microsoft's office.js is answered with it); nothing leaves the machine. Screenshots go to
 * test-output/addin/ for a person to look at.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page, type Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const tenantId = `addin-${Math.random().toString(36).slice(2, 8)}`;
process.env.RESOLVE_MODE = "local";
process.env.RESOLVE_TABLES_CONNECTION = inject("tablesConnection");
process.env.RESOLVE_DEV_TENANT = tenantId;
process.env.RESOLVE_PROCEDURE = "lambeth";
for (const k of ["WEBSITE_INSTANCE_ID", "MicrosoftAppId", "MicrosoftAppPassword", "RESOLVE_API_AUDIENCE", "RESOLVE_MAIL_SENDER", "RESOLVE_GRAPH_CLIENT_SECRET", "RESOLVE_GRAPH_MANAGED_IDENTITY"]) {
  delete process.env[k];
}

import "../../functions/index";
import { getApp } from "../../functions/compose";
import { demoPeople } from "../../functions/demo/demoAuthority";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { type AddinBuild, buildAddin } from "../../scripts/build-addin";
import { launchChromium } from "../fixtures/chromium";
import { recordFigure } from "../fixtures/figures";
import { OFFICE_JS_URL, officeStub } from "../fixtures/officeStub";

const OUT = join(process.cwd(), "test-output", "addin");
const IRO = "alexw@example.com";
const MANAGER = "meganb@example.com";

/** The messages the stand-in mailbox holds; the pane opens on the first. */
const MAILS = [
  {
    itemId: "AAMkAGI2TG93AAA=/item+1",
    conversationId: "AAQkAGI2conv-1",
    internetMessageId: "<CAB1234@mail.example.gov.uk>",
    subject: "MOS-100234 review actions not started",
    from: { displayName: "Sam Kaur", emailAddress: "samk@example.com" },
    dateTimeCreated: "2026-12-21T09:30:00Z",
    body: [
      "Hello Alex,",
      "",
      "The review on 1 December asked for a social worker to be allocated within 5 working days.",
      "Nobody has been allocated yet and the PEP has not been started. <script>window.__xss = 1</script> <img src=x onerror=\"window.__xss = 2\">",
      "",
      "Sam",
      "",
      "From: Alex Wilber <alexw@example.com>",
      "Sent: 20 December 2026 16:00",
      "Subject: Review actions",
      "",
      "Please confirm the allocation by Friday.",
    ].join("\r\n"),
  },
  {
    itemId: "AAMkAGI2TG93AAA=/item+2",
    conversationId: "AAQkAGI2conv-1",
    internetMessageId: "<CAB5678@mail.example.gov.uk>",
    subject: "RE: review actions",
    from: { displayName: "Megan Bowen", emailAddress: "meganb@example.com" },
    dateTimeCreated: "2026-12-22T11:00:00Z",
    body: "We are recruiting to the vacancy.\n\n> The review on 1 December asked for a social worker.",
  },
];

const OFFICE_STUB = officeStub(MAILS);

let host: LocalHost;
let browser: Browser;
let build: AddinBuild;

async function call(method: string, path: string, as = IRO, body?: unknown) {
  const res = await fetch(`${host.url}/api/${path}`, {
    method,
    headers: { "x-resolve-dev-user": as, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Wait until the relay has delivered a dispute's effects: list rows settle with it (see api.local.test.ts). */
async function settled(disputeId: string) {
  const app = await getApp();
  for (let i = 0; i < 100; i++) {
    if (!(await app.outbox.work(tenantId, 500)).some((m) => m.disputeId === disputeId)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dispute ${disputeId}: effects not relayed within 5 s`);
}

interface Opened {
  context: BrowserContext;
  page: Page;
  requests: Request[];
  errors: string[];
  outside: string[];
}

/** A fresh browser context acting as `as`, where every request off this machine is refused (and office.js is the stand-in). */
async function open(path: string, as: string, viewport = { width: 420, height: 1400 }): Promise<Opened> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: "en-GB", timezoneId: "Europe/London" });
  const outside: string[] = [];
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, async (route) => {
    const url = route.request().url();
    if (url.startsWith(OFFICE_JS_URL)) return route.fulfill({ status: 200, contentType: "text/javascript", body: OFFICE_STUB });
    outside.push(url);
    return route.abort();
  });
  await context.addInitScript((upn) => localStorage.setItem("resolve.devUser", upn), as);
  const page = await context.newPage();
  const requests: Request[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${host.url}/api/addin/${path}`);
  await page.waitForSelector("body[data-ready='true']", { timeout: 15_000 });
  return { context, page, requests, errors, outside };
}

const raises = (o: Opened) => o.requests.filter((r) => r.method() === "POST" && new URL(r.url()).pathname === "/api/disputes");

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  build = await buildAddin({ quiet: true });
  host = await startLocalHost({ port: 0 });
  expect((await call("POST", "dev/clock", IRO, { now: "2026-12-21T10:00:00Z" })).status).toBe(200);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe("serving the pages: GET /api/addin/{*path}", () => {
  it("serves each page, script, style sheet and source map with its content type, the page marked local", async () => {
    const html = await fetch(`${host.url}/api/addin/taskpane.html`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("content-security-policy")).toContain("frame-ancestors 'self' https://*.cloud.microsoft");
    expect(await html.text()).toContain('<meta name="resolve-mode" content="local">');
    for (const [file, type] of [["taskpane.js", "text/javascript; charset=utf-8"], ["tab.js", "text/javascript; charset=utf-8"], ["styles.css", "text/css; charset=utf-8"], ["taskpane.js.map", "application/json; charset=utf-8"], ["icons/icon-80.png", "image/png"]]) {
      const r = await fetch(`${host.url}/api/addin/${file}`);
      expect(r.status, file).toBe(200);
      expect(r.headers.get("content-type"), file).toBe(type);
      expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("refuses paths outside the built folder and files that are not there", async () => {
    for (const path of ["..%2F..%2Fpackage.json", "%2E%2E/%2E%2E/package.json", "meta.json", "nope.js"]) {
      expect((await fetch(`${host.url}/api/addin/${path}`)).status, path).toBe(404);
    }
    const index = await fetch(`${host.url}/api/addin`, { redirect: "manual" });
    expect(index.status).toBe(302);
    expect(index.headers.get("location")).toBe("/api/addin/index.html");
  });

  it("the task pane's script is within 300 KB gzip, MSAL not among what it loads first", () => {
    expect(build.entries.taskpane!.gzip).toBeLessThan(300 * 1024);
    recordFigure("pages-script-size", "the pages' scripts, KiB", { taskpane: Math.round(build.entries.taskpane!.bytes / 1024), taskpaneGzip: Math.round(build.entries.taskpane!.gzip / 1024), tabGzip: Math.round(build.entries.tab!.gzip / 1024) });
  });
});

describe("the Outlook task pane", () => {
  let pane: Opened;
  let raisedId: string;

  beforeAll(async () => {
    pane = await open("taskpane.html", IRO);
  }, 30_000);
  afterAll(async () => {
    await pane?.context.close();
  });

  it("opens on the e-mail: subject and sender shown, the reference and concerns pre-filled from it, the mail's markup only ever text", async () => {
    const { page } = pane;
    expect(await page.locator("#email-subject").innerText()).toBe("MOS-100234 review actions not started");
    expect(await page.locator("#email-from").innerText()).toContain("Sam Kaur <samk@example.com>");
    expect(await page.locator("#f-childReference").inputValue()).toBe("MOS-100234");
    const concerns = await page.locator("#f-concerns").inputValue();
    expect(concerns).toContain("Nobody has been allocated yet and the PEP has not been started.");
    expect(concerns).toContain("<script>window.__xss = 1</script>");
    // The quoted earlier message is left out.
    expect(concerns).not.toContain("Please confirm the allocation by Friday.");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("#app script, #app img").count()).toBe(0);
    // Office.js used as documented: the REST id in v2.0, the pane follows the selection, no Exchange token.
    const calls = await page.evaluate(() => (window as unknown as { __officeCalls: string[] }).__officeCalls);
    expect(calls).toContain("convertToRestId:v2.0");
    expect(calls).toContain("addHandlerAsync:olkItemSelectedChanged");
    expect(calls).not.toContain("getCallbackTokenAsync");
    expect(pane.errors).toEqual([]);
  });

  it("previews the card the team manager gets and who gets it when, as the form changes", async () => {
    const { page } = pane;
    const card = page.locator("#card");
    expect(await card.innerText()).toContain("Dispute new · Stage 1 of 5 · Team Manager");
    expect(await card.innerText()).toContain("Nobody has been allocated yet");
    expect(await page.locator("#plan li").count()).toBe(5);
    await page.locator("#f-childInitials").fill("J.S.");
    await page.locator("#f-startStage").selectOption("2");
    await expect.poll(() => card.innerText()).toContain("Stage 2 of 5 · Service Manager");
    await expect.poll(() => card.innerText()).toContain("MOS-100234 · J.S.");
    expect(await page.locator("#plan li").count()).toBe(4);
    // On the server's (dev) clock, Monday 21 December 2026: stage 2's four working days skip Christmas and
    // the Boxing Day substitute holiday, so stage 3 would receive it on Tuesday 29 December.
    // Each stage names who holds it, as the bot's preview does.
    expect(await page.locator("#plan").innerText()).toContain("Stage 2 · Service Manager · Adele Vance · from Mon 21 Dec 2026, due Tue 29 Dec 2026");
    expect(await page.locator("#plan").innerText()).toContain("Stage 3 · Assistant Director · Isaiah Langer · from Tue 29 Dec 2026");
    await expect.poll(() => card.innerText()).toContain("Adele Vance");
    await page.locator("#f-startStage").selectOption("1");
  });

  it("refuses invalid input with a clear message naming each field, and sends nothing", async () => {
    const { page } = pane;
    await page.locator("#f-childInitials").fill("Amy Li");
    await page.locator("#raise-button").click();
    const errors = page.locator("#errors");
    await expect.poll(() => errors.isVisible()).toBe(true);
    const text = await errors.innerText();
    expect(text).toContain("things to fix before raising");
    expect(text).toContain("Child's initials: Initials only, in capitals (at most four), e.g. J.S.: never the child's name.");
    expect(text).toContain("Category and reason: Choose the category and reason.");
    // No legal status is chosen for the IRO: a wrong one must not be a click away.
    expect(text).toContain("Legal status: Choose the child's legal status.");
    expect(text).toContain("Outcomes sought: Say what outcome you are asking for.");
    expect(await page.locator("#f-childInitials").getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-childInitials");
    await page.screenshot({ path: join(OUT, "taskpane-invalid.png"), fullPage: true });
    expect(raises(pane)).toHaveLength(0);
  });

  it("raises the dispute from the e-mail, linked to it, and lists it as linked", async () => {
    const { page } = pane;
    await page.locator("#f-childInitials").fill("J.S.");
    await page.locator("#f-legalStatus").selectOption({ label: "Looked after" });
    // The team is a choice of the authority's teams, by name (the demo authority has one, chosen already).
    expect(await page.locator("#f-team option").allInnerTexts()).toEqual(["Children in Care Team 1"]);
    await page.locator("#f-categoryReason").selectOption({ label: "No allocated social worker" });
    await page.locator("#f-outcomesSought").fill("Allocate a social worker within 5 working days and start the PEP.");
    // Each problem goes from the summary as its field is put right.
    expect(await page.locator("#errors").isVisible()).toBe(false);
    await expect.poll(() => page.locator("#card").innerText()).toContain("Allocate a social worker within 5 working days");
    // The child's own Guardian, by their labels; the proceedings flag a box to tick.
    await page.getByLabel("Children's Guardian: name").fill("Priya Shah");
    await page.getByLabel("Children's Guardian: email address").fill("priya.shah@cafcass.example");
    await page.getByLabel("The child is in court proceedings").check();
    await page.screenshot({ path: join(OUT, "taskpane.png"), fullPage: true });
    await page.locator("#raise-button").click();
    await page.waitForSelector("#raised");
    expect(raises(pane)).toHaveLength(1);
    expect(raises(pane)[0]!.headers()["x-resolve-source"]).toBe("outlook");
    const done = await page.locator("#raised").innerText();
    raisedId = /Raised (\S+)\./.exec(done)![1]!;
    expect(done).toContain("Sent to Megan Bowen (Team Manager)");
    expect(await page.locator("#linked-list li").first().getAttribute("data-id")).toBe(raisedId);
    await page.screenshot({ path: join(OUT, "taskpane-raised.png"), fullPage: true });

    const d = (await call("GET", `disputes/${raisedId}`)).body;
    expect(d.raisedFrom).toBe("outlook");
    expect(d.child).toEqual({ reference: "MOS-100234", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" });
    expect(d.sourceEmail).toEqual({
      internetMessageId: "<CAB1234@mail.example.gov.uk>",
      conversationId: "AAQkAGI2conv-1",
      restId: "AAMkAGI2TG93AAA=-item_1",
      subject: "MOS-100234 review actions not started",
      receivedAt: "2026-12-21T09:30:00.000Z",
    });
    expect(d.concerns).toContain("the PEP has not been started");
    expect(d.childContacts).toEqual({ guardian: { name: "Priya Shah", email: "priya.shah@cafcass.example" }, inProceedings: true });
    await settled(raisedId);
  });

  it("warns before raising a second open dispute for the same child, and sends nothing unless told to", async () => {
    const { page } = pane;
    await page.locator("#raise-button").click();
    const warning = page.locator("#duplicate-warning");
    await expect.poll(() => warning.isVisible()).toBe(true);
    expect(await warning.innerText()).toContain(`${raisedId} · MOS-100234 · J.S.`);
    await page.screenshot({ path: join(OUT, "taskpane-duplicate.png"), fullPage: true });
    await page.locator("#raise-cancel").click();
    expect(raises(pane)).toHaveLength(1);
  });

  it("pinned, follows the selected message: a reply in the same conversation shows the dispute already linked", async () => {
    const { page } = pane;
    await page.evaluate(() => (window as unknown as { __selectMail(i: number): void }).__selectMail(1));
    await expect.poll(() => page.locator("#email-subject").innerText()).toBe("RE: review actions");
    // The reply names no case, so the reference stays; the concerns were not edited, so they follow the new message.
    await expect.poll(() => page.locator("#f-concerns").inputValue()).toBe("We are recruiting to the vacancy.");
    await expect.poll(() => page.locator(`#linked-list li[data-id='${raisedId}']`).count()).toBe(1);
    expect(await page.locator(`#linked-list li[data-id='${raisedId}']`).innerText()).toContain("linked by this conversation and this child");
  });

  it("renders first within a second of navigation (performance marks)", async () => {
    const fresh = await open("taskpane.html", IRO);
    const timing = await fresh.page.evaluate(() => ({
      firstRender: performance.getEntriesByName("resolve:first-render")[0]?.startTime ?? -1,
      script: performance.getEntriesByName("resolve:script")[0]?.startTime ?? -1,
    }));
    recordFigure("taskpane-first-render", "the task pane, ms after navigation", { scriptRunning: Math.round(timing.script), firstRender: Math.round(timing.firstRender) });
    expect(timing.firstRender).toBeGreaterThan(0);
    expect(timing.firstRender).toBeLessThan(3_000);
    expect(fresh.outside).toEqual([]);
    await fresh.context.close();
  });
});

describe("the My disputes tab", () => {
  let disputeId: string;

  beforeAll(async () => {
    const r = await call("POST", "disputes", IRO, {
      child: { reference: "MOS-200777", initials: "K.T.", legalStatus: "child-protection", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no allocated social worker",
      concerns: "Core group has not met since the conference.",
      outcomesSought: "Convene the core group within 5 working days.",
      startStage: 1,
    });
    expect(r.status).toBe(201);
    disputeId = r.body.id;
    await settled(disputeId);
  });

  it("lists what waits on the team manager, opens it, and her answer on the card moves it on", async () => {
    const tab = await open("tab.html", MANAGER, { width: 900, height: 1300 });
    const { page } = tab;
    expect(await page.locator("#list-assignee").innerText()).toMatch(/Waiting on me \(\d+\)/);
    // A manager raises nothing: no "I raised" view, but her team's open disputes.
    expect(await page.locator("#list-iro").count()).toBe(0);
    expect(await page.locator("#list-team").count()).toBe(1);
    const row = page.locator(`button.open-dispute[data-id='${disputeId}']`);
    expect(await row.innerText()).toContain("MOS-200777 · K.T.");
    await page.screenshot({ path: join(OUT, "tab-list.png"), fullPage: true });

    await row.click();
    await page.waitForSelector("#card .ac-adaptiveCard");
    expect(await page.locator("#state").getAttribute("data-state")).toBe("awaiting-response");
    expect(await page.locator("#state").innerText()).toBe(`${disputeId} · Awaiting response`);
    expect(await page.locator("#card").innerText()).toContain("Core group has not met since the conference.");
    // Teams by their names, never their ids.
    expect(await page.locator("#card").innerText()).toMatch(/Team\s+Children in Care Team 1/);
    expect(await page.locator("#card").innerText()).not.toContain("demo-team");
    await page.getByRole("button", { name: "Respond" }).click();
    await page.getByRole("button", { name: "Send response" }).click();
    // The card's own check: nothing is posted without an answer.
    await expect.poll(() => page.getByText("Write your response before sending it.").isVisible()).toBe(true);
    expect(tab.requests.filter((r) => r.method() === "POST")).toHaveLength(0);
    await page.getByLabel("Your response").fill("Core group booked for Wednesday 23 December.");
    await page.screenshot({ path: join(OUT, "tab-dispute.png"), fullPage: true });
    await page.getByRole("button", { name: "Send response" }).click();
    await expect.poll(() => page.locator("#state").getAttribute("data-state")).toBe("awaiting-decision");
    expect(await page.locator("#card").innerText()).toContain("Your answer was sent");
    const posted = tab.requests.filter((r) => r.method() === "POST");
    expect(posted).toHaveLength(1);
    expect(posted[0]!.headers()["x-resolve-source"]).toBe("tab");
    expect(posted[0]!.postDataJSON()).toEqual({ action: "respond", expectedVersion: 1, response: "Core group booked for Wednesday 23 December." });
    await page.screenshot({ path: join(OUT, "tab-answered.png"), fullPage: true });

    const d = (await call("GET", `disputes/${disputeId}`)).body;
    expect(d.state).toBe("awaiting-decision");
    expect(d.history.at(-1)).toMatchObject({ action: "respond", source: "tab", actor: { upn: MANAGER } });
    expect(tab.errors).toEqual([]);
    expect(tab.outside).toEqual([]);
    await tab.context.close();
  });

  it("the IRO finds the decision waiting on them; a refused action says why and by whom, and keeps what was typed", async () => {
    await settled(disputeId);
    const tab = await open("tab.html", IRO, { width: 900, height: 1400 });
    const { page } = tab;
    // Megan answered: the decision is Alex's, so it waits on him, saying what is asked.
    expect(await page.locator("#list-assignee").getAttribute("aria-selected")).toBe("true");
    // An IRO works in no team: no "Open in my team" that could only fail.
    expect(await page.locator("#list-team").count()).toBe(0);
    expect(await page.locator("#list-iro").count()).toBe(1);
    const row = page.locator(`button.open-dispute[data-id='${disputeId}']`);
    expect(await row.locator(".ask").innerText()).toBe("Megan Bowen answered: your decision (resolve, escalate or hold)");
    expect(await page.locator("#empty").count()).toBe(0);
    await page.screenshot({ path: join(OUT, "tab-iro-waiting-on-me.png"), fullPage: true });
    const api = await call("GET", "disputes?role=assignee&state=open");
    expect(api.body.items.map((i: { id: string }) => i.id)).toContain(disputeId);

    await row.click();
    await page.waitForSelector("#card .ac-adaptiveCard");
    // Someone else acts first: the IRO's card still shows version 2.
    expect((await call("POST", `disputes/${disputeId}/actions`, IRO, { action: "add-note", note: "Chased by phone." })).status).toBe(200);
    await page.getByRole("button", { name: "Resolve" }).click();
    const outcome = "Core group met; plan back on track.";
    await page.getByLabel("Outcome, for the child's record").fill(outcome);
    // The child's voice: the card needs each yes-or-no answered.
    for (const question of ["Has the child been told of the outcome?", "Was the child offered an advocate?", "Were the ways to complain or get legal advice explained to the child?"]) {
      await page.getByLabel(question).selectOption("true");
    }
    await page.getByRole("button", { name: "Resolve the dispute" }).click();
    // What changed and who did it, and the outcome still typed in the form, open again.
    await expect.poll(() => page.locator("#card").innerText()).toMatch(/has changed since this was shown: Alex Wilber added a note on Monday 21 December 2026 at \d\d:\d\d\./);
    expect(await page.getByLabel("Outcome, for the child's record").inputValue()).toBe(outcome);
    expect(await page.getByLabel("Has the child been told of the outcome?").inputValue()).toBe("true");
    await page.screenshot({ path: join(OUT, "tab-stale-kept-typed.png"), fullPage: true });
    expect(await page.locator("#state").getAttribute("data-state")).toBe("awaiting-decision");
    expect((await call("GET", `disputes/${disputeId}`)).body.state).toBe("awaiting-decision");

    // A hold to a Saturday: refused with the date spelt out beside the field, what was typed kept.
    // The main action comes first; the rest are behind "More…".
    expect(await page.locator("#card").innerText()).toMatch(/\nMegan Bowen answered: your decision\n/);
    // The refused resolve form stays open with its text; the next main action, then the rest behind "More…".
    expect(await page.locator("#card button.ac-pushButton:visible").allInnerTexts()).toEqual(["Resolve the dispute", "Escalate", "More…"]);
    await page.getByRole("button", { name: "More…" }).click();
    await page.getByRole("button", { name: "Hold until…" }).click();
    // Typed as a person in England types it, day first (dd/mm/yyyy): the input reads it as 26 December.
    const date = page.getByLabel("Agreed completion date (a working day)");
    await date.focus();
    await date.pressSequentially("26122026");
    expect(await date.inputValue(), "date inputs read dd/mm/yyyy only with Chromium's en-GB locale: apt-get install chromium-l10n").toBe("2026-12-26");
    const agreed = "Core group to meet and minutes to be shared.";
    await page.getByLabel("Actions agreed").fill(agreed);
    await page.getByRole("button", { name: "Put on hold" }).click();
    await expect.poll(() => page.locator("#card").innerText()).toContain("Agreed completion date: Saturday 26 December 2026 is not a working day. Nothing was changed.");
    expect(await page.getByLabel("Actions agreed").inputValue()).toBe(agreed);
    expect(await page.getByLabel("Agreed completion date (a working day)").inputValue()).toBe("2026-12-26");
    expect(await page.locator("#card").innerText()).not.toMatch(/until:|2026-12-26/);
    await page.screenshot({ path: join(OUT, "tab-refused-date-kept-typed.png"), fullPage: true });
    expect((await call("GET", `disputes/${disputeId}`)).body.state).toBe("awaiting-decision");
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it("the IRO reassigns by choosing a person by name, searched as they type; the chosen person's UPN is sent", async () => {
    const tab = await open("tab.html", IRO, { width: 900, height: 1400 });
    const { page } = tab;
    await page.locator("#list-iro").click();
    await page.locator(`button.open-dispute[data-id='${disputeId}']`).first().click();
    await page.waitForSelector("#card .ac-adaptiveCard");
    await page.getByRole("button", { name: "More…" }).click();
    await page.getByRole("button", { name: "Reassign", exact: true }).first().click();
    const picker = page.locator("#card input[list]:visible");
    await expect.poll(() => picker.count()).toBe(1);
    expect(await picker.getAttribute("placeholder")).toBe("Type a name");
    await picker.fill("Ade");
    const listed = () => picker.evaluate((i) => [...((i as HTMLInputElement).list?.options ?? [])].map((o) => o.value));
    // Names whose words start with what was typed.
    await expect.poll(listed).toEqual(["Adele Vance", "Quinn Adeyemi"]);
    await picker.fill("Adele Vance");
    await page.locator("#card textarea:visible").fill("Megan is on long-term leave.");
    await page.locator("#card button.ac-pushButton:visible", { hasText: /^Reassign$/ }).last().click();
    await expect.poll(() => tab.requests.filter((r) => r.method() === "POST").length).toBe(1);
    const posted = tab.requests.filter((r) => r.method() === "POST")[0]!.postDataJSON();
    expect(posted).toMatchObject({ action: "reassign", to: demoPeople.adele.upn, reason: "Megan is on long-term leave." });
    await page.screenshot({ path: join(OUT, "tab-reassign-picker.png"), fullPage: true });
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it("opens the record for the child's file as its own page, fetched with the IRO's identity", async () => {
    const tab = await open("tab.html", IRO, { width: 900, height: 1300 });
    const { page, context } = tab;
    await page.locator("#list-iro").click();
    await page.locator(`button.open-dispute[data-id='${disputeId}']`).click();
    await page.waitForSelector("#card .ac-adaptiveCard");
    const [record] = await Promise.all([context.waitForEvent("page"), page.locator("#record").click()]);
    await record.waitForLoadState();
    const text = await record.locator("body").innerText();
    expect(text).toContain(disputeId);
    expect(text).toContain("MOS-");
    await record.screenshot({ path: "test-output/addin/record.png", fullPage: false });
    await tab.context.close();
  });

  it("a closed dispute is found by case reference and state, for the IRO and for the team manager", async () => {
    expect((await call("POST", `disputes/${disputeId}/actions`, IRO, { action: "resolve", outcome: "Core group met." })).status).toBe(200);
    await settled(disputeId);
    for (const as of [IRO, MANAGER]) {
      const tab = await open("tab.html", as, { width: 900, height: 1000 });
      const { page } = tab;
      // Closed: no longer in the open lists.
      expect(await page.locator(`button.open-dispute[data-id='${disputeId}']`).count()).toBe(0);
      await page.locator("#list-find").click();
      await page.locator("#find-reference").fill("mos-200777");
      await page.locator("#find-state").selectOption("closed");
      await page.locator("#find-submit").click();
      const row = page.locator(`button.open-dispute[data-id='${disputeId}']`);
      await row.waitFor();
      expect(await row.innerText()).toMatch(/Resolved · .* · raised /);
      if (as === IRO) await page.screenshot({ path: join(OUT, "tab-find-closed.png"), fullPage: true });
      await row.click();
      await page.waitForSelector("#card .ac-adaptiveCard");
      expect(await page.locator("#state").getAttribute("data-state")).toBe("resolved");
      expect(tab.errors, as).toEqual([]);
      await tab.context.close();
    }
  });
});
