import { beforeAll, describe, expect, inject, it } from "vitest";
import { type App, composeApp } from "../../functions/compose";
import { readSettings } from "../../functions/settings";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import type { DirectoryPerson, DisputeStore } from "../../functions/ports";
import { actOnDispute } from "../../functions/usecases/act";
import { raiseDispute } from "../../functions/usecases/raise";
import { runCommand } from "../../functions/usecases/runCommand";
import { listDisputes } from "../../functions/usecases/queries";
import type { Services } from "../../functions/usecases/services";
import { decide } from "../../shared/dispute/lifecycle";
import { currentStage } from "../../shared/dispute/disputeSchema";
import { waitingOn } from "../../shared/dispute/waitingOn";
import { actorOf } from "../../functions/usecases/actors";

const tenantId = `store-${Math.random().toString(36).slice(2, 8)}`;
let app: App;

const raiseBody = {
  child: { reference: "MOS-100234", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
  category: "statutory-responsibilities",
  reason: "no allocated social worker",
  concerns: "No allocated social worker since the review.",
  outcomesSought: "Allocate a social worker within 5 working days.",
  startStage: 1,
};

async function raise(services: Services = app.services, body: object = raiseBody, tenant = tenantId) {
  const r = await raiseDispute(services, { tenantId: tenant, raisedBy: demoPeople.alex, source: "api", details: body });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.dispute;
}

/** A store whose first `n` loads wait for each other: the callers then commit against the same version. */
function racing(store: DisputeStore, n: number): DisputeStore {
  let waiting: (() => void)[] = [];
  let arrived = 0;
  return {
    ...store,
    async load(t, id) {
      const loaded = await store.load(t, id);
      if (arrived < n) {
        arrived++;
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === n) {
            waiting.forEach((w) => w());
            waiting = [];
          }
        });
      }
      return loaded;
    },
  };
}

beforeAll(async () => {
  app = await composeApp(
    readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: tenantId }),
  );
  app.setClock(new Date("2026-12-21T10:00:00Z"));
});

describe("the dispute store on Azurite", () => {
  it("raises a dispute: state, its audit event and its outbox entries are read back", async () => {
    const d = await raise();
    const stored = await app.services.store.load(tenantId, d.id);
    expect(stored?.dispute).toEqual(d);
    expect(stored?.etag).toMatch(/.+/);
    const events = await app.services.store.events(tenantId, d.id);
    expect(events.map((e) => [e.action, e.version])).toEqual([["raise", 1]]);
    expect(d.stages[0]!.dueAt).toBe("2026-12-29T17:00:00.000Z");
  });

  it("two responders at once: exactly one wins, the other is told who answered first, the history has one response", async () => {
    const d = await raise();
    const services: Services = { ...app.services, store: racing(app.services.store, 2) };
    const respond = (text: string) =>
      actOnDispute(services, { tenantId, disputeId: d.id, person: demoPeople.megan, source: "teams", body: { action: "respond", response: text } });
    const [a, b] = await Promise.all([respond("First answer"), respond("Second answer")]);
    const outcomes = [a, b];
    expect(outcomes.filter((r) => r.ok)).toHaveLength(1);
    const loser = outcomes.find((r) => !r.ok);
    expect(loser && !loser.ok && loser.error.code).toBe("conflict");
    expect(loser && !loser.ok && loser.error.message).toMatch(/already answered by Megan Bowen on /);
    const events = await app.services.store.events(tenantId, d.id);
    expect(events.filter((e) => e.action === "respond")).toHaveLength(1);
    const stored = await app.services.store.load(tenantId, d.id);
    expect(stored?.dispute.version).toBe(2);
    // The loser wrote index rows for its own answer before losing: they now say what was committed,
    // and the decision now waits on the IRO.
    const listed = await app.services.store.list(tenantId, { kind: "assignee", personId: demoPeople.alex.id }, "all", 100);
    const row = listed.items.find((s) => s.id === d.id);
    expect([row?.version, row?.state]).toEqual([2, "awaiting-decision"]);
    expect(row?.waitingOn).toEqual([{ person: expect.objectContaining({ id: demoPeople.alex.id }), ask: "decide-answered", about: expect.objectContaining({ id: demoPeople.megan.id }) }]);
    const megans = await app.services.store.list(tenantId, { kind: "assignee", personId: demoPeople.megan.id }, "all", 100);
    expect(megans.items.map((s) => s.id)).not.toContain(d.id);
  });

  it("putting list rows right while someone commits never leaves them older than the commit", async () => {
    const d = await raise();
    const store = app.services.store;
    const load = store.load;
    let interleave = true;
    // Right after the repair has read the dispute, the IRO resolves it.
    store.load = async (t, id) => {
      const loaded = await load.call(store, t, id);
      if (interleave) {
        interleave = false;
        const r = await runCommand(app.services, { tenantId, disputeId: d.id, command: { action: "resolve", outcome: "Sorted" }, actor: actorOf(demoPeople.alex), source: "api" });
        expect(r.ok).toBe(true);
      }
      return loaded;
    };
    try {
      await store.reproject(tenantId, d.id);
    } finally {
      store.load = load;
    }
    const open = await store.list(tenantId, { kind: "iro", personId: demoPeople.alex.id }, "open", 100);
    expect(open.items.map((x) => x.id)).not.toContain(d.id);
    const all = await store.list(tenantId, { kind: "all" }, "all", 100);
    expect(all.items.find((x) => x.id === d.id)?.state).toBe("resolved");
  });

  it("a commit against a stale ETag writes nothing: no state change, no event, no outbox entry", async () => {
    const d = await raise();
    const before = (await app.services.store.load(tenantId, d.id))!;
    const runtime = (await app.services.runtime(tenantId))!;
    const ctx = { actor: actorOf(demoPeople.megan), now: app.services.clock.now(), procedure: runtime.procedure, calendar: runtime.calendar, source: "api" as const };
    const first = decide(before.dispute, { action: "acknowledge" }, ctx);
    const second = decide(before.dispute, { action: "respond", response: "Too late" }, ctx);
    if (!first.ok || !second.ok) throw new Error("both should be accepted against the same state");
    expect((await app.services.store.commit(tenantId, before, first.value)).ok).toBe(true);
    expect(await app.services.store.commit(tenantId, before, second.value)).toEqual({ ok: false, reason: "conflict" });
    const after = (await app.services.store.load(tenantId, d.id))!;
    expect(after.dispute.state).toBe("awaiting-response");
    expect(after.dispute.version).toBe(2);
    expect((await app.services.store.events(tenantId, d.id)).map((e) => e.action)).toEqual(["raise", "acknowledge"]);
  });

  it("reads a history again by the state row alone, and sees what another instance committed", async () => {
    const d = await raise();
    const here = app.services.store;
    const elsewhere = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: tenantId }));
    elsewhere.setClock(app.services.clock.now());
    const read = async () => {
      app.tables.counter.rows = 0;
      const before = app.tables.counter.count;
      const found = (await here.loadWithHistory(tenantId, d.id))!;
      const [requests, rows] = [app.tables.counter.count - before, app.tables.counter.rows];
      expect(found.history).toEqual(await here.events(tenantId, d.id));
      return { requests, rows, versions: found.history.map((e) => e.version), version: found.stored.dispute.version };
    };
    await read();
    // Rows returned: the state row alone, not the state row and every event again.
    expect(await read()).toEqual({ requests: 1, rows: 1, versions: [1], version: 1 });
    // Another instance acknowledges; an answer decided here against version 1 then loses to it.
    const stale = (await here.load(tenantId, d.id))!;
    const runtime = (await app.services.runtime(tenantId))!;
    const late = decide(stale.dispute, { action: "respond", response: "Decided on a stale copy" }, { actor: actorOf(demoPeople.megan), now: app.services.clock.now(), procedure: runtime.procedure, calendar: runtime.calendar, source: "api" });
    if (!late.ok) throw new Error(late.error.message);
    const acknowledged = await actOnDispute(elsewhere.services, { tenantId, disputeId: d.id, person: demoPeople.megan, source: "api", body: { action: "acknowledge" } });
    expect(acknowledged.ok).toBe(true);
    expect(await here.commit(tenantId, stale, late.value)).toEqual({ ok: false, reason: "conflict" });
    expect(await read()).toEqual({ requests: 2, rows: 2, versions: [1, 2], version: 2 });
    // A commit made here is known here: the next read is the state row alone again.
    const answered = await actOnDispute(app.services, { tenantId, disputeId: d.id, person: demoPeople.megan, source: "api", body: { action: "respond", response: "Allocated from Monday" } });
    expect(answered.ok).toBe(true);
    expect(await read()).toEqual({ requests: 1, rows: 1, versions: [1, 2, 3], version: 3 });
  });

  it("a transaction that fails midway leaves nothing partial", async () => {
    const d = await raise();
    const before = (await app.services.store.load(tenantId, d.id))!;
    const runtime = (await app.services.runtime(tenantId))!;
    const decided = decide(before.dispute, { action: "respond", response: "Answer" }, {
      actor: actorOf(demoPeople.megan), now: app.services.clock.now(), procedure: runtime.procedure, calendar: runtime.calendar, source: "api",
    });
    if (!decided.ok) throw new Error(decided.error.message);
    // The last outbox entry repeats the first one's key: storage refuses the whole batch.
    const broken = { ...decided.value, effects: [...decided.value.effects, decided.value.effects[0]!] };
    await expect(app.services.store.commit(tenantId, before, broken)).rejects.toThrow();
    const after = (await app.services.store.load(tenantId, d.id))!;
    expect(after.dispute).toEqual(before.dispute);
    expect(after.etag).toBe(before.etag);
    expect((await app.services.store.events(tenantId, d.id)).map((e) => e.action)).toEqual(["raise"]);
  });

  it("refuses to raise when a stage's role has nobody for the team, before anything is written", async () => {
    const otherTenant = `${tenantId}-gap`;
    const seed = demoAuthority("lambeth", otherTenant, `${otherTenant}-entra`);
    delete seed.roles["*"]!["director-csc"];
    await app.directory.seed(seed);
    const r = await raiseDispute(app.services, { tenantId: otherTenant, raisedBy: demoPeople.alex, source: "api", details: raiseBody });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/Stage 4 \(Director of Children's Social Care\) has nobody assigned for Children in Care Team 1: /);
    // The role and the team by their names, never their ids.
    expect(!r.ok && r.error.message).not.toMatch(/director-csc|demo-team/);
    const listed = await app.services.store.list(otherTenant, { kind: "all" }, "all", 10);
    expect(listed.items).toEqual([]);
  });

  it("keeps authorities apart: another tenant cannot load, list or act on a dispute", async () => {
    const other = `${tenantId}-other`;
    await app.directory.seed(demoAuthority("lambeth", other, `${other}-entra`));
    const mine = await raise();
    expect(await app.services.store.load(other, mine.id)).toBeUndefined();
    const theirs = await raise(app.services, raiseBody, other);
    const listedHere = await app.services.store.list(tenantId, { kind: "all" }, "all", 100);
    expect(listedHere.items.map((s) => s.id)).not.toContain(theirs.id);
    const acted = await actOnDispute(app.services, { tenantId: other, disputeId: mine.id, person: demoPeople.megan, source: "api", body: { action: "acknowledge" } });
    expect(!acted.ok && acted.error.code).toBe("not-found");
  });
});

describe("the indexes", () => {
  it("agree with the disputes after 1,000 random commands, and a rebuild changes nothing", async () => {
    const t = `${tenantId}-idx`;
    await app.directory.seed(demoAuthority("lambeth", t, `${t}-entra`));
    const people: DirectoryPerson[] = Object.values(demoPeople);
    let seed = 42;
    // mulberry32: a small seeded generator, so a failure can be replayed.
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) % n;
    };
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await raise(app.services, { ...raiseBody, child: { ...raiseBody.child, reference: `MOS-${1000 + (i % 5)}` }, startStage: random(2) }, t)).id);
    const actions = [
      () => ({ action: "respond", response: "Done" }),
      () => ({ action: "acknowledge" }),
      () => ({ action: "escalate", rationale: "Not resolved" }),
      () => ({ action: "hold", until: "2027-02-01", actionsAgreed: "Visit weekly" }),
      () => ({ action: "resume" }),
      () => ({ action: "add-note", note: "Spoke to the team" }),
      () => ({ action: "reassign", to: people[random(people.length)]!.upn, reason: "Leave" }),
      () => ({ action: "extend", until: "2027-01-29", reason: "Asked for more time" }),
    ];
    let accepted = 0;
    for (let i = 0; i < 1000; i++) {
      const disputeId = ids[random(ids.length)]!;
      const stored = (await app.services.store.load(t, disputeId))!;
      // Mostly the people who may act, so that most commands are accepted.
      const who = random(3) === 0 ? people[random(people.length)]! : random(2) ? demoPeople.alex : people.find((p) => p.id === currentStage(stored.dispute).assignee.id) ?? demoPeople.alex;
      // Resolving is rare, so that most disputes stay open long enough to climb and be reassigned.
      const body = random(60) === 0 ? { action: "resolve", outcome: "Resolved" } : actions[random(actions.length)]!();
      const r = await actOnDispute(app.services, { tenantId: t, disputeId, person: who, source: "api", body });
      if (r.ok) accepted++;
      if (i % 250 === 0) app.setClock(new Date(app.services.clock.now().getTime() + 86_400_000));
    }
    expect(accepted).toBeGreaterThan(150);

    async function expectAgreement() {
      for (const id of ids) {
        const d = (await app.services.store.load(t, id))!.dispute;
        const open = ["informal", "awaiting-response", "awaiting-decision", "on-hold"].includes(d.state);
        const inList = async (by: Parameters<DisputeStore["list"]>[1]) => {
          const page = await app.services.store.list(t, by, "all", 100);
          return page.items.find((s) => s.id === id);
        };
        const waiting = waitingOn(d).map((w) => w.person.id);
        for (const by of [
          ...waiting.map((personId) => ({ kind: "assignee" as const, personId })),
          { kind: "iro" as const, personId: d.raisedBy.id },
          { kind: "team" as const, team: d.child.team },
          { kind: "child" as const, reference: d.child.reference },
          { kind: "all" as const },
        ]) {
          const row = await inList(by);
          expect(row, `${id} in ${by.kind}`).toBeDefined();
          expect(row!.version).toBe(d.version);
          expect(row!.state).toBe(d.state);
          expect(row!.open).toBe(open);
        }
        // No other person's "waits on me" list still shows it.
        for (const p of people.filter((x) => !waiting.includes(x.id))) {
          expect(await inList({ kind: "assignee", personId: p.id }), `${id} still listed for ${p.upn}`).toBeUndefined();
        }
      }
      const all = await app.services.store.list(t, { kind: "all" }, "all", 100);
      expect(all.items.map((s) => s.id).sort()).toEqual([...ids].sort());
    }
    await expectAgreement();
    expect(await app.services.store.rebuildIndexes(t)).toMatchObject({ disputes: ids.length, done: true });
    await expectAgreement();
  }, 120_000);

  it("lists what waits on me and what I raised, open or closed, a page at a time", async () => {
    const t = `${tenantId}-lists`;
    await app.directory.seed(demoAuthority("lambeth", t, `${t}-entra`));
    const raisedIds = [];
    for (let i = 0; i < 5; i++) raisedIds.push((await raise(app.services, raiseBody, t)).id);
    const closed = raisedIds[0]!;
    await runCommand(app.services, { tenantId: t, disputeId: closed, command: { action: "resolve", outcome: "Sorted" }, actor: actorOf(demoPeople.alex), source: "api" });
    const page1 = await listDisputes(app.services, { tenantId: t, person: demoPeople.megan, role: "assignee", state: "open", pageSize: 3 });
    if (!page1.ok) throw new Error(page1.error.message);
    expect(page1.value.items).toHaveLength(3);
    expect(page1.value.next).toBeDefined();
    const page2 = await listDisputes(app.services, { tenantId: t, person: demoPeople.megan, role: "assignee", state: "open", pageSize: 3, cursor: page1.value.next! });
    if (!page2.ok) throw new Error(page2.error.message);
    expect([...page1.value.items, ...page2.value.items].map((s) => s.id).sort()).toEqual(raisedIds.slice(1).sort());
    const mineClosed = await listDisputes(app.services, { tenantId: t, person: demoPeople.alex, role: "iro", state: "closed", pageSize: 10 });
    expect(mineClosed.ok && mineClosed.value.items.map((s) => s.id)).toEqual([closed]);
    const notQa = await listDisputes(app.services, { tenantId: t, person: demoPeople.megan, role: "all", state: "open", pageSize: 10 });
    expect(!notQa.ok && notQa.error.code).toBe("forbidden");
  });
});
