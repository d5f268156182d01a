/**
 * The tab's Good practice list: what this person recorded, was sent or was praised in, with the
 * managers' replies; a manager it was sent to replies here, and the reply goes back to the IRO.
 */
import { formatWhen } from "../shared/cards/text";
import type { PositiveFeedback } from "../shared/feedback/positiveFeedback";
import { announce, moveFocus } from "./a11y";
import type { Api } from "./api";
import { fill, h } from "./dom";

export async function renderGoodPractice(panel: HTMLElement, api: Api, me: { id: string }, done?: { id: string; text: string; tone: "good" | "attention"; typed?: string }): Promise<void> {
  const r = await api.goodPractice();
  if (!r.ok) {
    fill(panel, h("div", { className: "notice attention", role: "alert" }, r.message));
    return;
  }
  const items = r.value.items;
  fill(
    panel,
    h("h2", { id: "good-practice-heading" }, "Good practice you recorded, were sent or were praised in"),
    items.length ? h("ul", { className: "good-practice", "aria-labelledby": "good-practice-heading" }, items.map((f) => entry(f, panel, api, me, done?.id === f.id ? done : undefined))) : h("p", { className: "hint" }, "None in the last four months."),
  );
  if (done) {
    moveFocus(document.getElementById(`gp-${done.id}-result`));
    announce(done.text);
  }
}

function entry(f: PositiveFeedback, panel: HTMLElement, api: Api, me: { id: string }, done?: { text: string; tone: "good" | "attention"; typed?: string }): HTMLElement {
  const mayReply = f.sentTo.some((s) => s.person.id === me.id);
  const forWhom = f.worker ? `${f.worker.displayName}, ${f.teamName ?? f.team}` : `the team: ${f.teamName ?? f.team}`;
  const replyId = `gp-${f.id}-reply`;
  const form = mayReply
    ? h(
        "form",
        {
          className: "reply",
          novalidate: true,
          onsubmit: (e: Event) => {
            e.preventDefault();
            void send(f, (document.getElementById(replyId) as HTMLTextAreaElement).value.trim(), panel, api, me);
          },
        },
        h("label", { for: replyId }, "Your reply to the IRO"),
        h("textarea", { id: replyId, name: "reply", rows: 3, maxlength: 4000, value: done?.typed ?? "", ...(done?.tone === "attention" ? { "aria-invalid": "true", "aria-describedby": `gp-${f.id}-result` } : {}) }),
        h("div", { className: "actions" }, h("button", { type: "submit", id: `gp-${f.id}-send` }, "Reply")),
      )
    : null;
  return h(
    "li",
    { id: `gp-${f.id}` },
    h("h3", {}, `${f.id} · for ${forWhom}`),
    h("p", { className: "muted" }, `Recorded by ${f.recordedBy.displayName}, ${formatWhen(f.recordedAt)}${f.childReference ? ` · case ${f.childReference}` : ""}`),
    h("p", { className: "user-text" }, f.feedback),
    (f.replies ?? []).map((x) => h("div", { className: "reply-given" }, h("strong", {}, `Reply from ${x.by.displayName}, ${formatWhen(x.at)}`), h("p", { className: "user-text" }, x.text))),
    done ? h("div", { className: `notice ${done.tone}`, role: done.tone === "good" ? "status" : "alert", id: `gp-${f.id}-result`, tabindex: -1 }, done.text) : null,
    form,
  );
}

async function send(f: PositiveFeedback, reply: string, panel: HTMLElement, api: Api, me: { id: string }): Promise<void> {
  if (!reply) {
    await renderGoodPractice(panel, api, me, { id: f.id, text: "Write your reply before sending it.", tone: "attention" });
    return;
  }
  const r = await api.replyToFeedback(f.id, reply);
  await renderGoodPractice(panel, api, me, r.ok ? { id: f.id, text: `Your reply went to ${f.recordedBy.displayName}, in Teams and by mail.`, tone: "good" } : { id: f.id, text: r.message, tone: "attention", typed: reply });
}
