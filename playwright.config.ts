/**
 * The conformance suite. `npx playwright test` runs it against the embedded BB2 sandbox (started here
 * on a free port) unless .env names another target (BB2_BASE_URL); see .env.example.
 *
 * The configuration is validated first: a missing or malformed value stops the run with one message
 * naming the variable (lib/config.ts). Playwright evaluates this file in the runner and again in every
 * worker; the workers find the embedded sandbox's port in BB2_PORT, which the webServer's `wait`
 * pattern puts into the environment before they start.
 */
import { defineConfig } from '@playwright/test';
import { BrowserNotFoundError, chromiumLaunchOptions } from './lib/browser.js';
import { loadSuiteConfigOrExit } from './lib/config.js';
import { sandboxCommandOrExit } from './sandbox/src/faults/webserver.js';

const suite = loadSuiteConfigOrExit();
// `npm run selftest` sets BB2_SELFTEST_FAULT to start the embedded sandbox with one fault mode; checked here.
const sandboxCommand = sandboxCommandOrExit(suite.target.kind);

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

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // Two cores here and on CI; each worker drives its own Chromium and logs in its own beneficiary.
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  // A test may authorize in the browser a few times (login + consent each), each step bounded below.
  timeout: Math.max(60_000, 4 * suite.timeouts.navigationMs),
  expect: { timeout: suite.timeouts.requestMs },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: launchOptionsOrExit(),
    headless: true,
    actionTimeout: suite.timeouts.requestMs,
    navigationTimeout: suite.timeouts.navigationMs,
    // Traces and videos record typed values and request bodies (passwords, codes, tokens) as they
    // are; they stay off until artefact redaction exists (a later issue). Screenshots show masked
    // password fields only.
    trace: 'off',
    video: 'off',
    screenshot: 'only-on-failure',
  },
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
