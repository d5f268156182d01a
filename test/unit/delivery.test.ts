import { describe, expect, it } from "vitest";
import { stillStands } from "../../shared/dispute/delivery";
import type { Effect } from "../../shared/dispute/effects";
import { apply, ctx, raised, sweep } from "../fixtures/disputes";
import { iro, megan } from "../fixtures/people";

const notice = (n: Extract<Effect, { kind: "notify" }>["notice"], to = megan): Effect => ({ kind: "notify", id: "D-1:1:1", disputeId: "D-1", notice: n, to, role: "team-manager", channel: "teams" });

describe("re-checked just before sending", () => {
  it("a reminder goes while the stage awaits its answer", () => {
    expect(stillStands(notice("reminder"), raised().dispute)).toEqual({ ok: true });
  });

  it("a sweep that ran late fired the reminders with the deadline: the reminders are not sent, the overdue notice is", () => {
    // Raised Mon 21 Dec 2026, due Tue 29 Dec; the first sweep after Christmas runs on the 30th.
    const { dispute } = sweep(raised("2026-12-21T10:00:00Z").dispute, "2026-12-30T09:00:00Z");
    expect(stillStands(notice("reminder"), dispute)).toEqual({ ok: false, why: "the deadline has passed" });
    expect(stillStands(notice("overdue"), dispute)).toEqual({ ok: true });
  });

  it("a reminder for a dispute resolved a second ago is dropped; the resolved notice goes", () => {
    const { dispute } = apply(raised().dispute, { action: "resolve", outcome: "Allocated." }, ctx("2026-12-22T10:00:00Z", iro));
    expect(stillStands(notice("reminder"), dispute)).toEqual({ ok: false, why: "dispute is resolved" });
    expect(stillStands(notice("resolved"), dispute)).toEqual({ ok: true });
  });

  it("an alert to someone the dispute has moved on from is dropped", () => {
    const { dispute } = apply(raised().dispute, { action: "escalate", rationale: "Serious." }, ctx("2026-12-22T10:00:00Z", iro));
    expect(stillStands(notice("alert"), dispute)).toEqual({ ok: false, why: "the dispute moved to someone else" });
  });
});
