import { describe, expect, it } from "vitest";
import { pdfText } from "../../functions/adapters/recordPdf";

describe("the record PDF's text (Helvetica, Windows-1252)", () => {
  it("keeps Latin-1 and the Windows-1252 punctuation people type", () => {
    expect(pdfText("Zoë’s “plan” – café · £5 … €")).toBe("Zoë’s “plan” – café · £5 … €");
  });

  it("writes arrows and other signs outside it in plain form, and anything else as ?", () => {
    expect(pdfText("Stage 1 → 2, ≥ 3 days")).toBe("Stage 1 -> 2, >= 3 days");
    expect(pdfText("Łukasz 🙂")).toBe("?ukasz ?");
    expect(pdfText("line one\nline two")).toBe("line one\nline two");
  });
});
