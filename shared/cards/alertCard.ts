import { isOpen, currentStage } from "../dispute/disputeSchema";
import type { EscalationPlan } from "../plan/planEscalation";
import type { DeadlineRule } from "../procedure/procedureSchema";
import type { AdaptiveCard, AlertCardData } from "./cardContract";
import { LIMITS, answerable, answererOf, banner, bodyLabel, facts, header, inline, nameOf, spoken, statement } from "./alertParts";
import { history } from "./alertHistory";
import { actionRows, viewerLine } from "./alertActions";
import { type CardElement, adaptiveCard, escapeMarkdown, formatDay, formatWhen, plannedWhen, plural, sectionHeading, textBlock, userText, words } from "./text";

/**
 * The alert card: one dispute as its viewer needs it. The assignee answers on it, the IRO (or QA)
 * decides on it, everyone else reads it. It carries the whole story so far (Blackburn: each new
 * recipient sees every earlier stage), the plan if nobody answers, and only the actions the
 * server says this viewer may take now.
 */

function exceptionNotice(data: AlertCardData): CardElement[] {
  const e = data.dispute.exception;
  if (!e) return [];
  const label = data.labels.exception ?? words(e.kind);
  return [
    {
      type: "Container",
      style: "attention",
      spacing: "medium",
      items: [textBlock(`Exception: ${escapeMarkdown(label)}. Raised straight to stage ${data.dispute.stages[0]?.stage ?? data.dispute.stage}; the people the procedure names were told at once.`, { weight: "bolder" })],
    },
  ];
}

/** Why the dispute came to the stage it is at: the IRO's rationale for escalating it. */
function whyHere(data: AlertCardData): CardElement[] {
  const d = data.dispute;
  if (d.stages.length < 2) return [];
  const previous = d.stages[d.stages.length - 2]!;
  if (previous.closed?.how !== "escalated") return [];
  const from = previous.stage === 0 ? "informal resolution" : `stage ${previous.stage}`;
  const rationale = previous.closed.rationale ? userText(previous.closed.rationale, LIMITS.why) : "No rationale was recorded.";
  return [sectionHeading(`Escalated here from ${from} on ${formatWhen(previous.closed.at)}`), textBlock(rationale, { spacing: "small" })];
}

function currentAnswer(data: AlertCardData): CardElement[] {
  const d = data.dispute;
  const s = currentStage(d);
  const out: CardElement[] = [];
  if (s.moreTimeRequested && answerable(d)) {
    out.push({
      type: "Container",
      style: "warning",
      spacing: "medium",
      items: [
        textBlock(`${nameOf(s.assignee, data.people)} asked for ${plural(s.moreTimeRequested.days, "more working day")} on ${formatWhen(s.moreTimeRequested.at)}`, { weight: "bolder" }),
        textBlock(userText(s.moreTimeRequested.reason, LIMITS.rationale), { spacing: "none" }),
      ],
    });
  }
  if (s.response) {
    out.push(...statement(`Answer from ${answererOf(s.response, data.people)} · ${formatWhen(s.response.at)}`, s.response.text, LIMITS.answer));
    if (s.response.actionsAgreed) out.push(...statement("Actions agreed", s.response.actionsAgreed, LIMITS.answer));
    if (s.response.completionDate) out.push(textBlock(`To be done by ${formatDay(s.response.completionDate)}`, { spacing: "small" }));
  }
  if (d.state === "on-hold" && d.hold) {
    out.push(sectionHeading(`On hold since ${formatWhen(d.hold.since)}, until ${formatDay(d.hold.until)}`));
    out.push(textBlock(userText(d.hold.actionsAgreed, LIMITS.answer), { spacing: "small" }));
  }
  if (d.outcome) out.push(...statement(`Outcome · ${formatWhen(d.outcome.at)}`, d.outcome.text, LIMITS.answer));
  if (d.outcome?.impact) out.push(...statement("Impact for the child", d.outcome.impact, LIMITS.answer));
  if (d.state === "withdrawn" && s.closed?.rationale) out.push(...statement("Why it was withdrawn", s.closed.rationale, LIMITS.answer));
  return out;
}

function referrals(data: AlertCardData): CardElement[] {
  const d = data.dispute;
  if (!d.referrals.length) return [];
  return [
    sectionHeading("Referrals"),
    ...d.referrals.map((r, i) => {
      const told = r.informed.length ? ` (told first: ${r.informed.map((p) => nameOf(p, data.people)).join(", ")})` : "";
      const status = r.madeAt ? `referred ${formatWhen(r.madeAt)}` : `intended ${formatWhen(r.intendedAt ?? d.updatedAt)}, not yet made`;
      return textBlock(`**${bodyLabel(r.body)}**: ${status}${told}${r.reasons ? `. ${inline(r.reasons, LIMITS.rationale)}` : ""}`, { spacing: i ? "none" : "small" });
    }),
  ];
}

/** The plan if nobody answers: who gets it next and when, and the cap on the whole formal process. */
export function planSection(plan: EscalationPlan, options: { fromStage: number; onDeadline: DeadlineRule; capWorkingDays: number; heading?: string }): CardElement[] {
  const next = plan.stages.filter((p) => p.stage > options.fromStage);
  const out: CardElement[] = [sectionHeading(options.heading ?? "If nobody answers")];
  if (next.length) {
    out.push(
      textBlock(
        options.onDeadline === "escalate"
          ? "At each deadline with no answer it climbs on its own:"
          : `At each deadline with no answer ${options.onDeadline === "ask-qa" ? "the QA service is" : "the IRO is"} asked to decide; escalated each time, it would reach:`,
        { isSubtle: true, spacing: "small" },
      ),
    );
    for (const p of next) {
      if (p.skipped) {
        out.push(textBlock(`**Stage ${p.stage}** · ${escapeMarkdown(p.title)} · skipped: it applies only where someone holds it, and nobody does here`, { spacing: "none", isSubtle: true }));
        continue;
      }
      const who = p.holder ? ` · ${escapeMarkdown(p.holder.displayName)}` : "";
      const cap = p.exceedsCap ? ` · past the ${options.capWorkingDays}-day cap` : "";
      out.push(
        textBlock(`**Stage ${p.stage}** · ${escapeMarkdown(p.title)}${who} · ${plannedWhen(p)}${cap}`, {
          spacing: "none",
          ...(p.exceedsCap ? { color: "attention" as const } : {}),
        }),
      );
    }
  } else {
    out.push(textBlock("This is the top of the ladder: the IRO resolves it here, or refers it to CAFCASS or the LSCP.", { isSubtle: true, spacing: "small" }));
  }
  out.push(textBlock(`The whole formal process should end by ${formatDay(plan.capDate)} (${options.capWorkingDays} working days).`, { spacing: "small" }));
  return out;
}

function planAndCap(data: AlertCardData): CardElement[] {
  const d = data.dispute;
  if (!isOpen(d)) return [];
  if (data.plan && answerable(d)) {
    return planSection(data.plan, { fromStage: d.stage, onDeadline: d.ladder.onDeadline, capWorkingDays: d.ladder.capWorkingDays });
  }
  if (!d.capDueAt) return [];
  const passed = !!d.capNotices?.passedAt;
  return [
    textBlock(
      passed
        ? `The ${d.ladder.capWorkingDays}-working-day cap on the formal process passed on ${formatWhen(d.capDueAt)}.`
        : `The whole formal process should end by ${formatWhen(d.capDueAt)} (${d.ladder.capWorkingDays} working days).`,
      { spacing: "medium", ...(passed ? { color: "attention" as const, weight: "bolder" as const } : { isSubtle: true }) },
    ),
  ];
}

/** The alert card for one viewer of one dispute. */
export function alertCard(data: AlertCardData): AdaptiveCard {
  const d = data.dispute;
  const line = viewerLine(data);
  const body: CardElement[] = [
    ...(data.banner ? [banner(data.banner)] : []),
    header(data),
    ...exceptionNotice(data),
    facts(data),
    ...whyHere(data),
    ...statement("Concerns", d.concerns, LIMITS.statement),
    ...statement("Outcomes sought", d.outcomesSought, LIMITS.statement),
    ...currentAnswer(data),
    ...referrals(data),
    ...planAndCap(data),
    ...history(data),
    ...line,
    ...actionRows(data, line.length > 0),
  ];
  return adaptiveCard(body, [], {
    speak: spoken(data),
    refresh: {
      action: { type: "Action.Execute", verb: "refresh", data: { disputeId: d.id, version: d.version } },
      userIds: data.refreshUserIds,
    },
  });
}
