/**
 * A value that must never reach a log, a report, a test title or an error message: client secrets,
 * passwords, access and refresh tokens, authorization codes, PKCE verifiers.
 *
 * Wrapping such a value makes every accidental way of printing it harmless: `String(secret)`,
 * template literals, `JSON.stringify`, `console.log` / `util.inspect` and Playwright's matcher output
 * (which formats objects by their enumerable properties; the value lives in a private field) all show
 * a fixed placeholder. Only `reveal()` gives the value, at the one place it is sent over the wire.
 */
import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

/** Called with every Secret's value as it is created (the report redactor learns values this way). */
export type SecretListener = (value: string, label: string) => void;

/** Value → label of the first Secret created with it. */
const createdValues = new Map<string, string>();
const listeners = new Set<SecretListener>();

/**
 * Subscribes to secrets created from now on, and replays those created so far (so a listener installed
 * late still learns the client secret read at start-up). Returns the unsubscribe function.
 */
export function onSecretCreated(listener: SecretListener): () => void {
  listeners.add(listener);
  for (const [value, label] of createdValues) listener(value, label);
  return () => listeners.delete(listener);
}

/** Every distinct secret value created in this process so far. */
export function createdSecretValues(): readonly string[] {
  return [...createdValues.keys()];
}

export class Secret {
  readonly #value: string;
  /** What the value is ("access token"), for messages; never the value. */
  readonly label: string;

  constructor(value: string, label = 'secret') {
    this.#value = value;
    this.label = label;
    if (!createdValues.has(value)) {
      createdValues.set(value, label);
      for (const listener of listeners) listener(value, label);
    }
  }

  /** The real value. Call it only where the value goes over the wire (a header, a form field, a URL). */
  reveal(): string {
    return this.#value;
  }

  /** Its length, which a check may print (BB2 codes and tokens are 30 characters). */
  get length(): number {
    return this.#value.length;
  }

  /** Constant-time comparison is not needed here (the suite is the client); equality is enough. */
  equals(other: Secret | string): boolean {
    return this.#value === (typeof other === 'string' ? other : other.#value);
  }

  toString(): string {
    return `${REDACTED} ${this.label}`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return `Secret(${this.label})`;
  }
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}

/** Accepts either form, so helpers can take a Secret or a plain string chosen by a test (e.g. a wrong verifier). */
export function revealValue(value: Secret | string): string {
  return typeof value === 'string' ? value : value.reveal();
}

/** Names of fields that hold secrets in OAuth requests and responses (RFC 6749, RFC 7636, BB2-OAUTH-TOKEN-02). */
export const SECRET_FIELD_NAMES: ReadonlySet<string> = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'client_secret',
  'password',
  'token',
]);

/**
 * For bodies of OAuth endpoints only (in FHIR, `code` is an ordinary element).
 * A copy of a JSON value with every secret field's string value replaced by a placeholder that keeps its
 * JSON type and length, so a check can still say "access_token is a string of 30 characters" and a
 * failing assertion can print the body without leaking anything.
 */
export function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [
        key,
        SECRET_FIELD_NAMES.has(key) && typeof field === 'string' ? `${REDACTED} (${field.length} characters)` : redactJson(field),
      ]),
    );
  }
  return value;
}
