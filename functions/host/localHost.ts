/**
 * A small stand-in for the Azure Functions host, for machines where Core Tools cannot run.
 *
 * It serves the very handlers recorded in `httpRoutes` (under /api/<route template>) and runs the
 * `timerJobs` every `localEveryMs`, building real `HttpRequest` / `InvocationContext` objects
 * from @azure/functions (which is in test mode outside the Functions host). It is not a
 * production server: loopback by default, no auth levels, no function keys.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import azureFunctions, { type Cookie, type HttpResponseInit, type Timer } from "@azure/functions";
import { type HttpRoute, type TimerJob, httpRoutes, timerJobs } from "./registry";

export interface LocalHostOptions {
  /** Default 7071 (as `func start`); 0 picks a free port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Run every registered timer every `localEveryMs`. Default false. */
  runTimers?: boolean;
  /** Log one line per request (method, path without query, status, duration). Default false. */
  logRequests?: boolean;
}

export interface LocalHost {
  /** Base address, e.g. "http://127.0.0.1:7071" (routes live under `${url}/api/`). */
  url: string;
  stop(): Promise<void>;
}

// @azure/functions is a webpack-built CommonJS bundle: Node's ESM loader sees `app` as a named
// export but not the classes, so they come from the default (module.exports) import.
const { HttpRequest, HttpResponse, InvocationContext } = azureFunctions;

export const ROUTE_PREFIX = "api";
export const MAX_BODY_BYTES = 1024 * 1024;

// ---- route templates --------------------------------------------------------------------------

interface CompiledRoute {
  route: HttpRoute;
  regex: RegExp;
  names: string[];
  /** Per segment: 0 literal, 1 constrained/mixed parameter, 2 parameter, 3 optional, 4 catch-all. */
  rank: number[];
}

const CONSTRAINTS: Record<string, string> = {
  int: "-?\\d+",
  long: "-?\\d+",
  alpha: "[A-Za-z]+",
  bool: "(?:true|false)",
  guid: "[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}",
};

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function constraintPattern(constraint: string | undefined): string {
  if (!constraint) return "[^/]+";
  const name = constraint.split(/[:(]/)[0]?.toLowerCase() ?? "";
  return CONSTRAINTS[name] ?? "[^/]+";
}

/**
 * Compiles an Azure Functions route template ("disputes/{id}", "files/{*path}", "items/{id:int}",
 * "reports/{year?}") to a regex over the path after "/api" (leading slash, no trailing slash).
 */
export function compileRouteTemplate(template: string): { regex: RegExp; names: string[]; rank: number[] } {
  const segments = template.replace(/^\/+|\/+$/g, "").split("/").filter((s) => s !== "");
  const names: string[] = [];
  const rank: number[] = [];
  let source = "";
  for (const segment of segments) {
    const catchAll = /^\{\*\*?([A-Za-z_]\w*)(?::[^}]*)?\}$/.exec(segment);
    if (catchAll) {
      names.push(catchAll[1]!);
      rank.push(4);
      source += "(?:/(.*))?";
      continue;
    }
    const optional = /^\{([A-Za-z_]\w*)(?::([^}?]*))?\?\}$/.exec(segment);
    if (optional) {
      names.push(optional[1]!);
      rank.push(3);
      source += `(?:/(${constraintPattern(optional[2])}))?`;
      continue;
    }
    const whole = /^\{([A-Za-z_]\w*)(?::([^}]*))?\}$/.exec(segment);
    if (whole) {
      names.push(whole[1]!);
      rank.push(whole[2] ? 1 : 2);
      source += `/(${constraintPattern(whole[2])})`;
      continue;
    }
    if (segment.includes("{")) {
      // Mixed literal and parameters in one segment, e.g. "{name}.{ext}".
      let part = "";
      let last = 0;
      for (const m of segment.matchAll(/\{([A-Za-z_]\w*)(?::([^}]*))?\}/g)) {
        part += escapeRegex(segment.slice(last, m.index));
        names.push(m[1]!);
        part += m[2] ? `(${constraintPattern(m[2])})` : "([^/]+?)";
        last = m.index + m[0].length;
      }
      part += escapeRegex(segment.slice(last));
      rank.push(1);
      source += `/${part}`;
      continue;
    }
    rank.push(0);
    source += `/${escapeRegex(segment)}`;
  }
  // Routing in the Functions host is case-insensitive.
  return { regex: new RegExp(`^${source}$`, "i"), names, rank };
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x !== y) return x - y;
  }
  return 0;
}

const compiledCache = new WeakMap<HttpRoute, CompiledRoute>();

function compiledRoutes(): CompiledRoute[] {
  return httpRoutes
    .map((route) => {
      let compiled = compiledCache.get(route);
      if (!compiled || compiled.route.route !== route.route) {
        compiled = { route, ...compileRouteTemplate(route.route) };
        compiledCache.set(route, compiled);
      }
      return compiled;
    })
    .sort((a, b) => compareRank(a.rank, b.rank));
}

// ---- HTTP -------------------------------------------------------------------------------------

class BodyTooLarge extends Error {}
class BadRequest extends Error {}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolveBody(Buffer.concat(chunks));
    });
    req.on("error", (err) => {
      if (!failed) reject(err);
    });
  });
}

function requestHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    // Hop-by-hop headers describe this connection, not the request the handler sees.
    if (name === "connection" || name === "keep-alive" || name === "transfer-encoding" || name === "upgrade") continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function serializeCookie(cookie: Cookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path) parts.push(`Path=${cookie.path}`);
  if (cookie.expires !== undefined) parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${cookie.maxAge}`);
  if (cookie.secure) parts.push("Secure");
  if (cookie.httpOnly) parts.push("HttpOnly");
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join("; ");
}

async function writeResult(req: IncomingMessage, res: ServerResponse, result: unknown): Promise<void> {
  if (result !== undefined && result !== null && typeof result !== "object") {
    throw new Error('The HTTP response must be an object with optional properties "body", "status", "headers", and "cookies".');
  }
  // Same conversion as the Functions worker: jsonBody → JSON text + content-type application/json.
  const response =
    result instanceof HttpResponse
      ? result
      : new HttpResponse((result ?? { status: 204 }) as HttpResponseInit);
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const setCookies = [...response.headers.getSetCookie(), ...response.cookies.map(serializeCookie)];
  if (setCookies.length > 0) headers["set-cookie"] = setCookies;
  const noBody = req.method === "HEAD" || response.status === 204 || response.status === 304;
  if (!noBody) headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(noBody ? undefined : body);
}

function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new BadRequest("Malformed percent-encoding in the path");
  }
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  let url: URL;
  try {
    url = new URL(req.url ?? "/", req.headers.host ? `http://${req.headers.host}` : base);
  } catch {
    url = new URL(req.url ?? "/", base);
  }
  const pathname = url.pathname;
  const prefix = new RegExp(`^/${ROUTE_PREFIX}(?=/|$)`, "i");
  const noRoute = (): void => sendJson(res, 404, { error: `No route for ${method} ${pathname}` });
  if (!prefix.test(pathname)) return noRoute();
  let rel = pathname.replace(prefix, "");
  if (rel.length > 1 && rel.endsWith("/")) rel = rel.slice(0, -1);
  if (rel === "/") rel = "";

  const matches: { compiled: CompiledRoute; values: (string | undefined)[] }[] = [];
  for (const compiled of compiledRoutes()) {
    const m = compiled.regex.exec(rel);
    if (m) matches.push({ compiled, values: m.slice(1) });
  }
  if (matches.length === 0) return noRoute();
  const chosen = matches.find(
    ({ compiled }) => compiled.route.methods.length === 0 || compiled.route.methods.some((m) => m === method),
  );
  if (!chosen) {
    const allowed = [...new Set(matches.flatMap(({ compiled }) => compiled.route.methods))];
    return sendJson(res, 405, { error: `Method ${method} not allowed for ${pathname}` }, { allow: allowed.join(", ") });
  }

  let body: Buffer;
  try {
    body = await readBody(req, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      res.once("finish", () => {
        // Discard what the client still sends, but not forever.
        let discarded = 0;
        req.on("data", (chunk: Buffer) => {
          discarded += chunk.length;
          if (discarded > 16 * MAX_BODY_BYTES) req.destroy();
        });
        req.resume();
      });
      return sendJson(res, 413, { error: `Request body too large (limit ${MAX_BODY_BYTES} bytes)` }, { connection: "close" });
    }
    throw err;
  }

  const { route, names } = chosen.compiled;
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    const value = chosen.values[i];
    if (value !== undefined) params[name] = decodeParam(value);
  });

  const invocationId = randomUUID();
  const request = new HttpRequest({
    method,
    url: url.href,
    headers: requestHeaders(req),
    body: { bytes: body },
    params,
  });
  const context = new InvocationContext({
    invocationId,
    functionName: route.name,
    options: { trigger: { type: "httpTrigger", name: "request" } },
  });
  let result: unknown;
  try {
    result = await route.handler(request, context);
    await writeResult(req, res, result);
  } catch (err) {
    // Ids only: never the request body.
    console.error(`[local host] ${route.name} failed (invocation ${invocationId}):`, err);
    if (!res.headersSent) sendJson(res, 500, { error: "Internal error", invocationId });
    else res.destroy();
  }
}

// ---- timers -----------------------------------------------------------------------------------

function startTimerLoop(job: TimerJob, runs: Set<Promise<void>>): () => void {
  let running = false;
  let last = new Date();
  const tick = (): void => {
    if (running) return; // never two runs of the same job at once
    running = true;
    const now = new Date();
    const timer: Timer = {
      isPastDue: false,
      schedule: { adjustForDST: true },
      scheduleStatus: {
        last: last.toISOString(),
        next: new Date(now.getTime() + job.localEveryMs).toISOString(),
        lastUpdated: now.toISOString(),
      },
    };
    last = now;
    const invocationId = randomUUID();
    const context = new InvocationContext({
      invocationId,
      functionName: job.name,
      options: { trigger: { type: "timerTrigger", name: "timer" } },
    });
    const run = (async () => {
      try {
        await job.handler(timer, context);
      } catch (err) {
        console.error(`[local host] timer ${job.name} failed (invocation ${invocationId}):`, err);
      } finally {
        running = false;
      }
    })();
    runs.add(run);
    void run.finally(() => runs.delete(run));
  };
  const interval = setInterval(tick, job.localEveryMs);
  return () => clearInterval(interval);
}

// ---- start ------------------------------------------------------------------------------------

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolveListen, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off("listening", onListening);
      if (err.code === "EADDRINUSE") {
        reject(new Error(`Port ${port} is in use: stop the other host or set RESOLVE_PORT`));
      } else {
        reject(err);
      }
    };
    const onListening = (): void => {
      server.off("error", onError);
      const address = server.address();
      resolveListen(typeof address === "object" && address ? address.port : port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

export async function startLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  const host = options.host ?? "127.0.0.1";
  const wantedPort = options.port ?? 7071;
  let base = "";

  const server = createServer((req, res) => {
    const started = Date.now();
    if (options.logRequests) {
      res.once("finish", () => {
        const path = (req.url ?? "/").split("?")[0];
        console.log(`[local host] ${req.method} ${path} ${res.statusCode} ${Date.now() - started} ms`);
      });
    }
    handleRequest(req, res, base).catch((err: unknown) => {
      if (err instanceof BadRequest) {
        if (!res.headersSent) sendJson(res, 400, { error: err.message });
        return;
      }
      console.error("[local host] request failed:", err);
      if (!res.headersSent) sendJson(res, 500, { error: "Internal error" });
      else res.destroy();
    });
  });

  const port = await listen(server, wantedPort, host);
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  base = `http://${urlHost}:${port}`;

  const timerRuns = new Set<Promise<void>>();
  const stopTimers = options.runTimers ? timerJobs.map((job) => startTimerLoop(job, timerRuns)) : [];

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const stopTimer of stopTimers) stopTimer();
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(force);
      await Promise.allSettled([...timerRuns]);
    })();
    return stopping;
  };

  return { url: base, stop };
}
