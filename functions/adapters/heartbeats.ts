import type { Tables } from "./tables";
import { statusOf } from "./tables";

export const HEARTBEATS_TABLE = "heartbeats";

/**
 * When each timer last finished, kept in storage: every instance (and the readiness check on any
 * of them) sees the same beat, however many instances Flex Consumption runs.
 */
export interface Heartbeats {
  beat(name: string, at: Date, detail?: unknown): Promise<void>;
  last(name: string): Promise<Date | undefined>;
  /** What the last beat said of itself (the auditor's report), if it said anything. */
  detail<T>(name: string): Promise<T | undefined>;
}

export function createHeartbeats(tables: Tables): Heartbeats {
  const table = () => tables.client(HEARTBEATS_TABLE);
  const read = async (name: string) => {
    try {
      return await table().getEntity<{ at: string; detail?: string }>("timer", name);
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  };
  return {
    async beat(name, at, detail) {
      await table().upsertEntity({ partitionKey: "timer", rowKey: name, at: at.toISOString(), ...(detail === undefined ? {} : { detail: JSON.stringify(detail) }) }, "Replace");
    },
    async last(name) {
      const entity = await read(name);
      return entity ? new Date(entity.at) : undefined;
    },
    async detail<T>(name: string) {
      const entity = await read(name);
      return entity?.detail ? (JSON.parse(entity.detail) as T) : undefined;
    },
  };
}
