import { type Dispute } from "../../shared/dispute/disputeSchema";
import type { AuditEvent } from "../../shared/dispute/events";
import type { Rejection } from "../../shared/dispute/lifecycle";
import { isAllowedIn } from "../../shared/dispute/lifecycle";
import { actionsFor, isParticipant } from "../../shared/dispute/permissions";
import { samePerson } from "../../shared/dispute/people";
import { type EscalationPlan, planForDispute } from "../../shared/plan/planEscalation";
import { type Result, err, ok } from "../../shared/result";
import type { DirectoryPerson, DisputeSummary, ListBy, Page } from "../ports";
import { actorOf } from "./actors";
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

/** Those with a place on the dispute, those told of it, the IROs and QA may read it. */
export function mayRead(d: Dispute, person: DirectoryPerson): boolean {
  const actor = actorOf(person);
  return (
    oversees(person) ||
    isParticipant(d, actor) ||
    Object.values(d.ladder.roster).some((p) => samePerson(p, actor.kind === "person" ? actor.person : undefined))
  );
}

export async function getDispute(
  services: Services,
  tenantId: string,
  disputeId: string,
  person: DirectoryPerson,
  options: { deliveries?: boolean; committed?: Dispute } = {},
): Promise<Result<DisputeView, Rejection>> {
  // Right after a change the caller has the dispute as committed: no need to read it again.
  const d = options.committed?.id === disputeId ? options.committed : (await services.store.load(tenantId, disputeId))?.dispute;
  if (!d) return err({ code: "not-found", message: `No dispute ${disputeId}.` });
  if (!mayRead(d, person)) return err({ code: "forbidden", message: `You have no part in dispute ${disputeId}.` });
  // Cards never show deliveries: the bot asks without them and saves the outbox read.
  const [runtime, history, outbox, teams] = await Promise.all([
    services.runtime(tenantId),
    services.store.events(tenantId, disputeId),
    options.deliveries === false ? undefined : services.outbox.all(tenantId, disputeId),
    services.directory.teams(tenantId),
  ]);
  const teamName = teams.find((t) => t.id === d.child.team)?.displayName;
  const actions = actionsFor(d, actorOf(person), (a) => isAllowedIn(a, d.state));
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

export type ListRole = "assignee" | "iro" | "team" | "child" | "all";

export async function listDisputes(
  services: Services,
  input: { tenantId: string; person: DirectoryPerson; role: ListRole; state: "open" | "closed" | "all"; team?: string; reference?: string; pageSize: number; cursor?: string },
): Promise<Result<Page<DisputeSummary>, Rejection>> {
  const { person } = input;
  let by: ListBy;
  switch (input.role) {
    case "assignee":
    case "iro":
      by = { kind: input.role, personId: person.id };
      break;
    case "team": {
      const team = input.team ?? person.teams[0];
      if (!team) return err({ code: "invalid", message: "team: you are in no team; name one with ?team=" });
      if (!person.teams.includes(team) && !oversees(person)) return err({ code: "forbidden", message: `You do not work in team ${team}.` });
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
  return ok(await services.store.list(input.tenantId, by, input.state, input.pageSize, input.cursor));
}
