import { ok } from "../../result";
import type { EffectDraft } from "../effects";
import { type Handler, reject } from "./change";
import { awaitedConsultation } from "./contacts";
import { cardUpdate, notice, peopleIn } from "./drafts";

// Referral to CAFCASS or the LSCP, and whether the child was told of the dispute.

export const intendReferral: Handler<"intend-referral"> = (d, c, ctx) => {
  const roles = d.ladder.notify.beforeReferral[c.to];
  const told = peopleIn(roles, d.ladder.roster, [d.raisedBy]);
  if (told.missing.length) {
    return reject("invalid", `Nobody holds ${told.missing.join(", ")} for this dispute, who must be told before a referral to ${bodyName(c.to)}.`);
  }
  const referrals = [...d.referrals.filter((r) => r.body !== c.to || r.madeAt), { body: c.to, reasons: c.reasons, informed: told.people.map((p) => p.person), intendedAt: ctx.now.toISOString() }];
  return ok({
    dispute: { ...d, referrals },
    effects: [...told.people.map(({ role, person }) => notice(person, "referral-intended", role, "mail")), cardUpdate],
    reschedule: false,
    detail: { to: c.to, reasons: c.reasons, informed: told.people.map((p) => p.role) },
  });
};

const bodyName = (b: "cafcass" | "lscp") => (b === "cafcass" ? "CAFCASS" : "the LSCP");

export const refer: Handler<"refer"> = (d, c, ctx) => {
  const roles = d.ladder.notify.beforeReferral[c.to];
  if (d.referrals.some((r) => r.body === c.to && r.madeAt)) return reject("conflict", `Dispute ${d.id} was already referred to ${bodyName(c.to)}. Nothing was changed.`);
  const intended = d.referrals.find((r) => r.body === c.to && r.intendedAt && !r.madeAt);
  if (roles.length && !intended) {
    return reject("conflict", `${roles.join(" and ")} must be told before a referral to ${bodyName(c.to)}: record the intention to refer first. Nothing was changed.`);
  }
  const consult = awaitedConsultation(d, `${c.to}-referral`);
  if (consult) return reject("conflict", consult);
  const made = { body: c.to, reasons: c.reasons ?? intended?.reasons ?? "", informed: intended?.informed ?? [], ...(intended?.intendedAt ? { intendedAt: intended.intendedAt } : {}), madeAt: ctx.now.toISOString() };
  const referrals = [...d.referrals.filter((r) => r !== intended), made];
  const effects: EffectDraft[] = peopleIn(d.ladder.notify.qualityAssurance, d.ladder.roster, [d.raisedBy]).people.map(({ role, person }) => notice(person, "referral-made", role, "mail"));
  return ok({ dispute: { ...d, referrals }, effects: [...effects, cardUpdate], reschedule: false, detail: { to: c.to, reasons: made.reasons, informedFirst: made.informed } });
};

export const recordChildInformed: Handler<"record-child-informed"> = (d, c, ctx) =>
  ok({
    dispute: { ...d, childInformed: { informed: c.informed, advocacyOffered: c.advocacyOffered, ...(c.note ? { note: c.note } : {}), at: ctx.now.toISOString() } },
    effects: [cardUpdate],
    reschedule: false,
    detail: { informed: c.informed, advocacyOffered: c.advocacyOffered, note: c.note },
  });
