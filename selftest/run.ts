/**
 * Runs Playwright for the self-test: one run of the suite, of some spec files or of some checks (a
 * --test-list), with the JSON reporter, against the embedded sandbox with the fault mode given
 * (BB2_SELFTEST_FAULT) or recording its seams (BB2_SELFTEST_SEAMS), each in its own process group so
 * that a timeout or Ctrl+C stops Playwright, its workers and the sandbox together. Several runs may go
 * at once (selftest/schedule.ts): each has its own sandbox on a free port and its own folder,
 * reports/selftest/runs/<name>/ (the JSON report, the output, Playwright's test-results).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JSONReport } from '@playwright/test/reporter';
import { REPO_ROOT } from '../lib/config.js';
import { FAULT_VARIABLE, SEAMS_VARIABLE } from '../lib/embedded-sandbox.js';
import { playwrightCli, readChecks, type ReadReport } from '../lib/requirements/checks.js';

export const REPORTS_DIR = path.join(REPO_ROOT, 'reports');
export const RUNS_DIR = path.join(REPORTS_DIR, 'selftest');
/** playwright.config.ts testDir, relative to the repository: the JSON report's file names are relative to it. */
export const TEST_DIR = 'tests';
const REDACTING_REPORTER = path.join(REPO_ROOT, 'lib/reporting/redacting-reporter.ts');
/** A run that takes longer than this is stopped (a fault that hangs the suite). */
const RUN_TIMEOUT_MS = 20 * 60_000;

export interface RunRequest {
  /** Folder name under reports/selftest/runs/. */
  readonly name: string;
  readonly faultId: string | undefined;
  /** Only these spec files (relative to tests/); with neither this nor `testList`, the whole suite. */
  readonly files?: readonly string[] | undefined;
  /** Only these checks, as --test-list lines (selftest/selection.ts); project dependencies do not run. */
  readonly testList?: readonly string[] | undefined;
  /** List the tests instead of running them. */
  readonly list?: boolean;
  readonly workers: number | undefined;
  /** Run each failed check this many times more (the confirmation of a detection). */
  readonly retries?: number;
  /**
   * Stop the run once this many checks have failed every attempt (Playwright's --max-failures); the
   * checks it interrupts or leaves unstarted read as not run (selftest/attempts.ts).
   */
  readonly maxFailures?: number;
  /** Record the seams each request reads into this folder (the clean run). */
  readonly recordSeamsTo?: string;
  /** Also the suite's configured reporters (HTML, JUnit, Allure results into reports/), as `npx playwright test` writes them. */
  readonly suiteReports?: boolean;
}

export interface FinishedRun {
  readonly outcome: ReadReport;
  /** Playwright's JSON report, when it wrote one. */
  readonly report: JSONReport | undefined;
  readonly seconds: number;
  /** Set when the run ended abnormally (timeout, signal, no report). */
  readonly problem: string | undefined;
  /** Its folder, relative to the repository. */
  readonly folder: string;
}

const activeChildren = new Set<ChildProcess>();

function stopGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Stops every run in progress (on Ctrl+C). */
export function stopActiveRuns(): void {
  for (const child of activeChildren) stopGroup(child.pid);
}

/** Escaped, a positional argument (a regular expression over the file path) names one file. */
function fileArgument(file: string): string {
  return `${TEST_DIR}/${file}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs Playwright once with the JSON reporter; its output goes to reports/selftest/runs/<name>/output.log. */
export async function runSuite(request: RunRequest): Promise<FinishedRun> {
  const folder = path.join(RUNS_DIR, 'runs', request.name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const reportFile = path.join(folder, 'report.json');
  const logFile = path.join(folder, 'output.log');
  const env: NodeJS.ProcessEnv = { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile, FORCE_COLOR: '0' };
  delete env[FAULT_VARIABLE];
  delete env[SEAMS_VARIABLE];
  if (request.faultId !== undefined) env[FAULT_VARIABLE] = request.faultId;
  if (request.recordSeamsTo !== undefined) env[SEAMS_VARIABLE] = request.recordSeamsTo;
  // Runs side by side must not share reports/environment.json; a run with the suite's reports writes them where the suite does.
  if (!request.suiteReports) env.BB2_REPORTS_DIR = folder;
  // The redacting reporter first, as in playwright.config.ts: it removes secrets from the results in
  // place before the JSON reporter writes them (a --reporter flag replaces the configured list, which
  // --add-reporter keeps, the redacting reporter first).
  const reporters = request.suiteReports ? ['--add-reporter=json'] : [`--reporter=${REDACTING_REPORTER},json`];
  const args = [playwrightCli(), 'test', ...reporters, '--output', path.join(folder, 'test-results')];
  if (request.list) args.push('--list');
  if (request.workers !== undefined) args.push('--workers', String(request.workers));
  if (request.retries !== undefined && request.retries > 0) args.push('--retries', String(request.retries));
  if (request.maxFailures !== undefined && request.maxFailures > 0) args.push('--max-failures', String(request.maxFailures));
  if (request.testList !== undefined) {
    const listFile = path.join(folder, 'test-list.txt');
    writeFileSync(listFile, `${request.testList.join('\n')}\n`);
    args.push('--test-list', listFile);
  } else {
    args.push(...(request.files ?? []).map(fileArgument));
  }

  const log = openSync(logFile, 'w');
  const started = performance.now();
  let problem: string | undefined;
  try {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', log, log], detached: true });
    activeChildren.add(child);
    const timer = setTimeout(() => {
      problem = `stopped after ${RUN_TIMEOUT_MS / 60_000} minutes`;
      stopGroup(child.pid);
    }, RUN_TIMEOUT_MS);
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    }).finally(() => {
      clearTimeout(timer);
      activeChildren.delete(child);
    });
    if (exit.signal !== null) problem ??= `Playwright ended by ${exit.signal}`;
  } finally {
    closeSync(log);
  }
  const seconds = (performance.now() - started) / 1000;
  const relativeFolder = path.relative(REPO_ROOT, folder);
  if (!existsSync(reportFile)) {
    return { outcome: { checks: [], errors: [] }, report: undefined, seconds, folder: relativeFolder, problem: problem ?? `Playwright wrote no report; see ${path.relative(REPO_ROOT, logFile)}` };
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JSONReport;
  return { outcome: readChecks(report), report, seconds, folder: relativeFolder, problem };
}
