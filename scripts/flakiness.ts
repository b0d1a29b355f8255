/**
 * `npm run flakiness -- --runs N [--workers N]`: runs the suite (`npx playwright test`, configured
 * reporters, into a temporary reports folder each time) N times in a row, prints each run's wall time and
 * result, then every check whose outcome changed between runs, and the checks that failed every time.
 * Writes the verdict to reports/flakiness.json (BB2_REPORTS_DIR moves it). Exit code 1 when a check's
 * outcome changed or a run failed, 0 otherwise, 2 for a bad command line.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../lib/config.js';
import { runTool } from './command-line.js';
import { compareRuns, outcomeOf, type RunOutcome } from '../lib/reporting/flakiness.js';
import type { RunTimings } from '../lib/reporting/timing-reporter.js';
import { parseFlags, UsageError, wholeNumberFlag } from '../sandbox/src/cli-arguments.js';

const USAGE = `Usage: npm run flakiness -- --runs N [--workers N]

Runs the whole suite N times in a row and reports every check whose outcome changed between runs.
  --runs N     how many runs (1 to 100)
  --workers N  Playwright workers per run (default: the configuration's)
  -h, --help   this text`;

function runSuite(reportsDir: string, workers: number | undefined): Promise<{ code: number | null; tail: string }> {
  const args = [path.join(REPO_ROOT, 'node_modules/@playwright/test/cli.js'), 'test', ...(workers === undefined ? [] : ['--workers', String(workers)])];
  const env = { ...process.env, BB2_REPORTS_DIR: reportsDir, BB2_TIMINGS_FILE: path.join(reportsDir, 'timings.json'), FORCE_COLOR: '0' };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code) => resolve({ code, tail }));
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, { runs: { type: 'string' }, workers: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const runs = wholeNumberFlag('runs', flags.runs);
  if (runs === undefined || runs < 1 || runs > 100) throw new UsageError('--runs must be given, a whole number from 1 to 100');
  const workers = wholeNumberFlag('workers', flags.workers);
  if (workers === 0) throw new UsageError('--workers must be at least 1');

  const outcomes: RunOutcome[] = [];
  for (let index = 1; index <= runs; index += 1) {
    const reportsDir = mkdtempSync(path.join(os.tmpdir(), 'bb2-flakiness-'));
    try {
      const started = performance.now();
      const { code, tail } = await runSuite(reportsDir, workers);
      const wall = (performance.now() - started) / 1000;
      let timings: RunTimings;
      try {
        timings = JSON.parse(readFileSync(path.join(reportsDir, 'timings.json'), 'utf8')) as RunTimings;
      } catch {
        console.log(`run ${index}/${runs}: no results (exit code ${code}); its last output:\n${tail}`);
        return 1;
      }
      const outcome = outcomeOf(timings, wall, code);
      outcomes.push(outcome);
      const counts = [...outcome.statuses.values()].reduce<Record<string, number>>((all, status) => ({ ...all, [status]: (all[status] ?? 0) + 1 }), {});
      console.log(`run ${index}/${runs}: ${wall.toFixed(1)} s, exit code ${code}, ${Object.entries(counts).map(([status, count]) => `${count} ${status}`).join(', ')}`);
    } finally {
      rmSync(reportsDir, { recursive: true, force: true });
    }
  }

  const verdict = compareRuns(outcomes);
  const walls = outcomes.map((outcome) => outcome.wallSeconds);
  console.log(`\n${runs} run(s) of ${verdict.checks} checks; wall ${Math.min(...walls).toFixed(1)} to ${Math.max(...walls).toFixed(1)} s`);
  if (verdict.changed.length === 0) console.log('no check changed its outcome between runs');
  for (const { check, statuses } of verdict.changed) console.log(`CHANGED  ${check}: ${statuses.join(' ')}`);
  for (const check of verdict.alwaysFailed) console.log(`FAILED IN EVERY RUN  ${check}`);

  const reportsDir = path.resolve(process.env.BB2_REPORTS_DIR ?? path.join(REPO_ROOT, 'reports'));
  mkdirSync(reportsDir, { recursive: true });
  const file = path.join(reportsDir, 'flakiness.json');
  const record = { date: new Date().toISOString(), runs, workers: workers ?? 'configured', cores: os.cpus().length, wallSeconds: walls, exitCodes: outcomes.map((outcome) => outcome.exitCode), ...verdict };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`written: ${path.relative(process.cwd(), file)}`);
  return verdict.changed.length > 0 || outcomes.some((outcome) => outcome.exitCode !== 0) ? 1 : 0;
}

await runTool(main, USAGE);
