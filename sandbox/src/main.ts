/**
 * `npm run sandbox`: starts the embedded BB2 sandbox and prints where it is and how to use it.
 * Settings come from command-line flags, then BB2_SANDBOX_* environment variables, then defaults.
 */
import { choiceFlag, parseFlags, UsageError, wholeNumberFlag, withoutUnset } from './cli-arguments.js';
import { closeOnSignals, exitOnStartupFailure } from './entry-point.js';
import { controlTokenFromEnvironment } from './private-sandboxes.js';
import { startSandbox } from './server.js';
import { LOG_LEVELS, type SandboxSettingsInput } from './settings.js';

const USAGE = `Usage: npm run sandbox -- [options]

Options (each also readable from the environment variable in brackets):
  --port N               TCP port, 0 = a free one (default 0)            [BB2_SANDBOX_PORT]
  --host HOST            interface to listen on (default 127.0.0.1)      [BB2_SANDBOX_HOST]
  --public-url URL       base URL put into links and redirects, for a
                         sandbox behind a proxy (default http://HOST:PORT) [BB2_SANDBOX_PUBLIC_URL]
  --token-lifetime S     access-token lifetime in seconds (default 3600) [BB2_SANDBOX_TOKEN_LIFETIME]
  --rate-limit N/S       at most N FHIR requests per token every S
                         seconds, then 429 (default: unlimited)          [BB2_SANDBOX_RATE_LIMIT]
  --log-level LEVEL      ${LOG_LEVELS.join(' | ')} (default info)   [BB2_SANDBOX_LOG_LEVEL]
  -h, --help             this text`;

function rateLimitOption(raw: string | undefined): SandboxSettingsInput['rateLimit'] {
  if (raw === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(raw);
  if (!match) throw new UsageError(`--rate-limit must look like 100/60 (requests/seconds), got "${raw}"`);
  return { limit: Number(match[1]), windowSeconds: Number(match[2]) };
}

function settingsFromArguments(argv: string[], env: NodeJS.ProcessEnv): SandboxSettingsInput | 'help' {
  const parsed = parseFlags(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'public-url': { type: 'string' },
    'token-lifetime': { type: 'string' },
    'rate-limit': { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (parsed.help) return 'help';
  const settings: SandboxSettingsInput = {
    port: wholeNumberFlag('port', parsed.port ?? env.BB2_SANDBOX_PORT),
    host: parsed.host ?? env.BB2_SANDBOX_HOST,
    publicBaseUrl: parsed['public-url'] ?? env.BB2_SANDBOX_PUBLIC_URL,
    tokenLifetimeSeconds: wholeNumberFlag('token-lifetime', parsed['token-lifetime'] ?? env.BB2_SANDBOX_TOKEN_LIFETIME),
    rateLimit: rateLimitOption(parsed['rate-limit'] ?? env.BB2_SANDBOX_RATE_LIMIT),
    logLevel: choiceFlag('log-level', parsed['log-level'] ?? env.BB2_SANDBOX_LOG_LEVEL, LOG_LEVELS),
  };
  // Unset options fall back to the settings' defaults.
  return withoutUnset(settings);
}

async function main(): Promise<void> {
  const settings = settingsFromArguments(process.argv.slice(2), process.env);
  if (settings === 'help') {
    console.log(USAGE);
    return;
  }
  // The conformance suite's webServer also serves its private sandboxes (./private-sandboxes.ts).
  const sandbox = await startSandbox(settings, {}, { privateSandboxControlToken: controlTokenFromEnvironment() });
  const { client } = sandbox.context.settings;
  // The first line is what Playwright's webServer waits for (playwright.config.ts).
  console.log(`BB2 embedded sandbox listening on port ${sandbox.port}`);
  console.log(`  URL:            ${sandbox.url}`);
  console.log(`  Client ID:      ${client.id}`);
  console.log(`  Client secret:  ${client.secret}`);
  console.log('                  (local-only credentials of the embedded sandbox; they work nowhere else)');
  console.log(`  Redirect URIs:  ${client.redirectUris.join(' ')}`);
  console.log(`  Users:          BBUser00000 / PW00000! ... BBUser29999 / PW29999!`);
  console.log(`  Test client:    ${sandbox.url}/testclient/`);
  console.log(`  Metadata:       ${sandbox.url}/v2/fhir/metadata (R4), ${sandbox.url}/v1/fhir/metadata (STU3)`);
  closeOnSignals(sandbox);
}

main().catch((error: unknown) => exitOnStartupFailure('bb2-sandbox', USAGE, error));
