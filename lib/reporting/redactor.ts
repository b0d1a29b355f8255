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

/**
 * Finds every known secret form in a text in one pass, whatever the number of forms: a rolling hash of
 * each window of MIN_SECRET_LENGTH characters is looked up among the hashes of the forms' first
 * MIN_SECRET_LENGTH characters (Rabin-Karp with many patterns), and only a hit compares strings.
 * Hand-written because the set of forms grows during a run (each test adds its tokens and codes): the
 * multi-pattern libraries on npm (Aho-Corasick) compile a fixed dictionary, so every addition would mean
 * a rebuild, and one alternation RegExp of a few thousand forms scans a few MB/min (measured in
 * docs/performance.md: 130 CPU-seconds of a run went into it).
 */
class FormIndex {
  static readonly #WINDOW = MIN_SECRET_LENGTH;
  static readonly #BASE = 0x01000193;
  /** BASE^(WINDOW-1), to drop the window's first character from the hash. */
  static readonly #DROP = (() => {
    let power = 1;
    for (let step = 1; step < FormIndex.#WINDOW; step += 1) power = Math.imul(power, FormIndex.#BASE);
    return power;
  })();

  /** Forms by the hash of their first WINDOW characters, longest first (the longest form wins at a position). */
  readonly #byHash = new Map<number, string[]>();
  /** One bit per hash bucket: most windows miss here without a Map lookup. */
  readonly #filter = new Uint8Array(1 << 16);

  static #hash(text: string, from: number): number {
    let hash = 0;
    for (let index = from; index < from + FormIndex.#WINDOW; index += 1) hash = (Math.imul(hash, FormIndex.#BASE) + text.charCodeAt(index)) | 0;
    return hash;
  }

  static #bucket(hash: number): number {
    return (hash ^ (hash >>> 16)) & 0xffff;
  }

  get empty(): boolean {
    return this.#byHash.size === 0;
  }

  add(form: string): void {
    const hash = FormIndex.#hash(form, 0);
    const forms = this.#byHash.get(hash) ?? [];
    if (forms.includes(form)) return;
    forms.push(form);
    forms.sort((a, b) => b.length - a.length);
    this.#byHash.set(hash, forms);
    this.#filter[FormIndex.#bucket(hash)] = 1;
  }

  /** The longest form that starts at `position` of `text`, given the hash of the window there. */
  #formAt(text: string, position: number, hash: number): string | undefined {
    if (this.#filter[FormIndex.#bucket(hash)] === 0) return undefined;
    for (const form of this.#byHash.get(hash) ?? []) if (text.startsWith(form, position)) return form;
    return undefined;
  }

  /** Calls `found` for each leftmost-longest match, left to right; stops when it returns false. */
  scan(text: string, found: (position: number, form: string) => boolean): void {
    const window = FormIndex.#WINDOW;
    if (this.empty || text.length < window) return;
    let position = 0;
    let hash = FormIndex.#hash(text, 0);
    const last = text.length - window;
    while (position <= last) {
      const form = this.#formAt(text, position, hash);
      if (form !== undefined) {
        if (!found(position, form)) return;
        position += form.length;
        if (position <= last) hash = FormIndex.#hash(text, position);
        continue;
      }
      if (position < last) {
        hash = (Math.imul(hash - Math.imul(text.charCodeAt(position), FormIndex.#DROP), FormIndex.#BASE) + text.charCodeAt(position + window)) | 0;
      }
      position += 1;
    }
  }
}

export class Redactor {
  readonly #values = new Set<string>();
  readonly #forms = new FormIndex();

  /** Adds a secret; false when it is too short to count as one or already known. */
  add(value: string): boolean {
    if (value.length < MIN_SECRET_LENGTH || this.#values.has(value)) return false;
    this.#values.add(value);
    for (const form of encodedForms(value)) if (form.length >= MIN_SECRET_LENGTH) this.#forms.add(form);
    return true;
  }

  addClient(clientId: string, clientSecret: string): void {
    this.add(clientSecret);
    for (const form of basicCredentialForms(clientId, clientSecret)) this.#forms.add(form);
  }

  get size(): number {
    return this.#values.size;
  }

  values(): readonly string[] {
    return [...this.#values];
  }

  redact(text: string): string {
    const parts: string[] = [];
    let copied = 0;
    this.#forms.scan(text, (position, form) => {
      parts.push(text.slice(copied, position), REDACTED);
      copied = position + form.length;
      return true;
    });
    if (copied === 0) return text;
    parts.push(text.slice(copied));
    return parts.join('');
  }

  contains(text: string): boolean {
    let found = false;
    this.#forms.scan(text, () => {
      found = true;
      return false;
    });
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
