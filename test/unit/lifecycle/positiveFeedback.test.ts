import { describe, expect, it } from "vitest";
import { type PositiveFeedbackDetails, recordPositiveFeedback } from "../../../shared/feedback/positiveFeedback";
import type { Procedure } from "../../../shared/procedure/procedureSchema";
import { lambeth } from "../../fixtures/disputes";
import { blackburn, cumberland } from "../../fixtures/lifecycle";
import { adele, alex, as, demoRoster, iro, megan, qa, sam } from "../../fixtures/people";
import { SYSTEM, type Actor, type Roster } from "../../../shared/dispute/people";

const NOW = "2027-02-01T10:00:00Z";
const adQa = demoRoster["ad-quality-assurance"]!;

const record = (details: PositiveFeedbackDetails, opts: { actor?: Actor; procedure?: Procedure; roster?: Roster; teamName?: string } = {}) =>
  recordPositiveFeedback(
    { id: "PF-1", tenantId: "t-demo", details, ...(opts.teamName ? { teamName: opts.teamName } : {}) },
    { actor: opts.actor ?? iro, now: new Date(NOW), procedure: opts.procedure ?? lambeth, roster: opts.roster ?? demoRoster, source: "teams" },
  );

const good: PositiveFeedbackDetails = {
  worker: sam,
  team: "demo-team",
  childReference: "MOS-100234",
  feedback: "Sam's direct work with J.S. before the review was outstanding: the child's views were clear in every report.",
};

describe("Lambeth 6: good practice is recorded and goes to the team manager and the AD of QA", () => {
  const r = record(good);

  it("is recorded with who, when, for whom, and where it was sent", () => {
    expect(r).toEqual({
      ok: true,
      value: {
        feedback: {
          id: "PF-1",
          tenantId: "t-demo",
          recordedBy: alex,
          recordedAt: "2027-02-01T10:00:00.000Z",
          source: "teams",
          worker: sam,
          team: "demo-team",
          childReference: "MOS-100234",
          feedback: good.feedback,
          sentTo: [
            { role: "team-manager", person: megan },
            { role: "ad-quality-assurance", person: adQa },
          ],
        },
        event: {
          id: "PF-1:1",
          feedbackId: "PF-1",
          tenantId: "t-demo",
          version: 1,
          action: "record-positive-feedback",
          at: "2027-02-01T10:00:00.000Z",
          actor: alex,
          source: "teams",
          detail: {
            team: "demo-team",
            worker: sam,
            childReference: "MOS-100234",
            sentTo: [
              { role: "team-manager", person: megan },
              { role: "ad-quality-assurance", person: adQa },
            ],
          },
        },
        // A card in Teams and a mail to each: the card is not mailed again when Teams cannot reach them.
        effects: [
          { kind: "notify", id: "PF-1:1:1", disputeId: "PF-1", notice: "positive-feedback", to: megan, role: "team-manager", channel: "teams", mailFallback: false },
          { kind: "notify", id: "PF-1:1:2", disputeId: "PF-1", notice: "positive-feedback", to: megan, role: "team-manager", channel: "mail" },
          { kind: "notify", id: "PF-1:1:3", disputeId: "PF-1", notice: "positive-feedback", to: adQa, role: "ad-quality-assurance", channel: "teams", mailFallback: false },
          { kind: "notify", id: "PF-1:1:4", disputeId: "PF-1", notice: "positive-feedback", to: adQa, role: "ad-quality-assurance", channel: "mail" },
          // The worker praised is told too.
          { kind: "notify", id: "PF-1:1:5", disputeId: "PF-1", notice: "positive-feedback", to: sam, role: null, channel: "teams", mailFallback: false },
          { kind: "notify", id: "PF-1:1:6", disputeId: "PF-1", notice: "positive-feedback", to: sam, role: null, channel: "mail" },
        ],
      },
    });
  });

  it("the team's name, where the directory gives it, is kept on the record", () => {
    const named = recordPositiveFeedback(
      { id: "PF-2", tenantId: "t-demo", details: good, teamName: "Children in Care Team 1" },
      { actor: iro, now: new Date(NOW), procedure: lambeth, roster: demoRoster, source: "tab" },
    );
    if (!named.ok) throw new Error(named.error.message);
    expect(named.value.feedback.teamName).toBe("Children in Care Team 1");
    expect(named.value.event.source).toBe("tab");
  });

  it("a team's good practice, with no worker or child named", () => {
    const team = record({ team: "demo-team", feedback: "The team turned the plan round in a week." });
    if (!team.ok) throw new Error(team.error.message);
    expect(team.value.feedback).not.toHaveProperty("worker");
    expect(team.value.feedback).not.toHaveProperty("childReference");
    expect(team.value.feedback.sentTo).toHaveLength(2);
  });

  it("one person holding both roles is sent it once", () => {
    const r2 = record(good, { roster: { ...demoRoster, "ad-quality-assurance": megan } });
    if (!r2.ok) throw new Error(r2.error.message);
    expect(r2.value.feedback.sentTo).toEqual([{ role: "team-manager", person: megan }]);
    expect(r2.value.effects.map((e) => [e.to.id, e.channel])).toEqual([
      [megan.id, "teams"],
      [megan.id, "mail"],
      [sam.id, "teams"],
      [sam.id, "mail"],
    ]);
  });

  it("a worker who is also a manager it goes to is sent it once; a team's good practice tells the managers alone", () => {
    const self = record(good, { roster: { ...demoRoster, "team-manager": sam } });
    if (!self.ok) throw new Error(self.error.message);
    expect(self.value.effects.map((e) => [e.to.id, e.role])).toEqual([
      [sam.id, "team-manager"],
      [sam.id, "team-manager"],
      [adQa.id, "ad-quality-assurance"],
      [adQa.id, "ad-quality-assurance"],
    ]);
    const { worker: _none, ...team } = good;
    const forTeam = record(team);
    if (!forTeam.ok) throw new Error(forTeam.error.message);
    expect(forTeam.value.effects.map((e) => e.to.id)).not.toContain(sam.id);
  });

  it("with only one of the two roles held, it goes to that one", () => {
    const { "team-manager": _tm, ...roster } = demoRoster;
    const r3 = record(good, { roster });
    if (!r3.ok) throw new Error(r3.error.message);
    expect(r3.value.feedback.sentTo).toEqual([{ role: "ad-quality-assurance", person: adQa }]);
  });
});

describe("Blackburn with Darwen 15: the Positive Feedback Template goes to the area team manager", () => {
  it("one recipient", () => {
    const r = record(good, { procedure: blackburn });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.feedback.sentTo).toEqual([{ role: "area-team-manager", person: megan }]);
  });
});

describe("Positive feedback that is refused", () => {
  it("recorded by a team manager: only an IRO or CP chair records it", () => {
    expect(record(good, { actor: as(adele) })).toEqual({ ok: false, error: { code: "forbidden", message: "Only an IRO or CP chair records positive feedback." } });
  });

  it("recorded by QA, or by the timers", () => {
    expect(record(good, { actor: qa })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(record(good, { actor: SYSTEM })).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it("empty feedback", () => {
    expect(record({ ...good, feedback: "  " })).toEqual({ ok: false, error: { code: "invalid", message: "What you saw: must not be empty.", field: "feedback" } });
  });

  it("feedback over 4000 characters", () => {
    expect(record({ ...good, feedback: "x".repeat(4001) })).toEqual({ ok: false, error: { code: "invalid", message: "What you saw: must be at most 4000 characters.", field: "feedback" } });
  });

  it("a team that is not an id", () => {
    const r = record({ ...good, team: "Demo Team" });
    expect(r).toMatchObject({ ok: false, error: { code: "invalid", message: expect.stringMatching(/^Team: must be a team id/), field: "team" } });
  });

  it("a child named instead of referenced", () => {
    const r = record({ ...good, childReference: "John Smith" });
    expect(r).toMatchObject({ ok: false, error: { code: "invalid", message: expect.stringMatching(/^Case reference: must be a case reference/), field: "childReference" } });
  });

  it("nobody holds a role to receive it: says which roles and team", () => {
    const { "team-manager": _tm, "ad-quality-assurance": _qa, ...roster } = demoRoster;
    expect(record(good, { roster, teamName: "Children in Care Team 1" })).toEqual({
      ok: false,
      error: { code: "invalid", message: "Nobody holds the Team Manager or the AD for Quality Assurance role for Children in Care Team 1 to receive the feedback." },
    });
  });

  it("Cumberland's procedure names nobody to receive it: says so, rather than naming no role", () => {
    expect(record(good, { procedure: cumberland })).toEqual({
      ok: false,
      error: { code: "invalid", message: "Cumberland Council's procedure names nobody to receive positive feedback." },
    });
  });

  it("the details given are left as they were", () => {
    const details = structuredClone(good);
    record({ ...details, feedback: "" });
    record(details);
    expect(details).toStrictEqual(good);
  });
});
