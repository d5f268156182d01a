import type { WorkingCalendar } from "../../shared/calendar/workingDays";
import type { Procedure } from "../../shared/procedure/procedureSchema";
import type { Clock, DashboardProjection, Directory, MonthEvents, DirectoryAdmin, DisputeStore, FeedbackStore, OutboxStore, ReportCache, TenantConfig } from "../ports";

/** An authority's procedure and calendar, loaded once. */
export interface TenantRuntime {
  config: TenantConfig;
  procedure: Procedure;
  calendar: WorkingCalendar;
}

/** What the use cases need from the outside world: ports only, no SDK. */
export interface Services {
  store: DisputeStore;
  /** Good-practice records (G-…), delivered through the same outbox. */
  feedback: FeedbackStore;
  outbox: OutboxStore;
  reportCache: ReportCache;
  dashboard: DashboardProjection;
  monthEvents: MonthEvents;
  directory: Directory;
  /** The administrators' changes to the directory, each with its audit record. */
  administration: DirectoryAdmin;
  clock: Clock;
  runtime(tenantId: string): Promise<TenantRuntime | undefined>;
  /** The authority's directory, calendar or procedure changed: what this instance keeps of it is read afresh. */
  forgetRuntime(tenantId: string): void;
  /** A fresh dispute id; the same one for the same seed (a raise's Idempotency-Key). */
  newDisputeId(seed?: string): string;
  newFeedbackId(): string;
}
