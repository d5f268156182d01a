import type { Clock } from "../ports";

/** The real clock, which local mode may move (POST /api/dev/clock); it keeps running from there. */
export function createSettableClock(real: () => Date = () => new Date()): Clock & { set(to: Date): void } {
  let offsetMs = 0;
  return {
    now: () => new Date(real().getTime() + offsetMs),
    set(to: Date) {
      offsetMs = to.getTime() - real().getTime();
    },
  };
}
