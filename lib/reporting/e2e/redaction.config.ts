/**
 * The suite's configuration for the redaction test (../redaction.e2e.test.ts): the same reporters and
 * settings, over one spec per area plus the two leak probes, which fail on purpose.
 */
import path from 'node:path';
import { defineConfig, type ReporterDescription } from '@playwright/test';
import suiteConfig from '../../../playwright.config.js';
import { REPO_ROOT } from '../../config.js';

export default defineConfig({
  ...suiteConfig,
  testDir: REPO_ROOT,
  testMatch: [
    'tests/discovery/openid-configuration.spec.ts',
    'tests/oauth/refresh.spec.ts',
    'tests/oauth/introspect.spec.ts',
    'tests/fhir/patient.spec.ts',
    'tests/testclient/deny.spec.ts',
    'lib/reporting/e2e/leak-probe.spec.ts',
    'lib/reporting/e2e/testclient-leak-probe.spec.ts',
  ].map((file) => path.join(REPO_ROOT, file)),
  workers: 1,
  // BB2_REDACTION_DISABLED=1 removes the redacting reporter, to show that the redaction test then fails.
  reporter:
    process.env.BB2_REDACTION_DISABLED === '1'
      ? (suiteConfig.reporter as ReporterDescription[]).filter(([name]) => !name.endsWith('redacting-reporter.ts'))
      : suiteConfig.reporter,
});
