/**
 * A dispute as it goes onto the child's file: the record that the case system's form (Mosaic
 * workstep, LCS / ICS "forms") holds, as a document of sections, each of fields, tables or text.
 * The same document is drawn as HTML (recordHtml.ts, printable from any browser) and as an A4 PDF
 * (functions/adapters/recordPdf.ts), so both carry the same words.
 *
 * Pure and browser-safe. Minimal identifying detail: the child appears by case reference and
 * initials only. Text here is plain; each renderer escapes it for its own format.
 */
import { formatWhen } from "../calendar/londonTime";
import type { Dispute, StageRecord } from "../dispute/disputeSchema";
import type { AuditEvent } from "../dispute/events";
import { type PersonRef, actingName } from "../dispute/people";
import { NO_TIMESCALE } from "../cards/text";
import { recordHtml } from "./recordHtml";
import { childContactsBlock, toldAndConsultedBlocks } from "./recordTold";

const TOLD_AS: Record<string, string> = { guardian: "the child's Guardian", solicitor: "the child's solicitor" };

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
  /** The authority as its directory names it: the monthly report names the same. */
  authority?: string;
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
  "Guardian and solicitor",
  "Told and consulted",
  "Child informed and advocacy",
  "Outcome",
  "Chronology",
] as const;

export type RecordSectionTitle = (typeof RECORD_SECTIONS)[number];

/** A label and its value, one row of a two-column table. */
export type RecordField = readonly [label: string, value: string];

export type RecordBlock =
  | { kind: "fields"; rows: RecordField[] }
  /** Columns with their share of the width (the rest split evenly among those without). */
  | { kind: "table"; columns: { title: string; width?: number }[]; rows: string[][] }
  | { kind: "stage"; title: string; note?: string; rows: RecordField[] }
  | { kind: "text"; text: string }
  | { kind: "none"; text: string };

export interface ChildRecordDocument {
  /** The protective marking, on every page. */
  marking: string;
  /** The browser's tab and the PDF's title. */
  documentTitle: string;
  title: string;
  meta: string;
  /** What each page's footer names: "Dispute D-…". */
  pageLabel: string;
  sections: { title: RecordSectionTitle; blocks: RecordBlock[] }[];
  footer: string;
}

export const RECORD_MARKING = "OFFICIAL-SENSITIVE: part of the child's record";

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
  "request-meeting": "Meeting asked for",
  "record-meeting": "Meeting recorded",
  "set-child-contacts": "Guardian and solicitor changed",
  "record-consultation": "Consultation recorded",
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

const when = (iso: string | undefined) => (iso ? formatWhen(iso) : "");
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

/** The child's voice recorded with an escalation or a resolution, as lines of the record. */
function childVoiceLines(v: unknown): string[] {
  if (!v || typeof v !== "object") return [];
  const x = v as Record<string, unknown>;
  return [
    `Child told: ${yesNo(x.told === true)}; advocacy offered: ${yesNo(x.advocacyOffered === true)}; complaints and legal advice routes explained: ${yesNo(x.routesExplained === true)}`,
    ...(str(x.wishesAndFeelings) ? [`The child's wishes and feelings: ${x.wishesAndFeelings}`] : []),
  ];
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
      parts.push(x.withinTimescale === null ? `${stageName(d, stage)} answered (${NO_TIMESCALE})` : `${stageName(d, stage)} answered ${x.withinTimescale === true ? "within" : "outside"} its timescale`, `Answer: ${str(x.response) ?? ""}`);
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
      parts.push(...childVoiceLines(x.childVoice));
      break;
    case "extend":
      parts.push(`${stageName(d, stage)} due ${when(str(x.to))} instead of ${when(str(x.from))}: ${str(x.reason) ?? ""}`);
      break;
    case "hold":
      parts.push(`At ${stageName(d, stage).toLowerCase()}, until ${formatLocalDate(String(x.until ?? ""))}`, `Actions agreed: ${str(x.actionsAgreed) ?? ""}`);
      break;
    case "resume":
      parts.push(`${stageName(d, stage)} again, ${x.dueAt ? `due ${when(str(x.dueAt))}` : NO_TIMESCALE}`);
      if (str(x.reason)) parts.push(`Reason: ${x.reason}`);
      break;
    case "resolve":
      parts.push(`At ${stageName(d, stage).toLowerCase()}: ${str(x.outcome) ?? ""}`);
      if (str(x.impact)) parts.push(`Impact for the child: ${x.impact}`);
      parts.push(...childVoiceLines(x.childVoice));
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
    case "set-child-contacts":
      parts.push(`Children's Guardian ${x.guardian ? "named" : "not named"}; child's solicitor ${x.solicitor ? "named" : "not named"}; in proceedings: ${yesNo(x.inProceedings === true)}`);
      break;
    case "record-consultation":
      parts.push(`${str(x.label) ?? ""} consulted on ${formatLocalDate(String(x.on ?? ""))}: ${str(x.outcome) ?? ""}`);
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
  if (Array.isArray(x.toldBeyond) && x.toldBeyond.length) {
    parts.push(`Also told: ${x.toldBeyond.map((t: { as?: unknown; by?: unknown }) => `${TOLD_AS[String(t.as)] ?? roleName(String(t.as))}${str(t.by) ? ` (by ${t.by})` : ""}`).join(", ")}`);
  }
  // One line each: the cell keeps line breaks, and user text is never run together.
  return parts.filter(Boolean).join("\n");
}

/** Rows with no value are left out. */
const shown = (rows: readonly (readonly [string, string | undefined])[]): RecordField[] => rows.filter((r): r is RecordField => r[1] !== undefined && r[1] !== "");
const fields = (rows: readonly (readonly [string, string | undefined])[]): RecordBlock => ({ kind: "fields", rows: shown(rows) });
const none = (text: string): RecordBlock => ({ kind: "none", text });
const prose = (text: string): RecordBlock => ({ kind: "text", text });
const table = (columns: [string, number?][], rows: string[][]): RecordBlock => ({ kind: "table", columns: columns.map(([title, width]) => (width ? { title, width } : { title })), rows });

/** The record printed from any browser: the document drawn as one HTML page. */
export function childRecordHtml(input: ChildRecordInput): string {
  return recordHtml(childRecordDocument(input));
}

export function childRecordDocument(input: ChildRecordInput): ChildRecordDocument {
  const { dispute: d, procedureTitle } = input;
  const labels = input.labels ?? {};
  const history = [...input.history].sort((a, b) => a.version - b.version);
  const stageTitles: Record<string, string> = Object.fromEntries(d.ladder.stages.map((s) => [s.role, s.title]));
  const roleName = (role: string) => labels.roles?.[role] ?? stageTitles[role] ?? KNOWN_ROLES[role] ?? words(role);
  const holder = (role: string) => {
    const p = d.ladder.roster[role];
    return p ? `${roleName(role)} (${p.displayName})` : roleName(role);
  };
  const actorName = (ev: AuditEvent) => (ev.actor ? actingName(ev.actor, ev.coveringFor) : "System (timer)");
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
    ["Authority", input.authority],
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
      return {
        kind: "stage" as const,
        title: stageName(d, s.stage),
        ...(round > 1 ? { note: `(again, round ${round})` } : {}),
        rows: shown([
          ["Recipient", `${s.assignee.displayName}, ${s.title}`],
          ["How", s.mode === "meeting" ? "Minuted meeting chaired by the recipient" : "Written response"],
          ["Received", when(s.receivedAt)],
          ["Due", s.dueAt ? `${when(s.dueAt)} (${s.responseDays} working days)` : `No deadline: ${NO_TIMESCALE}`],
          ["Acknowledged", s.acknowledgedAt ? when(s.acknowledgedAt) : undefined],
          ["More time asked for", s.moreTimeRequested ? `${s.moreTimeRequested.days} working days, ${when(s.moreTimeRequested.at)}: ${s.moreTimeRequested.reason}` : undefined],
          ["Overdue since", s.overdueSince ? when(s.overdueSince) : undefined],
          ["Answered", s.response ? `${when(s.response.at)} by ${actingName(s.response.by, s.response.coveringFor)}` : "Not answered"],
          ["Answer", s.response?.text],
          ["Actions agreed", s.response?.actionsAgreed],
          ["To be completed by", s.response?.completionDate ? formatLocalDate(s.response.completionDate) : undefined],
          ["IRO's decision", decision ?? "Not yet decided"],
          ["Rationale", s.closed?.rationale],
        ]),
      };
    });

  const holdEvents = history.filter((ev) => ev.action === "hold");
  const holds = holdEvents.length
    ? table(
        [["Put on hold", 0.2], ["At", 0.18], ["Until", 0.14], ["Actions agreed"], ["Then", 0.22]],
        holdEvents.map((h) => {
          const after = history.find((ev) => ev.version > h.version && ["resume", "hold-ended", "resolve", "withdraw", "escalate", "hold"].includes(ev.action));
          const then = after ? `${ACTION_NAMES[after.action] ?? after.action}, ${when(after.at)}` : "Still on hold";
          return [`${when(h.at)} by ${actorName(h)}`, stageName(d, num(h.detail.stage) ?? h.from.stage ?? 0), formatLocalDate(String(h.detail.until ?? "")), str(h.detail.actionsAgreed) ?? "", then];
        }),
      )
    : none("The dispute was never put on hold.");

  const referrals = d.referrals.length
    ? table(
        [["To", 0.12], ["Reasons"], ["Told first", 0.2], ["Intended", 0.17], ["Made", 0.17]],
        d.referrals.map((r) => [r.body === "cafcass" ? "CAFCASS" : "LSCP", r.reasons, r.informed.map((p) => p.displayName).join(", ") || "Nobody needed to be told first", when(r.intendedAt), r.madeAt ? when(r.madeAt) : "Not yet made"]),
      )
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
        ["Impact for the child", d.outcome.impact],
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
    ? table(
        [["When", 0.17], ["What", 0.15], ["By", 0.14], ["Stage", 0.08], ["Details"]],
        history.map((ev) => {
          const stage = ev.from.stage === null || ev.from.stage === ev.to.stage ? String(ev.to.stage) : `${ev.from.stage} → ${ev.to.stage}`;
          return [when(ev.at), ACTION_NAMES[ev.action] ?? ev.action, actorName(ev), stage, describe(ev, d, roleName, labels)];
        }),
      )
    : none("No events recorded.");

  return {
    marking: RECORD_MARKING,
    documentTitle: `Dispute ${d.id}: record for ${d.child.reference}`,
    title: `Dispute resolution record: ${d.child.reference} (${d.child.initials})`,
    meta: `Dispute ${d.id} · ${input.authority ? `${input.authority} · ` : ""}${procedureTitle} · generated ${when(generatedAt)} (London time)`,
    pageLabel: `Dispute ${d.id}`,
    sections: [
      { title: "Child", blocks: [child] },
      { title: "Dispute", blocks: [dispute] },
      { title: "Concerns", blocks: [prose(d.concerns)] },
      { title: "Outcomes sought", blocks: [prose(d.outcomesSought)] },
      { title: "Stages", blocks: stages },
      { title: "Holds", blocks: [holds] },
      { title: "Referrals", blocks: [referrals] },
      { title: "Guardian and solicitor", blocks: [childContactsBlock(d)] },
      { title: "Told and consulted", blocks: toldAndConsultedBlocks(d, { when, day: formatLocalDate, roleName }) },
      { title: "Child informed and advocacy", blocks: [informed] },
      { title: "Outcome", blocks: [outcome] },
      { title: "Chronology", blocks: [chronology] },
    ],
    footer: `Generated from the dispute's audit trail (${history.length} event${history.length === 1 ? "" : "s"}, version ${d.version}). Keep with the child's record; do not copy into chat.`,
  };
}
