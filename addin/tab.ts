/**
 * "My disputes": the personal tab in Teams, Outlook and the Microsoft 365 app. What waits on me,
 * what I raised, what is open in my team; a dispute opened shows the same alert card the bot
 * sends, acted on through the REST API, with its full record (every audit event, unclipped) and
 * how each notice went out.
 */
import { cardCommand } from "../shared/cards/alertCard";
import type { AdaptiveCard, AlertCardData, CardViewer } from "../shared/cards/cardContract";
import { alertCard } from "../shared/cards/alertCard";
import { formatWhen, words } from "../shared/cards/text";
import { createWorkingCalendar } from "../shared/calendar/workingDays";
import { DISPUTE_ACTIONS, type DisputeAction } from "../shared/dispute/commands";
import { currentStage } from "../shared/dispute/disputeSchema";
import type { AuditEvent } from "../shared/dispute/events";
import { noticeLabels } from "../shared/messages/notices";
import type { Procedure } from "../shared/procedure/procedureSchema";
import { type Api, type DisputeSummary, type DisputeView, createApi } from "./api";
import { type Auth, authFor } from "./auth";
import { renderCard } from "./cardHost";
import { readPageConfig } from "./config";
import { byId, fill, h } from "./dom";
import { connectHost } from "./teamsHost";
import { childLine, personaPicker, summaryState } from "./words";

performance.mark("resolve:script");

const calendar = createWorkingCalendar();

type ListKey = "assignee" | "iro" | "team";
const LISTS: { key: ListKey; title: string; empty: string }[] = [
  { key: "assignee", title: "Waiting on me", empty: "Nothing is waiting on you." },
  { key: "iro", title: "I raised", empty: "You have raised no open dispute." },
  { key: "team", title: "Open in my team", empty: "Nothing is open in your team." },
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
};

function viewerOf(v: DisputeView): CardViewer {
  if (v.actions.includes("respond") || v.actions.includes("acknowledge")) return "assignee";
  if (["escalate", "resolve", "hold", "resume", "withdraw"].some((a) => v.actions.includes(a))) return "decider";
  return "reader";
}

/** One audit event as a line of the record, in full. */
function eventLine(e: AuditEvent): HTMLElement {
  const texts = ["response", "actionsAgreed", "rationale", "reason", "reasons", "outcome", "note", "until", "completionDate"]
    .map((k) => [k, e.detail[k]] as const)
    .filter(([, v]) => typeof v === "string" && v.trim() !== "");
  return h(
    "li",
    {},
    h("div", {}, h("strong", {}, words(e.action)), ` · ${e.actor ? e.actor.displayName : "Resolve"} · ${formatWhen(e.at)}`, e.source ? h("span", { className: "muted" }, ` · from ${e.source}`) : ""),
    texts.length ? h("dl", {}, texts.flatMap(([k, v]) => [h("dt", {}, words(k.replace(/([A-Z])/g, " $1").toLowerCase())), h("dd", { className: "user-text" }, String(v))])) : null,
  );
}

class Tab {
  private procedure: Procedure | null = null;
  private current: ListKey = "assignee";
  private lists = new Map<ListKey, DisputeSummary[] | string>();
  private open: DisputeView | null = null;

  constructor(
    private readonly api: Api,
    private readonly auth: Auth,
  ) {}

  async start(): Promise<void> {
    fill(byId("persona-slot"), personaPicker(this.auth, () => void this.reload()));
    const [procedures] = await Promise.all([this.api.procedures(), this.api.syncClock()]);
    this.procedure = procedures.ok ? procedures.value.current : null;
    await this.reload();
  }

  private async reload(): Promise<void> {
    this.open = null;
    await Promise.all(
      LISTS.map(async (l) => {
        const r = await this.api.list({ role: l.key, state: "open", pageSize: 50 });
        this.lists.set(l.key, r.ok ? r.value.items : r.message);
      }),
    );
    this.renderLists();
    performance.mark("resolve:first-render");
    document.body.dataset.ready = "true";
  }

  private renderLists(): void {
    const nav = h(
      "nav",
      { className: "tabs", role: "tablist" },
      LISTS.map((l) => {
        const items = this.lists.get(l.key);
        const count = Array.isArray(items) ? ` (${items.length})` : "";
        return h(
          "button",
          { type: "button", role: "tab", id: `list-${l.key}`, "aria-selected": String(this.current === l.key), className: this.current === l.key ? "selected" : "", onclick: () => { this.current = l.key; this.renderLists(); } },
          `${l.title}${count}`,
        );
      }),
    );
    const items = this.lists.get(this.current);
    const spec = LISTS.find((l) => l.key === this.current)!;
    let body: HTMLElement;
    if (typeof items === "string") body = h("p", { className: "muted" }, items);
    else if (!items || !items.length) body = h("p", { className: "muted", id: "empty" }, spec.empty);
    else {
      body = h(
        "ul",
        { className: "disputes", id: "dispute-list" },
        items.map((s) => {
          const st = summaryState(s, this.api.now());
          return h(
            "li",
            { className: `dispute tone-${st.tone}` },
            h(
              "button",
              { type: "button", className: "open-dispute", "data-id": s.id, onclick: () => void this.openDispute(s.id) },
              h("div", {}, h("strong", {}, s.id), ` · ${childLine(s)} · ${this.labels(s).category}`),
              h("div", { className: "small" }, st.text),
            ),
          );
        }),
      );
    }
    fill(byId("app"), nav, h("section", { role: "tabpanel", "aria-labelledby": `list-${this.current}` }, body));
  }

  private labels(d: { category: string; reason: string }) {
    const l = this.procedure ? noticeLabels(this.procedure, d) : {};
    return { category: l.category ?? words(d.category), reason: l.reason ?? words(d.reason) };
  }

  private cardFor(v: DisputeView, banner?: AlertCardData["banner"]): AdaptiveCard {
    const s = currentStage(v);
    const waiting = v.state === "informal" || v.state === "awaiting-response";
    return alertCard({
      dispute: v,
      history: v.history,
      plan: v.plan,
      viewer: viewerOf(v),
      actions: v.actions.filter((a): a is DisputeAction => (DISPUTE_ACTIONS as readonly string[]).includes(a)),
      labels: this.labels(v),
      workingDaysLeft: waiting ? calendar.workingDaysLeft(this.api.now(), new Date(s.dueAt)) : null,
      refreshUserIds: [],
      ...(banner ? { banner } : {}),
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
    return h("button", { type: "button", id: "back", className: "link", onclick: () => void this.reload() }, "← All disputes");
  }

  private showDispute(v: DisputeView, banner?: AlertCardData["banner"]): void {
    this.open = v;
    const cardBox = h("div", { id: "card", className: "card" });
    const deliveries = v.deliveries.length
      ? h(
          "ul",
          { className: "deliveries" },
          v.deliveries.map((d) => h("li", {}, `${d.notice ? words(d.notice) : words(d.kind)}${d.to ? ` to ${d.to}` : ""}: ${d.status}${d.attempts > 1 ? ` after ${d.attempts} attempts` : ""}${d.lastError ? ` (${d.lastError})` : ""}`)),
        )
      : h("p", { className: "muted small" }, "Nothing sent yet.");
    fill(
      byId("app"),
      this.backButton(),
      h("div", { id: "state", "data-state": v.state, "data-version": String(v.version), className: "muted small" }, `${v.id} · version ${v.version} · ${words(v.state)}`),
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
    renderCard(cardBox, this.cardFor(v, banner), (a) => void this.execute(a.verb, a.data));
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
    // Refused: show why on the dispute as it now stands (someone may have acted first).
    const fresh = await this.api.get(v.id);
    const banner = { text: r.message, tone: "attention" as const };
    if (fresh.ok) this.showDispute(fresh.value, banner);
    else this.showDispute(v, banner);
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
