import { describe, expect, it } from "vitest";
import { histories } from "../../functions/adapters/tableDisputeStore";
import type { AuditEvent } from "../../shared/dispute/events";

const event = (version: number) => ({ version, action: "add-note", at: "2027-01-05T10:00:00.000Z" }) as unknown as AuditEvent;

describe("the histories an instance keeps", () => {
  it("keeps what fits its budget, dropping the least recently used first, and never what alone exceeds it", () => {
    const kept = histories(100);
    kept.set("a", 1, [event(1)], 40);
    kept.set("b", 1, [event(1)], 40);
    expect(kept.get("a")?.version).toBe(1);
    // "b" is now the least recently used: it goes to make room.
    kept.set("c", 2, [event(1), event(2)], 50);
    expect([kept.get("a")?.chars, kept.get("b"), kept.get("c")?.chars, kept.chars]).toEqual([40, undefined, 50, 90]);
    // A history extended replaces its earlier self, not adds to it.
    kept.set("a", 2, [event(1), event(2)], 45);
    expect([kept.get("a")?.version, kept.chars]).toEqual([2, 95]);
    // One too large for the whole budget is not kept, and costs the others nothing.
    kept.set("huge", 1, [event(1)], 101);
    expect([kept.get("huge"), kept.get("a")?.chars, kept.chars]).toEqual([undefined, 45, 95]);
  });
});
