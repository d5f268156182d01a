import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { alertCard } from "../../shared/cards/alertCard";
import { dueLine } from "../../shared/cards/alertParts";
import { FORMS, cardCommand, inputId } from "../../shared/cards/cardInputs";
import type { DisputeAction } from "../../shared/dispute/commands";
import type { AdaptiveCard } from "../../shared/cards/cardContract";
import { helpCard, myDisputesCard, positiveFeedbackCard, welcomeCard } from "../../shared/cards/otherCards";
import { noticeCard } from "../../shared/cards/noticeCard";
import { refreshUserIds } from "../../bot/cardViews";
import { raiseForm } from "../../shared/cards/raiseForm";
import { escapeMarkdown, userText } from "../../shared/cards/text";
import { currentStage } from "../../shared/dispute/disputeSchema";
import { planEscalation } from "../../shared/plan/planEscalation";
import { STATES, Story, VIEWERS, awaitingDecision, climbedAllFive, exception, hostile, informal, onHold, open, overdue, resolved } from "../fixtures/cardScenarios";
import { cardNodes as nodes } from "../fixtures/adaptiveCards";
import { recordFigure } from "../fixtures/figures";
import { calendar, lambeth } from "../fixtures/disputes";
import { alex, megan, quinn, sam } from "../fixtures/people";

type Node = Record<string, unknown>;
const executes = (card: AdaptiveCard) => nodes(card).filter((n) => n.type === "Action.Execute");
const verbs = (card: AdaptiveCard) => executes(card).map((n) => n.verb);
/** Every string a person could read on the card. */
const visibleText = (card: AdaptiveCard) =>
  nodes(card)
    .flatMap((n) => ["text", "title", "value", "label", "placeholder"].map((k) => n[k]))
    .filter((x): x is string => typeof x === "string")
    .join("\n");
const size = (card: AdaptiveCard) => Buffer.byteLength(JSON.stringify(card), "utf8");
const md = new MarkdownIt();

const cases = Object.entries(STATES).flatMap(([state, build]) => VIEWERS.map((viewer) => ({ state, build, viewer })));

describe("the alert card, for every state and viewer", () => {
  it.each(cases)("$state, seen by the $viewer: the child by reference and initials, and the dispute's version on every action", ({ build, viewer }) => {
    const story = build();
    const d = story.dispute;
    const card = alertCard(story.card(viewer));
    const text = visibleText(card);
    expect(text).toContain("MOS-100234");
    expect(text).toContain("J.S.");
    expect(text).toContain(`Dispute ${d.id}`);
    for (const action of nodes(card, true).filter((n) => n.type === "Action.Execute")) {
      expect(action.data, `${String(action.verb)} carries the dispute and its version`).toMatchObject({ disputeId: d.id, version: d.version });
    }
    expect(card.refresh).toEqual({
      action: { type: "Action.Execute", verb: "refresh", data: { disputeId: d.id, version: d.version } },
      userIds: expect.arrayContaining([alex.id, currentStage(d).assignee.id]),
    });
    expect(card.version).toBe("1.5");
  });

  it("names the child only by reference and initials, even when the e-mail it came from named the child", () => {
    const story = Story.raise("2027-02-01T10:00:00Z", { sourceEmail: { subject: "Jamie Smith (MOS-100234): review actions", internetMessageId: "<abc@example.com>" } });
    for (const viewer of VIEWERS) {
      const json = JSON.stringify(alertCard(story.card(viewer)));
      expect(json).not.toMatch(/Jamie|Smith/);
      expect(json).toContain("J.S.");
    }
  });

  it("shows staff by name, and nobody else", () => {
    const text = visibleText(alertCard(awaitingDecision().card("reader")));
    expect(text).toContain("Megan Bowen");
    expect(text).toContain("Alex Wilber");
    // Nobody outside the staff roster is named: every "Firstname Lastname" on the card is a member of staff.
    const staff = new Set(["Megan Bowen", "Alex Wilber", "Adele Vance", "Isaiah Langer", "Patti Fernandez", "Lynne Robbins"]);
    const named = [...text.matchAll(/\b([A-Z][a-z]+ [A-Z][a-z]+)\b/g)].map((m) => m[1]!);
    const people = named.filter((n) => /^(Megan|Alex|Adele|Isaiah|Patti|Lynne|Sam|Quinn|Jamie)\b/.test(n));
    expect(people.every((n) => staff.has(n)), people.join(", ")).toBe(true);
  });

  it("escapes what people typed: markdown shows as typed, <script> is text, links are not links", () => {
    for (const viewer of VIEWERS) {
      const card = alertCard(hostile().card(viewer));
      const blocks = nodes(card).filter((n) => n.type === "TextBlock" && String(n.text).includes("Urgent"));
      expect(blocks.length).toBeGreaterThanOrEqual(3); // concerns, outcomes, the answer and its actions
      for (const b of blocks) {
        const html = md.render(String(b.text));
        expect(html).not.toMatch(/<(script|strong|em|a |h1|li|ol|ul|code|blockquote|s>|del)/);
        const shown = html.replace(/<\/?p>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
        expect(shown).toContain("**Urgent** _now_ <script>alert('x')</script> [click](https://evil.example) # heading");
        expect(shown).toContain("- item");
        expect(shown).toContain("1. first & `code` ~~gone~~ > quote");
      }
      // Markdown is rendered in TextBlocks and facts; an input's value is plain text and stays as typed.
      const markdown = nodes(card).flatMap((n) => (n.type === "TextBlock" ? [n.text] : n.type === "FactSet" ? (n.facts as Node[]).map((f) => f.value) : []));
      for (const text of markdown) expect(String(text)).not.toMatch(/(^|[^\\])</);
    }
  });

  it("the assignee can respond, acknowledge and ask for more time, and cannot resolve", () => {
    const card = alertCard(open().card("assignee"));
    expect(verbs(card)).toEqual(expect.arrayContaining(["respond", "acknowledge", "request-more-time"]));
    expect(verbs(card)).not.toContain("resolve");
    expect(verbs(card)).not.toContain("escalate");
    const respond = nodes(card).find((n) => n.type === "Action.ShowCard" && n.title === "Respond")!;
    const input = nodes(respond).find((n) => n.id === inputId("respond", "response"))!;
    expect(input).toMatchObject({ type: "Input.Text", isMultiline: true, isRequired: true });
    expect(input.errorMessage).toBeTruthy();
    expect(nodes(respond).find((n) => n.id === inputId("respond", "completionDate"))).toMatchObject({ type: "Input.Date" });
    expect(visibleText(card)).toContain("Due Tue 29 Dec 2026, 17:00 · 2 working days left");
  });

  it("an acknowledged stage offers no second acknowledgement", () => {
    const story = open().act({ action: "acknowledge" }, megan, "2026-12-23T11:00:00Z");
    expect(verbs(alertCard(story.card("assignee")))).not.toContain("acknowledge");
    expect(visibleText(alertCard(story.card("assignee")))).toContain("Acknowledged");
  });

  it("the decider can resolve, escalate and hold, and cannot respond", () => {
    for (const build of [open, awaitingDecision, overdue, informal]) {
      const card = alertCard(build().card("decider"));
      expect(verbs(card)).toEqual(expect.arrayContaining(["resolve", "escalate", "hold", "withdraw", "intend-referral", "refer", "record-child-informed", "add-note"]));
      expect(verbs(card)).not.toContain("respond");
      expect(verbs(card)).not.toContain("acknowledge");
    }
    expect(verbs(alertCard(open().card("decider")))).toContain("extend");
    expect(verbs(alertCard(onHold().card("decider")))).toContain("resume");
    expect(verbs(alertCard(awaitingDecision().card("decider")))).not.toContain("extend");
  });

  it("the reader gets no action at all, and a line saying who answers and who decides", () => {
    for (const build of Object.values(STATES)) {
      const card = alertCard(build().card("reader", { actions: ["respond", "resolve", "escalate"] }));
      expect(executes(card)).toEqual([]);
      expect(nodes(card).filter((n) => n.type === "Action.ShowCard")).toEqual([]);
    }
    expect(visibleText(alertCard(open().card("reader")))).toContain("You can see this dispute; only Megan Bowen can answer it and only Alex Wilber can decide.");
  });

  it("shows only the actions the server allows, even to the assignee and the decider", () => {
    const story = open();
    expect(verbs(alertCard(story.card("assignee", { actions: ["acknowledge"] })))).toEqual(["acknowledge"]);
    expect(verbs(alertCard(story.card("decider", { actions: [] })))).toEqual([]);
  });

  it("escalation offers only the stages above the current one, the next chosen", () => {
    const choices = (story: Story) => {
      const set = nodes(alertCard(story.card("decider"))).find((n) => n.id === inputId("escalate", "toStage"));
      return set ? { values: (set.choices as { value: string; title: string }[]).map((c) => c.value), chosen: set.value, titles: (set.choices as { title: string }[]).map((c) => c.title) } : null;
    };
    expect(choices(open())).toMatchObject({ values: ["2", "3", "4", "5"], chosen: "2" });
    expect(choices(open())!.titles[0]).toBe("Stage 2 · Service Manager (Adele Vance) · 4 working days");
    expect(choices(informal())).toMatchObject({ values: ["1", "2", "3", "4", "5"], chosen: "1" });
    const atThree = open().act({ action: "escalate", toStage: 3, rationale: "Serious safeguarding: straight to the AD." }, alex, "2026-12-23T12:00:00Z");
    expect(choices(atThree)).toMatchObject({ values: ["4", "5"], chosen: "4" });
    // At the top there is nowhere to climb: no escalate form at all.
    expect(choices(climbedAllFive())).toBeNull();
    expect(choices(exception())).toBeNull();
  });

  it("reads the state, the due date and the working days in words", () => {
    expect(visibleText(alertCard(open().card("decider")))).toContain("Dispute D-1 · Stage 1 of 5 · Team Manager");
    expect(visibleText(alertCard(open().card("decider")))).toContain("Waiting for Megan Bowen to respond");
    const late = visibleText(alertCard(overdue().card("decider")));
    expect(late).toContain("Due Fri 5 Feb 2027, 17:00 · overdue by 1 working day");
    expect(late).toContain("Overdue: waiting for Megan Bowen to respond");
    expect(visibleText(alertCard(awaitingDecision().card("decider")))).toContain("Answered by Megan Bowen: waiting for Alex Wilber (IRO) to decide");
    const held = visibleText(alertCard(onHold().card("decider")));
    expect(held).toContain("On hold until Fri 12 Feb 2027");
    expect(held).toContain("Allocate and visit within 10 working days.");
    const done = visibleText(alertCard(resolved().card("reader")));
    expect(done).toContain("Resolved by Alex Wilber on Fri 5 Feb 2027, 12:00");
    expect(done).toContain("Social worker allocated and the child visited on 4 February.");
    expect(visibleText(alertCard(informal().card("decider")))).toContain("Dispute D-1 · Informal · Team Manager");
    expect(visibleText(alertCard(exception().card("decider", { labels: { category: "c", reason: "r", exception: "Child death" } })))).toContain("Exception: Child death");
  });

  it("shows the plan if nobody answers, with the cap date, and marks the stages past the cap", () => {
    const text = visibleText(alertCard(open().card("assignee")));
    expect(text).toContain("If nobody answers");
    expect(text).toMatch(/Stage 2\*\* · Service Manager · Adele Vance · from Tue 29 Dec 2026, due /);
    expect(text).toContain("The whole formal process should end by");
    // Stage 1 moved to 19 February: the cap (1 March) falls before stage 3 is due.
    const late = Story.raise("2027-02-01T10:00:00Z").act({ action: "extend", until: "2027-02-19", reason: "Waiting for the placement panel." }, alex, "2027-02-02T10:00:00Z");
    const plan = late.card("decider").plan!;
    expect(plan.capDate).toBe("2027-03-01");
    const marked = nodes(alertCard(late.card("decider"))).filter((n) => n.type === "TextBlock" && String(n.text).includes("past the 20-day cap"));
    expect(marked.map((n) => String(n.text).slice(0, 11))).toEqual(plan.stages.filter((s) => s.exceedsCap).map((s) => `**Stage ${s.stage}**`));
    expect(marked.every((n) => n.color === "attention")).toBe(true);
  });

  it("carries every earlier stage to the new recipient: recipient, dates, answer, decision and rationale, collapsed", () => {
    const story = climbedAllFive();
    const card = alertCard(story.card("assignee"));
    const history = nodes(card).find((n) => n.id === "history")!;
    expect(history.isVisible).toBe(false);
    const toggle = nodes(card).find((n) => n.id === "history-toggle")!;
    expect(toggle.selectAction).toMatchObject({ type: "Action.ToggleVisibility", targetElements: ["history", "history-show", "history-hide"] });
    const text = visibleText(history);
    for (const [stage, name] of [[1, "Megan Bowen"], [2, "Adele Vance"], [3, "Isaiah Langer"], [4, "Patti Fernandez"]] as const) {
      expect(text).toContain(`Stage ${stage} · `);
      expect(text).toContain(name);
      expect(text).toContain(`Escalated from stage ${stage} because`);
    }
    expect(text).toContain("Stage 3 · Assistant Director (resumed)");
    expect(text).toContain("**Put on hold** Mon 8 Feb 2027, 15:00. Hold sentence 1");
    expect(text).toContain("**Escalated** Wed 3 Feb 2027, 09:00. Escalated from stage 1 because");
    expect(text).toMatch(/received Mon 1 Feb 2027, 10:00 · due Tue 9 Feb 2027, 17:00 · answered Tue 2 Feb 2027, 11:00/);
    expect(text).toContain("Megan's answer: sentence 1");
    expect(text).toContain("…");
    expect(text).toContain("full record in the tab");
    expect(text).toContain("referred the dispute to CAFCASS");
    // The last rationale is on the card itself, not only in the history.
    expect(visibleText(card)).toContain("Escalated here from stage 4 on Thu 18 Feb 2027, 09:00");
    expect(visibleText(card)).toContain("Child told");
    expect(visibleText(card)).toContain("**CAFCASS**: referred Fri 19 Feb 2027, 10:00 (told first: Lynne Robbins)");
  });

  it("stays within Teams' 28 KB for the longest history, for every viewer", () => {
    const story = climbedAllFive();
    const sizes = VIEWERS.map((viewer) => [viewer, size(alertCard(story.card(viewer, { banner: { text: "Lynne Robbins answered at Mon 22 Feb 2027, 12:00.", tone: "good" } })))] as const);
    recordFigure("alert-card-size", "the alert card, five stages climbed, longest texts, KB by viewer", Object.fromEntries(sizes.map(([v, n]) => [v, Number((n / 1024).toFixed(1))])));
    for (const [, n] of sizes) expect(n).toBeLessThan(28 * 1024);
  });

  it("puts the banner at the top, in its tone", () => {
    const card = alertCard(open().card("decider", { banner: { text: "This card was out of date: **refreshed**", tone: "warning" } }));
    const first = (card.body as Node[])[0]!;
    expect(first).toMatchObject({ type: "Container", style: "warning" });
    expect(visibleText(first)).toContain("This card was out of date: \\*\\*refreshed\\*\\*");
  });
});

describe("reading an alert card's inputs back as a command", () => {
  it("reads the form's inputs by their card ids, drops empty ones, turns numbers and toggles back", () => {
    expect(cardCommand("respond", { disputeId: "D-1", version: 3, "respond.response": " Done. ", "respond.actionsAgreed": "", "respond.completionDate": "2027-02-12" })).toEqual({
      action: "respond",
      expectedVersion: 3,
      response: "Done.",
      completionDate: "2027-02-12",
    });
    expect(cardCommand("escalate", { disputeId: "D-1", version: 2, "escalate.toStage": "3", "escalate.rationale": "Drift.", "escalate.timescaleDays": "" })).toEqual({
      action: "escalate",
      expectedVersion: 2,
      toStage: 3,
      rationale: "Drift.",
    });
    expect(cardCommand("record-child-informed", { version: 4, "child-informed.informed": "true", "child-informed.advocacyOffered": "false" })).toEqual({
      action: "record-child-informed",
      expectedVersion: 4,
      informed: true,
      advocacyOffered: false,
    });
    expect(cardCommand("intend-referral", { version: 1, "refer.to": "cafcass", "refer.reasons": "Drift." })).toMatchObject({ to: "cafcass", reasons: "Drift." });
    expect(cardCommand("request-more-time", { version: 1, days: 3, reason: "Plain JSON works too." })).toEqual({ action: "request-more-time", expectedVersion: 1, days: 3, reason: "Plain JSON works too." });
  });

  it("the child's voice on the escalate and resolve forms becomes the command's childVoice; left unanswered, none is recorded", () => {
    const voice = { "resolve.childVoice.told": "true", "resolve.childVoice.wishesAndFeelings": " Wants to stay at school. ", "resolve.childVoice.advocacyOffered": "false", "resolve.childVoice.routesExplained": "true" };
    expect(cardCommand("resolve", { version: 5, "resolve.outcome": "Allocated.", ...voice })).toEqual({
      action: "resolve",
      expectedVersion: 5,
      outcome: "Allocated.",
      childVoice: { told: true, wishesAndFeelings: "Wants to stay at school.", advocacyOffered: false, routesExplained: true },
    });
    expect(cardCommand("escalate", { version: 2, "escalate.rationale": "Drift.", "escalate.childVoice.told": "false", "escalate.childVoice.wishesAndFeelings": "", "escalate.childVoice.advocacyOffered": "false", "escalate.childVoice.routesExplained": "false" })).toEqual({
      action: "escalate",
      expectedVersion: 2,
      rationale: "Drift.",
      childVoice: { told: false, advocacyOffered: false, routesExplained: false },
    });
    expect(cardCommand("escalate", { version: 2, "escalate.rationale": "Drift." })).not.toHaveProperty("childVoice");
    // Plain JSON, as the API takes it.
    const childVoice = { told: true, advocacyOffered: true, routesExplained: false };
    expect(cardCommand("resolve", { version: 5, outcome: "Allocated.", childVoice })).toEqual({ action: "resolve", expectedVersion: 5, outcome: "Allocated.", childVoice });
  });

  it("the escalate and resolve forms ask the child's voice plainly, each question yes or no", () => {
    const card = alertCard(awaitingDecision().card("decider"));
    for (const action of ["escalate", "resolve"] as const) {
      const inputs = nodes(card).filter((n) => typeof n.id === "string" && n.id.startsWith(`${action}.childVoice.`));
      expect(inputs.map((n) => n.label)).toEqual([
        action === "resolve" ? "Has the child been told of the outcome?" : "Has the child been told of this step?",
        "The child's wishes and feelings (optional)",
        "Was the child offered an advocate?",
        "Were the ways to complain or get legal advice explained to the child?",
      ]);
      for (const yesNo of inputs.filter((n) => n.type === "Input.ChoiceSet")) {
        expect(yesNo.choices).toEqual([{ title: "Yes", value: "true" }, { title: "No", value: "false" }]);
        expect(yesNo.value).toBeUndefined();
      }
    }
  });

  const KNOWN_INPUTS = Object.entries(FORMS).flatMap(([action, f]) => f.fields.map((field) => inputId(action as DisputeAction, field)));
  it("every input on every alert card is one the command reader knows, and no id is used twice", () => {
    for (const build of Object.values(STATES)) {
      for (const viewer of VIEWERS) {
        const card = alertCard(build().card(viewer));
        const ids = nodes(card).filter((n) => String(n.type).startsWith("Input.")).map((n) => String(n.id));
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(KNOWN_INPUTS).toContain(id);
      }
    }
  });
});

describe("text on cards", () => {
  it("escapes markdown so it shows as typed", () => {
    expect(escapeMarkdown("**bold** _i_ [a](b) <x> & `c`")).toBe("\\*\\*bold\\*\\* \\_i\\_ \\[a\\](b) \\<x> \\& \\`c\\`");
    expect(escapeMarkdown("- item\n+ item\n1. one\n# h\n> q\n===")).toBe("\\- item\n\\+ item\n1\\. one\n\\# h\n\\> q\n\\===");
    expect(escapeMarkdown("J.S. is 12 - not 13.")).toBe("J.S. is 12 - not 13.");
  });

  it("keeps the lines a person typed as paragraphs, and clips long text with …", () => {
    expect(userText("one\ntwo\n\n\nthree")).toBe("one\n\ntwo\n\nthree");
    expect(userText("a ".repeat(400), 100)).toMatch(/…$/);
    expect(userText("a ".repeat(400), 100).length).toBeLessThanOrEqual(100);
  });

  it("says how long is left in working days", () => {
    expect(dueLine("2026-12-29T17:00:00.000Z", 2).text).toBe("Due Tue 29 Dec 2026, 17:00 · 2 working days left");
    expect(dueLine("2026-12-29T17:00:00.000Z", 1).text).toBe("Due Tue 29 Dec 2026, 17:00 · 1 working day left");
    expect(dueLine("2026-12-29T17:00:00.000Z", 0).text).toBe("Due Tue 29 Dec 2026, 17:00 · due today");
    expect(dueLine("2026-12-29T17:00:00.000Z", -1)).toEqual({ text: "Due Tue 29 Dec 2026, 17:00 · overdue by 1 working day", color: "attention" });
  });
});

describe("the raise form", () => {
  const teams = [{ id: "demo-team", displayName: "Demo Team" }];

  it("asks for the child by reference and initials, the category and reason in one list, and where to start", () => {
    const card = raiseForm({ procedure: lambeth, teams });
    const byId = (id: string) => nodes(card).find((n) => n.id === id)!;
    expect(byId("childReference")).toMatchObject({ type: "Input.Text", isRequired: true, regex: expect.any(String) });
    expect(new RegExp(String(byId("childReference").regex)).test("MOS-100234")).toBe(true);
    expect(new RegExp(String(byId("childInitials").regex)).test("J.S.")).toBe(true);
    expect(new RegExp(String(byId("childInitials").regex)).test("Jamie")).toBe(false);
    expect((byId("legalStatus").choices as { value: string }[]).map((c) => c.value)).toEqual(["looked-after", "child-protection", "child-in-need", "care-leaver"]);
    expect(byId("team")).toMatchObject({ value: "demo-team" });
    const reasons = byId("categoryReason").choices as { title: string; value: string }[];
    expect(reasons).toContainEqual({ title: "Failure to meet LA statutory responsibilities — No allocated social worker", value: "statutory-responsibilities/no-allocated-social-worker" });
    expect(reasons.length).toBe(lambeth.categories.reduce((n, c) => n + c.reasons.length, 0));
    const stages = (byId("startStage").choices as { title: string; value: string }[]).map((c) => c.title);
    expect(stages[0]).toBe("Informal · Team Manager · 5 working days");
    expect(stages[1]).toBe("Stage 1 · Team Manager · 4 working days");
    expect(byId("startStage").value).toBe("1");
    expect(byId("concerns")).toMatchObject({ isMultiline: true, isRequired: true });
    expect(byId("outcomesSought")).toMatchObject({ isMultiline: true, isRequired: true });
    expect(byId("timescaleDays")).toMatchObject({ type: "Input.Number", min: 1, max: 20 });
    expect(byId("reviewDate")).toMatchObject({ type: "Input.Date" });
    expect((card.actions as Node[]).map((a) => [a.verb, a.title, a.associatedInputs])).toEqual([
      ["raise-preview", "Preview the plan", "auto"],
      ["raise", "Raise the dispute", "auto"],
    ]);
  });

  it("puts back what was typed, says why it was refused, and shows the plan", () => {
    const plan = planEscalation({ procedure: "lambeth", stages: lambeth.stages, capWorkingDays: 10, receivedAt: new Date("2027-02-01T10:00:00Z"), startStage: 2 }, calendar);
    const card = raiseForm({
      procedure: { ...lambeth, capWorkingDays: 10 },
      teams,
      values: { childReference: "MOS-1", childInitials: "J.S.", concerns: "**x**", startStage: "2", timescaleDays: "3", categoryReason: "drift-in-care-planning/no-care-plan" },
      error: "childInitials: must be initials only, e.g. J.S.",
      plan,
    });
    const byId = (id: string) => nodes(card).find((n) => n.id === id)!;
    expect(byId("childReference").value).toBe("MOS-1");
    expect(byId("concerns").value).toBe("**x**"); // an input's value is not markdown
    expect(byId("startStage").value).toBe("2");
    expect(byId("timescaleDays").value).toBe(3);
    expect(byId("categoryReason").value).toBe("drift-in-care-planning/no-care-plan");
    const text = visibleText(card);
    expect(text).toContain("childInitials: must be initials only, e.g. J.S.");
    expect(text).toContain("The plan if nobody answers");
    expect(text).toMatch(/\*\*Stage 2\*\* · Service Manager · from Mon 1 Feb 2027, due Fri 5 Feb 2027/);
    expect(text).toContain("past the 10-day cap");
    expect(text).not.toContain("**Stage 1**");
  });
});

describe("the other cards", () => {
  it("welcome: what Resolve does, the commands, and a button to raise", () => {
    const card = welcomeCard({ raises: true });
    const text = visibleText(card);
    for (const command of ["raise", "my disputes", "status D-…", "help"]) expect(text).toContain(command);
    expect(verbs(card)).toEqual(["open-raise-form"]);
  });

  it("welcome and help for a manager: how to answer, and no offer to raise or record feedback", () => {
    for (const card of [welcomeCard({ raises: false }), helpCard({ raises: false })]) {
      const text = visibleText(card);
      expect(verbs(card)).toEqual([]);
      expect(text).not.toMatch(/\braise\b.*open the form|feedback/);
      for (const command of ["my disputes", "status D-…", "help"]) expect(text).toContain(command);
    }
    expect(visibleText(welcomeCard({ raises: false }))).toContain("Answer on the card by the deadline it shows");
  });

  it("help: says the text was not a command, quoting at most 40 characters of it, escaped", () => {
    const card = helpCard({ raises: true }, `**${"very long words ".repeat(10)}** <script>`);
    const line = nodes(card).find((n) => n.type === "TextBlock" && String(n.text).includes("is not something"))!;
    const quoted = /“(.*)”/.exec(String(line.text))![1]!;
    expect(quoted.replace(/\\/g, "").length).toBeLessThanOrEqual(40);
    expect(quoted.startsWith("\\*\\*very")).toBe(true);
    expect(JSON.stringify(card)).not.toMatch(/[^\\]<script>/);
    expect(visibleText(helpCard({ raises: true }))).not.toContain("is not something");
  });

  it("my disputes: a row per dispute with its reference, initials, stage and due date, each opening its card", () => {
    const d = open().dispute;
    const row = { id: d.id, version: d.version, state: d.state, stage: d.stage, childReference: d.child.reference, childInitials: d.child.initials, assignee: megan, dueAt: currentStage(d).dueAt!, team: "demo-team" };
    const card = myDisputesCard({ waitingOnMe: [row], raisedByMe: [{ ...row, id: "D-2", state: "awaiting-decision", stage: 2, dueAt: null }] });
    const text = visibleText(card);
    expect(text).toContain("**D-1** · MOS-100234 · J.S.");
    expect(text).toContain("Stage 1 · with Megan Bowen · due Tue 29 Dec 2026, 17:00");
    expect(text).toContain("Stage 2 · answered by Megan Bowen, waiting for the IRO's decision");
    expect(executes(card).map((a) => [a.verb, a.data])).toEqual([
      ["open", { disputeId: "D-1", version: d.version }],
      ["open", { disputeId: "D-2", version: d.version }],
    ]);
    expect(visibleText(myDisputesCard({ waitingOnMe: [], raisedByMe: [] }))).toContain("Nothing is waiting on you.");
  });

  it("positive feedback: for whom, from whom, and what was seen, escaped", () => {
    const card = positiveFeedbackCard({ worker: sam, team: "demo-team", teamName: "Demo Team", childReference: "MOS-100234", feedback: "Thorough _visits_ and a clear plan.", recordedBy: alex });
    const text = visibleText(card);
    expect(text).toContain("Sam Social-Worker, Demo Team");
    expect(text).toContain("Alex Wilber (IRO)");
    expect(text).toContain("Thorough \\_visits\\_ and a clear plan.");
    expect(visibleText(positiveFeedbackCard({ team: "demo-team", feedback: "Good.", recordedBy: quinn }))).toContain("the team: demo-team");
  });
});

describe("a notice's card", () => {
  it("to the IRO when the manager answered: a headline to them, the facts one a line, and their decisions on it, not an Open button", () => {
    const story = awaitingDecision();
    const card = noticeCard(story.notice("decider", "response-received"));
    const body = card.body as Node[];
    const head = (body[0]!.items as Node[]).map((n) => n.text);
    expect(head[0]).toMatch(/^Megan Bowen answered stage 1 \(Team Manager\) of dispute D-1 on .*2 Feb 2027, 11:00\.$/);
    expect(head).toContain("Dispute D-1 · Stage 1 of 5 · Team Manager");
    expect(head).toContain("Answered by Megan Bowen: waiting for Alex Wilber (IRO) to decide");
    // The alert's facts: labels in bold (a FactSet's titles), one fact a line.
    const facts = nodes(card).find((n) => n.type === "FactSet")!.facts as { title: string; value: string }[];
    expect(facts.map((f) => f.title)).toEqual(["Child", "Legal status", "Team", "Category", "Reason", "Raised", "Held by", "Child told"]);
    expect(visibleText(card)).toContain("A social worker is allocated from Monday.");
    // The main action first and emphasised, then More…; every action says which notice it came from.
    const rows = nodes(card).filter((n) => n.type === "ActionSet") as Node[];
    expect((rows[0]!.actions as Node[]).map((a) => [a.title, a.style])).toEqual([["Resolve", "positive"], ["More…", undefined]]);
    expect(visibleText(card)).not.toContain("Open D-1");
    for (const a of executes(card)) expect(a.data).toEqual({ disputeId: "D-1", version: story.dispute.version, notice: "response-received" });
    // The same actions the alert offers this reader, from the same server rules.
    const alertVerbs = new Set(verbs(alertCard(story.card("decider"))));
    expect(new Set(verbs(card))).toEqual(alertVerbs);
    expect(card.refresh).toEqual({
      action: { type: "Action.Execute", verb: "refresh", data: { disputeId: "D-1", version: story.dispute.version, notice: "response-received" } },
      userIds: [alex.id],
    });
  });

  it("to someone who may do nothing on the dispute: the notice and the facts, and no button", () => {
    const card = noticeCard(open().notice("reader", "raised", { from: { notice: "raised", role: "service-manager" } }));
    expect(visibleText(card)).toContain("Alex Wilber, the IRO, raised dispute D-1 about a child your service works with.");
    expect(nodes(card).filter((n) => typeof n.type === "string" && n.type.startsWith("Action.") && n !== (card.refresh as Node).action)).toEqual([]);
    expect(nodes(card).filter((n) => n.type === "ActionSet")).toEqual([]);
    expect((card.refresh as { action: { data: unknown } }).action.data).toMatchObject({ notice: "raised", role: "service-manager" });
  });

  it("what people typed is escaped, and the longest notice stays within Teams' 28 KB", () => {
    const story = Story.raise("2027-02-01T10:00:00Z").act({ action: "respond", response: `**Urgent** ${"x".repeat(3980)}`, actionsAgreed: "y".repeat(4000) }, megan, "2027-02-02T11:00:00Z");
    const card = noticeCard(story.notice("decider", "response-received"));
    expect(visibleText(card)).toContain("\\*\\*Urgent\\*\\*");
    expect(visibleText(card)).toContain("Shortened here");
    expect(size(card)).toBeLessThan(28 * 1024);
  });
});

describe("who a card refreshes for", () => {
  it("the alert: its IRO and every holder, a joint holder too; a notice: its reader alone", () => {
    const story = awaitingDecision();
    const d = story.dispute;
    const joint = { ...d, stages: d.stages.map((s, i) => (i === d.stages.length - 1 ? { ...s, jointAssignees: [sam] } : s)) };
    expect(refreshUserIds({ dispute: joint, history: [], plan: null, actions: [] }).sort()).toEqual([alex.id, megan.id, sam.id].sort());
    expect(noticeCard(story.notice("decider", "response-received")).refresh).toMatchObject({ userIds: [alex.id] });
  });
});
