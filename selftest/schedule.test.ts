/** The fault runs' scheduling: longest first, a bounded pool that keeps the order of results, workers per run. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { longestFirst, runPool, workersFor } from './schedule.js';

describe('scheduling the fault runs', () => {
  it('orders by estimate, largest first, ties in their order', () => {
    assert.deepEqual(longestFirst(['a', 'bb', 'c', 'ddd', 'e'], (item) => item.length), ['ddd', 'bb', 'a', 'c', 'e']);
  });

  it('runs at most `concurrency` at once, starts them in order and returns the results in order', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await runPool([30, 5, 20, 1, 10, 2], 3, async (ms, index) => {
      started.push(index);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running -= 1;
      return ms * 2;
    });
    assert.equal(most, 3);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(results, [60, 10, 40, 2, 20, 4]);
  });

  it('starts nothing new after a failure and rethrows it once the runs in flight end', async () => {
    const finished: number[] = [];
    await assert.rejects(
      runPool([1, 2, 3, 4], 2, async (item) => {
        await new Promise((resolve) => setTimeout(resolve, item === 1 ? 1 : 20));
        if (item === 1) throw new Error('run 1 broke');
        finished.push(item);
      }),
      /run 1 broke/,
    );
    // 2 was in flight and ended; nothing started after 1 failed.
    assert.deepEqual(finished, [2]);
  });

  it('refuses a concurrency that is not a whole number ≥ 1, and handles no items', async () => {
    await assert.rejects(runPool([1], 0, async () => 1), RangeError);
    assert.deepEqual(await runPool([], 2, async () => 1), []);
  });

  it('gives a run one worker per 15 checks, at least one, at most the limit', () => {
    assert.equal(workersFor(1, 2), 1);
    assert.equal(workersFor(15, 2), 1);
    assert.equal(workersFor(16, 2), 2);
    assert.equal(workersFor(200, 2), 2);
    assert.equal(workersFor(0, 3), 1);
  });
});
