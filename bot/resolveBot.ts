import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type Attachment,
  CardFactory,
  MessageFactory,
  type SearchInvokeResponse,
  type SearchInvokeValue,
  TeamsActivityHandler,
  TurnContext,
} from "botbuilder";
import { DONE, alertCardFor, choosableFor, labelsFor, noticeCardFor, noticeRefOf } from "./cardViews";
import { catchUp } from "./catchUp";
import { forOutlook, isOutlook } from "./outlookChannel";
import { FEEDBACK_REPLY_INPUT, foundCard, helpCard, myDisputesCard, positiveFeedbackCard, welcomeCard } from "../shared/cards/otherCards";
import { feedbackForm } from "../shared/cards/feedbackForm";
import { raiseForm } from "../shared/cards/raiseForm";
import { raiseContacts } from "../shared/cards/contactForms";
import { mayRecordPositiveFeedback } from "../shared/feedback/positiveFeedback";
import type { AdaptiveCard, CardActionData, NoticeRef, TypedAction } from "../shared/cards/cardContract";
import { cardCommand } from "../shared/cards/cardInputs";
import { DISPUTE_ACTIONS, type DisputeAction } from "../shared/dispute/commands";
import { planEscalation } from "../shared/plan/planEscalation";
import type { DirectoryPerson, DisputeSummary } from "../functions/ports";
import { askOf } from "../shared/dispute/waitingOn";
import { actOnDispute } from "../functions/usecases/act";
import type { Applied } from "../functions/usecases/runCommand";
import { getDispute, listDisputes } from "../functions/usecases/queries";
import { raiseDispute } from "../functions/usecases/raise";
import { actorOf } from "../functions/usecases/actors";
import { recordFeedback, replyFeedback } from "../functions/usecases/feedback";
import { peopleChoices, searchPeople } from "../functions/usecases/people";
import { PEOPLE_DATASET } from "../shared/cards/text";
import type { Services } from "../functions/usecases/services";
import type { ConversationStore } from "../functions/adapters/tableConversations";

export interface BotDeps {
  services: Services;
  conversations: ConversationStore;
  /** Ask the relay to deliver a dispute's new effects soon. */
  kick?: (tenantId: string, disputeId: string) => void;
  /** The Actionable Messages provider id: the cards answered to Outlook name it. */
  outlookOriginator?: string;
}

interface Caller {
  tenantId: string;
  person: DirectoryPerson;
}

/** A caller whose 1:1 chat was just kept, and whether Resolve knew that chat before. */
interface Remembered extends Caller {
  newChat: boolean;
}

const card = (json: AdaptiveCard): Attachment => CardFactory.adaptiveCard(json);
/** A 1:1 chat with the bot: the only kind where Resolve reaches a person (Playground and Teams mark it "personal", or not at all). */
const isPersonal = (context: TurnContext) => !["groupChat", "channel"].includes(context.activity.conversation?.conversationType ?? "");
const readerOf = (caller: Caller | undefined) => ({ raises: !caller || caller.person.capabilities.includes("iro") });
const invokeCard = (json: AdaptiveCard): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: json });
const searchError = (statusCode: number, message: string): SearchInvokeResponse => ({ statusCode, type: "application/vnd.microsoft.error", value: { code: String(statusCode), message } });
const invokeMessage = (text: string): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: "application/vnd.microsoft.activity.message", value: text as unknown as Record<string, unknown> });

/**
 * The Teams bot: captures conversations, answers chat commands, and turns card actions into the
 * same use cases the API calls. It never sends mail or calls Graph: effects go to the outbox.
 */
export class ResolveBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onInstallationUpdateAdd(async (context, next) => {
      const caller = await this.remember(context);
      // Someone not yet in the directory sees what an IRO would: the card says what Resolve is.
      await context.sendActivity(MessageFactory.attachment(card(welcomeCard(readerOf(caller))), undefined, caller ? undefined : "Resolve"));
      // Only in a 1:1 chat: a team's channel or a group chat never shows one person's disputes.
      if (caller && isPersonal(context)) await catchUp(this.deps, context, caller.tenantId, caller.person);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      const caller = await this.identify(context);
      if (caller) await this.deps.conversations.remove(caller.tenantId, caller.person.id);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      const caller = await this.remember(context);
      // The bot added to a chat with this person: what is already waiting on them is posted there.
      const botAdded = context.activity.membersAdded?.some((m) => m.id === context.activity.recipient?.id);
      if (caller && botAdded && isPersonal(context)) await catchUp(this.deps, context, caller.tenantId, caller.person);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.onChat(context);
      await next();
    });
  }

  private async identify(context: TurnContext): Promise<Caller | undefined> {
    const a = context.activity;
    const entraTenant = a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    const aad = a.from?.aadObjectId;
    if (!entraTenant || !aad) return undefined;
    const tenant = await this.deps.services.directory.tenantForEntra(entraTenant);
    if (!tenant) return undefined;
    const person = await this.deps.services.directory.personById(tenant.id, aad);
    return person ? { tenantId: tenant.id, person } : undefined;
  }

  /** Keep where this person can be reached, for proactive alerts. */
  private async remember(context: TurnContext): Promise<Remembered | undefined> {
    const caller = await this.identify(context);
    if (!caller || !isPersonal(context)) return caller && { ...caller, newChat: false };
    const known = await this.deps.conversations.find(caller.tenantId, caller.person.id);
    await this.deps.conversations.save(caller.tenantId, caller.person.id, TurnContext.getConversationReference(context.activity));
    return { ...caller, newChat: known?.conversation?.id !== context.activity.conversation?.id };
  }

  private async onChat(context: TurnContext) {
    const caller = await this.remember(context);
    if (!caller) {
      await context.sendActivity("You are not set up in Resolve for this authority yet: ask your QA service to add you to its directory.");
      return;
    }
    const text = TurnContext.removeRecipientMention(context.activity)?.trim() ?? context.activity.text?.trim() ?? "";
    const lower = text.toLowerCase();
    if (lower === "raise" || lower === "raise a dispute") {
      await context.sendActivity(MessageFactory.attachment(card(await this.raiseFormFor(caller))));
    } else if (lower === "my disputes" || lower === "mine") {
      await context.sendActivity(MessageFactory.attachment(card(await this.myDisputes(caller))));
    } else if (lower === "feedback" || lower === "good practice") {
      const refused = mayRecordPositiveFeedback(actorOf(caller.person));
      if (refused) await context.sendActivity(refused.message);
      else await context.sendActivity(MessageFactory.attachment(card(await this.feedbackFormFor(caller))));
    } else if (lower.startsWith("find")) {
      const reference = text.slice("find".length).trim();
      if (!reference) await context.sendActivity("Say which child, by case reference: find MOS-100234");
      else await context.sendActivity(MessageFactory.attachment(card(await this.found(caller, reference))));
    } else if (lower.startsWith("status")) {
      const id = text.slice("status".length).trim().toUpperCase();
      if (!id || !(await this.postDisputeCard(context, caller, id))) await context.sendActivity(id ? `No dispute ${id} that you can see.` : "Say which dispute: status D-7K3F9Q");
    } else {
      await context.sendActivity(MessageFactory.attachment(card(lower === "help" || lower === "" ? helpCard(readerOf(caller)) : helpCard(readerOf(caller), text))));
    }
    // The first message from a chat Resolve did not know: what waits on the person follows the answer.
    if (caller.newChat) await catchUp(this.deps, context, caller.tenantId, caller.person);
  }

  private async raiseFormFor(caller: Caller, extra: { values?: Record<string, string>; error?: string; plan?: ReturnType<typeof planEscalation> | null } = {}) {
    const runtime = (await this.deps.services.runtime(caller.tenantId))!;
    const teams = await this.deps.services.directory.teams(caller.tenantId);
    return raiseForm({ procedure: runtime.procedure, teams: teams.map((t) => ({ id: t.id, displayName: t.displayName })), ...extra });
  }

  private async feedbackFormFor(caller: Caller, extra: { values?: Record<string, string>; error?: string } = {}) {
    const [teams, people] = await Promise.all([this.deps.services.directory.teams(caller.tenantId), peopleChoices(this.deps.services, caller.tenantId)]);
    return feedbackForm({ teams: teams.map((t) => ({ id: t.id, displayName: t.displayName })), people, ...extra });
  }

  /** The good-practice card submitted: recorded and sent through the outbox, or the form again with the reason. */
  private async onFeedbackCard(caller: Caller, data: CardActionData): Promise<AdaptiveCardInvokeResponse> {
    const values = Object.fromEntries(["team", "workerUpn", "childReference", "feedback"].map((k) => [k, typeof data[k] === "string" ? (data[k] as string) : ""]));
    const recorded = await recordFeedback(this.deps.services, { tenantId: caller.tenantId, person: caller.person, body: values, source: "teams" });
    if (!recorded.ok) {
      if (recorded.error.code === "forbidden") return invokeMessage(recorded.error.message);
      return invokeCard(await this.feedbackFormFor(caller, { values, error: recorded.error.message }));
    }
    const f = recorded.value;
    this.deps.kick?.(caller.tenantId, f.id);
    const to = f.sentTo.map((s) => s.person.displayName).join(" and ");
    return invokeCard(positiveFeedbackCard({ ...f, banner: { text: `Recorded ${f.id}: sent to ${to}, in Teams and by mail.`, tone: "good" } }));
  }

  /** A manager's Reply on a good-practice card: it goes back to the IRO; refused, the card comes back with what was typed. */
  private async onFeedbackReply(caller: Caller, data: CardActionData): Promise<AdaptiveCardInvokeResponse> {
    const feedbackId = typeof data.feedbackId === "string" ? data.feedbackId : "";
    const typed = typeof data[FEEDBACK_REPLY_INPUT] === "string" ? (data[FEEDBACK_REPLY_INPUT] as string) : "";
    const replied = await replyFeedback(this.deps.services, { tenantId: caller.tenantId, person: caller.person, feedbackId, body: { reply: typed }, source: "teams" });
    if (!replied.ok) {
      const f = replied.error.code === "not-found" ? undefined : await this.deps.services.feedback.load(caller.tenantId, feedbackId);
      if (!f) return invokeMessage(replied.error.message);
      return invokeCard(positiveFeedbackCard({ ...f, replyable: true, typedReply: typed, banner: { text: `Not sent: ${replied.error.message}`, tone: "attention" } }));
    }
    const f = replied.value;
    this.deps.kick?.(caller.tenantId, f.id);
    return invokeCard(positiveFeedbackCard({ ...f, replyable: true, banner: { text: `Your reply went to ${f.recordedBy.displayName}, in Teams and by mail.`, tone: "good" } }));
  }

  private async myDisputes(caller: Caller) {
    const base = { tenantId: caller.tenantId, person: caller.person, state: "open" as const, pageSize: 20 };
    const waiting = await listDisputes(this.deps.services, { ...base, role: "assignee" });
    const raised = await listDisputes(this.deps.services, { ...base, role: "iro" });
    const now = this.deps.services.clock.now();
    const asked = (items: DisputeSummary[]) => items.map((s) => ({ ...s, ask: askOf(s, caller.person.id, now) }));
    return myDisputesCard({ waitingOnMe: waiting.ok ? asked(waiting.value.items) : [], raisedByMe: raised.ok ? asked(raised.value.items) : [] });
  }

  /** Every dispute about a child: IROs and QA by the child's reference, anyone else among their team's. */
  private async found(caller: Caller, reference: string) {
    const base = { tenantId: caller.tenantId, person: caller.person, state: "all" as const, pageSize: 100 };
    const listed = caller.person.capabilities.length
      ? await listDisputes(this.deps.services, { ...base, role: "child", reference })
      : await listDisputes(this.deps.services, { ...base, role: "team" });
    const items = listed.ok ? listed.value.items.filter((s) => s.childReference.toUpperCase() === reference.toUpperCase()) : [];
    return foundCard(reference, [...items].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)));
  }

  /** The dispute's card as a new message in the chat, kept current from then on; false when the caller cannot see it. */
  private async postDisputeCard(context: TurnContext, caller: Caller, disputeId: string): Promise<boolean> {
    const shown = await this.disputeCard(caller, disputeId);
    if (!shown) return false;
    const sent = await context.sendActivity(MessageFactory.attachment(card(shown)));
    if (sent?.id) await this.deps.conversations.recordCard(caller.tenantId, { disputeId, personId: caller.person.id, activityId: sent.id, reference: TurnContext.getConversationReference(context.activity) });
    return true;
  }

  /** The dispute's card as the caller sees it now: its alert, or the notice the action came from; `committed`, the dispute (and its history) as an action just left it (not read again). */
  private async disputeCard(caller: Caller, disputeId: string, banner?: { text: string; tone: "good" | "attention" | "warning" | "default" }, typed?: TypedAction, from?: NoticeRef, committed?: Applied) {
    const view = await getDispute(this.deps.services, caller.tenantId, disputeId, caller.person, {
      deliveries: false,
      ...(committed ? { committed: committed.dispute, ...(committed.history ? { history: committed.history } : {}) } : {}),
    });
    if (!view.ok) return undefined;
    const runtime = (await this.deps.services.runtime(caller.tenantId))!;
    const choosable = await choosableFor(this.deps.services, caller.tenantId, view.value);
    const extra = { ...(banner ? { banner } : {}), ...(typed ? { typed } : {}), ...(choosable ? { choosable } : {}) };
    const now = this.deps.services.clock.now();
    return from ? noticeCardFor(view.value, caller.person, runtime, now, from, extra) : alertCardFor(view.value, caller.person, runtime, now, extra);
  }

  /** Teams' search as you type in a card's person picker (`choices.data`, dataset "people"): names from the caller's authority. */
  protected override async onSearchInvoke(context: TurnContext, invokeValue: SearchInvokeValue): Promise<SearchInvokeResponse> {
    const dataset = (invokeValue.context as { dataset?: unknown } | undefined)?.dataset;
    if (dataset !== PEOPLE_DATASET) return searchError(400, `No dataset "${String(dataset)}": only "${PEOPLE_DATASET}".`);
    const caller = await this.identify(context);
    if (!caller) return searchError(401, "You are not set up in Resolve for this authority yet.");
    const found = await searchPeople(this.deps.services, caller.tenantId, { search: invokeValue.queryText });
    // Too short a search lists nobody yet: the picker keeps its static names meanwhile.
    const people = found.ok ? found.value : [];
    return { statusCode: 200, type: "application/vnd.microsoft.search.searchResponse", value: { results: people.map((p) => ({ title: p.displayName, value: p.upn })) } };
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const answer = await this.onCardAction(context, invokeValue);
    // A card in a mail: the same handler and rules, answered as Outlook shows it.
    return isOutlook(context) ? forOutlook(answer, this.deps.outlookOriginator) : answer;
  }

  private async onCardAction(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    // The chat was captured on install and on messages: a click only needs to know who it is.
    const caller = await this.identify(context);
    if (!caller) return invokeMessage("You are not set up in Resolve for this authority yet.");
    const verb = invokeValue.action?.verb ?? "";
    const data = (invokeValue.action?.data ?? {}) as CardActionData;
    const disputeId = typeof data.disputeId === "string" ? data.disputeId : undefined;
    const from = noticeRefOf(data);

    if (verb === "open-raise-form") return invokeCard(await this.raiseFormFor(caller));
    if (verb === "raise-preview" || verb === "raise") return this.onRaiseCard(context, caller, verb, data);
    if (verb === "record-feedback") return this.onFeedbackCard(caller, data);
    if (verb === "reply-feedback") return this.onFeedbackReply(caller, data);
    if (!disputeId) return invokeMessage("This card names no dispute.");
    if (verb === "refresh") {
      const shown = await this.disputeCard(caller, disputeId, undefined, undefined, from);
      return shown ? invokeCard(shown) : invokeMessage(`No dispute ${disputeId} that you can see.`);
    }
    if (verb === "open") {
      // From a list: the dispute's card is posted below it, and the list is left as it was.
      return invokeMessage((await this.postDisputeCard(context, caller, disputeId)) ? `Dispute ${disputeId} is shown below.` : `No dispute ${disputeId} that you can see.`);
    }
    if (!(DISPUTE_ACTIONS as readonly string[]).includes(verb)) return invokeMessage(`Unknown action "${verb}".`);
    const action = verb as DisputeAction;

    // A Teams message can be updated later; a card in a mail refreshes itself when opened, and so
    // does a notice (kept as the person's one card of the dispute, it would displace their alert).
    // Recorded beside the action, not after it: the person waits for one round trip less.
    const recording =
      context.activity.replyToId && !isOutlook(context) && !from
        ? this.deps.conversations.recordCard(caller.tenantId, { disputeId, personId: caller.person.id, activityId: context.activity.replyToId, reference: TurnContext.getConversationReference(context.activity) })
        : undefined;
    const [result] = await Promise.all([
      actOnDispute(this.deps.services, {
        tenantId: caller.tenantId,
        disputeId,
        person: caller.person,
        // An answer on the card in a mail is recorded as from the mail, not from Teams.
        source: isOutlook(context) ? "mail" : "teams",
        body: cardCommand(action, data),
      }),
      recording,
    ]);
    let banner: { text: string; tone: "good" | "attention" | "warning" | "default" };
    let typed: TypedAction | undefined;
    if (result.ok) {
      banner = { text: DONE[action] ?? "Done.", tone: "good" };
    } else if (result.error.code === "stale" && (await this.isRepeat(caller, disputeId, data.version, action))) {
      // Teams retried the invoke, or a double click: the first one was applied.
      banner = { text: DONE[action] ?? "Done.", tone: "good" };
    } else {
      banner = { text: result.error.message, tone: result.error.code === "stale" || result.error.code === "conflict" ? "warning" : "attention" };
      // Refused: the form comes back with what was typed, so nothing is lost.
      const { disputeId: _id, version: _version, notice: _notice, role: _role, ...values } = data;
      typed = { action, values, message: result.error.message, ...(result.error.field ? { field: result.error.field } : {}) };
    }
    // Applied: the card shows the dispute as committed, without reading it again.
    const shown = await this.disputeCard(caller, disputeId, banner, typed, from, result.ok ? result.value : undefined);
    // The relay starts once the answer is ready, not while the person waits for it.
    if (result.ok) this.deps.kick?.(caller.tenantId, disputeId);
    return shown ? invokeCard(shown) : invokeMessage(banner.text);
  }

  /** Was the change after `version` this same person's same action? Then this click is its repeat. */
  private async isRepeat(caller: Caller, disputeId: string, version: unknown, action: DisputeAction) {
    if (typeof version !== "number") return false;
    const history = await this.deps.services.store.events(caller.tenantId, disputeId);
    const next = history.find((e) => e.version === version + 1);
    return !!next && next.action === action && next.actor?.id === caller.person.id;
  }

  private async onRaiseCard(context: TurnContext, caller: Caller, verb: "raise" | "raise-preview", data: CardActionData): Promise<AdaptiveCardInvokeResponse> {
    const values = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    const [category, reason] = (values.categoryReason ?? "").split("/");
    const startStage = values.startStage === undefined || values.startStage === "" ? 1 : Number(values.startStage);
    const details = {
      child: { reference: values.childReference ?? "", initials: values.childInitials ?? "", legalStatus: values.legalStatus ?? "", team: values.team ?? "" },
      category: category ?? "",
      reason: reason ?? "",
      concerns: values.concerns ?? "",
      outcomesSought: values.outcomesSought ?? "",
      startStage,
      ...(values.timescaleDays ? { timescaleDays: Number(values.timescaleDays) } : {}),
      ...(values.reviewDate ? { reviewDate: values.reviewDate } : {}),
      ...raiseContacts(values),
    };
    const runtime = (await this.deps.services.runtime(caller.tenantId))!;
    const team = details.child.team ? await this.deps.services.directory.team(caller.tenantId, details.child.team) : undefined;
    const holders = team ? await this.deps.services.directory.roster(caller.tenantId, team.id) : undefined;
    const plan = () =>
      planEscalation(
        {
          procedure: runtime.procedure.id,
          stages: runtime.procedure.stages,
          capWorkingDays: runtime.procedure.capWorkingDays,
          receivedAt: this.deps.services.clock.now(),
          startStage: Math.max(1, startStage),
          ...(details.timescaleDays ? { firstResponseDays: details.timescaleDays } : {}),
          ...(holders ? { holders } : {}),
        },
        runtime.calendar,
      );
    if (verb === "raise-preview") return invokeCard(await this.raiseFormFor(caller, { values, plan: plan() }));
    const raised = await raiseDispute(this.deps.services, { tenantId: caller.tenantId, raisedBy: caller.person, source: "teams", details });
    if (!raised.ok) return invokeCard(await this.raiseFormFor(caller, { values, error: raised.error.message, plan: plan() }));
    const d = raised.value.dispute;
    this.deps.kick?.(caller.tenantId, d.id);
    if (context.activity.replyToId) {
      await this.deps.conversations.recordCard(caller.tenantId, { disputeId: d.id, personId: caller.person.id, activityId: context.activity.replyToId, reference: TurnContext.getConversationReference(context.activity) });
    }
    const labels = labelsFor(runtime.procedure, d.category, d.reason);
    const shown = await this.disputeCard(caller, d.id, { text: `Raised ${d.id} (${labels.category}): sent to ${d.stages.at(-1)!.assignee.displayName}.`, tone: "good" });
    return invokeCard(shown!);
  }
}
