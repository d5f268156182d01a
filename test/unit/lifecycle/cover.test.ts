import { describe, expect, it } from "vitest";
import { currentStage } from "../../../shared/dispute/disputeSchema";
import type { Actor, PersonRef } from "../../../shared/dispute/people";
import { apply, ctx } from "../../fixtures/disputes";
import { TUE_2_FEB, raisedOnMonday, rejected, system } from "../../fixtures/lifecycle";
import { adele, alex, as, megan, sam } from "../../fixtures/people";

// The use case resolves whether today's cover stands; the lifecycle takes its word for it.
const covering = (person: PersonRef, holder: PersonRef): Actor => ({ kind: "person", person, capabilities: [], coverFor: holder });
const adeleCovering = (holder = megan) => covering(adele, holder);

describe("the holder's cover answers in their place", () => {
  const before = raisedOnMonday().dispute;

  it("the answer and its audit event name the cover and whom they cover for", () => {
    const { dispute, event } = apply(before, { action: "respond", response: "Allocated from Monday." }, ctx(TUE_2_FEB, adeleCovering()));
    expect(currentStage(dispute).response).toMatchObject({ by: adele, coveringFor: megan });
    expect(event).toMatchObject({ action: "respond", actor: adele, coveringFor: megan });
  });

  it("acknowledging and asking for more time are theirs too", () => {
    expect(apply(before, { action: "acknowledge" }, ctx(TUE_2_FEB, adeleCovering())).event.coveringFor).toEqual(megan);
    expect(apply(before, { action: "request-more-time", days: 3, reason: "Waiting for placements" }, ctx(TUE_2_FEB, adeleCovering())).event.coveringFor).toEqual(megan);
  });

  it("covering for someone who does not hold the stage gives no right to answer it", () => {
    expect(rejected(before, { action: "respond", response: "Not mine." }, ctx(TUE_2_FEB, adeleCovering(sam))).code).toBe("forbidden");
  });

  it("the holder answering for themselves is not recorded as covering", () => {
    const { event } = apply(before, { action: "respond", response: "Mine." }, ctx(TUE_2_FEB, covering(megan, megan)));
    expect(event.coveringFor).toBeUndefined();
  });

  it("cover gives none of the IRO's decisions", () => {
    expect(rejected(before, { action: "escalate", rationale: "No answer" }, ctx(TUE_2_FEB, adeleCovering())).code).toBe("forbidden");
  });
});

describe("the holder away past the deadline (holder-away)", () => {
  const before = raisedOnMonday().dispute;
  const told = apply(before, { action: "holder-away", stage: 1, until: "2027-03-01T08:00:00.000Z" }, system(TUE_2_FEB));

  it("records it on the stage and tells the IRO, who may escalate now", () => {
    expect(currentStage(told.dispute).holderAway).toEqual({ until: "2027-03-01T08:00:00.000Z", at: "2027-02-02T11:00:00.000Z" });
    expect(told.effects).toContainEqual(expect.objectContaining({ kind: "notify", notice: "holder-away", to: alex }));
    expect(told.dispute.state).toBe("awaiting-response");
  });

  it("once per stage; about another stage, refused", () => {
    expect(rejected(told.dispute, { action: "holder-away", stage: 1 }, system(TUE_2_FEB)).code).toBe("conflict");
    expect(rejected(before, { action: "holder-away", stage: 2 }, system(TUE_2_FEB)).code).toBe("conflict");
  });

  it("is the system's alone", () => {
    expect(rejected(before, { action: "holder-away", stage: 1 }, ctx(TUE_2_FEB, as(alex, "iro"))).code).toBe("forbidden");
  });
});
