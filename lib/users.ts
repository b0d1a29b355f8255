/**
 * Which synthetic beneficiaries each Playwright worker logs in. No two workers running at the same time,
 * in the same shard or in another shard of the same run, may share one: BB2 revokes an app's earlier
 * tokens for a beneficiary at every new consent (BB2-OAUTH-CONSENT-02: AuthorizationView.form_valid in
 * CMSgov/bluebutton-web-server apps/dot_ext/views/authorization.py), so a shared beneficiary would turn the
 * other worker's next request into a 401 that reads as a conformance failure.
 *
 * Each worker of each shard is one slot: slot = (shard - 1) × workers + parallelIndex, of shards ×
 * workers slots. Playwright gives a running worker a parallelIndex below `workers` that no other running
 * worker of the same run has, and a worker that replaces a failed one takes its index (and its users)
 * after it is gone. Slot s gets every (shards × workers)-th user of BB2_USERS from the s-th, and the s-th
 * claims user.
 */
import { ConfigError, usersForWorker, type SuiteConfig } from './config.js';
import { LAST_USER_NUMBER, loadSandboxData } from './embedded-sandbox.js';

export interface ShardInfo {
  /** 1-based, as Playwright's config.shard.current. */
  readonly current: number;
  readonly total: number;
}

export interface WorkerSlot {
  readonly index: number;
  readonly count: number;
  /** "worker 2 of 4 of shard 1 of 2", for messages. */
  readonly description: string;
}

/** A worker's slot from Playwright's config.shard (null when not sharded), workers and the worker's parallelIndex. */
export function slotOfWorker(shard: ShardInfo | null, workers: number, parallelIndex: number): WorkerSlot {
  const shards = shard ?? { current: 1, total: 1 };
  const valid =
    Number.isInteger(workers) && workers >= 1 && Number.isInteger(parallelIndex) && parallelIndex >= 0 && parallelIndex < workers &&
    Number.isInteger(shards.total) && shards.total >= 1 && Number.isInteger(shards.current) && shards.current >= 1 && shards.current <= shards.total;
  if (!valid) throw new RangeError(`worker ${parallelIndex} of ${workers} in shard ${shards.current}/${shards.total} is not a valid worker slot`);
  const description = `worker ${parallelIndex + 1} of ${workers}${shard ? ` of shard ${shard.current} of ${shard.total}` : ''}`;
  return { index: (shards.current - 1) * workers + parallelIndex, count: shards.total * workers, description };
}

/** Users each slot needs: one holds the worker's shared token, the others serve tests that authorize afresh. */
export const USERS_PER_SLOT = 2;

/** The slot's share of BB2_USERS: every `count`-th user from the slot's index. */
export function usersForSlot(users: readonly string[], slot: WorkerSlot): string[] {
  const mine = usersForWorker(users, slot.index, slot.count);
  if (mine.length < USERS_PER_SLOT) {
    throw new ConfigError(
      `BB2_USERS has ${users.length} user(s), which leaves ${slot.description} with ${mine.length}: each of the ${slot.count} workers ` +
        `of this run (shards × workers) needs at least ${USERS_PER_SLOT} users of its own (one holds the shared token, the others serve ` +
        `tests that authorize afresh). List at least ${slot.count * USERS_PER_SLOT} users in BB2_USERS, or run fewer workers (--workers) or shards.`,
    );
  }
  return mine;
}

/** The slot's beneficiary with many claims of every type: the slot-th of `claimsUsers`. */
export function claimsUserForSlot(claimsUsers: readonly string[], slot: WorkerSlot, source: string): string {
  const user = claimsUsers[slot.index];
  if (user === undefined) {
    throw new ConfigError(
      `${source} has ${claimsUsers.length} claims user(s), but this run has ${slot.count} workers (shards × workers), each needing ` +
        `its own (${slot.description} has none). List at least ${slot.count} users in BB2_CLAIMS_USERS, or run fewer workers or shards.`,
    );
  }
  return user;
}

/**
 * Claims users on a target other than the embedded sandbox when BB2_CLAIMS_USERS is unset: BBUser29999
 * (146 claims on the real sandbox) and four users of the 2017 data set (BBUser10000–29999, "Loaded 2017" in
 * CMSgov/bluebutton-site-static at 4f8ae6b8, _pages/developers.md). A claim type one of them lacks there only makes that
 * type's search empty.
 */
export const DEFAULT_EXTERNAL_CLAIMS_USERS: readonly string[] = ['BBUser29999', 'BBUser10001', 'BBUser10009', 'BBUser10012', 'BBUser10038'];

/** The claims user of a worker slot: from BB2_CLAIMS_USERS, else the embedded sandbox's data, else the defaults. */
export async function claimsUserFor(config: SuiteConfig, slot: WorkerSlot): Promise<string> {
  if (config.claimsUsers !== undefined) return claimsUserForSlot(config.claimsUsers, slot, 'BB2_CLAIMS_USERS');
  if (config.target.kind === 'embedded') {
    return claimsUserForSlot(await embeddedClaimsUsers(slot.index + 1, new Set(config.users)), slot, "the embedded sandbox's claims users");
  }
  return claimsUserForSlot(DEFAULT_EXTERNAL_CLAIMS_USERS, slot, `the default claims users (${DEFAULT_EXTERNAL_CLAIMS_USERS.join(', ')}; set BB2_CLAIMS_USERS)`);
}

/** The embedded sandbox's beneficiary with the real sandbox's 146 claims of every type (BBUser29999). */
const FIRST_EMBEDDED_CLAIMS_USER = 29_999;
/** Claims enough for two pages at the largest page size (50), few enough to keep a worker's walks short. */
const EMBEDDED_CLAIMS_RANGE = { min: 51, max: 160 } as const;

/**
 * The first `count` claims users of the embedded sandbox: BBUser29999, then, from BBUser10001 upwards,
 * users whose generated data has every claim type and 51 to 160 claims. Derived from the sandbox's own
 * data plan (no EOB is built), so the list follows the generator if it changes. Users in `exclude`
 * (BB2_USERS) are passed over. Loaded only for the embedded target.
 */
export async function embeddedClaimsUsers(count: number, exclude: ReadonlySet<string> = new Set()): Promise<string[]> {
  const { CLAIM_TYPES, claimCountsForUser, syntheticUser } = await loadSandboxData();
  const found = [syntheticUser(FIRST_EMBEDDED_CLAIMS_USER).username].filter((username) => !exclude.has(username));
  for (let number = 10_001; found.length < count && number < LAST_USER_NUMBER; number += 1) {
    const user = syntheticUser(number);
    if (exclude.has(user.username)) continue;
    const counts = claimCountsForUser(user);
    const total = CLAIM_TYPES.reduce((sum, type) => sum + counts[type], 0);
    if (CLAIM_TYPES.every((type) => counts[type] > 0) && total >= EMBEDDED_CLAIMS_RANGE.min && total <= EMBEDDED_CLAIMS_RANGE.max) found.push(user.username);
  }
  return found.slice(0, count);
}
