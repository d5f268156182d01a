import { formatLongDay, londonDate } from "../../calendar/londonTime";
import { ok } from "../../result";
import { type Dispute, currentStage } from "../disputeSchema";
import type { EffectDraft } from "../effects";
import { type Handler, reject } from "./change";
import { cardUpdate, holdEntry, notice } from "./drafts";
import { closeStage, enterStage, stageOf, stageZero } from "./stages";

// Putting a dispute on hold while agreed actions are done, and taking it off.

export const hold: Handler<"hold"> = (d, c, ctx) => {
  if (c.until <= londonDate(ctx.now)) {
    return reject("invalid", `Agreed completion date: ${formatLongDay(c.until)} is not after today (${formatLongDay(londonDate(ctx.now))}). Nothing was changed.`, "until");
  }
  if (!ctx.calendar.isWorkingDay(c.until)) return reject("invalid", `Agreed completion date: ${formatLongDay(c.until)} is not a working day. Nothing was changed.`, "until");
  const s = currentStage(d);
  const closed = closeStage(d, "held", ctx, c.actionsAgreed);
  const endsAt = ctx.calendar.endOfWorkingDay(c.until).toISOString();
  const held: Dispute = {
    ...closed.dispute,
    state: "on-hold",
    hold: { until: c.until, endsAt, actionsAgreed: c.actionsAgreed, since: ctx.now.toISOString(), ended: false },
  };
  return ok({
    dispute: held,
    effects: [...closed.effects, holdEntry(held, endsAt, "upsert"), notice(s.assignee, "on-hold", s.role, "teams"), cardUpdate],
    reschedule: true,
    detail: { stage: s.stage, until: c.until, actionsAgreed: c.actionsAgreed },
  });
};

/** Off hold, back to the same stage for a fresh answer with its full response time. */
export const resume: Handler<"resume"> = (d, c, ctx) => {
  const s = currentStage(d);
  const stage = s.stage === 0 ? stageZero(d) : stageOf(d.ladder, s.stage)!;
  const effects: EffectDraft[] = d.hold && !d.hold.ended ? [holdEntry(d, d.hold.endsAt, "cancel")] : [];
  const again = enterStage(d, stage, s.responseDays, ctx);
  return ok({
    dispute: again.dispute,
    effects: [...effects, ...again.effects.filter((e) => !(e.kind === "notify" && e.notice === "stage-notice")), cardUpdate],
    reschedule: true,
    detail: { stage: s.stage, reason: c.reason, dueAt: currentStage(again.dispute).dueAt },
  });
};
