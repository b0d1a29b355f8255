/**
 * The only way to start a deliberately faulty embedded sandbox, for `npm run selftest`:
 *
 *   tsx sandbox/src/faults/serve.ts --fault <id> [--record-seams DIR] [--port N] [--host HOST] [--token-lifetime S] [--log-level LEVEL]
 *
 * (or BB2_SELFTEST_FAULT=<id>), and the self-test's clean sandbox that records the seams each request
 * reads (`--record-seams DIR` or BB2_SELFTEST_SEAMS, without a fault). The first line of output is the
 * one `npm run sandbox` prints and Playwright's webServer waits for; a warning that a fault is active
 * follows on stderr. A separate entry rather than a flag of main.ts, so that `npm run sandbox` can never
 * start with a fault.
 */
import { controlTokenFromEnvironment } from '../private-sandboxes.js';
import { startSandbox } from '../server.js';
import { closeOnSignals, exitOnStartupFailure } from '../entry-point.js';
import { FAULT_MODES, faultRequirements, UnknownFaultError } from './catalog.js';
import { SeamRecorder } from './seam-recorder.js';
import { listFaults, parseFaultServeArguments, USAGE } from './options.js';

async function main(): Promise<void> {
  const parsed = parseFaultServeArguments(process.argv.slice(2), process.env);
  if (parsed === 'help') return void console.log(USAGE);
  if (parsed === 'list') return void console.log(listFaults());
  const { mode, recordSeamsTo, settings } = parsed;
  // The clean run's recorder evaluates every fault mode beside the seams it replaces.
  const seamRecorder = recordSeamsTo === undefined ? undefined : new SeamRecorder(recordSeamsTo, FAULT_MODES);
  const sandbox = await startSandbox(settings, mode?.overrides ?? {}, { seamRecorder, privateSandboxControlToken: controlTokenFromEnvironment() });
  // The first line is what Playwright's webServer waits for (playwright.config.ts).
  console.log(`BB2 embedded sandbox listening on port ${sandbox.port}`);
  console.log(`  URL:            ${sandbox.url}`);
  if (mode !== undefined) {
    console.error(`WARNING: fault mode "${mode.id}" is active: this sandbox deliberately breaks ${faultRequirements(mode).join(', ')}. Use it for the self-test only.`);
  }
  closeOnSignals(sandbox);
}

main().catch((error: unknown) => exitOnStartupFailure('bb2-sandbox (fault)', USAGE, error, [UnknownFaultError]));
