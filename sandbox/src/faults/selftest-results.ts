/**
 * The self-test's judgement, kept apart from scripts/selftest.ts (which only runs Playwright) so it can
 * be unit-tested: reading Playwright's JSON report, deciding whether a fault was caught in its area,
 * the detection rate, and the Markdown and JSON reports.
 */
import type { JSONReport, JSONReportSuite } from '@playwright/test/reporter';
import { AREA_TAGS, type FaultArea, type FaultMode } from './catalog.js';

export type TestStatus = 'passed' | 'failed' | 'flaky' | 'skipped';

export interface TestOutcome {
  /** "file › describe › test". */
  readonly title: string;
  /** The spec file, relative to the test directory. */
  readonly file: string;
  /** Tags without "@", as Playwright reports them. */
  readonly tags: readonly string[];
  readonly status: TestStatus;
}

export interface RunOutcome {
  readonly tests: readonly TestOutcome[];
  /** Errors outside any test (config, webServer, global setup), first line each. */
  readonly errors: readonly string[];
}

const STATUS: Readonly<Record<string, TestStatus>> = { expected: 'passed', unexpected: 'failed', flaky: 'flaky', skipped: 'skipped' };

// Playwright's messages carry terminal colours even in the JSON report.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function firstLine(message: string | undefined): string {
  return (message ?? '').replace(ANSI, '').trim().split('\n', 1)[0] ?? '';
}

/** Every test of a Playwright JSON report with its final status, and the report's global errors. */
export function readRunOutcome(report: JSONReport): RunOutcome {
  const tests: TestOutcome[] = [];
  const walk = (suite: JSONReportSuite, titles: readonly string[]): void => {
    for (const spec of suite.specs) {
      for (const test of spec.tests) {
        tests.push({
          title: [...titles, spec.title].join(' › '),
          file: spec.file,
          tags: [...spec.tags],
          status: STATUS[test.status] ?? 'failed',
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const fileSuite of report.suites) walk(fileSuite, [fileSuite.title]);
  return { tests, errors: report.errors.map((error) => firstLine(error.message)).filter((line) => line !== '') };
}

export function failedTests(run: RunOutcome): TestOutcome[] {
  return run.tests.filter((test) => test.status === 'failed' || test.status === 'flaky');
}

/**
 * The spec files to run for a fault area: every file with at least one test tagged for the area, whole,
 * because a test of a serial group needs the tests before it even when they carry other tags (a
 * `--grep` on the tags would break such groups). Undefined means the whole suite.
 */
export function filesForArea(listing: RunOutcome, area: FaultArea): string[] | undefined {
  if (AREA_TAGS[area] === 'any') return undefined;
  return [...new Set(listing.tests.filter((test) => isInArea(test, area)).map((test) => test.file))].sort();
}

export function isInArea(test: TestOutcome, area: FaultArea): boolean {
  const tags = AREA_TAGS[area];
  return tags === 'any' || test.tags.some((tag) => tags.includes(tag));
}

export type Verdict = 'detected' | 'missed' | 'error';

export interface FaultResult {
  readonly id: string;
  readonly area: FaultArea;
  readonly requirement: string;
  readonly verdict: Verdict;
  /** Failed tests in the fault's area (what caught it); once confirmed, those that failed again. */
  readonly caughtBy: readonly string[];
  /** The spec file of each of `caughtBy`, to run them again. */
  readonly caughtIn: readonly string[];
  /** Failed tests in the area in the first run (before any confirmation). */
  readonly failedInArea: number;
  /** Whether the failures were run a second time, and how many failed again. */
  readonly confirmation?: { readonly rerun: number; readonly failedAgain: number };
  /** Failed tests outside the area: they do not count as catching the fault. */
  readonly failedOutsideArea: readonly string[];
  readonly testsRun: number;
  readonly seconds: number;
  /** Why a run was an error (no test ran), or other remarks. */
  readonly note?: string;
}

/**
 * A fault is detected when at least one test of its area failed. A run in which no test ran (the
 * faulty sandbox did not start, a config error) is an error, never a detection.
 */
export function judgeFault(mode: FaultMode, run: RunOutcome, seconds: number, exitNote?: string): FaultResult {
  const failed = failedTests(run);
  const inArea = failed.filter((test) => isInArea(test, mode.area));
  const caughtBy = inArea.map((test) => test.title);
  const caughtIn = inArea.map((test) => test.file);
  const failedOutsideArea = failed.filter((test) => !isInArea(test, mode.area)).map((test) => test.title);
  const ran = run.tests.filter((test) => test.status !== 'skipped').length;
  const base = { id: mode.id, area: mode.area, requirement: mode.requirement, caughtBy, caughtIn, failedInArea: caughtBy.length, failedOutsideArea, testsRun: ran, seconds };
  if (ran === 0) {
    const note = [exitNote, ...run.errors].filter((part) => part !== undefined && part !== '').join('; ') || 'no test ran';
    return { ...base, verdict: 'error', note };
  }
  return { ...base, verdict: caughtBy.length > 0 ? 'detected' : 'missed' };
}

/** The result for an area no test of the suite is tagged for: nothing could catch the fault. */
export function untestedArea(mode: FaultMode): FaultResult {
  const tags = AREA_TAGS[mode.area];
  return {
    id: mode.id,
    area: mode.area,
    requirement: mode.requirement,
    verdict: 'missed',
    caughtBy: [],
    caughtIn: [],
    failedInArea: 0,
    failedOutsideArea: [],
    testsRun: 0,
    seconds: 0,
    note: `no test carries the area's tags (${tags === 'any' ? 'any' : tags.map((tag) => `@${tag}`).join(', ')})`,
  };
}

/** A confirmation run repeats the spec files of at most this many of a detection's failures. */
export const CONFIRM_AT_MOST = 5;

/**
 * A detection stands only if a failure repeats when the failed tests run again against the same
 * faulty sandbox: a timeout under load is not the suite noticing the fault. `rerun` is the outcome of
 * running the spec files of the first CONFIRM_AT_MOST of `result.caughtBy` again.
 */
export function confirmDetection(result: FaultResult, rerun: RunOutcome, rerunSeconds: number): FaultResult {
  if (result.verdict !== 'detected') return result;
  const rerunTitles = new Set(result.caughtBy.slice(0, CONFIRM_AT_MOST));
  const failedAgain = new Set(failedTests(rerun).map((test) => test.title).filter((title) => rerunTitles.has(title)));
  const repeated = result.caughtBy.map((title, index) => ({ title, file: result.caughtIn[index] ?? '' })).filter(({ title }) => failedAgain.has(title));
  const confirmed = {
    ...result,
    seconds: result.seconds + rerunSeconds,
    confirmation: { rerun: rerunTitles.size, failedAgain: repeated.length },
  };
  if (repeated.length > 0) return { ...confirmed, caughtBy: repeated.map(({ title }) => title), caughtIn: repeated.map(({ file }) => file) };
  return {
    ...confirmed,
    verdict: 'missed',
    note: `the area's failures did not repeat when run again (flaky, not the fault): ${listTitles(result.caughtBy)}`,
  };
}

/** One line about a fault's result, for the console. */
export function describeResult(result: FaultResult): string {
  if (result.verdict === 'detected') {
    const again = result.confirmation ? `, ${result.confirmation.failedAgain} of ${result.confirmation.rerun} rerun failed again` : '';
    return `DETECTED: ${result.failedInArea} test${result.failedInArea === 1 ? '' : 's'} of the area failed${again}`;
  }
  if (result.verdict === 'error') return `ERROR, ${result.note ?? 'no test ran'}`;
  const outside = result.failedOutsideArea.length > 0 ? ` (${result.failedOutsideArea.length} failed outside it)` : '';
  return `MISSED, ${result.note ?? 'no failure in the area'}${outside}`;
}

export interface CleanResult {
  readonly testsRun: number;
  readonly passed: number;
  readonly failed: readonly string[];
  readonly skipped: number;
  readonly errors: readonly string[];
  readonly seconds: number;
}

export function judgeClean(run: RunOutcome, seconds: number): CleanResult {
  return {
    testsRun: run.tests.filter((test) => test.status !== 'skipped').length,
    passed: run.tests.filter((test) => test.status === 'passed').length,
    failed: failedTests(run).map((test) => test.title),
    skipped: run.tests.filter((test) => test.status === 'skipped').length,
    errors: run.errors,
    seconds,
  };
}

/** A clean run is green when tests ran, none failed and nothing broke outside the tests. */
export function cleanRunIsGreen(clean: CleanResult): boolean {
  return clean.testsRun > 0 && clean.failed.length === 0 && clean.errors.length === 0;
}

export interface UndetectableFault {
  readonly id: string;
  readonly area: FaultArea;
  readonly reason: string;
}

export interface SelftestSummary {
  readonly generatedAt: string;
  readonly commit: string | undefined;
  readonly workers: number | undefined;
  readonly minDetection: number;
  readonly clean: CleanResult;
  readonly faults: readonly FaultResult[];
  readonly undetectable: readonly UndetectableFault[];
  /** Detected / faults run (undetectable ones excluded); 1 when none ran. */
  readonly detectionRate: number;
  /** Failed tests of the clean run. */
  readonly falseAlarms: number;
  readonly totalSeconds: number;
  readonly passed: boolean;
}

export function detectionRate(faults: readonly FaultResult[]): number {
  return faults.length === 0 ? 1 : faults.filter((fault) => fault.verdict === 'detected').length / faults.length;
}

export function summarize(input: Omit<SelftestSummary, 'detectionRate' | 'falseAlarms' | 'passed'>): SelftestSummary {
  const rate = detectionRate(input.faults);
  return {
    ...input,
    detectionRate: rate,
    falseAlarms: input.clean.failed.length,
    passed: cleanRunIsGreen(input.clean) && rate >= input.minDetection,
  };
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function duration(seconds: number): string {
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(1)} s`;
}

/** Markdown table cells: no pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function listTitles(titles: readonly string[], shown = 3): string {
  if (titles.length === 0) return '';
  const head = titles.slice(0, shown).join('; ');
  return titles.length > shown ? `${head}; … (${titles.length} in all)` : `${head} (${titles.length})`;
}

export function renderMarkdown(summary: SelftestSummary): string {
  const detected = summary.faults.filter((fault) => fault.verdict === 'detected').length;
  const lines = [
    '# Self-test: does the conformance suite catch a faulty BB2?',
    '',
    `Generated ${summary.generatedAt}${summary.commit ? ` at commit ${summary.commit}` : ''} by \`npm run selftest\`.`,
    'Each fault mode (sandbox/src/faults/catalog.ts) starts the embedded sandbox with one realistic deviation;',
    'the suite must fail in that fault\'s area. The clean run (no fault) must pass: any failure there is a false alarm.',
    '',
    `- **Result: ${summary.passed ? 'PASSED' : 'FAILED'}**`,
    `- Detection rate: **${percent(summary.detectionRate)}** (${detected} of ${summary.faults.length} faults; threshold ${percent(summary.minDetection)})`,
    `- False alarms (failures in the clean run): **${summary.falseAlarms}**${summary.clean.errors.length > 0 ? `, run errors: ${summary.clean.errors.length}` : ''}`,
    `- Clean run: ${summary.clean.passed} passed, ${summary.clean.failed.length} failed, ${summary.clean.skipped} skipped in ${duration(summary.clean.seconds)}`,
    `- Total time: ${duration(summary.totalSeconds)}${summary.workers === undefined ? '' : ` (${summary.workers} workers)`}`,
    '',
  ];
  if (summary.clean.failed.length > 0 || summary.clean.errors.length > 0) {
    lines.push('## False alarms', '', ...summary.clean.failed.map((title) => `- ${cell(title)}`), ...summary.clean.errors.map((error) => `- error: ${cell(error)}`), '');
  }
  lines.push(
    '## Fault runs',
    '',
    '| Fault | Area | Result | Failed tests in the area (first 3) | Tests run | Time |',
    '|---|---|---|---|---:|---:|',
    ...summary.faults.map((fault) => {
      const caught =
        fault.verdict === 'error'
          ? `error: ${fault.note ?? ''}`
          : fault.verdict === 'missed'
            ? [fault.note ?? 'none', fault.failedOutsideArea.length > 0 ? `outside the area: ${listTitles(fault.failedOutsideArea)}` : ''].filter((part) => part !== '').join('; ')
            : `${listTitles(fault.caughtBy)}${fault.confirmation ? `; ${fault.failedInArea} failed, ${fault.confirmation.failedAgain} of ${fault.confirmation.rerun} rerun failed again` : ''}`;
      return `| ${fault.id} | ${fault.area} | ${fault.verdict} | ${cell(caught)} | ${fault.testsRun} | ${duration(fault.seconds)} |`;
    }),
    '',
  );
  if (summary.undetectable.length > 0) {
    lines.push('## Not run: faults the suite cannot observe', '', '| Fault | Area | Why |', '|---|---|---|');
    lines.push(...summary.undetectable.map((fault) => `| ${fault.id} | ${fault.area} | ${cell(fault.reason)} |`), '');
  }
  return `${lines.join('\n')}\n`;
}
