/**
 * The self-test's request attribution, as names and records shared by the fixtures that stamp every
 * request with its scope and record which check uses what (fixtures/check-scopes.ts) and the self-test
 * that reads the recording (selftest/recording.ts). Which behaviour seams each scope's requests read is
 * recorded by the sandbox (sandbox/src/faults/seam-recorder.ts), in the same folder.
 *
 * Scopes: a check, from its first fixture to its end (`t:<Playwright test id>`); a worker fixture while
 * it sets itself up (`w<worker index>:<fixture>`); the time between checks in a worker (before any
 * check, beforeAll and afterAll hooks: nothing there can be attributed to one check); and the runner's
 * global setup, whose one request only describes the run's environment.
 */
export { SCOPE_HEADER, SEAMS_VARIABLE } from './embedded-sandbox.js';

export function checkScope(testId: string): string {
  return `t:${testId}`;
}

export function fixtureScope(workerIndex: number, fixture: string): string {
  return `w${workerIndex}:${fixture}`;
}

export function betweenChecksScope(workerIndex: number): string {
  return fixtureScope(workerIndex, '(between checks)');
}

/** The runner's global setup (lib/reporting/global-setup.ts): its metadata probe feeds no check. */
export const GLOBAL_SETUP_SCOPE = 'runner:global-setup';

/** A worker's record: which check a scope is (by its key, lib/requirements/checks.ts), or that a scope read a worker fixture's value. */
export type ScopeRecord = { readonly scope: string; readonly check: string } | { readonly scope: string; readonly uses: string };
