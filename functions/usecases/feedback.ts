import { z } from "zod";
import type { Rejection } from "../../shared/dispute/lifecycle";
import type { Source } from "../../shared/dispute/people";
import { type PositiveFeedback, PositiveFeedbackDetailsSchema, mayRecordPositiveFeedback, recordPositiveFeedback } from "../../shared/feedback/positiveFeedback";
import { FEEDBACK_LABELS, describeBody } from "../../shared/dispute/fieldLabels";
import { mayReplyToFeedback, replyToFeedback } from "../../shared/feedback/feedbackReply";
import { type Result, err, ok } from "../../shared/result";
import type { DirectoryPerson } from "../ports";
import { actorOf } from "./actors";
import type { Services } from "./services";

/** Left empty on a form means not given. */
const optional = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().optional());

/** What the API, the tab's form and the bot's card send: the worker by UPN, the rest as the record keeps it. */
export const FeedbackBodySchema = z.object({
  team: z.string({ error: "must be a team id" }),
  workerUpn: optional,
  childReference: optional,
  feedback: z.string({ error: "must not be empty" }),
});

/**
 * An IRO records good practice (Blackburn 15, Lambeth 6): checked, then written with its audit
 * event and its outbox entries (a card and a mail to each manager the procedure names) in one
 * transaction; the relay delivers them like a dispute's.
 */
export async function recordFeedback(
  services: Services,
  input: { tenantId: string; person: DirectoryPerson; body: unknown; source: Source },
): Promise<Result<PositiveFeedback, Rejection>> {
  const actor = actorOf(input.person);
  const refused = mayRecordPositiveFeedback(actor);
  if (refused) return err(refused);
  const body = FeedbackBodySchema.safeParse(input.body);
  if (!body.success) return err({ code: "invalid", ...describeBody(body.error, FEEDBACK_LABELS) });
  const { workerUpn, ...rest } = body.data;
  const details = PositiveFeedbackDetailsSchema.omit({ worker: true }).safeParse(rest);
  if (!details.success) return err({ code: "invalid", ...describeBody(details.error, FEEDBACK_LABELS) });
  const [runtime, team] = await Promise.all([services.runtime(input.tenantId), services.directory.team(input.tenantId, details.data.team)]);
  if (!runtime) return err({ code: "not-found", message: `No authority "${input.tenantId}".` });
  if (!team) return err({ code: "invalid", message: `${FEEDBACK_LABELS.team}: there is no team "${details.data.team}" in this authority.`, field: "team" });
  let worker;
  if (workerUpn) {
    const found = await services.directory.personByUpn(input.tenantId, workerUpn);
    if (!found) return err({ code: "invalid", message: `${FEEDBACK_LABELS.workerUpn}: nobody with the UPN "${workerUpn}" in this authority.`, field: "workerUpn" });
    worker = { id: found.id, upn: found.upn, displayName: found.displayName };
  }
  const roster = await services.directory.roster(input.tenantId, team.id);
  // A fresh id that happens to exist already is refused by the store: draw another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const recorded = recordPositiveFeedback(
      { id: services.newFeedbackId(), tenantId: input.tenantId, details: { ...details.data, ...(worker ? { worker } : {}) }, teamName: team.displayName },
      { actor, now: services.clock.now(), procedure: runtime.procedure, roster, source: input.source },
    );
    if (!recorded.ok) return recorded;
    const written = await services.feedback.record(input.tenantId, recorded.value);
    if (written.ok) return ok(recorded.value.feedback);
  }
  return err({ code: "conflict", message: "Could not find a free id for the record; try again." });
}

/**
 * A manager replies to good practice they were sent: the reply is kept on the record with its
 * audit event, and goes back to the IRO (a card and a mail) through the outbox, in one
 * transaction on the record's ETag; a reply racing another is decided again on the fresh record.
 */
export async function replyFeedback(
  services: Services,
  input: { tenantId: string; person: DirectoryPerson; feedbackId: string; body: unknown; source: Source },
): Promise<Result<PositiveFeedback, Rejection>> {
  const actor = actorOf(input.person);
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = await services.feedback.loadForReply(input.tenantId, input.feedbackId);
    // Someone it was not sent to learns no more than that there is none for them.
    if (!stored || (!mayReplyToFeedback(stored.feedback, actor) && stored.feedback.recordedBy.id !== input.person.id)) {
      return err({ code: "not-found", message: `No good practice ${input.feedbackId} sent to you.` });
    }
    const f = stored.feedback;
    const replied = replyToFeedback(f, input.body, { actor, now: services.clock.now(), source: input.source, version: 1 + (f.replies?.length ?? 0) });
    if (!replied.ok) return replied;
    const written = await services.feedback.reply(input.tenantId, replied.value, stored.etag);
    if (written.ok) return ok(replied.value.feedback);
  }
  return err({ code: "busy", message: "Others replied at the same moment; try again." });
}

/** How far back the good-practice view looks: a reply belongs to recent practice. */
const GOOD_PRACTICE_DAYS = 120;

/**
 * The good practice a person has a part in, newest first: what they recorded, what was sent to
 * them (to reply to), and what praised them; no one else's.
 */
export async function goodPracticeFor(services: Services, tenantId: string, person: DirectoryPerson): Promise<PositiveFeedback[]> {
  const now = services.clock.now();
  const records = await services.feedback.list(tenantId, { from: new Date(now.getTime() - GOOD_PRACTICE_DAYS * 86_400_000), to: new Date(now.getTime() + 86_400_000) });
  return records
    .filter((f) => f.recordedBy.id === person.id || f.worker?.id === person.id || f.sentTo.some((s) => s.person.id === person.id))
    .reverse()
    .slice(0, 50);
}
