import type { Dispute } from "../dispute/disputeSchema";
import type { PersonRef } from "../dispute/people";
import type { ChildContactKind, Occasion } from "../procedure/toldSchema";
import { type Block, type RenderedNotice, OCCASION_DONE, toHtml, toText, when } from "./notices";

/**
 * A notice to one of the child's own contacts, outside the authority: the Children's Guardian or
 * the solicitor in the child's proceedings. It carries the case reference and initials, the
 * dispute's id and the IRO to contact, and nothing of the concerns: those stay within the authority.
 */
export function renderContactNotice(input: { dispute: Dispute; to: PersonRef; contact: ChildContactKind; on: Occasion }): RenderedNotice {
  const d = input.dispute;
  const as = input.contact === "guardian" ? "the child's Children's Guardian" : "the child's solicitor in their proceedings";
  const iro = d.raisedBy.displayName;
  const stage = d.stage === 0 ? "informal stage" : `stage ${d.stage}`;
  const phrase = `${OCCASION_DONE[input.on]}, for the child's ${input.contact === "guardian" ? "Guardian" : "solicitor"}`;
  const subject = `Dispute ${d.id} · ${stage} · ${phrase}`;
  const blocks: Block[] = [
    { kind: "p", text: `Dear ${input.to.displayName},` },
    {
      kind: "p",
      strong: true,
      text:
        input.on === "raise"
          ? `${iro}, the Independent Reviewing Officer, has raised a dispute (${d.id}) with the local authority about the plan for a child you act for.`
          : `${iro}, the Independent Reviewing Officer, has ${OCCASION_DONE[input.on]} dispute ${d.id} about the plan for a child you act for.`,
    },
    { kind: "p", text: `The authority's dispute resolution procedure asks that you be told, as ${as}.` },
    {
      kind: "fields",
      rows: [
        ["Case reference", d.child.reference],
        ["Initials", d.child.initials],
        ["Dispute", d.id],
        ["Raised", when(d.raisedAt)],
        ["The IRO", `${iro} (${d.raisedBy.upn})`],
      ],
    },
    { kind: "p", strong: true, text: `For the concerns and what the IRO has asked for, contact ${iro}.` },
    { kind: "p", text: "This message names the child by case reference and initials only." },
  ];
  return { subject, preview: `${phrase[0]!.toUpperCase()}${phrase.slice(1)} – dispute ${d.id}`, text: toText(blocks), html: toHtml(blocks, subject), chat: toText(blocks.slice(1, 3)) };
}
