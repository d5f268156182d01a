import type { HttpRequest } from "@azure/functions";
import { type App, SWEEP_PERIOD_MS } from "../compose";
import { auditorHealth } from "../usecases/auditor";

/**
 * The auditor's part of GET /api/health: whether it ran within two sweep periods, for anyone; what
 * it found and repaired, for the QA service only (a caller who names themselves and holds QA).
 */
export async function auditorHealthFor(req: HttpRequest, app: App) {
  let forQa = false;
  if (req.headers.get("authorization") || req.headers.get("x-resolve-dev-user")) {
    const auth = await app.authenticate(req);
    forQa = auth.ok && auth.caller.person.capabilities.includes("qa");
  }
  return auditorHealth(app.heartbeat, app.services, SWEEP_PERIOD_MS, forQa);
}
