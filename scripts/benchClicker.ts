/**
 * The far side of `npm run bench:invoke`, on a thread of its own so that its work is not counted
 * against the host: Teams (the managers clicking, over HTTP to /api/messages) and the Bot Connector
 * (answering every post and update with an activity id, keeping the alert cards it was sent).
 * Driven by messages from the bench: `connector` → its URL; `cards` → the alert cards posted to a
 * conversation; `post` → one activity sent, its answer; `clicks` → clicks sent at once, each timed
 * from the POST to the refreshed card in its answer.
 */
import { Agent, type IncomingMessage, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { parentPort } from "node:worker_threads";

type Json = Record<string, unknown>;
export type Click = { verb: string; disputeId: string; card: unknown; activityId: string; inputs: Json };
export type Request =
  | { kind: "connector" }
  | { kind: "cards"; conversationId: string; verb: string }
  | { kind: "post"; url: string; body: Json }
  | { kind: "clicks"; url: string; activity: Json; clicks: Click[] };

/** The data of the card's Action.Execute with this verb. */
export function executes(card: unknown, verb: string): Json | undefined {
  let found: Json | undefined;
  const walk = (node: unknown) => {
    if (found || !node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(walk);
    const o = node as Json;
    if (o.type === "Action.Execute" && o.verb === verb) found = (o.data ?? {}) as Json;
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

const posted: { conversationId: string; id: string; body: Json }[] = [];
let connectorUrl: string | undefined;

async function startConnector() {
  let n = 0;
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Json) : {};
  };
  const server = createServer((req, res) => {
    void read(req).then((body) => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?/.exec(req.url ?? "");
      const id = req.method === "PUT" && m?.[2] ? decodeURIComponent(m[2]) : `1:${++n}`;
      if (req.method === "POST" && m) posted.push({ conversationId: decodeURIComponent(m[1]!), id, body });
      res.writeHead(req.method === "POST" && !m ? 201 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: m ? id : `a:chat-${n}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Connections kept open between clicks, as Teams keeps its own to the bot. */
const agent = new Agent({ keepAlive: true });

function post(url: string, body: Json): Promise<{ statusCode: number; type: string; value: Json } | null> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode !== 200) return reject(new Error(`/api/messages answered ${res.statusCode}: ${text}`));
        try {
          resolve(text ? JSON.parse(text) : null);
        } catch {
          resolve(null);
        }
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

async function click(url: string, activity: Json, c: Click) {
  const data = executes(c.card, c.verb);
  if (!data) throw new Error(`${c.disputeId}: no ${c.verb} on the card`);
  const body = { ...activity, id: `f:${crypto.randomUUID()}`, timestamp: new Date().toISOString(), type: "invoke", name: "adaptiveCard/action", replyToId: c.activityId, value: { action: { type: "Action.Execute", verb: c.verb, data: { ...data, ...c.inputs } }, trigger: "manual" } };
  const start = performance.now();
  const answer = await post(url, body);
  const ms = performance.now() - start;
  if (answer?.type !== "application/vnd.microsoft.card.adaptive") throw new Error(`${c.disputeId}: ${c.verb} answered ${JSON.stringify(answer)}`);
  return { ms, card: answer.value };
}

async function answer(request: Request): Promise<unknown> {
  switch (request.kind) {
    case "connector":
      return (connectorUrl ??= await startConnector());
    case "cards": {
      const cards: Record<string, { activityId: string; card: unknown }> = {};
      for (const p of posted) {
        const attachment = (p.body.attachments as { content: unknown }[] | undefined)?.[0];
        const data = attachment && executes(attachment.content, request.verb);
        if (p.conversationId === request.conversationId && data) cards[String(data.disputeId)] = { activityId: p.id, card: attachment.content };
      }
      return cards;
    }
    case "post":
      return post(request.url, request.body);
    case "clicks":
      return Promise.all(request.clicks.map((c) => click(request.url, request.activity, c)));
  }
}

parentPort?.on("message", ({ id, request }: { id: number; request: Request }) => {
  answer(request).then(
    (value) => parentPort!.postMessage({ id, value }),
    (e: Error) => parentPort!.postMessage({ id, error: e.message }),
  );
});
