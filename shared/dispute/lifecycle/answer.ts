import { formatLongDay, formatWhen, londonDate } from "../../calendar/londonTime";
import { ok } from "../../result";
import { currentStage } from "../disputeSchema";
import type { Actor } from "../people";
import { coveringFor } from "../permissions";
import { type Handler, reject } from "./change";
import { calendarEntries, cardUpdate, notice } from "./drafts";
import { replaceCurrent } from "./stages";

// What the assignee does with the stage they hold: answer it, acknowledge it, ask for more time.

export const respond: Handler<"respond"> = (d, c, ctx) => {
  const s = currentStage(d);
  const person = (ctx.actor as Extract<Actor, { kind: "person" }>).person;
  const covering = coveringFor(d, ctx.actor);
  if (c.completionDate && c.completionDate < londonDate(ctx.now)) {
    return reject("invalid", `Agreed completion date: ${formatLongDay(c.completionDate)} is in the past. Nothing was changed.`, "completionDate");
  }
  const response = {
    text: c.response,
    ...(c.actionsAgreed ? { actionsAgreed: c.actionsAgreed } : {}),
    ...(c.completionDate ? { completionDate: c.completionDate } : {}),
    by: person,
    ...(covering ? { coveringFor: covering } : {}),
    at: ctx.now.toISOString(),
  };
  const answered = replaceCurrent(d, { ...s, response });
  // A stage with no timescale has no "within": null, so the report counts it apart.
  const withinTimescale = s.dueAt ? ctx.now <= new Date(s.dueAt) : null;
  return ok({
    dispute: { ...answered, state: "awaiting-decision" },
    effects: [...calendarEntries(d, s, "cancel"), notice(d.raisedBy, "response-received", null, "teams"), cardUpdate],
    reschedule: true,
    detail: { stage: s.stage, response: c.response, actionsAgreed: c.actionsAgreed, completionDate: c.completionDate, withinTimescale },
  });
};

export const acknowledge: Handler<"acknowledge"> = (d, _c, ctx) => {
  const s = currentStage(d);
  if (s.acknowledgedAt) return reject("conflict", `Stage ${s.stage} was already acknowledged at ${formatWhen(s.acknowledgedAt)}. Nothing was changed.`);
  return ok({
    dispute: replaceCurrent(d, { ...s, acknowledgedAt: ctx.now.toISOString() }),
    effects: [cardUpdate],
    reschedule: false,
    detail: { stage: s.stage },
  });
};

export const requestMoreTime: Handler<"request-more-time"> = (d, c, ctx) => {
  const s = currentStage(d);
  if (!s.dueAt) return reject("invalid", `The procedure sets ${s.stage === 0 ? "the informal stage" : `stage ${s.stage} (${s.title})`} no timescale, so there is no deadline to move. Nothing was changed.`, "days");
  return ok({
    dispute: replaceCurrent(d, { ...s, moreTimeRequested: { days: c.days, reason: c.reason, at: ctx.now.toISOString() } }),
    effects: [notice(d.raisedBy, "more-time-requested", null, "teams"), cardUpdate],
    reschedule: false,
    detail: { stage: s.stage, days: c.days, reason: c.reason },
  });
};
