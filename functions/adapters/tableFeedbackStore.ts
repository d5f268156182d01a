import { type TransactionAction, odata } from "@azure/data-tables";
import type { FeedbackRecorded, PositiveFeedback, PositiveFeedbackEvent } from "../../shared/feedback/positiveFeedback";
import type { FeedbackReplied } from "../../shared/feedback/feedbackReply";
import type { CommitOutcome, FeedbackStore } from "../ports";
import { eventAndOutbox } from "./tableDisputeStore";
import { type Tables, fromJsonColumns, jsonColumns, statusOf } from "./tables";

/**
 * Good-practice records on Table Storage, laid out like a dispute so the same outbox and relay
 * deliver them: partition `tenant~G-…` of `disputes` holds the record (`feedback`), its audit
 * event (`event|0000000001`) and its outbox entries (`outbox|…`), created by one entity-group
 * transaction; the work marker (`work|G-…` in `indexes`) is written just before it, as for a
 * dispute, so a crash between the two only leaves a marker the relay clears.
 */
const END = "~";
const partition = (tenantId: string, feedbackId: string) => `${tenantId}~${feedbackId}`;

const recordRow = (tenantId: string, feedback: PositiveFeedback) => ({
  partitionKey: partition(tenantId, feedback.id),
  rowKey: "feedback",
  recordedAt: feedback.recordedAt,
  team: feedback.team,
  ...jsonColumns(feedback),
});

export function createTableFeedbackStore(tables: Tables): FeedbackStore {
  const disputes = tables.client("disputes");
  const indexes = tables.client("indexes");

  /** The record as `recordAction` leaves it, its event and outbox in one transaction, after the relay's work marker. */
  async function write(tenantId: string, feedback: PositiveFeedback, event: { version: number; action: string; at: string }, effects: readonly { id: string; kind: string }[], recordAction: TransactionAction): Promise<CommitOutcome> {
    await indexes.upsertEntity({ partitionKey: tenantId, rowKey: `work|${feedback.id}`, disputeId: feedback.id, version: event.version }, "Replace");
    try {
      const response = await disputes.submitTransaction([recordAction, ...eventAndOutbox(partition(tenantId, feedback.id), event, effects)]);
      return { ok: true, etag: response.subResponses[0]?.etag ?? "" };
    } catch (err) {
      const status = statusOf(err);
      if (status === 409 || status === 412) return { ok: false, reason: "conflict" };
      throw err;
    }
  }

  return {
    record(tenantId: string, { feedback, event, effects }: FeedbackRecorded): Promise<CommitOutcome> {
      // The id was drawn already (409): nothing was written.
      return write(tenantId, feedback, event, effects, ["create", recordRow(tenantId, feedback)]);
    },

    reply(tenantId: string, { feedback, event, effects }: FeedbackReplied, etag: string): Promise<CommitOutcome> {
      // Another reply was written first (412), or its event row exists (409): nothing was written.
      return write(tenantId, feedback, event, effects, ["update", recordRow(tenantId, feedback), "Replace", { etag }]);
    },

    async loadForReply(tenantId: string, feedbackId: string) {
      try {
        const e = await disputes.getEntity<Record<string, unknown>>(partition(tenantId, feedbackId), "feedback");
        return { feedback: fromJsonColumns<PositiveFeedback>(e), etag: String(e.etag) };
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    },

    async load(tenantId: string, feedbackId: string): Promise<PositiveFeedback | undefined> {
      try {
        return fromJsonColumns<PositiveFeedback>(await disputes.getEntity<Record<string, unknown>>(partition(tenantId, feedbackId), "feedback"));
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    },

    async list(tenantId: string, period?: { from: Date; to: Date }): Promise<PositiveFeedback[]> {
      // The tenant's partitions (tenant~…), their record rows only: one range query, as for the monthly report's events.
      let filter = odata`PartitionKey ge ${`${tenantId}~`} and PartitionKey lt ${`${tenantId}~${END}`} and RowKey eq ${"feedback"}`;
      if (period) filter += ` and ${odata`recordedAt ge ${period.from.toISOString()} and recordedAt lt ${period.to.toISOString()}`}`;
      const out: PositiveFeedback[] = [];
      for await (const e of disputes.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(fromJsonColumns<PositiveFeedback>(e));
      return out.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
    },

    async events(tenantId: string, feedbackId: string): Promise<PositiveFeedbackEvent[]> {
      const filter = odata`PartitionKey eq ${partition(tenantId, feedbackId)} and RowKey ge ${"event|"} and RowKey lt ${`event|${END}`}`;
      const out: PositiveFeedbackEvent[] = [];
      for await (const e of disputes.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(fromJsonColumns<PositiveFeedbackEvent>(e));
      return out;
    },
  };
}
