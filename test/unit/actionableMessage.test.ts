import { describe, expect, it } from "vitest";
import { outlookOriginator, readSettings } from "../../functions/settings";
import { actionableCard, actionableCardOf, embedActionableCard } from "../../shared/cards/actionableMessage";
import { asksToAct } from "../../shared/dispute/delivery";
import { renderNotice } from "../../shared/messages/notices";
import { raised } from "../fixtures/disputes";
import { MON_1_FEB } from "../fixtures/lifecycle";
import { megan } from "../fixtures/people";

const ORIGINATOR = "c0ffee00-1234-4abc-8def-0123456789ab";
const card = { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "x" }] };

describe("the card as an Outlook Actionable Message", () => {
  it("carries the originator and keeps a version of 1.4 or later, raising an older one to 1.4", () => {
    expect(actionableCard(card, ORIGINATOR)).toMatchObject({ originator: ORIGINATOR, version: "1.5" });
    expect(actionableCard({ ...card, version: "1.2" }, ORIGINATOR).version).toBe("1.4");
    expect(actionableCard({ ...card, version: "1.10" }, ORIGINATOR).version).toBe("1.10");
  });

  it("sits in the mail's head as application/adaptivecard+json, the letter unchanged beneath, and reads back as it was", () => {
    const d = raised(MON_1_FEB).dispute;
    const mail = renderNotice({ notice: "alert", dispute: d, to: megan, role: "team-manager", labels: {} });
    const html = embedActionableCard(mail.html, actionableCard(card, ORIGINATOR));
    expect(html.indexOf('<script type="application/adaptivecard+json">')).toBeLessThan(html.indexOf("</head>"));
    expect(html.replace(/<script type="application\/adaptivecard\+json">[\s\S]*?<\/script>/, "")).toBe(mail.html);
    expect(actionableCardOf(html)).toEqual(actionableCard(card, ORIGINATOR));
    expect(actionableCardOf(mail.html)).toBeUndefined();
  });

  it("no text a person typed can close the script early", () => {
    const typed = { ...card, body: [{ type: "TextBlock", text: "</script><script>alert(1)</script> \u2028" }] };
    const html = embedActionableCard("<html><head></head><body></body></html>", typed);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(actionableCardOf(html)).toEqual(typed);
  });

  it("goes with the notices that ask someone to act: the alert, the overdue notice, the IRO's decisions; not with news", () => {
    for (const n of ["alert", "reminder", "overdue", "response-received", "deadline-passed", "hold-ended", "more-time-requested"]) expect(asksToAct(n), n).toBe(true);
    for (const n of ["raised", "stage-notice", "resolved", "withdrawn", "referral-made", "positive-feedback"]) expect(asksToAct(n), n).toBe(false);
  });

  it("the originator is the setting, a GUID; local mode has a stand-in; Azure without it sends mail without a card", () => {
    expect(outlookOriginator(readSettings({ RESOLVE_API_AUDIENCE: "api://7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d", RESOLVE_OUTLOOK_ORIGINATOR: ORIGINATOR }))).toBe(ORIGINATOR);
    expect(outlookOriginator(readSettings({ RESOLVE_API_AUDIENCE: "api://7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d" }))).toBeUndefined();
    expect(outlookOriginator(readSettings({ RESOLVE_MODE: "local" }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(() => readSettings({ RESOLVE_API_AUDIENCE: "api://7d3c1b2a-0f4e-4a5b-9c6d-8e7f6a5b4c3d", RESOLVE_OUTLOOK_ORIGINATOR: "my-provider" })).toThrow(/RESOLVE_OUTLOOK_ORIGINATOR/);
  });
});
