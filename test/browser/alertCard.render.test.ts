import { mkdirSync, readFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertCard } from "../../shared/cards/alertCard";
import type { AdaptiveCard, CardViewer } from "../../shared/cards/cardContract";
import { raiseForm } from "../../shared/cards/raiseForm";
import { HOSTILE, Story, climbedAllFive, hostile, overdue, resolved } from "../fixtures/cardScenarios";
import { lambeth } from "../fixtures/disputes";
import { alex, megan } from "../fixtures/people";
import { TEAMS_HOST_CONFIGS, TEAMS_LIGHT_HOST_CONFIG } from "../../shared/cards/hostConfig";
import { feedbackForm } from "../../shared/cards/feedbackForm";
import { seriousViolations } from "../fixtures/axe";
import { chromiumPath, launchChromium } from "../fixtures/chromium";

/**
 * The alert card rendered by the real Adaptive Cards renderer in real Chromium, from a page
 * served here on loopback (no CDN): what a person sees, what a click opens, what a submit sends.
 * Screenshots go to test-output/cards/ for a person to look at.
 */

const OUT = join(process.cwd(), "test-output", "cards");
const require = createRequire(import.meta.url);
const files: Record<string, { path: string; type: string }> = {
  "/adaptivecards.js": { path: require.resolve("adaptivecards/dist/adaptivecards.js"), type: "text/javascript" },
  "/adaptivecards.css": { path: join(dirname(require.resolve("adaptivecards/dist/adaptivecards.js")), "adaptivecards.css"), type: "text/css" },
  "/markdown-it.js": { path: join(dirname(require.resolve("markdown-it")), "browser", "markdown-it.umd.min.js"), type: "text/javascript" },
};


const PAGE = `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Resolve card</title>
<link rel="stylesheet" href="/adaptivecards.css">
<style>
  body { margin: 0; padding: 24px; background: #EBEBEB; font-family: 'Segoe UI', 'Liberation Sans', Arial, sans-serif; }
  #card { width: 640px; background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.2); overflow: hidden; }
  .ac-pushButton { font-family: inherit; border: 1px solid #D1D1D1; border-radius: 4px; color: #242424; background: #fff; min-height: 32px; padding: 4px 12px; }
  .ac-pushButton:hover { background: #F5F5F5; color: #242424; border-color: #C7C7C7; }
  .ac-pushButton.subdued { color: #616161; border-color: #E0E0E0; }
  .ac-pushButton.expanded { background: #E8EBFA; color: #242424; border-color: #5B5FC7; }
  .ac-pushButton.expandable:after { font-family: inherit; font-size: 12px; font-weight: 400; content: " \\25BE"; }
  .ac-pushButton.expandable.expanded:after { content: " \\25B4"; }
  .ac-pushButton.style-positive { background: #5B5FC7; border-color: #5B5FC7; color: #fff; }
  .ac-pushButton.style-destructive { background: #fff; color: #C4314B; border-color: #C4314B; }
  .ac-input { font-family: inherit; font-size: 14px; border: 1px solid #D1D1D1; border-radius: 4px; padding: 5px 8px; box-sizing: border-box; }
  .ac-textBlock p { margin: 0; }
  .ac-textBlock p + p { margin-top: 6px; }
</style>
<script src="/markdown-it.js"></script>
<script src="/adaptivecards.js"></script>
</head><body><div id="card"></div>
<script>
  window.renderCard = (json, hostConfig) => {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
    window.executed = null;
    card.onExecuteAction = (action) => { window.executed = { type: action.getJsonTypeName(), verb: action.verb, data: action.data }; };
    card.parse(json);
    document.getElementById("card").replaceChildren(card.render());
  };
</script></body></html>`;

let server: Server;
let base: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const executablePath = chromiumPath();
  mkdirSync(OUT, { recursive: true });
  server = createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0]!;
    if (url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
      return;
    }
    const file = files[url];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": file.type }).end(readFileSync(file.path));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchChromium(executablePath);
  page = await browser.newPage({ viewport: { width: 700, height: 900 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForFunction(() => "AdaptiveCards" in window && "markdownit" in window);
  expect(errors).toEqual([]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function show(card: AdaptiveCard, name: string, hostConfig: object = TEAMS_LIGHT_HOST_CONFIG): Promise<string> {
  await page.evaluate(([json, host]) => (window as unknown as { renderCard(j: unknown, h: unknown): void }).renderCard(json, host), [card, hostConfig] as const);
  await page.locator("#card").screenshot({ path: join(OUT, `${name}.png`) });
  return page.locator("#card").innerText();
}

/** At stage 2 with Adele Vance: Megan Bowen answered stage 1 and the IRO escalated it, with a note on the way. */
const atStageTwo = () =>
  Story.raise("2027-02-01T10:00:00Z")
    .act({ action: "respond", response: "A social worker will be allocated when the vacancy is filled.", actionsAgreed: "Recruit to the vacancy." }, megan, "2027-02-02T11:00:00Z")
    .act({ action: "escalate", rationale: "No date for allocation: J.S. has been without a social worker for two months." }, alex, "2027-02-03T09:00:00Z")
    .act({ action: "add-note", note: "Spoke to the Service Manager's PA; she is back tomorrow." }, alex, "2027-02-03T12:00:00Z");

/** The main action first, then "More…" and what it shows. */
const BUTTONS: Record<CardViewer, string[]> = {
  assignee: ["Respond", "More…", "Acknowledge", "Ask for more time", "Add note", "Ask for a meeting"],
  decider: ["Escalate", "More…", "Resolve", "Hold until…", "Extend", "Refer", "Withdraw", "Record child informed", "Add note", "Reassign", "Ask for a meeting", "Guardian and solicitor", "Record a consultation"],
  reader: [],
};
const HEADLINES: Record<CardViewer, string | undefined> = { assignee: "A dispute escalated to you: please respond by Tuesday 9 February 2027", decider: undefined, reader: undefined };

describe("the alert card in Chromium", () => {
  it.each(["assignee", "decider", "reader"] as const)("the %s sees the case, the stage and their buttons", async (viewer) => {
    const story = atStageTwo();
    const text = await show(alertCard(story.card(viewer)), `alert-${viewer}`);
    expect(text).toContain("MOS-100234");
    expect(text).toContain("Dispute D-1 · Stage 2 of 5 · Service Manager");
    expect(text).toContain("Due Tue 9 Feb 2027, 17:00 · 4 working days left");
    expect(text).toContain("No date for allocation");
    const buttons = await page.locator("#card button.ac-pushButton").allInnerTexts();
    expect(buttons.map((b) => b.trim())).toEqual(BUTTONS[viewer]);
    // Only the main action and "More…" show until "More…" is pressed.
    expect((await page.locator("#card button.ac-pushButton:visible").allInnerTexts()).map((b) => b.trim())).toEqual(BUTTONS[viewer].slice(0, 2));
    if (HEADLINES[viewer]) expect(text.split("\n")[0]).toBe(HEADLINES[viewer]);
    if (viewer === "reader") expect(text).toContain("You can see this dispute; only Adele Vance can answer it and only Alex Wilber can decide.");
  });

  it("Respond opens the form; a submit without an answer is refused in the card; a filled one sends the answer with the dispute and its version", async () => {
    const story = atStageTwo();
    await show(alertCard(story.card("assignee")), "alert-assignee");
    const response = page.getByLabel("Your response");
    await expect(response.count()).resolves.toBe(0);
    await page.getByRole("button", { name: "Respond" }).click();
    await expect(response.isVisible()).resolves.toBe(true);
    await expect(page.getByLabel("Agreed completion date (optional)").isVisible()).resolves.toBe(true);
    await page.getByRole("button", { name: "Send response" }).click();
    expect(await page.evaluate(() => (window as unknown as { executed: unknown }).executed)).toBeNull();
    await expect(page.getByText("Write your response before sending it.").isVisible()).resolves.toBe(true);
    await response.fill("Allocated to Sam from Monday; first visit on Wednesday.");
    await page.locator("#card").screenshot({ path: join(OUT, "alert-assignee-respond.png") });
    await page.getByRole("button", { name: "Send response" }).click();
    const executed = await page.evaluate(() => (window as unknown as { executed: { verb: string; data: Record<string, unknown> } }).executed);
    expect(executed).toMatchObject({
      type: "Action.Execute",
      verb: "respond",
      data: { disputeId: "D-1", version: story.dispute.version, "respond.response": "Allocated to Sam from Monday; first visit on Wednesday." },
    });
  });

  it("the decider escalates from a choice of the higher stages, the next one chosen", async () => {
    await show(alertCard(atStageTwo().card("decider")), "alert-decider");
    await page.getByRole("button", { name: "Escalate" }).click();
    const select = page.getByLabel("Escalate to");
    expect(await select.inputValue()).toBe("3");
    // The renderer adds an empty placeholder option before the choices.
    const options = (await select.locator("option").allInnerTexts()).filter((o) => o.trim());
    expect(options).toEqual([
      "Stage 3 · Assistant Director (Isaiah Langer) · 4 working days",
      "Stage 4 · Director of Children's Social Care (Patti Fernandez) · 4 working days",
      "Stage 5 · Corporate Director / DCS (Lynne Robbins) · 4 working days",
    ]);
    await page.locator("#card").screenshot({ path: join(OUT, "alert-decider-escalate.png") });
  });

  it("the history of five stages opens and closes in place", async () => {
    const story = climbedAllFive();
    const before = await show(alertCard(story.card("decider")), "alert-long-history");
    expect(before).not.toContain("Megan's answer");
    await page.getByText("Show ▾").click();
    const after = await page.locator("#card").innerText();
    expect(after).toContain("Megan's answer");
    expect(after).toContain("Stage 3 · Assistant Director (resumed)");
    await page.locator("#card").screenshot({ path: join(OUT, "alert-long-history-open.png") });
    await page.locator("#card #history").screenshot({ path: join(OUT, "alert-history-only.png") });
    await page.getByText("Hide ▴").click();
    expect(await page.locator("#card").innerText()).not.toContain("Megan's answer");
  });

  it("what people typed shows as typed: no bold, no link, no script", async () => {
    const text = await show(alertCard(hostile().card("reader")), "alert-escaped");
    expect(text).toContain("**Urgent** _now_ <script>alert('x')</script> [click](https://evil.example)");
    expect(await page.locator("#card a, #card strong:has-text('Urgent'), #card script").count()).toBe(0);
    expect(HOSTILE).toContain("<script>");
  });

  it("the raise form renders with its choices", async () => {
    const text = await show(raiseForm({ procedure: lambeth, teams: [{ id: "demo-team", displayName: "Demo Team" }] }), "raise-form");
    expect(text).toContain("Raise a dispute");
    expect(await page.locator("#card button.ac-pushButton").allInnerTexts()).toEqual(["Preview the plan", "Raise the dispute"]);
  });
});

describe("the cards in Teams' default, dark and high-contrast themes", () => {
  /** Each card, the words that carry its state (whatever the colours), and the form to open first. */
  const cards: [string, () => AdaptiveCard, string, string?][] = [
    ["alert-assignee", () => alertCard(atStageTwo().card("assignee")), "4 working days left", "Respond"],
    ["alert-decider", () => alertCard(atStageTwo().card("decider")), "Waiting for Adele Vance to respond", "Escalate"],
    ["alert-overdue", () => alertCard(overdue().card("decider", { banner: { text: "This card was out of date: Megan Bowen answered first.", tone: "attention" } })), "Overdue: waiting for Megan Bowen"],
    ["alert-resolved", () => alertCard(resolved().card("reader", { banner: { text: "Resolved at Fri 5 Feb 2027, 12:00.", tone: "good" } })), "Resolved by Alex Wilber"],
    ["raise-form-refused", () => raiseForm({ procedure: lambeth, teams: [{ id: "demo-team", displayName: "Demo Team" }], error: "Child's initials: initials only, e.g. J.S." }), "Not raised: Child's initials"],
    ["feedback-form-refused", () => feedbackForm({ teams: [{ id: "demo-team", displayName: "Demo Team" }], people: [{ displayName: "Sam Kaur", upn: "samk@example.com" }], error: "Worker: nobody in the directory has that address." }), "Not recorded: Worker"],
  ];
  const themes = Object.keys(TEAMS_HOST_CONFIGS) as (keyof typeof TEAMS_HOST_CONFIGS)[];

  it.each(themes.flatMap((theme) => cards.map(([name, build, state, open]) => [theme, name, build, state, open] as const)))("%s theme, %s: no serious or critical WCAG 2.2 AA finding, its state in words", async (theme, name, build, state, open) => {
    expect(await show(build(), `theme-${theme}-${name}`, TEAMS_HOST_CONFIGS[theme])).toContain(state);
    if (open) await page.getByRole("button", { name: open }).click();
    await page.locator("#card").screenshot({ path: join(OUT, `theme-${theme}-${name}.png`) });
    expect(await seriousViolations(page, { include: "#card" })).toEqual([]);
  });
});
