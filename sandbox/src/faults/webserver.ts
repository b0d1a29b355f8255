/**
 * How the suite picks up the fault mode `npm run selftest` selects through BB2_SELFTEST_FAULT, and the
 * seam recording of its clean run (BB2_SELFTEST_SEAMS): the embedded sandbox's start command for
 * playwright.config.ts (the self-test's entry, faults/serve.ts, instead of the normal one; a fault id is
 * checked before Playwright starts anything, so a typo ends the run with the list of valid ids; the
 * recording folder reaches serve.ts through the environment). The private sandboxes the checks ask for
 * carry the same fault: the sandbox started here starts them (../private-sandboxes.ts). Either entry is
 * started from a bundle of the sandbox's sources (sandbox/start-bundled.mjs), which starts in half the time tsx takes.
 */
import { faultModeOrThrow, UnknownFaultError } from './catalog.js';
import { FAULT_VARIABLE } from './options.js';
import { SEAMS_VARIABLE } from './seam-recorder.js';

const SANDBOX_FLAGS = '--port 0 --host 127.0.0.1 --log-level warn';

const START_BUNDLED = 'node sandbox/start-bundled.mjs';

export const NORMAL_SANDBOX_COMMAND = `${START_BUNDLED} sandbox/src/main.ts ${SANDBOX_FLAGS}`;

export class FaultSelectionError extends Error {
  override name = 'FaultSelectionError';
}

/**
 * @param targetKind the suite's target: a fault mode exists only in the embedded sandbox, so a fault
 *   with an external target is an error (the command itself is used only for the embedded one)
 */
export function sandboxCommand(targetKind: 'embedded' | 'external', env: NodeJS.ProcessEnv = process.env): string {
  const faultId = env[FAULT_VARIABLE];
  const faulty = faultId !== undefined && faultId !== '';
  const recording = env[SEAMS_VARIABLE] !== undefined && env[SEAMS_VARIABLE] !== '';
  if (!faulty && !recording) return NORMAL_SANDBOX_COMMAND;
  if (targetKind !== 'embedded') {
    const variable = faulty ? `${FAULT_VARIABLE} selects a fault mode` : `${SEAMS_VARIABLE} records the seams`;
    throw new FaultSelectionError(`${variable} of the embedded sandbox, but BB2_BASE_URL names an external target; unset one of them`);
  }
  try {
    // The id is a catalog key (kebab-case), so it is safe inside the shell command; serve.ts reads the
    // recording folder from the environment, so no path goes through the shell.
    return `${START_BUNDLED} sandbox/src/faults/serve.ts${faulty ? ` --fault ${faultModeOrThrow(faultId).id}` : ''} ${SANDBOX_FLAGS}`;
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
