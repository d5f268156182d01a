import type { AuditEvent } from "../dispute/events";

/**
 * The child's voice in the month's decisions (Lambeth 3 and 7, Cumberland ORP rights): of the
 * escalations and resolutions a person made, how many recorded it, whether the child was told,
 * their wishes and feelings, advocacy offered, and the complaints or legal advice routes explained.
 */
export interface ChildVoiceCounts {
  decisions: number;
  recorded: number;
  told: number;
  wishesRecorded: number;
  advocacyOffered: number;
  routesExplained: number;
}

export function childVoiceCounts(events: readonly AuditEvent[], inMonth: (at: number) => boolean): ChildVoiceCounts {
  const counts: ChildVoiceCounts = { decisions: 0, recorded: 0, told: 0, wishesRecorded: 0, advocacyOffered: 0, routesExplained: 0 };
  for (const e of events) {
    // Escalations the timers made on their own are not the IRO's decisions: no one could ask the child.
    if ((e.action !== "escalate" && e.action !== "resolve") || !e.actor || !inMonth(Date.parse(e.at))) continue;
    counts.decisions++;
    const v = e.detail.childVoice as Record<string, unknown> | undefined;
    if (!v || typeof v !== "object") continue;
    counts.recorded++;
    if (v.told === true) counts.told++;
    if (typeof v.wishesAndFeelings === "string" && v.wishesAndFeelings) counts.wishesRecorded++;
    if (v.advocacyOffered === true) counts.advocacyOffered++;
    if (v.routesExplained === true) counts.routesExplained++;
  }
  return counts;
}
