import { ok } from "../../shared/result";
import type { EntraDirectory, EntraGroup, EntraPerson } from "../ports";
import { demoPeople } from "./demoAuthority";

/**
 * The demo tenant's Entra people, for the local people search: everyone in the demo authority
 * (the Agents Playground's accounts among them) and a few more not yet in its directory, to add.
 */
const notYetInTheDirectory: EntraPerson[] = [
  { entraId: "00000000-0000-0000-0000-000000000040", upn: "diegos@example.com", displayName: "Diego Siciliani" },
  { entraId: "00000000-0000-0000-0000-000000000041", upn: "johannal@example.com", displayName: "Johanna Lorenz" },
  { entraId: "00000000-0000-0000-0000-000000000042", upn: "leeg@example.com", displayName: "Lee Gu" },
  { entraId: "00000000-0000-0000-0000-000000000043", upn: "nestorw@example.com", displayName: "Nestor Wilke" },
  { entraId: "00000000-0000-0000-0000-000000000044", upn: "gradya@example.com", displayName: "Grady Archie" },
];

export const demoTenantPeople: EntraPerson[] = [
  ...Object.values(demoPeople).map((p) => ({ entraId: p.id, upn: p.upn, displayName: p.displayName })),
  ...notYetInTheDirectory,
];

/** The demo tenant's groups: one for the demo team, one for a team not yet in the directory. */
const demoGroups: (EntraGroup & { members: string[] })[] = [
  { groupId: "00000000-0000-0000-0000-0000000000a1", displayName: "Children in Care Team 1", members: ["meganb@example.com", "adelev@example.com", "samk@example.com"] },
  { groupId: "00000000-0000-0000-0000-0000000000a2", displayName: "Leaving Care Team", members: ["diegos@example.com", "johannal@example.com", "leeg@example.com"] },
];

/** Every word typed starts a word of the text, as Graph's `$search` matches. */
const matches = (typed: string, text: string) => {
  const words = text.toLowerCase().split(/[\s@.]+/);
  return typed.toLowerCase().split(/\s+/).filter(Boolean).every((t) => words.some((w) => w.startsWith(t)));
};

export function createLocalEntraDirectory(people: EntraPerson[] = demoTenantPeople): EntraDirectory {
  return {
    search: async (text) => ok(people.filter((p) => matches(text, `${p.displayName} ${p.upn}`)).slice(0, 25)),
    groups: async (text) => ok(demoGroups.filter((g) => matches(text, g.displayName)).map(({ groupId, displayName }) => ({ groupId, displayName }))),
    async members(groupId) {
      const group = demoGroups.find((g) => g.groupId === groupId);
      return ok(group ? people.filter((p) => group.members.includes(p.upn)) : null);
    },
  };
}
