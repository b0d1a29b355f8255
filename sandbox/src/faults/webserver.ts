/**
 * How the suite picks up the fault mode `npm run selftest` selects through BB2_SELFTEST_FAULT: the
 * embedded sandbox's start command for playwright.config.ts (the faulty entry instead of the normal
 * one; the id is checked before Playwright starts anything, so a typo ends the run with the list of
 * valid ids), and the same fault for any extra sandbox a test starts itself.
 */
import type { BehaviourOverrides } from '../behaviour.js';
import { faultModeOrThrow, UnknownFaultError } from './catalog.js';
import { FAULT_VARIABLE } from './options.js';

const SANDBOX_FLAGS = '--port 0 --host 127.0.0.1 --log-level warn';

export const NORMAL_SANDBOX_COMMAND = `node --import tsx sandbox/src/main.ts ${SANDBOX_FLAGS}`;

export class FaultSelectionError extends Error {
  override name = 'FaultSelectionError';
}

/**
 * @param targetKind the suite's target: a fault mode exists only in the embedded sandbox, so a fault
 *   with an external target is an error (the command itself is used only for the embedded one)
 */
export function sandboxCommand(targetKind: 'embedded' | 'external', env: NodeJS.ProcessEnv = process.env): string {
  const faultId = env[FAULT_VARIABLE];
  if (faultId === undefined || faultId === '') return NORMAL_SANDBOX_COMMAND;
  if (targetKind !== 'embedded') {
    throw new FaultSelectionError(`${FAULT_VARIABLE} selects a fault mode of the embedded sandbox, but BB2_BASE_URL names an external target; unset one of them`);
  }
  try {
    // The id is a catalog key (kebab-case), so it is safe inside the shell command.
    return `node --import tsx sandbox/src/faults/serve.ts --fault ${faultModeOrThrow(faultId).id} ${SANDBOX_FLAGS}`;
  } catch (error) {
    if (error instanceof UnknownFaultError) throw new FaultSelectionError(`${FAULT_VARIABLE}: ${error.message}`);
    throw error;
  }
}

/** `sandboxCommand`, printing a FaultSelectionError as one line and exiting 2 (as loadSuiteConfigOrExit does). */
export function sandboxCommandOrExit(targetKind: 'embedded' | 'external', env: NodeJS.ProcessEnv = process.env): string {
  try {
    return sandboxCommand(targetKind, env);
  } catch (error) {
    if (error instanceof FaultSelectionError) {
      console.error(`\n${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/**
 * `overrides` with the active fault mode's seam added (the test's own overrides win), for sandboxes a
 * test starts in its worker: without it a private sandbox would run without the fault under test.
 * Returns `overrides` unchanged when no fault is selected.
 */
export function withActiveFault(overrides: BehaviourOverrides = {}, env: NodeJS.ProcessEnv = process.env): BehaviourOverrides {
  const faultId = env[FAULT_VARIABLE];
  if (faultId === undefined || faultId === '') return overrides;
  const fault = faultModeOrThrow(faultId).overrides;
  return {
    oauth: { ...fault.oauth, ...overrides.oauth },
    fhir: { ...fault.fhir, ...overrides.fhir },
  };
}
