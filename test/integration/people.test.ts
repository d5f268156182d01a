/**
 * GET /api/people?search= over real HTTP, in local mode, on the run's Azurite: the caller's
 * authority's people by name for the pickers (reassign, good practice), strict and authenticated.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalMode } from "../fixtures/localMode";

const tenantId = useLocalMode("ppl");

import "../../functions/index";
import { getApp } from "../../functions/compose";
import { demoAuthority, demoPeople } from "../../functions/demo/demoAuthority";
import { type LocalHost, startLocalHost } from "../../functions/host/localHost";

let host: LocalHost;

const people = (query: string, as: string | null = demoPeople.alex.upn) =>
  fetch(`${host.url}/api/people?${query}`, { headers: as ? { "x-resolve-dev-user": as } : {} });

beforeAll(async () => {
  host = await startLocalHost({ port: 0 });
  await (await getApp()).directory.seed(demoAuthority("lambeth", tenantId));
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

describe("GET /api/people", () => {
  it("finds people by the start of a name, with their UPNs, in name order", async () => {
    const r = await people("search=sa");
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ items: [{ displayName: "Sam Kaur", upn: demoPeople.sam.upn }] });
    const both = await (await people("search=" + encodeURIComponent("megan bo"))).json();
    expect(both.items).toEqual([{ displayName: "Megan Bowen", upn: demoPeople.megan.upn }]);
  });

  it("answers an empty list when nobody matches", async () => {
    const r = await people("search=zzq");
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ items: [] });
  });

  it("refuses a missing or unknown parameter with a 400 that names it", async () => {
    const missing = await people("");
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toMatch(/search/i);
    const unknown = await people("search=sam&top=5");
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatch(/top/);
    const short = await people("search=a");
    expect(short.status).toBe(400);
    expect((await short.json()).error).toMatch(/at least 2 letters/);
  });

  it("refuses a caller who is not signed in", async () => {
    expect((await people("search=sam", null)).status).toBe(401);
  });
});
