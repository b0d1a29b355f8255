/**
 * Runs Playwright for the self-test: one run of the suite (or of some spec files) with the JSON
 * reporter, against the embedded sandbox with the fault mode given (BB2_SELFTEST_FAULT), in its own
 * process group so that a timeout or Ctrl+C stops Playwright, its workers and the sandbox together.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { JSONReport } from '@playwright/test/reporter';
import { REPO_ROOT } from '../lib/config.js';
import { FAULT_VARIABLE } from '../lib/embedded-sandbox.js';
import { playwrightCli, readChecks, type ReadReport } from '../lib/requirements/checks.js';

export const REPORTS_DIR = path.join(REPO_ROOT, 'reports');
export const RUNS_DIR = path.join(REPORTS_DIR, 'selftest');
const OUTPUT_DIR = path.join(RUNS_DIR, 'test-results');
/** playwright.config.ts testDir, relative to the repository: the JSON report's file names are relative to it. */
const TEST_DIR = 'tests';
const REDACTING_REPORTER = path.join(REPO_ROOT, 'lib/reporting/redacting-reporter.ts');
/** A run that takes longer than this is stopped (a fault that hangs the suite). */
const RUN_TIMEOUT_MS = 20 * 60_000;

export interface RunRequest {
  /** File name stem under reports/selftest/. */
  readonly name: string;
  readonly faultId: string | undefined;
  /** Only these spec files (relative to tests/); undefined = the whole suite. */
  readonly files?: readonly string[] | undefined;
  /** List the tests instead of running them. */
  readonly list?: boolean;
  readonly workers: number | undefined;
}

export interface FinishedRun {
  readonly outcome: ReadReport;
  readonly seconds: number;
  /** Set when the run ended abnormally (timeout, signal, no report). */
  readonly problem: string | undefined;
}

let activeChild: ChildProcess | undefined;

export function stopGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Stops the run in progress, if any (on Ctrl+C). */
export function stopActiveRun(): void {
  stopGroup(activeChild?.pid);
}

/** Runs Playwright once with the JSON reporter; its output goes to reports/selftest/<name>.log. */
export async function runSuite(request: RunRequest): Promise<FinishedRun> {
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
    return { outcome: { checks: [], errors: [] }, seconds, problem: problem ?? `Playwright wrote no report; see ${path.relative(REPO_ROOT, logFile)}` };
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JSONReport;
  return { outcome: readChecks(report), seconds, problem };
}
