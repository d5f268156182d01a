import { describe, expect, it } from "vitest";
import { toRaiseBody } from "../../addin/raiseDraft";
import { alertCard } from "../../shared/cards/alertCard";
import { cardCommand } from "../../shared/cards/cardInputs";
import { raiseForm } from "../../shared/cards/raiseForm";
import { CommandSchema } from "../../shared/dispute/commands";
import { lambeth } from "../fixtures/disputes";
import { Story } from "../fixtures/cardScenarios";
import { filledRaiseForm } from "../fixtures/raiseForm";

const GUARDIAN = { name: "Priya Shah", email: "priya.shah@cafcass.example" };
const nodes = (x: unknown): Record<string, unknown>[] => {
  const found: Record<string, unknown>[] = [];
  JSON.stringify(x, (_, v) => {
    if (v && typeof v === "object" && typeof v.type === "string") found.push(v);
    return v;
  });
  return found;
};

describe("the task pane's raise form: the child's Guardian and solicitor", () => {
  const filled = filledRaiseForm();

  it("left empty, the body has no contacts; filled in, the API's body carries them with the proceedings flag", () => {
    const none = toRaiseBody(filled);
    expect(none.ok && none.body).not.toHaveProperty("childContacts");
    const named = toRaiseBody({ ...filled, guardianName: GUARDIAN.name, guardianEmail: GUARDIAN.email, inProceedings: "true" });
    expect(named.ok && named.body.childContacts).toEqual({ guardian: GUARDIAN, inProceedings: true });
  });

  it("half a contact, or an address that is not one, is named by its field, in words", () => {
    const half = toRaiseBody({ ...filled, guardianName: GUARDIAN.name });
    expect(!half.ok && half.errors).toEqual([{ field: "guardianEmail", message: "Give the Children's Guardian's email address as well as their name." }]);
    const bad = toRaiseBody({ ...filled, solicitorName: "Tom Reed", solicitorEmail: "tom at reed" });
    expect(!bad.ok && bad.errors).toEqual([{ field: "solicitorEmail", message: "Child's solicitor: email address: write it as name@example.org." }]);
  });
});

describe("the bot's raise form and the alert card", () => {
  it("the raise form asks for both contacts and the flag, each input labelled", () => {
    const inputs = nodes(raiseForm({ procedure: lambeth, teams: [{ id: "demo-team", displayName: "Demo Team" }] })).filter((n) => String(n.type).startsWith("Input."));
    const byId = Object.fromEntries(inputs.map((n) => [n.id, n.label]));
    expect(byId).toMatchObject({
      guardianName: "Children's Guardian: name",
      guardianEmail: "Children's Guardian: email address",
      solicitorName: "Child's solicitor: name",
      solicitorEmail: "Child's solicitor: email address",
      inProceedings: "The child is in court proceedings",
    });
  });

  it("the IRO's card has a form for them that never shows the names; its inputs read back as the command", () => {
    const story = Story.raise("2027-02-01T10:00:00Z", { childContacts: { guardian: GUARDIAN, inProceedings: false } });
    const card = alertCard(story.card("decider"));
    expect(JSON.stringify(card)).not.toContain(GUARDIAN.name);
    expect(JSON.stringify(card)).toContain("the Children's Guardian is named");
    expect(nodes(card).some((n) => n.type === "Action.Execute" && n.verb === "set-child-contacts")).toBe(true);
    expect(nodes(alertCard(story.card("assignee"))).some((n) => n.verb === "set-child-contacts")).toBe(false);
    const command = cardCommand("set-child-contacts", { disputeId: "D-1", version: 1, "contacts.solicitorName": "Tom Reed", "contacts.solicitorEmail": "t.reed@reedlaw.example", "contacts.inProceedings": "true" });
    expect(command).toEqual({ action: "set-child-contacts", expectedVersion: 1, solicitor: { name: "Tom Reed", email: "t.reed@reedlaw.example" }, inProceedings: true });
    expect(CommandSchema.safeParse(command).success).toBe(true);
  });

  it("Lambeth's card offers to record the consultation with senior management until it is recorded", () => {
    const story = Story.raise("2027-02-01T10:00:00Z");
    const verbs = () => nodes(alertCard(story.card("decider"))).filter((n) => n.type === "Action.Execute").map((n) => n.verb);
    expect(verbs()).toContain("record-consultation");
    expect(cardCommand("record-consultation", { "consult.consultation": "senior-management", "consult.on": "2027-02-01", "consult.outcome": "Agreed." })).toEqual({
      action: "record-consultation",
      consultation: "senior-management",
      on: "2027-02-01",
      outcome: "Agreed.",
    });
    story.act({ action: "record-consultation", consultation: "senior-management", on: "2027-02-01", outcome: "Agreed." }, story.person("decider"), "2027-02-01T11:00:00Z");
    expect(verbs()).not.toContain("record-consultation");
  });
});
