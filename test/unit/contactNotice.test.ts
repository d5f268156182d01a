import { describe, expect, it } from "vitest";
import type { Effect } from "../../shared/dispute/effects";
import { renderNoticeAbout } from "../../shared/messages/notices";
import { apply, ctx } from "../fixtures/disputes";
import { cumberland } from "../fixtures/lifecycle";
import { iro } from "../fixtures/people";
import { raiseCommand } from "./scenarios/walk";

const GUARDIAN = { name: "Priya Shah", email: "priya.shah@cafcass.example" };
const raised = apply(undefined, raiseCommand(cumberland, { childContacts: { guardian: GUARDIAN, inProceedings: true } }), ctx("2027-02-01T10:00:00Z", iro, cumberland));
const notify = (notice: string) => raised.effects.find((e): e is Extract<Effect, { kind: "notify" }> => e.kind === "notify" && e.notice === notice)!;

describe("mail to the child's Guardian, outside the authority", () => {
  const mail = renderNoticeAbout(raised.dispute, notify("child-contact"));

  it("carries the case reference, the initials, the dispute and the IRO to contact", () => {
    expect(mail.text).toContain("Dear Priya Shah,");
    for (const s of ["MOS-100234", "J.S.", "D-1", "Alex Wilber (alexw@example.com)", "as the child's Children's Guardian"]) expect(mail.text).toContain(s);
  });

  it("carries nothing of the concerns, the outcomes sought, the category or the ladder's people; the subject only the dispute and stage", () => {
    const d = raised.dispute;
    for (const s of [d.concerns, d.outcomesSought, d.category, "Megan Bowen", "Resolve tab"]) expect(mail.text).not.toContain(s);
    expect(mail.subject).toBe("Dispute D-1 · stage 1 · raised, for the child's Guardian");
    expect(mail.html).not.toContain(d.concerns);
  });
});

describe("the court notice and a relayed notice", () => {
  it("LA solicitors are asked to tell the court, the child being in proceedings", () => {
    const mail = renderNoticeAbout(raised.dispute, notify("court-notice"));
    expect(mail.text).toContain("Alex Wilber, the IRO, raised dispute D-1, and the child is in proceedings.");
    expect(mail.text).toContain("Please tell the court.");
  });

  it("a notice relayed down the chain says who passes it on", () => {
    const intended = apply(raised.dispute, { action: "intend-referral", to: "cafcass", reasons: "Delay." }, ctx("2027-02-02T10:00:00Z", iro, cumberland));
    const relayed = intended.effects.find((e): e is Extract<Effect, { kind: "notify" }> => e.kind === "notify" && !!e.toldBy)!;
    expect(renderNoticeAbout(intended.dispute, relayed).text).toContain("Quinn QA, IRO service manager, passes this on to you, as the procedure asks.");
  });
});
