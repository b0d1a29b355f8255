/**
 * How the fault runs share the machine: each fault has its own faulty sandbox (one Playwright run per
 * fault), and up to `concurrency` such runs go at once, the longest expected first so that the last
 * ones to start are short (longest-processing-time-first). Each run is mostly waiting (process starts,
 * Chromium, HTTP), so a few small runs side by side keep 2 cores busy where one could not.
 * Written by hand: a promise pool of a dozen lines does not warrant a dependency.
 */

/** `items` ordered by `estimate`, largest first; ties keep their order. */
export function longestFirst<T>(items: readonly T[], estimate: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, cost: estimate(item) }))
    .sort((a, b) => b.cost - a.cost || a.index - b.index)
    .map(({ item }) => item);
}

/**
 * Runs `run` on every item, at most `concurrency` at a time, starting them in the order given; the
 * results come back in that order. A rejection stops new starts and is rethrown once the runs in
 * flight have ended.
 */
export async function runPool<T, R>(items: readonly T[], concurrency: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await run(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  if (failure !== undefined) throw failure.error;
  return results;
}

/** Workers for a run of `checks` checks: one per `perWorker` checks, at least 1, at most `most`. */
export function workersFor(checks: number, most: number, perWorker = 15): number {
  return Math.max(1, Math.min(most, Math.ceil(checks / perWorker)));
}
