/**
 * `npm run selftest [-- --fault a,b] [--workers N] [--min-detection R] [--quick]`
 *
 * Measures whether the conformance suite would notice a faulty BB2: one clean run of the whole suite
 * against the embedded sandbox (it must pass: a failure there is a false alarm), then one run per fault
 * mode (sandbox/src/faults/catalog.ts) with the spec files of the fault's area (selftest/areas.ts). A
 * fault is detected only when a failed check cites a requirement the fault breaks (selftest/judge.ts).
 * Results go to reports/selftest.md and reports/selftest.json (selftest/report.ts), Playwright's JSON
 * reports (through the suite's redacting reporter) and the runs' output to reports/selftest/. The
 * console gets one line per run.
 *
 * Exit status: 0 when the clean run passed and the detection rate reached --min-detection, 1 when not,
 * 2 for a usage or configuration error.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadSuiteConfig, REPO_ROOT } from '../lib/config.js';
import { FAULT_MODES, faultModeOrThrow, faultRequirements, parseFlags, UnknownFaultError, UsageError, type FaultMode } from '../lib/embedded-sandbox.js';
import { CatalogueError, loadCatalogue } from '../lib/requirements/catalogue.js';
import { describeAreaTags, filesForArea } from './areas.js';
import { CONFIRM_AT_MOST, confirmDetection, describeResult, judgeClean, judgeFault, listTitles, untestedArea, type FaultResult } from './judge.js';
import { renderMarkdown, summarize } from './report.js';
import { REPORTS_DIR, RUNS_DIR, runSuite, stopActiveRun } from './run.js';

const USAGE = `Usage: npm run selftest [-- --fault ID,ID] [--workers N] [--min-detection R] [--quick]

Runs the suite once against the clean embedded sandbox (must pass), then once per fault mode with the
spec files of the fault's area: a fault is detected when a check citing a requirement it breaks fails
(the failed checks run a second time to confirm). Writes reports/selftest.md and reports/selftest.json.

  --fault ID,ID        only these fault modes (default: all that are detectable)
  --workers N          Playwright workers per run (default: the suite's setting)
  --min-detection R    required detection rate, 0..1 (default 1 = every fault caught)
  --quick              do not run failed checks again to confirm a detection
  -h, --help           this text`;

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
  // Before any run: the judgement reads the requirements the checks and faults cite.
  const catalogue = loadCatalogue();
  mkdirSync(RUNS_DIR, { recursive: true });
  const runnable = options.faults.filter((mode) => mode.undetectable === undefined);
  const undetectable = options.faults.flatMap((mode) =>
    mode.undetectable === undefined ? [] : [{ id: mode.id, area: mode.area, requirements: [...faultRequirements(mode)], reason: mode.undetectable }],
  );
  const started = performance.now();
  const total = runnable.length + 1;

  // The suite's checks with their tags, files and requirement annotations.
  const listed = await runSuite({ name: 'list', faultId: undefined, list: true, workers: undefined });
  if (listed.outcome.checks.length === 0) throw new Error(`the suite lists no test${listed.problem ? `: ${listed.problem}` : ''}`);
  const listing = listed.outcome.checks;

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
      result = untestedArea(mode, describeAreaTags(mode.area));
    } else {
      const run = await runSuite({ name: `fault-${mode.id}`, faultId: mode.id, files, workers: options.workers });
      result = judgeFault(mode, run.outcome, run.seconds, catalogue, run.problem);
      if (options.confirm && result.verdict === 'detected') {
        const again = [...new Set(result.caughtBy.slice(0, CONFIRM_AT_MOST).map((check) => check.file))];
        const rerun = await runSuite({ name: `fault-${mode.id}-confirm`, faultId: mode.id, files: again, workers: options.workers });
        result = confirmDetection(result, rerun.outcome, rerun.seconds);
      }
    }
    faults.push(result);
    console.log(`[${index + 2}/${total}] ${mode.id} (${mode.area}): ${describeResult(result)} (${seconds(result.seconds)})`);
  }

  const summary = summarize(
    {
      generatedAt: new Date().toISOString(),
      commit: gitCommit(),
      workers: options.workers,
      minDetection: options.minDetection,
      clean: cleanResult,
      faults,
      undetectable,
      totalSeconds: (performance.now() - started) / 1000,
    },
    listing,
    catalogue,
  );
  writeFileSync(path.join(REPORTS_DIR, 'selftest.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(REPORTS_DIR, 'selftest.md'), renderMarkdown(summary));
  const detected = faults.filter((fault) => fault.verdict === 'detected').length;
  console.log(
    `Self-test ${summary.passed ? 'PASSED' : 'FAILED'}: detection ${(summary.detectionRate * 100).toFixed(1)}% (${detected}/${faults.length}, ` +
      `threshold ${(options.minDetection * 100).toFixed(1)}%), caught only by another check ${summary.caughtElsewhere}, ` +
      `false alarms ${summary.falseAlarms}, ${undetectable.length} undetectable not run, total ${seconds(summary.totalSeconds)}. Report: reports/selftest.md`,
  );
  return summary.passed ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopActiveRun();
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
    console.error(`selftest: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
