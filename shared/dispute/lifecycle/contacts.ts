import { londonDate } from "../../calendar/londonTime";
import { formatDay } from "../../cards/text";
import type { ChildContactKind, Occasion } from "../../procedure/toldSchema";
import { ok } from "../../result";
import type { ParsedCommand } from "../commands";
import { type ChildContact, type Dispute, type Told, isOpen } from "../disputeSchema";
import type { EffectDraft } from "../effects";
import { type PersonRef, samePerson } from "../people";
import { type Change, type DecideContext, type Handler, reject } from "./change";
import { cardUpdate, peopleIn } from "./drafts";

// Who is told beyond the ladder's own notices, as the procedure words it: a notice relayed down a
// chain, the child's Children's Guardian and solicitor, the court through the authority's
// solicitors while the child is in proceedings; and the consultations a referral waits for.

/** A contact outside the authority as a recipient: mail to their address; the id can never be an Entra object id. */
export const contactPerson = (kind: ChildContactKind, contact: ChildContact): PersonRef => ({ id: `child-contact-${kind}`, upn: contact.email, displayName: contact.name });

/** The IRO names the child's contacts, or changes them; those the procedure tells of the open dispute are told now, once. */
export const setChildContacts: Handler<"set-child-contacts"> = (d, c) => {
  if (c.guardian === undefined && c.solicitor === undefined && c.inProceedings === undefined) {
    return reject("invalid", "Nothing to change: give the Children's Guardian, the child's solicitor or whether the child is in proceedings.");
  }
  const was = d.childContacts ?? { inProceedings: false };
  const pick = (now: ChildContact | null | undefined, before: ChildContact | undefined) => (now === undefined ? before : (now ?? undefined));
  const guardian = pick(c.guardian, was.guardian);
  const solicitor = pick(c.solicitor, was.solicitor);
  const contacts = { ...(guardian ? { guardian } : {}), ...(solicitor ? { solicitor } : {}), inProceedings: c.inProceedings ?? was.inProceedings };
  return ok({
    dispute: { ...d, childContacts: contacts },
    effects: [cardUpdate],
    reschedule: false,
    // Names stay in the dispute's record; the event says only what changed.
    detail: { guardian: !!contacts.guardian, solicitor: !!contacts.solicitor, inProceedings: contacts.inProceedings },
  });
};

export const recordConsultation: Handler<"record-consultation"> = (d, c, ctx) => {
  const rules = d.ladder.consultations ?? [];
  const rule = rules.find((r) => r.id === c.consultation);
  if (!rule) {
    const which = rules.length ? `choose one of ${rules.map((r) => r.id).join(", ")}` : "it asks for no consultation";
    return reject("invalid", `Consulted: "${c.consultation}" is not a consultation in this dispute's procedure; ${which}.`, "consultation");
  }
  if (c.on > londonDate(ctx.now)) return reject("invalid", `Consulted on: ${formatDay(c.on)} is in the future; record a consultation that has taken place.`, "on");
  const by = ctx.actor.kind === "person" ? ctx.actor.person : d.raisedBy;
  const record = { id: rule.id, label: rule.label, before: rule.before, on: c.on, outcome: c.outcome, by, at: ctx.now.toISOString() };
  return ok({
    dispute: { ...d, consultations: [...(d.consultations ?? []), record] },
    effects: [cardUpdate],
    reschedule: false,
    detail: { consultation: rule.id, label: rule.label, before: rule.before, on: c.on, outcome: c.outcome },
  });
};

const STEP: Record<"cafcass-referral" | "lscp-referral", string> = { "cafcass-referral": "a referral to CAFCASS", "lscp-referral": "a referral to the LSCP" };

/** Why the step must wait, while a consultation the procedure asks for before it is not recorded; undefined when it need not. */
export function awaitedConsultation(d: Dispute, before: "cafcass-referral" | "lscp-referral"): string | undefined {
  const missing = (d.ladder.consultations ?? []).filter((r) => r.before.includes(before) && !(d.consultations ?? []).some((x) => x.id === r.id));
  if (!missing.length) return undefined;
  const who = missing.map((r) => `${r.label}${r.source ? ` (${r.source})` : ""}`).join(" and ");
  return `The procedure asks that ${who} be consulted before ${STEP[before]}: record the consultation first, with the day and the outcome. Nothing was changed.`;
}

/** The occasion an accepted command is: chains follow whoever it told, referrals from the intention on. */
function occasionOf(c: ParsedCommand): Occasion | undefined {
  switch (c.action) {
    case "raise":
    case "raise-exception":
      return "raise";
    case "escalate":
    case "resolve":
      return c.action;
    case "intend-referral":
    case "refer":
      return `${c.to}-referral`;
    default:
      return undefined;
  }
}

/** For the child's contacts and the court, a referral is told when it is made, not when it is intended. */
function contactOccasion(before: Dispute | undefined, after: Dispute, c: ParsedCommand): Occasion | undefined {
  if (c.action === "intend-referral") return undefined;
  // Named while the dispute is open: told of it now, as they would have been at the raise.
  if (c.action === "set-child-contacts") return before && isOpen(after) ? "raise" : undefined;
  return occasionOf(c);
}

/** Each is told once per occasion, and once per stage for escalations. */
const sameTelling = (a: Omit<Told, "at">, b: Told) =>
  a.on === b.on && a.why === b.why && a.as === b.as && a.to.upn.toLowerCase() === b.to.upn.toLowerCase() && (a.on !== "escalate" || a.stage === b.stage);

/**
 * After any accepted command: who the procedure tells beyond the ladder's own notices, each once,
 * added to the change with a line in the dispute's record of who was told, by whom and when.
 */
export function tellBeyondLadder(before: Dispute | undefined, change: Change, c: ParsedCommand, ctx: DecideContext): Change {
  const d = change.dispute;
  const { roster } = d.ladder;
  const told: Told[] = [...(d.told ?? [])];
  const effects: EffectDraft[] = [];
  const notTold: string[] = [];
  const at = ctx.now.toISOString();
  const add = (entry: Omit<Told, "at" | "stage">, effect: EffectDraft) => {
    const full = { ...entry, stage: d.stage };
    if (told.some((t) => sameTelling(full, t))) return;
    told.push({ ...full, at });
    effects.push(effect);
  };

  const chainOn = occasionOf(c);
  for (const chain of chainOn ? (d.ladder.notify.chains ?? []).filter((x) => x.on === chainOn) : []) {
    const by = roster[chain.by];
    const byNotice = by && change.effects.find((e) => e.kind === "notify" && samePerson(e.to, by));
    if (!by || !byNotice || byNotice.kind !== "notify") continue;
    const down = peopleIn(chain.to, roster, [by, d.raisedBy]);
    notTold.push(...down.missing);
    for (const { role, person } of down.people) {
      add({ on: chainOn!, as: role, to: person, by, why: "chain" }, { kind: "notify", notice: byNotice.notice, to: person, role, channel: "mail", toldBy: { person: by, role: chain.by } });
    }
  }

  const on = contactOccasion(before, d, c);
  const rules = d.ladder.childContacts;
  const contacts = d.childContacts;
  if (on && rules) {
    for (const rule of rules.tell) {
      const contact = contacts?.[rule.contact];
      if (!contact || !rule.on.includes(on) || (rule.inProceedingsOnly && !contacts?.inProceedings)) continue;
      const to = contactPerson(rule.contact, contact);
      // Outside the authority: mail only, never Teams.
      add({ on, as: rule.contact, to, why: "child-contact" }, { kind: "notify", notice: "child-contact", to, role: rule.contact, channel: "mail", on });
    }
    if (rules.court && contacts?.inProceedings && rules.court.on.includes(on)) {
      const solicitors = peopleIn(rules.court.tell, roster, [d.raisedBy]);
      notTold.push(...solicitors.missing);
      for (const { role, person } of solicitors.people) add({ on, as: role, to: person, why: "court" }, { kind: "notify", notice: "court-notice", to: person, role, channel: "mail", on });
    }
  }

  if (!effects.length && !notTold.length) return change;
  const added = told.slice((d.told ?? []).length);
  return {
    ...change,
    dispute: { ...d, told },
    effects: [...change.effects, ...effects],
    // Roles and kinds only: the contacts' names and addresses stay in the dispute's own record.
    detail: { ...change.detail, toldBeyond: added.map((t) => ({ as: t.as, why: t.why, ...(t.by ? { by: t.by.displayName } : {}) })), ...(notTold.length ? { notToldBeyond: notTold } : {}) },
  };
}
