import { describe, expect, it } from "vitest";
import { z } from "zod";
import { alertCard } from "../../shared/cards/alertCard";
import { inputId } from "../../shared/cards/cardInputs";
import { feedbackForm } from "../../shared/cards/feedbackForm";
import { raiseForm } from "../../shared/cards/raiseForm";
import { ACTION_LABELS, FEEDBACK_LABELS, RAISE_FORM_FIELDS, RAISE_LABELS, describeBody } from "../../shared/dispute/fieldLabels";
import type { DisputeAction } from "../../shared/dispute/commands";
import { cardNodes } from "../fixtures/adaptiveCards";
import { STATES, VIEWERS } from "../fixtures/cardScenarios";
import { lambeth } from "../fixtures/disputes";

/** A card's inputs by id, with the label each shows. */
const labelsIn = (cards: unknown[]) => new Map(cards.flatMap((c) => cardNodes(c)).filter((n) => typeof n.id === "string" && typeof n.label === "string").map((n) => [n.id as string, n.label as string]));

describe("one place for the labels: refusals use the words the forms show", () => {
  it("every input of the alert card's forms is labelled as the refusals name it (a hint may follow)", () => {
    const shown = labelsIn(Object.values(STATES).flatMap((story) => VIEWERS.map((viewer) => alertCard(story().card(viewer)))));
    let checked = 0;
    for (const [action, fields] of Object.entries(ACTION_LABELS) as [DisputeAction, Record<string, string>][]) {
      for (const [field, label] of Object.entries(fields)) {
        // The reassign picker names the stage it gives away ("Give stage 2 to"): the refusal says "Give it to".
        if (action === "reassign" && field === "to") continue;
        const onCard = shown.get(inputId(action, field));
        if (onCard === undefined) continue;
        expect(onCard, `${action}.${field}`).toMatch(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("the raise form and the good-practice form likewise", () => {
    const raise = labelsIn([raiseForm({ procedure: lambeth, teams: [{ id: "demo-team", displayName: "Children in Care Team 1" }] })]);
    for (const [id, path] of Object.entries(RAISE_FORM_FIELDS)) expect(raise.get(id), id).toMatch(new RegExp(`^${RAISE_LABELS[path]}`));
    const feedback = labelsIn([feedbackForm({ teams: [{ id: "demo-team", displayName: "Children in Care Team 1" }], people: [] })]);
    for (const [id, label] of Object.entries(FEEDBACK_LABELS)) expect(feedback.get(id), id).toMatch(new RegExp(`^${label}`));
  });
});

describe("a refused body in plain English", () => {
  const Body = z.strictObject({ until: z.string().refine((s) => s === "ok", "must be a day on the calendar (year-month-day)"), days: z.number().int().min(1).max(20), note: z.string().trim().min(1).max(5), child: z.strictObject({ initials: z.string() }) });
  const labels = { until: "Agreed completion date", days: "How many more working days", note: "Note", child: "Child", "child.initials": "Child's initials" };
  const said = (body: unknown) => describeBody(Body.safeParse(body).error!, labels);
  const good = { until: "ok", days: 3, note: "n", child: { initials: "J.S." } };

  it("each problem names the field by its label, and the first field is named apart for the form", () => {
    expect(said({ ...good, until: "2027-02-30" })).toEqual({ message: "Agreed completion date: must be a day on the calendar (year-month-day).", field: "until" });
    expect(said({ ...good, days: undefined })).toEqual({ message: "How many more working days: this is needed.", field: "days" });
    expect(said({ ...good, days: 1.5 })).toEqual({ message: "How many more working days: must be a whole number.", field: "days" });
    expect(said({ ...good, days: 21 })).toEqual({ message: "How many more working days: must be at most 20.", field: "days" });
    expect(said({ ...good, note: " " })).toEqual({ message: "Note: must not be empty.", field: "note" });
    expect(said({ ...good, note: "too long" })).toEqual({ message: "Note: must be at most 5 characters.", field: "note" });
    expect(said({ ...good, child: { initials: 7 } })).toEqual({ message: "Child's initials: must be text.", field: "child.initials" });
  });

  it("an unknown field is named as it was sent, nested ones by their path; with no label, a field goes by its name in words", () => {
    expect(said({ ...good, untill: "x" })).toEqual({ message: '"untill" is not a field of this form (misspelt?); nothing was changed.' });
    expect(said({ ...good, child: { initials: "J.S.", name: "Amy" } })).toEqual({ message: '"child.name" is not a field of this form (misspelt?); nothing was changed.' });
    expect(describeBody(z.strictObject({ expectedVersion: z.number() }).safeParse({}).error!, {})).toEqual({ message: "Expected version: this is needed.", field: "expectedVersion" });
  });

  it("several problems in one message, in order", () => {
    expect(said({ until: "no", days: 0, note: "n", child: { initials: "J.S." } }).message).toBe("Agreed completion date: must be a day on the calendar (year-month-day). How many more working days: must be at least 1.");
  });
});
