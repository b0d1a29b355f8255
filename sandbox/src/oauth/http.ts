/**
 * Request and response helpers shared by the OAuth routes: BB2-shaped replies, tolerant parameter
 * access with Django's semantics, and bounded body reading.
 */
import type Koa from 'koa';

/** A complete answer: status, media type and an already-serialised body. */
export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Django's JsonResponse: `application/json`, keys in insertion order, `", "`/`": "` separators. */
export function jsonReply(status: number, body: unknown, headers?: Readonly<Record<string, string>>): Reply {
  return { status, contentType: 'application/json', body: pythonJson(body), ...(headers ? { headers } : {}) };
}

export function htmlReply(status: number, body: string): Reply {
  return { status, contentType: 'text/html; charset=utf-8', body };
}

export function textReply(status: number, body: string): Reply {
  return { status, contentType: 'text/plain; charset=utf-8', body };
}

export function sendReply(koa: Koa.Context, reply: Reply): void {
  koa.status = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {})) koa.set(name, value);
  koa.set('Content-Type', reply.contentType);
  koa.body = reply.body;
}

/** Django's redirect responses (302 by default); the Location is used as given. */
export function sendRedirect(koa: Koa.Context, location: string, status = 302): void {
  koa.status = status;
  koa.set('Location', location);
  koa.body = '';
}

/**
 * Python's json.dumps default separators (", " and ": "), which Django's JsonResponse uses. Clients
 * must not depend on whitespace, but byte-level comparisons against the real sandbox then agree.
 */
export function pythonJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/"(?:[^"\\]|\\.)*"|[,:]/g, (token) => (token === ',' ? ', ' : token === ':' ? ': ' : token));
}

/** Request parameters with Django QueryDict semantics: `get` returns the last value of a repeated key. */
export class Params {
  constructor(readonly entries: URLSearchParams) {}

  static fromQuery(querystring: string): Params {
    return new Params(new URLSearchParams(querystring));
  }

  get(name: string): string | undefined {
    const values = this.entries.getAll(name);
    return values.length === 0 ? undefined : values[values.length - 1];
  }

  getAll(name: string): string[] {
    return this.entries.getAll(name);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  toString(): string {
    return this.entries.toString();
  }
}

/** Reads GET first, then POST, like BB2's `AuthorizationView._get_param`. */
export function firstOf(name: string, ...sources: Params[]): string | undefined {
  for (const source of sources) {
    const value = source.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** An error Koa's error handling turns into a 4xx (commonMiddleware answers exposed client errors). */
export class ClientError extends Error {
  readonly expose = true;
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Form bodies above this are refused (413); OAuth forms are a few hundred bytes. */
export const FORM_BODY_LIMIT = 64 * 1024;

/**
 * Reads the raw request body, refusing more than `limit` bytes. Hand-written instead of
 * @koa/bodyparser because the OAuth routes must keep the exact bytes to replay them to oidc-provider.
 */
export async function readRawBody(koa: Koa.Context, limit = FORM_BODY_LIMIT): Promise<Buffer> {
  const declared = koa.request.length;
  if (declared !== undefined && declared > limit) throw new ClientError(413, 'request body too large');
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of koa.req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    received += buffer.length;
    if (received > limit) throw new ClientError(413, 'request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, received);
}

export interface FormBody {
  /** The parsed fields; empty for a body that is not application/x-www-form-urlencoded. */
  readonly params: Params;
  /** The body exactly as sent, empty when the media type is not a form. */
  readonly raw: string;
}

/** Reads an application/x-www-form-urlencoded body; other media types count as no parameters, as in Django. */
export async function readForm(koa: Koa.Context): Promise<FormBody> {
  const raw = await readRawBody(koa);
  if (!koa.is('application/x-www-form-urlencoded')) return { params: new Params(new URLSearchParams()), raw: '' };
  const text = raw.toString('utf8');
  return { params: new Params(new URLSearchParams(text)), raw: text };
}

/**
 * Python's `urllib.parse.quote_plus(value, safe)`: what Django's `redirect_to_login` uses to put the
 * `next` URL into the login redirect (slashes stay readable).
 */
export function quotePlus(value: string, safe = '/'): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const character = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~]/.test(character) || safe.includes(character)) out += character;
    else if (character === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
