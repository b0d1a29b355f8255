/**
 * The conformance suite. `npx playwright test` runs it against the embedded BB2 sandbox (started here
 * on a free port) unless .env names another target (BB2_BASE_URL); see .env.example.
 *
 * The API version is a dimension of the run: one project per version BB2_API_VERSION names (default
 * both), `v1` and `v2`, each setting the worker-scoped option `apiVersion` (fixtures/base.ts) from which
 * the target, the logins and the expectations (lib/api-version.ts) of its workers are built.
 * `npx playwright test --project v2` checks one version. A check tagged @v1 or @v2 verifies one version
 * only, and only that project runs it; a check tagged @version-independent verifies something both
 * versions share (the OpenID configuration every discovery path serves), and only one project runs it
 * (lib/version-projects.ts). Each project first checks that its version's metadata answers
 * (tests/target-available.spec.ts).
 *
 * The configuration is validated first: a missing or malformed value stops the run with one message
 * naming the variable (lib/config.ts). Playwright evaluates this file in the runner and again in every
 * worker; the workers find the embedded sandbox's port in BB2_PORT, which the webServer's `wait`
 * pattern puts into the environment before they start.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { defineConfig, type Project, type ReporterDescription } from '@playwright/test';
import type { ApiVersionOptions } from './fixtures/base.js';
import type { ApiVersion } from './lib/api-version.js';
import { versionProjectSelection } from './lib/version-projects.js';
import { BrowserNotFoundError, chromiumLaunchOptions } from './lib/browser.js';
import { loadSuiteConfigOrExit, REPO_ROOT } from './lib/config.js';
import { requirementLinkTemplates } from './lib/requirements/allure-links.js';
import { CONTROL_TOKEN_VARIABLE, sandboxCommandOrExit } from './lib/embedded-sandbox.js';

const suite = loadSuiteConfigOrExit();

/** Workers of a run (measured on 2 cores in docs/performance.md); `--workers` on the command line overrides it. */
const SUITE_WORKERS = 2;

/** Where every report and artefact of a run goes; the redaction test points it at a temporary folder. */
const reportsDir = path.resolve(process.env.BB2_REPORTS_DIR ?? path.join(REPO_ROOT, 'reports'));

/**
 * Reporters, in this order on purpose: Playwright calls them one after the other with the same result
 * objects, so the redacting reporter, first, removes secrets before any other reporter sees them, and the
 * Allure context reporter adds epic/feature/story/severity labels before allure-playwright reads them.
 * `--reporter` on the command line (e.g. selftest's json) replaces this list.
 */
const reporters: ReporterDescription[] = [
  [path.join(REPO_ROOT, 'lib/reporting/redacting-reporter.ts'), { sweepDirs: [path.join(reportsDir, 'allure-results')] }],
  [path.join(REPO_ROOT, 'lib/reporting/allure-context-reporter.ts'), { resultsDir: path.join(reportsDir, 'allure-results') }],
  ['list'],
  ['html', { outputFolder: path.join(reportsDir, 'html'), open: 'never' }],
  ['junit', { outputFile: path.join(reportsDir, 'junit.xml') }],
  // Only the steps the suite names (detail: false), not every click and fill Playwright records.
  // allure-playwright, through a subclass that also works under `playwright merge-reports` (see the file).
  // Requirement ids become links named by them (lib/requirements/allure-links.ts).
  [path.join(REPO_ROOT, 'lib/reporting/allure-reporter.ts'), { resultsDir: path.join(reportsDir, 'allure-results'), detail: false, suiteTitle: false, links: requirementLinkTemplates() }],
  // Sharded CI runs (nightly.yml) add a blob report, merged afterwards by `playwright merge-reports`.
  ...(process.env.BB2_BLOB_REPORT ? [['blob', { outputDir: path.join(reportsDir, 'blob') }] as ReporterDescription] : []),
  // `npm run bench` (scripts/bench/suite.ts) asks for the run's timings: fixtures, checks, logins.
  ...(process.env.BB2_TIMINGS_FILE ? [[path.join(REPO_ROOT, 'lib/reporting/timing-reporter.ts'), { outputFile: process.env.BB2_TIMINGS_FILE }] as ReporterDescription] : []),
];
// `npm run selftest` sets BB2_SELFTEST_FAULT to start the embedded sandbox with one fault mode; checked here.
const sandboxCommand = sandboxCommandOrExit(suite.target.kind);
// The embedded sandbox also starts the checks' private sandboxes (sandbox/src/private-sandboxes.ts) for
// requests carrying this run's token: set once in the runner, inherited by the webServer and the workers
// (which evaluate this file again and keep it).
if (suite.target.kind === 'embedded') process.env[CONTROL_TOKEN_VARIABLE] ||= randomBytes(24).toString('hex');

/**
 * The project of one API version: every check but those of the other version, each version-independent
 * check once (lib/version-projects.ts). With both versions configured each project has one worker and the
 * version-independent checks are split between them so that both finish together, measured in
 * docs/performance.md §10; with one version (`BB2_API_VERSION=v1`) its project has every worker.
 */
function versionProject(version: ApiVersion, versions: readonly ApiVersion[]): Project<unknown, ApiVersionOptions> {
  const { grepInvert, workers } = versionProjectSelection(version, versions);
  return {
    name: version,
    use: { apiVersion: version },
    grepInvert: [...grepInvert],
    ...(workers === undefined ? {} : { workers }),
  };
}

function launchOptionsOrExit() {
  try {
    return chromiumLaunchOptions();
  } catch (error) {
    if (error instanceof BrowserNotFoundError) {
      console.error(`\n${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

export default defineConfig<unknown, ApiVersionOptions>({
  testDir: './tests',
  outputDir: path.join(reportsDir, 'test-results'),
  // Records the environment (fhirVersion, browser, commit); whether the target is up is the availability check's finding.
  globalSetup: path.join(REPO_ROOT, 'lib/reporting/global-setup.ts'),
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // Sized to the work (measured on 2 cores in docs/performance.md): each worker costs its own process,
  // Chromium and logins (beneficiaryToken, claimsBeneficiary); once the checks shared more of their
  // logins, 2 workers beat 3 (and 3 had beaten 2 before), since the browser work per check fell while a
  // worker's fixed cost did not. Each worker drives its own Chromium and logs in its own beneficiaries (lib/users.ts).
  workers: SUITE_WORKERS,
  retries: 0,
  // A test may authorize in the browser a few times (login + consent each), each step bounded below.
  timeout: Math.max(60_000, 4 * suite.timeouts.navigationMs),
  expect: { timeout: suite.timeouts.requestMs },
  reporter: reporters,
  use: {
    browserName: 'chromium',
    launchOptions: launchOptionsOrExit(),
    headless: true,
    actionTimeout: suite.timeouts.requestMs,
    navigationTimeout: suite.timeouts.navigationMs,
    // Traces stay off: a trace zip holds every request and response body, DOM snapshots and typed text
    // (tokens, codes, passwords) in resources named by their content hash, which the redacting reporter
    // would have to rewrite consistently. The report carries what a trace would add for these checks:
    // each request and response (redacted), a curl command, the steps, and the screenshot at failure.
    trace: 'off',
    video: 'off',
    // Playwright's own failure screenshots stay off too: in 'only-on-failure' mode it screenshots every
    // page of every browser context as the context closes, in case the test fails later, i.e. once per
    // browser authorization. The fixtures take the screenshot of a failure themselves, with the test
    // client's tokens concealed and masked (fixtures/base.ts attachScreenshot); password fields are masked.
    screenshot: 'off',
  },
  // One project per configured API version. Whether the target answers at all is each project's own first
  // finding (tests/target-available.spec.ts): when it does not, that check fails and the others are skipped,
  // naming it (fixtures/base.ts). No setup project: its worker would start before, and delay, every other.
  projects: suite.apiVersions.map((version) => versionProject(version, suite.apiVersions)),
  webServer:
    suite.target.kind === 'embedded'
      ? {
          name: 'bb2-sandbox',
          command: sandboxCommand,
          // Puts the port into process.env.BB2_PORT for the workers (lib/config.ts resolveBaseUrl).
          wait: { stdout: /listening on port (?<bb2_port>\d+)/ },
          // The sandbox prints its local client's secret on stdout for people; keep it out of the run's output.
          stdout: 'ignore',
          stderr: 'pipe',
          timeout: 60_000,
          gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
        }
      : undefined,
});
