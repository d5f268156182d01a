import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { Dispute } from "../../shared/dispute/disputeSchema";
import { currentStage, isOpen } from "../../shared/dispute/disputeSchema";
import type { Rejection, RejectionCode } from "../../shared/dispute/lifecycle";
import type { DisputeView } from "../usecases/queries";

/** The one place a rejection becomes an HTTP status. */
const STATUS: Record<RejectionCode, number> = { invalid: 400, forbidden: 403, "not-found": 404, conflict: 409, stale: 409, busy: 503 };

export const problem = (status: number, message: string, code?: string): HttpResponseInit => ({ status, jsonBody: { error: message, ...(code ? { code } : {}) } });
export const rejected = (r: Rejection): HttpResponseInit => {
  const response = problem(STATUS[r.code], r.message, r.code);
  return r.field ? { ...response, jsonBody: { ...(response.jsonBody as object), field: r.field } } : response;
};

const MAX_BODY = 256 * 1024;

/** The request's JSON body, or the response that says what is wrong with it. */
export async function jsonBody(req: HttpRequest): Promise<{ ok: true; body: unknown } | { ok: false; response: HttpResponseInit }> {
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > MAX_BODY) return { ok: false, response: problem(413, `The body is larger than ${MAX_BODY / 1024} KB.`) };
  const text = await req.text();
  if (text.length > MAX_BODY) return { ok: false, response: problem(413, `The body is larger than ${MAX_BODY / 1024} KB.`) };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false, response: problem(400, "The body is not JSON.") };
  }
}

/** Ids this service gives out (D-7K3F9Q, G-…): anything else names no dispute, and never reaches storage. */
const ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

/** The route's dispute id, or the 404 that says there is no such dispute. */
export function disputeIdOf(req: HttpRequest): { ok: true; id: string } | { ok: false; response: HttpResponseInit } {
  const id = req.params.id ?? "";
  if (ID.test(id)) return { ok: true, id };
  return { ok: false, response: problem(404, `No dispute "${id.slice(0, 64)}": a dispute id is a letter, a dash and letters or digits, such as D-7K3F9Q.`, "not-found") };
}

/**
 * The client's Idempotency-Key header: the same key sent again (a retry after a lost answer)
 * gets the answer the first request got, and changes nothing more.
 */
export function idempotencyKeyOf(req: HttpRequest): { ok: true; key?: string } | { ok: false; response: HttpResponseInit } {
  const key = req.headers.get("idempotency-key");
  if (key === null) return { ok: true };
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) return { ok: false, response: problem(400, "Idempotency-Key: must be 1 to 200 visible characters (a UUID is usual).", "invalid") };
  return { ok: true, key };
}

/** A dispute as the API shows it: the fields people look for first, then the whole record. */
export function disputeJson(d: Dispute) {
  const s = currentStage(d);
  const { id, state, stage, ...rest } = d;
  return {
    id,
    state,
    stage,
    assignee: s.assignee,
    dueAt: isOpen(d) && (state === "informal" || state === "awaiting-response") ? s.dueAt : null,
    ...rest,
  };
}

export const viewJson = (v: DisputeView) => ({ ...disputeJson(v.dispute), ...(v.teamName ? { teamName: v.teamName } : {}), history: v.history, plan: v.plan, actions: v.actions, deliveries: v.deliveries });
