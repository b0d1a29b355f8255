/**
 * Playwright globalSetup: before any test, checks once that the target answers, and records the run's
 * environment for the reports.
 *
 * The probe GETs the FHIR metadata endpoint (with the configured retries, honouring Retry-After). If the
 * target does not answer, or answers 5xx or 429 to the end, the run stops here with one message,
 * "target unavailable: …", instead of a hundred failing checks. Otherwise the CapabilityStatement's
 * fhirVersion, the browser's version and the commit go into the config metadata (ENVIRONMENT_METADATA_KEY),
 * from where allure-context-reporter.ts writes Allure's environment, and into reports/environment.json.
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

/** Thrown without a stack trace: Playwright prints the stack when there is one, and this message says it all. */
function stop(message: string): never {
  const error = new Error(message);
  error.stack = message;
  throw error;
}

async function probeFhirVersion(metadataUrl: string, timeoutMs: number, retries: number, endpoints: Bb2Endpoints, clientId: string): Promise<string> {
  const context = await playwrightRequest.newContext({ timeout: timeoutMs });
  try {
    const probe = recordingRequestContext(context, {
      endpoints,
      clientId,
      retries,
      secrets: { variableFor: () => undefined, redact: (text) => text },
    });
    let response;
    try {
      response = await probe.get(metadataUrl, { headers: { Accept: 'application/json' }, maxRedirects: 0 });
    } catch (error) {
      if (error instanceof TargetUnavailableError) stop(`${error.message}\nNo test was run. Check BB2_BASE_URL, the network, or the sandbox's status.`);
      throw error;
    }
    if (response.status() >= 500) {
      stop(`target unavailable: GET ${metadataUrl} answered ${response.status()}\nNo test was run.`);
    }
    const body: unknown = await response.json().catch(() => undefined);
    const version = (body as { fhirVersion?: unknown } | undefined)?.fhirVersion;
    return typeof version === 'string' ? version : `unknown (metadata answered ${response.status()})`;
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
    probeFhirVersion(endpoints.metadata, suite.timeouts.requestMs, suite.retries, endpoints, suite.client.id),
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
