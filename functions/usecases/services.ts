import type { WorkingCalendar } from "../../shared/calendar/workingDays";
import type { Procedure } from "../../shared/procedure/procedureSchema";
import type { Clock, Directory, DisputeStore, FeedbackStore, OutboxStore, ReportCache, TenantConfig } from "../ports";

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
  directory: Directory;
  clock: Clock;
  runtime(tenantId: string): Promise<TenantRuntime | undefined>;
  newDisputeId(): string;
  newFeedbackId(): string;
}
