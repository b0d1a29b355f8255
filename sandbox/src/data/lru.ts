/**
 * A least-recently-used cache bounded both by entry count and by a total weight (here: cached EOBs).
 * Hand-written because it is a Map and a counter; the common LRU packages bound count or size but not
 * a weight that grows after insertion (EOBs are built after the entry is cached).
 */
export class LeastRecentlyUsed<K, V> {
  private readonly entries = new Map<K, V>();
  private totalWeight = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight: number,
    private readonly weightOf: (value: V) => number,
  ) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Re-insert so that Map order runs from least to most recently used.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.totalWeight -= this.weightOf(previous);
      this.entries.delete(key);
    }
    this.entries.set(key, value);
    this.totalWeight += this.weightOf(value);
    this.evict(key);
  }

  /** Call after an entry's weight changed. */
  resized(key: K): void {
    this.totalWeight = 0;
    for (const value of this.entries.values()) this.totalWeight += this.weightOf(value);
    this.evict(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops least recently used entries (never `keep`) until both bounds hold. */
  private evict(keep: K): void {
    for (const [key, value] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.totalWeight <= this.maxWeight) break;
      if (key === keep) continue;
      this.entries.delete(key);
      this.totalWeight -= this.weightOf(value);
    }
  }
}
