import { createHash } from "node:crypto";
import { type Dispute, isOpen } from "../../shared/dispute/disputeSchema";
import { waitingOn } from "../../shared/dispute/waitingOn";
import type { ListBy } from "../ports";

/**
 * The row keys of the `indexes` table (one partition per tenant). Every read is a key range, so it
 * costs what its answer holds, never what the authority has stored:
 * - list rows `{by}|{who}|{o|c}|{dispute}`: open and closed in their own ranges, so a page of open
 *   disputes never passes over the closed ones, and a dispute that closes moves out of the hot range;
 * - a manifest `of|{dispute}` naming every list row and due entry the dispute has, written in the
 *   same batch as they are, so putting them right is a point read, not a scan;
 * - failed deliveries `failed|{newest first}|{dispute}|{effect}`, removed once dealt with;
 * - the due index `due|{at}|{dispute}|{token}` and work markers `work|{dispute}`.
 */

/** Sorts after every character a key uses: the end of a prefix range. */
export const END = "~";

const stateSegment = (open: boolean) => (open ? "o" : "c");

/** The prefix of one list, optionally narrowed to its open or closed range. */
export function listPrefix(by: ListBy, state: "open" | "closed" | "all"): string {
  const base =
    by.kind === "all" ? "all||" : by.kind === "team" ? `team|${by.team}|` : by.kind === "child" ? `child|${by.reference.toUpperCase()}|` : `${by.kind}|${by.personId}|`;
  return state === "all" ? base : `${base}${stateSegment(state === "open")}|`;
}

/** Every list row a dispute has as it stands. */
export function listKeys(d: Dispute): string[] {
  const open = isOpen(d);
  // "Waiting on me": whoever must move next, the IRO too once a decision is theirs (nobody, once closed).
  const waiting = [...new Set(waitingOn(d).map((w) => w.person.id))];
  const ways: ListBy[] = [
    ...waiting.map((personId): ListBy => ({ kind: "assignee", personId })),
    { kind: "iro", personId: d.raisedBy.id },
    { kind: "team", team: d.child.team },
    { kind: "child", reference: d.child.reference },
    { kind: "all" },
  ];
  return ways.map((by) => `${listPrefix(by, open ? "open" : "closed")}${d.id}`);
}

export const manifestKey = (disputeId: string) => `of|${disputeId}`;

/** A manifest holds one column per row key: a merge adds a key without reading what is there. */
export const manifestColumn = (rowKey: string) => `k${createHash("sha1").update(rowKey).digest("hex").slice(0, 16)}`;

/** The same for a due entry: `t…` columns. An empty one is an entry the sweep has removed. */
export const manifestDueColumn = (dueKey: string) => `t${createHash("sha1").update(dueKey).digest("hex").slice(0, 16)}`;

const columns = (manifest: Record<string, unknown>, kind: "k" | "t"): string[] =>
  Object.entries(manifest)
    .filter(([k, v]) => k.length === 17 && k.startsWith(kind) && /^[0-9a-f]{16}$/.test(k.slice(1)) && typeof v === "string" && v)
    .map(([, v]) => v as string);

export const manifestRows = (manifest: Record<string, unknown>): string[] => columns(manifest, "k");
export const manifestDueKeys = (manifest: Record<string, unknown>): string[] => columns(manifest, "t");

/** A fingerprint of a row's content: two writers of the same version may disagree on it. */
export const fingerprint = (json: string) => createHash("sha1").update(json).digest("base64");

export const dueKey = (at: string, disputeId: string, token: string) => `due|${at}|${disputeId}|${token}`;

/** A due entry's parts, from its key alone (tokens hold no "|"). */
export function dueParts(key: string): { at: string; disputeId: string; token: string } {
  const [, at = "", disputeId = "", ...token] = key.split("|");
  return { at, disputeId, token: token.join("|") };
}
export const workKey = (disputeId: string) => `work|${disputeId}`;

/** Newest first: the key counts down from the far future. */
export function failedKey(failedAt: string, disputeId: string, effectId: string): string {
  const countdown = String(9_999_999_999_999 - Date.parse(failedAt)).padStart(13, "0");
  return `failed|${countdown}|${disputeId}|${effectId}`;
}
