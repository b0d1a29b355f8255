/**
 * Playwright globalSetup: checks that every worker of every shard gets users of its own (lib/users.ts;
 * the worker count and shard are known only here, after the command line), and records the run's
 * environment for the reports. Each configured API version's CapabilityStatement fhirVersion, the browser's version and the
 * commit go into the config metadata (ENVIRONMENT_METADATA_KEY), from where allure-context-reporter.ts
 * writes Allure's environment, and into reports/environment.json. A target that does not answer never
 * stops the run here: it is the target-availability check's finding (tests/target-available.spec.ts),
 * which then keeps the other checks from running. It also warms the FHIR validator cache
 * (lib/validation/warm-cache.ts) so that the workers load the compiled schemas instead of compiling them.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, request as playwrightRequest, type FullConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../browser.js';
import { GLOBAL_SETUP_SCOPE, SCOPE_HEADER, SEAMS_VARIABLE } from '../check-scopes.js';
import { ConfigError, loadSuiteConfig, REPO_ROOT, resolveBaseUrl, type SuiteConfig } from '../config.js';
import { claimsUserFor, slotOfWorker, usersForSlot } from '../users.js';
import { warmValidatorCache } from '../validation/warm-cache.js';
import { bb2Endpoints, type Bb2Endpoints } from '../oauth/endpoints.js';
import { ENVIRONMENT_METADATA_KEY, gitCommit, type RunEnvironment } from './environment.js';
import { recordingRequestContext } from './recorded-request.js';
import { TargetUnavailableError } from './target-errors.js';

/**
 * The CapabilityStatement's fhirVersion, for the environment. One attempt, no retries: whether the target
 * is up is decided by the target-availability check (tests/target-available.spec.ts), which reports it.
 */
async function probeFhirVersion(metadataUrl: string, timeoutMs: number, endpoints: Bb2Endpoints, clientId: string): Promise<string> {
  // In the self-test's clean run its request is the runner's, which no check depends on (lib/check-scopes.ts).
  const recording = process.env[SEAMS_VARIABLE] !== undefined && process.env[SEAMS_VARIABLE] !== '';
  const context = await playwrightRequest.newContext({ timeout: timeoutMs, ...(recording ? { extraHTTPHeaders: { [SCOPE_HEADER]: GLOBAL_SETUP_SCOPE } } : {}) });
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

/** `<chromium> --version`, without starting a browser (a launch cost half a second on the run's critical path). */
async function browserVersion(): Promise<string> {
  try {
    const executable = chromiumLaunchOptions().executablePath ?? chromium.executablePath();
    const { stdout } = await promisify(execFile)(executable, ['--version'], { timeout: 10_000 });
    const version = /\d+(\.\d+){2,3}/.exec(stdout)?.[0];
    return version === undefined ? `chromium (version not read from "${stdout.trim()}")` : `chromium ${version}`;
  } catch (error) {
    return `chromium (version not read: ${(error as Error).message.split('\n')[0]})`;
  }
}

/**
 * Every worker slot of this shard gets its users and claims user, or the run stops before any test with
 * the ConfigError that says how many are needed. Its stack is dropped: the message is the whole story.
 */
async function checkUserAllocation(suite: SuiteConfig, config: FullConfig): Promise<void> {
  try {
    for (let parallelIndex = 0; parallelIndex < config.workers; parallelIndex += 1) {
      const slot = slotOfWorker(config.shard, config.workers, parallelIndex);
      usersForSlot(suite.users, slot);
      await claimsUserFor(suite, slot);
    }
  } catch (error) {
    if (error instanceof ConfigError) error.stack = `${error.name}: ${error.message}`;
    throw error;
  }
}

export default async function globalSetup(config: FullConfig): Promise<void> {
  const suite = loadSuiteConfig();
  await checkUserAllocation(suite, config);
  const baseUrl = resolveBaseUrl(suite);
  // Every configured version's CapabilityStatement: "v1: 3.0.2, v2: 4.0.1".
  const fhirVersions = suite.apiVersions.map(async (version) => {
    const endpoints = bb2Endpoints(baseUrl, version);
    return `${version}: ${await probeFhirVersion(endpoints.metadata, suite.timeouts.requestMs, endpoints, suite.client.id)}`;
  });
  const probes = Promise.all([browserVersion(), ...fhirVersions]);
  // While the probes wait on the network: the workers then load the compiled FHIR schemas instead of each compiling them.
  for (const line of warmValidatorCache()) console.log(line);
  const [browser, ...declared] = await probes;
  const environment: RunEnvironment = {
    target: suite.target.kind,
    baseUrl,
    apiVersion: suite.apiVersions.join(', '),
    fhirVersion: declared.join(', '),
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
