import type { Dispute } from "../dispute/disputeSchema";
import type { RecordBlock } from "./childRecord";

// The record's parts for who was told beyond the ladder: the child's Guardian and solicitor as the
// IRO named them (personal data, kept here in the record, never in logs or mail to others), and
// who was told down a chain, for the court, or consulted before a step, and when.

interface Words {
  when: (iso: string) => string;
  day: (date: string) => string;
  roleName: (role: string) => string;
}

const AS: Record<string, string> = { guardian: "Children's Guardian", solicitor: "Child's solicitor" };
const ON: Record<string, string> = {
  raise: "The dispute raised",
  escalate: "An escalation",
  "cafcass-referral": "A referral to CAFCASS",
  "lscp-referral": "A referral to the LSCP",
  resolve: "The resolution",
};

export function childContactsBlock(d: Dispute): RecordBlock {
  const c = d.childContacts;
  if (!c) return { kind: "none", text: "No Children's Guardian or solicitor named on the dispute." };
  const contact = (x: { name: string; email: string } | undefined) => (x ? `${x.name} (${x.email})` : "Not named");
  return {
    kind: "fields",
    rows: [
      ["Children's Guardian", contact(c.guardian)],
      ["Child's solicitor", contact(c.solicitor)],
      ["In proceedings", c.inProceedings ? "Yes: the court notification rule applies where the procedure has one" : "No"],
    ],
  };
}

export function toldAndConsultedBlocks(d: Dispute, w: Words): RecordBlock[] {
  const told = d.told ?? [];
  const consulted = d.consultations ?? [];
  if (!told.length && !consulted.length) return [{ kind: "none", text: "Nobody was told beyond the ladder's own notices, and no consultation was recorded." }];
  const blocks: RecordBlock[] = [];
  if (told.length) {
    blocks.push({
      kind: "table",
      columns: [{ title: "Told", width: 0.28 }, { title: "Of" }, { title: "Told by", width: 0.24 }, { title: "When", width: 0.2 }],
      rows: told.map((t) => [
        `${t.to.displayName}, ${AS[t.as] ?? w.roleName(t.as)}${t.why === "court" ? " (to tell the court)" : ""}`,
        `${ON[t.on] ?? t.on}${t.on === "escalate" ? ` (stage ${t.stage})` : ""}`,
        t.by ? `${t.by.displayName}, as the procedure's chain says` : "Resolve, for the IRO",
        w.when(t.at),
      ]),
    });
  }
  if (consulted.length) {
    blocks.push({
      kind: "table",
      columns: [{ title: "Consulted", width: 0.2 }, { title: "On", width: 0.16 }, { title: "Outcome" }, { title: "Recorded", width: 0.24 }],
      rows: consulted.map((c) => [c.label, w.day(c.on), c.outcome, `${w.when(c.at)} by ${c.by.displayName}`]),
    });
  }
  return blocks;
}
