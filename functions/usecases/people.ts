import { EntraSearchSchema } from "../../shared/directory/adminBodies";
import type { Rejection } from "../../shared/dispute/lifecycle";
import type { PersonChoice } from "../../shared/dispute/people";
import { describeBody } from "../../shared/dispute/fieldLabels";
import { type Result, err, ok } from "../../shared/result";
import type { Services } from "./services";


/** At most this many names come back: a picker narrows as the person types. */
export const PEOPLE_LIMIT = 20;

/** The authority's people by name, in name order; every word typed must start a word of the name (or the UPN). */
export async function searchPeople(services: Services, tenantId: string, query: unknown): Promise<Result<PersonChoice[], Rejection>> {
  const q = EntraSearchSchema.safeParse(query);
  // Each picker is labelled by what it is for ("Give it to", "Worker"); what they share is the search.
  if (!q.success) return err({ code: "invalid", ...describeBody(q.error, { search: "Search" }) });
  const words = q.data.search.toLowerCase().split(/\s+/);
  const people = await services.directory.people(tenantId);
  return ok(
    people
      .filter((p) => {
        const parts = `${p.displayName} ${p.upn}`.toLowerCase().split(/[\s.@_-]+/);
        return words.every((w) => parts.some((part) => part.startsWith(w)));
      })
      .sort((x, y) => x.displayName.localeCompare(y.displayName))
      .slice(0, PEOPLE_LIMIT)
      .map((p) => ({ displayName: p.displayName, upn: p.upn })),
  );
}

/** Every person of the authority in name order, for a card's static choices (hosts without search as you type). */
export async function peopleChoices(services: Services, tenantId: string): Promise<PersonChoice[]> {
  const people = await services.directory.people(tenantId);
  return people.map((p) => ({ displayName: p.displayName, upn: p.upn })).sort((x, y) => x.displayName.localeCompare(y.displayName));
}
