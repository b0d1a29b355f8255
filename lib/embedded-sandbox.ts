/**
 * Everything the suite (lib/, fixtures/, tests/, selftest/ and playwright.config.ts) may take from the
 * embedded sandbox (sandbox/src). The suite tests a BB2 server; the emulator is one such server, so the
 * suite depends on it only through this list: its start command (the embedded target), its server (tests
 * that start one), the client of its private-sandbox routes (the checks' private sandboxes), its local client and user range (defaults of the configuration), and its
 * fault modes and seam recording (the self-test). eslint.config.js forbids any other import of sandbox/ from suite code.
 */
export { choiceFlag, parseFlags, UsageError, wholeNumberFlag } from '../sandbox/src/cli-arguments.js';
export { LAST_USER_NUMBER } from '../sandbox/src/data/users.js';
export { FAULT_AREAS, FAULT_MODES, faultModeOrThrow, faultRequirements, UnknownFaultError, type FaultArea, type FaultMode } from '../sandbox/src/faults/catalog.js';
export { FAULT_VARIABLE } from '../sandbox/src/faults/options.js';
export { NO_REQUEST_SCOPE, SCOPE_HEADER, SEAMS_VARIABLE, UNSTAMPED_SCOPE, type SeamRecord } from '../sandbox/src/faults/seam-recorder.js';
export { sandboxCommand, sandboxCommandOrExit } from '../sandbox/src/faults/webserver.js';
export { CONTROL_TOKEN_VARIABLE, privateSandboxClient } from '../sandbox/src/private-sandboxes.js';
export type { RunningSandbox } from '../sandbox/src/server.js';
export { LOCAL_CLIENT, type SandboxSettingsInput } from '../sandbox/src/settings.js';

/**
 * The sandbox's server module (startSandbox), loaded on first use: it brings oidc-provider and the data
 * generator, which a run against an external target, and most workers, never need.
 */
export function loadSandboxServer(): Promise<typeof import('../sandbox/src/server.js')> {
  return import('../sandbox/src/server.js');
}

/**
 * The walk through the sandbox's own login and consent screens over plain fetch, loaded on first use:
 * how a private sandbox issues the tokens its checks need without a browser (fixtures/fhir.ts).
 */
export function loadLoginWalker(): Promise<typeof import('../sandbox/src/login-walker.js')> {
  return import('../sandbox/src/login-walker.js');
}

/**
 * The sandbox's synthetic data (users, their claim plans and resources), loaded on first use: for the
 * embedded target's claims users (lib/users.ts) and for tests that compare what a run found with what
 * the sandbox serves (the sweep's end-to-end test, the validators' corpus).
 */
export function loadSandboxData(): Promise<typeof import('../sandbox/src/data/index.js')> {
  return import('../sandbox/src/data/index.js');
}
