/**
 * The sweep as a Playwright run, for the Allure report and Playwright's own sharding:
 *
 *   BB2_SWEEP_USERS=BBUser00000-BBUser00999 npx playwright test -c lib/sweep/playwright/sweep.config.ts --shard 2/8
 *   (npm run sweep:playwright -- --shard 2/8)
 *
 * Each test is one batch of users (user-batches.spec.ts); `--shard` splits the batches, so shards never
 * share a user. Everything else is the suite's configuration (playwright.config.ts): the embedded
 * sandbox as webServer, the browser, and the reporters with the redacting one first. Its reports go where
 * the suite's go (BB2_REPORTS_DIR, default reports/); the Allure report shows the epic "Population sweep".
 */
import { defineConfig } from '@playwright/test';
import type { ApiVersionOptions } from '../../../fixtures/base.js';
import suite from '../../../playwright.config.js';
import { REPO_ROOT } from '../../config.js';
import { sweepPlanOrExit } from './plan.js';

const plan = sweepPlanOrExit();
const webServer = suite.webServer;

export default defineConfig<unknown, ApiVersionOptions>({
  ...suite,
  testDir: '.',
  // The embedded sandbox's command is relative to the repository, not to this folder.
  webServer: webServer === undefined ? undefined : Array.isArray(webServer) ? webServer.map((one) => ({ ...one, cwd: REPO_ROOT })) : { ...webServer, cwd: REPO_ROOT },
  // Each worker drives one Chromium with `concurrency` contexts: one worker uses 2 cores well (README).
  workers: plan.workers,
  // A batch of users: each login, and a 400-claim user's pages, within the usual bounds.
  timeout: plan.batchSize * 120_000,
  // The sweep's browser contexts are its own, closed after each login: screenshots at failure would only
  // show the redirect page; each batch attaches its findings instead.
  use: { ...suite.use, screenshot: 'off' },
  // One API version per sweep (BB2_SWEEP_API_VERSION): the workers' target and logins are built for it.
  projects: [{ name: 'sweep', testMatch: /user-batches\.spec\.ts$/, use: { apiVersion: plan.apiVersion } }],
});
