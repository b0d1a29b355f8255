/**
 * A fault run with Playwright retries, read as two runs: the checks' first attempts, which the fault is
 * judged on (selftest/judge.ts judgeFault), and the second attempts of the checks that failed, which
 * confirm a detection (confirmDetection: a citing failure must repeat against the same faulty sandbox).
 * Playwright retries a failed check in a fresh worker, so the confirmation costs no extra run. The run of
 * the checks citing the fault stops at the first check that failed both attempts (--max-failures 1):
 * one confirmed citing failure is the detection, and the checks after it would only cost time.
 */
import type { JSONReport, JSONReportSuite, JSONReportTest } from '@playwright/test/reporter';
import { VIOLATED_ANNOTATION } from '../fixtures/annotations.js';
import { readChecks, type ReadReport } from '../lib/requirements/checks.js';

type Result = JSONReportTest['results'][number];

const FAILED_STATUSES: ReadonlySet<string> = new Set(['failed', 'timedOut']);
/**
 * An attempt Playwright stopped because the run ended (--max-failures reached, Ctrl+C): it neither
 * passed nor failed, as Playwright's own outcome of such a test says ("skipped").
 */
const NOT_RUN_STATUSES: ReadonlySet<string> = new Set(['skipped', 'interrupted']);

/** The test as if only its attempt `attempt` had run; undefined when it had no such attempt. */
function attemptOf(test: JSONReportTest, attempt: number): JSONReportTest | undefined {
  const result: Result | undefined = test.results[attempt];
  if (result === undefined) return attempt === 0 ? test : undefined;
  const outcome = result.status ?? 'failed';
  const status = NOT_RUN_STATUSES.has(outcome) ? 'skipped' : FAILED_STATUSES.has(outcome) ? 'unexpected' : 'expected';
  // The test's own annotations are its static ones plus the last attempt's run-time ones: keep the static ones only.
  const annotations = (test.annotations ?? []).filter((annotation) => annotation.type !== VIOLATED_ANNOTATION);
  return { ...test, status, annotations, results: [result] };
}

function attemptSuite(suite: JSONReportSuite, attempt: number): JSONReportSuite {
  return {
    ...suite,
    specs: suite.specs.flatMap((spec) => {
      const tests = spec.tests.flatMap((test) => attemptOf(test, attempt) ?? []);
      return tests.length > 0 ? [{ ...spec, tests }] : [];
    }),
    ...(suite.suites === undefined ? {} : { suites: suite.suites.map((child) => attemptSuite(child, attempt)) }),
  };
}

export interface Attempts {
  /** Every check as its first attempt went. */
  readonly first: ReadReport;
  /** The checks run a second time (they failed the first), as that attempt went. */
  readonly retried: ReadReport;
}

export function readAttempts(report: JSONReport): Attempts {
  const at = (attempt: number): ReadReport => readChecks({ ...report, suites: report.suites.map((suite) => attemptSuite(suite, attempt)) });
  const first = at(0);
  return { first, retried: { checks: at(1).checks, errors: [] } };
}
