/**
 * The monthly report's month projection on a real Azurite, fed by real commits at once and the
 * relay that follows them: the report it gives is the report every event gives, for this month,
 * across a month's end (a dispute that stays quiet is carried into the new month by its first
 * report), for a past month, and after a month's rows were lost (npm run migrate writes them again).
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { odata } from "@azure/data-tables";
import { type App, composeApp } from "../../functions/compose";
import { readSettings } from "../../functions/settings";
import { demoPeople } from "../../functions/demo/demoAuthority";
import { actOnDispute } from "../../functions/usecases/act";
import { raiseDispute } from "../../functions/usecases/raise";
import { monthlyReportFor } from "../../functions/usecases/reports";
import { migrateIndexes } from "../../functions/adapters/migrateIndexes";
import { writeMonthCell } from "../../functions/adapters/monthEvents";
import { monthlyReport } from "../../shared/reports/monthlyReport";
import type { AuditEvent } from "../../shared/dispute/events";

const tenantId = `months-${Math.random().toString(36).slice(2, 8)}`;
let app: App;

const details = (n: number) => ({
  child: { reference: `MOS-${300000 + n}`, initials: "M.N.", legalStatus: n % 2 ? "looked-after" : "child-in-need", team: "demo-team" },
  category: "statutory-responsibilities",
  reason: "no-allocated-social-worker",
  concerns: "No allocated social worker since the review.",
  outcomesSought: "Allocate a social worker within 5 working days.",
  startStage: 1,
});

async function raise(n: number) {
  const r = await raiseDispute(app.services, { tenantId, raisedBy: demoPeople.alex, source: "api", details: details(n) });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.dispute;
}

const act = (disputeId: string, person: typeof demoPeople.alex, body: object) => actOnDispute(app.services, { tenantId, disputeId, person, source: "api", body });

/** The report as the endpoint gives it, from the month projection. */
async function fromProjection(month: string) {
  const r = await monthlyReportFor(app.services, tenantId, month, (await app.directory.personByUpn(tenantId, demoPeople.quinn.upn))!);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.report;
}

/** The same arithmetic over every event the authority holds. */
async function fromEveryEvent(month: string) {
  const runtime = (await app.services.runtime(tenantId))!;
  return monthlyReport({ month, events: await app.services.store.allEvents(tenantId), calendar: runtime.calendar, labels: runtime.procedure, teams: await app.directory.teams(tenantId), positiveFeedback: [] });
}

async function monthRows(month: string) {
  const rows: string[] = [];
  const filter = odata`PartitionKey eq ${tenantId} and RowKey ge ${`month|${month}|`} and RowKey lt ${`month|${month}|~`}`;
  for await (const e of app.tables.client("indexes").listEntities({ queryOptions: { filter } })) rows.push(String(e.rowKey));
  return rows;
}

let quiet: string[] = [];

beforeAll(async () => {
  app = await composeApp(readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: tenantId }));
  app.setClock(new Date("2026-12-07T10:00:00Z"));
});

describe("the month projection", () => {
  it("30 disputes raised at once and acted on at once: this month's report is the report every event gives", async () => {
    const disputes = await Promise.all(Array.from({ length: 30 }, (_, n) => raise(n)));
    app.setClock(new Date("2026-12-09T10:00:00Z"));
    const results = await Promise.all([
      ...disputes.slice(0, 8).map((d) => act(d.id, demoPeople.alex, { action: "resolve", outcome: "Allocated." })),
      ...disputes.slice(8, 18).map((d) => act(d.id, demoPeople.megan, { action: "respond", response: "A social worker is allocated." })),
      ...disputes.slice(18, 22).map((d) => act(d.id, demoPeople.alex, { action: "withdraw", reason: "Raised in error." })),
    ]);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    quiet = disputes.slice(22).map((d) => d.id);
    await app.relayAll();

    const report = await fromProjection("2026-12");
    expect(report).toEqual(await fromEveryEvent("2026-12"));
    expect(report.summary).toMatchObject({ raised: 30, resolved: 8, withdrawn: 4, openAtEnd: 18 });
  }, 90_000);

  it("across the month's end: quiet disputes are carried into January by its first report, and December stays as it was", async () => {
    app.setClock(new Date("2027-01-06T10:00:00Z"));
    const moved = await act(quiet[0]!, demoPeople.alex, { action: "add-note", note: "Chased after Christmas." });
    expect(moved.ok).toBe(true);
    await app.relayAll();
    // Only the dispute that changed in January has a cell there until the month's first report.
    expect(await monthRows("2027-01")).toHaveLength(1);

    const january = await fromProjection("2027-01");
    expect(january).toEqual(await fromEveryEvent("2027-01"));
    expect(january.summary).toMatchObject({ openAtStart: 18, active: 18, raised: 0 });
    expect(await monthRows("2027-01")).toContain("month|2027-01|carried");

    expect(await fromProjection("2026-12")).toEqual(await fromEveryEvent("2026-12"));
  });

  it("the relay's visit after a change writes the month cell in three requests (manifest, events, one batch), then nothing", async () => {
    const d = await raise(99);
    const counter = app.tables.counter;
    const visit = async () => {
      const before = counter.count;
      await app.services.store.reproject(tenantId, d.id, { dispute: d });
      return counter.count - before;
    };
    expect(await visit()).toBe(3);
    expect(await visit()).toBe(1);
  });

  it("a history too long for a cell is read from the dispute itself", async () => {
    const d = await raise(98);
    await app.relayAll();
    const events = await app.services.store.events(tenantId, d.id);
    // Were this cell read, the dispute would count as resolved.
    const long: AuditEvent = { ...events[0]!, version: 2, action: "resolve", detail: { outcome: "x".repeat(70_000) } };
    await app.tables.client("indexes").submitTransaction([writeMonthCell(tenantId, { ...d, version: 2 }, [...events, long])]);
    const report = await fromProjection("2027-01");
    expect(report).toEqual(await fromEveryEvent("2027-01"));
    expect(report.summary).toMatchObject({ raised: 2, resolved: 0 });
  });

  it("a month's rows lost: npm run migrate writes them again, and a past month never carried is counted from every event", async () => {
    const indexes = app.tables.client("indexes");
    for (const key of await monthRows("2026-11")) await indexes.deleteEntity(tenantId, key);
    expect(await fromProjection("2026-11")).toEqual(await fromEveryEvent("2026-11"));

    const before = await monthRows("2027-01");
    for (const key of before) if (key !== "month|2027-01|carried") await indexes.deleteEntity(tenantId, key);
    // The carried mark stands, so the month reads its rows: npm run migrate writes every month's cells again.
    await migrateIndexes(app.tables, app.services.store, tenantId, Infinity, app.services.clock.now());
    expect((await monthRows("2027-01")).length).toBeGreaterThan(1);
    expect(await fromProjection("2027-01")).toEqual(await fromEveryEvent("2027-01"));
  });
});
