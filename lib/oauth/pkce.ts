/**
 * PKCE (RFC 7636) and `state` for the client side of BB2's authorization-code flow. BB2 requires both
 * since 2025-12: `code_challenge_method=S256` and a `state` of at least 16 characters (BB2-OAUTH-PKCE-01..02, BB2-OAUTH-STATE-01..02).
 *
 * Hand-written: it is two calls into node:crypto, and a client library would hide the verifier we
 * need to vary on purpose (wrong verifier, `plain` method) in the negative tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Secret } from './secret.js';

/** RFC 7636 §4.1: 43 to 128 characters from the unreserved set. */
export const VERIFIER_MIN_LENGTH = 43;
export const VERIFIER_MAX_LENGTH = 128;
const UNRESERVED = /^[A-Za-z0-9\-._~]+$/;

/** BB2-OAUTH-STATE-02: state must be at least 16 characters. */
export const STATE_MIN_LENGTH = 16;

export interface PkcePair {
  readonly verifier: Secret;
  /** BASE64URL(SHA256(verifier)) without padding (RFC 7636 §4.2). Not secret: it travels in the URL. */
  readonly challenge: string;
  readonly method: 'S256';
}

/** base64url without padding: unreserved characters only, so any prefix is a valid verifier. */
function randomUrlSafe(length: number): string {
  return randomBytes(Math.ceil((length * 3) / 4) + 1)
    .toString('base64url')
    .slice(0, length);
}

export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function isValidVerifier(verifier: string): boolean {
  return verifier.length >= VERIFIER_MIN_LENGTH && verifier.length <= VERIFIER_MAX_LENGTH && UNRESERVED.test(verifier);
}

/** A fresh verifier (64 characters unless asked otherwise) and its S256 challenge. */
export function createPkcePair(length = 64): PkcePair {
  if (!Number.isInteger(length) || length < VERIFIER_MIN_LENGTH || length > VERIFIER_MAX_LENGTH) {
    throw new RangeError(`a PKCE verifier is ${VERIFIER_MIN_LENGTH} to ${VERIFIER_MAX_LENGTH} characters (RFC 7636 §4.1), not ${length}`);
  }
  const verifier = randomUrlSafe(length);
  return { verifier: new Secret(verifier, 'PKCE verifier'), challenge: s256Challenge(verifier), method: 'S256' };
}

/** Another valid verifier that is not the given one: for "wrong verifier" checks. */
export function createDifferentVerifier(verifier: Secret): Secret {
  let other = randomUrlSafe(verifier.length);
  while (verifier.equals(other)) other = randomUrlSafe(verifier.length);
  return new Secret(other, 'wrong PKCE verifier');
}

/**
 * A fresh random state: 32 base64url characters (192 bits), well above BB2's 16-character minimum.
 * Not a secret in BB2's sense (it comes back in the redirect URL), but unguessable per RFC 6749 §10.12.
 */
export function createState(length = 32): string {
  if (!Number.isInteger(length) || length < STATE_MIN_LENGTH) {
    throw new RangeError(`BB2 requires a state of at least ${STATE_MIN_LENGTH} characters (BB2-OAUTH-STATE-02), not ${length}`);
  }
  return randomUrlSafe(length);
}
