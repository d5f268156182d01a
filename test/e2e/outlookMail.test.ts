import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAzurite, freePort, portIsFree, startAzurite } from "../../scripts/azurite";
import { type Persona, type RunningPlayground, startPlaygrounds, stopPlaygrounds } from "../../scripts/playground";
import { launchChromium } from "../fixtures/chromium";
// Types only: the modules themselves are imported once the environment is set (getApp reads it on first use).
import type { App } from "../../functions/compose";
import type { demoPeople as DemoPeople } from "../../functions/demo/demoAuthority";

/**
 * The loop through Outlook, locally: Megan Bowen (team manager) has no Teams chat with Resolve, so
 * her alert goes by mail; she answers on the card in that mail, on the local mailbox page (which
 * sends what Outlook's channel would); Alex Wilber (IRO) watches the dispute's card in his Agents
 * Playground, and it shows her answer. Its own Azurite (the Playground's tenant is fixed, so no
 * other test file's authority can claim it meanwhile), the local host in this process, one
 * Playground, real Chromium. Screenshots go to test-output/outlook/.
 */

const OUT = join(process.cwd(), "test-output", "outlook");
const addinDir = join(mkdtempSync(join(tmpdir(), "resolve-addin-")), "addin");
const dataDir = mkdtempSync(join(tmpdir(), "resolve-outlook-"));
const ANSWER = "Sam Kaur is allocated from Monday; the review is rebooked for 4 December.";

let azurite: RunningAzurite;
let host: { url: string; stop(): Promise<void> };
let playgrounds: RunningPlayground[] = [];
let browser: Browser;
let context: BrowserContext;
let app: App;
let people: typeof DemoPeople;

const WAIT = 30_000;
const textOf = async (l: Locator) => ((await l.count()) ? l.first().innerText() : "");
const showsText = (l: Locator, text: string | RegExp) => expect.poll(() => textOf(l), { timeout: WAIT }).toMatch(text);
let step = 0;
const shot = async (page: Page, name: string) => page.screenshot({ path: join(OUT, `${String(++step).padStart(2, "0")}-${name}.png`), fullPage: true });

async function api(method: string, path: string, as: string, body?: unknown) {
  const res = await fetch(`${host.url}/api/${path}`, {
    method,
    headers: { "x-resolve-dev-user": as, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A free run of one port for the Playground (it listens on every interface). */
async function playgroundPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (await portIsFree(port, "0.0.0.0")) return port;
  }
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  azurite = await startAzurite({});
  process.env.RESOLVE_MODE = "local";
  process.env.RESOLVE_TABLES_CONNECTION = azurite.connectionString;
  process.env.RESOLVE_DEV_TENANT = "demo";
  process.env.RESOLVE_PROCEDURE = "lambeth";
  process.env.RESOLVE_ADDIN_DIR = addinDir;
  for (const k of ["WEBSITE_INSTANCE_ID", "MicrosoftAppId", "MicrosoftAppPassword", "RESOLVE_API_AUDIENCE", "RESOLVE_MAIL_SENDER", "RESOLVE_GRAPH_CLIENT_SECRET", "RESOLVE_GRAPH_MANAGED_IDENTITY", "RESOLVE_OUTLOOK_ORIGINATOR"]) delete process.env[k];
  const { buildAddin } = await import("../../scripts/build-addin");
  await import("../../functions/index");
  const { getApp } = await import("../../functions/compose");
  const { startLocalHost } = await import("../../functions/host/localHost");
  people = (await import("../../functions/demo/demoAuthority")).demoPeople;
  await buildAddin({ outdir: addinDir, quiet: true });
  // Local mode seeds the demo authority under the Playground's tenant.
  app = await getApp();
  host = await startLocalHost({ port: 0 });
  const everyone: Persona[] = (["alex", "megan", "adele", "isaiah", "patti", "lynne"] as const).map((key) => ({ key, role: key, person: people[key] }));
  [playgrounds, browser] = await Promise.all([
    startPlaygrounds({ personas: [everyone[0]!], everyone, endpoint: `${host.url}/api/messages`, basePort: await playgroundPort(), dataDir: join(dataDir, "playground") }),
    launchChromium(),
  ]);
  context = await browser.newContext({ viewport: { width: 1300, height: 1000 }, locale: "en-GB", timezoneId: "Europe/London" });
  context.setDefaultTimeout(20_000);
  // The Playground page asks a CDN for fonts; offline here, and it works without them.
  await context.route(/^https:\/\//, (route) => route.abort());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stopPlaygrounds(playgrounds.map((p) => p.process));
  await host?.stop();
  await azurite?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(join(addinDir, ".."), { recursive: true, force: true });
});

describe("answering the alert from the mail", () => {
  it("Megan answers on the card in her mail; Alex's card in the Playground shows the answer", async () => {
    // Raised before anyone has a Teams chat with Resolve: Megan's alert can only go by mail.
    const raised = await api("POST", "disputes", people.alex.upn, {
      child: { reference: "MOS-100234", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no-allocated-social-worker",
      concerns: "No allocated social worker since March; the looked-after review was cancelled twice.",
      outcomesSought: "A named social worker allocated within 5 working days.",
      startStage: 1,
    });
    expect(raised.status, JSON.stringify(raised.json)).toBe(201);
    const id = raised.json.id as string;
    for (let i = 0; i < 50 && (await app.outbox.marker("demo", id)); i++) await app.relayAll();
    const alert = (await app.outbox.all("demo", id)).find((e) => e.effect.kind === "notify" && e.effect.notice === "alert")!;
    expect(alert.detail).toMatch(/^by mail instead/);

    // Alex opens his Teams chat (the Playground) and asks for the dispute's card.
    const alexPage = await context.newPage();
    await alexPage.goto(playgrounds[0]!.url);
    await alexPage.getByRole("button", { name: "Raise a dispute" }).first().waitFor({ timeout: WAIT });
    const box = alexPage.locator("[contenteditable=true], textarea").first();
    await box.click();
    await box.fill(`status ${id}`);
    await box.press("Enter");
    const alexCard = alexPage.locator(".ac-adaptiveCard").filter({ hasText: `Dispute ${id} · Stage 1 of 5` });
    await showsText(alexCard, "Waiting for Megan Bowen to respond");
    await shot(alexPage, "alex-waiting");

    // Megan's mailbox: the alert mail's card, drawn as Outlook would and brought up to date on opening.
    const mailbox = await context.newPage();
    const errors: string[] = [];
    mailbox.on("pageerror", (e) => errors.push(e.message));
    await mailbox.goto(`${host.url}/api/dev/mailbox/page?to=${encodeURIComponent(people.megan.upn)}`);
    const mail = mailbox.locator("article").filter({ hasText: `Dispute ${id}` }).filter({ has: mailbox.locator(".am") });
    await mail.locator(".am[data-ready='true']").waitFor({ timeout: WAIT });
    const mailCard = mail.locator(".am .ac-adaptiveCard").first();
    await showsText(mailCard, "MOS-100234 · J.S.");
    await shot(mailbox, "megan-mail-card");
    await mailCard.getByRole("button", { name: "Respond" }).click();
    await mailCard.getByLabel("Your response").fill(ANSWER);
    const answered = mailbox.waitForResponse((r) => r.url().endsWith("/api/messages") && (r.request().postData() ?? "").includes('"verb":"respond"'));
    await mailCard.getByRole("button", { name: "Send response" }).click();
    const response = await answered;
    expect(response.status()).toBe(200);
    const sent = JSON.parse(response.request().postData()!) as { channelId: string; from: { aadObjectId: string }; value: { action: { data: Record<string, unknown> } } };
    expect(sent.channelId).toBe("outlook");
    expect(sent.from.aadObjectId).toBe(people.megan.id);
    expect(sent.value.action.data["respond.response"]).toBe(ANSWER);
    await showsText(mail.locator(".am .ac-adaptiveCard").first(), "Your answer is recorded and the IRO has been told.");
    await showsText(mail.locator(".am .ac-adaptiveCard").first(), ANSWER);
    await expect.poll(() => mail.locator(".am").getByRole("button", { name: "Respond" }).count()).toBe(0);
    await shot(mailbox, "megan-answered-from-mail");
    // Opened again, the mail's card (as sent, now out of date) refreshes to the dispute as it is.
    await mailbox.reload();
    await mail.locator(".am[data-ready='true']").waitFor({ timeout: WAIT });
    await showsText(mail.locator(".am .ac-adaptiveCard").first(), "Answer from Megan Bowen");
    expect(await mail.locator(".am").getByRole("button", { name: "Respond" }).count()).toBe(0);
    expect(errors).toEqual([]);

    const d = await api("GET", `disputes/${id}`, people.alex.upn);
    expect(d.json.state).toBe("awaiting-decision");
    expect((d.json.history as { action: string; source: string }[]).find((e) => e.action === "respond")?.source).toBe("mail");

    // Alex's card follows (the relay updates every posted card), with Megan's answer.
    for (let i = 0; i < 50 && (await app.outbox.marker("demo", id)); i++) await app.relayAll();
    await showsText(alexCard, "Answered by Megan Bowen: waiting for Alex Wilber (IRO) to decide");
    await showsText(alexCard, ANSWER);
    await shot(alexPage, "alex-card-shows-answer");
  }, 180_000);
});
