/**
 * Replaces known secret values in text, in every form a report may hold them: as they are, URL-encoded
 * (query strings and form bodies, `+` for spaces), JSON-escaped, and as the base64 of HTTP Basic
 * credentials (`client_id:client_secret`, RFC 6749 §2.3.1). Hand-written: the redaction libraries on npm
 * mask by field name or by pattern, while here the exact values are known and must go wherever they are.
 */
import { REDACTED } from '../oauth/secret.js';

/** Shorter values are not treated as secrets: replacing them would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 8;

/** The encoded forms of a value that reports may hold, the value itself first. */
export function encodedForms(value: string): string[] {
  const forms = new Set<string>([value]);
  forms.add(encodeURIComponent(value));
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  forms.add(JSON.stringify(value).slice(1, -1));
  // A JSON-escaped form inside a JSON string (a JSON body shown in a JSON report).
  forms.add(JSON.stringify(JSON.stringify(value).slice(1, -1)).slice(1, -1));
  forms.add(Buffer.from(value).toString('base64'));
  return [...forms];
}

/** The `Authorization: Basic …` credential of a client, in the two encodings clients use. */
export function basicCredentialForms(clientId: string, clientSecret: string): string[] {
  const forms = new Set<string>();
  forms.add(Buffer.from(`${clientId}:${clientSecret}`).toString('base64'));
  forms.add(Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64'));
  return [...forms];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Redactor {
  readonly #values = new Set<string>();
  readonly #forms = new Set<string>();
  #pattern: RegExp | undefined;

  /** Adds a secret; false when it is too short to count as one or already known. */
  add(value: string): boolean {
    if (value.length < MIN_SECRET_LENGTH || this.#values.has(value)) return false;
    this.#values.add(value);
    for (const form of encodedForms(value)) if (form.length >= MIN_SECRET_LENGTH) this.#forms.add(form);
    this.#pattern = undefined;
    return true;
  }

  addClient(clientId: string, clientSecret: string): void {
    this.add(clientSecret);
    for (const form of basicCredentialForms(clientId, clientSecret)) this.#forms.add(form);
    this.#pattern = undefined;
  }

  get size(): number {
    return this.#values.size;
  }

  values(): readonly string[] {
    return [...this.#values];
  }

  #regExp(): RegExp | undefined {
    if (this.#forms.size === 0) return undefined;
    // Longest first, so an encoded form that contains another is replaced whole.
    this.#pattern ??= new RegExp([...this.#forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    return this.#pattern;
  }

  redact(text: string): string {
    const pattern = this.#regExp();
    return pattern === undefined ? text : text.replace(pattern, REDACTED);
  }

  contains(text: string): boolean {
    const pattern = this.#regExp();
    if (pattern === undefined) return false;
    pattern.lastIndex = 0;
    const found = pattern.test(text);
    pattern.lastIndex = 0;
    return found;
  }

  /** A copy of a JSON-like value with every string redacted (keys included). */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.redactDeep(item)) as T;
    if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, field]) => [this.redact(key), this.redactDeep(field)])) as T;
    }
    return value;
  }
}
