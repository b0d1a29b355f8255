/**
 * The command line of sandbox/src/faults/serve.ts: which fault mode, and the few sandbox settings a
 * self-test run needs.
 */
import { choiceFlag, parseFlags, UsageError, wholeNumberFlag, withoutUnset } from '../cli-arguments.js';
import { LOG_LEVELS, type SandboxSettingsInput } from '../settings.js';
import { FAULT_MODES, faultModeOrThrow, type FaultMode } from './catalog.js';

export const FAULT_VARIABLE = 'BB2_SELFTEST_FAULT';

export const USAGE = `Usage: tsx sandbox/src/faults/serve.ts --fault ID [options]

Starts the embedded BB2 sandbox with one fault mode active (for npm run selftest only).

Options:
  --fault ID             the fault mode (sandbox/src/faults/catalog.ts)   [${FAULT_VARIABLE}]
  --list                 list the fault modes and exit
  --port N               TCP port, 0 = a free one (default 0)
  --host HOST            interface to listen on (default 127.0.0.1)
  --token-lifetime S     access-token lifetime in seconds (default 3600)
  --log-level LEVEL      ${LOG_LEVELS.join(' | ')} (default info)
  -h, --help             this text`;

export interface FaultServeOptions {
  readonly mode: FaultMode;
  readonly settings: SandboxSettingsInput;
}

/** Reads the command line (and BB2_SELFTEST_FAULT); throws UsageError or UnknownFaultError. */
export function parseFaultServeArguments(argv: readonly string[], env: NodeJS.ProcessEnv): FaultServeOptions | 'help' | 'list' {
  const values = parseFlags(argv, {
    fault: { type: 'string' },
    list: { type: 'boolean' },
    port: { type: 'string' },
    host: { type: 'string' },
    'token-lifetime': { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  if (values.list) return 'list';
  const faultId = values.fault ?? env[FAULT_VARIABLE];
  if (faultId === undefined || faultId === '') throw new UsageError(`no fault mode given: pass --fault ID or set ${FAULT_VARIABLE}`);
  const mode = faultModeOrThrow(faultId);
  const settings: SandboxSettingsInput = {
    port: wholeNumberFlag('port', values.port),
    host: values.host,
    tokenLifetimeSeconds: wholeNumberFlag('token-lifetime', values['token-lifetime']),
    logLevel: choiceFlag('log-level', values['log-level'], LOG_LEVELS),
  };
  return { mode, settings: withoutUnset(settings) };
}

export function listFaults(): string {
  return FAULT_MODES.map((mode) => `${mode.id.padEnd(40)} ${mode.area.padEnd(10)} ${mode.description}`).join('\n');
}

