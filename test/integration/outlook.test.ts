/**
 * The alert card in the mail (an Outlook Actionable Message) and the Bot Framework's Outlook
 * channel, over real HTTP in local mode on the run's Azurite. Nobody has a Teams chat with Resolve,
 * so the alert goes by mail; the card in it is read by the adaptivecards library, and its actions
 * are posted to /api/messages as the Outlook channel delivers them (`channelId` "outlook", the
 * reader named by their Entra object id).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("outlook");
const entraTenantId = randomUUID();
const originator = randomUUID();
process.env.RESOLVE_OUTLOOK_ORIGINATOR = originator;

import "../../functions/index";
import { type App, getApp } from "../../functions/compose";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import type { MailboxItem } from "../../functions/adapters/localMailbox";
import { actionableCardOf, outlookInvoke } from "../../shared/cards/actionableMessage";
import type { AdaptiveCard } from "../../shared/cards/cardContract";
import { readCard } from "../fixtures/adaptiveCards";

const { alex, megan, adele } = demoPeople;
let app: App;
let host: LocalHost;

async function api(method: string, path: string, as: string, body?: unknown) {
  const res = await fetch(`${host.url}/api/${path}`, {
    method,
    headers: { "x-resolve-dev-user": as, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function settle(disputeId: string) {
  for (let i = 0; i < 100 && (await app.outbox.marker(tenantId, disputeId)); i++) await app.relayAll();
  return app.outbox.all(tenantId, disputeId);
}

async function mailTo(upn: string, disputeId: string, notice: string): Promise<MailboxItem> {
  const { json } = await api("GET", `dev/mailbox?to=${encodeURIComponent(upn)}`, alex.upn);
  const mail = (json.items as MailboxItem[]).find((i) => i.kind === "mail" && i.disputeId === disputeId && i.notice === notice);
  expect(mail, `no ${notice} mail to ${upn} about ${disputeId}`).toBeTruthy();
  return mail!;
}

/** The Action.Execute actions anywhere on a card (inside its ShowCards too). */
function executes(card: unknown): { verb: string; data: Record<string, unknown> }[] {
  const found: { verb: string; data: Record<string, unknown> }[] = [];
  JSON.stringify(card, (_, v) => {
    if (v && typeof v === "object" && (v as { type?: unknown }).type === "Action.Execute") found.push({ verb: String(v.verb), data: { ...(v.data ?? {}) } });
    return v;
  });
  return found;
}

interface Answer {
  statusCode: number;
  type: string;
  value: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** What Outlook sends when `who` acts on the card in their mail (or opens it: trigger "automatic"). */
async function fromOutlook(who: { id: string; displayName: string }, verb: string, data: Record<string, unknown>, trigger: "manual" | "automatic" = "manual"): Promise<Answer> {
  const activity = outlookInvoke({ reader: { aadObjectId: who.id, entraTenantId, name: who.displayName }, verb, data, trigger, serviceUrl: "https://outlook.botframework.com/", id: randomUUID(), now: new Date().toISOString() });
  const res = await fetch(`${host.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

const cardText = (card: AdaptiveCard) => readCard(card).text;
const stored = async (id: string) => (await app.services.store.load(tenantId, id))!.dispute;

let disputeId: string;
let mailCard: AdaptiveCard;

beforeAll(async () => {
  app = await getApp();
  await app.directory.seed(demoAuthority("lambeth", tenantId, entraTenantId));
  host = await startLocalHost({ port: 0 });
  const raised = await api("POST", "disputes", alex.upn, {
    child: { reference: "MOS-400001", initials: "R.P.", legalStatus: "looked-after", team: "demo-team" },
    category: "statutory-responsibilities",
    reason: "no-allocated-social-worker",
    concerns: "No allocated social worker since the review.",
    outcomesSought: "A named social worker within 5 working days.",
    startStage: 1,
  });
  expect(raised.status, JSON.stringify(raised.json)).toBe(201);
  disputeId = raised.json.id;
  await settle(disputeId);
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

describe("the alert mail carries the live card", () => {
  it("holds a valid Adaptive Card (1.4 or later) from the configured originator, with a respond action and a refresh, above the plain HTML", async () => {
    const mail = await mailTo(megan.upn, disputeId, "alert");
    const card = actionableCardOf(mail.html);
    expect(card, "no <script type=application/adaptivecard+json> in the mail").toBeTruthy();
    mailCard = card!;
    expect(mail.html.indexOf("application/adaptivecard+json")).toBeLessThan(mail.html.indexOf("<body"));
    expect(mailCard.originator).toBe(originator);
    const [major, minor] = String(mailCard.version).split(".").map(Number);
    expect(major! * 10 + minor!).toBeGreaterThanOrEqual(14);
    const read = readCard(mailCard);
    expect(read.events).toEqual([]);
    expect(read.failures).toEqual([]);
    expect(read.text).toContain("MOS-400001 · R.P.");
    expect(executes(mailCard).map((a) => a.verb)).toContain("respond");
    expect((mailCard.refresh as { action: { verb: string; data: unknown } }).action).toMatchObject({ verb: "refresh", data: { disputeId } });
    // The letter stays for clients that show no card; the subject still names no child.
    expect(mail.html).toContain(`Dear ${megan.displayName},`);
    expect(mail.subject).not.toContain("MOS-400001");
    expect(mail.toId).toBe(megan.id);
  });

  it("a mail that asks nothing of its reader carries no card", async () => {
    const told = await mailTo(adele.upn, disputeId, "raised");
    expect(actionableCardOf(told.html)).toBeUndefined();
  });
});

describe("the bot answers Outlook's invokes like Teams'", () => {
  it("anyone but the assignee answering from the mail is refused and changes nothing", async () => {
    const before = await stored(disputeId);
    const respond = executes(mailCard).find((a) => a.verb === "respond")!;
    const answer = await fromOutlook(adele, "respond", { ...respond.data, "respond.response": "I will sort it." });
    expect(answer.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardText(answer.value)).toContain(`Only ${megan.displayName}`);
    expect(executes(answer.value).map((a) => a.verb)).not.toContain("respond");
    const after = await stored(disputeId);
    expect(after.version).toBe(before.version);
    expect(after.state).toBe("awaiting-response");
  });

  it("someone the directory does not hold is told so, and nothing changes", async () => {
    const before = await stored(disputeId);
    const answer = await fromOutlook({ id: randomUUID(), displayName: "Nobody Known" }, "respond", { disputeId, version: before.version, "respond.response": "x" });
    expect(answer.type).toBe("application/vnd.microsoft.activity.message");
    expect(String(answer.value)).toContain("not set up in Resolve");
    expect((await stored(disputeId)).version).toBe(before.version);
  });

  it("the assignee answers from the mail: recorded once (a repeat is recognised), audited as from the mail, answered with the refreshed card", async () => {
    const respond = executes(mailCard).find((a) => a.verb === "respond")!;
    const data = { ...respond.data, "respond.response": "Sam Kaur is allocated from Monday.", "respond.actionsAgreed": "", "respond.completionDate": "" };
    const first = await fromOutlook(megan, "respond", data);
    expect(first.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(first.value.originator).toBe(originator);
    expect(cardText(first.value)).toContain("Your answer is recorded and the IRO has been told.");
    expect(cardText(first.value)).toContain("Sam Kaur is allocated from Monday.");
    expect(executes(first.value).map((a) => a.verb)).not.toContain("respond");
    const d = await stored(disputeId);
    expect(d.state).toBe("awaiting-decision");

    const again = await fromOutlook(megan, "respond", data);
    expect(cardText(again.value)).toContain("Your answer is recorded and the IRO has been told.");
    const events = await app.services.store.events(tenantId, disputeId);
    const responds = events.filter((e) => e.action === "respond");
    expect(responds).toHaveLength(1);
    expect(responds[0]!.source).toBe("mail");
    expect((await stored(disputeId)).version).toBe(d.version);
    // A card in a mail is not a Teams message to keep updated.
    expect(await app.conversations.cards(tenantId, disputeId)).toEqual([]);
  });

  it("opening the (now stale) alert mail refreshes its card to the dispute as it is now", async () => {
    const refresh = (mailCard.refresh as { action: { verb: string; data: Record<string, unknown> } }).action;
    expect(refresh.data.version).toBeLessThan((await stored(disputeId)).version);
    const answer = await fromOutlook(megan, refresh.verb, refresh.data, "automatic");
    expect(answer.value.originator).toBe(originator);
    const text = cardText(answer.value);
    expect(text).toContain(`Answer from ${megan.displayName}`);
    expect(text).toContain("Sam Kaur is allocated from Monday.");
    expect(executes(answer.value).map((a) => a.verb)).not.toContain("respond");
  });

  it("the IRO's decision request mail carries his card, with the answer and his decisions", async () => {
    await settle(disputeId);
    const mail = await mailTo(alex.upn, disputeId, "response-received");
    const card = actionableCardOf(mail.html)!;
    expect(card.originator).toBe(originator);
    expect(cardText(card)).toContain("Sam Kaur is allocated from Monday.");
    expect(executes(card).map((a) => a.verb)).toEqual(expect.arrayContaining(["resolve", "escalate"]));
  });

  it("when nobody answers in time, the overdue mail to the assignee and the deadline mail to the IRO carry their cards", async () => {
    const second = await api("POST", "disputes", alex.upn, {
      child: { reference: "MOS-400002", initials: "T.K.", legalStatus: "looked-after", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no-allocated-social-worker",
      concerns: "No visit since the transfer.",
      outcomesSought: "A visit within 10 working days.",
      startStage: 1,
    });
    expect(second.status).toBe(201);
    const id = second.json.id as string;
    expect((await api("POST", "dev/clock", alex.upn, { advanceWorkingDays: 5 })).status).toBe(200);
    expect((await api("POST", "dev/sweep", alex.upn)).status).toBe(200);
    await settle(id);
    const overdue = actionableCardOf((await mailTo(megan.upn, id, "overdue")).html)!;
    expect(overdue.originator).toBe(originator);
    expect(cardText(overdue)).toContain("Overdue");
    expect(executes(overdue).map((a) => a.verb)).toContain("respond");
    const decide = actionableCardOf((await mailTo(alex.upn, id, "deadline-passed")).html)!;
    expect(decide.originator).toBe(originator);
    expect(executes(decide).map((a) => a.verb)).toEqual(expect.arrayContaining(["escalate", "extend"]));
  });
});
