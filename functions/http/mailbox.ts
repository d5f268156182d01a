/**
 * Local mode's mailbox: every mail, Teams message, calendar entry and meeting the service would
 * have sent, as JSON (GET /api/dev/mailbox?to=<upn>) and as a page (GET /api/dev/mailbox/page?to=<upn>)
 * on which a mail's card can be answered as in Outlook, and which checks for new items every 5 seconds
 * in place, with a button to pause that and one to check now; never a meta refresh, which reloads
 * under a person's reading and cannot be paused (WCAG 2.2.1, 2.2.2). Anywhere but local mode both
 * refuse with 403.
 */
import { createHash } from "node:crypto";
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { escapeHtml } from "../../shared/messages/notices";
import { actionableCardOf } from "../../shared/cards/actionableMessage";
import { formatWhen } from "../../shared/calendar/londonTime";
import { type MailboxItem, listMailbox } from "../adapters/localMailbox";
import { type App, getApp } from "../compose";
import { registerHttp } from "../host/registry";
import { problem } from "./responses";

const localOnly = (handler: (req: HttpRequest, app: App) => Promise<HttpResponseInit>) => async (req: HttpRequest) => {
  const app = await getApp();
  if (app.settings.RESOLVE_MODE !== "local") return problem(403, "The local mailbox exists in local mode only.");
  return handler(req, app);
};

function queryOf(req: HttpRequest): { to?: string; limit: number } | { error: string } {
  const to = req.query.get("to")?.trim() || undefined;
  if (to && to.length > 254) return { error: "to: a UPN is at most 254 characters." };
  const rawLimit = req.query.get("limit");
  const limit = rawLimit === null ? 200 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return { error: "limit: a whole number from 1 to 1000." };
  return { ...(to ? { to } : {}), limit };
}

registerHttp({
  name: "devMailbox",
  route: "dev/mailbox",
  methods: ["GET"],
  handler: localOnly(async (req, app) => {
    const q = queryOf(req);
    if ("error" in q) return problem(400, q.error);
    const items = await listMailbox(app.tables, app.settings.RESOLVE_DEV_TENANT, q);
    return { status: 200, jsonBody: { tenantId: app.settings.RESOLVE_DEV_TENANT, ...(q.to ? { to: q.to } : {}), items } };
  }),
});

registerHttp({
  name: "devMailboxPage",
  route: "dev/mailbox/page",
  methods: ["GET"],
  handler: localOnly(async (req, app) => {
    const q = queryOf(req);
    if ("error" in q) return problem(400, q.error);
    const items = await listMailbox(app.tables, app.settings.RESOLVE_DEV_TENANT, q);
    const entraTenantId = (await app.directory.tenant(app.settings.RESOLVE_DEV_TENANT))?.entraTenantId ?? "";
    return {
      status: 200,
      headers: {
        "content-type": "text/html; charset=utf-8",
        // The one script is the add-in build's mailbox.js (the mail cards and the in-place updates), talking to /api/messages only; content is escaped besides.
        "content-security-policy": "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
      body: mailboxPage(app.settings.RESOLVE_DEV_TENANT, entraTenantId, items, q.to),
    };
  }),
});

const e = escapeHtml;

function time(iso: string | undefined): string {
  if (!iso) return "";
  try {
    return formatWhen(iso);
  } catch {
    return iso;
  }
}

function card(item: MailboxItem): string {
  const badge = { mail: "Mail", teams: "Teams", calendar: "Calendar", meeting: "Meeting" }[item.kind] ?? item.kind;
  const meta: string[] = [`<span class="badge ${e(item.kind)}">${e(badge)}</span>`];
  if (item.kind === "calendar") {
    meta.push(item.cancelled ? `<span class="badge cancelled">Cancelled</span>` : "");
    meta.push(`<span>for ${e(item.toName)} &lt;${e(item.to)}&gt;</span>`, `<span>${e(time(item.start))} – ${e(time(item.end))}</span>`);
  } else if (item.kind === "meeting") {
    meta.push(`<span>chair ${e(item.toName)} &lt;${e(item.to)}&gt;</span>`, `<span>proposed ${e(time(item.start))} – ${e(time(item.end))}</span>`);
    if (item.attendees?.length) meta.push(`<span>invited: ${e(item.attendees.join(", "))}</span>`);
  } else {
    meta.push(`<span>to ${e(item.toName)} &lt;${e(item.to)}&gt;</span>`);
    if (item.notice) meta.push(`<span class="notice">${e(item.notice)}</span>`);
  }
  meta.push(`<span class="when">${item.kind === "calendar" ? "changed " : ""}${e(time(item.at))}</span>`);
  const preview = item.preview ? `<p class="preview">Preview: ${e(item.preview)}</p>` : "";
  // The mail's Actionable Message, drawn and answered by mailbox.js as Outlook would, as its recipient.
  const am = item.kind === "mail" && item.toId ? actionableCardOf(item.html) : undefined;
  const live = am
    ? `\n<div class="am" data-card="${e(JSON.stringify(am))}" data-reader="${e(item.toId!)}" data-reader-name="${e(item.toName)}"><div class="am-card"></div><p class="am-status" role="status" aria-live="polite"></p></div>`
    : "";
  return `<article class="${e(item.kind)}${item.cancelled ? " is-cancelled" : ""}">
<h2>${e(item.subject)}</h2>
<p class="meta">${meta.filter(Boolean).join(" ")}</p>${preview}${live}
<details${item.kind === "calendar" || am ? "" : " open"}><summary>Body</summary><pre>${e(item.text)}</pre></details>
<p class="ids">effect ${e(item.effectId)} · dispute ${e(item.disputeId)}${item.entryKey ? ` · entry ${e(item.entryKey)}` : ""}</p>
</article>`;
}

function mailboxPage(tenantId: string, entraTenantId: string, items: MailboxItem[], to: string | undefined): string {
  const mails = items.filter((i) => i.kind === "mail" || i.kind === "teams");
  const calendar = items.filter((i) => i.kind === "calendar");
  const meetings = items.filter((i) => i.kind === "meeting");
  const section = (title: string, list: MailboxItem[], empty: string) =>
    `<section><h1>${e(title)} <small>(${list.length})</small></h1>${list.length ? list.map(card).join("\n") : `<p class="empty">${e(empty)}</p>`}</section>`;
  const signature = createHash("sha256").update(items.map((i) => `${i.effectId}:${i.at}:${i.cancelled ? 1 : 0}`).join("|")).digest("hex").slice(0, 16);
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Resolve local mailbox${to ? ` – ${e(to)}` : ""}</title>
<style>
body{font-family:'Segoe UI',Arial,sans-serif;margin:0 auto;max-width:980px;padding:16px;color:#201f1e;background:#faf9f8;overflow-wrap:anywhere}
header{display:flex;flex-wrap:wrap;gap:12px;align-items:baseline;justify-content:space-between}
h1{font-size:18px;margin:24px 0 8px}h1 small{color:#605e5c;font-weight:normal}
h2{font-size:15px;margin:0 0 4px}
article{background:#fff;border:1px solid #edebe9;border-radius:4px;padding:10px 14px;margin:8px 0}
article.is-cancelled h2{text-decoration:line-through;color:#605e5c}
.meta{margin:0;color:#323130;font-size:13px}.meta span{margin-right:10px}
.badge{display:inline-block;padding:0 6px;border-radius:3px;background:#deecf9;font-size:12px}
.badge.teams{background:#e8e1f5}.badge.calendar{background:#dff6dd}.badge.meeting{background:#fff4ce}.badge.cancelled{background:#fde7e9}
.preview{margin:4px 0;color:#605e5c;font-size:13px}
pre{white-space:pre-wrap;font-family:inherit;font-size:13px;margin:6px 0}
.ids{color:#605e5c;font-size:11px;margin:2px 0 0}.empty{color:#605e5c}
form input{padding:4px 6px;min-width:min(240px,100%);max-width:100%}
.updates{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-top:8px}
button{font:inherit;padding:2px 10px}
:focus-visible{outline:2px solid #4f52b2;outline-offset:2px}
.am{margin:8px 0;border:1px solid #c8c6c4;border-radius:4px;overflow:hidden;background:#fff}
.am .ac-textBlock p{margin:0}.am .ac-pushButton{font-family:inherit;border:1px solid #8a8886;border-radius:2px;background:#fff;min-height:32px;padding:4px 12px}
.am .ac-pushButton.style-positive{background:#0078d4;border-color:#0078d4;color:#fff}
.am-status{margin:0;padding:0 14px;color:#605e5c;font-size:13px}.am-status:empty{display:none}
</style>
<script type="module" src="/api/addin/mailbox.js"></script>
</head>
<body data-entra-tenant="${e(entraTenantId)}">
<header>
<div><strong>Resolve local mailbox</strong> · authority ${e(tenantId)}${to ? ` · for ${e(to)}` : ""}</div>
<form method="get" action=""><label>To (UPN) <input name="to" type="text" value="${e(to ?? "")}" placeholder="meganb@example.com"></label> <button type="submit">Filter</button>${to ? ` <a href="?">show all</a>` : ""}</form>
</header>
<div class="updates"><button type="button" id="pause" aria-pressed="false" hidden>Pause updates</button><button type="button" id="check-now" hidden>Check now</button><span id="update-status" role="status">Checks for new items every 5 seconds.</span></div>
<main id="items" data-signature="${signature}" data-count="${items.length}">
<p>${items.length} item${items.length === 1 ? "" : "s"}</p>
${section("Mail and Teams messages", mails, "No messages yet.")}
${section("Calendar entries", calendar, "No calendar entries yet.")}
${section("Meetings", meetings, "No meetings yet.")}
</main>
</body>
</html>
`;
}
