import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type App, composeApp } from "../../functions/compose";
import { createTableOutbox } from "../../functions/adapters/tableOutbox";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import type { DeliveryOutcome, DisputeStore, EffectSink } from "../../functions/ports";
import { readSettings } from "../../functions/settings";
import { actOnDispute } from "../../functions/usecases/act";
import { raiseDispute } from "../../functions/usecases/raise";
import { relay } from "../../functions/usecases/relay";
import { RETRY } from "../../functions/usecases/retryPolicy";
import type { Services } from "../../functions/usecases/services";
import { sweep } from "../../functions/usecases/sweep";
import { getDispute } from "../../functions/usecases/queries";
import type { Effect } from "../../shared/dispute/effects";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import { currentStage } from "../../shared/dispute/disputeSchema";
import lambeth from "../../shared/procedures/lambeth.json";

const base = `esc-${Math.random().toString(36).slice(2, 8)}`;
let app: App;
let counter: { count: number };

const raiseBody = {
  child: { reference: "MOS-200111", initials: "K.T.", legalStatus: "child-protection", team: "demo-team" },
  category: "safeguarding",
  reason: "cp-plan-delay",
  concerns: "The core group has not met since the conference.",
  outcomesSought: "Core group within 5 working days.",
  startStage: 1,
};

/** An authority of its own per test, so sweeps and relays see only that test's disputes. */
async function authority(name: string, procedure = "lambeth"): Promise<{ tenantId: string; services: Services }> {
  const tenantId = `${base}-${name}`;
  await app.directory.seed(demoAuthority(procedure, tenantId, `${tenantId}-entra`));
  // The sweep and relay walk every authority: scope them to this one.
  const services: Services = {
    ...app.services,
    directory: { ...app.services.directory, tenants: async () => [(await app.services.directory.tenant(tenantId))!] },
  };
  return { tenantId, services };
}

/** Records what the outside world received; can be told to fail. */
function recordingSink(fail?: (effect: Effect, n: number) => DeliveryOutcome | undefined) {
  const received: { effect: Effect; dispute: Dispute }[] = [];
  const attempts = new Map<string, number>();
  const sink: EffectSink = {
    async deliver(effect, dispute) {
      const n = (attempts.get(effect.id) ?? 0) + 1;
      attempts.set(effect.id, n);
      const failure = fail?.(effect, n);
      if (failure) return failure;
      // Only disputes are raised here: no good-practice record reaches this sink.
      received.push({ effect, dispute: dispute as Dispute });
      return { ok: true };
    },
  };
  return { sink, received, attempts };
}

const escalateOnDeadline = () => {
  const dir = mkdtempSync(join(tmpdir(), "resolve-proc-"));
  const file = join(dir, "lambeth-auto.json");
  writeFileSync(file, JSON.stringify({ ...lambeth, id: "lambeth-auto", onDeadline: "escalate" }));
  return file;
};

beforeAll(async () => {
  counter = { count: 0 };
  app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: `${base}-dev` }), counter);
});

async function raise(services: Services, tenantId: string) {
  const r = await raiseDispute(services, { tenantId, raisedBy: demoPeople.alex, source: "teams", details: raiseBody });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.dispute;
}

describe("the sweep", () => {
  it("Lambeth, nobody answers: the IRO is told at each deadline, escalates, and the dispute climbs all five stages on the right dates", async () => {
    const { tenantId, services } = await authority("walk");
    app.setClock(new Date("2026-12-21T10:00:00Z"));
    const d = await raise(services, tenantId);
    const seen: [number, string, string][] = [];
    for (let stage = 1; stage <= 5; stage++) {
      const now = (await services.store.load(tenantId, d.id))!.dispute;
      const due = currentStage(now).dueAt!;
      seen.push([now.stage, currentStage(now).assignee.upn, due]);
      // Five minutes after the deadline the sweep runs: reminders and the deadline fire in order.
      app.setClock(new Date(new Date(due).getTime() + 5 * 60_000));
      const report = await sweep(services);
      expect(report.acted).toBeGreaterThanOrEqual(1);
      const after = (await services.store.load(tenantId, d.id))!.dispute;
      expect(currentStage(after).overdueSince).toBeDefined();
      if (stage < 5) {
        const r = await actOnDispute(services, { tenantId, disputeId: d.id, person: demoPeople.alex, source: "teams", body: { action: "escalate", rationale: `No answer at stage ${stage}` } });
        expect(r.ok).toBe(true);
      }
    }
    expect(seen).toEqual([
      [1, "meganb@example.com", "2026-12-29T17:00:00.000Z"],
      [2, "adelev@example.com", "2027-01-05T17:00:00.000Z"],
      [3, "isaiahl@example.com", "2027-01-11T17:00:00.000Z"],
      [4, "pattif@example.com", "2027-01-15T17:00:00.000Z"],
      [5, "lynner@example.com", "2027-01-21T17:00:00.000Z"],
    ]);
    const events = await services.store.events(tenantId, d.id);
    expect(events.filter((e) => e.action === "deadline-passed")).toHaveLength(5);
    expect(events.filter((e) => e.action === "reminder-due").length).toBe(10);
    expect(events.filter((e) => e.action === "cap-passed")).toHaveLength(1);
  });

  it("two sweeps at once escalate once", async () => {
    const { tenantId, services } = await authority("twice", escalateOnDeadline());
    app.setClock(new Date("2027-02-01T10:00:00Z"));
    const d = await raise(services, tenantId);
    app.setClock(new Date("2027-02-05T17:01:00Z"));
    // Both sweeps read the dispute before either commits.
    let arrived = 0;
    const gate: (() => void)[] = [];
    const store: DisputeStore = {
      ...services.store,
      async load(t, id) {
        const loaded = await services.store.load(t, id);
        if (arrived++ < 2) await new Promise<void>((resolve) => (gate.push(resolve), gate.length === 2 && gate.forEach((g) => g())));
        return loaded;
      },
    };
    const racing = { ...services, store };
    const [a, b] = await Promise.all([sweep(racing), sweep(racing)]);
    // Two reminders and the deadline were due: each is acted on by one sweep only.
    expect(a.acted + b.acted).toBe(3);
    const after = (await services.store.load(tenantId, d.id))!.dispute;
    expect(after.stage).toBe(2);
    const events = await services.store.events(tenantId, d.id);
    expect(events.map((e) => e.action)).toEqual(["raise", "reminder-due", "reminder-due", "deadline-passed"]);
    expect(events[3]!.detail).toMatchObject({ automatic: true, toStage: 2 });
    // Nothing left due: a third sweep does nothing.
    expect(await sweep(services)).toEqual({ due: 0, acted: 0, dropped: 0, skipped: 0, lagMs: 0 });
  });

  it("reads only the due index: thousands of future steps cost no extra storage requests", async () => {
    const { tenantId, services } = await authority("scale");
    app.setClock(new Date("2027-03-01T10:00:00Z"));
    for (let i = 0; i < 3; i++) await raise(services, tenantId);
    app.setClock(new Date("2027-03-05T17:10:00Z"));
    const measure = async () => {
      const before = counter.count;
      const report = await sweep(services);
      return { report, requests: counter.count - before };
    };
    // Baseline: three disputes due, nothing else in the index.
    const first = await measure();
    expect(first.report.acted).toBeGreaterThanOrEqual(3);

    const { tenantId: t2, services: s2 } = await authority("scale2");
    app.setClock(new Date("2027-03-01T10:00:00Z"));
    for (let i = 0; i < 3; i++) await raise(s2, t2);
    // 5,000 steps of other open disputes, due next year.
    const indexes = app.tables.client("indexes");
    for (let i = 0; i < 5000; i += 100) {
      await indexes.submitTransaction(
        Array.from({ length: 100 }, (_, j) => ["create", { partitionKey: t2, rowKey: `due|2028-01-0${1 + ((i + j) % 9)}T17:00:00.000Z|D-F${i + j}|deadline:1`, disputeId: `D-F${i + j}`, kind: "deadline", token: "deadline:1", at: "2028-01-01T17:00:00.000Z" }] as const),
      );
    }
    app.setClock(new Date("2027-03-05T17:10:00Z"));
    const before = counter.count;
    const second = await sweep(s2);
    expect(second.acted).toBe(first.report.acted);
    expect(counter.count - before).toBe(first.requests);
  }, 60_000);
});

describe("the outbox relay", () => {
  it("delivers every effect of a transition once, in order, and clears its work", async () => {
    const { tenantId, services } = await authority("relay");
    app.setClock(new Date("2027-01-11T09:00:00Z"));
    const d = await raise(services, tenantId);
    const outbox = createTableOutbox(app.tables);
    const { sink, received } = recordingSink();
    expect(await outbox.marker(tenantId, d.id)).toMatchObject({ tenantId, disputeId: d.id });
    const report = await relay({ services, outbox, sink });
    expect(await outbox.marker(tenantId, d.id)).toBeUndefined();
    const expected = (await outbox.all(tenantId, d.id)).map((e) => e.effect.id);
    expect(received.map((r) => r.effect.id)).toEqual(expected);
    expect(report.delivered).toBe(expected.length);
    expect(await outbox.work(tenantId, 10)).toEqual([]);
    expect((await outbox.all(tenantId, d.id)).every((e) => e.status === "delivered" && e.attempts === 1)).toBe(true);
    // A second relay finds nothing to do.
    expect(await relay({ services, outbox, sink })).toEqual({ delivered: 0, retrying: 0, failed: 0, dropped: 0 });
    expect(received).toHaveLength(expected.length);
  });

  it("a crash between the commit and the send still delivers: the work marker was written before the commit", async () => {
    const { tenantId, services } = await authority("crash");
    app.setClock(new Date("2027-01-11T09:00:00Z"));
    const d = await raise(services, tenantId);
    // The process that committed died before relaying; a fresh relay (new process) finds the work.
    const outbox = createTableOutbox(app.tables);
    const { sink, received } = recordingSink();
    await relay({ services, outbox, sink });
    expect(received.filter((r) => r.effect.kind === "notify" && r.effect.notice === "alert").map((r) => r.effect.kind === "notify" && r.effect.to.upn)).toEqual(["meganb@example.com"]);
    expect(received.every((r) => r.dispute.id === d.id)).toBe(true);
  });

  it("re-checks before sending: a reminder for a dispute resolved a second ago is dropped, not sent", async () => {
    const { tenantId, services } = await authority("drop");
    app.setClock(new Date("2027-01-11T09:00:00Z"));
    const d = await raise(services, tenantId);
    const outbox = createTableOutbox(app.tables);
    await relay({ services, outbox, sink: recordingSink().sink });
    app.setClock(new Date("2027-01-14T09:01:00Z"));
    await sweep(services);
    await actOnDispute(services, { tenantId, disputeId: d.id, person: demoPeople.alex, source: "teams", body: { action: "resolve", outcome: "Core group booked." } });
    const { sink, received } = recordingSink();
    const report = await relay({ services, outbox, sink });
    expect(report.dropped).toBe(1);
    expect(received.some((r) => r.effect.kind === "notify" && r.effect.notice === "reminder")).toBe(false);
    const reminder = (await outbox.all(tenantId, d.id)).find((e) => e.effect.kind === "notify" && e.effect.notice === "reminder");
    expect([reminder?.status, reminder?.lastError]).toEqual(["dropped", "not sent: dispute is resolved"]);
  });

  it("waits as the service asks (Retry-After), backs off, and parks an effect as failed after the last attempt", async () => {
    const { tenantId, services } = await authority("retry");
    app.setClock(new Date("2027-01-11T09:00:00Z"));
    const d = await raise(services, tenantId);
    const outbox = createTableOutbox(app.tables);
    const alertOf = (e: Effect) => e.kind === "notify" && e.notice === "alert";
    const { sink, attempts } = recordingSink((e) => (alertOf(e) ? { ok: false, retryable: true, error: "429 Too Many Requests", retryAfterMs: 120_000 } : undefined));
    await relay({ services, outbox, sink, random: () => 0 });
    let alert = (await outbox.all(tenantId, d.id)).find((e) => alertOf(e.effect))!;
    expect(alert.status).toBe("pending");
    // Retry-After (2 minutes) is longer than the first backoff (15 s with this jitter): it wins.
    const wait = new Date(alert.nextAttemptAt).getTime() - new Date("2027-01-11T09:00:00Z").getTime();
    expect(wait).toBeGreaterThanOrEqual(120_000);
    expect(wait).toBeLessThan(125_000);
    expect(await outbox.work(tenantId, 10)).toHaveLength(1);
    // Too soon: nothing is tried.
    await relay({ services, outbox, sink, random: () => 0 });
    expect(attempts.get(alert.effect.id)).toBe(1);
    for (let i = 0; i < RETRY.maxAttempts; i++) {
      app.setClock(new Date(app.services.clock.now().getTime() + 2 * 60 * 60_000));
      await relay({ services, outbox, sink, random: () => 0 });
    }
    alert = (await outbox.all(tenantId, d.id)).find((e) => alertOf(e.effect))!;
    expect([alert.status, alert.attempts, alert.lastError]).toEqual(["failed", RETRY.maxAttempts, "429 Too Many Requests"]);
    expect(await outbox.work(tenantId, 10)).toEqual([]);
    // Visible on the dispute, and in QA's list of deliveries that never went.
    const view = await getDispute(services, tenantId, d.id, demoPeople.alex);
    expect(view.ok && view.value.deliveries?.find((x) => x.effectId === alert.effect.id)).toMatchObject({ status: "failed", notice: "alert", to: "meganb@example.com" });
    expect((await outbox.failed(tenantId, 10)).items).toEqual([expect.objectContaining({ disputeId: d.id, effectId: alert.effect.id, notice: "alert", to: "meganb@example.com", attempts: RETRY.maxAttempts })]);
  });

  it("two relays at once send each effect once", async () => {
    const { tenantId, services } = await authority("tworelays");
    app.setClock(new Date("2027-01-11T09:00:00Z"));
    await raise(services, tenantId);
    const outbox = createTableOutbox(app.tables);
    const { sink, received } = recordingSink();
    await Promise.all([relay({ services, outbox, sink }), relay({ services, outbox, sink })]);
    const ids = received.map((r) => r.effect.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
