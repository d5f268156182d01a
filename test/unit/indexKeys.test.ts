import { describe, expect, it } from "vitest";
import { failedKey, listPrefix, manifestColumn } from "../../functions/adapters/indexKeys";

describe("index row keys", () => {
  it("sort failed deliveries newest first, whatever the dispute", () => {
    const keys = ["2026-12-01T09:00:00.000Z", "2027-01-05T17:00:00.000Z", "2026-12-24T23:59:59.999Z"].map((at, i) => failedKey(at, `D-${i}`, `D-${i}:1:1`));
    expect([...keys].sort()).toEqual([keys[1], keys[2], keys[0]]);
  });

  it("keep a list's open and closed disputes in ranges of their own, inside the list's whole range", () => {
    const by = { kind: "assignee" as const, personId: "p-21" };
    const [open, closed, all] = [listPrefix(by, "open"), listPrefix(by, "closed"), listPrefix(by, "all")];
    expect(open.startsWith(all) && closed.startsWith(all)).toBe(true);
    expect(open.startsWith(closed) || closed.startsWith(open)).toBe(false);
    // Another person whose id starts the same is not in this person's range.
    expect(listPrefix({ kind: "assignee", personId: "p-2" }, "all")).not.toBe(all);
    expect(`${listPrefix({ kind: "assignee", personId: "p-21x" }, "open")}D-1`.startsWith(all)).toBe(false);
  });

  it("name a manifest's column after the row key, the same each time, as a valid property name", () => {
    expect(manifestColumn("all||o|D-1")).toBe(manifestColumn("all||o|D-1"));
    expect(manifestColumn("all||o|D-1")).not.toBe(manifestColumn("all||c|D-1"));
    expect(manifestColumn("all||o|D-1")).toMatch(/^k[0-9a-f]{16}$/);
  });
});
