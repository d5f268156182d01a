/**
 * What an instance keeps in memory of what never changes once written (a dispute's history, where
 * a card is): the most recently used entries within a budget, each weighing `weigh(value)` (1 by
 * default), the least recently used dropped first. One heavier than the whole budget is not kept.
 */
export function recentlyUsed<V>(budget: number, weigh: (value: V) => number = () => 1) {
  const kept = new Map<string, { value: V; weight: number }>();
  let total = 0;
  const drop = (key: string) => {
    total -= kept.get(key)?.weight ?? 0;
    kept.delete(key);
  };
  return {
    get(key: string): V | undefined {
      const entry = kept.get(key);
      if (!entry) return undefined;
      kept.delete(key);
      kept.set(key, entry);
      return entry.value;
    },
    set(key: string, value: V) {
      drop(key);
      const weight = weigh(value);
      if (weight > budget) return;
      while (total + weight > budget) drop(kept.keys().next().value!);
      kept.set(key, { value, weight });
      total += weight;
    },
    /** The weight of what is kept now. */
    get weight() {
      return total;
    },
  };
}
