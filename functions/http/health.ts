/**
 * Health for the platform and for operators, anonymous and cheap:
 * - GET /api/health: liveness. The process answers; nothing is read from storage.
 * - GET /api/health/ready: readiness, what the availability test in infra/monitoring/alerts.bicep
 *   calls (Flex Consumption has no platform health check). Storage answers (503 if not) and when
 *   the sweep last finished ("late" after three missed runs: reported as degraded with a 200,
 *   since the sweep has its own alert and an unready answer would not bring the timer back).
 * - The auditor's last run (late after two sweep periods) is one of the readiness checks; what it
 *   found and repaired is shown to the QA service only.
 * Neither echoes an internal error: the reason goes to the log, by name and status only.
 */
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { statusOf } from "../adapters/tables";
import { type App, getApp } from "../compose";
import { registerHttp } from "../host/registry";
import { readSettings } from "../settings";
import { SWEEP_HEARTBEAT } from "../timers";
import { auditorHealthFor } from "./auditorHealth";

/** The sweep runs every 5 minutes: three missed runs make it late. */
export const SWEEP_LATE_AFTER_MS = 15 * 60_000;

const HEADERS = { "cache-control": "no-store" };

type Check = { status: "ok" | "late" | "not yet run" | "not run yet" | "unavailable"; [detail: string]: unknown };

registerHttp({
  name: "health",
  route: "health",
  methods: ["GET"],
  handler: async (): Promise<HttpResponseInit> => {
    try {
      return { status: 200, headers: HEADERS, jsonBody: { status: "ok", mode: readSettings().RESOLVE_MODE } };
    } catch {
      console.error("health: the settings do not read (see the start-up error)");
      return { status: 503, headers: HEADERS, jsonBody: { status: "unavailable" } };
    }
  },
});

registerHttp({
  name: "ready",
  route: "health/ready",
  methods: ["GET"],
  handler: async (req: HttpRequest): Promise<HttpResponseInit> => {
    let app: App;
    try {
      app = await getApp();
    } catch (e) {
      logFailure("the app did not start", e);
      return { status: 503, headers: HEADERS, jsonBody: { status: "unavailable", checks: { storage: { status: "unavailable" } } } };
    }
    const checks: Record<string, Check> = {};
    try {
      const last = await app.heartbeats.last(SWEEP_HEARTBEAT);
      checks.storage = { status: "ok" };
      const now = app.services.clock.now();
      checks.sweep = last
        ? { status: now.getTime() - last.getTime() > SWEEP_LATE_AFTER_MS ? "late" : "ok", lastRunAt: last.toISOString() }
        : { status: "not yet run" };
      checks.auditor = await auditorHealthFor(req, app);
    } catch (e) {
      logFailure("storage did not answer", e);
      checks.storage = { status: "unavailable" };
    }
    const unavailable = checks.storage.status !== "ok";
    const degraded = Object.values(checks).some((c) => c.status === "late");
    return {
      status: unavailable ? 503 : 200,
      headers: HEADERS,
      jsonBody: { status: unavailable ? "unavailable" : degraded ? "degraded" : "ok", mode: app.settings.RESOLVE_MODE, checks },
    };
  },
});

function logFailure(what: string, e: unknown): void {
  const code = statusOf(e);
  console.error(`health: ${what} (${e instanceof Error ? e.name : typeof e}${code ? ` ${code}` : ""})`);
}
