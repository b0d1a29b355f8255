/**
 * Wraps a Playwright APIRequestContext so that, in a test, every request
 *   - is a step a reader can follow ("GET ExplanationOfBenefit page 3", "POST token (refresh_token)"),
 *   - has its request and response attached (method, URL, status, headers, JSON body), redacted; a body
 *     larger than WHOLE_BODY_LIMIT is summarised there, and attached whole only if the test fails
 *     (lib/reporting/body-summary.ts),
 *   - has a curl command attached that reproduces it, with secrets as shell variables
 *     ($BB2_ACCESS_TOKEN, "$BB2_CLIENT_ID:$BB2_CLIENT_SECRET", $BB2_AUTHORIZATION_CODE, …),
 * and, in and out of tests, transient faults are handled:
 *   - an idempotent request (GET, HEAD, and POST to the introspection endpoint, which reads only) answered
 *     429 or 5xx, or not answered at all, is sent again up to `retries` times, with exponential backoff or
 *     after the Retry-After the server asked for (capped). The code exchange and the refresh grant are never
 *     repeated: a code is single-use and BB2 rotates refresh tokens, so a retry would test something else.
 *   - when the target still answers 429, 502, 503 or 504, or does not answer, the call throws a
 *     TargetUnavailableError ("target unavailable: …"), which the reports file apart from conformance
 *     failures. A 500 is returned to the check: a server error on a request is itself a finding.
 */
import { test, type APIRequestContext, type APIResponse, type TestInfo } from '@playwright/test';
import { responseBody } from '../http/response-body.js';
import type { Bb2Endpoints } from '../oauth/endpoints.js';
import { redactJson, REDACTED, SECRET_FIELD_NAMES } from '../oauth/secret.js';
import { summariseBody, WHOLE_BODY_LIMIT, type WholeBodies } from './body-summary.js';
import { TargetUnavailableError } from './target-errors.js';

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
const UNAVAILABLE_STATUSES = new Set([429, 502, 503, 504]);
/** A server asking for a longer pause than this is treated as unavailable for this run. */
export const MAX_RETRY_AFTER_MS = 30_000;
const BASE_BACKOFF_MS = 500;

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type RequestOptions = NonNullable<Parameters<APIRequestContext['fetch']>[1]>;

export interface SecretLookup {
  /** The shell variable that stands for a secret value in a curl command, or undefined if not a secret. */
  variableFor(value: string): string | undefined;
  redact(text: string): string;
}

export interface RecordingOptions {
  readonly endpoints: Bb2Endpoints;
  readonly clientId: string;
  readonly retries: number;
  readonly secrets: SecretLookup;
  /** The test to add steps and attachments to; none for worker fixtures (retries only). */
  readonly testInfo?: TestInfo;
  /** Keeps the whole bodies that the attachments summarise, for the test's end (attached if it failed). */
  readonly wholeBodies?: WholeBodies;
  /** Waits between attempts; replaced in unit tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RequestRecord {
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: Record<string, string>;
  readonly requestBody: Record<string, string> | string | undefined;
}

function sameEndpoint(url: URL, endpoint: string): boolean {
  const other = new URL(endpoint);
  return url.origin === other.origin && url.pathname.replace(/\/+$/, '') === other.pathname.replace(/\/+$/, '');
}

function oauthEndpointName(url: URL, endpoints: Bb2Endpoints): string | undefined {
  const names = ['token', 'revoke', 'revokeToken', 'introspect', 'userinfo', 'authorize'] as const;
  for (const name of names) {
    const endpoint = endpoints[name];
    if (typeof endpoint === 'string' && sameEndpoint(url, endpoint)) return name === 'revokeToken' ? 'revoke_token' : name;
  }
  return undefined;
}

/** The page a FHIR search URL asks for (BB2: startIndex and _count, default 10; BB2-FHIR-PAGING-01). */
function pageNumber(query: URLSearchParams): number | undefined {
  const start = query.get('startIndex');
  if (start === null || !/^\d+$/.test(start)) return undefined;
  const countText = query.get('_count') ?? query.get('count') ?? '10';
  const count = /^\d+$/.test(countText) && Number(countText) > 0 ? Number(countText) : 10;
  return Math.floor(Number(start) / count) + 1;
}

/** A step title a reader follows: "GET ExplanationOfBenefit page 3 (type=carrier)", "POST token (authorization_code)". */
export function describeRequest(method: string, rawUrl: string, endpoints: Bb2Endpoints, form?: Readonly<Record<string, string>>): string {
  if (!URL.canParse(rawUrl)) return `${method} ${rawUrl}`;
  const url = new URL(rawUrl);
  const oauth = oauthEndpointName(url, endpoints);
  if (oauth !== undefined) {
    const grant = form?.grant_type;
    return `${method} ${oauth}${grant ? ` (${grant})` : ''}`;
  }
  const fhirBase = new URL(endpoints.fhirBase);
  const basePath = fhirBase.pathname.replace(/\/+$/, '');
  if (url.origin === fhirBase.origin && url.pathname.startsWith(`${basePath}/`)) {
    const resource = url.pathname.slice(basePath.length + 1).replace(/\/+$/, '');
    const query = new URLSearchParams(url.search);
    const page = pageNumber(query);
    for (const name of ['startIndex', '_count', 'count']) if (page !== undefined) query.delete(name);
    const rest = [...query].map(([name, value]) => `${name}=${value}`).join(', ');
    return `${method} ${resource}${page === undefined ? '' : ` page ${page}`}${rest ? ` (${rest})` : ''}`;
  }
  return `${method} ${url.pathname}`;
}

function headerRecord(headers: RequestOptions['headers']): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
}

function formRecord(form: RequestOptions['form']): Record<string, string> | undefined {
  if (form === undefined) return undefined;
  if (form instanceof FormData) return Object.fromEntries([...form].map(([name, value]) => [name, String(value)]));
  return Object.fromEntries(Object.entries(form).map(([name, value]) => [name, String(value)]));
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A curl command that sends the same request; secrets appear as shell variables, in double quotes. */
export function curlCommand(record: RequestRecord, secrets: SecretLookup, clientId: string): string {
  const parts = [`curl -sS -i -X ${record.method} ${shellQuote(record.url)}`];
  for (const [name, value] of Object.entries(record.requestHeaders)) {
    const bearer = /^Bearer (.+)$/i.exec(value);
    const basic = /^Basic (.+)$/i.exec(value);
    if (name.toLowerCase() === 'authorization' && bearer) {
      const variable = secrets.variableFor(bearer[1] as string);
      parts.push(variable ? `-H "Authorization: Bearer $${variable}"` : `-H ${shellQuote(secrets.redact(`${name}: ${value}`))}`);
      continue;
    }
    if (name.toLowerCase() === 'authorization' && basic) {
      const [id = '', secret = ''] = Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':');
      const idText = decodeURIComponent(id) === clientId ? '$BB2_CLIENT_ID' : decodeURIComponent(id);
      const secretVariable = secrets.variableFor(decodeURIComponent(secret));
      parts.push(`-u "${idText}:${secretVariable ? `$${secretVariable}` : secrets.redact(decodeURIComponent(secret))}"`);
      continue;
    }
    parts.push(`-H ${shellQuote(secrets.redact(`${name}: ${value}`))}`);
  }
  if (typeof record.requestBody === 'object') {
    for (const [name, value] of Object.entries(record.requestBody)) {
      const variable = secrets.variableFor(value) ?? (name === 'client_id' && value === clientId ? 'BB2_CLIENT_ID' : undefined);
      parts.push(variable ? `--data-urlencode "${name}=$${variable}"` : `--data-urlencode ${shellQuote(`${name}=${secrets.redact(value)}`)}`);
    }
  } else if (typeof record.requestBody === 'string') {
    parts.push(`--data-raw ${shellQuote(secrets.redact(record.requestBody))}`);
  }
  return parts.join(' \\\n  ');
}

function redactedHeaders(headers: Record<string, string>, secrets: SecretLookup): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (name.toLowerCase() === 'authorization') return [name, value.replace(/^(\S+)\s.*$/, `$1 ${REDACTED}`)];
      return [name, secrets.redact(value)];
    }),
  );
}

async function responseRecord(response: APIResponse, isOAuth: boolean, secrets: SecretLookup, keepWhole: (text: string, contentType: string) => void): Promise<Record<string, unknown>> {
  const headers = response.headers();
  const contentType = headers['content-type'] ?? '';
  const { text, json: parsed } = await responseBody(response).catch(() => ({ text: '', json: undefined }));
  const json = parsed?.value;
  let body: unknown = parsed === undefined ? text : isOAuth ? redactJson(json) : json;
  // OAuth answers are small and their fields are the evidence; a FHIR page is summarised when large.
  if (!isOAuth && text.length > WHOLE_BODY_LIMIT) {
    body = summariseBody(text, json);
    keepWhole(text, contentType);
  }
  const redactedSetCookie = headers['set-cookie'] === undefined ? {} : { 'set-cookie': REDACTED };
  return { status: response.status(), statusText: response.statusText(), headers: { ...redactedHeaders(headers, secrets), ...redactedSetCookie }, body };
}

/** A Retry-After header (seconds, or an HTTP date) in milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, nowMs = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const seconds = /^\s*\d+\s*$/.test(header) ? Number(header) : (Date.parse(header) - nowMs) / 1000;
  return Number.isFinite(seconds) ? Math.max(seconds * 1000, 0) : undefined;
}

function retryDelay(response: APIResponse | undefined, attempt: number): number {
  const asked = retryAfterMs(response?.headers()['retry-after']);
  return asked === undefined ? BASE_BACKOFF_MS * 2 ** attempt : Math.min(asked, MAX_RETRY_AFTER_MS);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The APIRequestContext methods that send a request, and the HTTP method each sends. */
const SENDERS: Readonly<Record<string, Method | undefined>> = {
  get: 'GET',
  head: 'HEAD',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  fetch: undefined,
};

export function recordingRequestContext(request: APIRequestContext, options: RecordingOptions): APIRequestContext {
  const sleep = options.sleep ?? defaultSleep;
  const { endpoints, secrets, testInfo, wholeBodies } = options;

  async function send(method: Method, url: string, init: RequestOptions): Promise<APIResponse> {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    const oauth = parsed && oauthEndpointName(parsed, endpoints);
    const form = formRecord(init.form);
    const title = describeRequest(method, url, endpoints, form);
    const retryable = method === 'GET' || method === 'HEAD' || (method === 'POST' && oauth === 'introspect');
    const attempts = retryable ? options.retries + 1 : 1;
    const record: RequestRecord = {
      method,
      url,
      requestHeaders: headerRecord(init.headers),
      requestBody: form ?? (typeof init.data === 'string' ? init.data : init.data === undefined ? undefined : JSON.stringify(init.data)),
    };

    const run = async (): Promise<APIResponse> => {
      let response: APIResponse | undefined;
      let failure: Error | undefined;
      const notes: string[] = [];
      for (let attempt = 0; attempt < attempts; attempt += 1) {
        if (attempt > 0) {
          const delay = retryDelay(response, attempt - 1);
          notes.push(`attempt ${attempt} ${response ? `answered ${response.status()}` : `failed (${failure?.message.split('\n')[0]})`}; retrying in ${delay} ms`);
          await sleep(delay);
        }
        try {
          response = await request.fetch(url, { ...init, method });
          failure = undefined;
          if (!RETRYABLE_STATUSES.has(response.status())) break;
        } catch (error) {
          response = undefined;
          failure = error as Error;
        }
      }
      if (testInfo) {
        const exchange = {
          request: {
            method,
            url: secrets.redact(url),
            headers: redactedHeaders(record.requestHeaders, secrets),
            body: form ? Object.fromEntries(Object.entries(form).map(([name, value]) => [name, SECRET_FIELD_NAMES.has(name) ? REDACTED : secrets.redact(value)])) : record.requestBody,
          },
          response: response
            ? await responseRecord(response, oauth !== undefined, secrets, (text, contentType) => wholeBodies?.keep(title, text, contentType))
            : { error: secrets.redact(failure?.message.split('\n')[0] ?? '') },
          ...(notes.length > 0 ? { retries: notes } : {}),
        };
        await testInfo.attach(`${title}: request and response`, { body: secrets.redact(JSON.stringify(exchange, null, 2)), contentType: 'application/json' });
        await testInfo.attach(`${title}: curl`, { body: curlCommand(record, secrets, options.clientId), contentType: 'text/plain' });
      }
      if (response === undefined) {
        throw new TargetUnavailableError(`${title} got no answer after ${attempts} attempt(s): ${secrets.redact(failure?.message.split('\n')[0] ?? 'no response')}`);
      }
      if (UNAVAILABLE_STATUSES.has(response.status())) {
        throw new TargetUnavailableError(`${title} answered ${response.status()} after ${attempts} attempt(s)${response.headers()['retry-after'] ? ` (Retry-After: ${response.headers()['retry-after']})` : ''}`);
      }
      return response;
    };
    return testInfo ? test.step(title, run) : run();
  }

  return new Proxy(request, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !(property in SENDERS) || typeof value !== 'function') {
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      return (urlOrRequest: unknown, init: RequestOptions = {}) => {
        // A Request object (a page's request replayed) is passed through unrecorded.
        if (typeof urlOrRequest !== 'string') return (value as (...args: unknown[]) => unknown).call(target, urlOrRequest, init);
        const method = (SENDERS[property] ?? (init.method?.toUpperCase() as Method | undefined) ?? (init.data !== undefined || init.form !== undefined ? 'POST' : 'GET')) as Method;
        return send(method, urlOrRequest, init);
      };
    },
  });
}
