import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { CloudAdapter, TurnContext } from "botbuilder";

/**
 * The one seam between an HTTP host and botbuilder: a Functions request in, a Functions response
 * out. Azure Functions and the local host both come through here; moving to the Agents SDK
 * touches this file and the adapter's construction only.
 */
export async function processBotRequest(
  adapter: CloudAdapter,
  req: HttpRequest,
  logic: (context: TurnContext) => Promise<void>,
): Promise<HttpResponseInit> {
  const text = await req.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { status: 400, jsonBody: { error: "The activity is not JSON." } };
  }
  // botbuilder throws (a 500) on an activity without a type or a conversation: refuse it here.
  if (typeof body !== "object" || body === null || Array.isArray(body) || typeof body.type !== "string" || !body.type) {
    return { status: 400, jsonBody: { error: "The activity is not a Bot Framework activity: it needs a type." } };
  }
  const headers: Record<string, string> = {};
  req.headers.forEach((value, key) => (headers[key] = value));

  const response: HttpResponseInit = { status: 200, headers: {} };
  const res = {
    socket: undefined,
    status(code: number) {
      response.status = code;
      return res;
    },
    header(name: string, value: unknown) {
      (response.headers as Record<string, string>)[name] = String(value);
      return res;
    },
    send(payload?: unknown) {
      if (payload !== undefined && payload !== null) {
        if (typeof payload === "string") response.body = payload;
        else response.jsonBody = payload;
      }
      return res;
    },
    end() {
      return res;
    },
  };
  let reachedBot = false;
  await adapter.process({ body, headers, method: req.method }, res, (context) => {
    reachedBot = true;
    return logic(context);
  });
  // botbuilder answers a token that fails verification (a bad signature, a malformed token) with
  // 500 and the verifier's message: jsonwebtoken's error is not an AuthenticationError to it.
  // Nothing reached the bot; to the caller the request is unauthorised, and told no more.
  if (!reachedBot && response.status === 500 && headers.authorization && /^(jwt |invalid )/.test(String(response.body ?? ""))) {
    return { status: 401, jsonBody: { error: "Unauthorized: the token could not be verified." } };
  }
  return response;
}
