import type { Tables } from "./tables";
import { statusOf } from "./tables";

export const HEARTBEATS_TABLE = "heartbeats";

/**
 * When each timer last finished, kept in storage: every instance (and the readiness check on any
 * of them) sees the same beat, however many instances Flex Consumption runs.
 */
export interface Heartbeats {
  beat(name: string, at: Date): Promise<void>;
  last(name: string): Promise<Date | undefined>;
}

export function createHeartbeats(tables: Tables): Heartbeats {
  const table = () => tables.client(HEARTBEATS_TABLE);
  return {
    async beat(name, at) {
      await table().upsertEntity({ partitionKey: "timer", rowKey: name, at: at.toISOString() }, "Replace");
    },
    async last(name) {
      try {
        const entity = await table().getEntity<{ at: string }>("timer", name);
        return new Date(entity.at);
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    },
  };
}
