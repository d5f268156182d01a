/**
 * The Outlook task pane: raise a dispute from the open e-mail.
 *
 * It reads the message with Office.js (subject, sender, received time, ids, the body as text),
 * pre-fills the raise form (concerns from the body, the e-mail linked as the source), shows the
 * card the first recipient will get and who gets it when if nobody answers, lists the disputes
 * already linked to this conversation or this child, warns before a duplicate, and raises through
 * the REST API. Pinned, it follows the selected message. Mail content is only ever set as text.
 */
import { LEGAL_STATUSES, NO_TIMESCALE, formatDay, formatWhen, plannedWhen, plural, timescaleWords } from "../shared/cards/text";
import { type WorkingCalendar, createWorkingCalendar } from "../shared/calendar/workingDays";
import { isOpen } from "../shared/dispute/disputeSchema";
import type { PersonRef } from "../shared/dispute/people";
import type { EscalationPlan } from "../shared/plan/planEscalation";
import { type Procedure, timescaleOf } from "../shared/procedure/procedureSchema";
import { type Api, type DisputeSummary, type DisputeView, createApi } from "./api";
import { type Auth, authFor } from "./auth";
import { moveFocus } from "./a11y";
import { renderCard } from "./cardHost";
import { readPageConfig } from "./config";
import { byId, fill, h } from "./dom";
import { concernsFromBody, likelyCaseReference, sourceEmailOf } from "./emailText";
import { type OfficeNamespace, type OpenEmail, followSelection, officeGlobal, readOpenEmail } from "./office";
import { FIELDS, FIELD_LABELS, type Field, type FieldError, type FormValues, OPTIONAL_FIELDS, emptyForm, previewRaise, toRaiseBody } from "./raiseDraft";
import { childLine, personaPicker, summaryState } from "./words";

performance.mark("resolve:script");


interface State {
  procedure: Procedure;
  email: OpenEmail | null;
  values: FormValues;
  /** Fields the IRO changed by hand: a newly selected e-mail does not overwrite them. */
  edited: Set<Field>;
  linked: DisputeSummary[];
  teams: Map<string, string>;
  /** Who holds each role, by team: the plan preview names them as the bot's does. */
  holders: Map<string, Record<string, string>>;
  /** The IRO saw the duplicate warning and chose to raise anyway. */
  duplicateConfirmed: boolean;
  busy: boolean;
}

/** A dispute as the list shows it, from the full view the API returns after a raise. */
function summaryOf(v: DisputeView): DisputeSummary {
  const s = v.stages[v.stages.length - 1]!;
  return {
    id: v.id,
    version: v.version,
    state: v.state,
    stage: v.stage,
    open: isOpen(v),
    childReference: v.child.reference,
    childInitials: v.child.initials,
    team: v.child.team,
    category: v.category,
    reason: v.reason,
    raisedBy: v.raisedBy,
    raisedAt: v.raisedAt,
    assignee: s.assignee,
    dueAt: v.dueAt,
    updatedAt: v.updatedAt,
  };
}

class TaskPane {
  private state!: State;
  /** The authority's working days (its closure days too), as the server counts them. */
  private calendar: WorkingCalendar = createWorkingCalendar();
  private readonly detailCache = new Map<string, DisputeView>();
  private previewTimer: ReturnType<typeof setTimeout> | undefined;
  private linkedTimer: ReturnType<typeof setTimeout> | undefined;
  private linkedRun = 0;
  private firstRender = true;
  /** The problems shown since the last submit; each goes as its field is changed. */
  private errors: FieldError[] = [];

  constructor(
    private readonly api: Api,
    private readonly auth: Auth,
    private readonly office: OfficeNamespace | undefined,
  ) {}

  async start(): Promise<void> {
    const slot = byId("persona-slot");
    fill(slot, personaPicker(this.auth, () => void this.refreshLinked()));
    const [procedures] = await Promise.all([this.api.procedures(), this.api.syncClock()]);
    if (!procedures.ok || !procedures.value.current) {
      fill(byId("app"), h("div", { className: "notice attention", role: "alert" }, procedures.ok ? "This authority has no procedure set up in Resolve yet." : procedures.message));
      return;
    }
    const email = this.office ? await readOpenEmail(this.office) : null;
    // The authority's teams, by name: the IRO chooses one, never types an id.
    const teams = new Map<string, string>((procedures.value.teams ?? []).map((t) => [t.id, t.displayName]));
    this.calendar = createWorkingCalendar(procedures.value.calendar ?? {});
    const holders = new Map((procedures.value.teams ?? []).map((t) => [t.id, t.holders ?? {}]));
    this.state = { procedure: procedures.value.current, email, values: emptyForm(), edited: new Set(), linked: [], teams, holders, duplicateConfirmed: false, busy: false };
    this.prefill(email);
    this.layout();
    this.renderPreview();
    void this.refreshLinked();
    if (this.office) followSelection(this.office, () => void this.onItemChanged());
  }

  // ——— the e-mail ———

  private prefill(email: OpenEmail | null): void {
    const v = this.state.values;
    const p = this.state.procedure;
    if (!this.state.edited.has("startStage") && !v.startStage) v.startStage = "1";
    // No default legal status: a wrong one must not be a click away. One team is chosen already.
    if (!v.team && this.state.teams.size === 1 && !this.state.edited.has("team")) v.team = [...this.state.teams.keys()][0]!;
    if (!email) return;
    if (!this.state.edited.has("concerns")) v.concerns = concernsFromBody(email.bodyText);
    // A reply that names no case keeps the reference the thread had.
    const reference = likelyCaseReference(email);
    if (!this.state.edited.has("childReference") && reference) v.childReference = reference;
    void p;
  }

  private async onItemChanged(): Promise<void> {
    if (!this.office) return;
    const email = await readOpenEmail(this.office);
    this.state.email = email;
    this.state.duplicateConfirmed = false;
    this.prefill(email);
    this.layout();
    this.renderPreview();
    await this.refreshLinked();
  }

  // ——— layout ———

  private layout(): void {
    const { email } = this.state;
    const app = byId("app");
    const source = email
      ? h(
          "section",
          { className: "email", "aria-label": "The e-mail" },
          h("div", { className: "label" }, "Raising from this e-mail"),
          h("div", { className: "subject", id: "email-subject" }, email.subject || "(no subject)"),
          h("div", { className: "muted", id: "email-from" }, [email.from, email.receivedAt ? `received ${formatWhen(email.receivedAt)}` : ""].filter(Boolean).join(" · ")),
        )
      : h("section", { className: "email muted" }, this.office ? "Select an e-mail to link it to the dispute." : "Open this pane from an e-mail in Outlook to link the e-mail; you can still raise a dispute here.");

    app.replaceChildren(
      source,
      h("section", { id: "linked", className: "linked", "aria-live": "polite" }),
      h("div", { id: "result", "aria-live": "polite" }),
      this.form(),
      h("section", { className: "preview" }, h("h2", {}, "Who gets it when, if nobody answers"), h("div", { id: "plan" }), h("h2", {}, "The card they receive"), h("div", { id: "card", className: "card" })),
    );
    this.renderLinked();
  }

  private input(field: Field, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
    control.id = `f-${field}`;
    control.name = field;
    control.value = this.state.values[field];
    control.setAttribute("aria-describedby", `e-${field}`);
    control.addEventListener("input", () => {
      this.state.values[field] = control.value;
      this.state.edited.add(field);
      this.state.duplicateConfirmed = false;
      this.clearError(field);
      if (this.errors.some((e) => e.field === field)) this.showErrors(this.errors.filter((e) => e.field !== field), false);
      this.schedulePreview();
      if (field === "childReference") this.scheduleLinked();
    });
    control.addEventListener("change", () => {
      this.state.values[field] = control.value;
      this.schedulePreview();
    });
    const optional = OPTIONAL_FIELDS.includes(field);
    // The asterisk is for the eye; a screen reader hears "required" from this.
    if (!optional) control.setAttribute("aria-required", "true");
    return h(
      "div",
      { className: `field field-${field}` },
      h("label", { for: control.id }, FIELD_LABELS[field], optional ? h("span", { className: "muted" }, " (optional)") : h("span", { className: "req", "aria-hidden": "true" }, " *")),
      control,
      hint ? h("div", { className: "hint" }, hint) : null,
      h("div", { className: "field-error", id: `e-${field}` }),
    );
  }

  private form(): HTMLFormElement {
    const p = this.state.procedure;
    const informalTitle = p.stages.find((s) => s.role === p.informal.role)?.title ?? p.informal.role;
    const form = h(
      "form",
      { id: "raise", novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void this.submit(); } },
      h("h2", {}, "Raise a dispute"),
      h("p", { className: "hint" }, "Name the child by case reference and initials only, never by name."),
      h("div", { className: "row" },
        this.input("childReference", h("input", { type: "text", maxlength: 40, autocomplete: "off", placeholder: "e.g. MOS-100234" })),
        this.input("childInitials", h("input", { type: "text", maxlength: 12, autocomplete: "off", placeholder: "e.g. J.S." })),
      ),
      h("div", { className: "row" },
        this.input("legalStatus", h("select", {}, h("option", { value: "" }, "Choose"), LEGAL_STATUSES.map((s) => h("option", { value: s.value }, s.title)))),
        this.input("team", h("select", {}, this.state.teams.size === 1 ? null : h("option", { value: "" }, "Choose"), [...this.state.teams].map(([id, name]) => h("option", { value: id }, name)))),
      ),
      this.input(
        "categoryReason",
        h("select", {}, h("option", { value: "" }, "Choose"), p.categories.map((c) => h("optgroup", { label: c.label }, c.reasons.map((r) => h("option", { value: `${c.id}/${r.id}` }, r.label))))),
      ),
      this.input("concerns", h("textarea", { rows: 7, maxlength: 4000 }), this.state.email ? "From the e-mail: edit it to what the dispute is about." : undefined),
      this.input("outcomesSought", h("textarea", { rows: 3, maxlength: 4000, placeholder: "What must happen, and by when" })),
      this.input(
        "startStage",
        h(
          "select",
          {},
          p.informal.enabled ? h("option", { value: "0" }, `Informal · ${informalTitle} · ${plural(p.informal.defaultDays, "working day")}`) : null,
          p.stages.map((s) => h("option", { value: String(s.stage) }, `Stage ${s.stage} · ${s.title} · ${timescaleWords(timescaleOf(s))}${s.productDefault ? " (product default)" : ""}`)),
        ),
      ),
      h("div", { className: "row" },
        this.input("timescaleDays", h("input", { type: "number", min: 1, max: 20, step: 1, inputmode: "numeric", placeholder: "working days" })),
        this.input("reviewDate", h("input", { type: "date" })),
      ),
      this.childContacts(),
      h("div", { id: "errors", className: "errors", role: "alert", hidden: true }),
      h("div", { id: "duplicate" }),
      h("div", { className: "actions" }, h("button", { type: "submit", id: "raise-button", className: "primary" }, "Raise the dispute")),
    );
    return form;
  }

  /** The child's own contacts, outside the authority: optional, told by mail where the procedure says. */
  private childContacts(): HTMLElement {
    const proceedings = h("input", { type: "checkbox", id: "f-inProceedings", name: "inProceedings" }) as HTMLInputElement;
    proceedings.checked = this.state.values.inProceedings === "true";
    proceedings.setAttribute("aria-describedby", "e-inProceedings");
    proceedings.addEventListener("change", () => {
      this.state.values.inProceedings = proceedings.checked ? "true" : "";
      this.schedulePreview();
    });
    return h(
      "fieldset",
      { className: "contacts" },
      h("legend", {}, "The child's Children's Guardian and solicitor", h("span", { className: "muted" }, " (optional)")),
      h("p", { className: "hint" }, "Outside the authority: told by mail where the procedure says, with the case reference and initials only."),
      h("div", { className: "row" },
        this.input("guardianName", h("input", { type: "text", maxlength: 120, autocomplete: "off" })),
        this.input("guardianEmail", h("input", { type: "email", maxlength: 254, autocomplete: "off" })),
      ),
      h("div", { className: "row" },
        this.input("solicitorName", h("input", { type: "text", maxlength: 120, autocomplete: "off" })),
        this.input("solicitorEmail", h("input", { type: "email", maxlength: 254, autocomplete: "off" })),
      ),
      h("div", { className: "field field-inProceedings" }, h("label", {}, proceedings, ` ${FIELD_LABELS.inProceedings}`), h("div", { className: "field-error", id: "e-inProceedings" })),
    );
  }

  // ——— preview ———

  private schedulePreview(): void {
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => this.renderPreview(), 120);
  }

  private raisedBy(): PersonRef {
    const persona = this.auth.persona;
    const p = persona?.choices.find((c) => c.upn === persona.current());
    return { id: "you", upn: p?.upn ?? "you@preview", displayName: p?.displayName ?? "you" };
  }

  private renderPreview(): void {
    const preview = previewRaise(this.state.values, this.state.procedure, this.calendar, this.api.now(), this.raisedBy(), this.state.holders.get(this.state.values.team));
    const planBox = byId("plan");
    const cardBox = byId("card");
    if ("error" in preview) {
      fill(planBox, h("p", { className: "muted" }, preview.error));
      cardBox.replaceChildren();
    } else {
      fill(planBox, this.planList(preview.plan, preview.dispute.stage === 0));
      renderCard(cardBox, preview.card);
    }
    if (this.firstRender) {
      this.firstRender = false;
      performance.mark("resolve:first-render");
      document.body.dataset.ready = "true";
    }
  }

  private planList(plan: EscalationPlan | null, informal: boolean): HTMLElement {
    if (!plan) return h("p", { className: "muted" }, "No plan.");
    const holders = this.state.holders.get(this.state.values.team) ?? {};
    const items = plan.stages.map((s) =>
      h(
        "li",
        { className: s.exceedsCap ? "over-cap" : "" },
        h("strong", {}, s.stage === 0 ? "Informal" : `Stage ${s.stage}`),
        ` · ${s.title}${holders[s.role] ? ` · ${holders[s.role]}` : ""} · ${plannedWhen(s)}`,
        s.exceedsCap ? ` · past the ${this.state.procedure.capWorkingDays}-day cap` : "",
      ),
    );
    return h(
      "div",
      {},
      h("ol", { className: "plan" }, items),
      h("p", { className: "muted small" }, `${informal ? "Once formal, the" : "The"} whole formal process should end by ${formatDay(plan.capDate)} (${this.state.procedure.capWorkingDays} working days).${Object.keys(holders).length ? "" : " Choose the team to see who holds each stage."}`),
    );
  }

  // ——— linked disputes ———

  private scheduleLinked(): void {
    clearTimeout(this.linkedTimer);
    this.linkedTimer = setTimeout(() => void this.refreshLinked(), 400);
  }

  /** Disputes linked to this conversation (the IRO's own, by their source e-mail) or to this child. */
  private async refreshLinked(): Promise<void> {
    const run = ++this.linkedRun;
    const { email } = this.state;
    const reference = this.state.values.childReference.trim();
    const found = new Map<string, DisputeSummary>();
    let problem: string | undefined;
    if (/^[A-Za-z0-9][A-Za-z0-9/_-]{1,39}$/.test(reference)) {
      const byChild = await this.api.list({ role: "child", reference, state: "all", pageSize: 25 });
      if (byChild.ok) for (const s of byChild.value.items) found.set(s.id, s);
      else if (byChild.status !== 403) problem = byChild.message;
    }
    const mine = await this.api.list({ role: "iro", state: "all", pageSize: 50 });
    if (mine.ok) {
      if (email?.conversationId || email?.internetMessageId) {
        // No list by conversation yet: read the IRO's recent disputes once per version and match their source e-mail.
        const recent = mine.value.items.slice(0, 25);
        const views = await Promise.all(recent.map((s) => this.detail(s)));
        for (const [i, v] of views.entries()) {
          const src = v?.sourceEmail;
          if (!src) continue;
          if ((email.conversationId && src.conversationId === email.conversationId) || (email.internetMessageId && src.internetMessageId === email.internetMessageId)) {
            found.set(recent[i]!.id, recent[i]!);
          }
        }
      }
    } else if (mine.status !== 403) {
      problem ??= mine.message;
    }
    if (run !== this.linkedRun) return;
    this.state.linked = [...found.values()].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
    this.renderLinked(problem);
  }

  private async detail(s: DisputeSummary): Promise<DisputeView | undefined> {
    const key = `${s.id}@${s.version}`;
    const cached = this.detailCache.get(key);
    if (cached) return cached;
    const r = await this.api.get(s.id);
    if (!r.ok) return undefined;
    this.detailCache.set(key, r.value);
    return r.value;
  }

  private linkReason(s: DisputeSummary): string {
    const reasons: string[] = [];
    const conv = this.state.email?.conversationId;
    const cached = [...this.detailCache.values()].find((v) => v.id === s.id);
    if (conv && cached?.sourceEmail?.conversationId === conv) reasons.push("this conversation");
    if (s.childReference.toLowerCase() === this.state.values.childReference.trim().toLowerCase()) reasons.push("this child");
    return reasons.length ? `linked by ${reasons.join(" and ")}` : "";
  }

  private renderLinked(problem?: string): void {
    const box = document.getElementById("linked");
    if (!box) return;
    const { linked } = this.state;
    if (problem) {
      fill(box, h("div", { className: "notice attention" }, `Could not look up linked disputes: ${problem}`));
      return;
    }
    if (!linked.length) {
      fill(box, h("p", { className: "muted small", id: "linked-none" }, "No dispute is linked to this conversation or this child yet."));
      return;
    }
    fill(
      box,
      h("h2", {}, `Already raised (${linked.length})`),
      h(
        "ul",
        { className: "disputes", id: "linked-list" },
        linked.map((s) => {
          const st = summaryState(s, this.api.now());
          return h(
            "li",
            { className: `dispute tone-${st.tone}`, "data-id": s.id },
            h("div", {}, h("strong", {}, s.id), " · ", childLine(s), s.open ? "" : h("span", { className: "pill" }, "closed")),
            h("div", { className: "small" }, st.text),
            h("div", { className: "muted small" }, this.linkReason(s)),
          );
        }),
      ),
    );
  }

  // ——— errors and submit ———

  private clearError(field: Field): void {
    const el = document.getElementById(`e-${field}`);
    if (el) el.textContent = "";
    document.getElementById(`f-${field}`)?.removeAttribute("aria-invalid");
  }

  private showErrors(errors: FieldError[] | string, focus = true): void {
    const box = byId("errors");
    for (const f of FIELDS) this.clearError(f);
    this.errors = typeof errors === "string" ? [] : errors;
    if (typeof errors !== "string" && !errors.length) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    box.hidden = false;
    if (typeof errors === "string") {
      // Refused by the server: the summary takes focus, so it is read out and the next Tab starts from it.
      fill(box, h("strong", {}, "The dispute was not raised. "), errors);
      if (focus) moveFocus(box);
      return;
    }
    for (const e of errors) {
      const el = document.getElementById(`e-${e.field}`);
      if (el) el.textContent = e.message;
      document.getElementById(`f-${e.field}`)?.setAttribute("aria-invalid", "true");
    }
    fill(
      box,
      h("strong", {}, errors.length === 1 ? "One thing to fix before raising:" : `${errors.length} things to fix before raising:`),
      h("ul", {}, errors.map((e) => h("li", {}, h("a", { href: `#f-${e.field}` }, FIELD_LABELS[e.field]), `: ${e.message}`))),
    );
    // The summary is an alert (read out at once); focus goes to the first field to put right.
    if (focus) moveFocus(document.getElementById(`f-${errors[0]!.field}`));
  }

  private duplicates(): DisputeSummary[] {
    const ref = this.state.values.childReference.trim().toLowerCase();
    const conv = this.state.email?.conversationId;
    return this.state.linked.filter((s) => {
      if (!s.open) return false;
      if (s.childReference.toLowerCase() === ref) return true;
      const v = [...this.detailCache.values()].find((x) => x.id === s.id);
      return !!conv && v?.sourceEmail?.conversationId === conv;
    });
  }

  private async submit(): Promise<void> {
    if (this.state.busy) return;
    const { values, email } = this.state;
    const errorsBox = byId("errors");
    errorsBox.hidden = true;
    const draft = toRaiseBody(values, email ? sourceEmailOf(email) : undefined);
    if (!draft.ok) {
      this.showErrors(draft.errors);
      return;
    }
    const dupes = this.duplicates();
    const dupBox = byId("duplicate");
    if (dupes.length && !this.state.duplicateConfirmed) {
      fill(
        dupBox,
        h(
          "div",
          { className: "notice warning", role: "alert", id: "duplicate-warning" },
          h("strong", {}, dupes.length === 1 ? "A dispute is already open for this child or conversation." : `${dupes.length} disputes are already open for this child or conversation.`),
          h("ul", {}, dupes.map((s) => h("li", {}, `${s.id} · ${childLine(s)} · ${summaryState(s, this.api.now()).text}`))),
          h("p", {}, "Raise another only if this is a different concern."),
          h(
            "div",
            { className: "actions" },
            h("button", { type: "button", id: "raise-anyway", onclick: () => { this.state.duplicateConfirmed = true; dupBox.replaceChildren(); void this.submit(); } }, "Raise anyway"),
            h("button", { type: "button", id: "raise-cancel", onclick: () => { dupBox.replaceChildren(); moveFocus(document.getElementById("raise-button")); } }, "Cancel"),
          ),
        ),
      );
      return;
    }
    dupBox.replaceChildren();
    this.state.busy = true;
    const button = byId<HTMLButtonElement>("raise-button");
    button.disabled = true;
    button.textContent = "Raising…";
    const result = await this.api.raise(draft.body);
    this.state.busy = false;
    button.disabled = false;
    button.textContent = "Raise the dispute";
    if (!result.ok) {
      this.showErrors(result.message);
      return;
    }
    const v = result.value;
    this.detailCache.set(`${v.id}@${v.version}`, v);
    this.state.linked = [summaryOf(v), ...this.state.linked.filter((s) => s.id !== v.id)];
    this.state.duplicateConfirmed = false;
    this.renderLinked();
    const s = v.stages[v.stages.length - 1]!;
    fill(
      byId("result"),
      h(
        "div",
        { className: "notice good", role: "status", id: "raised" },
        h("strong", {}, `Raised ${v.id}.`),
        ` Sent to ${s.assignee.displayName} (${s.stage === 0 ? "informal" : s.title}), ${s.dueAt ? `due ${formatWhen(s.dueAt)}` : NO_TIMESCALE}. This e-mail is linked to it.`,
      ),
    );
  }
}

async function main(): Promise<void> {
  const config = readPageConfig();
  let auth: Auth;
  try {
    auth = authFor(config);
  } catch (e) {
    fill(byId("app"), h("div", { className: "notice attention", role: "alert" }, (e as Error).message));
    return;
  }
  const office = officeGlobal();
  if (office) await office.onReady();
  const pane = new TaskPane(createApi({ base: config.apiBase, auth, source: "outlook" }), auth, office?.context.mailbox ? office : undefined);
  await pane.start();
}

main().catch((e: unknown) => {
  console.error(e);
  fill(byId("app"), h("div", { className: "notice attention", role: "alert" }, "Resolve could not start. Close the pane and open it again."));
});
