/**
 * The Azure Functions app: every route and timer registers here, for `func start` and Azure alike;
 * the local host (functions/host/localHost.ts) serves the same registrations.
 */
import "./http/api";
import "./http/messages";
import "./http/dev";
import "./http/mailbox";
import "./timers";
import "./http/reports";
import "./http/addin";
import "./http/dashboard";
import "./http/feedback";
import "./http/people";
import "./http/admin";
import "./http/health";

// The same registrations served without Core Tools: the packaged app's own check (test/integration/package.test.ts).
export { startLocalHost } from "./host/localHost";
