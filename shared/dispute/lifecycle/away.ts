import { formatWhen } from "../../calendar/londonTime";
import { ok } from "../../result";
import { currentStage } from "../disputeSchema";
import { type Handler, reject } from "./change";
import { cardUpdate, notice } from "./drafts";
import { replaceCurrent } from "./stages";

/**
 * The relay learnt, sending the alert, that the holder's automatic replies say they are away past
 * the deadline and nobody covers for them: the IRO is told once per stage, and may escalate now.
 */
export const holderAway: Handler<"holder-away"> = (d, c, ctx) => {
  const s = currentStage(d);
  if (c.stage !== s.stage) return reject("conflict", `Dispute ${d.id} is no longer at stage ${c.stage}. Nothing was changed.`);
  if (s.holderAway) return reject("conflict", `The IRO was already told at ${formatWhen(s.holderAway.at)} that ${s.assignee.displayName} is away. Nothing was changed.`);
  return ok({
    dispute: replaceCurrent(d, { ...s, holderAway: { ...(c.until ? { until: c.until } : {}), at: ctx.now.toISOString() } }),
    effects: [notice(d.raisedBy, "holder-away", null, "teams"), cardUpdate],
    reschedule: false,
    detail: { stage: s.stage, holder: s.assignee.displayName, ...(c.until ? { until: c.until } : {}) },
  });
};
