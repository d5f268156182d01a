/**
 * GET /api/people?search=: the caller's authority's people by name, for the tab's pickers
 * (reassign, good practice); at most 20, display names and UPNs only.
 */
import { registerHttp } from "../host/registry";
import { searchPeople } from "../usecases/people";
import { rejected } from "./responses";
import { authenticated } from "./route";

registerHttp({
  name: "peopleSearch",
  route: "people",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app) => {
    const result = await searchPeople(app.services, caller.tenantId, Object.fromEntries(req.query.entries()));
    return result.ok ? { status: 200, headers: { "cache-control": "no-store" }, jsonBody: { items: result.value } } : rejected(result.error);
  }),
});
