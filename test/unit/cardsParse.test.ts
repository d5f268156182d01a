import { describe, expect, it } from "vitest";
import { cardNodes, loadAdaptiveCards, readCard as read } from "../fixtures/adaptiveCards";
import { alertCard } from "../../shared/cards/alertCard";
import type { AdaptiveCard } from "../../shared/cards/cardContract";
import { helpCard, myDisputesCard, positiveFeedbackCard, welcomeCard } from "../../shared/cards/otherCards";
import { noticeCard } from "../../shared/cards/noticeCard";
import type { NoticeRef } from "../../shared/cards/cardContract";
import { feedbackForm } from "../../shared/cards/feedbackForm";
import { raiseForm } from "../../shared/cards/raiseForm";
import { currentStage } from "../../shared/dispute/disputeSchema";
import { planEscalation } from "../../shared/plan/planEscalation";
import { STATES, VIEWERS, open } from "../fixtures/cardScenarios";
import { calendar, lambeth } from "../fixtures/disputes";
import { alex, megan, sam } from "../fixtures/people";

/**
 * Every card read by the real Adaptive Cards library (the renderer Teams' web and desktop clients
 * are built on), in a DOM: no parse error, no warning, no validation failure, and it renders.
 */

const alertCases = Object.entries(STATES).flatMap(([state, build]) => VIEWERS.map((viewer) => ({ state, build, viewer })));

describe("every card parses cleanly in the adaptivecards library", () => {
  it.each(alertCases)("the alert card, $state, seen by the $viewer", ({ build, viewer }) => {
    const story = build();
    const r = read(alertCard(story.card(viewer, { banner: { text: "Megan Bowen answered.", tone: "good" } })));
    expect(r.events).toEqual([]);
    expect(r.failures).toEqual([]);
    expect(r.text).toContain("MOS-100234");
    expect(r.text).toContain(`Dispute ${story.dispute.id}`);
  });

  /** The notice each state is most likely to be told in. */
  const NOTICE: Record<keyof typeof STATES, NoticeRef["notice"]> = {
    open: "reminder",
    awaitingDecision: "response-received",
    onHold: "on-hold",
    resolved: "resolved",
    withdrawn: "withdrawn",
    overdue: "deadline-passed",
    informal: "raised",
    exception: "exception",
    hostile: "response-received",
    climbedAllFive: "stage-notice",
  };
  it.each(alertCases)("a notice's card, $state, seen by the $viewer, within Teams' 28 KB", ({ state, build, viewer }) => {
    const story = build();
    const json = noticeCard(story.notice(viewer, NOTICE[state as keyof typeof STATES], { banner: { text: "Resolved and closed.", tone: "good" } }));
    const r = read(json);
    expect(r.events).toEqual([]);
    expect(r.failures).toEqual([]);
    expect(r.text).toContain("MOS-100234");
    expect(Buffer.byteLength(JSON.stringify(json), "utf8")).toBeLessThan(28 * 1024);
  });

  it("the raise form, empty and after a refused submit with its plan", () => {
    const teams = [
      { id: "demo-team", displayName: "Demo Team" },
      { id: "north-team", displayName: "North" },
    ];
    const plan = planEscalation({ procedure: "lambeth", stages: lambeth.stages, capWorkingDays: 20, receivedAt: new Date("2027-02-01T10:00:00Z"), startStage: 1 }, calendar);
    for (const json of [
      raiseForm({ procedure: lambeth, teams }),
      raiseForm({ procedure: lambeth, teams, values: { childReference: "MOS-1", timescaleDays: "3", startStage: "0", reviewDate: "2027-02-10" }, error: "childInitials: must be initials only", plan }),
    ]) {
      const r = read(json);
      expect(r.events).toEqual([]);
      expect(r.failures).toEqual([]);
      expect(r.text).toContain("Raise a dispute");
    }
  });

  it("welcome, help, my disputes, positive feedback", () => {
    const d = open().dispute;
    const row = { id: d.id, version: d.version, state: d.state, stage: d.stage, childReference: d.child.reference, childInitials: d.child.initials, assignee: megan, dueAt: currentStage(d).dueAt! };
    const cards: AdaptiveCard[] = [
      welcomeCard({ raises: true }),
      welcomeCard({ raises: false }),
      helpCard({ raises: true }),
      helpCard({ raises: false }, "what is the status of **everything** <b>"),
      myDisputesCard({ waitingOnMe: [row], raisedByMe: [{ ...row, id: "D-2" }] }),
      myDisputesCard({ waitingOnMe: [], raisedByMe: [] }),
      positiveFeedbackCard({ worker: sam, team: "demo-team", childReference: "MOS-100234", feedback: "A clear, timely plan.", recordedBy: alex }),
    ];
    for (const json of cards) {
      const r = read(json);
      expect(r.events).toEqual([]);
      expect(r.failures).toEqual([]);
      expect(r.text.length).toBeGreaterThan(10);
    }
  });

  it("the reassign and good-practice pickers: a person by name, searched as you type, listed for hosts that cannot search", () => {
    const people = [{ displayName: "Sam Kaur", upn: sam.upn }, { displayName: "Megan Bowen", upn: megan.upn }];
    const decider = open().card("decider", { choosable: people });
    const pickers = [
      { card: alertCard(decider), id: "reassign.to" },
      { card: feedbackForm({ teams: [{ id: "demo-team", displayName: "Demo Team" }], people }), id: "workerUpn" },
    ];
    for (const { card, id } of pickers) {
      const r = read(card);
      expect(r.events).toEqual([]);
      expect(r.failures).toEqual([]);
      const AC = loadAdaptiveCards();
      const parsed = new AC.AdaptiveCard();
      parsed.parse(card, new AC.SerializationContext());
      const picker = cardNodes(parsed.toJSON()).find((n) => n.id === id)!;
      // What the library read back: a filtered choice of names, each sending a UPN.
      expect(picker).toMatchObject({ type: "Input.ChoiceSet", style: "filtered" });
      expect(picker.choices).toEqual([
        { title: "Sam Kaur", value: sam.upn },
        { title: "Megan Bowen", value: megan.upn },
      ]);
      // Teams' search as you type (the library reads it only in 1.6 cards; Teams reads it in any).
      expect(cardNodes(card).find((n) => n.id === id)!["choices.data"]).toEqual({ type: "Data.Query", dataset: "people" });
      expect(cardNodes(card).some((n) => n.type === "Input.Text" && /upn|\.to$/i.test(String(n.id)))).toBe(false);
    }
  });

  it("would report a card it cannot read (the check is live)", () => {
    const r = read({ type: "AdaptiveCard", version: "1.5", body: [{ type: "Bogus" }, { type: "Input.Text", id: "x" }, { type: "Input.Text", id: "x" }] });
    expect(r.events.join(" ")).toContain("UnknownElementType");
    expect(r.failures.join(" ")).toContain("DuplicateId");
  });
});
