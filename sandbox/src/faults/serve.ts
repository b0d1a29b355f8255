/**
 * The only way to start a deliberately faulty embedded sandbox, for `npm run selftest`:
 *
 *   tsx sandbox/src/faults/serve.ts --fault <id> [--port N] [--host HOST] [--token-lifetime S] [--log-level LEVEL]
 *
 * (or BB2_SELFTEST_FAULT=<id>). The first line of output is the one `npm run sandbox` prints and
 * Playwright's webServer waits for; a warning that a fault is active follows on stderr. A separate
 * entry rather than a flag of main.ts, so that `npm run sandbox` can never start with a fault.
 */
import { startSandbox } from '../server.js';
import { SettingsError } from '../settings.js';
import { UnknownFaultError } from './catalog.js';
import { UsageError } from '../cli-arguments.js';
import { listFaults, parseFaultServeArguments, USAGE } from './options.js';

async function main(): Promise<void> {
  const parsed = parseFaultServeArguments(process.argv.slice(2), process.env);
  if (parsed === 'help') return void console.log(USAGE);
  if (parsed === 'list') return void console.log(listFaults());
  const { mode, settings } = parsed;
  const sandbox = await startSandbox(settings, mode.overrides);
  // The first line is what Playwright's webServer waits for (playwright.config.ts).
  console.log(`BB2 embedded sandbox listening on port ${sandbox.port}`);
  console.log(`  URL:            ${sandbox.url}`);
  console.error(`WARNING: fault mode "${mode.id}" is active: this sandbox deliberately breaks ${mode.requirement}. Use it for the self-test only.`);
  const stop = () => {
    void sandbox.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`bb2-sandbox (fault): ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof UnknownFaultError || error instanceof SettingsError) {
    console.error(`bb2-sandbox (fault): ${error.message}`);
    process.exit(2);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    console.error(`bb2-sandbox (fault): cannot listen: ${(error as Error).message}`);
    process.exit(1);
  }
  console.error(`bb2-sandbox (fault): failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
