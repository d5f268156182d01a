import { describe, expect, it } from "vitest";
import { recentlyUsed } from "../../functions/adapters/recentlyUsed";

describe("what an instance keeps of what never changes (histories, where cards are)", () => {
  it("keeps what fits its budget, dropping the least recently used first, and never what alone exceeds it", () => {
    const kept = recentlyUsed<{ version: number; chars: number }>(100, (h) => h.chars);
    kept.set("a", { version: 1, chars: 40 });
    kept.set("b", { version: 1, chars: 40 });
    expect(kept.get("a")?.version).toBe(1);
    // "b" is now the least recently used: it goes to make room.
    kept.set("c", { version: 2, chars: 50 });
    expect([kept.get("a")?.chars, kept.get("b"), kept.get("c")?.chars, kept.weight]).toEqual([40, undefined, 50, 90]);
    // A history extended replaces its earlier self, not adds to it.
    kept.set("a", { version: 2, chars: 45 });
    expect([kept.get("a")?.version, kept.weight]).toEqual([2, 95]);
    // One too large for the whole budget is not kept, and costs the others nothing.
    kept.set("huge", { version: 1, chars: 101 });
    expect([kept.get("huge"), kept.get("a")?.chars, kept.weight]).toEqual([undefined, 45, 95]);
  });

  it("counts entries when they are not weighed", () => {
    const places = recentlyUsed<string>(2);
    places.set("x", "1:alert");
    places.set("y", "1:status");
    places.set("z", "1:caught-up");
    expect([places.get("x"), places.get("y"), places.get("z"), places.weight]).toEqual([undefined, "1:status", "1:caught-up", 2]);
  });
});
