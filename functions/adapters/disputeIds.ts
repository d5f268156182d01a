import { randomInt } from "node:crypto";

// Crockford's alphabet: no I, L, O or U, so an id read over the phone is not misheard.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A short id people can quote: D-7K3F9Q. */
export function newDisputeId(): string {
  let id = "D-";
  for (let i = 0; i < 6; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
