/**
 * One user of the sweep, as a person and an app would do it: log in and consent in a fresh browser
 * context (fixtures/browser-authorization.ts), exchange the code, read Patient, page through Coverage and
 * every ExplanationOfBenefit page (lib/fhir walkSearch), validate every body, then revoke the tokens.
 * Never throws for something the target did: every outcome becomes a UserResult.
 */
import type { APIRequestContext, Browser } from '@playwright/test';
import { authorizeInBrowser, AuthorizationFlowError, NonconformantRedirectError } from '../../fixtures/browser-authorization.js';
import { LoginRejectedError } from '../../fixtures/pages/medicare-login-page.js';
import type { Bb2Target } from '../../fixtures/target.js';
import { credentialsFor } from '../config.js';
import { MAX_PAGE_SIZE } from '../fhir/bundle.js';
import { createFhirClient, type FhirClient } from '../fhir/client.js';
import { walkSearch, type SearchWalk } from '../fhir/paging.js';
import { createOAuthClient, type TokenSet } from '../oauth/client.js';
import type { Secret } from '../oauth/secret.js';
import { recordingRequestContext } from '../reporting/recorded-request.js';
import { TargetUnavailableError } from '../reporting/target-errors.js';
import { Redactor } from '../reporting/redactor.js';
import { apiFinding } from './api-rules.js';
import { observeResponse, rateLimitedRequestContext, type RateLimiter } from './rate-limiter.js';
import { dataStatus, findingsByRule, type LocatedViolation, type UserResult } from './user-result.js';
import { validateBody, type ApiVersion, type ValidationContext } from './validate.js';
import type { V2KnownDeviations } from '../config.js';

export interface SweepUserDeps {
  readonly browser: Browser;
  /** Retries transient faults (lib/reporting/recorded-request.ts) and takes turns from the limiter. */
  readonly request: APIRequestContext;
  /** The target's endpoints of the version swept. */
  readonly target: Bb2Target;
  readonly apiVersion: ApiVersion;
  /** v2: which known BB2 profile deviations are notes (lib/config.ts `v2DeviationsFor`). */
  readonly v2KnownDeviations: V2KnownDeviations;
  readonly limiter: RateLimiter;
  /** EOB page size (_count), at most BB2's 50. */
  readonly pageSize: number;
}

/**
 * The API request context a sweep uses: every request takes its turn from the limiter, and idempotent
 * ones answered 429/5xx are retried `retries` times (the suite's recorded-request logic, without a test
 * to record into). Error messages never carry the client's secret.
 */
export function sweepRequestContext(api: APIRequestContext, target: Bb2Target, limiter: RateLimiter, retries: number): APIRequestContext {
  const clientSecrets = new Redactor();
  clientSecrets.addClient(target.client.clientId, target.client.clientSecret.reveal());
  return recordingRequestContext(rateLimitedRequestContext(api, limiter), {
    endpoints: target.endpoints,
    clientId: target.client.clientId,
    retries,
    secrets: { variableFor: () => undefined, redact: (text) => clientSecrets.redact(text) },
  });
}

/** A network-level failure of the browser (nothing answered), as Chromium words it. */
const NO_ANSWER = /net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|CONNECTION_CLOSED|NAME_NOT_RESOLVED|ADDRESS_UNREACHABLE|TIMED_OUT|EMPTY_RESPONSE)/;

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

class StepFailed extends Error {
  constructor(
    readonly status: 'login-failed' | 'target-unavailable',
    message: string,
  ) {
    super(message);
  }
}

async function authorize(user: string, deps: SweepUserDeps) {
  const context = await deps.browser.newContext();
  context.setDefaultTimeout(deps.target.timeouts.requestMs);
  context.setDefaultNavigationTimeout(deps.target.timeouts.navigationMs);
  const page = await context.newPage();
  // The browser's requests count against the sweep's rate; its 429s pause the sweep like the API's.
  page.on('request', () => deps.limiter.charge());
  page.on('response', (response) => observeResponse(deps.limiter, response.status(), response.headers()['retry-after']));
  try {
    await deps.limiter.take();
    return await authorizeInBrowser({
      page,
      endpoints: deps.target.endpoints,
      clientId: deps.target.client.clientId,
      redirectUri: deps.target.client.redirectUri,
      user: credentialsFor(user),
      timeoutMs: deps.target.timeouts.navigationMs,
    });
  } catch (error) {
    const message = firstLine(error);
    if (NO_ANSWER.test(message)) throw new StepFailed('target-unavailable', `login: ${message}`);
    if (error instanceof AuthorizationFlowError || error instanceof LoginRejectedError || error instanceof NonconformantRedirectError) {
      throw new StepFailed('login-failed', `login: ${message}`);
    }
    throw new StepFailed('login-failed', `login: ${error instanceof Error ? error.name : 'error'}: ${message}`);
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** @param secrets learns the code and verifier, in case the target echoes them in an error */
async function exchangeCode(user: string, deps: SweepUserDeps, secrets: Redactor): Promise<TokenSet> {
  const authorization = await authorize(user, deps);
  if (authorization.kind === 'error') {
    throw new StepFailed('login-failed', `consent: the redirect carried error=${authorization.error}${authorization.errorDescription ? ` (${authorization.errorDescription})` : ''}`);
  }
  secrets.add(authorization.code.reveal());
  secrets.add(authorization.verifier.reveal());
  const oauth = createOAuthClient(deps.request, deps.target.endpoints, deps.target.client);
  const result = await oauth.exchangeCode({ code: authorization.code, codeVerifier: authorization.verifier, redirectUri: authorization.redirectUri });
  if (result.status === 429 || result.status >= 502) {
    throw new StepFailed('target-unavailable', `token: the token endpoint answered ${result.status}`);
  }
  try {
    return result.tokens();
  } catch (error) {
    throw new StepFailed('login-failed', `token: ${firstLine(error)}`);
  }
}

/** Revokes both tokens (RFC 7009 /revoke_token/), so none outlives the sweep; a failure here is not the user's data. */
async function revokeTokens(tokens: TokenSet, deps: SweepUserDeps): Promise<string | undefined> {
  const oauth = createOAuthClient(deps.request, deps.target.endpoints, deps.target.client);
  const problems: string[] = [];
  const revoke = async (token: Secret, hint: string) => {
    try {
      const result = await oauth.revokeToken(token, { tokenTypeHint: hint });
      if (result.status !== 200) problems.push(`revoking the ${hint} answered ${result.status}`);
    } catch (error) {
      problems.push(`revoking the ${hint} failed: ${firstLine(error)}`);
    }
  };
  if (tokens.refreshToken) await revoke(tokens.refreshToken, 'refresh_token');
  await revoke(tokens.accessToken, 'access_token');
  return problems.length > 0 ? problems.join('; ') : undefined;
}

interface Fetched {
  readonly violations: LocatedViolation[];
  readonly resources: Record<string, number>;
  pages: number;
  /** Time spent validating, inside the fetch. */
  validateMs: number;
}

/** Validates one body and times it. */
function validateInto(fetched: Fetched, body: unknown, expectedType: string, context: ValidationContext, where: string): void {
  const started = performance.now();
  for (const violation of validateBody(body, expectedType, context)) fetched.violations.push({ ...violation, where });
  fetched.validateMs += performance.now() - started;
}

function collectWalk(resourceType: string, walk: SearchWalk, fetched: Fetched, context: ValidationContext): void {
  fetched.pages += walk.pages.length;
  for (const page of walk.pages) {
    const where = `${resourceType} page ${page.number}`;
    if (page.result.status === 200) validateInto(fetched, page.result.json, 'Bundle', context, where);
    fetched.resources[resourceType] = (fetched.resources[resourceType] ?? 0) + page.resources.length;
  }
  const where = `${resourceType} search`;
  if (walk.stopped !== undefined) fetched.violations.push({ ...apiFinding('fetchFailed', resourceType, walk.stopped), where });
  for (const problem of walk.pagingProblems) fetched.violations.push({ ...apiFinding('paging', 'Bundle', problem), where });
  for (const duplicate of walk.duplicates) fetched.violations.push({ ...apiFinding('duplicate', resourceType, duplicate), where });
}

async function fetchAndValidate(fhir: FhirClient, patientId: string, deps: SweepUserDeps): Promise<Fetched> {
  const fetched: Fetched = { violations: [], resources: {}, pages: 0, validateMs: 0 };
  const context: ValidationContext = { apiVersion: deps.apiVersion, patientId, v2KnownDeviations: deps.v2KnownDeviations };
  const patient = await fhir.read('Patient', patientId);
  if (patient.status === 200) {
    fetched.resources.Patient = 1;
    validateInto(fetched, patient.json, 'Patient', context, 'Patient read');
  } else {
    fetched.violations.push({ ...apiFinding('fetchFailed', 'Patient', `Patient read answered HTTP ${patient.status}: ${patient.bodyText.slice(0, 200)}`), where: 'Patient read' });
  }
  // Pages are validated here, through the sweep's validator adapter, not by the walker.
  const coverage = await walkSearch(fhir, 'Coverage', {}, { validate: false });
  collectWalk('Coverage', coverage, fetched, context);
  const eobs = await walkSearch(fhir, 'ExplanationOfBenefit', { _count: Math.min(deps.pageSize, MAX_PAGE_SIZE) }, { validate: false, maxPages: 1_000 });
  collectWalk('ExplanationOfBenefit', eobs, fetched, context);
  return fetched;
}

/** A user whose login failed or whose target did not answer is tried once more after this pause. */
export const RETRY_PAUSE_MS = 2_000;

/**
 * Sweeps one user, and once more when the login failed or the target did not answer (a dropped
 * connection, a screen slower than the timeout on a busy machine): only what fails twice is recorded as
 * such. The first attempt's tokens were revoked or never issued, so the second login is the only consent
 * of this user in flight. The first attempt's reason is kept in the result.
 */
export async function sweepUserWithRetry(user: string, deps: SweepUserDeps, pauseMs = RETRY_PAUSE_MS): Promise<UserResult> {
  const first = await sweepUser(user, deps);
  if (first.status !== 'target-unavailable' && first.status !== 'login-failed') return first;
  await new Promise((resolve) => setTimeout(resolve, pauseMs));
  const second = await sweepUser(user, deps);
  return { ...second, attempts: 2, earlierAttempt: first.error };
}

/** Sweeps one user; every outcome, the target's failures included, is a result. */
export async function sweepUser(user: string, deps: SweepUserDeps): Promise<UserResult> {
  const started = performance.now();
  const secrets = new Redactor();
  secrets.addClient(deps.target.client.clientId, deps.target.client.clientSecret.reveal());
  secrets.add(credentialsFor(user).password.reveal());
  const base = { user, apiVersion: deps.apiVersion };
  const phases: Record<string, number> = {};
  let phaseStart = started;
  const endPhase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - phaseStart);
    phaseStart = now;
  };
  const finish = (result: Omit<UserResult, 'user' | 'apiVersion' | 'durationMs' | 'phasesMs' | 'finishedAt'>): UserResult =>
    // Messages come from the target's answers: a secret of this user must not be in them, whatever the target sent.
    secrets.redactDeep({ ...base, ...result, durationMs: Math.round(performance.now() - started), phasesMs: phases, finishedAt: new Date().toISOString() });

  let tokens: TokenSet;
  try {
    tokens = await exchangeCode(user, deps, secrets);
  } catch (error) {
    if (error instanceof StepFailed) return finish({ status: error.status, resources: {}, pages: 0, rules: [], error: error.message });
    if (error instanceof TargetUnavailableError) return finish({ status: 'target-unavailable', resources: {}, pages: 0, rules: [], error: error.message });
    throw error;
  }
  endPhase('authorize');
  secrets.add(tokens.accessToken.reveal());
  if (tokens.refreshToken) secrets.add(tokens.refreshToken.reveal());

  const fhir = createFhirClient(deps.request, deps.target.endpoints.fhirBase, tokens.accessToken);
  let fetched: Fetched;
  try {
    fetched = await fetchAndValidate(fhir, tokens.patient, deps);
  } catch (error) {
    await revokeTokens(tokens, deps);
    if (error instanceof TargetUnavailableError) {
      return finish({ status: 'target-unavailable', patient: tokens.patient, resources: {}, pages: 0, rules: [], error: `fetch: ${error.message}` });
    }
    throw error;
  }
  endPhase('fetch');
  phases.validate = Math.round(fetched.validateMs);
  const revokeProblem = await revokeTokens(tokens, deps);
  endPhase('revoke');
  const rules = findingsByRule(fetched.violations);
  return finish({
    status: dataStatus(rules),
    patient: tokens.patient,
    resources: fetched.resources,
    pages: fetched.pages,
    rules,
    ...(revokeProblem === undefined ? {} : { error: `tokens not revoked: ${revokeProblem}` }),
  });
}
