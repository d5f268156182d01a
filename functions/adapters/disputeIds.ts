import { randomInt } from "node:crypto";
import { FEEDBACK_ID_PREFIX } from "../../shared/feedback/positiveFeedback";

// Crockford's alphabet: no I, L, O or U, so an id read over the phone is not misheard.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function shortId(prefix: string): string {
  let id = prefix;
  for (let i = 0; i < 6; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/** A short id people can quote: D-7K3F9Q. */
export const newDisputeId = (): string => shortId("D-");

/** A good-practice record's id: G-7K3F9Q. */
export const newFeedbackId = (): string => shortId(FEEDBACK_ID_PREFIX);
