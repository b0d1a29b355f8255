/**
 * The command line of sandbox/src/faults/serve.ts: which fault mode (none for the self-test's clean
 * recording run), where to record the seams read, and the few sandbox settings a self-test run needs.
 */
import { choiceFlag, parseFlags, UsageError, wholeNumberFlag, withoutUnset } from '../cli-arguments.js';
import { LOG_LEVELS, type SandboxSettingsInput } from '../settings.js';
import { FAULT_MODES, faultModeOrThrow, type FaultMode } from './catalog.js';
import { SCOPE_HEADER, SEAMS_VARIABLE } from './seam-recorder.js';

export const FAULT_VARIABLE = 'BB2_SELFTEST_FAULT';

export const USAGE = `Usage: tsx sandbox/src/faults/serve.ts --fault ID [options]
       tsx sandbox/src/faults/serve.ts --record-seams DIR [options]

Starts the embedded BB2 sandbox with one fault mode active, or records which behaviour seams each
request reads (for npm run selftest only).

Options:
  --fault ID             the fault mode (sandbox/src/faults/catalog.ts)   [${FAULT_VARIABLE}]
  --record-seams DIR     record the seams each request reads, by its ${SCOPE_HEADER} header,
                         into DIR (faults/seam-recorder.ts)                [${SEAMS_VARIABLE}]
  --list                 list the fault modes and exit
  --port N               TCP port, 0 = a free one (default 0)
  --host HOST            interface to listen on (default 127.0.0.1)
  --token-lifetime S     access-token lifetime in seconds (default 3600)
  --log-level LEVEL      ${LOG_LEVELS.join(' | ')} (default info)
  -h, --help             this text`;

export interface FaultServeOptions {
  /** Undefined only when recording: the clean sandbox of the self-test's recording run. */
  readonly mode: FaultMode | undefined;
  readonly recordSeamsTo: string | undefined;
  readonly settings: SandboxSettingsInput;
}

/** Reads the command line (and BB2_SELFTEST_FAULT, BB2_SELFTEST_SEAMS); throws UsageError or UnknownFaultError. */
export function parseFaultServeArguments(argv: readonly string[], env: NodeJS.ProcessEnv): FaultServeOptions | 'help' | 'list' {
  const values = parseFlags(argv, {
    fault: { type: 'string' },
    'record-seams': { type: 'string' },
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
  const recordSeamsTo = values['record-seams'] ?? env[SEAMS_VARIABLE];
  const recording = recordSeamsTo !== undefined && recordSeamsTo !== '';
  const faulty = faultId !== undefined && faultId !== '';
  if (!faulty && !recording) {
    throw new UsageError(`no fault mode given: pass --fault ID or set ${FAULT_VARIABLE} (or --record-seams DIR for a clean sandbox that records its seams)`);
  }
  const mode = faulty ? faultModeOrThrow(faultId) : undefined;
  const settings: SandboxSettingsInput = {
    port: wholeNumberFlag('port', values.port),
    host: values.host,
    tokenLifetimeSeconds: wholeNumberFlag('token-lifetime', values['token-lifetime']),
    logLevel: choiceFlag('log-level', values['log-level'], LOG_LEVELS),
  };
  return { mode, recordSeamsTo: recording ? recordSeamsTo : undefined, settings: withoutUnset(settings) };
}

export function listFaults(): string {
  return FAULT_MODES.map((mode) => `${mode.id.padEnd(40)} ${mode.area.padEnd(10)} ${mode.description}`).join('\n');
}

