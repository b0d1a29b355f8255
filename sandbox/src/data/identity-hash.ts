/**
 * The hicn-hash / mbi-hash identifier values: hex PBKDF2-HMAC-SHA256 of the MBI or HICN with BB2's
 * default salt and 2 iterations (BB2-FHIR-IDENTIFIER-03; apps/fhir/bluebutton/models.py hash_id_value). BB2 hex-decodes the salt setting before use
 * (apps/accounts/models.py get_user_id_salt), so the salt bytes are the decoded ones. The live sandbox
 * uses a secret salt, so these values match BB2's development defaults, not the live sandbox's hashes.
 * Cached: each user asks for them repeatedly.
 */
import { pbkdf2Sync } from 'node:crypto';

const SALT = Buffer.from('6E6F747468657265616C706570706572', 'hex');
const ITERATIONS = 2;
const KEY_BYTES = 32;
const MAX_CACHED = 10_000;

const cache = new Map<string, string>();

export function identityHash(value: string): string {
  const cached = cache.get(value);
  if (cached !== undefined) return cached;
  const hash = pbkdf2Sync(value, SALT, ITERATIONS, KEY_BYTES, 'sha256').toString('hex');
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(value, hash);
  return hash;
}
