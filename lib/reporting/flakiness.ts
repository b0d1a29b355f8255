/**
 * Outcomes of the same suite run several times in a row (scripts/flakiness.ts), compared check by check:
 * a check is flaky when its outcome differs between runs, and failing when it failed in every run.
 */
import type { RunTimings, TestTiming } from './timing-reporter.js';

export interface RunOutcome {
  readonly wallSeconds: number;
  readonly exitCode: number | null;
  /** Check ("project › file › title") → its status in that run. */
  readonly statuses: ReadonlyMap<string, TestTiming['status']>;
}

export interface FlakinessVerdict {
  /** Checks whose outcome changed between runs, with their status in each run ("-" = not run). */
  readonly changed: ReadonlyArray<{ readonly check: string; readonly statuses: readonly string[] }>;
  /** Checks that failed (or timed out) in every run. */
  readonly alwaysFailed: readonly string[];
  readonly checks: number;
}

export function checkName(test: Pick<TestTiming, 'project' | 'file' | 'title'>): string {
  return `${test.project} › ${test.file} › ${test.title}`;
}

export function outcomeOf(timings: RunTimings, wallSeconds: number, exitCode: number | null): RunOutcome {
  return { wallSeconds, exitCode, statuses: new Map(timings.tests.map((test) => [checkName(test), test.status])) };
}

export function compareRuns(runs: readonly RunOutcome[]): FlakinessVerdict {
  const checks = [...new Set(runs.flatMap((run) => [...run.statuses.keys()]))].sort();
  const changed: Array<{ check: string; statuses: string[] }> = [];
  const alwaysFailed: string[] = [];
  for (const check of checks) {
    const statuses = runs.map((run) => run.statuses.get(check) ?? '-');
    if (new Set(statuses).size > 1) changed.push({ check, statuses });
    else if (statuses[0] === 'failed' || statuses[0] === 'timedOut') alwaysFailed.push(check);
  }
  return { changed, alwaysFailed, checks: checks.length };
}
