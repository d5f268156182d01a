import type { Directory } from "../ports";

/** How long an answer is kept. Another instance's administration change is seen within it. */
export const DIRECTORY_TTL_MS = 30_000;

/**
 * The directory with each answer kept briefly, so that an action or a card invoke does not read
 * the caller's entry, the authority, its teams, the stage holder's cover and the people a card's
 * picker offers from storage every time. `invalidate(tenantId)`
 * forgets everything about an authority at once: call it after changing its directory.
 */
export function cachedDirectory<D extends Directory>(inner: D, now: () => number = Date.now): D & { invalidate(tenantId: string): void } {
  const kept = new Map<string, { at: number; value: Promise<unknown> }>();
  function remember<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = kept.get(key);
    if (hit && now() - hit.at < DIRECTORY_TTL_MS) return hit.value as Promise<T>;
    const value = load();
    kept.set(key, { at: now(), value });
    // A failed read is not kept: the next caller tries again.
    value.catch(() => kept.delete(key));
    return value;
  }
  // Keys start with the tenant (or "*" for answers about every tenant), so one authority is forgotten at once.
  const key = (tenantId: string, ...parts: string[]) => [tenantId, ...parts].join("\u0000");
  return {
    ...inner,
    tenants: () => remember(key("*", "tenants"), () => inner.tenants()),
    tenant: (tenantId) => remember(key(tenantId, "tenant"), () => inner.tenant(tenantId)),
    tenantForEntra: (entra) => remember(key("*", "entra", entra), () => inner.tenantForEntra(entra)),
    personById: (tenantId, id) => remember(key(tenantId, "id", id), () => inner.personById(tenantId, id)),
    personByUpn: (tenantId, upn) => remember(key(tenantId, "upn", upn.toLowerCase()), () => inner.personByUpn(tenantId, upn)),
    team: (tenantId, team) => remember(key(tenantId, "team", team), () => inner.team(tenantId, team)),
    teams: (tenantId) => remember(key(tenantId, "teams"), () => inner.teams(tenantId)),
    roster: (tenantId, team) => remember(key(tenantId, "roster", team), () => inner.roster(tenantId, team)),
    cover: (tenantId, personId) => remember(key(tenantId, "cover", personId), () => inner.cover(tenantId, personId)),
    people: (tenantId) => remember(key(tenantId, "people"), () => inner.people(tenantId)),
    invalidate(tenantId: string) {
      for (const k of kept.keys()) if (k.startsWith(`${tenantId}\u0000`) || k.startsWith("*\u0000")) kept.delete(k);
    },
  };
}
