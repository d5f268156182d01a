import { describe, expect, it } from "vitest";
import { apply, ctx, raised, sweep } from "../fixtures/disputes";
import { adele, as, iro, megan } from "../fixtures/people";
import { currentStage } from "../../shared/dispute/disputeSchema";

describe("Lambeth: a dispute raised on Monday 21 December 2026", () => {
  it("is due with the team manager at 17:00 on Tuesday 29 December (Christmas and the Boxing Day substitute are not working days)", () => {
    const { dispute, effects, event } = raised("2026-12-21T10:00:00Z");
    expect(dispute.state).toBe("awaiting-response");
    expect(dispute.stage).toBe(1);
    expect(currentStage(dispute).assignee).toEqual(megan);
    expect(dispute.stages[0]!.dueAt).toBe("2026-12-29T17:00:00.000Z");
    expect(dispute.capDueAt).toBe("2027-01-21T17:00:00.000Z");
    expect(event.action).toBe("raise");
    expect(effects.filter((e) => e.kind === "notify").map((e) => [e.notice, e.to.upn])).toEqual([
      ["alert", "meganb@example.com"],
      ["raised", "sams@example.com"],
      ["raised", "adelev@example.com"],
    ]);
  });

  it("nobody answers: the IRO is reminded on the 24th and told on the 29th, escalates, the service manager answers, the IRO resolves", () => {
    let d = raised("2026-12-21T10:00:00Z").dispute;
    const swept = sweep(d, "2026-12-29T17:05:00Z");
    expect(swept.decisions.map((x) => [x.event.action, x.event.at])).toEqual([
      ["reminder-due", "2026-12-24T09:00:00.000Z"],
      ["reminder-due", "2026-12-29T09:00:00.000Z"],
      ["deadline-passed", "2026-12-29T17:00:00.000Z"],
    ]);
    d = swept.dispute;
    expect(currentStage(d).overdueSince).toBeDefined();
    d = apply(d, { action: "escalate", rationale: "No response from the team manager." }, ctx("2026-12-30T09:00:00Z", iro)).dispute;
    expect(d.stage).toBe(2);
    expect(currentStage(d).assignee).toEqual(adele);
    expect(currentStage(d).dueAt).toBe("2027-01-06T17:00:00.000Z");
    d = apply(d, { action: "respond", response: "Allocated to a social worker today.", completionDate: "2027-01-08" }, ctx("2027-01-04T11:00:00Z", as(adele))).dispute;
    expect(d.state).toBe("awaiting-decision");
    const done = apply(d, { action: "resolve", outcome: "Social worker allocated and visit booked." }, ctx("2027-01-05T10:00:00Z", iro));
    expect(done.dispute.state).toBe("resolved");
    expect(done.dispute.timers).toEqual([]);
    expect(done.dispute.version).toBe(7);
  });
});
