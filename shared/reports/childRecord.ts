/**
 * A dispute as it goes onto the child's file: the printable record that the case system's form
 * (Mosaic workstep, LCS / ICS "forms") holds. One complete HTML document with inline CSS that
 * prints on A4, so the same text can be saved as PDF or printed from the browser.
 *
 * Pure and browser-safe. Minimal identifying detail: the child appears by case reference and
 * initials only. Every piece of text that came from a person or from the data is escaped for
 * HTML in one place (`e`), so nothing typed can become markup.
 */
import { formatLondon } from "../calendar/londonTime";
import type { Dispute, StageRecord } from "../dispute/disputeSchema";
import type { AuditEvent } from "../dispute/events";
import type { PersonRef } from "../dispute/people";
import { escapeHtml } from "../messages/notices";

export interface ChildRecordLabels {
  category?: string;
  reason?: string;
  exception?: string;
  /** The child's team by its name. */
  team?: string;
  /** Readable names of role ids ("team-manager" → "Team Manager"). */
  roles?: Record<string, string>;
}

export interface ChildRecordInput {
  dispute: Dispute;
  /** The dispute's audit events, in any order. */
  history: readonly AuditEvent[];
  labels?: ChildRecordLabels;
  procedureTitle: string;
  generatedAt: Date | string;
}

/** The record's sections, in order: every one is always present, saying "none" where there is nothing. */
export const RECORD_SECTIONS = [
  "Child",
  "Dispute",
  "Concerns",
  "Outcomes sought",
  "Stages",
  "Holds",
  "Referrals",
  "Child informed and advocacy",
  "Outcome",
  "Chronology",
] as const;

const e = escapeHtml;

const LEGAL_STATUS: Record<string, string> = {
  "looked-after": "Looked after",
  "child-protection": "Child protection plan",
  "child-in-need": "Child in need",
  "care-leaver": "Care leaver",
};

const KNOWN_ROLES: Record<string, string> = {
  dcs: "DCS",
  lscp: "LSCP",
  "ad-quality-assurance": "AD for Quality Assurance",
  "iro-service-manager": "IRO Service Manager",
  "la-solicitor": "LA solicitor",
  guardian: "Children's Guardian",
};

const words = (id: string) => {
  const s = id.replace(/-/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
};

const BODY = { cafcass: "CAFCASS", lscp: "the LSCP" } as const;
const bodyName = (b: unknown) => (b === "cafcass" || b === "lscp" ? BODY[b] : String(b));

const ACTION_NAMES: Record<string, string> = {
  raise: "Raised",
  "raise-exception": "Raised as an exception",
  respond: "Answered",
  acknowledge: "Acknowledged",
  "request-more-time": "More time requested",
  escalate: "Escalated",
  extend: "Deadline extended",
  hold: "Put on hold",
  resume: "Resumed",
  resolve: "Resolved",
  withdraw: "Withdrawn",
  reassign: "Reassigned",
  "intend-referral": "Referral intended",
  refer: "Referred",
  "record-child-informed": "Child informed recorded",
  "add-note": "Note",
  "reminder-due": "Reminder sent",
  "deadline-passed": "Deadline passed",
  "hold-ended": "Hold date reached",
  "cap-warning": "20 working days near",
  "cap-passed": "20 working days passed",
};

const STATE_NAMES: Record<string, string> = {
  informal: "Informal",
  "awaiting-response": "Awaiting response",
  "awaiting-decision": "Awaiting the IRO's decision",
  "on-hold": "On hold",
  resolved: "Resolved",
  withdrawn: "Withdrawn",
};

const DECISIONS: Record<string, string> = { escalated: "Escalated", held: "Put on hold", resolved: "Resolved", withdrawn: "Withdrawn" };

/** "Tue 12 Jan 2027" for a date written YYYY-MM-DD. */
const dateFormat = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric" });
export function formatLocalDate(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? date : dateFormat.format(d);
}

const when = (iso: string | undefined) => (iso ? formatLondon(iso) : "");
const yesNo = (b: boolean) => (b ? "Yes" : "No");
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const person = (v: unknown): PersonRef | undefined =>
  v && typeof v === "object" && typeof (v as PersonRef).displayName === "string" ? (v as PersonRef) : undefined;

function stageName(d: Dispute, stage: number): string {
  if (stage === 0) return "Informal stage";
  const title = d.ladder.stages.find((s) => s.stage === stage)?.title;
  return title ? `Stage ${stage} (${title})` : `Stage ${stage}`;
}

/** What each event did, in plain words (escaped when shown). */
function describe(ev: AuditEvent, d: Dispute, roleName: (r: string) => string, labels: ChildRecordLabels): string {
  const x = ev.detail;
  const stage = num(x.stage) ?? ev.from.stage ?? ev.to.stage;
  const told = (v: unknown) => (Array.isArray(v) && v.length ? v.map((r) => roleName(String(r))).join(", ") : "");
  const parts: string[] = [];
  switch (ev.action) {
    case "raise": {
      const start = num(x.startStage) ?? ev.to.stage;
      parts.push(`${x.direction === "reverse" ? "Concern about the IRO service raised (reverse process)" : "Raised"} at ${stageName(d, start).toLowerCase()}`);
      const bypassed = Array.isArray(x.bypassed) ? x.bypassed : [];
      if (bypassed.length) parts.push(`Bypassing stage${bypassed.length > 1 ? "s" : ""} ${bypassed.join(", ")}`);
      if (num(x.responseDays)) parts.push(`${x.responseDays} working days to respond`);
      if (person(x.assignee)) parts.push(`Sent to ${person(x.assignee)!.displayName}`);
      if (told(x.told)) parts.push(`Told: ${told(x.told)}`);
      if (told(x.notTold)) parts.push(`Nobody holds: ${told(x.notTold)}`);
      break;
    }
    case "raise-exception":
      parts.push(`Exception: ${labels.exception ?? str(x.exception) ?? ""}, straight to ${stageName(d, num(x.startStage) ?? ev.to.stage).toLowerCase()}`);
      if (person(x.assignee)) parts.push(`Sent to ${person(x.assignee)!.displayName}`);
      if (told(x.told)) parts.push(`Told at once: ${told(x.told)}`);
      break;
    case "respond":
      parts.push(`${stageName(d, stage)} answered ${x.withinTimescale === true ? "within" : "outside"} its timescale`, `Answer: ${str(x.response) ?? ""}`);
      if (str(x.actionsAgreed)) parts.push(`Actions agreed: ${x.actionsAgreed}`);
      if (str(x.completionDate)) parts.push(`To be completed by ${formatLocalDate(String(x.completionDate))}`);
      break;
    case "acknowledge":
      parts.push(`${stageName(d, stage)} acknowledged`);
      break;
    case "request-more-time":
      parts.push(`${num(x.days) ?? "?"} more working days asked for: ${str(x.reason) ?? ""}`);
      break;
    case "escalate":
    case "deadline-passed":
      if (ev.action === "deadline-passed" && x.automatic !== true) {
        parts.push(`${stageName(d, stage)} not answered by ${when(str(x.dueAt))}`);
        break;
      }
      parts.push(`From ${stageName(d, num(x.fromStage) ?? ev.from.stage ?? 0).toLowerCase()} to ${stageName(d, num(x.toStage) ?? ev.to.stage).toLowerCase()}`);
      if (Array.isArray(x.bypassed) && x.bypassed.length) parts.push(`Bypassing stage${x.bypassed.length > 1 ? "s" : ""} ${x.bypassed.join(", ")}`);
      if (str(x.rationale)) parts.push(`Rationale: ${x.rationale}`);
      if (num(x.responseDays)) parts.push(`${x.responseDays} working days to respond`);
      if (person(x.assignee)) parts.push(`Sent to ${person(x.assignee)!.displayName}`);
      break;
    case "extend":
      parts.push(`${stageName(d, stage)} due ${when(str(x.to))} instead of ${when(str(x.from))}: ${str(x.reason) ?? ""}`);
      break;
    case "hold":
      parts.push(`At ${stageName(d, stage).toLowerCase()}, until ${formatLocalDate(String(x.until ?? ""))}`, `Actions agreed: ${str(x.actionsAgreed) ?? ""}`);
      break;
    case "resume":
      parts.push(`${stageName(d, stage)} again, due ${when(str(x.dueAt))}`);
      if (str(x.reason)) parts.push(`Reason: ${x.reason}`);
      break;
    case "resolve":
      parts.push(`At ${stageName(d, stage).toLowerCase()}: ${str(x.outcome) ?? ""}`);
      break;
    case "withdraw":
      parts.push(`At ${stageName(d, stage).toLowerCase()}: ${str(x.reason) ?? ""}`);
      break;
    case "reassign":
      parts.push(`${roleName(String(x.role ?? ""))}: ${person(x.from)?.displayName ?? "nobody"} → ${person(x.to)?.displayName ?? ""}`, `Reason: ${str(x.reason) ?? ""}`);
      break;
    case "intend-referral":
      parts.push(`To ${bodyName(x.to)}: ${str(x.reasons) ?? ""}`);
      if (told(x.informed)) parts.push(`Told first: ${told(x.informed)}`);
      break;
    case "refer": {
      parts.push(`To ${bodyName(x.to)}${str(x.reasons) ? `: ${x.reasons}` : ""}`);
      const first = Array.isArray(x.informedFirst) ? x.informedFirst.map(person).filter(Boolean).map((p) => p!.displayName) : [];
      if (first.length) parts.push(`Told first: ${first.join(", ")}`);
      break;
    }
    case "record-child-informed":
      parts.push(`Child informed: ${yesNo(x.informed === true)}; advocacy offered: ${yesNo(x.advocacyOffered === true)}`);
      if (str(x.note)) parts.push(`Note: ${x.note}`);
      break;
    case "add-note":
      parts.push(str(x.note) ?? "");
      break;
    case "reminder-due":
      parts.push(`${stageName(d, stage)} due ${when(str(x.dueAt))}`);
      break;
    case "hold-ended":
      parts.push(`The agreed date ${formatLocalDate(String(x.until ?? ""))} has come: the IRO checks the agreed actions`);
      break;
    case "cap-warning":
    case "cap-passed":
      parts.push(`The formal process's 20 working days ${ev.action === "cap-warning" ? "end" : "ended"} ${when(str(x.capDueAt))}`);
      if (told(x.told)) parts.push(`Told: ${told(x.told)}`);
      break;
  }
  // One line each: the cell keeps line breaks, and user text is never run together.
  return parts.filter(Boolean).join("\n");
}

/** A two-column table of label and value; rows with no value are left out. */
function fields(rows: readonly (readonly [string, string | undefined])[]): string {
  const shown = rows.filter(([, v]) => v !== undefined && v !== "");
  return `<table class="fields"><tbody>${shown.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v!)}</td></tr>`).join("")}</tbody></table>`;
}

const section = (title: (typeof RECORD_SECTIONS)[number], body: string) =>
  `<section id="${title.toLowerCase().replace(/[^a-z]+/g, "-")}"><h2>${e(title)}</h2>\n${body}\n</section>`;

const none = (text: string) => `<p class="none">${e(text)}</p>`;
const prose = (text: string) => `<p class="text">${e(text)}</p>`;

export function childRecordHtml(input: ChildRecordInput): string {
  const { dispute: d, procedureTitle } = input;
  const labels = input.labels ?? {};
  const history = [...input.history].sort((a, b) => a.version - b.version);
  const stageTitles: Record<string, string> = Object.fromEntries(d.ladder.stages.map((s) => [s.role, s.title]));
  const roleName = (role: string) => labels.roles?.[role] ?? stageTitles[role] ?? KNOWN_ROLES[role] ?? words(role);
  const holder = (role: string) => {
    const p = d.ladder.roster[role];
    return p ? `${roleName(role)} (${p.displayName})` : roleName(role);
  };
  const actorName = (ev: AuditEvent) => ev.actor?.displayName ?? "System (timer)";
  const raise = history.find((ev) => ev.action === "raise" || ev.action === "raise-exception");
  const told = Array.isArray(raise?.detail.told) ? (raise!.detail.told as unknown[]).map((r) => holder(String(r))).join(", ") : undefined;
  const generatedAt = typeof input.generatedAt === "string" ? input.generatedAt : input.generatedAt.toISOString();
  const category = labels.category ?? d.category;
  const reason = labels.reason ?? d.reason;

  const child = fields([
    ["Case reference", d.child.reference],
    ["Initials", d.child.initials],
    ["Legal status", LEGAL_STATUS[d.child.legalStatus] ?? d.child.legalStatus],
    ["Team", labels.team ?? d.child.team],
  ]);

  const dispute = fields([
    ["Dispute", d.id],
    ["Procedure", procedureTitle],
    ["Direction", d.direction === "reverse" ? "Reverse: a concern raised by the service about the IRO service" : "Raised by the IRO / CP chair"],
    [d.direction === "reverse" ? "Raised by" : "IRO / CP chair", `${d.raisedBy.displayName} (${d.raisedBy.upn})`],
    ["Raised", `${when(d.raisedAt)}, from ${d.raisedFrom}`],
    ["Category", category],
    ["Reason", reason],
    ["Exception", d.exception ? `${labels.exception ?? d.exception.kind}, declared ${when(d.exception.declaredAt)}` : undefined],
    ["Linked review", d.reviewDate ? formatLocalDate(d.reviewDate) : undefined],
    ["Told when raised", told],
    ["Formal process started", d.formalStartedAt ? when(d.formalStartedAt) : undefined],
    ["20 working days end", d.capDueAt ? when(d.capDueAt) : undefined],
    ["Now", `${STATE_NAMES[d.state] ?? d.state}, ${stageName(d, d.stage).toLowerCase()}`],
  ]);

  const decisionEvent = (s: StageRecord) =>
    s.closed ? history.find((ev) => ev.at === s.closed!.at && (ev.from.stage ?? -1) === s.stage && ev.action !== "respond") : undefined;
  const rounds = new Map<number, number>();
  const stages = d.stages
    .map((s) => {
      const round = (rounds.get(s.stage) ?? 0) + 1;
      rounds.set(s.stage, round);
      const decided = decisionEvent(s);
      const decision = s.closed
        ? `${DECISIONS[s.closed.how] ?? s.closed.how}, ${when(s.closed.at)}${decided ? ` by ${decided.actor ? decided.actor.displayName : "the system, as the procedure says"}` : ""}`
        : undefined;
      return `<article class="stage"><h3>${e(stageName(d, s.stage))}${round > 1 ? ` <small>(again, round ${round})</small>` : ""}</h3>
${fields([
  ["Recipient", `${s.assignee.displayName}, ${s.title}`],
  ["How", s.mode === "meeting" ? "Minuted meeting chaired by the recipient" : "Written response"],
  ["Received", when(s.receivedAt)],
  ["Due", `${when(s.dueAt)} (${s.responseDays} working days)`],
  ["Acknowledged", s.acknowledgedAt ? when(s.acknowledgedAt) : undefined],
  ["More time asked for", s.moreTimeRequested ? `${s.moreTimeRequested.days} working days, ${when(s.moreTimeRequested.at)}: ${s.moreTimeRequested.reason}` : undefined],
  ["Overdue since", s.overdueSince ? when(s.overdueSince) : undefined],
  ["Answered", s.response ? `${when(s.response.at)} by ${s.response.by.displayName}` : "Not answered"],
  ["Answer", s.response?.text],
  ["Actions agreed", s.response?.actionsAgreed],
  ["To be completed by", s.response?.completionDate ? formatLocalDate(s.response.completionDate) : undefined],
  ["IRO's decision", decision ?? "Not yet decided"],
  ["Rationale", s.closed?.rationale],
])}
</article>`;
    })
    .join("\n");

  const holdEvents = history.filter((ev) => ev.action === "hold");
  const holds = holdEvents.length
    ? `<table class="list"><colgroup><col style="width:20%"><col style="width:18%"><col style="width:14%"><col><col style="width:22%"></colgroup><thead><tr><th>Put on hold</th><th>At</th><th>Until</th><th>Actions agreed</th><th>Then</th></tr></thead><tbody>${holdEvents
        .map((h) => {
          const after = history.find((ev) => ev.version > h.version && ["resume", "hold-ended", "resolve", "withdraw", "escalate", "hold"].includes(ev.action));
          const then = after ? `${ACTION_NAMES[after.action] ?? after.action}, ${when(after.at)}` : "Still on hold";
          return `<tr><td>${e(`${when(h.at)} by ${actorName(h)}`)}</td><td>${e(stageName(d, num(h.detail.stage) ?? h.from.stage ?? 0))}</td><td>${e(formatLocalDate(String(h.detail.until ?? "")))}</td><td>${e(str(h.detail.actionsAgreed) ?? "")}</td><td>${e(then)}</td></tr>`;
        })
        .join("")}</tbody></table>`
    : none("The dispute was never put on hold.");

  const referrals = d.referrals.length
    ? `<table class="list"><colgroup><col style="width:12%"><col><col style="width:20%"><col style="width:17%"><col style="width:17%"></colgroup><thead><tr><th>To</th><th>Reasons</th><th>Told first</th><th>Intended</th><th>Made</th></tr></thead><tbody>${d.referrals
        .map(
          (r) =>
            `<tr><td>${e(r.body === "cafcass" ? "CAFCASS" : "LSCP")}</td><td>${e(r.reasons)}</td><td>${e(r.informed.map((p) => p.displayName).join(", ") || "Nobody needed to be told first")}</td><td>${e(when(r.intendedAt))}</td><td>${e(r.madeAt ? when(r.madeAt) : "Not yet made")}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : none("No referral to CAFCASS or the LSCP.");

  const informed = d.childInformed
    ? fields([
        ["Child told of the dispute", yesNo(d.childInformed.informed)],
        ["Advocacy offered", yesNo(d.childInformed.advocacyOffered)],
        ["Note", d.childInformed.note],
        ["Recorded", when(d.childInformed.at)],
      ])
    : none("Not recorded: whether the child was told and offered advocacy has not been recorded yet.");

  const withdrawal = d.state === "withdrawn" ? [...history].reverse().find((ev) => ev.action === "withdraw") : undefined;
  const outcome = d.outcome
    ? fields([
        ["Outcome", d.outcome.text],
        ["Resolved by", d.outcome.by.displayName],
        ["Resolved", when(d.outcome.at)],
        ["Stage", stageName(d, d.stage)],
      ])
    : withdrawal
      ? fields([
          ["Outcome", "Withdrawn"],
          ["Reason", str(withdrawal.detail.reason)],
          ["Withdrawn by", actorName(withdrawal)],
          ["Withdrawn", when(withdrawal.at)],
        ])
      : none(`Open: ${STATE_NAMES[d.state] ?? d.state}, ${stageName(d, d.stage).toLowerCase()}.`);

  const chronology = history.length
    ? `<table class="list chronology"><colgroup><col style="width:17%"><col style="width:15%"><col style="width:14%"><col style="width:8%"><col></colgroup><thead><tr><th>When</th><th>What</th><th>By</th><th>Stage</th><th>Details</th></tr></thead><tbody>${history
        .map((ev) => {
          const stage = ev.from.stage === null || ev.from.stage === ev.to.stage ? String(ev.to.stage) : `${ev.from.stage} → ${ev.to.stage}`;
          return `<tr><td>${e(when(ev.at))}</td><td>${e(ACTION_NAMES[ev.action] ?? ev.action)}</td><td>${e(actorName(ev))}</td><td>${e(stage)}</td><td>${e(describe(ev, d, roleName, labels))}</td></tr>`;
        })
        .join("\n")}</tbody></table>`
    : none("No events recorded.");

  const body = [
    section("Child", child),
    section("Dispute", dispute),
    section("Concerns", prose(d.concerns)),
    section("Outcomes sought", prose(d.outcomesSought)),
    section("Stages", stages),
    section("Holds", holds),
    section("Referrals", referrals),
    section("Child informed and advocacy", informed),
    section("Outcome", outcome),
    section("Chronology", chronology),
  ].join("\n");

  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dispute ${e(d.id)}: record for ${e(d.child.reference)}</title>
<style>
@page{size:A4;margin:16mm 14mm 18mm}
*{box-sizing:border-box}
body{font-family:Arial,'Liberation Sans',Helvetica,sans-serif;font-size:10.5pt;line-height:1.35;color:#000;margin:0 auto;max-width:190mm;padding:8px}
header{border-bottom:2px solid #000;margin-bottom:8px;padding-bottom:4px}
.marking{font-weight:bold;letter-spacing:.05em;font-size:9pt;margin:0}
h1{font-size:15pt;margin:4px 0}
.meta{font-size:9pt;color:#333;margin:0}
h2{font-size:12pt;margin:14px 0 4px;border-bottom:1px solid #888;page-break-after:avoid;break-after:avoid}
h3{font-size:10.5pt;margin:8px 0 3px;page-break-after:avoid;break-after:avoid}
h3 small{font-weight:normal}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #999;padding:3px 5px;text-align:left;vertical-align:top;white-space:pre-wrap;overflow-wrap:break-word}
th{background:#eee}
table.fields th{width:32%;font-weight:bold}
tr,article.stage{page-break-inside:avoid;break-inside:avoid}
thead{display:table-header-group}
table.list{table-layout:fixed}
.text{white-space:pre-wrap;overflow-wrap:break-word;margin:2px 0}
.none{font-style:italic;margin:2px 0}
footer{margin-top:16px;border-top:1px solid #888;font-size:8.5pt;color:#333}
@media print{body{padding:0;max-width:none}}
</style>
</head>
<body>
<header>
<p class="marking">OFFICIAL-SENSITIVE: part of the child's record</p>
<h1>Dispute resolution record: ${e(d.child.reference)} (${e(d.child.initials)})</h1>
<p class="meta">Dispute ${e(d.id)} · ${e(procedureTitle)} · generated ${e(when(generatedAt))} (London time)</p>
</header>
${body}
<footer>Generated from the dispute's audit trail (${history.length} event${history.length === 1 ? "" : "s"}, version ${d.version}). Keep with the child's record; do not copy into chat.</footer>
</body>
</html>
`;
}
