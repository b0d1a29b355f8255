/**
 * Who the sweep authorizes: the user selection (`--users`: a count from BBUser00000, a list, ranges, or
 * both mixed as BB2_USERS takes them; `--sample N --seed S`: a seeded random sample of that population)
 * and the deterministic split of the selection into shards (`--shard i/n`).
 *
 * Shards take every n-th user (lib/config.ts usersForWorker, the same split the suite's workers use), so
 * each shard gets users from every part of the range (users 0-9999 have other claim mixes than 10000+).
 * Within a shard, the browser contexts take users from one queue: a user is authorized by one context
 * of one shard only, so no two consents for the same user and app ever overlap.
 */
import { createHash } from 'node:crypto';
import { parseUserList, usersForWorker } from '../config.js';
import { LAST_USER_NUMBER } from '../embedded-sandbox.js';

/** Users the BB2 sandbox has: BBUser00000..BBUser29999. */
export const POPULATION_SIZE = LAST_USER_NUMBER + 1;

export class UserSelectionError extends Error {
  override name = 'UserSelectionError';
}

export function username(number: number): string {
  return `BBUser${String(number).padStart(5, '0')}`;
}

export function userNumber(name: string): number {
  return Number(name.slice('BBUser'.length));
}

/** The whole synthetic population, in order. */
export function population(): string[] {
  return Array.from({ length: POPULATION_SIZE }, (_, number) => username(number));
}

/**
 * `--users`: "500" (the first 500 users), "BBUser00000-BBUser29999", "BBUser00001,BBUser00007", or ranges
 * and names mixed. Usernames in the order given, without duplicates.
 */
export function parseUsersOption(text: string): string[] {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const count = Number(trimmed);
    if (count < 1 || count > POPULATION_SIZE) throw new UserSelectionError(`--users ${trimmed}: a count must be 1 to ${POPULATION_SIZE}`);
    return population().slice(0, count);
  }
  let users: string[];
  try {
    users = parseUserList(trimmed);
  } catch (error) {
    throw new UserSelectionError(`--users ${(error as Error).message}; or give a count, e.g. --users 500`);
  }
  const beyond = users.find((name) => userNumber(name) > LAST_USER_NUMBER);
  if (beyond !== undefined) throw new UserSelectionError(`--users names ${beyond}, but the synthetic users are BBUser00000 to ${username(LAST_USER_NUMBER)}`);
  return users;
}

/**
 * `size` users of `from`, chosen by `seed`: each user is ranked by SHA-256(seed, username) and the
 * lowest ranks are taken, so the same seed gives the same sample on any machine, and a bigger sample
 * of the same seed contains the smaller one. Returned in population order.
 */
export function sampleUsers(from: readonly string[], size: number, seed: string): string[] {
  if (!Number.isInteger(size) || size < 1) throw new UserSelectionError(`--sample must be a whole number of at least 1, got ${size}`);
  if (size > from.length) throw new UserSelectionError(`--sample ${size} is more than the ${from.length} users to sample from`);
  const rank = (name: string) => createHash('sha256').update(`${seed}\u001f${name}`).digest('hex');
  const chosen = new Set(
    from
      .map((name) => ({ name, rank: rank(name) }))
      .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
      .slice(0, size)
      .map((entry) => entry.name),
  );
  return from.filter((name) => chosen.has(name));
}

export interface Shard {
  /** 1-based, as Playwright's --shard writes it. */
  readonly index: number;
  readonly total: number;
}

/** `--shard 2/8` → { index: 2, total: 8 }. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new UserSelectionError(`--shard must look like 2/8 (this shard / number of shards), got "${text}"`);
  const index = Number(match[1]);
  const total = Number(match[2]);
  if (total < 1 || index < 1 || index > total) throw new UserSelectionError(`--shard ${text}: the shard must be 1 to ${Math.max(total, 1)} of ${total}`);
  return { index, total };
}

/** The users of one shard: every `total`-th user of the selection, starting at the shard's index. */
export function usersOfShard(users: readonly string[], shard: Shard): string[] {
  return usersForWorker(users, shard.index - 1, shard.total);
}
