/**
 * Good practice over HTTP: POST /api/feedback, an IRO's note of good practice by a worker or a
 * team → 201 with the record; it goes to the managers the procedure names through the outbox.
 */
import { registerHttp } from "../host/registry";
import { recordFeedback } from "../usecases/feedback";
import { sourceOf } from "./api";
import { jsonBody, rejected } from "./responses";
import { authenticated } from "./route";

registerHttp({
  name: "recordFeedback",
  route: "feedback",
  methods: ["POST"],
  handler: authenticated(async (req, caller, app) => {
    const body = await jsonBody(req);
    if (!body.ok) return body.response;
    const result = await recordFeedback(app.services, { tenantId: caller.tenantId, person: caller.person, body: body.body, source: sourceOf(req) });
    if (!result.ok) return rejected(result.error);
    app.kick(caller.tenantId, result.value.id);
    return { status: 201, jsonBody: result.value };
  }),
});
