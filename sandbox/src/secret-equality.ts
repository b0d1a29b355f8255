/**
 * Whether a presented secret (a password, a client secret, the private sandboxes' control token) is the
 * expected one, compared in a time that does not depend on where the two differ.
 */
import { timingSafeEqual } from 'node:crypto';

export function secretEquals(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
