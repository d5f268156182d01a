import { createRequire } from "node:module";
import { type HttpHandler, type HttpMethod, type TimerHandler, app } from "@azure/functions";

export interface HttpRoute {
  name: string;
  /** Azure Functions route template under /api, e.g. "disputes/{id}/actions". */
  route: string;
  methods: HttpMethod[];
  handler: HttpHandler;
}

export interface TimerJob {
  name: string;
  /** NCRONTAB schedule for Azure. */
  schedule: string;
  /** How often the local host runs it. */
  localEveryMs: number;
  handler: TimerHandler;
}

/**
 * Every route and timer, registered once with Azure Functions and kept here so the local host
 * serves the very same handlers where Core Tools cannot run.
 */
export const httpRoutes: HttpRoute[] = [];
export const timerJobs: TimerJob[] = [];

let runtime: boolean | undefined;
/**
 * The Functions worker provides `@azure/functions-core` (as `@azure/functions` itself detects it);
 * elsewhere (the local host, tests) registering would only print a warning per function.
 */
function inFunctionsRuntime(): boolean {
  if (runtime === undefined) {
    try {
      createRequire(import.meta.url)("@azure/functions-core");
      runtime = true;
    } catch {
      runtime = false;
    }
  }
  return runtime;
}

export function registerHttp(route: HttpRoute): void {
  httpRoutes.push(route);
  if (inFunctionsRuntime()) app.http(route.name, { route: route.route, methods: route.methods, authLevel: "anonymous", handler: route.handler });
}

export function registerTimer(job: TimerJob): void {
  timerJobs.push(job);
  if (inFunctionsRuntime()) app.timer(job.name, { schedule: job.schedule, handler: job.handler });
}
