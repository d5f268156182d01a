/**
 * Good practice over HTTP: POST /api/feedback, an IRO's note of good practice by a worker or a
 * team → 201 with the record; it goes to the managers the procedure names through the outbox.
 * POST /api/feedback/{id}/replies: a manager it was sent to replies → 201 with the record; the
 * reply goes back to the IRO the same way. GET /api/feedback: the good practice the caller recorded,
 * was sent or was praised in, newest first, for the tab's Good practice view.
 */
import { registerHttp } from "../host/registry";
import { isFeedbackId } from "../../shared/feedback/positiveFeedback";
import { goodPracticeFor, recordFeedback, replyFeedback } from "../usecases/feedback";
import { sourceOf } from "./api";
import { jsonBody, problem, rejected } from "./responses";
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

registerHttp({
  name: "replyToFeedback",
  route: "feedback/{id}/replies",
  methods: ["POST"],
  handler: authenticated(async (req, caller, app) => {
    const id = req.params.id ?? "";
    if (!isFeedbackId(id) || !/^G-[0-9A-Z]{1,16}$/.test(id)) return problem(404, `No good practice ${id} sent to you.`);
    const body = await jsonBody(req);
    if (!body.ok) return body.response;
    const result = await replyFeedback(app.services, { tenantId: caller.tenantId, person: caller.person, feedbackId: id, body: body.body, source: sourceOf(req) });
    if (!result.ok) return rejected(result.error);
    app.kick(caller.tenantId, id);
    return { status: 201, jsonBody: result.value };
  }),
});

registerHttp({
  name: "listFeedback",
  route: "feedback",
  methods: ["GET"],
  handler: authenticated(async (req, caller, app) => {
    if ([...req.query.keys()].length) return problem(400, `${[...req.query.keys()][0]}: is not a field here (misspelt?)`);
    return { status: 200, jsonBody: { items: await goodPracticeFor(app.services, caller.tenantId, caller.person) } };
  }),
});
