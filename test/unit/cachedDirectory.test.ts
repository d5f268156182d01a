import { describe, expect, it } from "vitest";
import { DIRECTORY_TTL_MS, cachedDirectory } from "../../functions/adapters/cachedDirectory";
import type { Directory, DirectoryPerson } from "../../functions/ports";

/** A directory in memory that counts how often it is asked, and can be made to fail. */
function counted() {
  const asked: string[] = [];
  let failing = false;
  const person = (tenantId: string, upn: string): DirectoryPerson => ({ id: `${tenantId}:${upn}`, upn, displayName: upn, capabilities: [], serviceAreas: [], teams: [] });
  const inner: Directory = {
    tenants: async () => (asked.push("tenants"), []),
    tenant: async (t) => (asked.push(`tenant ${t}`), undefined),
    tenantForEntra: async (e) => (asked.push(`entra ${e}`), undefined),
    personById: async (t, id) => (asked.push(`id ${t} ${id}`), person(t, id)),
    personByUpn: async (t, upn) => {
      asked.push(`upn ${t} ${upn}`);
      if (failing) throw new Error("storage said 503");
      return person(t, upn);
    },
    team: async (t, team) => (asked.push(`team ${t} ${team}`), undefined),
    teams: async (t) => (asked.push(`teams ${t}`), []),
    roster: async (t, team) => (asked.push(`roster ${t} ${team}`), {}),
    cover: async (t, id) => (asked.push(`cover ${t} ${id}`), undefined),
    people: async (t) => (asked.push(`people ${t}`), []),
  };
  return { inner, asked, fail: (on: boolean) => (failing = on) };
}

describe("the directory, kept briefly", () => {
  it("answers again from what it kept until the time is up, then reads again", async () => {
    let now = 0;
    const { inner, asked } = counted();
    const directory = cachedDirectory(inner, () => now);
    await directory.personByUpn("a", "megan@example.com");
    await directory.personByUpn("a", "Megan@example.com");
    expect(asked).toEqual(["upn a megan@example.com"]);
    now = DIRECTORY_TTL_MS;
    await directory.personByUpn("a", "megan@example.com");
    expect(asked).toHaveLength(2);
  });

  it("forgets one authority at once when told to, and keeps the others", async () => {
    const { inner, asked } = counted();
    const directory = cachedDirectory(inner);
    for (const t of ["a", "b"]) {
      await directory.teams(t);
      await directory.roster(t, "demo-team");
    }
    directory.invalidate("a");
    for (const t of ["a", "b"]) {
      await directory.teams(t);
      await directory.roster(t, "demo-team");
    }
    expect(asked).toEqual(["teams a", "roster a demo-team", "teams b", "roster b demo-team", "teams a", "roster a demo-team"]);
  });

  it("keeps no failure: the next caller reads again", async () => {
    const { inner, asked, fail } = counted();
    const directory = cachedDirectory(inner);
    fail(true);
    await expect(directory.personByUpn("a", "megan@example.com")).rejects.toThrow("storage said 503");
    fail(false);
    expect((await directory.personByUpn("a", "megan@example.com"))?.upn).toBe("megan@example.com");
    expect(asked).toHaveLength(2);
  });
});
