import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { type App, type Caller, getApp } from "../compose";
import { problem } from "./responses";

export type AuthenticatedHandler = (req: HttpRequest, caller: Caller, app: App) => Promise<HttpResponseInit>;

/** Authenticate, then handle: every API route that acts for a person goes through here. */
export const authenticated = (handler: AuthenticatedHandler) => async (req: HttpRequest): Promise<HttpResponseInit> => {
  const app = await getApp();
  const auth = await app.authenticate(req);
  if (!auth.ok) return problem(auth.status, auth.message);
  return handler(req, auth.caller, app);
};
