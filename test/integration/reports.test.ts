/**
 * QA oversight over real HTTP, in local mode: the monthly report (JSON, CSV, page) for QA only,
 * and the dispute's printable record (HTML, and PDF printed by Debian's Chromium) for those who
 * may read the dispute. Storage is the run's Azurite.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("rep");

import "../../functions/index";
import { getApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { raiseDispute } from "../../functions/usecases/raise";
import { RECORD_SECTIONS } from "../../shared/reports/childRecord";

const IRO = "alexw@example.com";
const MANAGER = "meganb@example.com";
const QA = "quinnq@example.com";
const STRANGER = "olive@example.com";

let host: LocalHost;

const raiseBody = {
  child: { reference: "MOS-4411", initials: "T.R.", legalStatus: "looked-after", team: "demo-team" },
  category: "statutory-responsibilities",
  reason: "no-allocated-social-worker",
  concerns: `No allocated social worker since the review; the plan says "weekly" visits <none>.`,
  outcomesSought: "Allocate a social worker within 5 working days.",
  startStage: 1,
};

async function call(path: string, opts: { as?: string | null; method?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  const as = opts.as === undefined ? IRO : opts.as;
  if (as) headers["x-resolve-dev-user"] = as;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${host.url}/api/${path}`, { method: opts.method ?? "GET", headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
}

async function at(now: string) {
  const r = await call("dev/clock", { method: "POST", body: { now } });
  expect(r.status).toBe(200);
}

async function post(path: string, body: unknown, as: string) {
  const r = await call(path, { method: "POST", body, as });
  const json = await r.json();
  expect(r.status, JSON.stringify(json)).toBeLessThan(300);
  return json;
}

/** A: raised Mon 21 Dec, answered Tue 22 Dec, resolved Tue 5 Jan (8 working days over Christmas). */
let disputeA: string;

beforeAll(async () => {
  host = await startLocalHost({ port: 0 });
  await at("2026-12-02T10:00:00Z");
  const demo = demoAuthority("lambeth", tenantId);
  await (await getApp()).directory.seed({
    ...demo,
    people: [...demo.people, { id: "00000000-0000-0000-0000-000000000099", upn: STRANGER, displayName: "Olive Outsider", capabilities: [], serviceAreas: ["children-in-need"], teams: ["other-team"] }],
    teams: [...demo.teams, { id: "other-team", displayName: "Children in Need Team 4", serviceArea: "children-in-need" }],
  });
  // B: raised Wed 2 Dec, answered Wed 9 Dec, resolved Wed 16 Dec: 10 working days.
  const b = await post("disputes", { ...raiseBody, category: "drift-in-care-planning", reason: "care-plan-delay" }, IRO);
  await at("2026-12-09T10:00:00Z");
  await post(`disputes/${b.id}/actions`, { action: "respond", response: "The plan is attached." }, MANAGER);
  await at("2026-12-16T10:00:00Z");
  await post(`disputes/${b.id}/actions`, { action: "resolve", outcome: "Plan in place." }, IRO);
  await at("2026-12-21T10:00:00Z");
  const a = await post("disputes", raiseBody, IRO);
  disputeA = a.id;
  await at("2026-12-22T11:00:00Z");
  await post(`disputes/${a.id}/actions`, { action: "respond", response: "Sam is allocated from today.", actionsAgreed: "Visit by 30 December.", completionDate: "2026-12-30" }, MANAGER);
  await at("2026-12-23T10:00:00Z");
  await post(`disputes/${a.id}/actions`, { action: "record-child-informed", informed: true, advocacyOffered: true }, IRO);
  await at("2027-01-05T10:00:00Z");
  await post(`disputes/${a.id}/actions`, { action: "resolve", outcome: "Allocated and visited <on time>." }, IRO);
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

describe("the store: every event of the tenant in one range query", () => {
  it("holds this tenant's events only, even beside a tenant whose id starts the same", async () => {
    const app = await getApp();
    const neighbour = `${tenantId}x`;
    await app.directory.seed(demoAuthority("lambeth", neighbour));
    const raised = await raiseDispute(app.services, { tenantId: neighbour, raisedBy: demoPeople.alex, source: "api", details: raiseBody });
    expect(raised.ok).toBe(true);
    const mine = await app.services.store.allEvents(tenantId);
    expect(mine.map((e) => e.action).sort()).toEqual(["raise", "raise", "record-child-informed", "resolve", "resolve", "respond", "respond"]);
    expect(new Set(mine.map((e) => e.tenantId))).toEqual(new Set([tenantId]));
    expect((await app.services.store.allEvents(neighbour)).map((e) => e.action)).toEqual(["raise"]);
  });
});

describe("GET /api/reports/monthly", () => {
  it("QA gets December as JSON", async () => {
    const r = await call("reports/monthly?month=2026-12", { as: QA });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/application\/json/);
    const report = await r.json();
    expect(report.month).toBe("2026-12");
    expect(report.summary).toMatchObject({ raised: 2, resolved: 1, withdrawn: 0, openAtEnd: 1 });
    // B: Wed 2 → Wed 16 December.
    expect(report.resolution).toEqual({ resolved: 1, medianWorkingDays: 10, p90WorkingDays: 10, longestWorkingDays: 10 });
    expect(report.byTeam).toEqual([{ key: "demo-team", label: "Children in Care Team 1", active: 2, raised: 2, resolved: 1, openAtEnd: 1 }]);
    expect(report.byIro[0]).toMatchObject({ label: "Alex Wilber", raised: 2 });
  });

  it("and January: A resolved in 8 working days over Christmas", async () => {
    const report = await (await call("reports/monthly?month=2027-01", { as: QA })).json();
    expect(report.summary).toMatchObject({ raised: 0, resolved: 1, openAtStart: 1, openAtEnd: 0 });
    expect(report.resolution.medianWorkingDays).toBe(8);
  });

  it("keeps a past month's report once computed: asked again it reads no events, until a team is renamed", async () => {
    const app = await getApp();
    const counter = app.tables.counter;
    counter.rows = 0;
    const cost = async () => {
      const [requests, rows] = [counter.count, counter.rows!];
      const body = await (await call("reports/monthly?month=2026-12", { as: QA })).json();
      return { body, requests: counter.count - requests, rows: counter.rows! - rows };
    };
    const demo = demoAuthority("lambeth", tenantId);
    const teams = [...demo.teams, { id: "other-team", displayName: "Children in Need Team 4", serviceArea: "children-in-need" }];
    await app.directory.seed({ ...demo, teams: [{ ...teams[0]!, displayName: "Children in Care Team One" }, teams[1]!] });
    try {
      // December was computed before with the old name: computed afresh, from every event.
      const renamed = await cost();
      expect(renamed.body.byTeam[0].label).toBe("Children in Care Team One");
      const events = (await app.services.store.allEvents(tenantId)).length;
      expect(renamed.rows).toBeGreaterThan(events);
      const again = await cost();
      expect(again.body).toEqual(renamed.body);
      expect(again.rows).toBeLessThanOrEqual(renamed.rows - events);
      expect(again.requests).toBeLessThan(renamed.requests);
    } finally {
      await app.directory.seed({ ...demo, teams });
    }
    delete counter.rows;
  });

  it("QA gets CSV, as a download with a file name", async () => {
    const r = await call("reports/monthly?month=2026-12&format=csv", { as: QA });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("content-disposition")).toBe(`attachment; filename="resolve-monthly-report-2026-12.csv"`);
    const csv = await r.text();
    expect(csv.startsWith(`"Summary, December 2026"\r\nMeasure,Value\r\nDisputes raised,2\r\n`)).toBe(true);
    expect(csv).toContain("\r\nChildren in Care Team 1,2,2,1,1\r\n");
  });

  it("QA gets a page", async () => {
    const r = await call("reports/monthly/page?month=2026-12", { as: QA });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(r.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await r.text();
    expect(html).toContain("<h1>Dispute resolution: monthly report, December 2026</h1>");
    expect(html).toContain("Demo Borough Council");
    expect(html).toContain("Children in Care Team 1");
  });

  it("the page opened without a month shows this month, by name", async () => {
    const app = await getApp();
    const now = app.services.clock.now();
    const name = now.toLocaleDateString("en-GB", { month: "long", year: "numeric", timeZone: "Europe/London" });
    const r = await call("reports/monthly/page", { as: QA });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain(`<h1>Dispute resolution: monthly report, ${name}</h1>`);
  });

  it("a team manager, and an IRO, are refused: 403", async () => {
    for (const as of [MANAGER, IRO]) {
      const r = await call("reports/monthly?month=2026-12", { as });
      expect(r.status).toBe(403);
      expect(await r.json()).toEqual({ error: "Only the QA service sees the monthly report.", code: "forbidden" });
      expect((await call("reports/monthly/page?month=2026-12", { as })).status).toBe(403);
    }
  });

  it("nobody named: 401", async () => {
    expect((await call("reports/monthly?month=2026-12", { as: null })).status).toBe(401);
  });

  it("a bad or missing month: 400 naming the field", async () => {
    for (const q of ["month=2026-13", "month=December", "month=2026-12-01", ""]) {
      const r = await call(`reports/monthly?${q}`, { as: QA });
      expect(r.status, q).toBe(400);
      expect((await r.json()).error).toBe("month: must be a month written YYYY-MM, e.g. 2026-12");
    }
    const page = await call("reports/monthly/page?month=13-2026", { as: QA });
    expect(page.status).toBe(400);
  });

  it("an unknown format: 400 naming the field", async () => {
    const r = await call("reports/monthly?month=2026-12&format=xlsx", { as: QA });
    expect(r.status).toBe(400);
    expect((await r.json()).error).toBe("format: must be one of json, csv.");
  });
});

describe("GET /api/disputes/{id}/record", () => {
  it("the IRO gets the printable HTML record", async () => {
    const r = await call(`disputes/${disputeA}/record`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(r.headers.get("cache-control")).toBe("no-store");
    const html = await r.text();
    expect(html).toContain("Dispute resolution record: MOS-4411 (T.R.)");
    for (const title of RECORD_SECTIONS) expect(html).toContain(`<h2>${title}</h2>`);
    expect(html).toContain("Allocated and visited &lt;on time&gt;.");
    // The authority as the monthly report names it (the directory's name), the procedure by its title.
    expect(html).toContain("Demo Borough Council");
    expect(html).not.toContain("London Borough of Lambeth");
    expect(html).toContain("Dispute resolution and Escalation Procedure");
    // The team by its name, not its id.
    expect(html).toContain("Children in Care Team 1");
    expect(html).not.toContain("demo-team");
  });

  it("QA and the team manager on the dispute may read it too", async () => {
    expect((await call(`disputes/${disputeA}/record`, { as: QA })).status).toBe(200);
    expect((await call(`disputes/${disputeA}/record`, { as: MANAGER })).status).toBe(200);
  });

  it("a stranger is refused: 403; an unknown dispute: 404; an unknown format: 400", async () => {
    const r = await call(`disputes/${disputeA}/record`, { as: STRANGER });
    expect(r.status).toBe(403);
    expect((await r.json()).code).toBe("forbidden");
    expect((await call("disputes/NO-SUCH/record")).status).toBe(404);
    const bad = await call(`disputes/${disputeA}/record?format=docx`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe("format: must be one of html, pdf.");
  });

  it("a stranger gets no PDF either", async () => {
    expect((await call(`disputes/${disputeA}/record?format=pdf`, { as: STRANGER })).status).toBe(403);
  });
});

function commandExists(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

describe("the record as PDF", () => {
  it("is an A4 PDF drawn without a browser: the marking and page numbers on every page, every section, selectable text", async () => {
    // CI installs it (.ci/run): a machine without it fails here, saying what is missing.
    expect(commandExists("pdftotext"), "pdftotext is needed: apt-get install poppler-utils").toBe(true);
    const r = await call(`disputes/${disputeA}/record?format=pdf`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/pdf");
    expect(r.headers.get("content-disposition")).toBe(`inline; filename="dispute-${disputeA}-record.pdf"`);
    const pdf = Buffer.from(await r.arrayBuffer());
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    // A4: 595.28 × 841.89 points.
    expect(pdf.toString("latin1")).toMatch(/\/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/);
    const text = execFileSync("pdftotext", ["-layout", "-", "-"], { input: pdf }).toString("utf8");
    for (const title of RECORD_SECTIONS) expect(text).toContain(title);
    expect(text).toContain("MOS-4411");
    expect(text).toContain("Allocated and visited <on time>.");
    // The same authority as the HTML record and the monthly report.
    expect(text).toContain("Demo Borough Council");
    expect(text).not.toContain("London Borough of Lambeth");
    const pages = text.split("\f").filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(0);
    pages.forEach((page, i) => {
      expect(page, `page ${i + 1}`).toContain("OFFICIAL-SENSITIVE: part of the child's record");
      expect(page, `page ${i + 1}`).toMatch(new RegExp(`Dispute ${disputeA} · page ${i + 1} of ${pages.length}`));
    });
  }, 60_000);
});
