import type { DirectoryPerson } from "../ports";
import type { DirectorySeed } from "../adapters/tableDirectory";

/**
 * A demo authority whose people are the Microsoft 365 Agents Playground's built-in mock accounts
 * (same names, UPNs and aadObjectIds), so each can be used in the Playground. Alex Wilber is the
 * IRO; Megan, Adele, Isaiah, Patti and Lynne hold the ladder. The Playground's own config spells
 * Isaiah's UPN "isaiah@example.com" and his email "isaiahl@example.com": both find him.
 */
export const DEMO_TENANT_ID = "demo";
export const PLAYGROUND_TENANT_ID = "00000000-0000-0000-0000-0000000000001";
export const DEMO_TEAM = "demo-team";

const person = (n: number, upn: string, displayName: string, extra: Partial<DirectoryPerson> = {}): DirectoryPerson => ({
  id: `00000000-0000-0000-0000-00000000000${n}`,
  upn,
  displayName,
  capabilities: [],
  serviceAreas: ["children-in-care"],
  teams: [DEMO_TEAM],
  ...extra,
});

export const demoPeople = {
  alex: person(20, "alexw@example.com", "Alex Wilber", { capabilities: ["iro"], serviceAreas: [], teams: [] }),
  megan: person(21, "meganb@example.com", "Megan Bowen"),
  adele: person(22, "adelev@example.com", "Adele Vance"),
  isaiah: person(23, "isaiahl@example.com", "Isaiah Langer"),
  patti: person(24, "pattif@example.com", "Patti Fernandez"),
  lynne: person(25, "lynner@example.com", "Lynne Robbins"),
  // Beyond the Playground's six: the rest of a longer ladder, QA and outside bodies (mail only).
  // A social worker: no service area, so no dashboard.
  sam: person(26, "samk@example.com", "Sam Kaur", { serviceAreas: [] }),
  chief: person(27, "chiefexec@example.com", "Jordan Chief", { teams: [] }),
  quinn: person(28, "quinnq@example.com", "Quinn Adeyemi", { capabilities: ["qa"], serviceAreas: [], teams: [] }),
  // The QA lead, who also administers the authority's directory.
  rowan: person(29, "rowanq@example.com", "Rowan Ellis", { capabilities: ["qa", "admin"], serviceAreas: [], teams: [] }),
  lscp: person(30, "lscp@example.com", "LSCP business unit", { teams: [], serviceAreas: [] }),
  guardian: person(31, "guardian@example.com", "Children's Guardian (Cafcass)", { teams: [], serviceAreas: [] }),
  legal: person(32, "legal@example.com", "LA Legal Services", { teams: [], serviceAreas: [] }),
};

export function demoAuthority(procedure = "lambeth", tenantId = DEMO_TENANT_ID, entraTenantId = PLAYGROUND_TENANT_ID): DirectorySeed {
  const p = demoPeople;
  return {
    tenant: { id: tenantId, displayName: "Demo Borough Council", entraTenantId, procedure, calendar: { closureDays: [], endOfDay: "17:00" } },
    people: Object.values(p),
    aliases: { "isaiah@example.com": p.isaiah.id },
    teams: [{ id: DEMO_TEAM, displayName: "Children in Care Team 1", serviceArea: "children-in-care" }],
    roles: {
      [DEMO_TEAM]: { "social-worker": p.sam.id, "team-manager": p.megan.id, "area-team-manager": p.megan.id, "service-manager": p.adele.id, "service-lead": p.adele.id },
      "*": {
        "head-of-service": p.isaiah.id,
        "assistant-director": p.isaiah.id,
        "director-csc": p.patti.id,
        "chief-children-families-officer": p.patti.id,
        dcs: p.lynne.id,
        "chief-executive": p.chief.id,
        "iro-service-manager": p.quinn.id,
        "service-manager-review-quality": p.quinn.id,
        "head-of-safeguarding-qa": p.rowan.id,
        "ad-quality-assurance": p.rowan.id,
        lscp: p.lscp.id,
        guardian: p.guardian.id,
        "la-solicitor": p.legal.id,
      },
    },
  };
}
