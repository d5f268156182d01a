/**
 * /api/health (liveness) and /api/health/ready (readiness: storage, the sweep's heartbeat) over
 * real HTTP. Storage is first a stand-in that refuses the app's identity (403, as when the table
 * data role is missing), then the run's Azurite.
 */
import { type Server, createServer } from "node:http";
import azureFunctions from "@azure/functions";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import "../../functions/index";
import { getApp } from "../../functions/compose";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { timerJobs } from "../../functions/host/registry";
import { logged } from "../fixtures/console";
import { useLocalMode } from "../fixtures/localMode";

useLocalMode("health");

let host: LocalHost;
let refusing: Server;
let refusals = 0;

async function get(path: string) {
  const res = await fetch(`${host.url}/api/${path}`);
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  refusing = createServer((req, res) => {
    refusals++;
    req.resume();
    res.writeHead(403, { "content-type": "application/json", "x-ms-error-code": "AuthorizationPermissionMismatch" });
    res.end(JSON.stringify({ "odata.error": { code: "AuthorizationPermissionMismatch", message: { value: "This request is not authorized to perform this operation using this permission. RequestId:secret-internal-detail" } } }));
  });
  await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
  const address = refusing.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.env.RESOLVE_TABLES_CONNECTION = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${Buffer.from("k").toString("base64")};TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
  host = await startLocalHost({ port: 0 });
});

afterAll(async () => {
  await host?.stop();
  await new Promise<void>((resolve) => (refusing ? refusing.close(() => resolve()) : resolve()));
});

describe("health", () => {
  it("storage refusing the app: liveness 200 without touching storage, readiness 503 without the error's text", async () => {
    const live = await get("health");
    expect(live.status).toBe(200);
    expect(JSON.parse(live.text)).toEqual({ status: "ok", mode: "local" });
    expect(refusals).toBe(0);

    const { result: ready, lines } = await logged(() => get("health/ready"));
    // Logged for operations by the error's name only, never its text.
    expect(lines).toEqual(["health: the app did not start (RestError 403)"]);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: "unavailable", checks: { storage: { status: "unavailable" } } });
    expect(ready.text).not.toMatch(/authorized|secret-internal-detail|AuthorizationPermissionMismatch/);
    expect(refusals).toBeGreaterThan(0);
  });

  it("storage answering: ready, the sweep not yet run, then ok once it has, and late (degraded, still 200) after 15 minutes without it", async () => {
    process.env.RESOLVE_TABLES_CONNECTION = inject("tablesConnection");
    const first = await get("health/ready");
    expect(first.status).toBe(200);
    const app = await getApp();
    const now = new Date("2026-12-21T10:00:00Z");
    app.setClock(now);
    // A fresh storage for this authority's run may already hold another file's beat: start from ours.
    await app.heartbeats.beat("sweep", new Date(0));
    expect(JSON.parse((await get("health/ready")).text).checks.sweep.status).toBe("late");

    const said: string[] = [];
    const sweepJob = timerJobs.find((j) => j.name === "sweep")!;
    await sweepJob.handler({ isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: "", next: "", lastUpdated: "" } }, new azureFunctions.InvocationContext({ functionName: "sweep", logHandler: (_level, ...args) => said.push(args.join(" ")) }));
    // What the sweep says for the log is a figure line of its own jobs, nothing else.
    for (const line of said) expect(line).toMatch(/^(sweep|relay|auditor): /);
    const ready = await get("health/ready");
    expect(ready.status).toBe(200);
    const body = JSON.parse(ready.text);
    expect(body).toMatchObject({ status: "ok", mode: "local", checks: { storage: { status: "ok" }, sweep: { status: "ok" } } });
    // The settable clock runs on from where it was set.
    const ranAt = Date.parse(body.checks.sweep.lastRunAt);
    expect(ranAt - now.getTime()).toBeGreaterThanOrEqual(0);
    expect(ranAt - now.getTime()).toBeLessThan(10_000);

    app.setClock(new Date(ranAt + 16 * 60_000));
    const late = await get("health/ready");
    expect(late.status).toBe(200);
    expect(JSON.parse(late.text)).toMatchObject({ status: "degraded", checks: { storage: { status: "ok" }, sweep: { status: "late", lastRunAt: body.checks.sweep.lastRunAt } } });
    // The sweep timer acts for every authority in the run's shared storage.
  }, 60_000);
});
