/**
 * The Administration view in the tab, for the authority's administrators: people (found in Entra
 * and added), teams, who holds each role, cover, the working calendar and the procedure, with the
 * history of every change. The server checks every change (strict, audited, live at once); this
 * view shows what it said. Also the "Away" form anyone uses to set their own cover.
 */
import { formatDay, formatWhen } from "../shared/cards/text";
import type { Api, DirectoryOverview } from "./api";
import { fill, h } from "./dom";

type Tone = "good" | "attention";
type Done = { text: string; tone: Tone };

export interface AdminViewOptions {
  api: Api;
  /** Draw the view again, with what the last change did. */
  onChanged(done: Done): void;
}

const CAPABILITIES = [
  { id: "iro", label: "IRO / CP chair" },
  { id: "qa", label: "QA" },
  { id: "admin", label: "Administrator" },
];

const field = (id: string, label: string, control: HTMLElement, hint?: string) =>
  h("div", { className: "field" }, h("label", { for: id }, label), control, hint ? h("p", { className: "hint" }, hint) : null);

const value = (form: HTMLElement, id: string) => (form.querySelector(`#${id}`) as HTMLInputElement | HTMLSelectElement).value.trim();
const checked = (form: HTMLElement, name: string) => [...form.querySelectorAll<HTMLInputElement>(`input[name='${name}']:checked`)].map((i) => i.value);

function section(id: string, title: string, ...children: (HTMLElement | null)[]): HTMLElement {
  return h("section", { className: "admin-section", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), ...children);
}

function table(id: string, head: string[], rows: (string | HTMLElement)[][]): HTMLElement {
  return h(
    "div",
    { className: "table-wrap" },
    h("table", { className: "data", id }, h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))), h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c)))))),
  );
}

/** Send a change; tell the view what happened, in the server's words when it refused. */
async function change(options: AdminViewOptions, send: Promise<{ ok: true; value: { changed: boolean } } | { ok: false; message: string }>, what: string): Promise<void> {
  const r = await send;
  if (!r.ok) options.onChanged({ text: r.message, tone: "attention" });
  else options.onChanged({ text: r.value.changed ? `${what}: saved.` : `${what}: it was already so; nothing changed.`, tone: "good" });
}

function peopleSection(d: DirectoryOverview, o: AdminViewOptions): HTMLElement {
  const teamName = (id: string) => d.teams.find((t) => t.id === id)?.displayName ?? id;
  const form = h(
    "form",
    { id: "person-form", novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void savePerson(); } },
    h("h3", {}, "Add or change a person"),
    h("input", { type: "hidden", id: "person-entraId" }),
    h("div", { className: "row" }, field("person-name", "Name", h("input", { id: "person-name", autocomplete: "off" })), field("person-upn", "Sign-in name (UPN)", h("input", { id: "person-upn", type: "email", autocomplete: "off" }))),
    h("fieldset", {}, h("legend", {}, "Can"), CAPABILITIES.map((c) => h("label", { className: "check" }, h("input", { type: "checkbox", name: "person-capability", value: c.id }), ` ${c.label}`))),
    h("fieldset", {}, h("legend", {}, "Works in"), d.teams.map((t) => h("label", { className: "check" }, h("input", { type: "checkbox", name: "person-team", value: t.id }), ` ${t.displayName}`))),
    h("div", { className: "actions" }, h("button", { type: "submit", className: "primary", id: "person-save" }, "Save person")),
  );
  const fillForm = (p: { displayName: string; upn: string; entraId?: string; capabilities?: string[]; teams?: string[] }) => {
    (form.querySelector("#person-name") as HTMLInputElement).value = p.displayName;
    (form.querySelector("#person-upn") as HTMLInputElement).value = p.upn;
    (form.querySelector("#person-entraId") as HTMLInputElement).value = p.entraId ?? "";
    for (const box of form.querySelectorAll<HTMLInputElement>("input[type=checkbox]")) box.checked = (box.name === "person-team" ? p.teams : p.capabilities)?.includes(box.value) ?? false;
    (form.querySelector("#person-name") as HTMLInputElement).focus();
  };
  const savePerson = () => {
    const entraId = value(form, "person-entraId");
    const body = { displayName: value(form, "person-name"), capabilities: checked(form, "person-capability"), teams: checked(form, "person-team"), ...(entraId ? { entraId } : {}) };
    return change(o, o.api.admin.put(`people/${encodeURIComponent(value(form, "person-upn"))}`, body), body.displayName || "The person");
  };

  const results = h("ul", { id: "entra-results", className: "plain", "aria-live": "polite" });
  const search = h(
    "form",
    { id: "entra-search", role: "search", onsubmit: async (e: Event) => {
      e.preventDefault();
      const r = await o.api.admin.searchEntra(value(search, "entra-text"));
      if (!r.ok) return fill(results, h("li", { className: "notice attention", role: "alert" }, r.message));
      if (!r.value.items.length) return fill(results, h("li", { className: "muted" }, "Nobody in the organisation matches."));
      fill(results, r.value.items.map((p) => h("li", {}, `${p.displayName} (${p.upn}) `, p.inDirectory ? h("span", { className: "muted" }, "already here") : h("button", { type: "button", className: "entra-add", onclick: () => fillForm(p) }, `Add ${p.displayName}`))));
    } },
    field("entra-text", "Find someone in the organisation (Entra)", h("input", { id: "entra-text", type: "search", autocomplete: "off", placeholder: "e.g. Diego" })),
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Search")),
  );
  const filter = h("input", { id: "people-filter", type: "search", placeholder: "Filter by name", "aria-label": "Filter people by name", oninput: () => {
    const q = filter.value.toLowerCase();
    for (const row of document.querySelectorAll<HTMLTableRowElement>("#people tbody tr")) row.hidden = !row.textContent!.toLowerCase().includes(q);
  } });
  const rows = d.people.map((p) => [
    p.displayName,
    p.upn,
    p.capabilities.map((c) => CAPABILITIES.find((x) => x.id === c)?.label ?? c).join(", "),
    p.teams.map(teamName).join(", "),
    h("button", { type: "button", className: "link", onclick: () => fillForm(p) }, `Change ${p.displayName}`),
  ]);
  return section("admin-people", "People", filter, table("people", ["Name", "Sign-in name", "Can", "Works in", ""], rows), search, results, form);
}

function teamsSection(d: DirectoryOverview, o: AdminViewOptions): HTMLElement {
  const form: HTMLFormElement = h(
    "form",
    { id: "team-form", novalidate: true, onsubmit: (e: Event) => {
      e.preventDefault();
      void change(o, o.api.admin.put(`teams/${encodeURIComponent(value(form, "team-id"))}`, { displayName: value(form, "team-name"), serviceArea: value(form, "team-area") }), value(form, "team-name") || "The team");
    } },
    h("h3", {}, "Add or change a team"),
    h("div", { className: "row" }, field("team-id", "Short id", h("input", { id: "team-id", placeholder: "e.g. leaving-care" })), field("team-name", "Name", h("input", { id: "team-name" })), field("team-area", "Service area", h("input", { id: "team-area", placeholder: "e.g. children-in-care" }))),
    h("div", { className: "actions" }, h("button", { type: "submit", id: "team-save" }, "Save team")),
  );
  return section("admin-teams", "Teams", table("teams", ["Team", "Service area"], d.teams.map((t) => [t.displayName, t.serviceArea])), form, groupForm(d, o));
}

/** Add an Entra group's members to a team: find the group by name, then add. */
function groupForm(d: DirectoryOverview, o: AdminViewOptions): HTMLElement {
  const found = h("ul", { id: "group-results", className: "plain", "aria-live": "polite" });
  const join = async (teamId: string, groupId: string, name: string) => {
    const r = await o.api.admin.importGroup(teamId, groupId);
    if (!r.ok) return o.onChanged({ text: r.message, tone: "attention" });
    const { added, joined, already, refused } = r.value;
    const parts = [added.length ? `added ${added.join(", ")}` : "", joined.length ? `joined: ${joined.join(", ")}` : "", already.length ? `already in it: ${already.join(", ")}` : "", ...refused.map((x) => `${x.displayName} not added: ${x.reason}`)];
    o.onChanged({ text: `${name}: ${parts.filter(Boolean).join("; ") || "the group has no people"}.`, tone: refused.length ? "attention" : "good" });
  };
  const form: HTMLFormElement = h(
    "form",
    { id: "group-form", role: "search", onsubmit: async (e: Event) => {
      e.preventDefault();
      const r = await o.api.admin.searchGroups(value(form, "group-text"));
      if (!r.ok) return fill(found, h("li", { className: "notice attention", role: "alert" }, r.message));
      if (!r.value.items.length) return fill(found, h("li", { className: "muted" }, "No group in the organisation matches."));
      const teamId = value(form, "group-team");
      const team = d.teams.find((t) => t.id === teamId)?.displayName ?? teamId;
      fill(found, r.value.items.map((g) => h("li", {}, `${g.displayName} `, h("button", { type: "button", className: "group-add", onclick: () => void join(teamId, g.groupId, team) }, `Add the members of ${g.displayName} to ${team}`))));
    } },
    h("h3", {}, "Add a group's members to a team"),
    h("div", { className: "row" }, field("group-team", "Team", h("select", { id: "group-team" }, d.teams.map((t) => h("option", { value: t.id }, t.displayName)))), field("group-text", "Entra group", h("input", { id: "group-text", type: "search", autocomplete: "off", placeholder: "e.g. Leaving Care" }))),
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Find the group")),
  );
  return h("div", {}, form, found);
}

function rolesSection(d: DirectoryOverview, o: AdminViewOptions): HTMLElement {
  const roles = new Map<string, string>([...d.procedureRoles.map((r) => [r.role, r.roleTitle] as const), ...d.roles.map((r) => [r.role, r.roleTitle] as const)]);
  const form: HTMLFormElement = h(
    "form",
    { id: "role-form", novalidate: true, onsubmit: (e: Event) => {
      e.preventDefault();
      const role = value(form, "role-role");
      void change(o, o.api.admin.put(`teams/${encodeURIComponent(value(form, "role-team"))}/roles/${encodeURIComponent(role)}`, { upn: value(form, "role-person") }), roles.get(role) ?? "The role");
    } },
    h("h3", {}, "Who holds a role"),
    h(
      "div",
      { className: "row" },
      field("role-team", "For", h("select", { id: "role-team" }, d.teams.map((t) => h("option", { value: t.id }, t.displayName)), h("option", { value: "*" }, "The whole authority"))),
      field("role-role", "Role", h("select", { id: "role-role" }, [...roles].map(([id, title]) => h("option", { value: id }, title)))),
      field("role-person", "Held by", h("select", { id: "role-person" }, d.people.map((p) => h("option", { value: p.upn }, p.displayName)))),
    ),
    h("div", { className: "actions" }, h("button", { type: "submit", id: "role-save" }, "Save role holder")),
  );
  return section("admin-roles", "Who holds each role", table("roles", ["For", "Role", "Held by"], d.roles.map((r) => [r.scopeName, r.roleTitle, r.holder?.displayName ?? "Nobody"])), form);
}

/** Cover for someone away: an administrator picks the person; the "Away" view sets one's own. */
function coverForm(o: AdminViewOptions, people: { upn: string; displayName: string }[], self?: string): HTMLFormElement {
  const form: HTMLFormElement = h(
    "form",
    { id: "cover-form", novalidate: true, onsubmit: (e: Event) => {
      e.preventDefault();
      const upn = self ?? value(form, "cover-holder");
      void change(o, o.api.admin.put(`cover/${encodeURIComponent(upn)}`, { coverUpn: value(form, "cover-person"), from: value(form, "cover-from"), until: value(form, "cover-until") }), "Cover");
    } },
    self ? null : field("cover-holder", "Who is away", h("select", { id: "cover-holder" }, people.map((p) => h("option", { value: p.upn }, p.displayName)))),
    h("div", { className: "row" }, field("cover-from", self ? "I am away from" : "Away from", h("input", { id: "cover-from", type: "date" })), field("cover-until", "to (and including)", h("input", { id: "cover-until", type: "date" }))),
    field(
      "cover-person",
      "Cover",
      self ? h("input", { id: "cover-person", type: "email", autocomplete: "off", placeholder: "their sign-in name, e.g. adelev@example.com" }) : h("select", { id: "cover-person" }, people.map((p) => h("option", { value: p.upn }, p.displayName))),
      "What would have gone to the person away goes to their cover, and each dispute records it.",
    ),
    h("div", { className: "actions" }, h("button", { type: "submit", id: "cover-save" }, "Set cover")),
  );
  return form;
}

function coverSection(d: DirectoryOverview, o: AdminViewOptions): HTMLElement {
  const rows = d.covers.map((c) => [
    c.holder.displayName,
    `${formatDay(c.from)} to ${formatDay(c.until)}`,
    c.cover.displayName,
    h("button", { type: "button", className: "link", onclick: () => void change(o, o.api.admin.remove(`cover/${encodeURIComponent(c.holder.upn)}`), `Cover for ${c.holder.displayName}`) }, `End cover for ${c.holder.displayName}`),
  ]);
  return section("admin-cover", "Cover", d.covers.length ? table("covers", ["Away", "When", "Cover", ""], rows) : h("p", { className: "muted" }, "Nobody is covered."), coverForm(o, d.people));
}

function calendarSection(d: DirectoryOverview, o: AdminViewOptions): HTMLElement {
  const days = [...d.calendar.closureDays];
  const save = (closureDays: string[], endOfDay: string) => change(o, o.api.admin.put("calendar", { closureDays, endOfDay }), "The working calendar");
  const form: HTMLFormElement = h(
    "form",
    { id: "calendar-form", novalidate: true, onsubmit: (e: Event) => {
      e.preventDefault();
      const day = value(form, "closure-day");
      void save(day ? [...days, day] : days, value(form, "end-of-day"));
    } },
    h("div", { className: "row" }, field("closure-day", "Add a closure day", h("input", { id: "closure-day", type: "date" })), field("end-of-day", "The working day ends at", h("input", { id: "end-of-day", type: "time", value: d.calendar.endOfDay }))),
    h("div", { className: "actions" }, h("button", { type: "submit", id: "calendar-save" }, "Save calendar")),
  );
  const list = days.length
    ? h("ul", { id: "closure-days" }, days.map((day) => h("li", {}, `${formatDay(day)} `, h("button", { type: "button", className: "link", onclick: () => void save(days.filter((x) => x !== day), d.calendar.endOfDay) }, `Remove ${formatDay(day)}`))))
    : h("p", { className: "muted", id: "closure-days" }, "No closure days: only weekends and bank holidays.");
  return section("admin-calendar", "Working calendar", list, form);
}

function procedureSection(d: DirectoryOverview, o: AdminViewOptions): HTMLElement {
  const builtIn: HTMLFormElement = h(
    "form",
    { id: "procedure-builtin", onsubmit: (e: Event) => {
      e.preventDefault();
      void change(o, o.api.admin.put("procedure", { builtIn: value(builtIn, "procedure-choice") }), "The procedure");
    } },
    field("procedure-choice", "Use a published procedure", h("select", { id: "procedure-choice" }, d.builtIn.map((id) => h("option", { value: id, selected: id === d.procedure.id }, id)))),
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Use it")),
  );
  const upload: HTMLFormElement = h(
    "form",
    { id: "procedure-upload", onsubmit: async (e: Event) => {
      e.preventDefault();
      const file = (upload.querySelector("#procedure-file") as HTMLInputElement).files?.[0];
      if (!file) return o.onChanged({ text: "Choose the council's procedure file (JSON) first.", tone: "attention" });
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch {
        return o.onChanged({ text: `${file.name} is not JSON.`, tone: "attention" });
      }
      await change(o, o.api.admin.put("procedure", json), `The procedure from ${file.name}`);
    } },
    field("procedure-file", "Or upload the council's own (JSON)", h("input", { id: "procedure-file", type: "file", accept: ".json,application/json" }), "Checked against the schema; every problem is named by its field. Running disputes keep the ladder they were raised under."),
    h("div", { className: "actions" }, h("button", { type: "submit" }, "Upload")),
  );
  const now = `${d.procedure.authority}: ${d.procedure.title}${d.procedure.version ? ` (version ${d.procedure.version}${d.procedure.uploaded ? ", uploaded" : ""})` : ""}`;
  return section("admin-procedure", "Procedure", h("p", { id: "procedure-now" }, now), builtIn, upload);
}

function historySection(d: DirectoryOverview): HTMLElement {
  if (!d.history.length) return section("admin-history", "History", h("p", { className: "muted" }, "No changes yet."));
  return section("admin-history", "History", h("ol", { id: "admin-history-list", className: "history" }, d.history.map((c) => h("li", {}, h("div", {}, h("strong", {}, c.by.displayName), ` · ${formatWhen(c.at)}`), h("div", {}, c.text)))));
}

export async function renderAdministration(panel: HTMLElement, o: AdminViewOptions, done?: Done): Promise<void> {
  const r = await o.api.admin.directory();
  if (!r.ok) return fill(panel, h("div", { className: "notice attention", role: "alert" }, r.message));
  const d = r.value;
  fill(
    panel,
    h("h2", {}, `Administration · ${d.authority}`),
    done ? h("div", { className: `notice ${done.tone}`, role: done.tone === "good" ? "status" : "alert", id: "admin-result" }, done.text) : null,
    peopleSection(d, o),
    teamsSection(d, o),
    rolesSection(d, o),
    coverSection(d, o),
    calendarSection(d, o),
    procedureSection(d, o),
    historySection(d),
  );
}

/** "I am away from … to …, cover: …": anyone sets their own cover. */
export function renderAway(panel: HTMLElement, o: AdminViewOptions & { me: { upn: string } }, done?: Done): void {
  fill(
    panel,
    h("h2", {}, "Away"),
    h("p", { className: "hint" }, "While you are away, what would have come to you goes to the person covering for you."),
    done ? h("div", { className: `notice ${done.tone}`, role: done.tone === "good" ? "status" : "alert", id: "admin-result" }, done.text) : null,
    coverForm(o, [], o.me.upn),
  );
}
