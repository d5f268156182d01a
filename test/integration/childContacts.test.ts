/**
 * The child's own contacts over real HTTP, in local mode, on the run's Azurite, under Cumberland's
 * ORP: the IRO names the child's Children's Guardian and solicitor at the raise (POST
 * /api/disputes) with the "in proceedings" flag; the relay mails the Guardian once (the ORP: "any
 * matter subject to an outcome resolution process") and LA solicitors once, to tell the court; the
 * solicitor, whom the ORP does not name, is not mailed; naming them again tells nobody twice. The
 * names never reach the logs.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("cc");

import "../../functions/index";
import type { MailboxItem } from "../../functions/adapters/localMailbox";
import { type App, getApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";

const IRO = demoPeople.alex.upn;
const GUARDIAN = { name: "Priya Shah", email: "priya.shah@cafcass.example" };
const SOLICITOR = { name: "Tom Reed", email: "t.reed@reedlaw.example" };
const CONCERNS = "The plan for J.S. has not been endorsed since the review on 1 December.";

const raiseBody = {
  child: { reference: "MOS-200417", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
  category: "human-rights",
  reason: "non-participation",
  concerns: CONCERNS,
  outcomesSought: "A placement planning meeting within 5 working days.",
  startStage: 1,
  childContacts: { guardian: GUARDIAN, solicitor: SOLICITOR, inProceedings: true },
};

let host: LocalHost;
let app: App;
const logs: string[] = [];

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${host.url}/api/${path}`, {
    method,
    headers: { "x-resolve-dev-user": IRO, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function settle(disputeId: string) {
  for (let i = 0; i < 100 && (await app.outbox.marker(tenantId, disputeId)); i++) await app.relayAll();
  return app.outbox.all(tenantId, disputeId);
}

const mailTo = async (address: string): Promise<MailboxItem[]> => (await call("GET", `dev/mailbox?to=${encodeURIComponent(address)}`)).json.items;

beforeAll(async () => {
  // Everything the service logs during the file, kept (and not printed) to check that no name gets there.
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logs.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
  }
  host = await startLocalHost({ port: 0 });
  app = await getApp();
  await app.directory.seed(demoAuthority("cumberland", tenantId));
  expect((await call("POST", "dev/clock", { now: "2027-02-01T10:00:00Z" })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await host?.stop();
  vi.restoreAllMocks();
});

describe("Cumberland ORP: the child's Guardian and the court, over HTTP", () => {
  let id: string;

  it("a contact with a field the form does not have is refused, naming it, and nothing is raised", async () => {
    const r = await call("POST", "disputes", { ...raiseBody, childContacts: { ...raiseBody.childContacts, guardian: { ...GUARDIAN, phone: "0123" } } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json)).toContain("childContacts.guardian.phone");
    expect(await app.services.store.allEvents(tenantId)).toEqual([]);
  });

  it("raised with the Guardian, the solicitor and the flag: the record holds them; the Guardian and LA solicitors get one mail each, the solicitor none", async () => {
    const r = await call("POST", "disputes", raiseBody);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    id = r.json.id;
    expect(r.json.childContacts).toEqual(raiseBody.childContacts);
    const entries = await settle(id);
    expect(entries.filter((e) => e.status !== "delivered")).toEqual([]);

    const guardianMail = await mailTo(GUARDIAN.email);
    expect(guardianMail.map((m) => [m.kind, m.notice, m.disputeId])).toEqual([["mail", "child-contact", id]]);
    // Case reference and initials, and the IRO to contact; none of the concerns.
    expect(guardianMail[0]!.text).toContain("MOS-200417");
    expect(guardianMail[0]!.text).toContain("J.S.");
    expect(guardianMail[0]!.text).not.toContain(CONCERNS);
    expect((await mailTo(demoPeople.legal.upn)).map((m) => m.notice)).toEqual(["court-notice"]);
    expect(await mailTo(SOLICITOR.email)).toEqual([]);
  });

  it("named again by the IRO, the same Guardian is not told twice", async () => {
    const r = await call("POST", `disputes/${id}/actions`, { action: "set-child-contacts", guardian: GUARDIAN, inProceedings: true });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    await settle(id);
    expect(await mailTo(GUARDIAN.email)).toHaveLength(1);
    expect(await mailTo(demoPeople.legal.upn)).toHaveLength(1);
  });

  it("the record shows them and who was told when; the names reached no log", async () => {
    const record = await fetch(`${host.url}/api/disputes/${id}/record`, { headers: { "x-resolve-dev-user": IRO } });
    expect(record.status).toBe(200);
    const html = await record.text();
    expect(html).toContain("Priya Shah (priya.shah@cafcass.example)");
    expect(html).toContain("Tom Reed (t.reed@reedlaw.example)");
    expect(html).toContain("LA Legal Services, LA solicitor (to tell the court)");
    for (const line of logs) {
      for (const secret of [GUARDIAN.name, GUARDIAN.email, SOLICITOR.name, SOLICITOR.email]) expect(line).not.toContain(secret);
    }
  });
});
