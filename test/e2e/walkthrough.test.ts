import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portIsFree } from "../../scripts/azurite";
import { chromiumPath, launchChromium } from "../fixtures/chromium";

/**
 * The product as a newcomer runs it: `npm start` (scripts/start.ts) in its own process group, with
 * Azurite persisted in a temporary data folder, the local Functions host with its timers and one
 * Microsoft 365 Agents Playground per persona; then three people in three Playground pages in
 * Chromium. Alex Wilber (IRO) raises a dispute; Megan Bowen (team manager) gets the alert card
 * proactively and answers on it; Alex's card follows. A second dispute runs out of time (dev clock
 * and sweep), Alex escalates it from the deadline notice, and Adele Vance (service manager) gets
 * it. The local mailbox holds the mail. Then Ctrl-C (SIGINT) must leave no process and no port
 * behind, a second run must find the data, and `npm run reset` must clear it.
 *
 * Screenshots of every step go to test-output/e2e/NN-step.png.
 */

const ROOT = join(import.meta.dirname, "..", "..");
const OUT = join(ROOT, "test-output", "e2e");
const PERSONAS = 6; // the Playgrounds npm start opens: IRO and the five stages' holders
const UPN = { alex: "alexw@example.com", megan: "meganb@example.com", adele: "adelev@example.com" };

// ---- the product as a process -------------------------------------------------------------------

interface Ports {
  table: number;
  host: number;
  playground: number;
}

/** Eight free ports: Azurite, the host, and six consecutive ones for the Playgrounds. */
async function freePorts(): Promise<Ports> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const ports = Array.from({ length: PERSONAS + 2 }, (_, i) => base + i);
    let free = true;
    for (const port of ports) free = free && (await portIsFree(port, "0.0.0.0")) && (await portIsFree(port, "127.0.0.1"));
    if (free) return { table: base, host: base + 1, playground: base + 2 };
  }
  throw new Error("No run of eight free ports found");
}

function allPorts(p: Ports): number[] {
  return [p.table, p.host, ...Array.from({ length: PERSONAS }, (_, i) => p.playground + i)];
}

interface Running {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `npm start` as its script runs it, in a process group of its own so that survivors can be found. */
function start(ports: Ports, dataDir: string, extraEnv: Record<string, string> = {}): Running {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith("VITEST") || k.startsWith("RESOLVE_") || k === "NODE_ENV" || k === "TEST") continue;
    env[k] = v;
  }
  Object.assign(env, {
    RESOLVE_TABLE_PORT: String(ports.table),
    RESOLVE_PORT: String(ports.host),
    RESOLVE_PLAYGROUND_PORT: String(ports.playground),
    RESOLVE_DATA_DIR: dataDir,
    ...extraEnv,
  });
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves with the "ready in" seconds npm start prints, or fails with what it said. */
async function ready(run: Running, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = /Resolve is running \(.*ready in ([\d.]+) s\)/.exec(run.output());
    if (m) return Number(m[1]);
    if (run.child.exitCode !== null) throw new Error(`npm start exited (${run.child.exitCode}):\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`npm start was not ready within ${timeoutMs} ms:\n${run.output()}`);
    await sleep(200);
  }
}

/** Processes still in the run's process group (npm start's pid is its id). */
function survivors(pgid: number): string[] {
  const ps = execFileSync("ps", ["-e", "-o", "pid=,pgid=,args="], { encoding: "utf8" });
  return ps
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => Number(f[1]) === pgid)
    .map((f) => `${f[0]} ${f.slice(2).join(" ").slice(0, 160)}`);
}

/**
 * Ctrl-C: to the whole process group as a terminal sends it (`group`), or to npm start alone, which
 * must then stop its children itself.
 */
async function interrupt(run: Running, how: "group" | "npm start alone"): Promise<{ code: number | null; left: string[] }> {
  const pgid = run.child.pid!;
  process.kill(how === "group" ? -pgid : pgid, "SIGINT");
  const code = await Promise.race([run.exited, sleep(30_000).then(() => "timeout" as const)]);
  if (code === "timeout") throw new Error(`npm start did not stop within 30 s after SIGINT:\n${run.output()}`);
  // Children get a moment to see their parent gone.
  let left = survivors(pgid);
  for (let i = 0; i < 20 && left.length; i++) {
    await sleep(250);
    left = survivors(pgid);
  }
  return { code, left };
}

function killGroup(run: Running | undefined) {
  if (!run?.child.pid) return;
  try {
    process.kill(-run.child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- the Playground pages -------------------------------------------------------------------------

let step = 0;
/** A screenshot of the page, with `top` (a card) scrolled to the top of the chat when given. */
async function shot(page: Page, name: string, top?: Locator) {
  if (top) await top.first().evaluate((el) => el.scrollIntoView({ block: "start" }));
  step += 1;
  await page.screenshot({ path: join(OUT, `${String(step).padStart(2, "0")}-${name}.png`) });
}

/** A card in the chat: the outermost Adaptive Card whose text includes `text`. */
const card = (page: Page, text: string | RegExp): Locator => page.locator(".ac-adaptiveCard").filter({ hasText: text });

// Playwright's own assertions come with @playwright/test; with playwright-core, these poll instead.
const WAIT = 20_000;
const seen = (l: Locator, timeout = WAIT) => l.first().waitFor({ state: "visible", timeout });
const textOf = async (l: Locator) => ((await l.count()) ? l.first().innerText() : "");
const showsText = (l: Locator, text: string | RegExp, timeout = WAIT) => expect.poll(() => textOf(l), { timeout }).toMatch(text);
const counts = (l: Locator, n: number, timeout = WAIT) => expect.poll(() => l.count(), { timeout }).toBe(n);
const holdsValue = (l: Locator, value: string | RegExp) => expect.poll(() => l.inputValue()).toMatch(value);

/** Type in the Playground's message box and send. */
async function say(page: Page, text: string) {
  const box = page.locator("[contenteditable=true], textarea").first();
  await box.click();
  await box.fill(text);
  await box.press("Enter");
}

interface RaiseValues {
  reference: string;
  initials: string;
  concerns: string;
  outcomes: string;
}

/** "raise", then fill the form as a person would. Returns the form's card. */
async function fillRaiseForm(page: Page, v: RaiseValues): Promise<Locator> {
  const before = await card(page, "Raise a dispute").filter({ has: page.getByRole("button", { name: "Preview the plan" }) }).count();
  await say(page, "raise");
  const forms = card(page, "Raise a dispute").filter({ has: page.getByRole("button", { name: "Preview the plan" }) });
  await counts(forms, before + 1);
  const form = forms.last();
  await form.getByLabel("Case reference").fill(v.reference);
  await form.getByLabel("Child's initials").fill(v.initials);
  await form.getByRole("combobox", { name: /Legal status/ }).click();
  await page.getByRole("option", { name: "Looked after" }).click();
  // Team: the demo authority has one, chosen already.
  await holdsValue(form.getByRole("combobox", { name: /Team/ }), /Children in Care/);
  const category = form.getByRole("combobox", { name: /Category and reason/ });
  await category.click();
  await category.fill("allocated");
  await page.getByRole("option", { name: /No allocated social worker/ }).click();
  await form.getByLabel("Concerns").fill(v.concerns);
  await form.getByLabel("Outcomes sought").fill(v.outcomes);
  return form;
}

/**
 * Clicks a card's Action.Execute button and returns the card the bot answered the invoke with,
 * read from the Playground's own invoke call (the relay's card update replaces it on screen a
 * moment later).
 */
async function execute(page: Page, verb: string, button: Locator): Promise<string> {
  const answered = page.waitForResponse((r) => r.url().endsWith("/_conversation/v1/invoke") && (r.request().postData() ?? "").includes(`"verb":"${verb}"`));
  await button.click();
  const response = await answered;
  expect(response.status()).toBe(200);
  return response.text();
}

/** Clicks "Raise the dispute" and reads the new dispute's id from the card the bot answered with. */
async function raise(page: Page, form: Locator): Promise<string> {
  const answer = await execute(page, "raise", form.getByRole("button", { name: "Raise the dispute" }));
  const id = /Raised (D-[0-9A-Z]+) \(Failure to meet LA statutory responsibilities\): sent to Megan Bowen\./.exec(answer)?.[1];
  if (!id) throw new Error(`The raise was not accepted: ${answer.slice(0, 2000)}`);
  return id;
}

// ---- the run ------------------------------------------------------------------------------------

describe("npm start, walked through in the Agents Playground", () => {
  let ports: Ports;
  let dataDir: string;
  let run: Running | undefined;
  let readySeconds = 0;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let api: string;
  const raised: { first?: string; second?: string } = {};

  const call = async (method: string, path: string, body?: unknown, as = UPN.alex) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { "x-resolve-dev-user": as, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, any>) : {} };
  };

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    ports = await freePorts();
    dataDir = mkdtempSync(join(tmpdir(), "resolve-e2e-"));
    api = `http://127.0.0.1:${ports.host}/api`;
    const executablePath = chromiumPath();
    run = start(ports, dataDir);
    [readySeconds, browser] = await Promise.all([
      ready(run),
      launchChromium(executablePath),
    ]);
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(20_000);
    // The Playground page asks a CDN for fonts; offline here, and it works without them.
    await context.route(/^https:\/\//, (route) => route.abort());
    console.log(`npm start: ready in ${readySeconds} s (as it printed)`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    killGroup(run);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("is ready in under a minute and says where everything is", () => {
    expect(readySeconds).toBeLessThan(60);
    const out = run!.output();
    for (let i = 0; i < PERSONAS; i++) expect(out).toContain(`http://127.0.0.1:${ports.playground + i}`);
    expect(out).toContain(`${api}/dev/mailbox/page`);
    expect(out).toContain(dataDir);
    expect(out).toContain("A persona's Playground opened later catches up");
  });

  it("raises, alerts, answers, runs out of time and escalates, across three people's Teams", async () => {
    const open = async (index: number, who: string) => {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${ports.playground + index}`);
      // Opening the chat installs the app: the bot says hello and keeps where to reach this person.
      await card(page, "IRO dispute resolution and escalation").first().waitFor();
      await seen(page.getByText(who).first());
      return page;
    };
    // Megan and Adele first, so that proactive alerts can reach them.
    const [megan, adele] = await Promise.all([open(1, "Megan Bowen"), open(2, "Adele Vance")]);
    // A manager is not offered to raise: the welcome says how to answer.
    await showsText(card(megan, "IRO dispute resolution and escalation"), "Answer on the card by the deadline it shows");
    expect(await card(megan, "IRO dispute resolution and escalation").getByRole("button", { name: "Raise a dispute" }).count()).toBe(0);
    await shot(megan, "megan-installed");
    await shot(adele, "adele-installed");
    const alex = await open(0, "Alex Wilber");
    try {
      await walk(alex, megan, adele);
    } catch (e) {
      // What each person saw when it went wrong, for whoever reads the failure.
      for (const [name, page] of Object.entries({ alex, megan, adele })) {
        await page.screenshot({ path: join(OUT, `failed-${name}.png`) }).catch(() => undefined);
        writeFileSync(join(OUT, `failed-${name}.html`), await page.content().catch(() => ""));
      }
      throw e;
    }
  }, 240_000);

  async function walk(alex: Page, megan: Page, adele: Page) {
    // 1. Alex raises a dispute from the form in chat, looking at the plan first.
    const form = await fillRaiseForm(alex, {
      reference: "MOS-100234",
      initials: "J.S.",
      concerns: "No allocated social worker since March; the looked-after review was cancelled twice.",
      outcomes: "A named social worker allocated within 5 working days.",
    });
    await shot(alex, "alex-raise-form-filled");
    await form.getByRole("button", { name: "Preview the plan" }).click();
    await seen(form.getByText("The plan if nobody answers"));
    await seen(form.getByText(/Stage 1 · Team Manager · Megan Bowen/));
    await seen(form.getByText(/Stage 2 · Service Manager · Adele Vance/));
    await form.getByText("The plan if nobody answers").scrollIntoViewIfNeeded();
    await shot(alex, "alex-plan-preview");
    const first = await raise(alex, form);
    raised.first = first;
    const alexCard = card(alex, `Dispute ${first} · Stage 1 of 5`);
    await counts(alexCard, 1);
    await showsText(alexCard, "Waiting for Megan Bowen to respond");
    await showsText(alexCard, "MOS-100234 · J.S.");
    await seen(alexCard.getByRole("button", { name: "Escalate", exact: true }));
    await shot(alex, "alex-raised", alexCard);

    // 2. Megan's alert arrives in her chat by itself (proactive), and she answers on the card.
    const meganCard = card(megan, first).filter({ has: megan.getByRole("button", { name: "Respond" }) });
    await meganCard.waitFor({ timeout: 30_000 });
    await showsText(meganCard, "MOS-100234 · J.S.");
    await showsText(meganCard, /Answer here by .*Alex Wilber, the IRO, then decides/);
    await shot(megan, "megan-alert-arrived", meganCard);
    await meganCard.getByRole("button", { name: "Respond" }).click();
    const answer = "Sam Kaur is allocated from Monday; the review is rebooked for 4 December.";
    await meganCard.getByLabel("Your response").fill(answer);
    await shot(megan, "megan-respond-form");
    const recorded = await execute(megan, "respond", meganCard.getByRole("button", { name: "Send response" }));
    expect(recorded).toContain("Your answer is recorded and the IRO has been told.");
    // Her card now shows her answer, and asks nothing more of her; the relay's update of it (which
    // follows at once) keeps the line that told her so.
    const meganAfter = card(megan, `Dispute ${first} · Stage 1 of 5`);
    await showsText(meganAfter, "Answer from Megan Bowen");
    await showsText(meganAfter, "Your answer is recorded and the IRO has been told.");
    await showsText(meganAfter, answer);
    await counts(meganAfter.getByRole("button", { name: "Respond" }), 0);
    await shot(megan, "megan-answer-recorded", meganAfter);

    // 3. Alex's card follows (the relay updates every posted card), and a notice asks him to decide.
    await showsText(alexCard, "Answered by Megan Bowen: waiting for Alex Wilber (IRO) to decide", 30_000);
    await showsText(alexCard, answer);
    const decide = card(alex, `${first} · stage 1 · response received, your decision needed`);
    await decide.waitFor({ timeout: 30_000 });
    await shot(alex, "alex-card-updated-and-told", alexCard);
    // The decision is Alex's: his "my disputes" lists it as waiting on him, saying what is asked.
    await say(alex, "my disputes");
    const mine = card(alex, "My disputes").last();
    await showsText(mine, /Waiting on me \(1\)/);
    await showsText(mine, "Megan Bowen answered: your decision (resolve, escalate or hold)");
    await shot(alex, "alex-my-disputes-waiting-on-me", mine);
    const afterAnswer = await call("GET", `/disputes/${first}`);
    expect(afterAnswer.status).toBe(200);
    expect(afterAnswer.json.state).toBe("awaiting-decision");
    const alertDelivery = (afterAnswer.json.deliveries as { notice?: string; to?: string; status: string; detail?: string }[]).find(
      (d) => d.notice === "alert" && d.to === UPN.megan,
    );
    expect(alertDelivery).toMatchObject({ status: "delivered", detail: "Teams" });

    // 4. A second dispute; nobody answers; five working days later the sweep tells Alex.
    const second = await raise(
      alex,
      await fillRaiseForm(alex, {
        reference: "MOS-100235",
        initials: "K.T.",
        concerns: "No allocated social worker since the transfer in September.",
        outcomes: "A named social worker and a visit within 10 working days.",
      }),
    );
    raised.second = second;
    expect((await call("GET", `/disputes/${second}`)).json.stages.at(-1).assignee.displayName).toBe("Megan Bowen");
    await shot(alex, "alex-second-raised");
    const clock = await call("POST", "/dev/clock", { advanceWorkingDays: 5 });
    expect(clock.status).toBe(200);
    const sweep = await call("POST", "/dev/sweep");
    expect(sweep.status).toBe(200);
    expect(sweep.json.relay.failed).toBe(0);
    const notice = card(alex, `${second} · stage 1 · deadline passed, your decision needed`);
    await notice.waitFor({ timeout: 30_000 });
    await showsText(notice, "Megan Bowen has not answered");
    // In the words the mail uses: the category by its label, not its id.
    await showsText(notice, "Category: Failure to meet LA statutory responsibilities");
    // The card Alex raised it from says so too.
    await showsText(card(alex, `Dispute ${second} · Stage 1 of 5`).first(), "Overdue", 30_000);
    await shot(alex, "alex-deadline-passed");

    // 5. Alex opens the dispute from the notice and escalates it, with his rationale.
    await notice.getByRole("button", { name: `Open ${second}` }).click();
    const cards = card(alex, `Dispute ${second} · Stage 1 of 5`);
    await counts(cards, 2);
    const opened = cards.last();
    await opened.getByRole("button", { name: "Escalate", exact: true }).first().click();
    const rationale = "No response by the deadline and no allocation yet: the service manager must act.";
    await opened.getByLabel("Rationale").fill(rationale);
    await holdsValue(opened.getByRole("combobox", { name: /Escalate to/ }), /Stage 2 · Service Manager \(Adele Vance\)/);
    await shot(alex, "alex-escalate-form");
    const escalatedCard = await execute(alex, "escalate", opened.getByRole("button", { name: "Escalate", exact: true }).last());
    expect(escalatedCard).toContain("Escalated.");
    expect(escalatedCard).toContain(`Dispute ${second} · Stage 2 of 5`);
    await showsText(card(alex, `Dispute ${second} · Stage 2 of 5`), "Waiting for Adele Vance to respond");
    await showsText(card(alex, `Dispute ${second} · Stage 2 of 5`), "Escalated.");
    await shot(alex, "alex-escalated", card(alex, `Dispute ${second} · Stage 2 of 5`));

    // 6. Adele gets the alert, with the rationale, and can respond.
    const adeleCard = card(adele, second).filter({ has: adele.getByRole("button", { name: "Respond" }) });
    await adeleCard.waitFor({ timeout: 30_000 });
    await showsText(adeleCard, "MOS-100235 · K.T.");
    await showsText(adeleCard, "Stage 2 of 5");
    await showsText(adeleCard, rationale);
    await shot(adele, "adele-escalation-arrived", adeleCard);
    const escalated = (await call("GET", `/disputes/${second}`)).json;
    expect(escalated.stage).toBe(2);
    expect(escalated.stages.at(-1).assignee.displayName).toBe("Adele Vance");

    // 7. The mail Graph would have sent is in the local mailbox.
    const mailbox = await call("GET", "/dev/mailbox");
    expect(mailbox.status).toBe(200);
    const mail = (mailbox.json.items as { kind: string; to: string; disputeId: string; notice?: string; subject: string }[]).filter((i) => i.kind === "mail");
    expect(mail).toContainEqual(expect.objectContaining({ to: UPN.adele, disputeId: first, notice: "raised" }));
    expect(mail).toContainEqual(expect.objectContaining({ to: UPN.megan, disputeId: second, notice: "stage-notice" }));
    // Subjects carry the id, the stage and the due date only: never the child's reference.
    for (const m of mail) expect(m.subject).not.toMatch(/MOS-|J\.S\.|K\.T\./);
    const page = await context.newPage();
    await page.goto(`${api}/dev/mailbox/page`);
    await seen(page.getByText(second).first());
    await shot(page, "mailbox");
  }

  it("a persona's Playground opened late shows the alert that went by mail meanwhile", async () => {
    expect(raised.second, "the walkthrough ran").toBeDefined();
    // Raised from the tab at stage 3: Isaiah Langer (assistant director) has never opened his chat.
    const raisedLate = await call("POST", "/disputes", {
      child: { reference: "MOS-100236", initials: "L.M.", legalStatus: "looked-after", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no-allocated-social-worker",
      concerns: "No allocated social worker after the placement move.",
      outcomesSought: "A named social worker within 5 working days.",
      startStage: 3,
    });
    expect(raisedLate.status).toBe(201);
    const id = raisedLate.json.id as string;
    const alertTo = async () =>
      ((await call("GET", `/disputes/${id}`)).json.deliveries as { notice?: string; status: string; detail?: string }[]).find((d) => d.notice === "alert" && d.status !== "pending");
    await expect.poll(alertTo, { timeout: WAIT }).toMatchObject({ status: "delivered", detail: "by mail instead: Teams: the person has no chat with Resolve and none can be started" });

    const isaiah = await context.newPage();
    await isaiah.goto(`http://127.0.0.1:${ports.playground + 3}`);
    await card(isaiah, "IRO dispute resolution and escalation").first().waitFor();
    const caughtUp = card(isaiah, id).filter({ has: isaiah.getByRole("button", { name: "Respond" }) });
    await caughtUp.waitFor({ timeout: WAIT });
    await showsText(caughtUp, "MOS-100236 · L.M.");
    await seen(isaiah.getByText("1 dispute is waiting on you that this chat has not shown yet, newest first:"));
    await shot(isaiah, "isaiah-opened-late-caught-up", caughtUp);
    // What went by mail stays recorded as gone by mail.
    expect(await alertTo()).toMatchObject({ status: "delivered", detail: "by mail instead: Teams: the person has no chat with Resolve and none can be started" });
  }, 60_000);

  it("stops on Ctrl-C with nothing left running and every port free", async () => {
    const { code, left } = await interrupt(run!, "npm start alone");
    expect(left).toEqual([]);
    expect(code).toBe(0);
    expect(run!.output()).toContain("Stopping…");
    for (const port of allPorts(ports)) expect(await portIsFree(port, "0.0.0.0"), `port ${port}`).toBe(true);
  }, 60_000);

  it("keeps the data on a second run, and npm run reset clears it", async () => {
    expect(raised.second, "the walkthrough raised two disputes").toBeDefined();
    const again = start(ports, dataDir, { RESOLVE_PLAYGROUND: "off" });
    try {
      await ready(again);
      const mine = await call("GET", "/disputes?role=iro&state=all");
      expect(mine.status).toBe(200);
      const ids = (mine.json.items as { id: string }[]).map((i) => i.id);
      expect(ids).toEqual(expect.arrayContaining([raised.first, raised.second]));
      expect((await call("GET", `/disputes/${raised.second}`)).json.stage).toBe(2);
    } finally {
      const { code, left } = await interrupt(again, "group");
      expect(left).toEqual([]);
      expect(code).toBe(0);
    }
    expect(existsSync(join(dataDir, "azurite"))).toBe(true);
    execFileSync(process.execPath, ["--import", "tsx", "scripts/reset.ts"], { cwd: ROOT, env: { ...process.env, RESOLVE_DATA_DIR: dataDir }, stdio: "pipe" });
    expect(existsSync(dataDir)).toBe(false);
  }, 120_000);

  it("says which port is taken and how to choose another, and leaves nothing running", async () => {
    const { createServer } = await import("node:net");
    const cases = [
      { port: ports.table, says: /port \d+ is in use, and Azurite .* RESOLVE_TABLE_PORT/ },
      { port: ports.host, says: /port \d+ is in use, and the Functions host .* RESOLVE_PORT/ },
      { port: ports.playground + 2, says: /port \d+ is in use, and the Agents Playground for Adele Vance .* RESOLVE_PLAYGROUND_PORT/ },
    ];
    for (const c of cases) {
      // Anything that connects (the Playground pages still open in Chromium retry theirs) is hung up on.
      const holder = createServer((socket) => socket.destroy());
      await new Promise<void>((r) => holder.listen(c.port, "127.0.0.1", () => r()));
      const clashData = join(tmpdir(), `resolve-e2e-clash-${process.pid}`);
      try {
        const clash = start(ports, clashData);
        const code = await Promise.race([clash.exited, sleep(30_000).then(() => "timeout")]);
        killGroup(clash);
        expect(code, clash.output()).toBe(1);
        expect(clash.output()).toMatch(c.says);
        expect(survivors(clash.child.pid!)).toEqual([]);
      } finally {
        await new Promise<void>((r) => holder.close(() => r()));
        rmSync(clashData, { recursive: true, force: true });
      }
    }
  }, 120_000);
});
