/**
 * The sweep drops due entries a committed change took away without reading their dispute, and
 * never drops one that still stands: the relay marks an entry superseded only from committed state,
 * a change that never committed marks nothing, a step scheduled again is written anew, and two
 * sweeps and people's commands racing them act once. Real Azurite, real concurrency.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { commitActions } from "../../functions/adapters/tableDisputeStore";
import { type App, composeApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import type { DirectoryPerson, DisputeStore, EffectSink } from "../../functions/ports";
import { readSettings } from "../../functions/settings";
import { actOnDispute } from "../../functions/usecases/act";
import { raiseDispute } from "../../functions/usecases/raise";
import { relay } from "../../functions/usecases/relay";
import type { Services } from "../../functions/usecases/services";
import { sweep } from "../../functions/usecases/sweep";
import { decide } from "../../shared/dispute/lifecycle";
import { actorOf } from "../../functions/usecases/actors";

const base = `sup-${Math.random().toString(36).slice(2, 8)}`;
const START = new Date("2027-01-11T09:00:00Z");
let app: App;

const details = {
  child: { reference: "MOS-300222", initials: "L.M.", legalStatus: "looked-after", team: "demo-team" },
  category: "statutory-responsibilities",
  reason: "no-allocated-social-worker",
  concerns: "No allocated social worker.",
  outcomesSought: "Allocate a social worker.",
  startStage: 1,
};

beforeAll(async () => {
  app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: `${base}-dev` }));
});

/** An authority of its own, its sweeps and relays scoped to it; the dispute reads counted per dispute. */
async function authority(name: string) {
  app.setClock(START);
  const tenantId = `${base}-${name}`;
  await app.directory.seed(demoAuthority("lambeth", tenantId, `${tenantId}-entra`));
  const loads = new Map<string, number>();
  const store: DisputeStore = {
    ...app.services.store,
    load: (t, id) => {
      loads.set(id, (loads.get(id) ?? 0) + 1);
      return app.services.store.load(t, id);
    },
  };
  const services: Services = { ...app.services, store, directory: { ...app.services.directory, tenants: async () => [(await app.services.directory.tenant(tenantId))!] } };
  const sink: EffectSink = { deliver: async () => ({ ok: true }) };
  const relayed = () => relay({ services, outbox: app.outbox, sink });
  const person = async (upn: string) => (await app.directory.personByUpn(tenantId, upn)) as DirectoryPerson;
  const raise = async () => {
    const r = await raiseDispute(services, { tenantId, raisedBy: demoPeople.alex, source: "api", details });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.dispute;
  };
  const act = async (upn: string, body: Record<string, unknown>, disputeId: string) => actOnDispute(services, { tenantId, disputeId, person: await person(upn), body, source: "api" });
  const respond = (disputeId: string) => act(demoPeople.megan.upn, { action: "respond", response: "Allocated from Monday." }, disputeId);
  const entries = async (disputeId: string) => (await app.services.store.due(tenantId, new Date("2028-01-01T00:00:00Z"), 500)).filter((e) => e.disputeId === disputeId);
  const actions = async (disputeId: string) => (await app.services.store.events(tenantId, disputeId)).sort((a, b) => a.version - b.version).map((e) => e.action);
  return { tenantId, services, loads, relayed, raise, act, respond, entries, actions };
}

const deadlineOf = (d: { timers: { kind: string; at: string }[] }) => new Date(d.timers.find((t) => t.kind === "deadline")!.at);

describe("due entries a committed change took away", () => {
  it("are marked superseded by the relay, and the sweep drops them without reading the dispute", async () => {
    const a = await authority("marked");
    const d = await a.raise();
    await a.relayed();
    expect((await a.entries(d.id)).filter((e) => e.superseded)).toEqual([]);
    expect((await a.respond(d.id)).ok).toBe(true);
    await a.relayed();
    const marked = await a.entries(d.id);
    // The manager answered: her reminders and deadline are gone; the 20-day cap still runs.
    const takenAway = d.timers.filter((t) => t.kind === "reminder" || t.kind === "deadline").map((t) => t.kind);
    expect(takenAway).toContain("deadline");
    expect(marked.filter((e) => e.superseded).map((e) => e.kind).sort()).toEqual(takenAway.sort());
    expect(marked.filter((e) => !e.superseded).every((e) => e.kind === "cap" || e.kind === "cap-warning")).toBe(true);

    app.setClock(new Date(deadlineOf(d).getTime() + 60_000));
    a.loads.clear();
    const report = await sweep(a.services);
    expect(report).toMatchObject({ acted: 0, skipped: report.due, dropped: report.due });
    expect(report.due).toBeGreaterThan(0);
    expect(a.loads.get(d.id) ?? 0).toBe(0);
    expect(await a.actions(d.id)).toEqual(["raise", "respond"]);
    expect((await a.entries(d.id)).filter((e) => Date.parse(e.at) <= Date.parse(app.services.clock.now().toISOString()))).toEqual([]);
  });

  it("a change whose index rows were written but which never committed marks nothing: the deadline still runs", async () => {
    const a = await authority("uncommitted");
    const d = await a.raise();
    await a.relayed();
    // A respond decided and its index batch written, then the process died before the commit.
    const stored = (await app.services.store.load(a.tenantId, d.id))!;
    const runtime = (await app.services.runtime(a.tenantId))!;
    const decided = decide(stored.dispute, { action: "respond", response: "Allocated." }, { actor: actorOf((await app.directory.personByUpn(a.tenantId, demoPeople.megan.upn))!), now: START, procedure: runtime.procedure, calendar: runtime.calendar, source: "api" });
    if (!decided.ok) throw new Error(decided.error.message);
    await app.tables.client("indexes").submitTransaction(commitActions(a.tenantId, stored, decided.value).indexes);
    await a.relayed();
    expect((await a.entries(d.id)).filter((e) => e.superseded)).toEqual([]);
    // The loser of a race puts its rows back by force: that marks nothing either.
    await app.services.store.reproject(a.tenantId, d.id, { force: true });
    expect((await a.entries(d.id)).filter((e) => e.superseded)).toEqual([]);

    app.setClock(new Date(deadlineOf(d).getTime() + 60_000));
    const report = await sweep(a.services);
    expect(report.skipped).toBe(0);
    expect(await a.actions(d.id)).toContain("deadline-passed");
  });

  it("a step taken away and then scheduled again stands: the commit that schedules it writes its entry anew", async () => {
    const a = await authority("again");
    const d = await a.raise();
    const due = deadlineOf(d);
    const dueDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(due);
    const later = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date(due.getTime() + 7 * 86_400_000));
    expect((await a.act(demoPeople.alex.upn, { action: "extend", until: later, reason: "Agreed with the manager." }, d.id)).ok).toBe(true);
    await a.relayed();
    expect((await a.entries(d.id)).some((e) => e.kind === "deadline" && e.superseded && Date.parse(e.at) === due.getTime())).toBe(true);
    const back = await a.act(demoPeople.alex.upn, { action: "extend", until: dueDate, reason: "The manager can meet the first date after all." }, d.id);
    if (!back.ok) throw new Error(back.error.message);
    expect(deadlineOf(back.value.dispute).getTime()).toBe(due.getTime());
    await a.relayed();
    expect((await a.entries(d.id)).find((e) => e.kind === "deadline" && Date.parse(e.at) === due.getTime())?.superseded).toBeUndefined();

    app.setClock(new Date(due.getTime() + 60_000));
    await sweep(a.services);
    expect(await a.actions(d.id)).toContain("deadline-passed");
  });
});

describe("sweeps and commands at the same moment", () => {
  it("two sweeps at once: each standing step runs once, superseded ones never, nothing due is left", async () => {
    const a = await authority("two");
    const standing = [await a.raise(), await a.raise(), await a.raise()];
    const answered = [await a.raise(), await a.raise(), await a.raise()];
    for (const d of answered) expect((await a.respond(d.id)).ok).toBe(true);
    await a.relayed();
    app.setClock(new Date(deadlineOf(standing[0]!).getTime() + 60_000));
    const reports = await Promise.all([sweep(a.services), sweep(a.services)]);
    expect(reports[0]!.acted + reports[1]!.acted).toBeGreaterThanOrEqual(standing.length);
    for (const d of standing) expect((await a.actions(d.id)).filter((x) => x === "deadline-passed")).toHaveLength(1);
    for (const d of answered) expect(await a.actions(d.id)).toEqual(["raise", "respond"]);
    await a.relayed();
    const again = await sweep(a.services);
    expect(again.acted).toBe(0);
    const now = app.services.clock.now().getTime();
    for (const d of [...standing, ...answered]) expect((await a.entries(d.id)).filter((e) => Date.parse(e.at) <= now)).toEqual([]);
  });

  it("managers answering while the sweep runs their deadlines: each dispute's deadline runs at most once, never after the answer", async () => {
    const a = await authority("racing");
    const ds = [];
    for (let i = 0; i < 6; i++) ds.push(await a.raise());
    await a.relayed();
    app.setClock(new Date(deadlineOf(ds[0]!).getTime() + 60_000));
    await Promise.all([sweep(a.services), sweep(a.services), ...ds.map((d) => a.respond(d.id))]);
    await a.relayed();
    await sweep(a.services);
    for (const d of ds) {
      const history = await a.actions(d.id);
      expect(history.filter((x) => x === "deadline-passed").length, history.join(", ")).toBeLessThanOrEqual(1);
      const answeredAt = history.indexOf("respond");
      if (answeredAt >= 0) expect(history.slice(answeredAt), history.join(", ")).not.toContain("deadline-passed");
      // Either the deadline ran or the answer came before it was taken: the step was never lost.
      expect(history.includes("deadline-passed") || answeredAt > 0, history.join(", ")).toBe(true);
    }
    const again = await sweep(a.services);
    expect(again.acted).toBe(0);
  });
});
