/**
 * The suite's checks as Playwright reports them, with the requirement ids each one cites: statically
 * (its `requirement` annotation, fixtures/annotations.ts) and, in a run, at run time (`violated`
 * annotations the validation matchers add, one per requirement a violation broke).
 *
 *   readChecks(report)   every check of a Playwright JSON report, in report order
 *   listChecks()         the suite's checks without running them (`playwright test --list`, no browser
 *                        is launched and no sandbox started): Playwright's own loader evaluates the
 *                        specs, so generated checks and their annotations are exactly what a run sees
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JSONReport, JSONReportSuite, JSONReportTest } from '@playwright/test/reporter';
import { citedRequirementIds, VIOLATED_ANNOTATION, requirementIds } from '../../fixtures/annotations.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type CheckStatus = 'passed' | 'failed' | 'flaky' | 'skipped';

export interface Check {
  /** "[project] file › describe › test" ("file › …" for a run without projects). */
  readonly title: string;
  /** The Playwright project that ran it: an API version's (v1, v2) or `target`; '' when there is none. */
  readonly project: string;
  /** Its describe titles and its own title (`title` without the file, unjoined). */
  readonly titles: readonly string[];
  /**
   * "[project] › file › describe › test": unique across projects, and a line of Playwright's
   * `--test-list` file that selects exactly this check (checkKey).
   */
  readonly key: string;
  /** The spec file, relative to the test directory (tests/). */
  readonly file: string;
  readonly line: number;
  /** Tags without "@", as Playwright reports them. */
  readonly tags: readonly string[];
  /** The final status in a run; 'skipped' in a listing. */
  readonly status: CheckStatus;
  /** The ids it cites in its project: its requirement annotation and its version's (fixtures/annotations.ts `citedRequirementIds`). */
  readonly requirements: readonly string[];
  /** Ids of the `violated` annotations its results carry (a run only). */
  readonly violated: readonly string[];
  /** Milliseconds its attempts took in a run (0 in a listing). */
  readonly durationMs: number;
}

export interface ReadReport {
  readonly checks: readonly Check[];
  /** Errors outside any check (config, webServer, global setup), first line each. */
  readonly errors: readonly string[];
}

/**
 * A check's key from its project and title path (the file, relative to the test directory, then the
 * describe titles and the test's title): the form of a `playwright test --test-list` line.
 */
export function checkKey(project: string, titlePath: readonly string[]): string {
  return [`[${project}]`, ...titlePath].join(' › ');
}

const STATUS: Readonly<Record<string, CheckStatus>> = { expected: 'passed', unexpected: 'failed', flaky: 'flaky', skipped: 'skipped' };

// Playwright's messages carry terminal colours even in the JSON report.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function firstLine(message: string | undefined): string {
  return (message ?? '').replace(ANSI, '').trim().split('\n', 1)[0] ?? '';
}

function idsOf(annotations: ReadonlyArray<{ type: string; description?: string }>, type: string): string[] {
  return annotations.filter((annotation) => annotation.type === type).flatMap((annotation) => requirementIds(annotation.description));
}

/**
 * Runtime annotations are on the test (the last result's) and on each result (Playwright 1.52+);
 * both are read, so a violation seen in any attempt counts.
 */
function annotationsOf(test: JSONReportTest): Array<{ type: string; description?: string }> {
  return [...(test.annotations ?? []), ...(test.results ?? []).flatMap((result) => result.annotations ?? [])];
}

export function readChecks(report: JSONReport): ReadReport {
  const checks: Check[] = [];
  const walk = (suite: JSONReportSuite, titles: readonly string[]): void => {
    for (const spec of suite.specs) {
      for (const test of spec.tests) {
        const annotations = annotationsOf(test);
        const project = test.projectName ?? '';
        const titlePath = [...titles, spec.title];
        const title = titlePath.join(' › ');
        checks.push({
          title: project === '' ? title : `[${project}] ${title}`,
          project,
          titles: titlePath.slice(1),
          key: checkKey(project, titlePath),
          file: spec.file,
          line: spec.line,
          tags: [...spec.tags],
          status: STATUS[test.status] ?? 'failed',
          requirements: citedRequirementIds(annotations, project),
          violated: [...new Set(idsOf(annotations, VIOLATED_ANNOTATION))],
          durationMs: (test.results ?? []).reduce((total, result) => total + (result.duration ?? 0), 0),
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const fileSuite of report.suites) walk(fileSuite, [fileSuite.title]);
  return { checks, errors: report.errors.map((error) => firstLine(error.message)).filter((line) => line !== '') };
}

export class ListingError extends Error {
  override name = 'ListingError';
}

export function playwrightCli(): string {
  const packageJson = createRequire(import.meta.url).resolve('@playwright/test/package.json');
  return path.join(path.dirname(packageJson), 'cli.js');
}

/** The suite's checks from `playwright test --list --reporter=json` (a few seconds, no browser). */
export function listChecks(): ReadReport {
  const directory = mkdtempSync(path.join(tmpdir(), 'bb2-list-'));
  const output = path.join(directory, 'list.json');
  try {
    const result = spawnSync(process.execPath, [playwrightCli(), 'test', '--list', '--reporter=json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: output, FORCE_COLOR: '0' },
      encoding: 'utf8',
    });
    let report: JSONReport;
    try {
      report = JSON.parse(readFileSync(output, 'utf8')) as JSONReport;
    } catch {
      const said = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.trim().split('\n').slice(0, 8).join('\n');
      throw new ListingError(`playwright test --list wrote no report (exit ${result.status ?? result.signal}): ${said || 'no output'}`);
    }
    const read = readChecks(report);
    if (read.errors.length > 0) throw new ListingError(`playwright test --list: ${read.errors.join('; ')}`);
    return read;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
