/**
 * Beside the counts, what the monthly report says in words (Lambeth, "Evidencing Impact": how the
 * dispute resolution contributed to good outcomes for children; Blackburn 15: themes; Lambeth 6
 * and Blackburn 15: positive feedback): the outcome and impact of each dispute resolved in the
 * month, by case reference and initials only; the month's good-practice records; and the
 * categories and reasons raised more often than the month before. Pure, like the report.
 */
import { formatLongDay, type LocalDate } from "../calendar/londonTime";
import type { PersonRef } from "../dispute/people";
import { escapeHtml } from "../messages/notices";

/** A dispute resolved in the month: what was done and what difference it made for the child. */
export interface OutcomeEntry {
  disputeId: string;
  /** Absent for disputes raised before the raise recorded them: the dispute id stands alone. */
  childReference?: string;
  childInitials?: string;
  /** The stage it was resolved at, by its label. */
  stage: string;
  resolvedOn: LocalDate;
  outcome: string;
  impact?: string;
}

/** A good-practice record of the month (it names workers, never a child beyond the case reference). */
export interface GoodPracticeEntry {
  id: string;
  recordedOn: LocalDate;
  recordedBy: string;
  /** The worker praised, or "the whole team". */
  for: string;
  team: string;
  childReference?: string;
  feedback: string;
  /** The managers' replies that went back to the IRO. */
  replies: number;
}

/** A reason raised more often than in the month before. */
export interface ReasonTheme {
  category: string;
  categoryLabel: string;
  reason: string;
  reasonLabel: string;
  previous: number;
  current: number;
  rise: number;
}

/** What the report reads of a good-practice record: its time, and for the examples, the rest. */
export interface GoodPracticeInput {
  recordedAt: string;
  id?: string;
  recordedBy?: PersonRef;
  worker?: PersonRef;
  team?: string;
  teamName?: string;
  childReference?: string;
  feedback?: string;
  replies?: readonly unknown[];
}

/** The month's good-practice records as examples, oldest first; records carrying only a time are counted, not shown. */
export function goodPracticeExamples(records: readonly GoodPracticeInput[], inMonth: (t: number) => boolean, dateOf: (t: number) => LocalDate): GoodPracticeEntry[] {
  return records
    .filter((r) => inMonth(Date.parse(r.recordedAt)) && r.id && r.feedback)
    .sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0))
    .map((r) => ({
      id: r.id!,
      recordedOn: dateOf(Date.parse(r.recordedAt)),
      recordedBy: r.recordedBy?.displayName ?? "an IRO",
      for: r.worker?.displayName ?? "the whole team",
      team: r.teamName ?? r.team ?? "",
      ...(r.childReference ? { childReference: r.childReference } : {}),
      feedback: r.feedback!,
      replies: r.replies?.length ?? 0,
    }));
}

/** Rises month on month, largest first: `now` and `before` count raises per key. */
export function risesOf<K>(now: ReadonlyMap<K, number>, before: ReadonlyMap<K, number>): { key: K; previous: number; current: number; rise: number }[] {
  return [...now.entries()]
    .map(([key, current]) => ({ key, previous: before.get(key) ?? 0, current, rise: current - (before.get(key) ?? 0) }))
    .filter((t) => t.rise > 0);
}

/** "MOS-100234 (J.S.)", or the dispute id where the raise did not record the child. */
const childOf = (o: OutcomeEntry) => (o.childReference ? `${o.childReference}${o.childInitials ? ` (${o.childInitials})` : ""}, dispute ${o.disputeId}` : `Dispute ${o.disputeId}`);

/** The narrative in plain sentences, one paragraph per dispute or record: for the page, read before the tables. */
export function narrativeHtml(r: { outcomes: readonly OutcomeEntry[]; goodPractice: readonly GoodPracticeEntry[]; themes: readonly { label: string; previous: number; current: number }[]; reasonThemes: readonly ReasonTheme[] }): string {
  const e = escapeHtml;
  const outcomes = r.outcomes.length
    ? r.outcomes
        .map(
          (o) =>
            `<article><h3>${e(childOf(o))}</h3><p>Resolved at ${e(o.stage)} on ${e(formatLongDay(o.resolvedOn))}.</p><p><strong>Outcome:</strong> ${e(o.outcome)}</p>${
              o.impact ? `<p><strong>Impact for the child:</strong> ${e(o.impact)}</p>` : `<p class="empty">No impact for the child was recorded.</p>`
            }</article>`,
        )
        .join("\n")
    : `<p class="empty">No dispute was resolved this month.</p>`;
  const practice = r.goodPractice.length
    ? r.goodPractice
        .map(
          (g) =>
            `<article><h3>Good practice ${e(g.id)}: ${e(g.for)}, ${e(g.team)}</h3><p>Recorded by ${e(g.recordedBy)} on ${e(formatLongDay(g.recordedOn))}${g.childReference ? ` (case ${e(g.childReference)})` : ""}.</p><p>${e(g.feedback)}</p>${
              g.replies ? `<p class="meta">${g.replies === 1 ? "A manager replied" : `Managers replied ${g.replies} times`}.</p>` : ""
            }</article>`,
        )
        .join("\n")
    : `<p class="empty">No good practice was recorded this month.</p>`;
  const rising = [
    ...r.themes.map((t) => `${e(t.label)}: ${t.current} raised, ${t.previous} the month before`),
    ...r.reasonThemes.map((t) => `${e(t.categoryLabel)}, ${e(t.reasonLabel)}: ${t.current} raised, ${t.previous} the month before`),
  ];
  const themes = rising.length ? `<ul>${rising.map((x) => `<li>${x}</li>`).join("")}</ul>` : `<p class="empty">Nothing was raised more often than the month before.</p>`;
  return `<section class="narrative">
<h2 id="outcomes">Outcomes and their impact for children</h2>
${outcomes}
<h2 id="good-practice">Good practice</h2>
${practice}
<h2 id="themes">Themes: raised more often than the month before</h2>
${themes}
</section>`;
}
