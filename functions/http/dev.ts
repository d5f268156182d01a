import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { z } from "zod";
import { londonDate, londonInstant } from "../../shared/calendar/londonTime";
import { createWorkingCalendar } from "../../shared/calendar/workingDays";
import { describeIssues } from "../../shared/procedure/procedureSchema";
import { type App, getApp } from "../compose";
import { registerHttp } from "../host/registry";
import { relay } from "../usecases/relay";
import type { Services } from "../usecases/services";
import { sweep } from "../usecases/sweep";
import { jsonBody, problem } from "./responses";

/** Dev controls exist in local mode only; anywhere else they refuse. */
const localOnly = (handler: (req: HttpRequest, app: App) => Promise<HttpResponseInit>) => async (req: HttpRequest) => {
  const app = await getApp();
  if (app.settings.RESOLVE_MODE !== "local") return problem(403, "Dev controls are available in local mode only.");
  return handler(req, app);
};

/**
 * The dev controls act for the dev authority alone: its moved clock must not fire the timers or
 * deliver the outboxes of other authorities sharing the storage (every test file's, on one Azurite).
 */
function devAuthorityOnly(app: App): Services {
  const { directory } = app.services;
  const only = app.settings.RESOLVE_DEV_TENANT;
  return { ...app.services, directory: { ...directory, tenants: async () => (await directory.tenants()).filter((t) => t.id === only) } };
}

const ClockBody = z.union([
  z.object({ now: z.iso.datetime({ offset: true }) }).strict(),
  z.object({ advanceWorkingDays: z.number().int().min(-60).max(60) }).strict(),
]);

registerHttp({
  name: "devClock",
  route: "dev/clock",
  methods: ["GET", "POST"],
  handler: localOnly(async (req, app) => {
    if (req.method === "POST") {
      const body = await jsonBody(req);
      if (!body.ok) return body.response;
      const parsed = ClockBody.safeParse(body.body);
      if (!parsed.success) return problem(400, `Send { "now": ISO datetime } or { "advanceWorkingDays": n }: ${describeIssues(parsed.error)}`);
      if ("now" in parsed.data) app.setClock(new Date(parsed.data.now));
      else {
        const now = app.services.clock.now();
        const runtime = await app.services.runtime(app.settings.RESOLVE_DEV_TENANT);
        const calendar = runtime?.calendar ?? createWorkingCalendar();
        const time = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(now);
        app.setClock(londonInstant(calendar.addWorkingDays(londonDate(now), parsed.data.advanceWorkingDays), time));
      }
    }
    return { status: 200, jsonBody: { now: app.services.clock.now().toISOString() } };
  }),
});

registerHttp({
  name: "devSweep",
  route: "dev/sweep",
  methods: ["POST"],
  // Every timer, now: the sweep, then the relay so what the sweep decided is delivered too.
  handler: localOnly(async (_req, app) => {
    const services = devAuthorityOnly(app);
    return { status: 200, jsonBody: { sweep: await sweep(services), relay: await relay({ services, outbox: app.outbox, sink: app.sink }) } };
  }),
});
