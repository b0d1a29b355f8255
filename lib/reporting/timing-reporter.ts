/**
 * A Playwright reporter that writes where a run's time went, as JSON, for `npm run bench`
 * (scripts/bench/suite.ts) and docs/performance.md: the run's phases (configuration and webServer start
 * before the first report event, the tests, the reporters' end), and for every test its worker, start,
 * duration, status, the fixtures and hooks it set up (worker fixtures count in the first test of a
 * worker that uses them) and the browser authorizations it made ("authorize as …" steps).
 *
 * Added to the configured reporters only when BB2_TIMINGS_FILE names the file (playwright.config.ts).
 * Titles and durations only: no attachment, no error text, so nothing secret.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';

export interface StepTiming {
  readonly category: string;
  readonly title: string;
  readonly durationMs: number;
}

export interface TestTiming {
  readonly file: string;
  readonly title: string;
  readonly project: string;
  readonly workerIndex: number;
  readonly parallelIndex: number;
  /** Milliseconds since the reporter was created (the configuration was loaded). */
  readonly startMs: number;
  readonly durationMs: number;
  readonly status: TestResult['status'];
  /** Fixture set-ups and hooks, as Playwright reports them as steps. */
  readonly setup: readonly StepTiming[];
  /** Durations of the test's browser authorizations ("authorize as …" steps). */
  readonly authorizationsMs: readonly number[];
}

export interface RunTimings {
  /** From the configuration's load to the first report event: webServer start and globalSetup. */
  readonly startupMs: number;
  /** From the first report event to the end of the last test. */
  readonly testsMs: number;
  readonly status: FullResult['status'];
  readonly tests: readonly TestTiming[];
}

export interface TimingReporterOptions {
  readonly outputFile: string;
}

export const AUTHORIZATION_STEP = /^authorize as /;

export default class TimingReporter implements Reporter {
  readonly #created = performance.now();
  readonly #outputFile: string;
  #begun = 0;
  readonly #tests: TestTiming[] = [];

  constructor(options: TimingReporterOptions) {
    this.#outputFile = path.resolve(options.outputFile);
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(): void {
    this.#begun = performance.now();
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const setup: StepTiming[] = [];
    const authorizationsMs: number[] = [];
    const visit = (steps: readonly TestStep[]) => {
      for (const step of steps) {
        if (step.category === 'fixture' || step.category === 'hook') setup.push({ category: step.category, title: step.title, durationMs: step.duration });
        if (AUTHORIZATION_STEP.test(step.title)) authorizationsMs.push(step.duration);
        visit(step.steps);
      }
    };
    visit(result.steps);
    this.#tests.push({
      file: path.relative(process.cwd(), test.location.file),
      title: test.title,
      project: test.parent.project()?.name ?? '',
      workerIndex: result.workerIndex,
      parallelIndex: result.parallelIndex,
      startMs: result.startTime.getTime() - (performance.timeOrigin + this.#created),
      durationMs: result.duration,
      status: result.status,
      setup,
      authorizationsMs,
    });
  }

  onEnd(result: FullResult): void {
    const timings: RunTimings = {
      startupMs: this.#begun - this.#created,
      testsMs: performance.now() - this.#begun,
      status: result.status,
      tests: this.#tests,
    };
    mkdirSync(path.dirname(this.#outputFile), { recursive: true });
    writeFileSync(this.#outputFile, `${JSON.stringify(timings, null, 1)}\n`);
  }
}
