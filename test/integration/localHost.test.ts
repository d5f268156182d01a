import type { Timer } from "@azure/functions";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { portIsFree } from "../../scripts/azurite";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";
import { registerHttp, registerTimer } from "../../functions/host/registry";

// ---- routes and timers registered exactly as the app does ----------------------------------

registerHttp({
  name: "testEcho",
  route: "localtest/items/{id}",
  methods: ["GET", "POST"],
  handler: async (request, context) => ({
    jsonBody: {
      method: request.method,
      id: request.params.id,
      q: request.query.get("q"),
      all: request.query.getAll("tag"),
      url: request.url,
      header: request.headers.get("x-resolve-test"),
      body: request.method === "POST" ? await request.json() : null,
      functionName: context.functionName,
      invocationId: context.invocationId,
    },
  }),
});

registerHttp({
  name: "testLiteral",
  route: "localtest/items/special",
  methods: ["GET"],
  handler: () => ({ jsonBody: { literal: true } }),
});

registerHttp({
  name: "testActions",
  route: "localtest/items/{id}/actions",
  methods: ["POST"],
  handler: async (request) => ({ status: 202, jsonBody: { id: request.params.id, text: await request.text() } }),
});

registerHttp({
  name: "testOptional",
  route: "localtest/optional/{name?}",
  methods: ["GET"],
  handler: (request) => ({ jsonBody: { name: request.params.name ?? null } }),
});

registerHttp({
  name: "testText",
  route: "localtest/text",
  methods: ["GET"],
  handler: () => ({ status: 201, body: "plain words", headers: { "x-custom": "yes" } }),
});

registerHttp({
  name: "testBytes",
  route: "localtest/bytes",
  methods: ["GET"],
  handler: () => ({ body: new Uint8Array([0, 1, 2, 255]), headers: { "content-type": "application/octet-stream" } }),
});

registerHttp({
  name: "testSize",
  route: "localtest/size",
  methods: ["POST"],
  handler: async (request) => ({ jsonBody: { bytes: (await request.arrayBuffer()).byteLength } }),
});

registerHttp({
  name: "testBoom",
  route: "localtest/boom",
  methods: ["POST"],
  handler: () => {
    throw new Error("handler exploded");
  },
});

const ticks = { runs: 0, active: 0, maxActive: 0, timers: [] as Timer[], names: new Set<string>() };
registerTimer({
  name: "testSlowTimer",
  schedule: "0 */5 * * * *",
  localEveryMs: 10,
  handler: async (timer, context) => {
    ticks.runs++;
    ticks.active++;
    ticks.maxActive = Math.max(ticks.maxActive, ticks.active);
    ticks.timers.push(timer);
    ticks.names.add(context.functionName);
    await new Promise((r) => setTimeout(r, 40)); // four intervals long: ticks must be skipped
    ticks.active--;
  },
});

let failingRuns = 0;
registerTimer({
  name: "testFailingTimer",
  schedule: "0 */5 * * * *",
  localEveryMs: 15,
  handler: () => {
    failingRuns++;
    throw new Error("timer exploded");
  },
});

// ---- host ------------------------------------------------------------------------------------

let host: LocalHost;
const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);

beforeAll(async () => {
  host = await startLocalHost({ port: 0, runTimers: true });
});

afterAll(async () => {
  await host.stop();
  errors.mockRestore();
});

function api(path: string): string {
  return `${host.url}/api/${path}`;
}

describe("local Functions host over real HTTP", () => {
  it("passes route params, query, headers and the full url to the handler", async () => {
    const res = await fetch(api("localtest/items/D%2F42?q=open&tag=a&tag=b"), {
      headers: { "x-resolve-test": "hello" },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      method: "GET",
      id: "D/42",
      q: "open",
      all: ["a", "b"],
      header: "hello",
      functionName: "testEcho",
    });
    expect(body.url).toBe(`${host.url}/api/localtest/items/D%2F42?q=open&tag=a&tag=b`);
    expect(body.invocationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("round-trips a JSON body and answers jsonBody as application/json", async () => {
    const payload = { reason: "Plan not followed", initials: "A.B.", nested: { n: [1, 2, 3] }, text: "é ✓" };
    const res = await fetch(api("localtest/items/7"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await res.json()).body).toEqual(payload);
  });

  it("prefers a literal segment over a parameter and serves deeper templates", async () => {
    expect(await (await fetch(api("localtest/items/special"))).json()).toEqual({ literal: true });
    const res = await fetch(api("localtest/items/9/actions"), { method: "POST", body: "accept" });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id: "9", text: "accept" });
  });

  it("supports optional segments, is case-insensitive and tolerates a trailing slash", async () => {
    expect(await (await fetch(api("localtest/optional"))).json()).toEqual({ name: null });
    expect(await (await fetch(api("localtest/optional/ann"))).json()).toEqual({ name: "ann" });
    expect(await (await fetch(`${host.url}/API/LocalTest/Items/special/`)).json()).toEqual({ literal: true });
  });

  it("writes status, headers and string or binary bodies as given", async () => {
    const text = await fetch(api("localtest/text"));
    expect(text.status).toBe(201);
    expect(text.headers.get("x-custom")).toBe("yes");
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await text.text()).toBe("plain words");

    const bytes = await fetch(api("localtest/bytes"));
    expect(bytes.headers.get("content-type")).toBe("application/octet-stream");
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it("answers 404 with a JSON error for unknown paths", async () => {
    for (const path of ["/api/x", "/api/localtest/items", "/elsewhere"]) {
      const res = await fetch(`${host.url}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ error: `No route for GET ${path}` });
    }
  });

  it("answers 405 for a known path with the wrong method", async () => {
    const res = await fetch(api("localtest/items/7"), { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, POST");
    expect(await res.json()).toEqual({ error: "Method DELETE not allowed for /api/localtest/items/7" });
  });

  it("accepts 1 MB and answers 413 above it (declared or streamed)", async () => {
    const limit = 1024 * 1024;
    const ok = await fetch(api("localtest/size"), { method: "POST", body: "x".repeat(limit) });
    expect(await ok.json()).toEqual({ bytes: limit });

    const declared = await fetch(api("localtest/size"), { method: "POST", body: "x".repeat(limit + 1) });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error).toMatch(/too large/);

    // No content-length: chunked upload, counted while reading.
    const chunk = new Uint8Array(256 * 1024).fill(120);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 5) controller.close();
        else {
          sent++;
          controller.enqueue(chunk);
        }
      },
    });
    const streamed = await fetch(api("localtest/size"), {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit & { duplex: "half" });
    expect(streamed.status).toBe(413);
  });

  it("answers 500 with the invocation id when a handler throws, logging the error but not the body", async () => {
    errors.mockClear();
    const res = await fetch(api("localtest/boom"), { method: "POST", body: "SECRET-CHILD-NAME" });
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({ error: "Internal error", invocationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const logged = errors.mock.calls.map((args) => args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" "));
    expect(logged.some((line) => line.includes("testBoom") && line.includes(body.invocationId))).toBe(true);
    expect(logged.some((line) => line.includes("handler exploded"))).toBe(true);
    expect(logged.join("\n")).not.toContain("SECRET-CHILD-NAME");
    // The host keeps serving.
    expect((await fetch(api("localtest/text"))).status).toBe(201);
  });

  it("runs timers repeatedly, never two runs of one job at once, and keeps going after errors", async () => {
    const deadline = Date.now() + 5_000;
    while ((ticks.runs < 4 || failingRuns < 4) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(ticks.runs).toBeGreaterThanOrEqual(4);
    expect(ticks.maxActive).toBe(1);
    expect(failingRuns).toBeGreaterThanOrEqual(4);
    expect(errors.mock.calls.some((args) => String(args[0]).includes("testFailingTimer"))).toBe(true);
    expect([...ticks.names]).toEqual(["testSlowTimer"]);
    const timer = ticks.timers[0]!;
    expect(timer.isPastDue).toBe(false);
    expect(timer.schedule).toEqual({ adjustForDST: true });
    for (const key of ["last", "next", "lastUpdated"] as const) {
      expect(Number.isNaN(Date.parse(timer.scheduleStatus[key]))).toBe(false);
    }
  });

  it("refuses a port that is taken, with a clear message", async () => {
    const port = Number(new URL(host.url).port);
    await expect(startLocalHost({ port })).rejects.toThrow(
      `Port ${port} is in use: stop the other host or set RESOLVE_PORT`,
    );
  });

  it("stop() closes the server, frees the port and ends the timers; no timers unless asked", async () => {
    const other = await startLocalHost({ port: 0, runTimers: true });
    const port = Number(new URL(other.url).port);
    expect((await fetch(`${other.url}/api/localtest/text`)).status).toBe(201);
    await other.stop();
    expect(await portIsFree(port)).toBe(true);
    await expect(fetch(`${other.url}/api/localtest/text`)).rejects.toThrow();

    await host.stop();
    const runsAfterStop = ticks.runs;
    expect(ticks.active).toBe(0); // stop() waited for the run in flight
    expect(await portIsFree(Number(new URL(host.url).port))).toBe(true);

    // A host started without runTimers runs none.
    const quiet = await startLocalHost({ port: 0 });
    try {
      expect((await fetch(`${quiet.url}/api/localtest/text`)).status).toBe(201);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await quiet.stop();
    }
    expect(ticks.runs).toBe(runsAfterStop);
  });
});
