import { CardFactory, type ConversationReference, MessageFactory, TurnContext } from "botbuilder";
import { cardForPerson } from "./cardViews";
import type { DirectoryPerson, DisputeSummary } from "../functions/ports";
import type { ConversationStore } from "../functions/adapters/tableConversations";
import { listDisputes } from "../functions/usecases/queries";
import type { Services } from "../functions/usecases/services";

/** The most cards one catch-up posts; the rest are named by number, with where to see them. */
export const CATCH_UP_CARDS = 10;
/** Pages of "waiting on me" read at most (a person has tens, not thousands). */
const MAX_PAGES = 5;

/** Every open dispute waiting on this person, the most recently changed first. */
async function waitingOnPerson(services: Services, tenantId: string, person: DirectoryPerson): Promise<DisputeSummary[]> {
  const items: DisputeSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const listed = await listDisputes(services, { tenantId, person, role: "assignee", state: "open", pageSize: 100, ...(cursor ? { cursor } : {}) });
    if (!listed.ok) break;
    items.push(...listed.value.items);
    cursor = listed.value.next;
    if (!cursor) break;
  }
  return items.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

const disputes = (n: number) => (n === 1 ? "1 dispute is" : `${n} disputes are`);

/**
 * A chat with Resolve that has just come into being (or been opened again) catches up: the live
 * alert card of every dispute waiting on the person that is not already in this chat, newest first,
 * at most `CATCH_UP_CARDS`, then a line saying how many more and where to see them. Each card is
 * recorded as posted here, so the relay keeps it current and a second opening posts none again.
 * Nothing in the outbox changes: what went by mail stays recorded as gone by mail. Returns how
 * many cards were posted.
 */
export async function catchUp(deps: { services: Services; conversations: ConversationStore }, context: TurnContext, tenantId: string, person: DirectoryPerson): Promise<number> {
  const { services, conversations } = deps;
  const release = await conversations.holdCatchUp(tenantId, person.id, services.clock.now());
  // Another turn of this person's is catching up right now.
  if (!release) return 0;
  try {
    const here = context.activity.conversation?.id;
    const waiting = await waitingOnPerson(services, tenantId, person);
    const posted = await Promise.all(waiting.map((s) => conversations.card(tenantId, s.id, person.id)));
    const missing = waiting.filter((_, i) => posted[i]?.reference.conversation?.id !== here);
    if (!missing.length) return 0;
    const shown = missing.slice(0, CATCH_UP_CARDS);
    await context.sendActivity(`${disputes(missing.length)} waiting on you that this chat has not shown yet, newest first:`);
    const reference: Partial<ConversationReference> = TurnContext.getConversationReference(context.activity);
    let count = 0;
    for (const s of shown) {
      const d = (await services.store.load(tenantId, s.id))?.dispute;
      const json = d && (await cardForPerson(services, d, person.id));
      if (!json) continue;
      // Teams shows `summary` in pop-ups and the feed: fixed words, the dispute id and its stage only.
      const sent = await context.sendActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(json)), summary: `Waiting on you – dispute ${d.id}, stage ${d.stage}` });
      if (sent?.id) await conversations.recordCard(tenantId, { disputeId: d.id, personId: person.id, activityId: sent.id, reference });
      count++;
    }
    const more = missing.length - shown.length;
    if (more > 0) await context.sendActivity(`${more} more ${more === 1 ? "is" : "are"} waiting on you: see "Waiting on me" in the Resolve tab.`);
    return count;
  } finally {
    await release();
  }
}
