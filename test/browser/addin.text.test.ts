/**
 * The add-in's pure parts, in Node: an e-mail turned into a first draft, the raise form checked by
 * the API's own schema with each problem named by its field, the preview raised by the real
 * lifecycle, and the sign-in settings the server writes into the pages.
 */
import { describe, expect, it } from "vitest";
import { caseReferencesIn, concernsFromBody, likelyCaseReference, sourceEmailOf } from "../../addin/emailText";
import { previewRaise, toRaiseBody } from "../../addin/raiseDraft";
import { signInConfig } from "../../functions/http/addin";
import { createWorkingCalendar } from "../../shared/calendar/workingDays";
import { builtInProcedures } from "../../shared/procedures";
import { filledRaiseForm } from "../fixtures/raiseForm";

const lambeth = builtInProcedures.lambeth!;

describe("an e-mail as a first draft", () => {
  it("takes the newest message: an Outlook reply header, 'On … wrote:' or a quote ends it", () => {
    expect(concernsFromBody("No visits since May.\r\n\r\n\r\n\r\nThanks\r\nFrom: Alex <a@x>\r\nSent: today\r\nOld text")).toBe("No visits since May.\n\nThanks");
    expect(concernsFromBody("PEP overdue.\nOn Mon, 21 Dec 2026 at 09:00, Sam wrote:\n> earlier")).toBe("PEP overdue.");
    expect(concernsFromBody("Line one\n> quoted")).toBe("Line one");
    expect(concernsFromBody("-----Original Message-----\nonly a forward")).toBe("-----Original Message-----\nonly a forward");
  });

  it("clips a long body to the 4000 characters the API accepts, at a word", () => {
    const long = concernsFromBody("word ".repeat(2000));
    expect(long.length).toBeLessThanOrEqual(4000);
    expect(long.endsWith("word…")).toBe(true);
  });

  it("finds a case reference only when the message names exactly one", () => {
    expect(caseReferencesIn("MOS-100234 and LCS/55012, again MOS-100234")).toEqual(["MOS-100234", "LCS/55012"]);
    expect(likelyCaseReference({ subject: "Re: MOS-100234 review", bodyText: "see ICS123456" })).toBe("MOS-100234");
    expect(likelyCaseReference({ subject: "MOS-100234 and MOS-100235", bodyText: "" })).toBeUndefined();
    expect(likelyCaseReference({ subject: "Review", bodyText: "Child ICS123456" })).toBe("ICS123456");
  });

  it("links the e-mail within the API's limits", () => {
    const src = sourceEmailOf({ subject: "s".repeat(300), from: "", bodyText: "", conversationId: "c", internetMessageId: "<m@x>", restId: "r", receivedAt: "2026-12-21T09:30:00.000Z" });
    expect(src).toEqual({ internetMessageId: "<m@x>", conversationId: "c", restId: "r", subject: "s".repeat(255), receivedAt: "2026-12-21T09:30:00.000Z" });
  });
});

describe("the raise form", () => {
  const filled = filledRaiseForm();

  it("becomes the API's raise body, with the source e-mail", () => {
    const r = toRaiseBody({ ...filled, timescaleDays: "3", reviewDate: "2027-01-08" }, { conversationId: "c" });
    expect(r).toEqual({
      ok: true,
      body: {
        child: { reference: "MOS-100234", initials: "J.S.", legalStatus: "looked-after", team: "demo-team" },
        category: "statutory-responsibilities",
        reason: "no-allocated-social-worker",
        concerns: "No allocated social worker.",
        outcomesSought: "Allocate one.",
        startStage: 1,
        timescaleDays: 3,
        reviewDate: "2027-01-08",
        sourceEmail: { conversationId: "c" },
      },
    });
  });

  it("names each field that is wrong, in the form's order", () => {
    const r = toRaiseBody({ ...filled, childInitials: "Olivia", team: "", timescaleDays: "30", categoryReason: "" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { field: "childInitials", message: "Initials only, in capitals (at most four), e.g. J.S.: never the child's name." },
      { field: "team", message: "Give the team holding the case." },
      { field: "categoryReason", message: "Choose the category and reason." },
      { field: "timescaleDays", message: "Shorter response time must be a whole number of working days, 1 to 20." },
    ]);
  });

  it("previews through the real lifecycle: the informal stage and then the ladder, on working days", () => {
    const preview = previewRaise({ ...filled, startStage: "0" }, lambeth, createWorkingCalendar(), new Date("2026-12-21T10:00:00Z"), { id: "you", upn: "alexw@example.com", displayName: "Alex Wilber" });
    if ("error" in preview) throw new Error(preview.error);
    expect(preview.dispute.state).toBe("informal");
    expect(preview.plan?.stages.map((s) => s.stage)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(JSON.stringify(preview.card)).toContain("Informal · Team Manager");
  });
});

describe("sign-in settings written into the pages", () => {
  it("take the client id and scope from the API's audience", () => {
    expect(signInConfig("api://9f8e7d6c-5b4a-4321-8fed-cba987654321")).toEqual({ clientId: "9f8e7d6c-5b4a-4321-8fed-cba987654321", scope: "api://9f8e7d6c-5b4a-4321-8fed-cba987654321/access_as_user" });
    expect(signInConfig("9f8e7d6c-5b4a-4321-8fed-cba987654321")).toEqual({ clientId: "9f8e7d6c-5b4a-4321-8fed-cba987654321", scope: "api://9f8e7d6c-5b4a-4321-8fed-cba987654321/access_as_user" });
    expect(signInConfig(undefined)).toEqual({ clientId: "", scope: "" });
  });
});
