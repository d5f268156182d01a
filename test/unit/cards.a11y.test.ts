import { describe, expect, it } from "vitest";
import { alertCard } from "../../shared/cards/alertCard";
import type { AdaptiveCard } from "../../shared/cards/cardContract";
import { feedbackForm } from "../../shared/cards/feedbackForm";
import { helpCard, myDisputesCard, positiveFeedbackCard, welcomeCard } from "../../shared/cards/otherCards";
import { noticeCard } from "../../shared/cards/noticeCard";
import { raiseForm } from "../../shared/cards/raiseForm";
import { spokenText } from "../../shared/cards/text";
import { currentStage } from "../../shared/dispute/disputeSchema";
import { cardNodes } from "../fixtures/adaptiveCards";
import { STATES, Story, VIEWERS, overdue } from "../fixtures/cardScenarios";
import { lambeth } from "../fixtures/disputes";
import { alex, megan } from "../fixtures/people";

/**
 * Cards for people who use a screen reader or cannot tell colours apart: every input says what
 * it is, every image says what it shows, every card announces its headline, and a coloured line
 * says its state in words.
 */

const TEAMS = [{ id: "demo-team", displayName: "Demo Team" }];
const PEOPLE = [{ displayName: "Sam Kaur", upn: "samk@example.com" }];
const row = () => {
  const d = overdue().dispute;
  return { id: d.id, version: d.version, state: d.state, stage: d.stage, childReference: d.child.reference, childInitials: d.child.initials, assignee: megan, dueAt: currentStage(d).dueAt!, team: "demo-team" };
};

/** Every card Resolve sends or shows, by name. */
const CARDS: [string, () => AdaptiveCard][] = [
  ...Object.entries(STATES).flatMap(([state, build]) => VIEWERS.map((viewer): [string, () => AdaptiveCard] => [`alert: ${state}, ${viewer}`, () => alertCard(build().card(viewer))])),
  ["alert with a banner", () => alertCard(overdue().card("decider", { banner: { text: "This card was out of date: Megan Bowen answered first.", tone: "attention" } }))],
  ["raise form", () => raiseForm({ procedure: lambeth, teams: TEAMS })],
  ["raise form after a refusal", () => raiseForm({ procedure: lambeth, teams: TEAMS, error: "Child's initials: initials only, e.g. J.S." })],
  ["feedback form", () => feedbackForm({ teams: TEAMS, people: PEOPLE })],
  ["feedback form after a refusal", () => feedbackForm({ teams: TEAMS, people: PEOPLE, error: "Worker: nobody in the directory has that address." })],
  ["welcome, IRO", () => welcomeCard({ raises: true })],
  ["welcome, manager", () => welcomeCard({ raises: false })],
  ["help", () => helpCard({ raises: true }, "hello")],
  ["my disputes", () => myDisputesCard({ waitingOnMe: [row()], raisedByMe: [] })],
  ["notice to the IRO", () => noticeCard(overdue().notice("decider", "deadline-passed"))],
  ["notice for information", () => noticeCard(overdue().notice("reader", "raised"))],
  ["good practice", () => positiveFeedbackCard({ team: "demo-team", feedback: "Thorough visits.", recordedBy: alex, banner: { text: "Recorded and sent.", tone: "good" } })],
];

const headingOf = (card: AdaptiveCard) => {
  const blocks = cardNodes(card).filter((n) => n.type === "TextBlock");
  return String((blocks.find((b) => b.style === "heading") ?? blocks[0])!.text);
};

describe("cards for screen readers", () => {
  it.each(CARDS)("%s: every input has a label, every image alt text", (_, build) => {
    const card = build();
    const inputs = cardNodes(card).filter((n) => String(n.type).startsWith("Input."));
    for (const input of inputs) expect(String(input.label ?? "").trim(), `${String(input.type)} ${String(input.id)}`).not.toBe("");
    for (const image of cardNodes(card).filter((n) => n.type === "Image")) expect(String(image.altText ?? "").trim(), String(image.url)).not.toBe("");
  });

  it.each(CARDS)("%s: speaks its headline, in words, no markdown", (_, build) => {
    const card = build();
    expect(typeof card.speak).toBe("string");
    expect(String(card.speak)).toContain(spokenText(headingOf(card)));
    expect(String(card.speak)).not.toMatch(/\\|\*\*/);
  });

  it("the alert card speaks what just happened, where the dispute stands and when it is due", () => {
    const story = overdue();
    const card = alertCard(story.card("decider", { banner: { text: "Escalated at Mon 8 Feb 2027, 12:00.", tone: "good" } }));
    expect(card.speak).toBe(
      "Escalated at Mon 8 Feb 2027, 12:00. Dispute D-1 · Stage 1 of 5 · Team Manager. Overdue: waiting for Megan Bowen to respond; Alex Wilber decides what happens next. Due Fri 5 Feb 2027, 17:00 · overdue by 1 working day.",
    );
  });

  it("a refused form speaks why", () => {
    expect(raiseForm({ procedure: lambeth, teams: TEAMS, error: "Child's initials: initials only." }).speak).toBe("Raise a dispute. Not raised: Child's initials: initials only.");
  });

  it("names in the headline are spoken as written, not with markdown escapes", () => {
    expect(spokenText("Dispute D\\-1 · **MOS\\_100** · A\\*B")).toBe("Dispute D-1 · MOS_100 · A*B");
  });
});

describe("colour is never the only carrier of state", () => {
  const STATE_WORDS = /overdue|due today|past the|passed|not |out of date|refused|exception|asked for|waiting|answered|resolved|withdrawn|hold|informal|recorded|good practice|noticed|escalated|show|hide/i;

  it.each(CARDS)("%s: each coloured line or box says its state in words", (_, build) => {
    for (const n of cardNodes(build())) {
      if (n.type === "TextBlock" && n.color && n.color !== "default" && n.color !== "accent") expect(String(n.text), String(n.color)).toMatch(STATE_WORDS);
      if (n.type === "Container" && ["good", "attention", "warning"].includes(String(n.style))) {
        const text = cardNodes(n).filter((x) => x.type === "TextBlock").map((x) => String(x.text)).join(" ");
        expect(text, String(n.style)).toMatch(STATE_WORDS);
      }
    }
  });

  it("an overdue dispute says so on the card, in the state line and the due line", () => {
    const card = alertCard(overdue().card("assignee"));
    const lines = cardNodes(card).filter((n) => n.type === "TextBlock" && n.color === "attention").map((n) => String(n.text));
    expect(lines.some((l) => l.startsWith("Overdue:"))).toBe(true);
    expect(lines.some((l) => /^Due .* · overdue/.test(l))).toBe(true);
  });

  it("a plan stage past the 20-day cap says so beside its colour", () => {
    const data = Story.raise("2027-02-01T10:00:00Z").card("assignee");
    const plan = { ...data.plan!, stages: data.plan!.stages.map((s) => ({ ...s, exceedsCap: true })) };
    const red = cardNodes(alertCard({ ...data, plan })).filter((n) => n.type === "TextBlock" && n.color === "attention" && String(n.text).startsWith("**Stage"));
    expect(red.length).toBeGreaterThan(0);
    for (const line of red) expect(String(line.text)).toMatch(/past the 20-day cap$/);
  });
});
