import { alertCard } from "../shared/cards/alertCard";
import type { AdaptiveCard, AlertCardData, CardActionData, CardViewer, DisputeCardData, NoticeRef } from "../shared/cards/cardContract";
import { noticeCard } from "../shared/cards/noticeCard";
import type { DisputeAction } from "../shared/dispute/commands";
import { currentStage } from "../shared/dispute/disputeSchema";
import { isDecider } from "../shared/dispute/permissions";
import type { Procedure } from "../shared/procedure/procedureSchema";
import { noticeLabels, renderNotice } from "../shared/messages/notices";
import type { DirectoryPerson } from "../functions/ports";
import { actorOf } from "../functions/usecases/actors";
import { peopleChoices } from "../functions/usecases/people";
import { type DisputeView, getDispute } from "../functions/usecases/queries";
import type { Services, TenantRuntime } from "../functions/usecases/services";
import type { Dispute } from "../shared/dispute/disputeSchema";
import type { AuditEvent } from "../shared/dispute/events";

/** The category and reason as the procedure words them (their ids where it has no such entry). */
export function labelsFor(procedure: Procedure, category: string, reason: string) {
  const labels = noticeLabels(procedure, { category, reason });
  return { category: labels.category ?? category, reason: labels.reason ?? reason };
}

/** Everyone who should see their own view when the alert refreshes: its IRO, and every holder, joint holders too. */
export function refreshUserIds(view: DisputeView): string[] {
  const d = view.dispute;
  const ids = new Set([d.raisedBy.id, currentStage(d).assignee.id, ...d.stages.flatMap((s) => [s.assignee.id, ...(s.jointAssignees ?? []).map((p) => p.id)])]);
  // Teams refreshes a card automatically for at most 60 people.
  return [...ids].slice(0, 60);
}

/** What the card tells the person who has just acted, by action. */
export const DONE: Partial<Record<DisputeAction, string>> = {
  respond: "Your answer is recorded and the IRO has been told.",
  acknowledge: "Acknowledged.",
  "request-more-time": "Your request for more time has gone to the IRO.",
  escalate: "Escalated.",
  extend: "The deadline is moved.",
  hold: "On hold until the agreed date.",
  resume: "Resumed.",
  resolve: "Resolved and closed.",
  withdraw: "Withdrawn.",
  reassign: "Reassigned.",
  "intend-referral": "Those the procedure names have been told of the intended referral.",
  refer: "The referral is recorded.",
  "record-child-informed": "Recorded.",
  "add-note": "Note added.",
  "request-meeting": "The meeting is asked for: the invitation goes to the chair's calendar.",
  "record-meeting": "The meeting is recorded.",
};

/**
 * The line confirming this person's own change while it is the dispute's latest: an update of their
 * card (the relay's, just after the click) keeps what the click answered instead of wiping it.
 */
export function ownChangeBanner(view: DisputeView, personId: string): AlertCardData["banner"] | undefined {
  const last = view.history.reduce<DisputeView["history"][number] | undefined>((a, e) => (!a || e.version > a.version ? e : a), undefined);
  if (!last || last.version !== view.dispute.version || last.actor?.id !== personId) return undefined;
  const text = DONE[last.action as DisputeAction];
  return text ? { text, tone: "good" } : undefined;
}

/** The notice a card action came from, as the notice's card carries it (`notice`, `role`); none for the alert. */
export function noticeRefOf(data: CardActionData): NoticeRef | undefined {
  const { notice, role } = data;
  if (typeof notice !== "string" || notice === "alert" || !/^[a-z-]{1,40}$/.test(notice)) return undefined;
  return { notice: notice as NoticeRef["notice"], ...(typeof role === "string" && /^[a-z0-9-]{1,60}$/.test(role) ? { role } : {}) };
}

type Extra = Pick<DisputeCardData, "banner" | "typed" | "choosable">;

/** What every card of a dispute shows this person: their view, the actions the server lets them take now, the labels and the time left. */
function cardData(view: DisputeView, person: DirectoryPerson, runtime: TenantRuntime, now: Date, extra: Extra): Omit<DisputeCardData, "refreshUserIds"> {
  const { banner, typed, choosable } = extra;
  const d = view.dispute;
  const actor = actorOf(person);
  // The actions already know whether this person holds the stage, or covers for its holder today.
  const viewer: CardViewer = view.actions.some((a) => a === "respond" || a === "acknowledge") ? "assignee" : isDecider(d, actor) ? "decider" : "reader";
  const s = currentStage(d);
  const waiting = d.state === "informal" || d.state === "awaiting-response";
  return {
    dispute: d,
    viewer,
    actions: view.actions as DisputeAction[],
    labels: labelsFor(runtime.procedure, d.category, d.reason),
    workingDaysLeft: waiting && s.dueAt ? runtime.calendar.workingDaysLeft(now, new Date(s.dueAt)) : null,
    ...(view.teamName ? { teamName: view.teamName } : {}),
    ...(banner ? { banner } : {}),
    ...(typed ? { typed } : {}),
    ...(choosable ? { choosable } : {}),
  };
}

/** The alert card as this person should see it. */
export function alertCardFor(view: DisputeView, person: DirectoryPerson, runtime: TenantRuntime, now: Date, extra: Extra = {}): AdaptiveCard {
  return alertCard({ ...cardData(view, person, runtime, now, extra), history: view.history, plan: view.plan, refreshUserIds: refreshUserIds(view) });
}

/**
 * A notice as this person should see it: the notice's words over the dispute as it stands now, and
 * the actions they may take on it. It refreshes for its reader alone: it sits in their own chat.
 */
export function noticeCardFor(view: DisputeView, person: DirectoryPerson, runtime: TenantRuntime, now: Date, from: NoticeRef, extra: Extra = {}): AdaptiveCard {
  const d = view.dispute;
  const labels = { ...labelsFor(runtime.procedure, d.category, d.reason), ...(view.teamName ? { team: view.teamName } : {}) };
  const said = renderNotice({ notice: from.notice, dispute: d, to: person, role: from.role ?? null, labels }).card;
  return noticeCard({ ...cardData(view, person, runtime, now, extra), from, said, refreshUserIds: [person.id] });
}

/** The authority's people for the reassign picker, when this view may reassign. */
export const choosableFor = async (services: Services, tenantId: string, view: DisputeView) =>
  view.actions.includes("reassign") ? peopleChoices(services, tenantId) : undefined;

/**
 * The alert card of a dispute as one person (by id) sees it, wherever it is shown: their Teams chat
 * or their mail. `d` is the dispute as just read (not read again); `history`, its events when the
 * caller shows several people the same version. It keeps the line confirming their own change
 * while that is the latest.
 */
export async function cardForPerson(services: Services, d: Dispute, personId: string, history?: AuditEvent[]): Promise<AdaptiveCard | undefined> {
  const person = await services.directory.personById(d.tenantId, personId);
  if (!person) return undefined;
  const view = await getDispute(services, d.tenantId, d.id, person, { deliveries: false, committed: d, ...(history ? { history } : {}) });
  const runtime = await services.runtime(d.tenantId);
  if (!view.ok || !runtime) return undefined;
  const banner = ownChangeBanner(view.value, personId);
  const choosable = await choosableFor(services, d.tenantId, view.value);
  return alertCardFor(view.value, person, runtime, services.clock.now(), { ...(banner ? { banner } : {}), ...(choosable ? { choosable } : {}) });
}

/**
 * A notice's card for the person it is addressed to, drawn from `d` as just read (and `history`, its
 * events, when read with it). Someone the procedure tells may have no view of their own of the
 * dispute: they then read the notice with no actions.
 */
export async function noticeCardForPerson(services: Services, d: Dispute, personId: string, from: NoticeRef, history?: AuditEvent[]): Promise<AdaptiveCard | undefined> {
  const person = await services.directory.personById(d.tenantId, personId);
  const runtime = await services.runtime(d.tenantId);
  if (!person || !runtime) return undefined;
  const view = await getDispute(services, d.tenantId, d.id, person, { deliveries: false, committed: d, ...(history ? { history } : {}) });
  const shown: DisputeView = view.ok ? view.value : { dispute: d, history: [], plan: null, actions: [] };
  const choosable = await choosableFor(services, d.tenantId, shown);
  return noticeCardFor(shown, person, runtime, services.clock.now(), from, choosable ? { choosable } : {});
}
