/**
 * "My disputes": the personal tab in Teams, Outlook and the Microsoft 365 app. What waits on me,
 * what I raised, what is open in my team; a dispute opened shows the same alert card the bot
 * sends, acted on through the REST API, with its full record (every audit event, unclipped) and
 * how each notice went out. QA and managers also get the Dashboard (addin/dashboardView.ts, loaded
 * when first opened), and IROs a form to record good practice.
 */
import { cardCommand } from "../shared/cards/cardInputs";
import type { AdaptiveCard, AlertCardData, CardViewer } from "../shared/cards/cardContract";
import { alertCard } from "../shared/cards/alertCard";
import { formatWhen, words } from "../shared/cards/text";
import { type WorkingCalendar, createWorkingCalendar } from "../shared/calendar/workingDays";
import { formatLongDay, isLocalDate } from "../shared/calendar/londonTime";
import { DISPUTE_ACTIONS, type DisputeAction } from "../shared/dispute/commands";
import { ACTION_LABELS } from "../shared/dispute/fieldLabels";
import { currentStage } from "../shared/dispute/disputeSchema";
import { askOf } from "../shared/dispute/waitingOn";
import type { AuditEvent } from "../shared/dispute/events";
import { actingName } from "../shared/dispute/people";
import { noticeLabels } from "../shared/messages/notices";
import type { Procedure } from "../shared/procedure/procedureSchema";
import { type Api, type DashboardFilters, type DisputeSummary, type DisputeView, type Me, createApi } from "./api";
import { type Auth, authFor } from "./auth";
import { announce, keepingFocus, moveFocus, tabKeys } from "./a11y";
import { renderCard } from "./cardHost";
import { readPageConfig } from "./config";
import { byId, fill, h } from "./dom";
import { renderGoodPractice } from "./goodPracticeView";
import { personPicker } from "./personPicker";
import { connectHost } from "./teamsHost";
import { childLine, personaPicker, summaryState } from "./words";

performance.mark("resolve:script");


type ListKey = "assignee" | "iro" | "team" | "find";
const LISTS: { key: ListKey; title: string; empty: string }[] = [
  { key: "assignee", title: "Waiting on me", empty: "Nothing is waiting on you." },
  { key: "iro", title: "I raised", empty: "You have raised no open dispute." },
  { key: "team", title: "Open in my team", empty: "Nothing is open in your team." },
  { key: "find", title: "Find", empty: "No dispute about that child that you can see." },
];

const ACTION_WORDS: Partial<Record<DisputeAction, string>> = {
  respond: "Your answer was sent",
  acknowledge: "Acknowledged",
  "request-more-time": "More time was asked for",
  escalate: "Escalated",
  extend: "The deadline was moved",
  hold: "Put on hold",
  resume: "Resumed",
  resolve: "Resolved",
  withdraw: "Withdrawn",
  reassign: "Reassigned",
  "intend-referral": "The intention to refer was recorded",
  refer: "Referred",
  "record-child-informed": "Recorded",
  "add-note": "The note was added",
  "request-meeting": "The meeting was asked for",
  "record-meeting": "The meeting was recorded",
};

function viewerOf(v: DisputeView): CardViewer {
  if (v.actions.includes("respond") || v.actions.includes("acknowledge")) return "assignee";
  if (["escalate", "resolve", "hold", "resume", "withdraw"].some((a) => v.actions.includes(a))) return "decider";
  return "reader";
}

/** One audit event as a line of the record, in full. */
function eventLine(e: AuditEvent): HTMLElement {
  // Each by the label its form showed, dates spelt out ("Agreed completion date: Friday 8 January 2027").
  const labels: Readonly<Record<string, string>> = (ACTION_LABELS as Record<string, Record<string, string>>)[e.action] ?? {};
  const texts = ["response", "actionsAgreed", "rationale", "reason", "reasons", "outcome", "impact", "note", "until", "completionDate"]
    .map((k) => [labels[k] ?? words(k.replace(/([A-Z])/g, " $1").toLowerCase()), e.detail[k]] as const)
    .filter((x): x is readonly [string, string] => typeof x[1] === "string" && x[1].trim() !== "")
    .map(([label, v]) => [label, isLocalDate(v) ? formatLongDay(v) : v] as const);
  return h(
    "li",
    {},
    h("div", {}, h("strong", {}, words(e.action)), ` · ${e.actor ? actingName(e.actor, e.coveringFor) : "Resolve"} · ${formatWhen(e.at)}`, e.source ? h("span", { className: "muted" }, ` · from ${e.source}`) : ""),
    texts.length ? h("dl", {}, texts.flatMap(([label, v]) => [h("dt", {}, label), h("dd", { className: "user-text" }, v)])) : null,
  );
}

type View = "mine" | "dashboard" | "feedback" | "report" | "admin" | "away";
/** The views the switcher offers; "away" opens from the header. */
const VIEWS: { key: Exclude<View, "away">; title: string }[] = [
  { key: "mine", title: "My disputes" },
  { key: "dashboard", title: "Dashboard" },
  { key: "report", title: "Monthly report" },
  { key: "feedback", title: "Good practice" },
  { key: "admin", title: "Administration" },
];

class Tab {
  private procedure: Procedure | null = null;
  /** The authority's working days (its closure days too), as the server counts them. */
  private calendar: WorkingCalendar = createWorkingCalendar();
  private teams: { id: string; displayName: string }[] = [];
  /** The authority's people by name, for the pickers (none when the search fails: the person types on). */
  private readonly searchPeople = async (text: string) => {
    const r = await this.api.people(text);
    return r.ok ? r.value.items : [];
  };
  /** The good-practice form's worker as typed, when no listed name was chosen. */
  private typedWorker?: () => string;
  private me: Me | null = null;
  private view: View = "mine";
  private filters: DashboardFilters = {};
  private current: ListKey = "assignee";
  private findQuery: { reference: string; state: "open" | "closed" | "all" } = { reference: "", state: "all" };
  private lists = new Map<ListKey, DisputeSummary[] | string>();
  private open: DisputeView | null = null;

  constructor(
    private readonly api: Api,
    private readonly auth: Auth,
  ) {}

  async start(): Promise<void> {
    fill(byId("persona-slot"), personaPicker(this.auth, () => void this.switchPerson()));
    // Anyone may be away: the header offers it on every view.
    byId("persona-slot").before(h("button", { type: "button", id: "away-open", className: "link", onclick: () => void this.show("away") }, "I am away…"));
    const [procedures] = await Promise.all([this.api.procedures(), this.api.syncClock()]);
    this.procedure = procedures.ok ? procedures.value.current : null;
    this.calendar = createWorkingCalendar((procedures.ok && procedures.value.calendar) || {});
    this.teams = procedures.ok ? (procedures.value.teams ?? []) : [];
    await this.switchPerson();
  }

  /** Who the page acts for decides which views it offers (the server checks each again). */
  private async switchPerson(): Promise<void> {
    const me = await this.api.me();
    this.me = me.ok ? me.value : null;
    this.filters = {};
    if (!this.offered().some((v) => v.key === this.view)) this.view = "mine";
    await this.show(this.view);
  }

  private offered() {
    return VIEWS.filter((v) => v.key === "mine" || !!this.me?.views[v.key]);
  }

  private async show(view: View): Promise<void> {
    this.view = view;
    this.open = null;
    if (view === "dashboard") await this.showDashboard();
    else if (view === "report") await this.showReport();
    else if (view === "feedback") this.showFeedbackForm();
    else if (view === "admin" || view === "away") await this.showAdministration(view);
    else await this.reload();
    performance.mark("resolve:first-render");
    document.body.dataset.ready = "true";
  }

  /** "My disputes | Dashboard | Good practice", for those offered more than their own disputes. */
  private viewSwitcher(): HTMLElement | null {
    const views = this.offered();
    if (views.length < 2) return null;
    return h(
      "nav",
      { className: "views", role: "tablist", "aria-label": "Views" },
      views.map((v) =>
        h(
          "button",
          { type: "button", role: "tab", id: `view-${v.key}`, "aria-selected": String(this.view === v.key), tabindex: this.view === v.key ? 0 : -1, className: this.view === v.key ? "selected" : "", onclick: () => void keepingFocus(() => this.show(v.key)), onkeydown: tabKeys },
          v.title,
        ),
      ),
    );
  }

  private async showDashboard(): Promise<void> {
    const panel = h("section", { id: "dashboard-panel", role: "tabpanel", "aria-labelledby": "view-dashboard" });
    fill(byId("app"), this.viewSwitcher(), panel);
    const { renderDashboard } = await import("./dashboardView");
    await renderDashboard(panel, {
      api: this.api,
      filters: this.filters,
      onFilters: (filters) => {
        this.filters = filters;
        void this.show("dashboard");
      },
      onOpen: (id) => void this.openDispute(id),
    });
  }

  private async showReport(month?: string): Promise<void> {
    const panel = h("section", { id: "report-panel", role: "tabpanel", "aria-labelledby": "view-report" });
    fill(byId("app"), this.viewSwitcher(), panel);
    const { renderMonthlyReport } = await import("./reportView");
    await renderMonthlyReport(panel, { api: this.api, ...(month ? { month } : {}), onMonth: (m) => void this.showReport(m) });
  }

  /** Administration (addin/adminView.ts, loaded when first opened); "Away" sets one's own cover. */
  private async showAdministration(view: "admin" | "away", done?: { text: string; tone: "good" | "attention" }): Promise<void> {
    const panel = h("section", { id: `${view}-panel`, role: "tabpanel", "aria-labelledby": `view-${view}` });
    fill(byId("app"), this.viewSwitcher(), panel);
    const { renderAdministration, renderAway } = await import("./adminView");
    const options = { api: this.api, onChanged: (d: { text: string; tone: "good" | "attention" }) => void this.showAdministration(view, d) };
    if (view === "admin") await renderAdministration(panel, options, done);
    else renderAway(panel, { ...options, me: this.me! }, done);
    document.body.dataset.ready = "true";
  }

  private showFeedbackForm(done?: { text: string; tone: "good" | "attention" }, values: Record<string, string> = {}, worked?: { text: string; upn?: string }): void {
    const worker = personPicker({ id: "fb-workerUpn", name: "workerUpn", search: this.searchPeople, ...(worked ? { was: worked } : {}) });
    this.typedWorker = worker.typed;
    const field = (id: string, label: string, control: HTMLElement, hint?: string) =>
      h("div", { className: "field" }, h("label", { for: `fb-${id}` }, label), control, hint ? h("p", { className: "hint" }, hint) : null, h("div", { className: "field-error", id: `fb-${id}-error` }));
    const form = h(
      "form",
      { id: "feedback-form", novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void this.submitFeedback(form as HTMLFormElement); } },
      h("h2", {}, "Record good practice"),
      h("p", { className: "hint" }, "For a worker or a whole team. It goes to the managers the procedure names, in Teams and by mail, and counts in the monthly report."),
      field(
        "team",
        "Team",
        h("select", { id: "fb-team", name: "team" }, this.teams.length === 1 ? null : h("option", { value: "" }, "Choose"), this.teams.map((t) => h("option", { value: t.id, selected: values.team === t.id }, t.displayName))),
      ),
      field("workerUpn", "Worker (optional)", worker.element, "Type their name and choose them from the list; leave it empty for the whole team."),
      field("childReference", "Case reference (optional)", h("input", { id: "fb-childReference", name: "childReference", value: values.childReference ?? "", maxlength: 40, placeholder: "e.g. MOS-100234" }), "The case reference only, never the child's name."),
      field("feedback", "What you saw", h("textarea", { id: "fb-feedback", name: "feedback", rows: 5, maxlength: 4000, value: values.feedback ?? "" })),
      h("div", { className: "actions" }, h("button", { type: "submit", className: "primary", id: "feedback-submit" }, "Record and send")),
    );
    // IROs record good practice; everyone offered the view reads what they have a part in, and managers reply.
    const records = h("section", { id: "good-practice", className: "good-practice-list" });
    const shown = this.me?.capabilities.includes("iro") ? [form, records] : [records];
    fill(
      byId("app"),
      this.viewSwitcher(),
      h("section", { role: "tabpanel", "aria-labelledby": "view-feedback" }, done ? h("div", { className: `notice ${done.tone}`, role: done.tone === "good" ? "status" : "alert", id: "feedback-result" }, done.text) : null, shown),
    );
    void renderGoodPractice(records, this.api, this.me!).then(() => (document.body.dataset.goodPractice = "ready"));
  }

  private async submitFeedback(form: HTMLFormElement): Promise<void> {
    const values = Object.fromEntries(["team", "workerUpn", "childReference", "feedback"].map((k) => [k, String(new FormData(form).get(k) ?? "").trim()]));
    const worker = byId<HTMLInputElement>("fb-workerUpn").value.trim();
    const worked = { text: worker, ...(values.workerUpn ? { upn: values.workerUpn } : {}) };
    if (this.typedWorker?.()) {
      this.showFeedbackForm(undefined, values, worked);
      this.markFeedbackField("workerUpn", `Nobody called "${worker}" in this authority: choose the worker from the list, or leave it empty.`);
      return;
    }
    (form.querySelector("#feedback-submit") as HTMLButtonElement).disabled = true;
    const r = await this.api.recordFeedback({ team: values.team!, feedback: values.feedback!, ...(values.workerUpn ? { workerUpn: values.workerUpn } : {}), ...(values.childReference ? { childReference: values.childReference } : {}) });
    if (r.ok) {
      const to = r.value.sentTo.map((s) => s.person.displayName).join(" and ");
      this.showFeedbackForm({ text: `Recorded ${r.value.id}: sent to ${to}, in Teams and by mail.`, tone: "good" });
      moveFocus(document.getElementById("feedback-result"));
      return;
    }
    this.showFeedbackForm({ text: r.message, tone: "attention" }, values, worked);
    // The server names the field first ("team: …"): mark it.
    const field = /^(team|workerUpn|childReference|feedback):/.exec(r.message)?.[1];
    if (!field) moveFocus(document.getElementById("feedback-result"));
    else this.markFeedbackField(field, r.message.slice(field.length + 1).trim());
  }

  private markFeedbackField(field: string, message: string): void {
    const input = byId(`fb-${field}`);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", `fb-${field}-error`);
    byId(`fb-${field}-error`).textContent = message;
    input.focus();
  }

  /** The lists that fit this person: "I raised" for IROs, "Open in my team" for those who work in one. */
  private offeredLists(): typeof LISTS {
    const me = this.me;
    return LISTS.filter((l) => l.key === "assignee" || l.key === "find" || (l.key === "iro" ? !!me?.capabilities.includes("iro") : !!me?.teams.length));
  }

  private async reload(): Promise<void> {
    this.open = null;
    if (!this.offeredLists().some((l) => l.key === this.current)) this.current = "assignee";
    await Promise.all(
      this.offeredLists().map(async ({ key }) => {
        if (key === "find") return;
        const r = await this.api.list({ role: key, state: "open", pageSize: 50 });
        this.lists.set(key, r.ok ? r.value.items : r.message);
      }),
    );
    this.renderLists();
  }

  private renderLists(): void {
    const nav = h(
      "nav",
      { className: "tabs", role: "tablist", "aria-label": "Lists" },
      this.offeredLists().map((l) => {
        const items = this.lists.get(l.key);
        const count = Array.isArray(items) && l.key !== "find" ? ` (${items.length})` : "";
        return h(
          "button",
          { type: "button", role: "tab", id: `list-${l.key}`, "aria-selected": String(this.current === l.key), tabindex: this.current === l.key ? 0 : -1, className: this.current === l.key ? "selected" : "", onclick: () => void keepingFocus(() => { this.current = l.key; this.renderLists(); }), onkeydown: tabKeys },
          `${l.title}${count}`,
        );
      }),
    );
    const items = this.lists.get(this.current);
    const spec = LISTS.find((l) => l.key === this.current)!;
    let body: HTMLElement;
    if (this.current === "find" && items === undefined) body = h("p", { className: "muted" }, "Every dispute about a child you can see, open or closed, newest first.");
    else if (typeof items === "string") body = h("p", { className: "muted" }, items);
    else if (!items || !items.length) body = h("p", { className: "muted", id: "empty" }, spec.empty);
    else {
      body = h(
        "ul",
        { className: "disputes", id: "dispute-list" },
        items.map((s) => {
          const st = summaryState(s, this.api.now());
          const ask = this.me ? askOf(s, this.me.id, this.api.now()) : undefined;
          return h(
            "li",
            { className: `dispute tone-${st.tone}` },
            h(
              "button",
              { type: "button", className: "open-dispute", "data-id": s.id, onclick: () => void this.openDispute(s.id) },
              h("div", {}, h("strong", {}, s.id), ` · ${childLine(s)} · ${this.labels(s).category}`),
              ask ? h("div", { className: "ask" }, ask) : null,
              h("div", { className: "small" }, this.current === "find" ? `${st.text} · raised ${formatWhen(s.raisedAt)}` : st.text),
            ),
          );
        }),
      );
    }
    const finder = this.current === "find" ? this.findForm() : null;
    fill(byId("app"), this.viewSwitcher(), nav, h("section", { role: "tabpanel", "aria-labelledby": `list-${this.current}` }, finder, body));
  }

  /** Find by case reference and state: IROs and QA search by child; anyone else among their team's disputes. */
  private findForm(): HTMLElement {
    const submit = async (form: HTMLFormElement) => {
      const data = new FormData(form);
      this.findQuery = { reference: String(data.get("reference") ?? "").trim(), state: String(data.get("state") ?? "all") as "open" | "closed" | "all" };
      const { reference, state } = this.findQuery;
      if (!reference) return;
      const byChild = !!this.me?.capabilities.length;
      const r = await this.api.list(byChild ? { role: "child", reference, state, pageSize: 100 } : { role: "team", state, pageSize: 100 });
      const found = r.ok ? r.value.items.filter((s) => s.childReference.toUpperCase() === reference.toUpperCase()).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)) : r.message;
      this.lists.set("find", found);
      this.renderLists();
    };
    const q = this.findQuery;
    return h(
      "form",
      { id: "find-form", className: "filters", onsubmit: (e: Event) => { e.preventDefault(); void submit(e.target as HTMLFormElement); } },
      h("label", { className: "filter", for: "find-reference" }, h("span", {}, "Case reference"), h("input", { id: "find-reference", name: "reference", value: q.reference, placeholder: "e.g. MOS-100234", maxlength: 40, required: true })),
      h("label", { className: "filter", for: "find-state" }, h("span", {}, "State"), h("select", { id: "find-state", name: "state" }, (["all", "open", "closed"] as const).map((v) => h("option", { value: v, selected: q.state === v }, v === "all" ? "Open or closed" : words(v))))),
      h("button", { type: "submit", className: "primary", id: "find-submit" }, "Find"),
    );
  }

  private labels(d: { category: string; reason: string }) {
    const l = this.procedure ? noticeLabels(this.procedure, d) : {};
    return { category: l.category ?? words(d.category), reason: l.reason ?? words(d.reason) };
  }

  private cardFor(v: DisputeView, banner?: AlertCardData["banner"], typed?: AlertCardData["typed"]): AdaptiveCard {
    const s = currentStage(v);
    const waiting = v.state === "informal" || v.state === "awaiting-response";
    return alertCard({
      dispute: v,
      history: v.history,
      plan: v.plan,
      viewer: viewerOf(v),
      actions: v.actions.filter((a): a is DisputeAction => (DISPUTE_ACTIONS as readonly string[]).includes(a)),
      labels: this.labels(v),
      workingDaysLeft: waiting && s.dueAt ? this.calendar.workingDaysLeft(this.api.now(), new Date(s.dueAt)) : null,
      refreshUserIds: [],
      ...(v.teamName ? { teamName: v.teamName } : {}),
      ...(banner ? { banner } : {}),
      ...(typed ? { typed } : {}),
    });
  }

  private async openDispute(id: string, banner?: AlertCardData["banner"]): Promise<void> {
    const r = await this.api.get(id);
    if (!r.ok) {
      fill(byId("app"), this.backButton(), h("div", { className: "notice attention", role: "alert" }, r.message));
      return;
    }
    this.showDispute(r.value, banner);
  }

  private backButton(): HTMLElement {
    const toDashboard = this.view === "dashboard";
    const left = this.open?.id;
    const back = async () => {
      await this.show(this.view);
      // Back on the list, focus returns to the dispute just left (or the view's first control).
      moveFocus(document.querySelector(`#app button[data-id='${left}']`) ?? document.querySelector("#app [role='tab'][aria-selected='true']"));
    };
    return h("button", { type: "button", id: "back", className: "link", onclick: () => void back() }, toDashboard ? "← Dashboard" : "← All disputes");
  }

  private showDispute(v: DisputeView, banner?: AlertCardData["banner"], typed?: AlertCardData["typed"]): void {
    this.open = v;
    const cardBox = h("div", { id: "card", className: "card" });
    const deliveries = v.deliveries.length
      ? h(
          "ul",
          { className: "deliveries" },
          v.deliveries.map((d) => h("li", {}, `${d.notice ? words(d.notice) : words(d.kind)}${d.to ? ` to ${d.to}` : ""}: ${d.status}${d.attempts > 1 ? ` after ${d.attempts} attempts` : ""}${d.lastError ? ` (${d.lastError})` : ""}${d.detail ? `, ${d.detail}` : ""}`)),
        )
      : h("p", { className: "muted small" }, "Nothing sent yet.");
    fill(
      byId("app"),
      this.backButton(),
      h("div", { id: "state", "data-state": v.state, "data-version": String(v.version), className: "muted small" }, `${v.id} · ${words(v.state)}`),
      h("button", { type: "button", id: "record", className: "link", onclick: () => void this.openRecord(v.id) }, "Record for the child's file (print or save as PDF)"),
      cardBox,
      h(
        "details",
        { className: "record" },
        h("summary", {}, `Full record (${v.history.length} entries)`),
        h("ol", { className: "history" }, [...v.history].sort((a, b) => a.version - b.version).map(eventLine)),
        h("h3", {}, "Notices and calendar entries"),
        deliveries,
      ),
    );
    renderCard(cardBox, this.cardFor(v, banner, typed), (a) => void this.execute(a.verb, a.data), undefined, this.searchPeople);
    // The view was redrawn: the keyboard starts again at the top of the dispute, and what happened is read out.
    moveFocus(byId("state"));
    if (banner) announce(banner.text);
  }

  /** The record is fetched with the caller's identity, then shown as its own page to print. */
  private async openRecord(id: string): Promise<void> {
    const r = await this.api.record(id);
    if (!r.ok) {
      byId("app").prepend(h("div", { className: "notice attention", role: "alert" }, r.message));
      return;
    }
    window.open(URL.createObjectURL(new Blob([r.value], { type: "text/html" })), "_blank", "noopener");
  }

  private async execute(verb: string, data: Record<string, unknown>): Promise<void> {
    const v = this.open;
    if (!v) return;
    if (verb === "refresh") return this.openDispute(v.id);
    if (!(DISPUTE_ACTIONS as readonly string[]).includes(verb)) return;
    const action = verb as DisputeAction;
    const body = cardCommand(action, { ...data, version: Number(data.version ?? v.version) });
    const r = await this.api.act(v.id, body);
    if (r.ok) {
      this.showDispute(r.value, { text: `${ACTION_WORDS[action] ?? "Done"} at ${formatWhen(this.api.now())}.`, tone: "good" });
      return;
    }
    // Refused: show why on the dispute as it now stands (someone may have acted first), with the
    // form open again and what was typed still in it.
    const fresh = await this.api.get(v.id);
    const banner = { text: r.message, tone: "attention" as const };
    const { disputeId: _id, version: _version, ...values } = data;
    const typed = { action, values, message: r.message, ...(r.field ? { field: r.field } : {}) };
    this.showDispute(fresh.ok ? fresh.value : v, banner, typed);
  }
}

async function main(): Promise<void> {
  const config = readPageConfig();
  const host = await connectHost();
  if (host.host) byId("host").textContent = `in ${host.host}`;
  if (host.theme === "dark" || host.theme === "contrast") document.body.classList.add(`theme-${host.theme}`);
  let auth: Auth;
  try {
    auth = authFor(config);
  } catch (e) {
    fill(byId("app"), h("div", { className: "notice attention", role: "alert" }, (e as Error).message));
    return;
  }
  await new Tab(createApi({ base: config.apiBase, auth, source: "tab" }), auth).start();
}

main().catch((e: unknown) => {
  console.error(e);
  fill(byId("app"), h("div", { className: "notice attention", role: "alert" }, "Resolve could not start. Reload the tab."));
});
