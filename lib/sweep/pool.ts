/**
 * Runs work over a queue with a fixed number of workers (the sweep's browser contexts): each takes the
 * next item when it is free, so every item is taken exactly once, and none is taken after `shouldStop`.
 *
 * Hand-written (a loop per worker): p-limit, the usual library, schedules every item up front and
 * can only drop the rest by leaving their promises unsettled, which a stoppable sweep cannot use.
 */
export async function forEachConcurrently<T>(items: readonly T[], workers: number, work: (item: T) => Promise<void>, shouldStop: () => boolean = () => false): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined && !shouldStop(); item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, items.length)) }, worker));
}
