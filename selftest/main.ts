/**
 * `npm run selftest [-- --fault a,b] [--parallel N] [--workers N] [--min-detection R] [--quick] [--verify-selection] [--suite-reports]`
 *
 * Measures whether the conformance suite would notice a faulty BB2. First one clean run of the whole
 * suite against the embedded sandbox (it must pass: a failure there is a false alarm), recording which
 * behaviour seams each check's requests read (selftest/recording.ts). Then each fault mode
 * (sandbox/src/faults/catalog.ts) runs with its own faulty sandbox and only the checks that read a seam
 * it replaces (selftest/selection.ts): those citing its requirements first, the rest only if those did
 * not detect it; several faults at once (selftest/schedule.ts). A fault is detected only when a failed
 * check cites a requirement the fault breaks, and fails again when Playwright retries it
 * (selftest/judge.ts, selftest/attempts.ts); a fault's run of its citing checks stops there. Results go
 * to reports/selftest.md and .json (selftest/report.ts) and to Allure results (selftest/allure.ts); each
 * run's JSON report and output to
 * reports/selftest/runs/. The console gets one line per fault and the duration at the end.
 *
 * Exit status: 0 when the clean run passed and the detection rate reached --min-detection, 1 when not,
 * 2 for a usage or configuration error.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadSuiteConfig, REPO_ROOT } from '../lib/config.js';
import { FAULT_MODES, faultModeOrThrow, faultRequirements, parseFlags, UnknownFaultError, UsageError, type FaultMode } from '../lib/embedded-sandbox.js';
import { CatalogueError, loadCatalogue, type Catalogue } from '../lib/requirements/catalogue.js';
import type { Check } from '../lib/requirements/checks.js';
import { writeSelftestAllureResults } from './allure.js';
import { describeAreaTags, filesForArea } from './areas.js';
import { readAttempts } from './attempts.js';
import { combineRuns, confirmDetection, describeResult, failedChecks, judgeClean, judgeFault, listTitles, notExercised, untestedArea, type AreaCheck, type FaultResult, type FaultRunSummary, type SelectionSummary } from './judge.js';
import { RecordingError, readSeamRecording } from './recording.js';
import { duration, renderMarkdown, summarize } from './report.js';
import { REPORTS_DIR, RUNS_DIR, runSuite, stopActiveRuns, TEST_DIR, type FinishedRun } from './run.js';
import { longestFirst, runPool, workersFor } from './schedule.js';
import { attributeSeams, citingFirst, selectChecks, serialSpecFiles, testListLines, type RunPlan, type Selection } from './selection.js';

const USAGE = `Usage: npm run selftest [-- --fault ID,ID | --skip ID,ID] [--parallel N] [--workers N] [--min-detection R] [--quick] [--verify-selection] [--suite-reports]

Runs the suite once against the clean embedded sandbox (it must pass), recording which fault modes
would have changed an answer to each check's requests; then every fault mode with its own faulty
sandbox and only those checks, several faults at once. A fault is detected when a check citing a requirement
it breaks fails, and fails again when retried. Writes reports/selftest.md, reports/selftest.json and
Allure results (reports/selftest/allure-results, shown by npm run report with the suite's).

  --fault ID,ID        only these fault modes (default: all that are detectable)
  --skip ID,ID         all fault modes but these
  --parallel N         fault runs at once, each with its own sandbox (default 3)
  --workers N          most Playwright workers of a fault run (default 2; the clean run uses the suite's)
  --min-detection R    required detection rate, 0..1 (default 1 = every fault caught)
  --quick              do not retry failed checks to confirm a detection
  --verify-selection   also run each fault with every spec file of its area (slow) and report any
                       check that failed there but was not selected
  --suite-reports      the clean run also writes the suite's reports (HTML, JUnit, Allure) into reports/
  -h, --help           this text`;

const DEFAULT_PARALLEL = 3;
const DEFAULT_WORKERS = 2;
/** A fault run's fixed cost (runner, sandbox, worker, browser, logins), for ordering the runs only. */
const RUN_OVERHEAD_MS = 6_000;
const SEAMS_DIR = path.join(RUNS_DIR, 'seams');
const ALLURE_RESULTS_DIR = path.join(RUNS_DIR, 'allure-results');

interface Options {
  readonly faults: readonly FaultMode[];
  readonly parallel: number;
  readonly workers: number;
  readonly minDetection: number;
  readonly confirm: boolean;
  readonly verifySelection: boolean;
  readonly suiteReports: boolean;
}

function wholeNumber(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!(Number.isInteger(value) && value >= 1)) throw new UsageError(`--${flag} must be a whole number ≥ 1, got "${raw}"`);
  return value;
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  const values = parseFlags(argv, {
    fault: { type: 'string' },
    skip: { type: 'string' },
    parallel: { type: 'string' },
    workers: { type: 'string' },
    'min-detection': { type: 'string' },
    quick: { type: 'boolean' },
    'verify-selection': { type: 'boolean' },
    'suite-reports': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  if (values.fault !== undefined && values.skip !== undefined) throw new UsageError('--fault and --skip exclude each other');
  const ids = (list: string) => list.split(',').map((id) => id.trim()).filter((id) => id !== '').map((id) => faultModeOrThrow(id).id);
  const skipped = new Set(values.skip === undefined ? [] : ids(values.skip));
  const faults = values.fault === undefined ? FAULT_MODES.filter((mode) => !skipped.has(mode.id)) : ids(values.fault).map(faultModeOrThrow);
  if (faults.length === 0) throw new UsageError(values.skip === undefined ? '--fault names no fault mode' : '--skip leaves no fault mode');
  const minDetection = values['min-detection'] === undefined ? 1 : Number(values['min-detection']);
  if (!(minDetection >= 0 && minDetection <= 1)) throw new UsageError(`--min-detection must be a number from 0 to 1, got "${values['min-detection']}"`);
  return {
    faults,
    parallel: wholeNumber('parallel', values.parallel, DEFAULT_PARALLEL),
    workers: wholeNumber('workers', values.workers, DEFAULT_WORKERS),
    minDetection,
    confirm: values.quick !== true,
    verifySelection: values['verify-selection'] === true,
    suiteReports: values['suite-reports'] === true,
  };
}

function gitCommit(): string | undefined {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

interface FaultJob {
  readonly mode: FaultMode;
  readonly selection: Selection;
  readonly plan: RunPlan;
}

interface Context {
  readonly options: Options;
  readonly catalogue: Catalogue;
  readonly listing: readonly Check[];
  readonly serialFiles: ReadonlySet<string>;
}

function problemsOf(runs: readonly FinishedRun[]): string | undefined {
  const problems = runs.flatMap((run) => (run.problem === undefined ? [] : [run.problem]));
  return problems.length > 0 ? problems.join('; ') : undefined;
}

interface Batch {
  readonly name: string;
  readonly checks: readonly Check[];
  /** Stop at the first check that failed every attempt (Playwright's --max-failures 1). */
  readonly stopAtFirstFailure: boolean;
}

/**
 * The fault's checks citing its requirements, then (only if they did not detect it) the rest of its
 * selection, each a Playwright run against its own faulty sandbox with a retry of every failed check.
 * The citing checks' run ends at its first confirmed failure, which is the detection; should that
 * failure be a check that does not cite the fault (one of a serial group, or a file the test list had
 * to name whole), the citing checks run again to the end, since the early stop proved nothing. The rest
 * of the selection always runs whole: each of its failures is a finding ("caught only by another check").
 */
async function runFault(job: FaultJob, context: Context): Promise<FaultResult> {
  const { mode, selection, plan } = job;
  const { options, catalogue } = context;
  const pending: Batch[] = [
    ...(plan.citing.length > 0 ? [{ name: `fault-${mode.id}`, checks: plan.citing, stopAtFirstFailure: true }] : []),
    ...(plan.rest.length > 0 ? [{ name: `fault-${mode.id}-rest`, checks: plan.rest, stopAtFirstFailure: false }] : []),
  ];
  const runs: FinishedRun[] = [];
  const summaries: FaultRunSummary[] = [];
  const ranKeys = new Set<string>();
  let secondsSpent = 0;
  let result: FaultResult | undefined;
  for (let batch = pending.shift(); batch !== undefined; batch = pending.shift()) {
    const workers = workersFor(batch.checks.length, options.workers);
    const run = await runSuite({
      name: batch.name,
      faultId: mode.id,
      testList: testListLines(batch.checks),
      workers,
      retries: options.confirm ? 1 : 0,
      ...(batch.stopAtFirstFailure ? { maxFailures: 1 } : {}),
    });
    secondsSpent += run.seconds;
    for (const check of batch.checks) ranKeys.add(check.key);
    summaries.push({ folder: run.folder, checks: batch.checks.length, workers, seconds: run.seconds });
    const stoppedEarly = batch.stopAtFirstFailure && run.outcome.checks.some((check) => check.status === 'failed');
    const attempts = [...runs, run].map((each) => (each.report === undefined ? { first: each.outcome, retried: { checks: [], errors: [] } } : readAttempts(each.report)));
    const judged = judgeFault(mode, combineRuns(attempts.map((each) => each.first)), secondsSpent, catalogue, problemsOf([...runs, run]));
    result = options.confirm ? confirmDetection(judged, combineRuns(attempts.map((each) => each.retried)), 0) : judged;
    // Checks that do not cite the fault cannot change a detection; an error would only repeat.
    if (result.verdict === 'detected' || result.verdict === 'error') break;
    if (stoppedEarly) {
      pending.unshift({ name: `fault-${mode.id}-whole`, checks: batch.checks, stopAtFirstFailure: false });
      continue;
    }
    runs.push(run);
  }
  const summary: SelectionSummary = {
    seams: selection.seams,
    readers: selection.readers,
    selected: selection.checks.length,
    ran: ranKeys.size,
    ...(selection.everyCheck === undefined ? {} : { everyCheck: selection.everyCheck }),
    runs: summaries,
  };
  return { ...(result as FaultResult), selection: summary };
}

/** --verify-selection: the fault with every spec file of its area, as before the selection. */
async function areaCheck(job: FaultJob, context: Context): Promise<AreaCheck> {
  const files = filesForArea(context.listing, job.mode.area);
  // No file at all would run the whole suite (runSuite's default): an area no check is tagged for runs nothing.
  if (files !== undefined && files.length === 0) {
    return { verdict: untestedArea(job.mode, describeAreaTags(job.mode.area)).verdict, testsRun: 0, seconds: 0, failedOutsideSelection: [], caughtBy: [] };
  }
  const run = await runSuite({ name: `fault-${job.mode.id}-area`, faultId: job.mode.id, files, workers: context.options.workers });
  const judged = judgeFault(job.mode, run.outcome, run.seconds, context.catalogue, run.problem);
  const selected = new Set(job.selection.checks.map((check) => check.key));
  return {
    verdict: judged.verdict,
    testsRun: judged.testsRun,
    seconds: run.seconds,
    failedOutsideSelection: failedChecks(run.outcome).filter((check) => !selected.has(check.key)).map((check) => check.title),
    caughtBy: judged.caughtBy.map((check) => check.title),
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const suite = loadSuiteConfig();
  if (suite.target.kind !== 'embedded') {
    throw new UsageError('the self-test needs the embedded sandbox: unset BB2_BASE_URL (in .env or the environment)');
  }
  // Before any run: the judgement reads the requirements the checks and faults cite.
  const catalogue = loadCatalogue();
  // Only this self-test's runs, recording and results from here on.
  rmSync(RUNS_DIR, { recursive: true, force: true });
  mkdirSync(RUNS_DIR, { recursive: true });
  const runnable = options.faults.filter((mode) => mode.undetectable === undefined);
  const undetectable = options.faults.flatMap((mode) =>
    mode.undetectable === undefined ? [] : [{ id: mode.id, area: mode.area, requirements: [...faultRequirements(mode)], reason: mode.undetectable }],
  );
  const startedAt = Date.now();
  const started = performance.now();

  // The clean run: every check, recording the seams each one's requests read. Its report is the listing.
  const cleanRun = await runSuite({ name: 'clean', faultId: undefined, workers: undefined, recordSeamsTo: SEAMS_DIR, suiteReports: options.suiteReports });
  const listing = cleanRun.outcome.checks;
  if (listing.length === 0) throw new Error(`the clean run ran no test${cleanRun.problem ? `: ${cleanRun.problem}` : ''}; see ${cleanRun.folder}/output.log`);
  const clean = judgeClean(cleanRun.outcome, cleanRun.seconds);
  const cleanResult = { ...clean, errors: cleanRun.problem === undefined ? clean.errors : [...clean.errors, cleanRun.problem] };
  console.log(
    `clean run: ${clean.passed} passed, ${clean.failed.length} failed, ${clean.skipped} skipped` +
      `${cleanResult.errors.length > 0 ? `, errors: ${cleanResult.errors.join('; ')}` : ''} (${duration(clean.seconds)})` +
      `${clean.failed.length > 0 ? ` FALSE ALARMS: ${listTitles(clean.failed)}` : ''}`,
  );

  const attribution = attributeSeams(readSeamRecording(SEAMS_DIR));
  const context: Context = { options, catalogue, listing, serialFiles: serialSpecFiles(path.join(REPO_ROOT, TEST_DIR)) };
  const results = new Map<string, FaultResult>();
  const jobs: FaultJob[] = [];
  for (const mode of runnable) {
    const selection = selectChecks(mode, attribution, listing, context.serialFiles);
    if (selection.checks.length === 0) {
      results.set(mode.id, notExercised(mode, { seams: selection.seams, readers: selection.readers, selected: 0, ran: 0, runs: [] }));
      continue;
    }
    jobs.push({ mode, selection, plan: citingFirst(selection.checks, listing, faultRequirements(mode), catalogue, context.serialFiles) });
  }
  const estimate = (job: FaultJob) => RUN_OVERHEAD_MS + (job.plan.citing.length > 0 ? job.plan.citing : job.plan.rest).reduce((total, check) => total + check.durationMs, 0);
  let done = 0;
  const report = (result: FaultResult, area: string): void => {
    done += 1;
    console.log(`[${done}/${runnable.length}] ${result.id} (${area}): ${describeResult(result)} (${duration(result.seconds)})`);
  };
  for (const result of results.values()) report(result, result.area);
  const faultStarts = new Map<string, number>();
  await runPool(longestFirst(jobs, estimate), options.parallel, async (job) => {
    faultStarts.set(job.mode.id, Date.now());
    let result = await runFault(job, context);
    if (options.verifySelection) result = { ...result, areaCheck: await areaCheck(job, context) };
    results.set(job.mode.id, result);
    report(result, job.mode.area);
  });

  const faults = runnable.flatMap((mode) => results.get(mode.id) ?? []);
  const summary = summarize(
    {
      generatedAt: new Date(startedAt).toISOString(),
      commit: gitCommit(),
      workers: options.workers,
      parallel: options.parallel,
      minDetection: options.minDetection,
      clean: cleanResult,
      faults,
      undetectable,
      unattributedFaults: Object.fromEntries([...attribution.unattributed].map(([fault, scopes]) => [fault, [...scopes]])),
      totalSeconds: (performance.now() - started) / 1000,
    },
    listing,
    catalogue,
  );
  const markdown = renderMarkdown(summary);
  writeFileSync(path.join(REPORTS_DIR, 'selftest.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(REPORTS_DIR, 'selftest.md'), markdown);
  writeSelftestAllureResults({ summary, markdown, descriptions: new Map(options.faults.map((mode) => [mode.id, mode.description])), startedAt, faultStarts }, ALLURE_RESULTS_DIR);
  const detected = faults.filter((fault) => fault.verdict === 'detected').length;
  console.log(
    `Self-test ${summary.passed ? 'PASSED' : 'FAILED'}: detection ${(summary.detectionRate * 100).toFixed(1)}% (${detected}/${faults.length}, ` +
      `threshold ${(options.minDetection * 100).toFixed(1)}%), caught only by another check ${summary.caughtElsewhere}, not exercised ${summary.notExercised}, ` +
      `false alarms ${summary.falseAlarms}, ${undetectable.length} undetectable not run. Report: reports/selftest.md (Allure: npm run report)`,
  );
  console.log(`Duration: ${duration(summary.totalSeconds)} (${options.parallel} fault runs at once, up to ${options.workers} workers each)`);
  return summary.passed ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopActiveRuns();
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`selftest: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof UnknownFaultError || error instanceof ConfigError || error instanceof CatalogueError) {
      console.error(`selftest: ${error.message}`);
      process.exit(2);
    }
    if (error instanceof RecordingError) {
      console.error(`selftest: the clean run's seam recording: ${error.message}`);
      process.exit(1);
    }
    console.error(`selftest: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
