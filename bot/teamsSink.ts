import { type CloudAdapter, type ConversationReference, CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import { cardForPerson, noticeCardForPerson } from "./cardViews";
import { positiveFeedbackCard } from "../shared/cards/otherCards";
import { renderNotice, renderNoticeAbout } from "../shared/messages/notices";
import type { AdaptiveCard } from "../shared/cards/cardContract";
import type { EffectSubject } from "../shared/dispute/delivery";
import { isPositiveFeedback } from "../shared/feedback/positiveFeedback";
import type { Effect } from "../shared/dispute/effects";
import type { AuditEvent } from "../shared/dispute/events";
import type { DeliveryOutcome, EffectSink } from "../functions/ports";
import type { ConversationStore } from "../functions/adapters/tableConversations";
import type { Services } from "../functions/usecases/services";

export interface TeamsSinkDeps {
  adapter: CloudAdapter;
  /** The bot's app id; empty in local mode. */
  appId: string;
  services: Services;
  conversations: ConversationStore;
  /** Whether a chat may be started with someone who has none (default true). */
  startChats?: boolean;
  /** The longest one call to the connector may take before it counts as failed (and is retried). Default 30 s. */
  timeoutMs?: number;
}

const statusOf = (e: unknown) => (e as { statusCode?: number }).statusCode;
const retryAfterOf = (e: unknown) => {
  const header = (e as { response?: { headers?: { get?(n: string): string | undefined } } }).response?.headers?.get?.("retry-after");
  return header ? Number(header) * 1000 : undefined;
};

/**
 * The connector client's own pipeline retries 429 and 5xx (several times, waiting out Retry-After)
 * before it answers: the relay's one retry policy decides instead, so a send is one request.
 */
function withoutInnerRetries(context: TurnContext, adapter: CloudAdapter) {
  const connector = context.turnState.get(adapter.ConnectorClientKey) as { client?: { pipeline?: { removePolicy(o: { phase: string }): unknown } } } | undefined;
  connector?.client?.pipeline?.removePolicy({ phase: "Retry" });
}

function failure(e: unknown, what: string): DeliveryOutcome & { ok: false } {
  const status = statusOf(e);
  // 403: the person blocked or removed the app; 404: the conversation is gone. Mail is the way then.
  if (status === 403 || status === 404) return { ok: false, retryable: false, error: `${what}: Teams said ${status}` };
  return { ok: false, retryable: true, error: `${what}: ${status ?? (e as Error).message}`, ...(retryAfterOf(e) ? { retryAfterMs: retryAfterOf(e)! } : {}) };
}

/**
 * Teams delivery through the bot's proactive path: a card in the person's 1:1 chat (continuing
 * the stored conversation, or creating one), and updates of every posted card when a dispute
 * changes; a good-practice record's card for the managers it goes to. A non-retryable failure
 * tells the caller to fall back to mail.
 */
export function createTeamsSink(deps: TeamsSinkDeps): EffectSink {
  const { adapter, appId, services, conversations } = deps;
  const timeoutMs = deps.timeoutMs ?? 30_000;

  /** A connector that never answers must not hold the relay: give up, and let the retry policy try again. */
  async function inTime<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      return await Promise.race([work, limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Run `send` on a proactive turn and report what the connector said. The adapter hands an error
   * thrown inside the turn to its turn-error handler, which swallows it: the error is caught here,
   * inside the turn, so a 403/429/5xx is never taken for a delivery.
   */
  async function proactive(reference: Partial<ConversationReference>, send: (context: TurnContext) => Promise<void>): Promise<unknown> {
    let failed: unknown;
    await inTime(
      adapter.continueConversationAsync(appId, reference as ConversationReference, async (context) => {
        try {
          withoutInnerRetries(context, adapter);
          await send(context);
        } catch (e) {
          failed = e ?? new Error("the turn failed");
        }
      }),
    );
    return failed;
  }

  /**
   * Post a card to the person in Teams: in their chat, or in a new one the bot starts. The card is
   * built only once Teams can reach them (it reads the dispute as they see it, which costs reads).
   */
  async function reach(
    tenantId: string,
    personId: string,
    card: () => Promise<AdaptiveCard | undefined>,
    send: (context: TurnContext, json: AdaptiveCard) => Promise<void>,
  ): Promise<DeliveryOutcome> {
    const reference = await conversations.find(tenantId, personId);
    const service = reference || deps.startChats === false ? undefined : await conversations.service(tenantId);
    const tenant = service ? await services.directory.tenant(tenantId) : undefined;
    if (!reference && (!service || !tenant)) return { ok: false, retryable: false, error: "Teams: the person has no chat with Resolve and none can be started" };
    const json = await card();
    if (!json) return { ok: false, retryable: false, error: "Teams: the recipient is not in the directory" };
    if (reference) {
      try {
        const failed = await proactive(reference, (context) => send(context, json));
        return failed === undefined ? { ok: true, detail: "Teams" } : failure(failed, "Teams");
      } catch (e) {
        return failure(e, "Teams");
      }
    }
    let failed: unknown;
    try {
      await inTime(adapter.createConversationAsync(
        appId,
        service!.channelId,
        service!.serviceUrl,
        "https://api.botframework.com",
        { isGroup: false, bot: { id: appId, name: "Resolve" }, members: [{ id: personId, name: "" }], tenantId: tenant!.entraTenantId, channelData: { tenant: { id: tenant!.entraTenantId } } } as never,
        async (context) => {
          try {
            withoutInnerRetries(context, adapter);
            await conversations.save(tenantId, personId, referenceOf(context));
            await send(context, json);
          } catch (e) {
            failed = e ?? new Error("the turn failed");
          }
        },
      ));
      return failed === undefined ? { ok: true, detail: "Teams (new chat)" } : failure(failed, "Teams");
    } catch (e) {
      return failure(e, "Teams");
    }
  }

  const referenceOf = (context: TurnContext): Partial<ConversationReference> => ({
    conversation: context.activity.conversation,
    serviceUrl: context.activity.serviceUrl,
    channelId: context.activity.channelId,
    bot: context.activity.recipient,
  });

  return {
    async deliver(effect: Effect, subject: EffectSubject, history?: AuditEvent[]): Promise<DeliveryOutcome> {
      if (isPositiveFeedback(subject)) {
        if (effect.kind !== "notify") return { ok: false, retryable: false, error: `Teams: a good-practice record sends no ${effect.kind}` };
        const text = renderNoticeAbout(subject, effect);
        // The IRO reads the reply on the card; a manager it was sent to may reply from theirs.
        const card = effect.notice === "feedback-reply"
          ? positiveFeedbackCard({ ...subject, banner: { text: `${subject.replies?.at(-1)?.by.displayName ?? "A manager"} replied to the good practice you recorded.`, tone: "good" } })
          : positiveFeedbackCard({ ...subject, replyable: subject.sentTo.some((s) => s.person.id === effect.to.id) });
        return reach(
          subject.tenantId,
          effect.to.id,
          async () => card,
          async (context, json) => {
            await context.sendActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(json)), summary: text.preview });
          },
        );
      }
      const d = subject;
      if (effect.kind === "notify") {
        // Teams shows `summary` in pop-ups and the feed: fixed words, the id, the stage and the due date.
        const { preview } = renderNotice({ notice: effect.notice, dispute: d, to: effect.to, role: effect.role });
        const card = () =>
          effect.notice === "alert"
            ? cardForPerson(services, d, effect.to.id, history)
            : noticeCardForPerson(services, d, effect.to.id, { notice: effect.notice, ...(effect.role ? { role: effect.role } : {}) }, history);
        return reach(d.tenantId, effect.to.id, card, async (context, json) => {
          const sent = await context.sendActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(json)), summary: preview });
          // Only the alert is the dispute's card to keep current (one per person); a notice refreshes itself when read, and must not displace the alert.
          if (sent?.id && effect.notice === "alert") await conversations.recordCard(d.tenantId, { disputeId: d.id, personId: effect.to.id, activityId: sent.id, reference: referenceOf(context) });
        });
      }
      if (effect.kind === "card-update") {
        // Every card shows the dispute as it is now (a later change may have landed since the relay
        // read it), read once for all of them, with its history in the same request.
        const [posted, latest] = await Promise.all([conversations.cards(d.tenantId, d.id), services.store.loadWithHistory(d.tenantId, d.id)]);
        const now = latest?.stored.dispute ?? d;
        const asRead = latest?.history.some((e) => e.version === now.version) ? latest.history : undefined;
        const history = posted.length ? (asRead ?? (await services.store.events(d.tenantId, d.id))) : [];
        let updated = 0;
        const gone: string[] = [];
        for (const card of posted) {
          const json = await cardForPerson(services, now, card.personId, history);
          if (!json) continue;
          let failed: unknown;
          try {
            failed = await proactive(card.reference, async (context) => {
              await context.updateActivity({ id: card.activityId, type: "message", attachments: [CardFactory.adaptiveCard(json)] });
            });
          } catch (e) {
            failed = e;
          }
          if (failed === undefined) {
            updated++;
            continue;
          }
          const outcome = failure(failed, "card update");
          // Throttled or down: the whole update is tried again (updating a card twice shows the same card).
          if (outcome.retryable) return outcome;
          // Deleted, or the app removed: that card cannot be kept current; the others still are.
          gone.push(outcome.error);
        }
        if (gone.length && !updated) return { ok: false, retryable: false, error: `${gone.length} card(s) could not be updated: ${gone[0]}` };
        return { ok: true, detail: `${updated} card(s) updated${gone.length ? `, ${gone.length} no longer reachable` : ""}` };
      }
      return { ok: false, retryable: false, error: `Teams does not deliver ${effect.kind}` };
    },
  };
}

/** Teams for what the procedure sends by Teams (mail when Teams cannot reach the person), mail and calendar for the rest. */
export function createRoutingSink(sinks: { mail: EffectSink; teams?: EffectSink }): EffectSink {
  return {
    async deliver(effect, d, history) {
      if (effect.kind === "card-update") return sinks.teams ? sinks.teams.deliver(effect, d, history) : { ok: true, detail: "no Teams" };
      if (effect.kind === "notify" && effect.channel === "teams" && sinks.teams) {
        const viaTeams = await sinks.teams.deliver(effect, d, history);
        if (viaTeams.ok || viaTeams.retryable) return viaTeams;
        // The same notice goes by mail as well: sending the card as mail too would say it twice.
        if (effect.mailFallback === false) return { ok: true, detail: `not shown in Teams (${viaTeams.error}); it goes by mail as well` };
        // Sent as the mail it is: the mail sink (and the local mailbox) must not record it as a Teams message.
        const viaMail = await sinks.mail.deliver({ ...effect, channel: "mail" }, d);
        return viaMail.ok ? { ok: true, detail: `by mail instead: ${viaTeams.error}` } : viaMail;
      }
      return sinks.mail.deliver(effect, d);
    },
  };
}
