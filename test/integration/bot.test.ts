/**
 * The Teams bot over real HTTP, in local mode: Teams-shaped activities and card invokes are posted
 * to /api/messages on the local host, and a local stand-in for the Bot Connector records every
 * call the bot makes back (replies, proactive cards, card updates, new chats). Storage is the
 * run's Azurite. Every card the bot sends or answers with is read by the adaptivecards library.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readCard } from "../fixtures/adaptiveCards";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

// getApp() reads the environment once, on the first request: set it before anything asks.
const tenantId = `demo-bot-${Math.random().toString(36).slice(2, 8)}`;
process.env.RESOLVE_MODE = "local";
process.env.RESOLVE_TABLES_CONNECTION = inject("tablesConnection");
process.env.RESOLVE_DEV_TENANT = tenantId;
process.env.RESOLVE_PROCEDURE = "lambeth";
for (const k of ["WEBSITE_INSTANCE_ID", "MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId", "RESOLVE_API_AUDIENCE", "RESOLVE_MAIL_SENDER", "RESOLVE_GRAPH_CLIENT_SECRET", "RESOLVE_GRAPH_MANAGED_IDENTITY"]) {
  delete process.env[k];
}

import "../../functions/index";
import { type App, getApp } from "../../functions/compose";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { PLAYGROUND_TENANT_ID, demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { listMailbox } from "../../functions/adapters/localMailbox";
import type { AdaptiveCard } from "../../shared/cards/cardContract";
import { londonDate } from "../../shared/calendar/londonTime";

// ——— the Bot Connector stand-in ———

interface ConnectorCall {
  method: string;
  path: string;
  /** The conversation the call is about (decoded); "" for createConversation. */
  conversationId: string;
  /** The activity replied to or updated, when the path names one. */
  activityId?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  status: number;
  /** The id the stand-in answered with. */
  answeredId?: string;
}

interface Connector {
  url: string;
  calls: ConnectorCall[];
  /** Answer createConversation as Teams does for someone who has not installed the app. */
  refuseNewChats: boolean;
  stop(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

async function startConnector(): Promise<Connector> {
  let n = 0;
  const connector: Connector = { url: "", calls: [], refuseNewChats: false, stop: async () => {} };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readJson(req);
      const path = (req.url ?? "/").split("?")[0]!;
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(json));
      };
      const m = /^\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/.exec(path);
      const call: ConnectorCall = { method: req.method ?? "GET", path, conversationId: m?.[1] ? decodeURIComponent(m[1]) : "", body, status: 200 };
      if (m?.[2]) call.activityId = decodeURIComponent(m[2]);
      connector.calls.push(call);
      if (!m || (m[1] === undefined && req.method !== "POST") || (m[1] !== undefined && req.method !== "POST" && req.method !== "PUT") || (req.method === "PUT" && !m[2])) {
        call.status = 404;
        return answer(404, { error: { code: "NotFound", message: `No ${req.method} ${path}` } });
      }
      if (m[1] === undefined) {
        if (connector.refuseNewChats) {
          call.status = 403;
          return answer(403, { error: { code: "Forbidden", message: "Bot is not installed in user's personal scope" } });
        }
        call.answeredId = `a:chat-${++n}`;
        return answer(201, { id: call.answeredId });
      }
      // Replies, replies to an activity and updates all answer with the activity's id.
      call.answeredId = req.method === "PUT" ? m[2] : `1:${Date.now()}${++n}`;
      return answer(200, { id: call.answeredId });
    })().catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  connector.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  connector.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return connector;
}

/** Parse, validate and render a card as Teams' renderer would: no event, no failure. */
function expectCleanCard(json: AdaptiveCard, where: string) {
  const read = readCard(json);
  expect(read.events, `${where}: parse`).toEqual([]);
  expect(read.failures, `${where}: validation`).toEqual([]);
  expect(read.text, `${where}: render`).toBeTruthy();
}

// ——— reading cards ———

type Json = Record<string, unknown>;

function walk(node: unknown, visit: (o: Json) => void) {
  if (Array.isArray(node)) node.forEach((x) => walk(x, visit));
  else if (node && typeof node === "object") {
    visit(node as Json);
    Object.values(node as Json).forEach((x) => walk(x, visit));
  }
}

/** Every Action.Execute on the card, inside ShowCards too. */
function executes(card: AdaptiveCard): { verb: string; data: Json }[] {
  const out: { verb: string; data: Json }[] = [];
  walk(card, (o) => {
    if (o.type === "Action.Execute") out.push({ verb: String(o.verb), data: (o.data ?? {}) as Json });
  });
  return out;
}
const verbs = (card: AdaptiveCard) => [...new Set(executes(card).map((a) => a.verb))];
const action = (card: AdaptiveCard, verb: string) => {
  const found = executes(card).find((a) => a.verb === verb);
  expect(found, `no ${verb} on the card: ${verbs(card).join(", ")}`).toBeTruthy();
  return found!;
};
/** Every text a person reads on the card. */
function words(card: AdaptiveCard): string {
  const out: string[] = [];
  walk(card, (o) => {
    if (typeof o.text === "string") out.push(o.text);
    if (o.type === undefined && typeof o.title === "string" && typeof o.value === "string") out.push(`${o.title}: ${o.value}`);
  });
  return out.join("\n");
}
const cardsOf = (activity: { attachments?: { contentType: string; content: AdaptiveCard }[] } | undefined): AdaptiveCard[] =>
  (activity?.attachments ?? []).filter((a) => a.contentType === "application/vnd.microsoft.card.adaptive").map((a) => a.content);

// ——— Teams-shaped activities ———

interface Person {
  id: string;
  upn: string;
  displayName: string;
  /** Their Teams user id and 1:1 conversation id are made from this. */
  key: string;
}
const person = (key: keyof typeof demoPeople): Person => ({ ...demoPeople[key], key });
const alex = person("alex");
const megan = person("megan");
const adele = person("adele");
const isaiah = person("isaiah");
const patti = person("patti");
const lynne = person("lynne");
const sam = person("sam");
const stranger: Person = { id: randomUUID(), upn: "stranger@example.com", displayName: "Nobody Known", key: "stranger" };

let app: App;
let host: LocalHost;
let connector: Connector;
/** Every card the bot answered an invoke with. */
const answeredCards: { card: AdaptiveCard; where: string }[] = [];

/** Several test files seed the demo authority, each under the Playground's Entra tenant: the last one wins. */
async function claimPlayground() {
  if ((await app.directory.tenantForEntra(PLAYGROUND_TENANT_ID))?.id !== tenantId) await app.directory.seed(demoAuthority("lambeth", tenantId));
  expect((await app.directory.tenantForEntra(PLAYGROUND_TENANT_ID))?.id).toBe(tenantId);
}

function activity(who: Person, fields: Json): Json {
  const now = new Date();
  return {
    type: "message",
    id: `f:${randomUUID()}`,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    locale: "en-GB",
    channelId: "msteams",
    serviceUrl: connector.url,
    from: { id: `29:${who.key}`, name: who.displayName, aadObjectId: who.id },
    recipient: { id: "28:bot", name: "Resolve" },
    conversation: { id: `a:${who.key}`, conversationType: "personal", tenantId: PLAYGROUND_TENANT_ID },
    channelData: { tenant: { id: PLAYGROUND_TENANT_ID } },
    ...fields,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function post(body: Json): Promise<{ status: number; body: any }> {
  await claimPlayground();
  const res = await fetch(`${host.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** What the bot sent to the connector while `act` ran. */
async function during(act: () => Promise<unknown>): Promise<ConnectorCall[]> {
  const from = connector.calls.length;
  await act();
  return connector.calls.slice(from);
}

/** A chat message; the bot's replies to it (the relay may be sending other things meanwhile). */
async function say(who: Person, text: string): Promise<ConnectorCall[]> {
  const message = activity(who, { text });
  const calls = await during(async () => expect((await post(message)).status).toBe(200));
  return calls.filter((c) => c.activityId === message.id);
}

/** The one card the bot replied with. */
function repliedCard(calls: ConnectorCall[], who: Person): { card: AdaptiveCard; activityId: string; call: ConnectorCall } {
  const replies = calls.filter((c) => c.method === "POST" && c.conversationId === `a:${who.key}`);
  expect(replies).toHaveLength(1);
  const cards = cardsOf(replies[0]!.body);
  expect(cards).toHaveLength(1);
  return { card: cards[0]!, activityId: replies[0]!.answeredId!, call: replies[0]! };
}

interface InvokeAnswer {
  statusCode: number;
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  value: any;
}

async function invoke(who: Person, verb: string, data: Json, replyToId?: string): Promise<InvokeAnswer> {
  const r = await post(
    activity(who, {
      type: "invoke",
      name: "adaptiveCard/action",
      value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
      ...(replyToId ? { replyToId } : {}),
    }),
  );
  expect(r.status).toBe(200);
  const answer = r.body as InvokeAnswer;
  expect(answer.statusCode).toBe(200);
  if (answer.type === "application/vnd.microsoft.card.adaptive") answeredCards.push({ card: answer.value, where: `${who.key}'s ${verb}` });
  return answer;
}

function answeredCard(answer: InvokeAnswer): AdaptiveCard {
  expect(answer.type).toBe("application/vnd.microsoft.card.adaptive");
  return answer.value as AdaptiveCard;
}

/** Deliver what the relay has to deliver, and wait for a kick already under way to finish. */
async function settle(disputeId: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await app.relayAll();
    const entries = await app.outbox.all(tenantId, disputeId);
    if (entries.length && entries.every((e) => e.status !== "pending")) return entries;
    if (Date.now() > deadline) throw new Error(`the outbox of ${disputeId} did not settle: ${JSON.stringify(entries.map((e) => [e.effect.kind, e.status, e.lastError]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const disputeIdOf = (card: AdaptiveCard) => String(executes(card).find((a) => typeof a.data.disputeId === "string")?.data.disputeId);
const stored = async (disputeId: string) => (await app.services.store.load(tenantId, disputeId))!.dispute;

// ——— the raise form, as Teams sends it back: every input by id ———

const REFERENCE = "MOS-100234";
const INITIALS = "J.S.";
const CONCERNS = "No allocated social worker since the review on 1 December.";
function formValues(startStage: number, reference = REFERENCE): Record<string, string> {
  return {
    childReference: reference,
    childInitials: INITIALS,
    legalStatus: "looked-after",
    team: "demo-team",
    categoryReason: "statutory-responsibilities/no-allocated-social-worker",
    concerns: CONCERNS,
    outcomesSought: "Allocate a social worker within 5 working days.",
    startStage: String(startStage),
    timescaleDays: "",
    reviewDate: "",
  };
}

/** Alex opens the form in chat and raises a dispute from it; the card Teams shows him afterwards. */
async function raiseInChat(startStage: number, reference = REFERENCE) {
  const form = repliedCard(await say(alex, "raise"), alex);
  const answer = await invoke(alex, "raise", formValues(startStage, reference), form.activityId);
  const card = answeredCard(answer);
  expect(words(card)).toContain("Raised ");
  return { card, disputeId: disputeIdOf(card), formActivityId: form.activityId };
}

/** Alex raises through the API (as from the tab), not in chat. */
async function raiseByApi(startStage: number, reference: string): Promise<{ id: string; assignee: { id: string } }> {
  const res = await fetch(`${host.url}/api/disputes`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-resolve-dev-user": alex.upn },
    body: JSON.stringify({
      child: { reference, initials: "K.L.", legalStatus: "looked-after", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no-allocated-social-worker",
      concerns: CONCERNS,
      outcomesSought: "Allocate a social worker.",
      startStage,
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; assignee: { id: string } };
}

beforeAll(async () => {
  connector = await startConnector();
  app = await getApp();
  expect(app.settings.RESOLVE_DEV_TENANT).toBe(tenantId);
  host = await startLocalHost({ port: 0 });
  await claimPlayground();
});

afterAll(async () => {
  await host?.stop();
  await connector?.stop();
});

describe("the bot in a Teams-shaped conversation (local mode)", () => {
  it("an alert to a manager Resolve cannot reach in Teams (no chat, no service URL yet) goes by mail", async () => {
    // Raised through the API before anyone has talked to the bot: no conversation and no service URL exist.
    const d = await raiseByApi(3, "MOS-200001");
    expect(d.assignee.id).toBe(isaiah.id);
    const entries = await settle(d.id);
    const alert = entries.find((e) => e.effect.kind === "notify" && e.effect.notice === "alert")!;
    expect(alert.status).toBe("delivered");
    expect(alert.detail).toBe("by mail instead: Teams: the person has no chat with Resolve and none can be started");
    expect(connector.calls).toEqual([]);

    const mailbox = await fetch(`${host.url}/api/dev/mailbox?to=${isaiah.upn}`, { headers: { "x-resolve-dev-user": alex.upn } });
    expect(mailbox.status).toBe(200);
    const { items } = (await mailbox.json()) as { items: { disputeId: string; notice?: string; subject: string; kind: string }[] };
    const mail = items.find((i) => i.disputeId === d.id && i.notice === "alert")!;
    expect(mail).toBeTruthy();
    expect(mail.kind).toBe("mail");
    expect(mail.subject).toContain(d.id);
    expect(mail.subject).not.toContain("MOS-200001");
    expect((await listMailbox(app.tables, tenantId, { to: isaiah.upn, limit: 50 })).map((i) => i.effectId)).toContain(alert.effect.id);
  });

  it("installing the app posts the welcome card and keeps the conversation; uninstalling forgets it", async () => {
    for (const who of [alex, megan, sam]) {
      const install = activity(who, { type: "installationUpdate", action: "add" });
      const calls = await during(async () => expect((await post(install)).status).toBe(200));
      const { card } = repliedCard(calls.filter((c) => c.activityId === install.id), who);
      expect(words(card)).toContain("IRO dispute resolution and escalation");
      // Only an IRO is offered to raise; a manager is told how to answer.
      expect(verbs(card)).toEqual(who === alex ? ["open-raise-form"] : []);
      if (who !== alex) expect(words(card)).toContain("Answer on the card by the deadline it shows");
      const reference = await app.conversations.find(tenantId, who.id);
      expect(reference?.conversation?.id).toBe(`a:${who.key}`);
      expect(reference?.serviceUrl).toBe(connector.url);
      expect(reference?.user?.aadObjectId).toBe(who.id);
    }
    expect(await app.conversations.service(tenantId)).toEqual({ serviceUrl: connector.url, channelId: "msteams" });

    const uninstall = activity(sam, { type: "installationUpdate", action: "remove" });
    const calls = await during(async () => expect((await post(uninstall)).status).toBe(200));
    expect(calls.filter((c) => c.conversationId === `a:${sam.key}`)).toEqual([]);
    expect(await app.conversations.find(tenantId, sam.id)).toBeUndefined();
    expect(await app.conversations.find(tenantId, megan.id)).toBeTruthy();
  });

  it("help, and anything it does not know, answer with the help card", async () => {
    const help = repliedCard(await say(alex, "help"), alex).card;
    expect(words(help)).toContain("my disputes");
    expect(words(help)).not.toContain("is not something Resolve knows");
    const unknown = repliedCard(await say(megan, "what's happening with **the case**?"), megan).card;
    expect(words(unknown)).toContain("is not something Resolve knows");
    expect(words(unknown)).toContain("\\*\\*the case\\*\\*");
  });

  it("someone not in the authority's directory is told so, in chat and on a card", async () => {
    const calls = await say(stranger, "raise");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body.text).toContain("You are not set up in Resolve for this authority yet");
    expect(cardsOf(calls[0]!.body)).toEqual([]);
    const answer = await invoke(stranger, "open-raise-form", {});
    expect(answer.type).toBe("application/vnd.microsoft.activity.message");
    expect(answer.value).toContain("You are not set up in Resolve");
    expect(await app.conversations.find(tenantId, stranger.id)).toBeUndefined();
  });

  describe("Teams' search as you type in a card's person picker (application/search)", () => {
    const search = async (who: Person, queryText: string, dataset = "people") => {
      const r = await post(activity(who, { type: "invoke", name: "application/search", value: { kind: "search", queryText, context: { dataset } } }));
      // The invoke's HTTP status is the answer's own.
      expect(r.status).toBe((r.body as InvokeAnswer).statusCode);
      return r.body as InvokeAnswer;
    };

    it("answers the authority's people whose names start with what was typed, each sending a UPN", async () => {
      const answer = await search(alex, "meg");
      expect(answer).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.search.searchResponse" });
      expect(answer.value.results).toEqual([{ title: "Megan Bowen", value: megan.upn }]);
      expect((await search(alex, "zzq")).value.results).toEqual([]);
    });

    it("refuses another dataset, and someone not in the directory", async () => {
      const other = await search(alex, "meg", "teams");
      expect(other.statusCode).toBe(400);
      expect(other.value.message).toContain('No dataset "teams"');
      const unknown = await search(stranger, "meg");
      expect(unknown.statusCode).toBe(401);
      expect(unknown.value.message).toContain("not set up in Resolve");
    });
  });

  describe("raise, answer, decide", () => {
    let disputeId: string;
    let alexCard: AdaptiveCard;
    let formActivityId: string;
    let meganCard: { card: AdaptiveCard; activityId: string };

    it("'raise' opens the form; the welcome card's button opens it too; the preview shows the plan", async () => {
      const form = repliedCard(await say(alex, "raise"), alex);
      formActivityId = form.activityId;
      expect(words(form.card)).toContain("Raise a dispute");
      expect(verbs(form.card)).toEqual(["raise-preview", "raise"]);
      expect(words(form.card)).not.toContain("The plan if nobody answers");

      const opened = answeredCard(await invoke(alex, "open-raise-form", {}, "1:welcome"));
      expect(words(opened)).toContain("Raise a dispute");

      const preview = answeredCard(await invoke(alex, "raise-preview", formValues(1), formActivityId));
      expect(words(preview)).toContain("The plan if nobody answers");
      expect(words(preview)).toContain("Megan Bowen");
      // What was typed stays in the form.
      expect(JSON.stringify(preview)).toContain(REFERENCE);
      expect(verbs(preview)).toEqual(["raise-preview", "raise"]);
    });

    it("a refused raise answers with the form again, the reason at the top, nothing raised", async () => {
      const before = (await app.services.store.list(tenantId, { kind: "iro", personId: alex.id }, "all", 100)).items.length;
      const refused = answeredCard(await invoke(alex, "raise", { ...formValues(1), childInitials: "John Smith" }, formActivityId));
      expect(words(refused)).toContain("Raise a dispute");
      expect(words(refused)).toMatch(/initials/i);
      expect((await app.services.store.list(tenantId, { kind: "iro", personId: alex.id }, "all", 100)).items.length).toBe(before);
    });

    it("raising from the form answers with the IRO's card: he decides, he does not respond", async () => {
      // With the child's Guardian and the proceedings flag, as the form's inputs send them.
      const guardian = { guardianName: "Priya Shah", guardianEmail: "priya.shah@cafcass.example", solicitorName: "", solicitorEmail: "", inProceedings: "true" };
      alexCard = answeredCard(await invoke(alex, "raise", { ...formValues(1), ...guardian }, formActivityId));
      expect(JSON.stringify(alexCard)).not.toContain("Priya Shah");
      disputeId = disputeIdOf(alexCard);
      expect(disputeId).toMatch(/^D-/);
      expect(words(alexCard)).toContain(`Raised ${disputeId}`);
      expect(words(alexCard)).toContain("sent to Megan Bowen");
      expect(words(alexCard)).toContain(REFERENCE);
      expect(verbs(alexCard)).toEqual(expect.arrayContaining(["escalate", "resolve"]));
      expect(verbs(alexCard)).not.toContain("respond");
      expect(verbs(alexCard)).not.toContain("acknowledge");
      const d = await stored(disputeId);
      expect(d.state).toBe("awaiting-response");
      expect(d.stages.at(-1)!.assignee.id).toBe(megan.id);
      expect(d.childContacts).toEqual({ guardian: { name: "Priya Shah", email: "priya.shah@cafcass.example" }, inProceedings: true });
      // The form's message became this dispute's card: it is kept for updates.
      expect((await app.conversations.cards(tenantId, disputeId)).map((c) => [c.personId, c.activityId])).toEqual([[alex.id, formActivityId]]);
    });

    it("the team manager, who installed the app, gets the alert card in her chat; the preview names no one", async () => {
      const entries = await settle(disputeId);
      const alert = entries.find((e) => e.effect.kind === "notify" && e.effect.notice === "alert")!;
      expect(alert.status).toBe("delivered");
      expect(alert.detail).toBe("Teams");
      const toMegan = connector.calls.filter((c) => c.method === "POST" && c.conversationId === `a:${megan.key}` && cardsOf(c.body).some((card) => disputeIdOf(card) === disputeId));
      expect(toMegan).toHaveLength(1);
      const sent = toMegan[0]!.body;
      expect(sent.type).toBe("message");
      expect(sent.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
      const card = cardsOf(sent)[0]!;
      expect(words(card)).toContain(REFERENCE);
      expect(words(card)).toContain(INITIALS);
      expect(verbs(card)).toEqual(expect.arrayContaining(["respond", "acknowledge"]));
      expect(verbs(card)).not.toContain("escalate");
      // The pop-up and feed preview: the dispute id, the stage and the due date; nothing about the child or the people.
      expect(typeof sent.summary).toBe("string");
      expect(sent.summary).toContain(disputeId);
      expect(sent.summary).toMatch(/stage 1/i);
      for (const secret of [REFERENCE, INITIALS, "Megan", "Alex", "social worker", CONCERNS]) expect(sent.summary).not.toContain(secret);
      meganCard = { card, activityId: toMegan[0]!.answeredId! };
      expect((await app.conversations.cards(tenantId, disputeId)).find((c) => c.personId === megan.id)?.activityId).toBe(meganCard.activityId);
    });

    it("'my disputes' lists it as waiting on Megan and raised by Alex", async () => {
      const mine = repliedCard(await say(megan, "my disputes"), megan).card;
      expect(words(mine)).toContain("Waiting on me (1)");
      expect(words(mine)).toContain(disputeId);
      expect(action(mine, "open").data.disputeId).toBe(disputeId);
      const raised = repliedCard(await say(alex, "mine"), alex).card;
      expect(words(raised)).toMatch(/Raised by me \([1-9]\d*\)/);
      expect(words(raised)).toContain(disputeId);
    });

    it("someone who is not the assignee cannot answer: a read-only card says why, nothing changes", async () => {
      const before = await stored(disputeId);
      const respond = action(meganCard.card, "respond");
      const answer = await invoke(adele, "respond", { ...respond.data, "respond.response": "I will sort it.", "respond.actionsAgreed": "", "respond.completionDate": "" }, "1:forwarded");
      const card = answeredCard(answer);
      expect(words(card)).toContain(`Only Megan Bowen, who holds dispute ${disputeId} now, can`);
      expect(words(card)).toContain("You can see this dispute");
      expect(verbs(card)).not.toContain("respond");
      expect(verbs(card)).not.toContain("resolve");
      const after = await stored(disputeId);
      expect(after.version).toBe(before.version);
      expect(after.state).toBe("awaiting-response");
    });

    it("the assignee answers on her card: it comes back with a 'recorded' banner; a repeated click is applied once", async () => {
      const respond = action(meganCard.card, "respond");
      expect(respond.data).toEqual({ disputeId, version: (await stored(disputeId)).version });
      // As Teams sends it: the card's data and every input of the card, by input id.
      const data = { ...respond.data, "respond.response": "A social worker is allocated from Monday.", "respond.actionsAgreed": "Allocation confirmed in writing.", "respond.completionDate": "" };
      const first = answeredCard(await invoke(megan, "respond", data, meganCard.activityId));
      expect(words(first)).toContain("Your answer is recorded and the IRO has been told.");
      expect(words(first)).toContain("A social worker is allocated from Monday.");
      expect(verbs(first)).not.toContain("respond");
      const d = await stored(disputeId);
      expect(d.state).toBe("awaiting-decision");

      // Teams retries an invoke it got no answer to within 15 s; people double-click.
      const again = answeredCard(await invoke(megan, "respond", data, meganCard.activityId));
      expect(words(again)).toContain("Your answer is recorded and the IRO has been told.");
      expect(words(again)).not.toContain("has changed since this was shown");
      const events = await app.services.store.events(tenantId, disputeId);
      expect(events.filter((e) => e.action === "respond")).toHaveLength(1);
      expect((await stored(disputeId)).version).toBe(d.version);
    });

    it("after the relay the IRO is told, and every posted card of the dispute is updated with its holder's view", async () => {
      const entries = await settle(disputeId);
      const d = await stored(disputeId);
      const told = entries.find((e) => e.effect.kind === "notify" && e.effect.notice === "response-received")!;
      expect(told.status).toBe("delivered");
      const toAlex = connector.calls.filter((c) => c.method === "POST" && c.conversationId === `a:${alex.key}` && cardsOf(c.body).some((card) => JSON.stringify(card).includes(disputeId)) && c.body.summary);
      expect(toAlex.map((c) => c.body.summary).join(" ")).toContain(disputeId);
      for (const secret of [REFERENCE, INITIALS, "Megan"]) expect(toAlex.map((c) => c.body.summary).join(" ")).not.toContain(secret);

      const posted = await app.conversations.cards(tenantId, disputeId);
      expect(posted.map((c) => c.personId).sort()).toEqual([alex.id, megan.id, adele.id].sort());
      // The notice that told Alex did not take the place of his card (the form it became).
      expect(posted.find((c) => c.personId === alex.id)?.activityId).toBe(formActivityId);
      for (const card of posted) {
        const puts = connector.calls.filter((c) => c.method === "PUT" && c.conversationId === card.reference.conversation?.id && c.activityId === card.activityId);
        expect(puts.length, `no update of ${card.personId}'s card`).toBeGreaterThan(0);
        const last = cardsOf(puts.at(-1)!.body)[0]!;
        expect(puts.at(-1)!.body.id).toBe(card.activityId);
        expect(disputeIdOf(last)).toBe(disputeId);
        expect(executes(last).every((a) => a.verb !== "refresh" || a.data.disputeId === disputeId)).toBe(true);
        expect(words(last)).toContain("Answered by Megan Bowen");
        expect(executes(last).filter((a) => a.data.version !== undefined).every((a) => a.data.version === d.version)).toBe(true);
        if (card.personId === alex.id) expect(verbs(last)).toEqual(expect.arrayContaining(["resolve", "hold"]));
        else expect(verbs(last).filter((v) => v !== "refresh" && v !== "add-note")).toEqual([]);
      }
    });

    it("'my disputes' now lists it as waiting on Alex, with the decision asked of him, and no longer on Megan", async () => {
      const mine = repliedCard(await say(alex, "my disputes"), alex).card;
      expect(words(mine)).toMatch(/Waiting on me \([1-9]\d*\)/);
      expect(words(mine)).toContain("Megan Bowen answered: your decision (resolve, escalate or hold)");
      expect(words(mine)).not.toContain("Nothing is waiting on you.");
      const megans = repliedCard(await say(megan, "my disputes"), megan).card;
      expect(words(megans)).toContain("Waiting on me (0)");
    });

    it("a click on an out-of-date card answers with the card as it is now and says nothing was changed", async () => {
      const before = await stored(disputeId);
      const escalate = action(alexCard, "escalate");
      expect(escalate.data.version).toBeLessThan(before.version);
      const card = answeredCard(await invoke(alex, "escalate", { ...escalate.data, "escalate.toStage": "2", "escalate.rationale": "No answer in time.", "escalate.timescaleDays": "" }, formActivityId));
      expect(words(card)).toContain(`Dispute ${disputeId} has changed since this was shown: Megan Bowen answered it on `);
      expect(words(card)).toContain("Nothing was changed.");
      expect(words(card)).toContain("Answered by Megan Bowen");
      // Nothing typed is lost: the escalate form comes back open with the rationale in it.
      expect(JSON.stringify(card)).toContain('"id":"escalate.rationale","label":"Rationale (the next recipient sees it)","isMultiline":true,"maxLength":2000,"isRequired":true,"errorMessage":"Give the rationale for escalating.","value":"No answer in time."');
      const after = await stored(disputeId);
      expect(after.version).toBe(before.version);
      expect(after.stage).toBe(1);
      expect(after.state).toBe("awaiting-decision");
    });

    it("'status <id>' shows the current card; the IRO resolves on it, the outcome read by its input id", async () => {
      const shown = repliedCard(await say(alex, `status ${disputeId.toLowerCase()}`), alex);
      expect(disputeIdOf(shown.card)).toBe(disputeId);
      expect(words(shown.card)).toContain("Answered by Megan Bowen");
      expect((await app.conversations.cards(tenantId, disputeId)).find((c) => c.personId === alex.id)?.activityId).toBe(shown.activityId);
      const resolve = action(shown.card, "resolve");
      const card = answeredCard(await invoke(alex, "resolve", { ...resolve.data, "resolve.outcome": "Social worker allocated; plan back on track." }, shown.activityId));
      expect(words(card)).toContain("Resolved and closed.");
      expect((await stored(disputeId)).state).toBe("resolved");
    });

    it("'find <reference>' finds the closed dispute about the child, for the IRO and for Megan; a stranger's search finds nothing", async () => {
      for (const who of [alex, megan]) {
        const found = repliedCard(await say(who, `find ${REFERENCE.toLowerCase()}`), who).card;
        expect(words(found)).toContain(`Disputes about ${REFERENCE.toLowerCase()}`);
        expect(words(found)).toContain(disputeId);
        expect(words(found)).toContain("resolved");
        expect(executes(found).find((a) => a.data.disputeId === disputeId)?.verb).toBe("open");
      }
      expect(words(repliedCard(await say(alex, "find MOS-999999"), alex).card)).toContain("No dispute about MOS-999999 that you can see.");
      expect((await say(alex, "find"))[0]!.body.text).toBe("Say which child, by case reference: find MOS-100234");
    });

    it("'Open' on a list posts the dispute's card below it, kept current from then on, and leaves the list as it was", async () => {
      // The resolution's notices delivered first: they too are new messages in Megan's chat.
      await settle(disputeId);
      const found = repliedCard(await say(megan, `find ${REFERENCE}`), megan);
      const open = action(found.card, "open");
      expect(open.data.disputeId).toBe(disputeId);
      let answer: InvokeAnswer | undefined;
      const calls = await during(async () => (answer = await invoke(megan, "open", open.data, found.activityId)));
      expect(answer).toMatchObject({ type: "application/vnd.microsoft.activity.message", value: `Dispute ${disputeId} is shown below.` });
      const posted = calls.filter((c) => c.method === "POST" && c.conversationId === `a:${megan.key}`);
      expect(posted).toHaveLength(1);
      const card = cardsOf(posted[0]!.body)[0]!;
      expect(disputeIdOf(card)).toBe(disputeId);
      expect(words(card)).toContain("Resolved");
      // The list's own message is not replaced or updated.
      expect(calls.filter((c) => c.method === "PUT" && c.activityId === found.activityId)).toEqual([]);
      expect((await app.conversations.card(tenantId, disputeId, megan.id))?.activityId).toBe(posted[0]!.answeredId);
      const unknown = await during(async () => expect(await invoke(megan, "open", { disputeId: "D-NONE00" }, found.activityId)).toMatchObject({ type: "application/vnd.microsoft.activity.message", value: "No dispute D-NONE00 that you can see." }));
      expect(unknown.filter((c) => c.conversationId === `a:${megan.key}`)).toEqual([]);
    });

    it("'status' without an id, or with one nobody can see, says so", async () => {
      expect((await say(alex, "status"))[0]!.body.text).toBe("Say which dispute: status D-7K3F9Q");
      expect((await say(alex, "status D-NOPE99"))[0]!.body.text).toBe("No dispute D-NOPE99 that you can see.");
    });
  });

  describe("proactive delivery to people who never installed the app", () => {
    it("Teams refuses to start a chat (not installed): the alert goes by mail, and the outbox says so", async () => {
      connector.refuseNewChats = true;
      try {
        const { disputeId } = await raiseInChat(4, "MOS-300003");
        const d = await stored(disputeId);
        expect(d.stages.at(-1)!.assignee.id).toBe(patti.id);
        const entries = await settle(disputeId);
        const alert = entries.find((e) => e.effect.kind === "notify" && e.effect.notice === "alert")!;
        expect(alert.status).toBe("delivered");
        expect(alert.detail).toBe("by mail instead: Teams: Teams said 403");
        const create = connector.calls.filter((c) => c.method === "POST" && c.path === "/v3/conversations" && c.body?.members?.[0]?.id === patti.id);
        expect(create).toHaveLength(1);
        expect(create[0]!.status).toBe(403);
        expect(create[0]!.body.tenantId).toBe(PLAYGROUND_TENANT_ID);
        const mail = (await listMailbox(app.tables, tenantId, { to: patti.upn, limit: 50 })).find((i) => i.disputeId === disputeId && i.notice === "alert");
        expect(mail?.kind).toBe("mail");
        // Teams by their names in the mail, as on the card.
        expect(mail?.text).toContain("Team: Children in Care Team 1");
        expect(mail?.text).not.toContain("demo-team");
        expect(await app.conversations.find(tenantId, patti.id)).toBeUndefined();
      } finally {
        connector.refuseNewChats = false;
      }
    });

    it("where Teams lets it, a new 1:1 chat is started, the card posted there and the chat remembered", async () => {
      const { disputeId } = await raiseInChat(5, "MOS-400004");
      expect((await stored(disputeId)).stages.at(-1)!.assignee.id).toBe(lynne.id);
      const entries = await settle(disputeId);
      const alert = entries.find((e) => e.effect.kind === "notify" && e.effect.notice === "alert")!;
      expect(alert.detail).toBe("Teams (new chat)");
      const create = connector.calls.filter((c) => c.method === "POST" && c.path === "/v3/conversations" && c.body?.members?.[0]?.id === lynne.id);
      expect(create).toHaveLength(1);
      const chat = create[0]!.answeredId!;
      const posted = connector.calls.filter((c) => c.method === "POST" && c.conversationId === chat);
      expect(posted).toHaveLength(1);
      const card = cardsOf(posted[0]!.body)[0]!;
      expect(disputeIdOf(card)).toBe(disputeId);
      expect(verbs(card)).toContain("respond");
      expect(posted[0]!.body.summary).toContain(disputeId);
      expect((await app.conversations.find(tenantId, lynne.id))?.conversation?.id).toBe(chat);

      // Two clicks of Acknowledge at once: both answered as done, applied once.
      const acknowledge = action(card, "acknowledge");
      const [a, b] = await Promise.all([invoke(lynne, "acknowledge", acknowledge.data, posted[0]!.answeredId), invoke(lynne, "acknowledge", acknowledge.data, posted[0]!.answeredId)]);
      for (const answer of [a, b]) expect(words(answeredCard(answer))).toContain("Acknowledged.");
      expect((await app.services.store.events(tenantId, disputeId)).filter((e) => e.action === "acknowledge")).toHaveLength(1);
    });
  });

  describe("good practice: feedback", () => {
    let praisedId = "";
    it("the IRO types feedback, fills in the small card, and the managers and the worker praised get a card in Teams and a mail", async () => {
      const form = repliedCard(await say(alex, "feedback"), alex);
      expect(verbs(form.card)).toEqual(["record-feedback"]);
      expect(words(form.card)).toContain("Record good practice");
      // Refused with the reason on the form, the entries kept.
      const bad = answeredCard(await invoke(alex, "record-feedback", { team: "demo-team", workerUpn: "nobody@example.com", childReference: "", feedback: "A fine visit." }, form.activityId));
      expect(words(bad)).toContain('Worker: nobody with the UPN "nobody@example.com" in this authority.');
      expect(verbs(bad)).toEqual(["record-feedback"]);
      const done = answeredCard(
        await invoke(alex, "record-feedback", { team: "demo-team", workerUpn: sam.upn, childReference: "MOS-100234", feedback: "Sam's life-story work with the child was exemplary." }, form.activityId),
      );
      const id = /Recorded (G-[0-9A-Z]{6})/.exec(words(done))?.[1];
      expect(id, words(done)).toBeTruthy();
      praisedId = id!;
      expect(words(done)).toContain("Sam's life-story work with the child was exemplary.");
      expect((await app.services.feedback.load(tenantId, id!))?.source).toBe("teams");

      const entries = await settle(id!);
      // Two managers and Sam, the worker praised: a card and a mail each.
      expect(entries.map((e) => e.status)).toEqual(["delivered", "delivered", "delivered", "delivered", "delivered", "delivered"]);
      expect(entries.filter((e) => e.effect.kind === "notify" && e.effect.to.upn === sam.upn)).toHaveLength(2);
      // The managers' cards and Sam's: the good-practice card, its pop-up naming only the record.
      const cards = connector.calls.filter((c) => c.method === "POST" && c.body?.summary === `Good practice noted – ${id}`);
      expect(cards).toHaveLength(3);
      for (const c of cards) expect(words(cardsOf(c.body)[0]!)).toContain("Good practice noted");
      const mails = (await listMailbox(app.tables, tenantId, { to: megan.upn, limit: 200 })).filter((i) => i.disputeId === id);
      expect(mails.map((m) => m.kind)).toEqual(["mail"]);
      const told = (await listMailbox(app.tables, tenantId, { to: sam.upn, limit: 200 })).filter((i) => i.disputeId === id);
      expect(told.map((m) => m.kind)).toEqual(["mail"]);
    });

    it("a manager replies from the good-practice card; the reply comes back to the IRO as a card in Teams and a mail", async () => {
      const sentCards = connector.calls.filter((c) => c.method === "POST" && c.body?.summary === `Good practice noted – ${praisedId}`).map((c) => cardsOf(c.body)[0]!);
      // The managers' cards offer Reply; the worker praised's does not.
      expect(sentCards.map((card) => verbs(card).includes("reply-feedback")).sort()).toEqual([false, true, true]);
      const refused = answeredCard(await invoke(megan, "reply-feedback", { feedbackId: praisedId, "feedback.reply": "   " }));
      expect(words(refused)).toContain("Not sent: reply: must not be empty");
      const done = answeredCard(await invoke(megan, "reply-feedback", { feedbackId: praisedId, "feedback.reply": "Thank you: I told Sam at supervision." }));
      expect(words(done)).toContain("Your reply went to Alex Wilber, in Teams and by mail.");
      expect(words(done)).toContain("Thank you: I told Sam at supervision.");
      const stored = await app.services.feedback.load(tenantId, praisedId);
      expect(stored?.replies?.map((r) => [r.by.upn, r.text])).toEqual([[megan.upn, "Thank you: I told Sam at supervision."]]);
      expect((await app.services.feedback.events(tenantId, praisedId)).at(-1)).toMatchObject({ action: "reply-positive-feedback", source: "teams" });
      await settle(praisedId);
      const back = connector.calls.filter((c) => c.method === "POST" && c.body?.summary === `Reply to good practice – ${praisedId}`);
      expect(back).toHaveLength(1);
      expect(words(cardsOf(back[0]!.body)[0]!)).toContain("Megan Bowen replied to the good practice you recorded.");
      expect(verbs(cardsOf(back[0]!.body)[0]!)).not.toContain("reply-feedback");
      const mails = (await listMailbox(app.tables, tenantId, { to: alex.upn, limit: 200 })).filter((i) => i.disputeId === praisedId && i.notice === "feedback-reply");
      expect(mails.map((m) => m.kind)).toEqual(["mail"]);
      // Someone it was not sent to is told there is none for them.
      const stranger = await invoke(sam, "reply-feedback", { feedbackId: praisedId, "feedback.reply": "Me too." });
      expect(JSON.stringify(stranger)).toContain(`No good practice ${praisedId} sent to you.`);
    });

    it("anyone but an IRO is told only IROs record it", async () => {
      const replies = await say(megan, "feedback");
      expect(replies[0]!.body.text).toBe("Only an IRO or CP chair records positive feedback.");
    });
  });

  describe("a chat opened after its alerts went by mail catches up with what waits on the person", () => {
    /** Opening the chat, as Teams (and the Playground) tell the bot. */
    const opening = (who: Person, type: "conversationUpdate" | "installationUpdate"): Json =>
      activity(who, type === "conversationUpdate" ? { type, membersAdded: [{ id: "28:bot" }, { id: `29:${who.key}` }] } : { type, action: "add" });
    /** Post the activities at once; what the bot sent in their turns. */
    async function open(...activities: Json[]): Promise<ConnectorCall[]> {
      const ids = new Set(activities.map((a) => a.id));
      const calls = await during(() => Promise.all(activities.map(async (a) => expect((await post(a)).status).toBe(200))));
      return calls.filter((c) => ids.has(c.activityId));
    }
    const alertOf = async (disputeId: string) => (await app.outbox.all(tenantId, disputeId)).find((e) => e.effect.kind === "notify" && e.effect.notice === "alert")!;
    /** Raise while Teams will not start a chat with the holder: the alert goes by mail. */
    async function raiseWhileUnreachable(startStage: number, references: string[]): Promise<string[]> {
      connector.refuseNewChats = true;
      try {
        const ids: string[] = [];
        for (const reference of references) ids.push((await raiseByApi(startStage, reference)).id);
        for (const id of ids) expect((await settle(id)) && (await alertOf(id)).detail).toBe("by mail instead: Teams: Teams said 403");
        return ids;
      } finally {
        connector.refuseNewChats = false;
      }
    }
    const alertCards = (calls: ConnectorCall[]) => calls.flatMap((c) => cardsOf(c.body)).filter((c) => verbs(c).includes("respond"));
    const texts = (calls: ConnectorCall[]) => calls.map((c) => c.body?.text).filter((t): t is string => typeof t === "string");

    it("Isaiah opens his chat: his alert cards arrive, newest first, kept current; opening again posts nothing new", async () => {
      // Raised for him in the first test, before anyone had a chat, and now a second one.
      const [second] = await raiseWhileUnreachable(3, ["MOS-500005"]);
      const waiting = (await app.services.store.list(tenantId, { kind: "assignee", personId: isaiah.id }, "open", 50)).items.map((s) => s.id);
      expect(waiting).toHaveLength(2);
      const first = waiting.find((id) => id !== second)!;
      const before = await Promise.all(waiting.map(alertOf));

      const calls = await open(opening(isaiah, "conversationUpdate"));
      expect(calls.every((c) => c.method === "POST" && c.conversationId === `a:${isaiah.key}`)).toBe(true);
      expect(texts(calls)).toEqual(["2 disputes are waiting on you that this chat has not shown yet, newest first:"]);
      const cards = alertCards(calls);
      expect(cards.map(disputeIdOf)).toEqual([second, first]);
      const posted = calls.find((c) => cardsOf(c.body).some((card) => disputeIdOf(card) === second))!;
      // The pop-up names the dispute and its stage, never the child.
      expect(posted.body.summary).toBe(`Waiting on you – dispute ${second}, stage 3`);
      expect(words(cards[0]!)).toContain("MOS-500005");
      expect((await app.conversations.card(tenantId, second!, isaiah.id))).toMatchObject({ activityId: posted.answeredId, reference: { conversation: { id: `a:${isaiah.key}` } } });
      // Nothing is marked delivered that was not: the alerts stay recorded as gone by mail.
      expect(await Promise.all(waiting.map(alertOf))).toEqual(before);

      // Opened again, and Teams' install after it: nothing new, the welcome only.
      expect(await open(opening(isaiah, "conversationUpdate"))).toEqual([]);
      const installed = await open(opening(isaiah, "installationUpdate"));
      expect(installed).toHaveLength(1);
      expect(words(cardsOf(installed[0]!.body)[0]!)).toContain("IRO dispute resolution and escalation");

      // He acknowledges on the card the catch-up posted; the relay keeps that card current.
      const answer = await invoke(isaiah, "acknowledge", action(cards[0]!, "acknowledge").data, posted.answeredId);
      expect(words(answeredCard(answer))).toContain("Acknowledged.");
      const updates = await during(() => settle(second!));
      expect(updates.some((c) => c.method === "PUT" && c.conversationId === `a:${isaiah.key}` && c.activityId === posted.answeredId)).toBe(true);
    });

    it("Teams' install and conversation update arriving together post Patti's waiting card once, after the welcome", async () => {
      const calls = await open(opening(patti, "installationUpdate"), opening(patti, "conversationUpdate"));
      const all = calls.flatMap((c) => cardsOf(c.body));
      expect(all.filter((c) => words(c).includes("IRO dispute resolution and escalation"))).toHaveLength(1);
      expect(alertCards(calls).map((c) => words(c).includes("MOS-300003"))).toEqual([true]);
      expect(texts(calls)).toEqual(["1 dispute is waiting on you that this chat has not shown yet, newest first:"]);
    });

    it("added to a group chat, the bot shows nobody's disputes there: the welcome only", async () => {
      const group = { conversation: { id: "19:case-discussion@thread.v2", conversationType: "groupChat", tenantId: PLAYGROUND_TENANT_ID } };
      const install = activity(patti, { type: "installationUpdate", action: "add", ...group });
      const update = activity(patti, { type: "conversationUpdate", membersAdded: [{ id: "28:bot" }], ...group });
      const calls = await open(install, update);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.conversationId).toBe(group.conversation.id);
      expect(words(cardsOf(calls[0]!.body)[0]!)).toContain("IRO dispute resolution and escalation");
    });

    it("someone with nothing waiting gets the ordinary welcome only", async () => {
      const calls = await open(opening(sam, "installationUpdate"), opening(sam, "conversationUpdate"));
      expect(calls).toHaveLength(1);
      expect(words(cardsOf(calls[0]!.body)[0]!)).toContain("IRO dispute resolution and escalation");
    });

    it("a first message from a new chat is answered, then at most 10 cards follow with how many more wait and where", async () => {
      const ids = await raiseWhileUnreachable(2, Array.from({ length: 12 }, (_, i) => `MOS-6000${String(i).padStart(2, "0")}`));
      const replies = await say(adele, "help");
      expect(words(cardsOf(replies[0]!.body)[0]!)).toContain("my disputes");
      expect(texts(replies)).toEqual([
        "12 disputes are waiting on you that this chat has not shown yet, newest first:",
        '2 more are waiting on you: see "Waiting on me" in the Resolve tab.',
      ]);
      expect(alertCards(replies).map(disputeIdOf)).toEqual(ids.slice(2).reverse());
      // The chat is known now: the next message is answered alone.
      expect(await say(adele, "help")).toHaveLength(1);
    }, 60_000);
  });

  it("'my disputes' of someone covering lists the holder's disputes awaiting an answer, as covering for them", async () => {
    const admin = { "content-type": "application/json", "x-resolve-dev-user": demoPeople.rowan.upn };
    const today = londonDate(app.services.clock.now());
    const cover = await fetch(`${host.url}/api/admin/cover/${megan.upn}`, { method: "PUT", headers: admin, body: JSON.stringify({ coverUpn: adele.upn, from: today, until: today }) });
    expect(cover.status).toBe(200);
    try {
      const { id } = await raiseByApi(1, "MOS-700007");
      const mine = words(repliedCard(await say(adele, "my disputes"), adele).card);
      expect(mine).toContain(id);
      expect(mine).toMatch(/Covering for Megan Bowen: your answer is needed by/);
      expect(words(repliedCard(await say(megan, "my disputes"), megan).card)).not.toContain("Covering for");
    } finally {
      expect((await fetch(`${host.url}/api/admin/cover/${megan.upn}`, { method: "DELETE", headers: admin })).status).toBe(200);
    }
  });

  describe("a notice's card: the reader's actions, answered as the notice", () => {
    const noticeCards = (who: Person, disputeId: string, notice: string) =>
      connector.calls
        .filter((c) => c.method === "POST")
        .flatMap((c) => cardsOf(c.body).map((card) => ({ card, activityId: c.answeredId! })))
        // A notice refreshes for its reader alone: that says whose chat it went to.
        .filter(({ card }) => disputeIdOf(card) === disputeId && JSON.stringify(card).includes(`"notice":"${notice}"`) && (card.refresh as { userIds?: string[] } | undefined)?.userIds?.[0] === who.id);
    const recordOf = async (disputeId: string) => {
      const r = await fetch(`${host.url}/api/disputes/${disputeId}/record?format=html`, { headers: { "x-resolve-dev-user": alex.upn } });
      expect(r.status).toBe(200);
      return r.text();
    };
    let disputeId: string;
    let formActivityId: string;

    it("the IRO told of Megan's answer escalates from the notice, with the child's voice: it lands in the record, and the answer is the notice again", async () => {
      ({ disputeId, formActivityId } = await raiseInChat(1, "MOS-500005"));
      await settle(disputeId);
      const version = (await stored(disputeId)).version;
      answeredCard(await invoke(megan, "respond", { disputeId, version, "respond.response": "Allocation is planned.", "respond.actionsAgreed": "", "respond.completionDate": "" }));
      await settle(disputeId);
      const found = noticeCards(alex, disputeId, "response-received");
      expect(found).toHaveLength(1);
      const notice = found[0]!;
      expect(words(notice.card)).toContain(`Megan Bowen answered stage 1 (Team Manager) of dispute ${disputeId}`);
      expect(words(notice.card)).toContain("Answered by Megan Bowen: waiting for Alex Wilber (IRO) to decide");
      expect(verbs(notice.card)).toEqual(expect.arrayContaining(["resolve", "escalate", "hold"]));
      expect(JSON.stringify(notice.card)).not.toContain('"title":"Open ');
      expect(notice.card.refresh).toMatchObject({ userIds: [alex.id], action: { verb: "refresh", data: { disputeId, notice: "response-received" } } });

      const escalate = action(notice.card, "escalate");
      expect(escalate.data).toEqual({ disputeId, version: (await stored(disputeId)).version, notice: "response-received" });
      // As Teams sends it: the card's data and every input of the escalate form, by input id.
      const typed = {
        "escalate.toStage": "2",
        "escalate.rationale": "The allocation has no date.",
        "escalate.timescaleDays": "",
        "escalate.childVoice.told": "true",
        "escalate.childVoice.wishesAndFeelings": "J.S. wants a worker who stays.",
        "escalate.childVoice.advocacyOffered": "true",
        "escalate.childVoice.routesExplained": "false",
      };
      const answer = answeredCard(await invoke(alex, "escalate", { ...escalate.data, ...typed }, notice.activityId));
      expect(words(answer)).toContain("Escalated.");
      expect(words(answer)).toContain(`Megan Bowen answered stage 1 (Team Manager) of dispute ${disputeId}`);
      expect(words(answer)).toContain("Waiting for Adele Vance to respond");
      expect(answer.refresh).toMatchObject({ userIds: [alex.id], action: { data: { disputeId, notice: "response-received" } } });

      const d = await stored(disputeId);
      expect(d.stage).toBe(2);
      expect(d.childVoice).toEqual([
        { stage: 1, on: "escalate", told: true, wishesAndFeelings: "J.S. wants a worker who stays.", advocacyOffered: true, routesExplained: false, by: expect.objectContaining({ id: alex.id }), at: expect.any(String) },
      ]);
      const events = await app.services.store.events(tenantId, disputeId);
      expect(events.find((e) => e.action === "escalate")?.detail.childVoice).toEqual({ told: true, wishesAndFeelings: "J.S. wants a worker who stays.", advocacyOffered: true, routesExplained: false });
      const record = await recordOf(disputeId);
      expect(record).toContain("Child told: Yes; advocacy offered: Yes; complaints and legal advice routes explained: No");
      expect(record).toContain("J.S. wants a worker who stays.");
      // The notice is not kept as Alex's card of the dispute: his alert (the raise form it became) still is.
      expect((await app.conversations.cards(tenantId, disputeId)).find((c) => c.personId === alex.id)?.activityId).toBe(formActivityId);
      // Teams' refresh of the notice answers with the notice as it stands now, for its reader.
      const refreshed = answeredCard(await invoke(alex, "refresh", (notice.card.refresh as { action: { data: Json } }).action.data, notice.activityId));
      expect(words(refreshed)).toContain(`Megan Bowen answered stage 1 (Team Manager) of dispute ${disputeId}`);
      expect(words(refreshed)).toContain("Waiting for Adele Vance to respond");
    });

    it("a refused resolve from the notice comes back as the notice, the child's voice as typed; a good one records it", async () => {
      const found = noticeCards(alex, disputeId, "response-received")[0]!;
      const stale = action(found.card, "resolve");
      const typed = {
        "resolve.outcome": "Allocated to Sam from Monday.",
        "resolve.childVoice.told": "true",
        "resolve.childVoice.wishesAndFeelings": "",
        "resolve.childVoice.advocacyOffered": "false",
        "resolve.childVoice.routesExplained": "true",
      };
      const refused = answeredCard(await invoke(alex, "resolve", { ...stale.data, ...typed }, found.activityId));
      expect(words(refused)).toContain("has changed since this was shown");
      expect(JSON.stringify(refused)).toContain('"notice":"response-received"');
      const kept = (refused.body as Json[]).find((e) => e.id === "typed");
      expect(JSON.stringify(kept)).toContain('"id":"resolve.childVoice.routesExplained"');
      expect(JSON.stringify(kept)).toMatch(/"id":"resolve\.childVoice\.told"[^}]*"value":"true"/);
      expect((await stored(disputeId)).state).toBe("awaiting-response");

      const resolve = action(refused, "resolve");
      expect(resolve.data).toEqual({ disputeId, version: (await stored(disputeId)).version, notice: "response-received" });
      const done = answeredCard(await invoke(alex, "resolve", { ...resolve.data, ...typed }, found.activityId));
      expect(words(done)).toContain("Resolved and closed.");
      expect(verbs(done)).not.toContain("resolve");
      expect(verbs(done)).not.toContain("escalate");
      const d = await stored(disputeId);
      expect(d.state).toBe("resolved");
      expect(d.childVoice?.at(-1)).toMatchObject({ stage: 2, on: "resolve", told: true, advocacyOffered: false, routesExplained: true });
      expect(d.childVoice?.at(-1)).not.toHaveProperty("wishesAndFeelings");
      expect(await recordOf(disputeId)).toContain("Child told: Yes; advocacy offered: No; complaints and legal advice routes explained: Yes");
    });

    it("told of the resolution, the holder reads the notice with the alert's facts and no button: nothing is left to do", async () => {
      await settle(disputeId);
      const [told] = noticeCards(adele, disputeId, "resolved");
      expect(told, "no 'resolved' notice reached Adele in Teams").toBeDefined();
      expect(words(told!.card)).toContain(`Dispute ${disputeId} was resolved by Alex Wilber`);
      expect(words(told!.card)).toContain("Resolved by Alex Wilber");
      expect(words(told!.card)).toContain("MOS-500005 · J.S.");
      expect(verbs(told!.card)).toEqual(["refresh"]);
      expect(JSON.stringify(told!.card)).not.toContain('"type":"ActionSet"');
      expect(told!.card.refresh).toMatchObject({ userIds: [adele.id], action: { verb: "refresh", data: { disputeId, notice: "resolved", role: "service-manager" } } });
    });
  });

  it("every card the bot sent or answered with parses, validates and renders in the adaptivecards library", () => {
    const sent = connector.calls.flatMap((c, i) => cardsOf(c.body).map((card) => ({ card, where: `${c.method} ${c.path} (#${i})` })));
    expect(sent.length).toBeGreaterThan(10);
    expect(answeredCards.length).toBeGreaterThan(10);
    for (const { card, where } of [...sent, ...answeredCards]) expectCleanCard(card, where);
  });
});
