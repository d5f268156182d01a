/// <reference types="office-js" />
/**
 * The open message read through Office.js, typed by @types/office-js (office.js itself is loaded
 * by the page from Microsoft's CDN, as Office requires, and is not bundled). Exchange tokens
 * (getCallbackTokenAsync, getUserIdentityTokenAsync) are never used: the API is called with a
 * token from nested app authentication (auth.ts).
 */

export type OfficeNamespace = typeof Office;

/** Office.js when the page runs inside Outlook (or a stand-in a test put there), else undefined. */
export function officeGlobal(): OfficeNamespace | undefined {
  return (globalThis as { Office?: OfficeNamespace }).Office;
}

/** What the task pane takes from the open message; the body as plain text, never HTML. */
export interface OpenEmail {
  subject: string;
  from: string;
  receivedAt?: string;
  internetMessageId?: string;
  conversationId?: string;
  restId?: string;
  bodyText: string;
}

function bodyText(office: OfficeNamespace, item: Office.MessageRead): Promise<string> {
  return new Promise((resolve) => {
    item.body.getAsync(office.CoercionType.Text, (r) => resolve(r.status === office.AsyncResultStatus.Succeeded && typeof r.value === "string" ? r.value : ""));
  });
}

/** The message open in the reading pane, or null when none is (a pinned pane with nothing selected). */
export async function readOpenEmail(office: OfficeNamespace): Promise<OpenEmail | null> {
  const mailbox = office.context.mailbox;
  // The add-in's only context is mailRead (the manifest's ribbon), so the item is a message being read.
  const item = mailbox?.item as Office.MessageRead | null | undefined;
  if (!mailbox || !item || !item.itemId) return null;
  let restId: string | undefined;
  try {
    restId = mailbox.convertToRestId(item.itemId, office.MailboxEnums.RestVersion.v2_0);
  } catch {
    restId = undefined;
  }
  const received = item.dateTimeCreated instanceof Date && !Number.isNaN(item.dateTimeCreated.getTime()) ? item.dateTimeCreated.toISOString() : undefined;
  const from = item.from ? [item.from.displayName, item.from.emailAddress && `<${item.from.emailAddress}>`].filter(Boolean).join(" ") : "";
  return {
    subject: item.subject ?? "",
    from,
    ...(received ? { receivedAt: received } : {}),
    ...(item.internetMessageId ? { internetMessageId: item.internetMessageId } : {}),
    ...(item.conversationId ? { conversationId: item.conversationId } : {}),
    ...(restId ? { restId } : {}),
    bodyText: await bodyText(office, item),
  };
}

/** Calls `onChange` whenever the person selects another message while the pane is pinned. */
export function followSelection(office: OfficeNamespace, onChange: () => void): void {
  office.context.mailbox?.addHandlerAsync(office.EventType.ItemChanged, onChange);
}
