/**
 * The worker's half of report redaction. Every `Secret` created in a test worker (tokens, codes, PKCE
 * verifiers, passwords) is sent to the runner's redacting reporter (lib/reporting/redacting-reporter.ts)
 * as a hidden attachment of the running test, which the reporter reads and removes before any other
 * reporter sees the test. Attachments are the only channel from a worker to the runner's reporters;
 * they travel in order with the test's steps, so the reporter knows a value before any later step,
 * error or attachment could show it.
 *
 * The worker's own stdout and stderr are redacted here, at the source: Playwright hands each printed
 * chunk to every reporter as the same immutable string, so no reporter can redact it for the others.
 */
import { test, type TestInfo } from '@playwright/test';
import { onSecretCreated } from '../oauth/secret.js';
import type { SecretLookup } from './recorded-request.js';
import { Redactor } from './redactor.js';

export const SECRET_ATTACHMENT_NAME = 'bb2-secret-registration';
export const SECRET_ATTACHMENT_TYPE = 'application/x-bb2-secret-registration+json';

const workerRedactor = new Redactor();
/** Value → label ("access token"), for the shell variable that stands for it in curl commands. */
const labels = new Map<string, string>();
const pending = new Set<string>();
let installed = false;

function currentTestInfo(): TestInfo | undefined {
  try {
    return test.info();
  } catch {
    // Outside a test (module loading, worker start-up): the values wait for the next test.
    return undefined;
  }
}

/**
 * The flushes, one after another. A flush takes the pending values at once, so a second flush started
 * while the first one's attachment is still on its way (the one a Secret's creation starts without
 * waiting, then the one at the end of the test) would find nothing to send; if the first then failed
 * because its test had ended, its values went back to `pending` with no flush left to send them. Chained,
 * the later flush runs after the earlier one has attached its values or put them back.
 */
let flushes: Promise<void> = Promise.resolve();

/** Sends the values not yet sent as one hidden attachment of the running test, after any flush already under way. */
export function flushSecrets(testInfo: TestInfo | undefined = currentTestInfo()): Promise<void> {
  flushes = flushes.then(() => attachPending(testInfo));
  return flushes;
}

async function attachPending(testInfo: TestInfo | undefined): Promise<void> {
  if (testInfo === undefined || pending.size === 0) return;
  const values = [...pending];
  pending.clear();
  try {
    await testInfo.attach(SECRET_ATTACHMENT_NAME, { body: JSON.stringify(values), contentType: SECRET_ATTACHMENT_TYPE });
  } catch {
    // The test has ended (a late teardown): keep the values for the next test of this worker.
    for (const value of values) pending.add(value);
  }
}

/** Makes `stream` replace every secret the worker knows in what it writes (exported for its unit test). */
export function redactingWrite(stream: Pick<NodeJS.WriteStream, 'write'>): void {
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : undefined;
    if (text === undefined) return original(chunk, ...rest);
    const redacted = workerRedactor.redact(text);
    // Bytes without a secret go out as they came: decoding them as UTF-8 would corrupt binary output
    // (node:test's own protocol on a test process's stdout, for one).
    return original(redacted === text ? chunk : redacted, ...rest);
  }) as typeof stream.write;
}

/** Once per worker process: learn every secret, redact stdout/stderr, and forward secrets to the reporter. */
export function installWorkerRedaction(): void {
  if (installed) return;
  installed = true;
  redactingWrite(process.stdout);
  redactingWrite(process.stderr);
  onSecretCreated((value, label) => {
    if (!labels.has(value)) labels.set(value, label);
    if (!workerRedactor.add(value)) return;
    pending.add(value);
    // Sent right away when a test runs, so the reporter has it before a step or error can show it.
    void flushSecrets();
  });
}

/** "access token" → BB2_ACCESS_TOKEN, "client secret" → BB2_CLIENT_SECRET, "PKCE verifier" → BB2_PKCE_VERIFIER. */
export function shellVariableFor(label: string): string {
  return `BB2_${label.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`;
}

/** The worker's secrets, for the request records and curl commands the fixtures attach. */
export const workerSecrets: SecretLookup = {
  variableFor(value) {
    const label = labels.get(value);
    return label === undefined ? undefined : shellVariableFor(label);
  },
  redact: (text) => workerRedactor.redact(text),
};
