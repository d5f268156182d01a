import { createHash, randomInt } from "node:crypto";
import { FEEDBACK_ID_PREFIX } from "../../shared/feedback/positiveFeedback";

// Crockford's alphabet: no I, L, O or U, so an id read over the phone is not misheard.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function shortId(prefix: string, seed?: string): string {
  const bytes = seed === undefined ? undefined : createHash("sha256").update(seed).digest();
  let id = prefix;
  for (let i = 0; i < 6; i++) id += ALPHABET[bytes ? bytes[i]! % ALPHABET.length : randomInt(ALPHABET.length)];
  return id;
}

/**
 * A short id people can quote: D-7K3F9Q. With a seed (a client's Idempotency-Key, scoped to the
 * caller) the same id every time, so a raise sent again lands on the dispute it made the first time.
 */
export const newDisputeId = (seed?: string): string => shortId("D-", seed);

/** A good-practice record's id: G-7K3F9Q. */
export const newFeedbackId = (): string => shortId(FEEDBACK_ID_PREFIX);
