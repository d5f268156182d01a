import { beforeAll, describe, expect, inject, it } from "vitest";
import { type App, composeApp } from "../../functions/compose";
import { readSettings } from "../../functions/settings";
import type { PostedCard } from "../../functions/adapters/tableConversations";

const tenantId = `conv-${Math.random().toString(36).slice(2, 8)}`;
const settings = () => readSettings({ RESOLVE_MODE: "local", RESOLVE_TABLES_CONNECTION: inject("tablesConnection"), RESOLVE_DEV_TENANT: tenantId });
let here: App;
let elsewhere: App;

beforeAll(async () => {
  [here, elsewhere] = await Promise.all([composeApp(settings()), composeApp(settings())]);
});

/** A card in Megan's chat; `seenAs` stands for the other details a turn's reference carries. */
const card = (activityId: string, seenAs = "post"): PostedCard => ({
  disputeId: "D-CARD01",
  personId: "megan",
  activityId,
  reference: { conversation: { id: "a:megan", conversationType: "personal", isGroup: false, name: "" }, serviceUrl: "https://smba.example/uk/", channelId: "msteams", ...(seenAs === "click" ? { activityId: "f:invoke", locale: "en-GB" } : {}) },
});

describe("the record of where each posted card is", () => {
  it("is written when a card moves, not when the card already recorded is clicked again, and sees another instance's", async () => {
    const requests = async (f: () => Promise<unknown>) => {
      const before = here.tables.counter.count;
      await f();
      return here.tables.counter.count - before;
    };
    const conversations = here.conversations;
    expect(await requests(() => conversations.recordCard(tenantId, card("1:alert")))).toBe(1);
    // Clicked: the same card in the same chat, seen through the click's own turn.
    expect(await requests(() => conversations.recordCard(tenantId, card("1:alert", "click")))).toBe(0);
    expect(await requests(() => conversations.recordCard(tenantId, card("1:status")))).toBe(1);
    expect((await conversations.card(tenantId, "D-CARD01", "megan"))?.activityId).toBe("1:status");
    // Another instance posts a newer card; once read here, a click on it writes nothing here.
    await elsewhere.conversations.recordCard(tenantId, card("1:caught-up"));
    expect((await conversations.cards(tenantId, "D-CARD01")).map((c) => c.activityId)).toEqual(["1:caught-up"]);
    expect(await requests(() => conversations.recordCard(tenantId, card("1:caught-up", "click")))).toBe(0);
    // A click on the older card makes it the one kept current again.
    expect(await requests(() => conversations.recordCard(tenantId, card("1:status", "click")))).toBe(1);
    expect((await elsewhere.conversations.card(tenantId, "D-CARD01", "megan"))?.activityId).toBe("1:status");
  });
});
