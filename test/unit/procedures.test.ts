import { describe, expect, it } from "vitest";
import { type Procedure, parseProcedure } from "../../shared/procedure/procedureSchema";
import lambethJson from "../../shared/procedures/lambeth.json" with { type: "json" };
import { builtInProcedureIds, builtInProcedures, loadBuiltInProcedures } from "../../shared/procedures/index";

function procedure(id: string): Procedure {
  const p = builtInProcedures[id];
  if (!p) throw new Error(`no built-in procedure ${id}`);
  return p;
}

const ladder = (p: Procedure) => p.stages.map((s) => [s.role, s.responseDays]);
const stage = (p: Procedure, n: number) => {
  const s = p.stages[n - 1];
  if (!s) throw new Error(`${p.id} has no stage ${n}`);
  return s;
};

const ROLES = new Set([
  "social-worker",
  "team-manager",
  "area-team-manager",
  "service-manager",
  "service-lead",
  "head-of-service",
  "assistant-director",
  "director-csc",
  "chief-children-families-officer",
  "dcs",
  "chief-executive",
  "iro-service-manager",
  "ad-quality-assurance",
  "head-of-safeguarding-qa",
  "service-manager-review-quality",
  "lscp",
  "guardian",
  "la-solicitor",
]);

function rolesOf(p: Procedure): string[] {
  const { notify } = p;
  return [
    p.informal.role,
    ...[...p.stages, ...(p.reverse?.stages ?? [])].flatMap((s) => [s.role, ...s.notify]),
    ...notify.onRaise,
    ...notify.onResolve,
    ...notify.onException,
    ...notify.beforeReferral.cafcass,
    ...notify.beforeReferral.lscp,
    ...notify.positiveFeedback,
    ...notify.qualityAssurance,
    ...notify.chains.flatMap((c) => [c.by, ...c.to]),
    ...(p.childContacts?.court?.tell ?? []),
  ];
}

describe("the procedures that ship with Resolve", () => {
  it("are the five in the seeds", () => {
    expect([...builtInProcedureIds].sort()).toEqual([
      "blackburn-with-darwen",
      "cumberland",
      "iro-guidance-three-stage",
      "lambeth",
      "redbridge",
    ]);
  });

  describe.each(builtInProcedureIds)("%s", (id) => {
    const p = procedure(id);

    it("is a valid procedure", () => {
      expect(parseProcedure(p, `${id}.json`)).toEqual({ ok: true, value: p });
    });

    it("names the section of the document for every rule of who is told beyond the ladder, and notes the child's contacts", () => {
      const rules = [...p.notify.chains, ...p.consultations, ...(p.childContacts?.tell ?? []), ...(p.childContacts?.court ? [p.childContacts.court] : [])];
      for (const rule of rules) expect(rule.source, JSON.stringify(rule)).toMatch(/\S/);
      expect(p.notes["childContacts"] ?? p.notes["guardian"], "a note on the child's Guardian and solicitor").toMatch(/\S/);
    });

    it("names the section of the document for every stage, and notes its rules", () => {
      for (const s of p.stages) expect(s.source, `stage ${s.stage}`).toMatch(/\S/);
      expect(Object.keys(p.notes).length).toBeGreaterThan(0);
    });

    it("uses only roles from the shared vocabulary", () => {
      expect(rolesOf(p).filter((role) => !ROLES.has(role))).toEqual([]);
    });

    it("reminds the responder the working day before and on the day, at 09:00", () => {
      expect(p.reminders).toEqual([
        { workingDaysBefore: 1, at: "09:00" },
        { workingDaysBefore: 0, at: "09:00" },
      ]);
    });

    it("keeps the whole formal process within 20 working days (IRO Handbook 6.2)", () => {
      expect(p.capWorkingDays).toBe(20);
    });
  });

  it("throws when a shipped file is broken, naming the file and the field", () => {
    const broken = structuredClone(lambethJson);
    broken.stages[0]!.responseDays = 0;
    expect(() => loadBuiltInProcedures({ lambeth: broken })).toThrow(
      /^lambeth\.json is not a valid procedure: stages\[0\]\.responseDays/,
    );
  });

  it("throws when a shipped file's id is not its name", () => {
    expect(() => loadBuiltInProcedures({ redbridge: lambethJson })).toThrow(/redbridge\.json .*id: must be "redbridge"/);
  });
});

describe("Lambeth: Dispute resolution and Escalation Procedure (December 2025)", () => {
  const p = procedure("lambeth");

  it("Annex B: five formal stages of 4 working days, Team Manager up to the Corporate Director / DCS", () => {
    expect(ladder(p)).toEqual([
      ["team-manager", 4],
      ["service-manager", 4],
      ["assistant-director", 4],
      ["director-csc", 4],
      ["dcs", 4],
    ]);
    expect(p.stages.every((s) => s.mode === "written")).toBe(true);
  });

  it("7, Informal Stage: the IRO raises it informally with the team manager first", () => {
    expect(p.informal).toMatchObject({ enabled: true, role: "team-manager" });
  });

  it("Annex B, Stage 1: the social worker, team manager and service manager are told of every alert", () => {
    expect(p.notify.onRaise).toEqual(["social-worker", "team-manager", "service-manager"]);
  });

  it("Annex B, Stage 3: the AD for Quality Assurance is alerted", () => {
    expect(stage(p, 3).notify).toContain("ad-quality-assurance");
  });

  it("7, CAFCASS/LSCP: the DCS is told before a referral to CAFCASS or the LSCP", () => {
    expect(p.notify.beforeReferral).toEqual({ cafcass: ["dcs"], lscp: ["dcs"] });
  });

  it("9: exceptions go to the DCS and the LSCP at once", () => {
    expect(p.exceptions.stage).toBe(5);
    expect(p.notify.onException).toEqual(["dcs", "lscp"]);
    expect(p.exceptions.kinds.map((k) => k.id)).toContain("child-death");
  });

  it("7: the DRP works in reverse, through the QA service", () => {
    expect(p.reverse?.stages.map((s) => s.role)).toEqual(["iro-service-manager", "ad-quality-assurance"]);
  });

  it("Annex C: four kinds of issue", () => {
    expect(p.categories.map((c) => c.id)).toEqual([
      "statutory-responsibilities",
      "drift-in-care-planning",
      "provision-of-services",
      "safeguarding",
    ]);
  });
});

describe("Redbridge: Dispute Resolution Protocol (3.13.1, August 2015)", () => {
  const p = procedure("redbridge");

  it("2.2: the Team Manager ratifies review recommendations within 5 working days before the formal process", () => {
    expect(p.informal).toEqual({ enabled: true, defaultDays: 5, role: "team-manager" });
  });

  it("2.3: six formal stages of 5 working days, Team Manager up to the Chief Executive", () => {
    expect(ladder(p)).toEqual([
      ["team-manager", 5],
      ["service-manager", 5],
      ["head-of-service", 5],
      ["chief-children-families-officer", 5],
      ["dcs", 5],
      ["chief-executive", 5],
    ]);
    expect(stage(p, 2).title).toBe("Service Manager (where applicable)");
  });

  it("2.3: stages 1 to 3 by the IRO Alert Form, stages 4 to 6 by a minuted meeting", () => {
    expect(p.stages.map((s) => s.mode)).toEqual(["written", "written", "written", "meeting", "meeting", "meeting"]);
  });

  it("7: the Safeguarding and QA managers attend the meetings above Team Manager level", () => {
    for (const n of [4, 5, 6]) {
      expect(stage(p, n).notify).toEqual(["iro-service-manager", "head-of-safeguarding-qa"]);
    }
    for (const n of [1, 2, 3]) expect(stage(p, n).notify).toEqual([]);
    expect(p.notify.qualityAssurance).toEqual(["iro-service-manager", "head-of-safeguarding-qa"]);
  });

  it("2.3: the IRO decides what happens when a deadline passes", () => {
    expect(p.onDeadline).toBe("ask-iro");
  });

  it("4: the Chief Children and Families Officer is told before a CAFCASS referral", () => {
    expect(p.notify.beforeReferral.cafcass).toEqual(["chief-children-families-officer"]);
  });

  it("2.1: the examples of concerns that start the management alert process are all reasons", () => {
    const reasons = p.categories.flatMap((c) => c.reasons.map((r) => r.id));
    expect(reasons.sort()).toEqual(
      [
        "review-preparation",
        "decisions-within-timescales",
        "assessments",
        "anti-oppressive-practice",
        "supervision",
        "allocation-history",
        "family-finding",
        "health-provision",
        "education-provision",
        "placement-choice",
        "endorsing-care-plan",
      ].sort(),
    );
  });

  it("has no reverse process: the protocol does not describe one", () => {
    expect(p.reverse).toBeUndefined();
  });
});

describe("IRO Dispute Resolution Guidance Notes (generic three-stage flow, May 2016)", () => {
  const p = procedure("iro-guidance-three-stage");

  it("2: informal discussion within 5 working days of the review", () => {
    expect(p.informal).toMatchObject({ enabled: true, defaultDays: 5 });
  });

  it("Introduction: three stages, with the product's default roles and 5 working days each", () => {
    expect(ladder(p)).toEqual([
      ["team-manager", 5],
      ["service-manager", 5],
      ["head-of-service", 5],
    ]);
    expect(p.notes.stages).toMatch(/product's defaults/);
  });

  it("2: the IRO escalates at once when the risks to the child demand it", () => {
    expect(p.notes.immediate).toMatch(/immediately/);
  });

  it("2: CAFCASS at any stage, with no one named who must be told first", () => {
    expect(p.notify.beforeReferral.cafcass).toEqual([]);
    expect(p.notes.referral).toMatch(/at any stage/);
  });
});

describe("Blackburn with Darwen: IRO Challenge and Resolution Process (Looked After Reviews, 15)", () => {
  const p = procedure("blackburn-with-darwen");

  it("15, Stages One to Five: Social Worker up to the DCS, 5 working days each", () => {
    expect(ladder(p)).toEqual([
      ["social-worker", 5],
      ["area-team-manager", 5],
      ["service-lead", 5],
      ["head-of-service", 5],
      ["dcs", 5],
    ]);
    expect(p.stages.every((s) => s.mode === "written")).toBe(true);
  });

  it("15, Stage One: the informal challenge with the Social Worker is Stage 1, the Area Team Manager included", () => {
    expect(p.informal.enabled).toBe(false);
    expect(stage(p, 1)).toMatchObject({ title: "Social Worker (and Area Team Manager)", notify: ["area-team-manager"] });
  });

  it("15: serious safeguarding goes first to the Service Manager, Review and Quality, who agrees the strategy", () => {
    expect(p.notify.onRaise).toContain("service-manager-review-quality");
    expect(p.notify.qualityAssurance).toContain("service-manager-review-quality");
  });

  it("15, Positive Feedback: good practice goes to the appropriate manager", () => {
    expect(p.notify.positiveFeedback).toEqual(["area-team-manager"]);
  });

  it("15, Performance Data: monthly counts by level and time are noted", () => {
    expect(p.notes.reporting).toMatch(/monthly/);
  });
});

describe("Cumberland: Outcome Resolution Process (v31, August 2024)", () => {
  const p = procedure("cumberland");

  it("ORP, process: the IRO picks the level; four levels of 5 working days as the product's default", () => {
    expect(ladder(p)).toEqual([
      ["team-manager", 5],
      ["service-manager", 5],
      ["head-of-service", 5],
      ["assistant-director", 5],
    ]);
    expect(p.notes.stages).toMatch(/product's defaults/);
  });

  it("ORP, process: the first response is due within no more than 5 working days; the whole within 20", () => {
    expect(p.firstResponseMaxDays).toBe(5);
    expect(p.capWorkingDays).toBe(20);
  });

  it("ORP, process: with no answer in time the IRO may await the full response or escalate", () => {
    expect(p.onDeadline).toBe("ask-iro");
  });

  it("ORP, referral: the child's Guardian is told of any matter, and LA solicitors tell the court while the child is in proceedings", () => {
    expect(p.notify.onRaise).toEqual([]);
    expect(p.childContacts?.tell).toEqual([expect.objectContaining({ contact: "guardian", on: ["raise"] })]);
    expect(p.childContacts?.court).toMatchObject({ tell: ["la-solicitor"], on: ["raise"] });
  });

  it("ORP, referral: the IRO informs their manager of a CAFCASS referral, who in turn informs the AD and Senior Manager", () => {
    expect(p.notify.beforeReferral.cafcass).toEqual(["iro-service-manager"]);
    expect(p.notify.chains).toEqual([expect.objectContaining({ on: "cafcass-referral", by: "iro-service-manager", to: ["assistant-director", "head-of-service"] })]);
  });

  it("ORP, reasons: the five possible reasons for entering the ORP process", () => {
    expect(p.categories.map((c) => c.id)).toEqual([
      "human-rights",
      "review-decisions",
      "progress-of-child",
      "allocation-statutory",
      "iro-endorsement",
    ]);
  });
});

describe("a council's own procedure file", () => {
  const edited = (change: (json: typeof lambethJson) => void) => {
    const json = structuredClone(lambethJson);
    change(json);
    return parseProcedure(json, "council.json");
  };
  const problem = (change: (json: typeof lambethJson) => void) => {
    const result = edited(change);
    if (result.ok) throw new Error("expected the file to be rejected");
    return result.error;
  };

  it("is accepted as Lambeth wrote it", () => {
    expect(edited(() => {}).ok).toBe(true);
  });

  it("is rejected when a stage gives no time to respond, naming stages[0].responseDays", () => {
    const error = problem((json) => {
      json.stages[0]!.responseDays = 0;
    });
    expect(error).toMatch(/^council\.json is not a valid procedure: /);
    expect(error).toContain("stages[0].responseDays");
  });

  it("is rejected when the stages are out of order", () => {
    const error = problem((json) => {
      json.stages.reverse();
    });
    expect(error).toContain("stages[0].stage: must be 1");
  });

  it("is rejected when a stage number is missed out", () => {
    const error = problem((json) => {
      json.stages.splice(1, 1);
    });
    expect(error).toContain("stages[1].stage: must be 2");
  });

  it("is rejected when onDeadline is neither ask-iro nor escalate", () => {
    const error = problem((json) => {
      (json as { onDeadline: string }).onDeadline = "wait";
    });
    expect(error).toContain("onDeadline");
  });

  it("is rejected when exceptions go to a stage beyond the ladder", () => {
    const error = problem((json) => {
      json.exceptions.stage = 6;
    });
    expect(error).toContain("exceptions.stage: must be a stage of the ladder (1 to 5)");
  });

  it("is rejected when two categories share an id", () => {
    const error = problem((json) => {
      json.categories[1]!.id = json.categories[0]!.id;
    });
    expect(error).toContain('categories[1].id: "statutory-responsibilities" is used twice');
  });

  it("is rejected when a role is not written lower-case-with-hyphens", () => {
    const error = problem((json) => {
      json.notify.onRaise[0] = "Social Worker";
    });
    expect(error).toContain("notify.onRaise[0]");
  });

  it("names every problem in one message", () => {
    const error = problem((json) => {
      json.stages[0]!.responseDays = 0;
      (json as { onDeadline: string }).onDeadline = "wait";
    });
    expect(error).toContain("stages[0].responseDays");
    expect(error).toContain("onDeadline");
  });
});
