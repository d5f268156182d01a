import { odata } from "@azure/data-tables";
import type { ConversationReference } from "botbuilder";
import { recentlyUsed } from "./recentlyUsed";
import { type Tables, statusOf } from "./tables";

export const CONVERSATIONS_TABLE = "conversations";

/** A card the bot posted: where it is, so it can be updated when the dispute changes. */
export interface PostedCard {
  disputeId: string;
  personId: string;
  activityId: string;
  reference: Partial<ConversationReference>;
}

/**
 * Where each posted card is, as this instance last wrote or read its record: a click on the card
 * already recorded (the common case, the alert it was posted as) then writes nothing. Card records
 * are never deleted, and another instance changes one only to a card it posted since, which is the
 * one to keep current anyway.
 */
const placeOf = (card: PostedCard) => JSON.stringify([card.activityId, card.reference.conversation?.id, card.reference.serviceUrl, card.reference.channelId]);

/**
 * The bot's memory of where people are: each person's 1:1 conversation (captured on install,
 * first message and conversation update, removed on uninstall), the tenant's service URL for
 * creating new ones, the cards it posted per dispute and person, and a short hold while a person's
 * new chat is caught up with what waits on them.
 */
export function createConversationStore(tables: Tables) {
  const table = tables.client(CONVERSATIONS_TABLE);
  const places = recentlyUsed<string>(5_000);
  const cardKey = (disputeId: string, personId: string) => `card|${disputeId}|${personId}`;
  const read = (tenantId: string, json: string) => {
    const card = JSON.parse(json) as PostedCard;
    places.set(`${tenantId}|${cardKey(card.disputeId, card.personId)}`, placeOf(card));
    return card;
  };
  const get = async (pk: string, rk: string) => {
    try {
      return await table.getEntity<{ json: string }>(pk, rk);
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  };
  return {
    async save(tenantId: string, personId: string, reference: Partial<ConversationReference>) {
      await table.upsertEntity({ partitionKey: tenantId, rowKey: `person|${personId}`, json: JSON.stringify(reference) }, "Replace");
      if (reference.serviceUrl) {
        await table.upsertEntity({ partitionKey: tenantId, rowKey: "service", json: JSON.stringify({ serviceUrl: reference.serviceUrl, channelId: reference.channelId }) }, "Replace");
      }
    },
    async remove(tenantId: string, personId: string) {
      try {
        await table.deleteEntity(tenantId, `person|${personId}`);
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    },
    async find(tenantId: string, personId: string): Promise<Partial<ConversationReference> | undefined> {
      const e = await get(tenantId, `person|${personId}`);
      return e ? (JSON.parse(e.json) as Partial<ConversationReference>) : undefined;
    },
    async service(tenantId: string): Promise<{ serviceUrl: string; channelId: string } | undefined> {
      const e = await get(tenantId, "service");
      return e ? JSON.parse(e.json) : undefined;
    },
    async recordCard(tenantId: string, card: PostedCard) {
      const rowKey = cardKey(card.disputeId, card.personId);
      if (places.get(`${tenantId}|${rowKey}`) === placeOf(card)) return;
      await table.upsertEntity({ partitionKey: tenantId, rowKey, json: JSON.stringify(card) }, "Replace");
      places.set(`${tenantId}|${rowKey}`, placeOf(card));
    },
    /** The card posted for this dispute to this person, if any: where it is now. */
    async card(tenantId: string, disputeId: string, personId: string): Promise<PostedCard | undefined> {
      const e = await get(tenantId, cardKey(disputeId, personId));
      return e ? read(tenantId, e.json) : undefined;
    },
    /**
     * Hold the person's catch-up for a while, so that two turns arriving together (Teams sends the
     * install and the conversation update at once) post it once. Undefined when another holds it;
     * a holder that died lets go when its time is up.
     */
    async holdCatchUp(tenantId: string, personId: string, now: Date, forMs = 60_000): Promise<(() => Promise<void>) | undefined> {
      const rowKey = `catchup|${personId}`;
      const entity = { partitionKey: tenantId, rowKey, until: new Date(now.getTime() + forMs).toISOString() };
      let etag: string | undefined;
      try {
        etag = (await table.createEntity(entity)).etag;
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
        const held = await table.getEntity<{ until: string }>(tenantId, rowKey).catch((err) => (statusOf(err) === 404 ? undefined : Promise.reject(err)));
        if (held && new Date(held.until) > now) return undefined;
        try {
          etag = held ? (await table.updateEntity(entity, "Replace", { etag: held.etag })).etag : (await table.createEntity(entity)).etag;
        } catch (err) {
          if (statusOf(err) === 409 || statusOf(err) === 412) return undefined;
          throw err;
        }
      }
      return async () => {
        try {
          await table.deleteEntity(tenantId, rowKey, { etag });
        } catch (e) {
          if (statusOf(e) !== 404 && statusOf(e) !== 412) throw e;
        }
      };
    },
    async cards(tenantId: string, disputeId: string): Promise<PostedCard[]> {
      const out: PostedCard[] = [];
      const filter = odata`PartitionKey eq ${tenantId} and RowKey ge ${`card|${disputeId}|`} and RowKey lt ${`card|${disputeId}|~`}`;
      for await (const e of table.listEntities<{ json: string }>({ queryOptions: { filter } })) out.push(read(tenantId, e.json));
      return out;
    },
  };
}
export type ConversationStore = ReturnType<typeof createConversationStore>;
