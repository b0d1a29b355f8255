/**
 * What the two ways to start the sandbox (`npm run sandbox`, sandbox/src/main.ts, and the self-test's
 * faulty one, sandbox/src/faults/serve.ts) do alike once it runs or fails to: close on a signal, and
 * turn a start-up failure into one line on stderr and an exit status, never a stack trace.
 */
import { UsageError } from './cli-arguments.js';
import { SettingsError } from './settings.js';

/** Closes the sandbox, then exits 0, on Ctrl-C or SIGTERM (how Playwright's webServer stops it). */
export function closeOnSignals(sandbox: { close(): Promise<void> }): void {
  const stop = () => {
    void sandbox.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * Exits for a start-up failure: 2 for a usage error (with the usage), a settings error or another of
 * `configurationErrors`; 1 when the port cannot be listened on, or for anything else.
 */
export function exitOnStartupFailure(program: string, usage: string, error: unknown, configurationErrors: ReadonlyArray<abstract new (...args: never[]) => Error> = []): never {
  if (error instanceof UsageError) {
    console.error(`${program}: ${error.message}\n\n${usage}`);
    process.exit(2);
  }
  if (error instanceof SettingsError || configurationErrors.some((type) => error instanceof type)) {
    console.error(`${program}: ${(error as Error).message}`);
    process.exit(2);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    console.error(`${program}: cannot listen: ${(error as Error).message}`);
    process.exit(1);
  }
  console.error(`${program}: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
