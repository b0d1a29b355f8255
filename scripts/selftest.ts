/**
 * `npm run selftest [-- --fault a,b] [--workers N] [--min-detection R]`
 *
 * Measures whether the conformance suite would notice a faulty BB2: one clean run of the whole suite
 * against the embedded sandbox (it must pass: a failure there is a false alarm), then one run per fault
 * mode (sandbox/src/faults/catalog.ts) with only the tests of the fault's area (their tags), which must
 * fail. Results go to reports/selftest.md and reports/selftest.json, Playwright's JSON reports (through
 * the suite's redacting reporter) and the runs' output to reports/selftest/. The console gets one line
 * per run.
 *
 * Exit status: 0 when the clean run passed and the detection rate reached --min-detection, 1 when not,
 * 2 for a usage or configuration error.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { JSONReport } from '@playwright/test/reporter';
import { ConfigError, loadSuiteConfig, REPO_ROOT } from '../lib/config.js';
import { FAULT_MODES, faultModeOrThrow, UnknownFaultError, type FaultMode } from '../sandbox/src/faults/catalog.js';
import { FAULT_VARIABLE } from '../sandbox/src/faults/options.js';
import {
  CONFIRM_AT_MOST,
  confirmDetection,
  describeResult,
  filesForArea,
  judgeClean,
  judgeFault,
  listTitles,
  readRunOutcome,
  renderMarkdown,
  summarize,
  untestedArea,
  type FaultResult,
  type RunOutcome,
} from '../sandbox/src/faults/selftest-results.js';
import { parseFlags, UsageError } from '../sandbox/src/cli-arguments.js';

const USAGE = `Usage: npm run selftest [-- --fault ID,ID] [--workers N] [--min-detection R] [--quick]

Runs the suite once against the clean embedded sandbox (must pass), then once per fault mode with the
tests of the fault's area (must fail; the failed tests run a second time to confirm), and writes
reports/selftest.md and reports/selftest.json.

  --fault ID,ID        only these fault modes (default: all that are detectable)
  --workers N          Playwright workers per run (default: the suite's setting)
  --min-detection R    required detection rate, 0..1 (default 1 = every fault caught)
  --quick              do not run failed tests again to confirm a detection
  -h, --help           this text`;

const REPORTS_DIR = path.join(REPO_ROOT, 'reports');
const RUNS_DIR = path.join(REPORTS_DIR, 'selftest');
const OUTPUT_DIR = path.join(RUNS_DIR, 'test-results');
/** playwright.config.ts testDir, relative to the repository: the JSON report's file names are relative to it. */
const TEST_DIR = 'tests';
const REDACTING_REPORTER = path.join(REPO_ROOT, 'lib/reporting/redacting-reporter.ts');
/** A run that takes longer than this is stopped (a fault that hangs the suite). */
const RUN_TIMEOUT_MS = 20 * 60_000;

interface Options {
  readonly faults: readonly FaultMode[];
  readonly workers: number | undefined;
  readonly minDetection: number;
  readonly confirm: boolean;
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  const values = parseFlags(argv, {
    fault: { type: 'string' },
    workers: { type: 'string' },
    'min-detection': { type: 'string' },
    quick: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const faults = values.fault === undefined ? FAULT_MODES : values.fault.split(',').map((id) => id.trim()).filter((id) => id !== '').map(faultModeOrThrow);
  if (faults.length === 0) throw new UsageError('--fault names no fault mode');
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new UsageError(`--workers must be a whole number ≥ 1, got "${values.workers}"`);
  const minDetection = values['min-detection'] === undefined ? 1 : Number(values['min-detection']);
  if (!(minDetection >= 0 && minDetection <= 1)) throw new UsageError(`--min-detection must be a number from 0 to 1, got "${values['min-detection']}"`);
  return { faults, workers, minDetection, confirm: values.quick !== true };
}

function playwrightCli(): string {
  const packageJson = createRequire(import.meta.url).resolve('@playwright/test/package.json');
  return path.join(path.dirname(packageJson), 'cli.js');
}

interface RunRequest {
  /** File name stem under reports/selftest/. */
  readonly name: string;
  readonly faultId: string | undefined;
  /** Only these spec files (relative to tests/); undefined = the whole suite. */
  readonly files?: readonly string[] | undefined;
  /** List the tests instead of running them. */
  readonly list?: boolean;
  readonly workers: number | undefined;
}

interface FinishedRun {
  readonly outcome: RunOutcome;
  readonly seconds: number;
  /** Set when the run ended abnormally (timeout, signal, no report). */
  readonly problem: string | undefined;
}

let activeChild: ChildProcess | undefined;

/** Runs Playwright once with the JSON reporter; its output goes to reports/selftest/<name>.log. */
async function runSuite(request: RunRequest): Promise<FinishedRun> {
  const reportFile = path.join(RUNS_DIR, `${request.name}.json`);
  const logFile = path.join(RUNS_DIR, `${request.name}.log`);
  rmSync(reportFile, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile, FORCE_COLOR: '0' };
  delete env[FAULT_VARIABLE];
  if (request.faultId !== undefined) env[FAULT_VARIABLE] = request.faultId;
  // The redacting reporter first, as in playwright.config.ts: it removes secrets from the results in
  // place before the JSON reporter writes them (a --reporter flag replaces the configured list).
  // Its own output folder, so that a suite run someone else starts in this tree cannot clear it mid-run.
  const args = [playwrightCli(), 'test', `--reporter=${REDACTING_REPORTER},json`, '--output', OUTPUT_DIR];
  if (request.list) args.push('--list');
  if (request.workers !== undefined) args.push('--workers', String(request.workers));
  // Positional arguments are regular expressions over the file path: escaped, they name one file each.
  args.push(...(request.files ?? []).map((file) => `${TEST_DIR}/${file}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

  const log = openSync(logFile, 'w');
  const started = performance.now();
  let problem: string | undefined;
  try {
    // Its own process group, so that a timeout or Ctrl+C stops Playwright, its workers and the sandbox.
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', log, log], detached: true });
    activeChild = child;
    const timer = setTimeout(() => {
      problem = `stopped after ${RUN_TIMEOUT_MS / 60_000} minutes`;
      stopGroup(child.pid);
    }, RUN_TIMEOUT_MS);
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    clearTimeout(timer);
    activeChild = undefined;
    if (exit.signal !== null) problem ??= `Playwright ended by ${exit.signal}`;
  } finally {
    closeSync(log);
  }
  const seconds = (performance.now() - started) / 1000;
  if (!existsSync(reportFile)) {
    return { outcome: { tests: [], errors: [] }, seconds, problem: problem ?? `Playwright wrote no report; see ${path.relative(REPO_ROOT, logFile)}` };
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JSONReport;
  return { outcome: readRunOutcome(report), seconds, problem };
}

function stopGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

function gitCommit(): string | undefined {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function seconds(value: number): string {
  return `${value.toFixed(1)} s`;
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
  mkdirSync(RUNS_DIR, { recursive: true });
  const runnable = options.faults.filter((mode) => mode.undetectable === undefined);
  const undetectable = options.faults.flatMap((mode) => (mode.undetectable === undefined ? [] : [{ id: mode.id, area: mode.area, reason: mode.undetectable }]));
  const started = performance.now();
  const total = runnable.length + 1;

  // The suite's tests with their tags and files, to pick each area's spec files.
  const listed = await runSuite({ name: 'list', faultId: undefined, list: true, workers: undefined });
  if (listed.outcome.tests.length === 0) throw new Error(`the suite lists no test${listed.problem ? `: ${listed.problem}` : ''}`);
  const listing = listed.outcome;

  const cleanRun = await runSuite({ name: 'clean', faultId: undefined, workers: options.workers });
  const clean = judgeClean(cleanRun.outcome, cleanRun.seconds);
  const cleanErrors = cleanRun.problem === undefined ? clean.errors : [...clean.errors, cleanRun.problem];
  const cleanResult = { ...clean, errors: cleanErrors };
  console.log(
    `[1/${total}] clean run: ${clean.passed} passed, ${clean.failed.length} failed, ${clean.skipped} skipped` +
      `${cleanErrors.length > 0 ? `, errors: ${cleanErrors.join('; ')}` : ''} (${seconds(clean.seconds)})` +
      `${clean.failed.length > 0 ? ` FALSE ALARMS: ${listTitles(clean.failed)}` : ''}`,
  );

  const faults: FaultResult[] = [];
  for (const [index, mode] of runnable.entries()) {
    const files = filesForArea(listing, mode.area);
    let result: FaultResult;
    if (files !== undefined && files.length === 0) {
      result = untestedArea(mode);
    } else {
      const run = await runSuite({ name: `fault-${mode.id}`, faultId: mode.id, files, workers: options.workers });
      result = judgeFault(mode, run.outcome, run.seconds, run.problem);
      if (options.confirm && result.verdict === 'detected') {
        const again = [...new Set(result.caughtIn.slice(0, CONFIRM_AT_MOST))];
        const rerun = await runSuite({ name: `fault-${mode.id}-confirm`, faultId: mode.id, files: again, workers: options.workers });
        result = confirmDetection(result, rerun.outcome, rerun.seconds);
      }
    }
    faults.push(result);
    console.log(`[${index + 2}/${total}] ${mode.id} (${mode.area}): ${describeResult(result)} (${seconds(result.seconds)})`);
  }

  const summary = summarize({
    generatedAt: new Date().toISOString(),
    commit: gitCommit(),
    workers: options.workers,
    minDetection: options.minDetection,
    clean: cleanResult,
    faults,
    undetectable,
    totalSeconds: (performance.now() - started) / 1000,
  });
  writeFileSync(path.join(REPORTS_DIR, 'selftest.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(REPORTS_DIR, 'selftest.md'), renderMarkdown(summary));
  const detected = faults.filter((fault) => fault.verdict === 'detected').length;
  console.log(
    `Self-test ${summary.passed ? 'PASSED' : 'FAILED'}: detection ${(summary.detectionRate * 100).toFixed(1)}% (${detected}/${faults.length}, ` +
      `threshold ${(options.minDetection * 100).toFixed(1)}%), false alarms ${summary.falseAlarms}, ` +
      `${undetectable.length} undetectable not run, total ${seconds(summary.totalSeconds)}. Report: reports/selftest.md`,
  );
  return summary.passed ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopGroup(activeChild?.pid);
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
    if (error instanceof UnknownFaultError || error instanceof ConfigError) {
      console.error(`selftest: ${error.message}`);
      process.exit(2);
    }
    console.error(`selftest: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
