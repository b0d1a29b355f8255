/**
 * Playwright globalSetup: records the run's environment for the reports. The CapabilityStatement's
 * fhirVersion, the browser's version and the commit go into the config metadata (ENVIRONMENT_METADATA_KEY),
 * from where allure-context-reporter.ts writes Allure's environment, and into reports/environment.json.
 * It never stops the run: a target that does not answer is the target-availability check's finding
 * (tests/target-available.setup.ts), which then keeps the other checks from running.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, request as playwrightRequest, type FullConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../browser.js';
import { loadSuiteConfig, REPO_ROOT, resolveBaseUrl } from '../config.js';
import { bb2Endpoints, type Bb2Endpoints } from '../oauth/endpoints.js';
import { ENVIRONMENT_METADATA_KEY, gitCommit, type RunEnvironment } from './environment.js';
import { recordingRequestContext } from './recorded-request.js';
import { TargetUnavailableError } from './target-errors.js';

/**
 * The CapabilityStatement's fhirVersion, for the environment. One attempt, no retries: whether the target
 * is up is decided by the target-availability check (tests/target-available.setup.ts), which reports it.
 */
async function probeFhirVersion(metadataUrl: string, timeoutMs: number, endpoints: Bb2Endpoints, clientId: string): Promise<string> {
  const context = await playwrightRequest.newContext({ timeout: timeoutMs });
  try {
    const probe = recordingRequestContext(context, {
      endpoints,
      clientId,
      retries: 0,
      secrets: { variableFor: () => undefined, redact: (text) => text },
    });
    const response = await probe.get(metadataUrl, { headers: { Accept: 'application/json' }, maxRedirects: 0 });
    const body: unknown = await response.json().catch(() => undefined);
    const version = (body as { fhirVersion?: unknown } | undefined)?.fhirVersion;
    return typeof version === 'string' ? version : `unknown (metadata answered ${response.status()})`;
  } catch (error) {
    const reason = error instanceof TargetUnavailableError ? error.message : `no answer: ${(error as Error).message.split('\n')[0]}`;
    return `unknown (${reason})`;
  } finally {
    await context.dispose();
  }
}

async function browserVersion(): Promise<string> {
  try {
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      return `chromium ${browser.version()}`;
    } finally {
      await browser.close();
    }
  } catch (error) {
    return `chromium (not started: ${(error as Error).message.split('\n')[0]})`;
  }
}

export default async function globalSetup(config: FullConfig): Promise<void> {
  const suite = loadSuiteConfig();
  const baseUrl = resolveBaseUrl(suite);
  const endpoints = bb2Endpoints(baseUrl, suite.apiVersion);
  const [fhirVersion, browser] = await Promise.all([
    probeFhirVersion(endpoints.metadata, suite.timeouts.requestMs, endpoints, suite.client.id),
    browserVersion(),
  ]);
  const environment: RunEnvironment = {
    target: suite.target.kind,
    baseUrl,
    apiVersion: suite.apiVersion,
    fhirVersion,
    browser,
    gitCommit: gitCommit(REPO_ROOT),
    node: process.version,
    playwright: config.version,
  };
  config.metadata[ENVIRONMENT_METADATA_KEY] = environment;
  const reportsDir = process.env.BB2_REPORTS_DIR ?? path.join(REPO_ROOT, 'reports');
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(path.join(reportsDir, 'environment.json'), `${JSON.stringify(environment, null, 2)}\n`);
}
