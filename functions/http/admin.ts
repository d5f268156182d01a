/**
 * The administration API (README, "Administration"): the authority's administrators keep its
 * people, teams, role holders, calendar, procedure and cover; a person may set their own cover.
 * Bodies are strict; every change is audited and used at once, without a restart.
 */
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { Rejection } from "../../shared/dispute/lifecycle";
import type { Result } from "../../shared/result";
import { registerHttp } from "../host/registry";
import { type Administrator, type Changed, endCover, putCalendar, putCover, putPerson, putProcedure, putRole, putTeam } from "../usecases/administer";
import { directoryOverview, searchEntraGroups, searchEntraPeople } from "../usecases/adminQueries";
import { importGroup } from "../usecases/importGroup";
import { jsonBody, rejected } from "./responses";
import { type AuthenticatedHandler, authenticated } from "./route";

/** A path segment as typed: `*` may arrive as %2A, a UPN's @ as %40. */
const param = (req: HttpRequest, name: string) => {
  const raw = req.params[name] ?? "";
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

const answer = <T>(result: Result<Changed<T>, Rejection>): HttpResponseInit =>
  result.ok ? { status: 200, headers: { "cache-control": "no-store" }, jsonBody: { changed: result.value.changed, value: result.value.value } } : rejected(result.error);

/** A PUT: read the JSON body, then change. */
const put = (change: (req: HttpRequest, who: Administrator, body: unknown, app: Parameters<AuthenticatedHandler>[2]) => Promise<Result<Changed<unknown>, Rejection>>) =>
  authenticated(async (req, caller, app) => {
    const body = await jsonBody(req);
    if (!body.ok) return body.response;
    return answer(await change(req, caller, body.body, app));
  });

registerHttp({
  name: "adminDirectory",
  route: "admin/directory",
  methods: ["GET"],
  handler: authenticated(async (_req, caller, app) => {
    const result = await directoryOverview(app.services, caller.tenantId, caller.person);
    return result.ok ? { status: 200, headers: { "cache-control": "no-store" }, jsonBody: result.value } : rejected(result.error);
  }),
});

registerHttp({
  name: "adminPeopleSearch",
  route: "admin/entra/people",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app) => {
    const result = await searchEntraPeople(app.services, app.entra, caller.tenantId, caller.person, Object.fromEntries(req.query.entries()));
    return result.ok ? { status: 200, jsonBody: { items: result.value } } : rejected(result.error);
  }),
});

registerHttp({
  name: "adminGroupSearch",
  route: "admin/entra/groups",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app) => {
    const result = await searchEntraGroups(app.entra, caller.person, Object.fromEntries(req.query.entries()));
    return result.ok ? { status: 200, jsonBody: { items: result.value } } : rejected(result.error);
  }),
});

registerHttp({
  name: "adminImportGroup",
  route: "admin/teams/{teamId}/import",
  methods: ["POST"],
  handler: authenticated(async (req, caller, app) => {
    const body = await jsonBody(req);
    if (!body.ok) return body.response;
    const result = await importGroup(app.services, app.entra, caller, param(req, "teamId"), body.body);
    return result.ok ? { status: 200, jsonBody: result.value } : rejected(result.error);
  }),
});

registerHttp({ name: "adminPutPerson", route: "admin/people/{upn}", methods: ["PUT"], handler: put((req, who, body, app) => putPerson(app.services, who, param(req, "upn"), body)) });
registerHttp({ name: "adminPutTeam", route: "admin/teams/{teamId}", methods: ["PUT"], handler: put((req, who, body, app) => putTeam(app.services, who, param(req, "teamId"), body)) });
registerHttp({
  name: "adminPutRole",
  route: "admin/teams/{teamId}/roles/{roleId}",
  methods: ["PUT"],
  handler: put((req, who, body, app) => putRole(app.services, who, param(req, "teamId"), param(req, "roleId"), body)),
});
registerHttp({ name: "adminPutCalendar", route: "admin/calendar", methods: ["PUT"], handler: put((_req, who, body, app) => putCalendar(app.services, who, body)) });
registerHttp({ name: "adminPutProcedure", route: "admin/procedure", methods: ["PUT"], handler: put((_req, who, body, app) => putProcedure(app.services, who, body)) });
registerHttp({ name: "adminPutCover", route: "admin/cover/{upn}", methods: ["PUT"], handler: put((req, who, body, app) => putCover(app.services, who, param(req, "upn"), body)) });
registerHttp({
  name: "adminEndCover",
  route: "admin/cover/{upn}",
  methods: ["DELETE"],
  handler: authenticated(async (req, caller, app) => answer(await endCover(app.services, caller, param(req, "upn")))),
});
