import type { CalendarConfig } from "../shared/calendar/workingDays";
import type { Dispute } from "../shared/dispute/disputeSchema";
import type { AuditEvent } from "../shared/dispute/events";
import type { PersonRef } from "../shared/dispute/people";
import type { EscalationPlan } from "../shared/plan/planEscalation";
import type { Procedure } from "../shared/procedure/procedureSchema";
import type { DisputeSummary, EntraGroup, EntraPerson, Page } from "../functions/ports";
import type { GroupImport } from "../functions/usecases/importGroup";
import type { Dashboard, DashboardList } from "../shared/reports/dashboard";
import type { MonthlyReport } from "../shared/reports/monthlyReport";
import type { PersonChoice } from "../shared/dispute/people";
import type { PositiveFeedback } from "../shared/feedback/positiveFeedback";
import type { DirectoryOverview } from "../functions/usecases/adminQueries";
import type { Auth } from "./auth";

/**
 * The REST API as the pages use it (README, "The REST API"). Every call names its caller through
 * `auth` and its surface through `x-resolve-source`; an answer is a value or a reason a person can
 * read, never an exception.
 */

export type { Dashboard, DirectoryOverview, DisputeSummary, PositiveFeedback };

/** GET /api/me: who the page acts for, and which views to offer them (each route checks again). */
export interface Me {
  id: string;
  upn: string;
  displayName: string;
  capabilities: string[];
  serviceAreas: string[];
  teams: string[];
  views: { dashboard: boolean; feedback: boolean; report: boolean; admin: boolean };
}

export interface DashboardFilters {
  team?: string;
  iro?: string;
  category?: string;
}

/** GET /api/disputes/{id}: the dispute with its history, plan, what the caller may do and its deliveries. */
export type DisputeView = Dispute & {
  assignee: PersonRef;
  dueAt: string | null;
  history: AuditEvent[];
  plan: EscalationPlan | null;
  actions: string[];
  /** The child's team by its name. */
  teamName?: string;
  deliveries: { effectId: string; kind: string; notice?: string; to?: string; status: string; attempts: number; lastError?: string; detail?: string }[];
};

/** A refusal carries the input it is about (`field`) when there is one, so the page can mark it. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string; code?: string; field?: string };

export interface Api {
  procedures(): Promise<ApiResult<{ current: Procedure | null; calendar: CalendarConfig | null; builtIn: string[]; teams?: { id: string; displayName: string; serviceArea: string; holders?: Record<string, string> }[] }>>;
  list(query: { role: "assignee" | "iro" | "team" | "child" | "all"; state?: "open" | "closed" | "all"; reference?: string; team?: string; pageSize?: number }): Promise<ApiResult<Page<DisputeSummary>>>;
  get(id: string): Promise<ApiResult<DisputeView>>;
  raise(body: unknown): Promise<ApiResult<DisputeView>>;
  act(id: string, body: unknown): Promise<ApiResult<DisputeView>>;
  /** The printable record for the child's file, as an HTML document. */
  record(id: string): Promise<ApiResult<string>>;
  me(): Promise<ApiResult<Me>>;
  /** The dashboard's figures with one page of a list behind them (every open dispute unless `page.list` names another). */
  dashboard(filters: DashboardFilters, page?: { list?: DashboardList; cursor?: string }): Promise<ApiResult<Dashboard>>;
  /** GET /api/reports/monthly?month=: QA only. */
  report(month: string): Promise<ApiResult<MonthlyReport>>;
  reportCsv(month: string): Promise<ApiResult<string>>;
  /** GET /api/people?search=: the authority's people by name, for the pickers. */
  people(search: string): Promise<ApiResult<{ items: PersonChoice[] }>>;
  /** POST /api/feedback: an IRO's note of good practice. */
  recordFeedback(body: { team: string; workerUpn?: string; childReference?: string; feedback: string }): Promise<ApiResult<PositiveFeedback>>;
  /** GET /api/feedback: the good practice this person recorded, was sent or was praised in. */
  goodPractice(): Promise<ApiResult<{ items: PositiveFeedback[] }>>;
  /** POST /api/feedback/{id}/replies: a manager's reply, back to the IRO. */
  replyToFeedback(id: string, reply: string): Promise<ApiResult<PositiveFeedback>>;
  /** Administration (README, "Administration"): the directory as the view shows it, Entra's people by name, and changes. */
  admin: {
    directory(): Promise<ApiResult<DirectoryOverview>>;
    searchEntra(text: string): Promise<ApiResult<{ items: (EntraPerson & { inDirectory: boolean })[] }>>;
    searchGroups(text: string): Promise<ApiResult<{ items: EntraGroup[] }>>;
    /** POST /api/admin/teams/{teamId}/import: the group's members join the team. */
    importGroup(teamId: string, groupId: string): Promise<ApiResult<GroupImport>>;
    /** PUT /api/admin/{path}: a change; `changed` is false when it was already so. */
    put(path: string, body: unknown): Promise<ApiResult<{ changed: boolean; value: unknown }>>;
    remove(path: string): Promise<ApiResult<{ changed: boolean }>>;
  };
  /** Local mode: follow the server's dev clock (it may be set to another day), so previews match what the server will do. */
  syncClock(): Promise<void>;
  /** Now, as the server sees it. */
  now(): Date;
}

export function createApi(options: { base: string; auth: Auth; source: "outlook" | "tab"; fetch?: typeof fetch }): Api {
  let offsetMs = 0;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  async function call<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown, as: "json" | "text" = "json"): Promise<ApiResult<T>> {
    let headers: Record<string, string>;
    try {
      headers = { ...(await options.auth.headers()), "x-resolve-source": options.source, accept: "application/json" };
    } catch (e) {
      return { ok: false, status: 401, message: `Could not sign you in: ${(e as Error).message}` };
    }
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await doFetch(new URL(path, options.base).href, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      return { ok: false, status: 0, message: "Resolve could not be reached. Check your connection and try again." };
    }
    if (res.ok && as === "text") return { ok: true, value: (await res.text()) as T };
    let json: unknown = null;
    try {
      json = await res.json();
    } catch {
      json = null;
    }
    if (res.ok) return { ok: true, value: json as T };
    const problem = (json ?? {}) as { error?: string; code?: string; field?: string };
    return {
      ok: false,
      status: res.status,
      message: problem.error ?? `The server answered ${res.status}.`,
      ...(problem.code ? { code: problem.code } : {}),
      ...(problem.field ? { field: problem.field } : {}),
    };
  }
  const query = (values: Record<string, string | number | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== "") q.set(k, String(v));
    return q;
  };
  return {
    procedures: () => call("GET", "procedures"),
    list: (q) => call("GET", `disputes?${query(q)}`),
    me: () => call("GET", "me"),
    dashboard: (filters, page) => call("GET", `dashboard?${query({ ...filters, ...page })}`),
    report: (month) => call("GET", `reports/monthly?${query({ month })}`),
    reportCsv: (month) => call("GET", `reports/monthly?${query({ month, format: "csv" })}`, undefined, "text"),
    people: (search) => call("GET", `people?${query({ search })}`),
    recordFeedback: (body) => call("POST", "feedback", body),
    goodPractice: () => call("GET", "feedback"),
    replyToFeedback: (id, reply) => call("POST", `feedback/${encodeURIComponent(id)}/replies`, { reply }),
    get: (id) => call("GET", `disputes/${encodeURIComponent(id)}`),
    raise: (body) => call("POST", "disputes", body),
    act: (id, body) => call("POST", `disputes/${encodeURIComponent(id)}/actions`, body),
    record: (id) => call("GET", `disputes/${encodeURIComponent(id)}/record`, undefined, "text"),
    admin: {
      directory: () => call("GET", "admin/directory"),
      searchEntra: (text) => call("GET", `admin/entra/people?${query({ search: text })}`),
      searchGroups: (text) => call("GET", `admin/entra/groups?${query({ search: text })}`),
      importGroup: (teamId, groupId) => call("POST", `admin/teams/${encodeURIComponent(teamId)}/import`, { groupId }),
      put: (path, body) => call("PUT", `admin/${path}`, body),
      remove: (path) => call("DELETE", `admin/${path}`),
    },
    async syncClock() {
      if (options.auth.mode !== "local") return;
      const r = await call<{ now: string }>("GET", "dev/clock");
      if (r.ok && !Number.isNaN(Date.parse(r.value.now))) offsetMs = Date.parse(r.value.now) - Date.now();
    },
    now: () => new Date(Date.now() + offsetMs),
  };
}
