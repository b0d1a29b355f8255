import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareRuns, outcomeOf } from './flakiness.js';
import type { RunTimings, TestTiming } from './timing-reporter.js';

function run(statuses: Record<string, TestTiming['status']>): RunTimings {
  return {
    startupMs: 0,
    testsMs: 0,
    status: 'passed',
    tests: Object.entries(statuses).map(([title, status]) => ({ file: 'tests/a.spec.ts', title, project: 'conformance', workerIndex: 0, parallelIndex: 0, startMs: 0, durationMs: 1, status, setup: [], authorizationsMs: [] })),
  };
}

describe('compareRuns', () => {
  it('finds no change in identical runs', () => {
    const verdict = compareRuns([1, 2, 3].map(() => outcomeOf(run({ a: 'passed', b: 'skipped' }), 10, 0)));
    assert.deepEqual(verdict, { changed: [], alwaysFailed: [], checks: 2 });
  });

  it('names a check whose outcome changed, with its status in every run, and one missing from a run', () => {
    const verdict = compareRuns([
      outcomeOf(run({ a: 'passed', b: 'passed' }), 10, 0),
      outcomeOf(run({ a: 'failed', b: 'passed' }), 10, 1),
      outcomeOf(run({ a: 'passed' }), 10, 0),
    ]);
    assert.deepEqual(verdict.changed, [
      { check: 'conformance › tests/a.spec.ts › a', statuses: ['passed', 'failed', 'passed'] },
      { check: 'conformance › tests/a.spec.ts › b', statuses: ['passed', 'passed', '-'] },
    ]);
  });

  it('tells a check that always fails apart from a flaky one', () => {
    const verdict = compareRuns([outcomeOf(run({ a: 'failed', b: 'timedOut' }), 1, 1), outcomeOf(run({ a: 'failed', b: 'timedOut' }), 1, 1)]);
    assert.deepEqual(verdict.changed, []);
    assert.deepEqual(verdict.alwaysFailed, ['conformance › tests/a.spec.ts › a', 'conformance › tests/a.spec.ts › b']);
  });
});
