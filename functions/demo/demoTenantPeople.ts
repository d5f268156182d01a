import { ok } from "../../shared/result";
import type { EntraPerson, PeopleSearch } from "../ports";
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

/** Like Graph's `$search` on displayName and mail: every word typed starts a word of the name or the address. */
export function createLocalPeopleSearch(people: EntraPerson[] = demoTenantPeople): PeopleSearch {
  return {
    async search(text) {
      const typed = text.toLowerCase().split(/\s+/).filter(Boolean);
      const matches = (p: EntraPerson) => {
        const parts = `${p.displayName} ${p.upn}`.toLowerCase().split(/[\s@.]+/);
        return typed.every((t) => parts.some((w) => w.startsWith(t)));
      };
      return ok(people.filter(matches).slice(0, 25));
    },
  };
}
