/**
 * The one retry policy for every call to the outside world: exponential backoff with jitter,
 * never sooner than the service asked (Retry-After), parked as failed after `maxAttempts`.
 */
export const RETRY = { baseMs: 30_000, capMs: 60 * 60_000, maxAttempts: 8 };

/** How long to wait after failed attempt number `attempt` (1 = the first). */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const backoff = Math.min(RETRY.capMs, RETRY.baseMs * 2 ** (attempt - 1));
  // Jitter between half and all of the backoff: retries from many disputes do not arrive together.
  const jittered = backoff / 2 + random() * (backoff / 2);
  return Math.max(retryAfterMs ?? 0, Math.round(jittered));
}
