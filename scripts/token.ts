/**
 * `npm run token -- --user BBUser12345 [--api-version v1|v2] [--json] [--no-personal-info]`
 *
 * The exercise's second way in, automated: a synthetic beneficiary authorizes the configured client
 * in headless Chromium (the suite's own page objects), the code is exchanged, and the token response is
 * printed the way the exercise's callback handler prints it, with ready-to-paste curl commands for
 * Patient, Coverage and ExplanationOfBenefit. This is the one place a token is shown, on purpose, to
 * the person who asked for it.
 *
 * The code arrives at a local callback listener when the redirect URI is http://localhost:8000/callback
 * and that port is free (as in the exercise); otherwise it is read from the browser's redirect request.
 * Target: BB2_BASE_URL from .env, or else the embedded sandbox, started in this process.
 */
import http from 'node:http';
import { chromium, request as playwrightRequest } from '@playwright/test';
import { authorizeInBrowser, AuthorizationFlowError, NonconformantRedirectError, type BrowserAuthorization } from '../fixtures/browser-authorization.js';
import { LoginRejectedError } from '../fixtures/pages/medicare-login-page.js';
import { targetFromConfig, type Bb2Target } from '../fixtures/target.js';
import { BrowserNotFoundError, chromiumLaunchOptions } from '../lib/browser.js';
import { ConfigError, credentialsFor, loadSuiteConfig } from '../lib/config.js';
import { createOAuthClient, OAuthResponseError } from '../lib/oauth/client.js';
import { createState } from '../lib/oauth/pkce.js';
import type { RunningSandbox } from '../sandbox/src/server.js';
import { choiceFlag, parseFlags, UsageError } from '../sandbox/src/cli-arguments.js';
import { API_VERSIONS, primaryApiVersion, type ApiVersion } from '../lib/api-version.js';

const USAGE = `Usage: npm run token -- --user BBUser##### [--api-version v1|v2] [--json] [--no-personal-info]

Authorizes the configured BB2 client as a synthetic beneficiary in headless Chromium (login and
consent), exchanges the code, and prints the token response and curl commands that use it.

  --user BBUser#####     the synthetic beneficiary (password PW#####!)        (required)
  --api-version V        v1 or v2: authorize at /V/o/ and print curl commands for /V/fhir (default:
                         BB2_API_VERSION when it names one version, else v2; a token reads both)
  --json                 print only the token response JSON
  --no-personal-info     untick "Personal Information" on the consent screen
                         (the token then cannot read Patient or userinfo)
  -h, --help             this text

Target: BB2_BASE_URL, BB2_CLIENT_ID, BB2_CLIENT_SECRET and BB2_REDIRECT_URI from .env (see
.env.example). Without BB2_BASE_URL the embedded sandbox is started in this process; it keeps running
after the output so the curl commands work (Ctrl+C stops it), except with --json, which exits at once.`;

const EXERCISE_CALLBACK = new Set(['http://localhost:8000/callback', 'http://127.0.0.1:8000/callback']);

interface Options {
  readonly username: string;
  /** undefined: BB2_API_VERSION when it names one version, else v2. */
  readonly apiVersion: ApiVersion | undefined;
  readonly json: boolean;
  readonly sharePersonalInfo: boolean;
}

function parseOptions(argv: string[]): Options | 'help' {
  const values = parseFlags(argv, {
    user: { type: 'string' },
    'api-version': { type: 'string' },
    json: { type: 'boolean', default: false },
    'no-personal-info': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  if (values.user === undefined) throw new UsageError('--user is required, e.g. --user BBUser12345');
  if (!/^BBUser\d{5}$/.test(values.user)) throw new UsageError(`--user must be BBUser followed by 5 digits, got "${values.user}"`);
  const apiVersion = choiceFlag('api-version', values['api-version'], API_VERSIONS);
  return { username: values.user, apiVersion, json: values.json, sharePersonalInfo: !values['no-personal-info'] };
}

/** Messages go to stderr so that stdout carries only what the user asked for (and, with --json, only JSON). */
function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

interface CallbackListener {
  /** Resolves with the callback URL the browser was sent to. */
  readonly received: Promise<URL>;
  close(): Promise<void>;
}

/**
 * The exercise's callback handler: listens on port 8000 of the loopback interfaces (IPv4 and, where
 * present, IPv6: Chromium may resolve "localhost" to either), answers the browser, hands over the URL.
 * Returns undefined when the port is taken.
 */
async function listenForCallback(redirectUri: URL, expectedState: string): Promise<CallbackListener | undefined> {
  let deliver: (url: URL) => void = () => undefined;
  const received = new Promise<URL>((resolve) => (deliver = resolve));
  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    if (url.pathname !== redirectUri.pathname) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    // Other browsers on this machine (a test run, say) may be redirected here too: only our state counts.
    if (url.searchParams.get('state') !== expectedState) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Unknown state: this callback belongs to another authorization');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><title>Callback</title><p>Authorization received. You can close this window.</p>');
    deliver(url);
  };
  const servers: http.Server[] = [];
  const listen = (host: string) =>
    new Promise<http.Server | undefined>((resolve, reject) => {
      const server = http.createServer(handler);
      server.once('error', (error: NodeJS.ErrnoException) =>
        error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT' ? resolve(undefined) : reject(error),
      );
      server.listen(Number(redirectUri.port || 80), host, () => resolve(server));
    });
  const close = async () => {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  };
  try {
    for (const host of ['127.0.0.1', '::1']) {
      const server = await listen(host);
      if (server) servers.push(server);
    }
  } catch (error) {
    await close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' || (error as NodeJS.ErrnoException).code === 'EACCES') return undefined;
    throw error;
  }
  return { received, close };
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function curlCommands(target: Bb2Target, accessToken: string, patient: string): string[] {
  const fhir = target.endpoints.fhirBase;
  const header = shellQuote(`Authorization: Bearer ${accessToken}`);
  return [
    `# Patient\ncurl -s -H ${header} ${shellQuote(`${fhir}/Patient/${patient}`)}`,
    `# Coverage\ncurl -s -H ${header} ${shellQuote(`${fhir}/Coverage/?beneficiary=Patient/${patient}`)}`,
    `# ExplanationOfBenefit\ncurl -s -H ${header} ${shellQuote(`${fhir}/ExplanationOfBenefit/?patient=${patient}`)}`,
  ];
}

async function run(options: Options): Promise<void> {
  const config = loadSuiteConfig();
  let sandbox: RunningSandbox | undefined;
  if (config.target.kind === 'embedded') {
    // Loaded only when needed: an external target does not need the emulator at all.
    const { startSandbox } = await import('../sandbox/src/server.js');
    sandbox = await startSandbox({ port: 0, host: '127.0.0.1', logLevel: 'warn' });
    note(`Started the embedded BB2 sandbox at ${sandbox.url}`);
  }
  const target = targetFromConfig(config, options.apiVersion ?? primaryApiVersion(config.apiVersions), sandbox?.url);
  const redirectUri = new URL(target.client.redirectUri);
  const state = createState();
  const listener = EXERCISE_CALLBACK.has(target.client.redirectUri) ? await listenForCallback(redirectUri, state) : undefined;
  note(listener ? `Listening for the callback on ${target.client.redirectUri}` : 'Reading the code from the browser\'s redirect request');

  const browser = await chromium.launch(chromiumLaunchOptions());
  const api = await playwrightRequest.newContext({ timeout: target.timeouts.requestMs });
  let keepRunning = false;
  try {
    const context = await browser.newContext();
    context.setDefaultTimeout(target.timeouts.requestMs);
    context.setDefaultNavigationTimeout(target.timeouts.navigationMs);
    note(`Authorizing as ${options.username} at ${target.endpoints.authorize} (API ${target.apiVersion}) ...`);
    const authorization: BrowserAuthorization = await authorizeInBrowser({
      page: await context.newPage(),
      endpoints: target.endpoints,
      clientId: target.client.clientId,
      redirectUri: target.client.redirectUri,
      user: credentialsFor(options.username),
      sharePersonalInfo: options.sharePersonalInfo,
      authorizeParams: { state },
      timeoutMs: target.timeouts.navigationMs,
    });
    if (authorization.kind === 'error') {
      throw new AuthorizationFlowError(`the authorization ended with error=${authorization.error}${authorization.errorDescription ? ` (${authorization.errorDescription})` : ''}`);
    }
    let code = authorization.code.reveal();
    if (listener) {
      // The exercise's way: the code is the one the callback handler received (it checked the state).
      const callback = await listener.received;
      code = callback.searchParams.get('code') ?? code;
    }
    const result = await createOAuthClient(api, target.endpoints, target.client).exchangeCode({
      code,
      codeVerifier: authorization.verifier,
      redirectUri: authorization.redirectUri,
    });
    const tokens = result.tokens();
    const body = JSON.stringify(result.revealBody(), null, 2);
    if (options.json) {
      process.stdout.write(`${body}\n`);
    } else {
      process.stdout.write(`Token response for ${options.username}:\n${body}\n\n`);
      process.stdout.write(`Call the API (the access token is valid for ${tokens.expiresIn} s):\n\n`);
      process.stdout.write(`${curlCommands(target, tokens.accessToken.reveal(), tokens.patient).join('\n\n')}\n`);
      keepRunning = sandbox !== undefined;
    }
  } finally {
    await api.dispose();
    await browser.close();
    await listener?.close();
    if (sandbox && !keepRunning) await sandbox.close();
  }
  if (sandbox && keepRunning) {
    note(`\nThe embedded sandbox keeps running at ${sandbox.url} so these commands work; Ctrl+C stops it.`);
    const running = sandbox;
    const stop = () => void running.close().finally(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}

async function main(): Promise<void> {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    note(`token: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    await run(options);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof BrowserNotFoundError) {
      note(error.message);
      process.exit(2);
    }
    if (error instanceof AuthorizationFlowError || error instanceof NonconformantRedirectError || error instanceof LoginRejectedError || error instanceof OAuthResponseError) {
      note(`token: ${error.message}`);
      process.exit(1);
    }
    note(`token: failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(1);
  }
}

void main();
