/**
 * The self-test's judgement, apart from the code that runs Playwright (selftest/run.ts) so that it can
 * be unit-tested on hand-made reports.
 *
 * A fault counts as detected only when a failed check cites one of the requirements the fault breaks:
 * statically (its requirement annotation, with the requirements it `includes` through a validator) or
 * at run time (a `violated` annotation a validation matcher added). Failures of checks that cite none of
 * them are "caught only by another check": reported as a finding, never counted as a detection, since
 * the suite noticed the fault by accident.
 */
import { faultRequirements, type FaultArea, type FaultMode } from '../lib/embedded-sandbox.js';
import { citedThrough, type Catalogue } from '../lib/requirements/catalogue.js';
import type { Check, ReadReport } from '../lib/requirements/checks.js';

/** 'not-exercised': no check read a seam the fault replaces (selftest/selection.ts), so none could see it. */
export type Verdict = 'detected' | 'caught-elsewhere' | 'missed' | 'not-exercised' | 'error';

export interface CaughtCheck {
  /** "file › describe › test". */
  readonly title: string;
  /** Its spec file, relative to tests/, to run it again. */
  readonly file: string;
  /** The fault's requirements this check cites. */
  readonly cites: readonly string[];
}

export interface FaultResult {
  readonly id: string;
  readonly area: FaultArea;
  /** The requirement ids the fault breaks. */
  readonly requirements: readonly string[];
  readonly verdict: Verdict;
  /** Failed checks citing one of `requirements`; once confirmed, those that failed again. */
  readonly caughtBy: readonly CaughtCheck[];
  /** Failed checks citing none of `requirements`: they do not count as catching the fault. */
  readonly otherFailures: readonly string[];
  /** Failed checks citing the fault's requirements in the first run (before any confirmation). */
  readonly failedCiting: number;
  /** Whether the citing failures were run a second time, and how many failed again. */
  readonly confirmation?: { readonly rerun: number; readonly failedAgain: number };
  readonly testsRun: number;
  readonly seconds: number;
  /** Why a run was an error (no test ran), or other remarks. */
  readonly note?: string;
  /** Which checks the fault ran with and why (selftest/selection.ts), and its runs. */
  readonly selection?: SelectionSummary;
  /** With --verify-selection: the same fault run with every spec file of its area, compared. */
  readonly areaCheck?: AreaCheck;
}

export interface FaultRunSummary {
  /** Its folder under reports/selftest/runs/. */
  readonly folder: string;
  readonly checks: number;
  readonly workers: number;
  readonly seconds: number;
}

export interface SelectionSummary {
  /** The seams the fault replaces ("fhir.serveResource"). */
  readonly seams: readonly string[];
  /** Checks whose requests (or worker fixtures) read one of them in the clean run. */
  readonly readers: number;
  /** Checks to one of whose requests (or worker fixtures') the fault's seams would have answered differently: they can see it. */
  readonly selected: number;
  /** Of those, the ones that ran: the checks citing the fault's requirements first, the rest only if they did not detect it. */
  readonly ran: number;
  /** Set when every check ran because the fault changed an answer where no check can be named: where. */
  readonly everyCheck?: string;
  readonly runs: readonly FaultRunSummary[];
}

export interface AreaCheck {
  readonly verdict: Verdict;
  readonly testsRun: number;
  readonly seconds: number;
  /** Checks that failed in the area run but were not selected: each one a hole in the seam attribution. */
  readonly failedOutsideSelection: readonly string[];
  /** Citing checks that caught the fault in the area run. */
  readonly caughtBy: readonly string[];
}

export function failedChecks(run: ReadReport): Check[] {
  return run.checks.filter((check) => check.status === 'failed' || check.status === 'flaky');
}

/**
 * Which of `requirements` a check cites: its static ids and the ids they include, plus the ids its
 * results were annotated `violated` with, against each requirement and the ids it includes.
 */
export function citedFaultRequirements(check: Check, requirements: readonly string[], catalogue: Catalogue): string[] {
  const citations = new Set([...citedThrough(check.requirements, catalogue), ...check.violated]);
  return requirements.filter((id) => [...citedThrough([id], catalogue)].some((covered) => citations.has(covered)));
}

function baseResult(mode: FaultMode, seconds: number) {
  return { id: mode.id, area: mode.area, requirements: [...faultRequirements(mode)], seconds };
}

/**
 * A run in which no test ran (the faulty sandbox did not start, a config error) is an error, never a
 * detection.
 */
export function judgeFault(mode: FaultMode, run: ReadReport, seconds: number, catalogue: Catalogue, exitNote?: string): FaultResult {
  const base = baseResult(mode, seconds);
  const failed = failedChecks(run);
  const caughtBy: CaughtCheck[] = [];
  const otherFailures: string[] = [];
  for (const check of failed) {
    const cites = citedFaultRequirements(check, base.requirements, catalogue);
    if (cites.length > 0) caughtBy.push({ title: check.title, file: check.file, cites });
    else otherFailures.push(check.title);
  }
  const testsRun = run.checks.filter((check) => check.status !== 'skipped').length;
  const result = { ...base, caughtBy, otherFailures, failedCiting: caughtBy.length, testsRun };
  if (testsRun === 0) {
    const note = [exitNote, ...run.errors].filter((part) => part !== undefined && part !== '').join('; ') || 'no test ran';
    return { ...result, verdict: 'error', note };
  }
  if (caughtBy.length > 0) return { ...result, verdict: 'detected' };
  return { ...result, verdict: otherFailures.length > 0 ? 'caught-elsewhere' : 'missed' };
}

/** A fault's result when none of its checks ran: `verdict` and why. */
function withoutRun(mode: FaultMode, verdict: 'missed' | 'not-exercised', note: string, selection?: SelectionSummary): FaultResult {
  return { ...baseResult(mode, 0), verdict, caughtBy: [], otherFailures: [], failedCiting: 0, testsRun: 0, note, ...(selection === undefined ? {} : { selection }) };
}

/** The result for an area no check of the suite is tagged for: nothing could catch the fault. */
export function untestedArea(mode: FaultMode, areaTags: string): FaultResult {
  return withoutRun(mode, 'missed', `no check carries the area's tags (${areaTags})`);
}

/** The result for a fault no check exercises: its seams answered no check's request differently in the clean run. */
export function notExercised(mode: FaultMode, selection: SelectionSummary): FaultResult {
  const seams = selection.seams.join(', ');
  const note =
    selection.readers === 0
      ? `no check's requests read ${seams} in the clean run`
      : `${seams} would have answered none of the requests of the ${selection.readers} check(s) reading it differently in the clean run`;
  return withoutRun(mode, 'not-exercised', note, selection);
}

/** Two runs' checks as one (the checks citing the fault, then the rest of the selection). */
export function combineRuns(runs: readonly ReadReport[]): ReadReport {
  return { checks: runs.flatMap((run) => run.checks), errors: runs.flatMap((run) => run.errors) };
}

/**
 * A detection stands only if a citing failure repeats when that check runs again against the same
 * faulty sandbox: a timeout under load is not the suite noticing the fault. `rerun` is the second
 * attempts (Playwright's retry of every failed check, selftest/attempts.ts); a citing failure whose
 * second attempt did not run (the run stopped at the first confirmed detection) neither confirms nor
 * refutes.
 */
export function confirmDetection(result: FaultResult, rerun: ReadReport, rerunSeconds: number): FaultResult {
  if (result.verdict !== 'detected') return result;
  const ranAgain = new Set(rerun.checks.filter((check) => check.status !== 'skipped').map((check) => check.title));
  const rerunTitles = new Set(result.caughtBy.map((check) => check.title).filter((title) => ranAgain.has(title)));
  const failedAgain = new Set(failedChecks(rerun).map((check) => check.title).filter((title) => rerunTitles.has(title)));
  const repeated = result.caughtBy.filter((check) => failedAgain.has(check.title));
  const confirmed = {
    ...result,
    seconds: result.seconds + rerunSeconds,
    confirmation: { rerun: rerunTitles.size, failedAgain: repeated.length },
  };
  if (repeated.length > 0) return { ...confirmed, caughtBy: repeated };
  if (rerunTitles.size === 0) {
    return { ...confirmed, verdict: 'missed', note: `no citing failure ran a second time to confirm it: ${listTitles(result.caughtBy.map((check) => check.title))}` };
  }
  return {
    ...confirmed,
    verdict: 'missed',
    note: `the citing failures did not repeat when run again (flaky, not the fault): ${listTitles(result.caughtBy.map((check) => check.title))}`,
  };
}

export function listTitles(titles: readonly string[], shown = 3): string {
  if (titles.length === 0) return '';
  const head = titles.slice(0, shown).join('; ');
  return titles.length > shown ? `${head}; … (${titles.length} in all)` : `${head} (${titles.length})`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** One line about a fault's result, for the console. */
export function describeResult(result: FaultResult): string {
  const requirements = result.requirements.join(', ');
  switch (result.verdict) {
    case 'detected': {
      const again = result.confirmation ? `, ${result.confirmation.failedAgain} of ${result.confirmation.rerun} rerun failed again` : '';
      const others = result.otherFailures.length > 0 ? `; ${result.otherFailures.length} other failed` : '';
      return `DETECTED: ${plural(result.failedCiting, 'check')} citing ${requirements} failed${again}${others}`;
    }
    case 'caught-elsewhere':
      return `CAUGHT ONLY BY OTHER CHECKS (a finding): ${plural(result.otherFailures.length, 'check')} failed, none citing ${requirements}`;
    case 'error':
      return `ERROR, ${result.note ?? 'no test ran'}`;
    case 'missed':
      return `MISSED, ${result.note ?? 'no check failed'}`;
    case 'not-exercised':
      return `NOT EXERCISED (a finding), ${result.note ?? 'no check reads its seam'}`;
  }
}

export interface CleanResult {
  readonly testsRun: number;
  readonly passed: number;
  readonly failed: readonly string[];
  readonly skipped: number;
  readonly errors: readonly string[];
  readonly seconds: number;
}

export function judgeClean(run: ReadReport, seconds: number): CleanResult {
  return {
    testsRun: run.checks.filter((check) => check.status !== 'skipped').length,
    passed: run.checks.filter((check) => check.status === 'passed').length,
    failed: failedChecks(run).map((check) => check.title),
    skipped: run.checks.filter((check) => check.status === 'skipped').length,
    errors: run.errors,
    seconds,
  };
}

/** A clean run is green when tests ran, none failed and nothing broke outside the tests. */
export function cleanRunIsGreen(clean: CleanResult): boolean {
  return clean.testsRun > 0 && clean.failed.length === 0 && clean.errors.length === 0;
}

/** Detected / faults run (undetectable ones excluded); 1 when none ran. "Caught elsewhere" is not detected. */
export function detectionRate(faults: readonly FaultResult[]): number {
  return faults.length === 0 ? 1 : faults.filter((fault) => fault.verdict === 'detected').length / faults.length;
}
