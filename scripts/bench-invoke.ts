/**
 * npm run bench:invoke: what a manager waits for after clicking on the alert card. On a fresh
 * Azurite, disputes are raised and their alerts posted to the team manager through a Bot Connector
 * stand-in (in this process); then Acknowledge and Respond clicks go as Teams `adaptiveCard/action`
 * invokes over real HTTP to /api/messages on the local host. First a few alone, counting the storage
 * requests and round trips made while the person waits (target ≤ 4 round trips) and what the relay
 * then makes per effect delivered; then N more, 16 at a time, timed from the POST to the refreshed
 * card in its answer (the transition committed). Prints p50 / p95 (target p95 ≤ 150 ms) and exits 1
 * when a target is missed. Not a test.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { startAzurite } from "./azurite";

/** Managers clicking at the same moment; the disputes clicked on alone first; the disputes clicked on in all. */
const WIDTH = 16;
const ALONE = 8;
const N = Number(process.env.BENCH_DISPUTES ?? 160);
const TENANT = "bench";
const TARGET_P95_MS = 150;
const TARGET_TRIPS = 4;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

type Json = Record<string, unknown>;

/** The Bot Connector, as far as the bot uses it: every call answered with a new activity id. */
async function startConnector() {
  const posted: { conversationId: string; id: string; body: Json }[] = [];
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
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, posted, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

function executes(card: unknown, verb: string): Json | undefined {
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

async function main() {
  const azurite = await startAzurite({});
  const connector = await startConnector();
  process.env.RESOLVE_MODE = "local";
  process.env.RESOLVE_TABLES_CONNECTION = azurite.connectionString;
  process.env.RESOLVE_DEV_TENANT = TENANT;
  for (const k of ["WEBSITE_INSTANCE_ID", "MicrosoftAppId", "MicrosoftAppPassword", "RESOLVE_API_AUDIENCE", "RESOLVE_MAIL_SENDER", "RESOLVE_GRAPH_CLIENT_SECRET", "RESOLVE_GRAPH_MANAGED_IDENTITY"]) delete process.env[k];
  // Quiet the Functions library's test-mode warnings about skipped registrations.
  const warn = console.warn;
  console.warn = () => {};
  await import("../functions/index");
  console.warn = warn;
  const { getApp } = await import("../functions/compose");
  const { startLocalHost } = await import("../functions/host/localHost");
  const { PLAYGROUND_TENANT_ID, demoPeople } = await import("../functions/demo/demoAuthority");
  const { raiseDispute } = await import("../functions/usecases/raise");

  const app = await getApp();
  const host = await startLocalHost({ port: 0 });
  try {
    const megan = demoPeople.megan;
    const activity = (fields: Json): Json => ({
      type: "message",
      id: `f:${randomUUID()}`,
      timestamp: new Date().toISOString(),
      channelId: "msteams",
      serviceUrl: connector.url,
      from: { id: "29:megan", name: megan.displayName, aadObjectId: megan.id },
      recipient: { id: "28:bot", name: "Resolve" },
      conversation: { id: "a:megan", conversationType: "personal", tenantId: PLAYGROUND_TENANT_ID },
      channelData: { tenant: { id: PLAYGROUND_TENANT_ID } },
      ...fields,
    });
    const post = async (body: Json) => {
      const res = await fetch(`${host.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`/api/messages answered ${res.status}: ${await res.text()}`);
      return (await res.json().catch(() => null)) as { statusCode: number; type: string; value: Json } | null;
    };

    // The team manager installs the app: her chat is where the alerts go.
    await post(activity({ type: "installationUpdate", action: "add" }));

    const details = {
      child: { reference: "MOS-100234", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
      category: "statutory-responsibilities",
      reason: "no-allocated-social-worker",
      concerns: "No allocated social worker since the review on 4 January.",
      outcomesSought: "Allocate a social worker within 5 working days.",
    };
    const ids: string[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 1 + ALONE + N; i++) {
      const r = await raiseDispute(app.services, { tenantId: TENANT, raisedBy: demoPeople.alex, source: "teams", details });
      if (!r.ok) throw new Error(r.error.message);
      ids.push(r.value.dispute.id);
    }
    for (let delivered = -1; delivered !== 0; ) delivered = (await app.relayAll()).delivered;
    const cards = new Map<string, { activityId: string; card: unknown }>();
    for (const p of connector.posted) {
      const attachment = (p.body.attachments as { content: unknown }[] | undefined)?.[0];
      const data = attachment && executes(attachment.content, "acknowledge");
      if (p.conversationId === "a:megan" && data) cards.set(String(data.disputeId), { activityId: p.id, card: attachment.content });
    }
    if (cards.size !== ids.length) throw new Error(`${cards.size} alert cards reached the manager's chat, not ${ids.length}`);
    console.log(`raised ${ids.length} disputes and posted their alerts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const latencies: Record<string, number[]> = { acknowledge: [], respond: [] };
    const click = async (verb: "acknowledge" | "respond", disputeId: string, card: unknown, activityId: string, inputs: Json = {}) => {
      const data = executes(card, verb);
      if (!data) throw new Error(`${disputeId}: no ${verb} on the card`);
      const start = performance.now();
      const answer = await post(activity({ type: "invoke", name: "adaptiveCard/action", replyToId: activityId, value: { action: { type: "Action.Execute", verb, data: { ...data, ...inputs } }, trigger: "manual" } }));
      const ms = performance.now() - start;
      if (answer?.type !== "application/vnd.microsoft.card.adaptive") throw new Error(`${disputeId}: ${verb} answered ${JSON.stringify(answer)}`);
      return { ms, card: answer.value };
    };
    const answer = { "respond.response": "A social worker is allocated from Monday.", "respond.actionsAgreed": "", "respond.completionDate": "" };
    const relayed = async () => {
      for (let delivered = -1; delivered !== 0; ) delivered = (await app.relayAll()).delivered;
    };

    // Alone, one at a time: what one click costs in storage while the person waits (round trips:
    // requests sent side by side count once), and what its relay then costs per effect delivered.
    const counter = app.tables.counter;
    counter.trips = 0;
    // Until storage has been quiet for a moment: the relay a click kicked has finished.
    const settled = async () => {
      for (let seen = -1; seen !== counter.count; ) {
        seen = counter.count;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const alone = { requests: [] as number[], trips: [] as number[], relayRequests: 0, delivered: 0 };
    for (const disputeId of ids.slice(0, 1 + ALONE)) {
      const posted = cards.get(disputeId)!;
      let card = posted.card;
      for (const verb of ["acknowledge", "respond"] as const) {
        await settled();
        const [r0, t0] = [counter.count, counter.trips];
        card = (await click(verb, disputeId, card, posted.activityId, verb === "respond" ? answer : {})).card;
        const [r1, t1] = [counter.count, counter.trips];
        // The click kicked the relay for 50 ms later: let it deliver this change, and count it.
        await settled();
        const r2 = counter.count;
        const d = (await app.services.store.load(TENANT, disputeId))!.dispute;
        const delivered = (await app.outbox.all(TENANT, disputeId)).filter((e) => e.status === "delivered" && e.effect.id.split(":").at(-2) === String(d.version)).length;
        if (disputeId === ids[0]) continue;
        alone.requests.push(r1 - r0);
        alone.trips.push(t1 - t0);
        Object.assign(alone, { relayRequests: alone.relayRequests + r2 - r1, delivered: alone.delivered + delivered });
      }
    }

    // Then WIDTH managers at once, again and again: the time from the POST to the refreshed card.
    const rest = ids.slice(1 + ALONE);
    for (let i = 0; i < rest.length; i += WIDTH) {
      const round = rest.slice(i, i + WIDTH);
      const acknowledged = await Promise.all(round.map((id) => click("acknowledge", id, cards.get(id)!.card, cards.get(id)!.activityId)));
      await relayed();
      const responded = await Promise.all(round.map((id, n) => click("respond", id, acknowledged[n]!.card, cards.get(id)!.activityId, answer)));
      await relayed();
      latencies.acknowledge!.push(...acknowledged.map((a) => a.ms));
      latencies.respond!.push(...responded.map((a) => a.ms));
    }
    for (const disputeId of ids) {
      const d = (await app.services.store.load(TENANT, disputeId))!.dispute;
      if (d.state !== "awaiting-decision" || !d.stages.at(-1)!.acknowledgedAt) throw new Error(`${disputeId}: not committed (${d.state})`);
    }

    // Let the relay the last clicks kicked finish before everything stops.
    await new Promise((r) => setTimeout(r, 300));
    await relayed();

    const rows = Object.entries(latencies).map(([action, l]) => {
      const sorted = [...l].sort((a, b) => a - b);
      return { action, n: sorted.length, p50_ms: +percentile(sorted, 50).toFixed(1), p95_ms: +percentile(sorted, 95).toFixed(1), max_ms: +sorted.at(-1)!.toFixed(1) };
    });
    const all = Object.values(latencies).flat().sort((a, b) => a - b);
    console.table(rows);
    const p95 = +percentile(all, 95).toFixed(1);
    // The median click: on a loaded machine the relay a click kicks (50 ms after its answer is ready)
    // can start before the answer reaches the caller, and adds its requests to that click's count.
    const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
    const perInvoke = { requests: median(alone.requests), round_trips: median(alone.trips) };
    const perEffect = +(alone.relayRequests / Math.max(1, alone.delivered)).toFixed(1);
    console.log(
      `${WIDTH} at once: p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${p95} ms (target ≤ ${TARGET_P95_MS} ms). ` +
        `Alone: ${perInvoke.requests} storage requests in ${perInvoke.round_trips} round trips while the person waits (target ≤ ${TARGET_TRIPS} round trips); ` +
        `its relay ${perEffect} requests per effect delivered (${alone.delivered} effects).`,
    );
    const met = p95 <= TARGET_P95_MS && perInvoke.round_trips <= TARGET_TRIPS;
    console.log(JSON.stringify({ width: WIDTH, invokes: all.length, p50_ms: +percentile(all, 50).toFixed(1), p95_ms: p95, target_p95_ms: TARGET_P95_MS, storage_requests_per_invoke: perInvoke.requests, round_trips_per_invoke: perInvoke.round_trips, target_round_trips: TARGET_TRIPS, relay_requests_per_effect: perEffect, met }));
    if (!met) process.exitCode = 1;
  } finally {
    await host.stop();
    await connector.stop();
    await azurite.stop();
  }
}

await main();
