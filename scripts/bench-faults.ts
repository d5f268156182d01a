/**
 * npm run bench:faults: the delivery and idempotency guarantees under injected faults, on a real
 * Azurite, with the Bot Connector and Graph stand-ins over HTTP(S) (test/fixtures). For each fault:
 * requests sent, transitions applied (and doubled), notices expected / delivered / doubled / lost /
 * parked, the most copies of one mail any recipient got, and entries left pending without a work
 * marker after the auditor ran. Targets: 0 lost, 0 doubled transitions, at most 1 duplicate mail
 * for any recipient, 0 pending without a marker.
 */
import type { FetchOptions } from "@microsoft/microsoft-graph-client";
import { createRoutingSink, createTeamsSink } from "../bot/teamsSink";
import { createGraphClient, createGraphSink } from "../functions/adapters/graphSink";
import { type App, composeApp } from "../functions/compose";
import { demoAuthority, demoPeople } from "../functions/demo/demoAuthority";
import type { DirectoryPerson } from "../functions/ports";
import { readSettings } from "../functions/settings";
import { actOnDispute } from "../functions/usecases/act";
import { runAuditor } from "../functions/usecases/auditor";
import { raiseDispute } from "../functions/usecases/raise";
import { type RelayDeps, relay } from "../functions/usecases/relay";
import type { Services } from "../functions/usecases/services";
import { sweep } from "../functions/usecases/sweep";
import { type ConnectorFault, type ConnectorStandIn, startConnectorStandIn } from "../test/fixtures/connectorStandIn";
import { type GraphStandIn, SENDER, TOKEN, startGraphStandIn } from "../test/fixtures/graphStandIn";
import { startAzurite } from "./azurite";

const DISPUTES = Number(process.env.BENCH_FAULT_DISPUTES ?? 20);
const CONCURRENT = Number(process.env.BENCH_FAULT_ACTIONS ?? 1000);
const START = new Date("2027-01-11T09:00:00Z");

const details = {
  child: { reference: "MOS-500555", initials: "C.D.", legalStatus: "looked-after", team: "demo-team" },
  category: "statutory-responsibilities",
  reason: "no-allocated-social-worker",
  concerns: "No allocated social worker since the review.",
  outcomesSought: "Allocate a social worker within 5 working days.",
};

interface Row {
  fault: string;
  requests: number;
  transitions: number;
  "doubled transitions": number;
  "notices expected": number;
  delivered: number;
  doubled: number;
  lost: number;
  parked: number;
  /** Not sent because the dispute moved on first (an alert for a stage already escalated). */
  dropped: number;
  "max copies of a mail": number;
  "pending without marker": number;
}

interface World {
  app: App;
  connector: ConnectorStandIn;
  graph: GraphStandIn;
}

/** An authority of its own for one fault, everyone reachable in Teams through the connector stand-in. */
async function authority(world: World, name: string) {
  const { app, connector, graph } = world;
  const tenantId = `faults-${name}`;
  await app.directory.seed(demoAuthority("lambeth", tenantId, `${tenantId}-entra`));
  for (const p of Object.values(demoPeople)) {
    await app.conversations.save(tenantId, p.id, { serviceUrl: connector.url, channelId: "msteams", conversation: { id: `a:${tenantId}:${p.id}` } as never, bot: { id: "resolve", name: "Resolve" } });
  }
  const services: Services = { ...app.services, directory: { ...app.services.directory, tenants: async () => [(await app.services.directory.tenant(tenantId))!] } };
  const client = createGraphClient({
    authProvider: { getAccessToken: async () => TOKEN },
    baseUrl: graph.base,
    customHosts: ["127.0.0.1"],
    timeoutMs: 1_000,
    retry: { maxRetries: 1, delaySeconds: 0, maxInlineWaitSeconds: 1 },
    fetchOptions: { dispatcher: graph.dispatcher } as unknown as FetchOptions,
  });
  const mail = createGraphSink({ client, senderMailbox: SENDER, now: () => app.services.clock.now() });
  const teams = createTeamsSink({ adapter: (await app.bot()).adapter, appId: "", services, conversations: app.conversations, timeoutMs: 3_000 });
  const deps: RelayDeps = { services, outbox: app.outbox, sink: createRoutingSink({ mail, teams }) };
  return { tenantId, services, deps };
}

type Authority = Awaited<ReturnType<typeof authority>>;

async function raiseMany(a: Authority, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await raiseDispute(a.services, { tenantId: a.tenantId, raisedBy: demoPeople.alex, source: "api", details });
    if (!r.ok) throw new Error(r.error.message);
    ids.push(r.value.dispute.id);
  }
  return ids;
}

/** Relay until nothing is left to do, moving the clock past each wait (Retry-After, backoff). */
async function drain(world: World, a: Authority, relays = 1) {
  // Retries fall due at different moments (jitter): enough rounds for every attempt of every entry.
  for (let round = 0; round < 400; round++) {
    await Promise.all(Array.from({ length: relays }, () => relay(a.deps)));
    const markers = await world.app.outbox.work(a.tenantId);
    if (!markers.length) return;
    const next = markers.map((m) => m.dueAt).filter((x): x is string => !!x).sort()[0];
    if (next) world.app.setClock(new Date(Math.max(new Date(next).getTime(), world.app.services.clock.now().getTime()) + 1000));
  }
}

async function measure(world: World, a: Authority, fault: string, ids: string[], requests: number, expectedTransitions: number): Promise<Row> {
  const { app, connector, graph } = world;
  await runAuditor({ ...a.deps, heartbeat: app.heartbeat, periodMs: 5 * 60_000 });
  let transitions = 0;
  let doubledTransitions = 0;
  let expected = 0;
  let delivered = 0;
  let parked = 0;
  let dropped = 0;
  let lost = 0;
  let pendingWithoutMarker = 0;
  const viaTeams = new Map<string, number>();
  const markers = new Set((await app.outbox.work(a.tenantId)).map((m) => m.disputeId));
  for (const id of ids) {
    const events = await app.services.store.events(a.tenantId, id);
    transitions += events.length - 1;
    // The same person's same action on the same stage twice is a doubled transition.
    const seen = new Set<string>();
    for (const e of events) {
      const key = `${e.actor?.id}|${e.action}|${e.from.stage}|${e.from.state}`;
      if (e.action !== "add-note" && seen.has(key)) doubledTransitions++;
      seen.add(key);
    }
    for (const entry of await app.outbox.all(a.tenantId, id)) {
      if (entry.effect.kind !== "notify") continue;
      expected++;
      if (entry.status === "delivered") delivered++;
      if (entry.status === "failed") parked++;
      if (entry.status === "dropped") dropped++;
      if (entry.status === "pending" && !markers.has(id)) pendingWithoutMarker++;
      if (entry.status === "delivered" && entry.detail === "Teams") viaTeams.set(entry.effect.to.id, (viaTeams.get(entry.effect.to.id) ?? 0) + 1);
    }
  }
  // Mail: exact, by the effect id Graph holds. Teams: what each person's chat received against what was recorded as sent there.
  const copies = new Map<string, number>();
  for (const m of graph.graph.inbox) if (m.effectId && ids.includes(m.effectId.split(":")[0]!)) copies.set(`${m.to}|${m.effectId}`, (copies.get(`${m.to}|${m.effectId}`) ?? 0) + 1);
  let doubled = [...copies.values()].reduce((n, c) => n + c - 1, 0);
  for (const person of Object.values(demoPeople)) {
    const received = connector.delivered().filter((c) => c.method === "POST" && c.conversationId === `a:${a.tenantId}:${person.id}`).length;
    const recorded = viaTeams.get(person.id) ?? 0;
    doubled += Math.max(0, received - recorded);
    lost += Math.max(0, recorded - received);
  }
  lost += pendingWithoutMarker;
  lost += Math.max(0, expectedTransitions - transitions);
  return {
    fault,
    requests,
    transitions,
    "doubled transitions": doubledTransitions + Math.max(0, transitions - expectedTransitions),
    "notices expected": expected,
    delivered,
    doubled,
    lost,
    parked,
    dropped,
    "max copies of a mail": Math.max(0, ...copies.values()),
    "pending without marker": pendingWithoutMarker,
  };
}

async function teamsFault(world: World, name: string, fault: ConnectorFault, times: number): Promise<Row> {
  world.app.setClock(START);
  const a = await authority(world, name);
  const ids = await raiseMany(a, DISPUTES);
  world.connector.fail(fault, times, "POST");
  await drain(world, a);
  world.connector.heal();
  await drain(world, a);
  return measure(world, a, `Teams ${fault}${fault === "429" ? " + Retry-After" : ""} (${times === Infinity ? "always" : `${times} sends`})`, ids, DISPUTES, 0);
}

async function graphFault(world: World, name: string, label: string, inject: () => void): Promise<Row> {
  world.app.setClock(START);
  const a = await authority(world, name);
  const ids = await raiseMany(a, DISPUTES);
  inject();
  await drain(world, a);
  world.graph.graph.script = [];
  await drain(world, a);
  return measure(world, a, `Graph ${label}`, ids, DISPUTES, 0);
}

/** Several relays, sweeps and auditors at once, with Teams and Graph both failing some of the time. */
async function manyAtOnce(world: World): Promise<Row> {
  world.app.setClock(START);
  const a = await authority(world, "many");
  const ids = await raiseMany(a, DISPUTES);
  world.connector.fail("503", 10, "POST");
  world.graph.graph.inject("POST", "/send", "store-then-504", 10);
  for (let round = 0; round < 6; round++) {
    await Promise.all([
      relay(a.deps),
      relay(a.deps),
      relay(a.deps),
      sweep(a.services),
      sweep(a.services),
      runAuditor({ ...a.deps, heartbeat: world.app.heartbeat, periodMs: 5 * 60_000 }),
    ]);
    world.app.setClock(new Date(world.app.services.clock.now().getTime() + 10 * 60_000));
  }
  world.connector.heal();
  world.graph.graph.script = [];
  await drain(world, a, 3);
  return measure(world, a, "3 relays + 2 sweeps + auditor at once", ids, DISPUTES, 0);
}

/** 1,000 identical requests at once: each dispute's IRO escalates it several times over. */
async function identical(world: World): Promise<Row> {
  world.app.setClock(START);
  const a = await authority(world, "identical");
  const ids = await raiseMany(a, DISPUTES);
  const act = (id: string, person: DirectoryPerson, body: object) => actOnDispute(a.services, { tenantId: a.tenantId, disputeId: id, person, source: "api", body });
  const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => act(ids[i % ids.length]!, demoPeople.alex, { action: "escalate", rationale: "No answer." })));
  const busy = results.filter((r) => !r.ok && r.error.code === "busy").length;
  await drain(world, a);
  const row = await measure(world, a, `${CONCURRENT} identical escalates at once (${busy} answered busy)`, ids, CONCURRENT, ids.length);
  return row;
}

/** 1,000 conflicting requests at once: the manager answers, asks for more time, the IRO escalates, holds, notes. */
async function conflicting(world: World): Promise<Row> {
  world.app.setClock(START);
  const a = await authority(world, "conflicting");
  const ids = await raiseMany(a, DISPUTES);
  const bodies: [DirectoryPerson, object][] = [
    [demoPeople.megan, { action: "respond", response: "Allocated from Monday." }],
    [demoPeople.megan, { action: "request-more-time", days: 3, reason: "Panel on Friday." }],
    [demoPeople.alex, { action: "escalate", rationale: "Too slow." }],
    [demoPeople.alex, { action: "hold", until: "2027-01-20", actionsAgreed: "Weekly visits." }],
    [demoPeople.alex, { action: "add-note", note: "Called the manager." }],
  ];
  const results = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) => {
      const [person, body] = bodies[i % bodies.length]!;
      return actOnDispute(a.services, { tenantId: a.tenantId, disputeId: ids[Math.floor(i / bodies.length) % ids.length]!, person, source: "api", body });
    }),
  );
  const applied = results.filter((r) => r.ok && !r.value.repeated).length;
  await drain(world, a);
  // Every command answered "applied" (not a repeat) is one transition, and no other transition exists.
  return measure(world, a, `${CONCURRENT} conflicting actions at once (${applied} applied)`, ids, CONCURRENT, applied);
}

async function main() {
  const azurite = await startAzurite({});
  const connector = await startConnectorStandIn();
  const graph = await startGraphStandIn();
  try {
    const app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: azurite.connectionString, RESOLVE_DEV_TENANT: "faults" }));
    (await app.bot()).adapter.onTurnError = async () => {};
    const world: World = { app, connector, graph };
    const rows: Row[] = [];
    const only = process.env.BENCH_FAULTS_ONLY;
    const run = async (row: () => Promise<Row>, name: string) => {
      if (only && !new RegExp(only).test(name)) return;
      const done = await row();
      console.error(`${done.fault}: done`);
      rows.push(done);
    };
    await run(() => teamsFault(world, "t403", "403", Infinity), "t403");
    await run(() => teamsFault(world, "t404", "404", Infinity), "t404");
    await run(() => teamsFault(world, "t429", "429", DISPUTES), "t429");
    await run(() => teamsFault(world, "t503", "503", Infinity), "t503");
    await run(() => teamsFault(world, "thang", "hang", 5), "thang");
    await run(() => graphFault(world, "g429", "429 + Retry-After (every create, once each)", () => graph.graph.inject("POST", /\/messages$/, { status: 429, headers: { "Retry-After": "30" }, body: { error: { code: "TooManyRequests", message: "Slow down" } } }, DISPUTES * 2)), "g429");
    await run(() => graphFault(world, "g503", "503 (every send, twice)", () => graph.graph.inject("POST", "/send", { status: 503, body: { error: { code: "ServiceUnavailable", message: "Down" } } }, DISPUTES * 4)), "g503");
    await run(() => graphFault(world, "g504", "504 after storing (every create and send)", () => {
      graph.graph.inject("POST", /\/messages$/, "store-then-504", DISPUTES * 2);
      graph.graph.inject("POST", "/send", "store-then-504", DISPUTES * 2);
    }), "g504");
    await run(() => manyAtOnce(world), "many");
    await run(() => identical(world), "identical");
    await run(() => conflicting(world), "conflicting");
    console.table(rows);
    const bad = rows.filter((r) => r.lost || r["doubled transitions"] || r["max copies of a mail"] > 2 || r["pending without marker"]);
    console.log(bad.length ? `Targets missed: ${bad.map((r) => r.fault).join("; ")}` : "Targets met: 0 lost, 0 doubled transitions, at most 1 duplicate mail for any recipient, 0 pending without a marker.");
    process.exitCode = bad.length ? 1 : 0;
  } finally {
    await connector.stop();
    await graph.stop();
    await azurite.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
