import { type Dispute } from "../../shared/dispute/disputeSchema";
import type { AuditEvent } from "../../shared/dispute/events";
import type { Rejection } from "../../shared/dispute/lifecycle";
import { isAllowedIn } from "../../shared/dispute/lifecycle";
import { actionsFor, isAssignee, isParticipant } from "../../shared/dispute/permissions";
import { samePerson } from "../../shared/dispute/people";
import { type EscalationPlan, planForDispute } from "../../shared/plan/planEscalation";
import { type Result, err, ok } from "../../shared/result";
import type { DirectoryPerson, DisputeSummary, ListBy, Page } from "../ports";
import { coverOn } from "../../shared/directory/cover";
import { actorOf } from "./actors";
import { withCover } from "./cover";
import type { Services } from "./services";

export interface DisputeView {
  dispute: Dispute;
  history: AuditEvent[];
  plan: EscalationPlan | null;
  /** What this person may do now; everyone else sees it read-only. */
  actions: string[];
  /** The child's team by its name, as people know it (absent if the directory no longer has it). */
  teamName?: string;
  /** How each notice, calendar entry and meeting went out (or why not); left out when not asked for. */
  deliveries?: { effectId: string; kind: string; notice?: string; to?: string; status: string; attempts: number; lastError?: string; detail?: string }[];
}

/** IROs and QA oversee disputes; administering the directory alone gives no sight of them. */
const oversees = (person: DirectoryPerson) => person.capabilities.includes("iro") || person.capabilities.includes("qa");

/**
 * Need to know: a dispute is read by those who hold or held a stage of it, the IRO who raised it,
 * QA, managers of the child's team's service area, and those the procedure told of it (a notice
 * in its outbox, or a referral they were informed of). Anyone else, an authority-wide role holder
 * (chief executive, solicitor, guardian, LSCP) or another IRO included, is refused.
 */
export async function mayRead(services: Services, d: Dispute, person: DirectoryPerson): Promise<boolean> {
  const actor = actorOf(person);
  if (person.capabilities.includes("qa") || isParticipant(d, actor)) return true;
  if (isAssignee(d, await withCover(services, d.tenantId, d, actor, services.clock.now()))) return true;
  if (person.serviceAreas.length) {
    const team = await services.directory.team(d.tenantId, d.child.team);
    if (team && person.serviceAreas.includes(team.serviceArea)) return true;
  }
  if (d.referrals.some((r) => r.informed.some((p) => samePerson(p, person)))) return true;
  const outbox = await services.outbox.all(d.tenantId, d.id);
  return outbox.some((e) => e.effect.kind === "notify" && samePerson(e.effect.to, person));
}

export const noPart = (disputeId: string): Rejection => ({ code: "forbidden", message: `You have no part in dispute ${disputeId}.` });

export async function getDispute(
  services: Services,
  tenantId: string,
  disputeId: string,
  person: DirectoryPerson,
  options: { deliveries?: boolean; committed?: Dispute; history?: AuditEvent[] } = {},
): Promise<Result<DisputeView, Rejection>> {
  // Right after a change the caller has the dispute as committed: no need to read it again.
  const d = options.committed?.id === disputeId ? options.committed : (await services.store.load(tenantId, disputeId))?.dispute;
  if (!d) return err({ code: "not-found", message: `No dispute ${disputeId}.` });
  if (!(await mayRead(services, d, person))) return err(noPart(disputeId));
  // Cards never show deliveries: the bot asks without them and saves the outbox read.
  const [runtime, history, outbox, teams] = await Promise.all([
    services.runtime(tenantId),
    options.history ?? services.store.events(tenantId, disputeId),
    options.deliveries === false ? undefined : services.outbox.all(tenantId, disputeId),
    services.directory.teams(tenantId),
  ]);
  const teamName = teams.find((t) => t.id === d.child.team)?.displayName;
  const actor = await withCover(services, tenantId, d, actorOf(person), services.clock.now());
  const actions = actionsFor(d, actor, (a) => isAllowedIn(a, d.state));
  const deliveries = outbox
    ?.filter((e) => e.effect.kind !== "card-update")
    .map((e) => ({
      effectId: e.effect.id,
      kind: e.effect.kind,
      ...(e.effect.kind === "notify" ? { notice: e.effect.notice, to: e.effect.to.upn } : e.effect.kind === "calendar" ? { to: e.effect.attendee.upn } : {}),
      status: e.status,
      attempts: e.attempts,
      ...(e.lastError ? { lastError: e.lastError } : {}),
      ...(e.detail ? { detail: e.detail } : {}),
    }));
  return ok({ dispute: d, history, plan: runtime ? planForDispute(d, runtime.calendar, services.clock.now()) : null, actions, ...(teamName ? { teamName } : {}), ...(deliveries ? { deliveries } : {}) });
}

/**
 * A paging cursor has the shape of one this API gave (storage's own continuation, whose keys are
 * opaque); anything else is refused, never sent to storage. The list's filter keeps a cursor inside
 * the caller's authority whatever it holds.
 */
function cursorIsOurs(cursor: string): boolean {
  if (!/^[A-Za-z0-9+/=_-]{1,2048}$/.test(cursor)) return false;
  try {
    const token = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { nextPartitionKey?: unknown; nextRowKey?: unknown };
    const key = (k: unknown) => typeof k === "string" && k.length > 0 && k.length <= 1024;
    return key(token.nextPartitionKey) && (token.nextRowKey === undefined || key(token.nextRowKey));
  } catch {
    return false;
  }
}

export type ListRole = "assignee" | "iro" | "team" | "child" | "all";

export async function listDisputes(
  services: Services,
  input: { tenantId: string; person: DirectoryPerson; role: ListRole; state: "open" | "closed" | "all"; team?: string; reference?: string; pageSize: number; cursor?: string },
): Promise<Result<Page<DisputeSummary>, Rejection>> {
  const { person } = input;
  if (input.cursor !== undefined && !cursorIsOurs(input.cursor)) {
    return err({ code: "invalid", message: "cursor: not a cursor this list gave; start again without it." });
  }
  let by: ListBy;
  switch (input.role) {
    case "assignee":
    case "iro":
      by = { kind: input.role, personId: person.id };
      break;
    case "team": {
      const team = input.team ?? person.teams[0];
      if (!team) return err({ code: "invalid", message: "team: you are in no team; name one with ?team=" });
      if (!person.teams.includes(team) && !person.capabilities.includes("qa")) {
        const info = await services.directory.team(input.tenantId, team);
        if (!info || !person.serviceAreas.includes(info.serviceArea)) return err({ code: "forbidden", message: `You do not work in team ${team}.` });
      }
      by = { kind: "team", team };
      break;
    }
    case "child":
      if (!input.reference) return err({ code: "invalid", message: "reference: name the child's case reference with ?reference=" });
      if (!oversees(person)) return err({ code: "forbidden", message: "Only IROs and QA look disputes up by child." });
      by = { kind: "child", reference: input.reference };
      break;
    case "all":
      if (!person.capabilities.includes("qa")) return err({ code: "forbidden", message: "Only the QA service lists every dispute." });
      by = { kind: "all" };
      break;
  }
  const page = await services.store.list(input.tenantId, by, input.state, input.pageSize, input.cursor);
  if (input.role !== "assignee" || input.state === "closed" || input.cursor !== undefined) return ok(page);
  const covering = await coveredAnswers(services, input.tenantId, person, input.pageSize);
  const own = new Set(page.items.map((s) => s.id));
  return ok({ ...page, items: [...covering.filter((s) => !own.has(s.id)), ...page.items] });
}

/**
 * The answers waiting on the holders this person covers today, marked as covering for them: each
 * holder's own "waiting on me" range, read on the list's first page. Only what a cover may do (answer
 * the stage's alert) is theirs; a decision waiting on a holder who is an IRO stays with the holder.
 */
async function coveredAnswers(services: Services, tenantId: string, person: DirectoryPerson, pageSize: number): Promise<DisputeSummary[]> {
  const now = services.clock.now();
  const standing = (await services.administration.coveredBy(tenantId, person.id)).filter((c) => coverOn(c, now));
  const lists = await Promise.all(
    standing.map(async ({ holder }) =>
      (await services.store.list(tenantId, { kind: "assignee", personId: holder.id }, "open", pageSize)).items
        .filter((s) => s.waitingOn?.some((w) => w.person.id === holder.id && w.ask === "answer"))
        .map((s): DisputeSummary => ({ ...s, coveringFor: holder })),
    ),
  );
  return lists.flat();
}
