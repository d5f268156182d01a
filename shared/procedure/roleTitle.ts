/** Short role ids that are read as capitals. */
const ACRONYMS: Record<string, string> = { dcs: "DCS", lscp: "LSCP", iro: "IRO", qa: "QA", csc: "CSC", ad: "AD", la: "LA", cp: "CP", atm: "ATM" };

/** Where a role's title is found: a procedure, or the ladder a dispute was raised under. */
export interface TitledStages {
  stages: readonly { role: string; title: string }[];
  reverse?: { stages: readonly { role: string; title: string }[] } | undefined;
}

/**
 * A role as people read it: the title the procedure gives the stage it holds ("Service Manager"),
 * or, for a role no stage names (one only told, such as "ad-qa"), its id in words ("AD QA").
 */
export function roleTitle(source: TitledStages | undefined, role: string): string {
  const titled = [...(source?.stages ?? []), ...(source?.reverse?.stages ?? [])].find((s) => s.role === role);
  if (titled) return titled.title;
  const spelt = role.split("-").map((w) => ACRONYMS[w] ?? w).join(" ");
  return spelt.charAt(0).toUpperCase() + spelt.slice(1);
}
