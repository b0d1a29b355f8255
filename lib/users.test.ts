/**
 * User allocation over every shard × worker combination of a run: no two slots share a beneficiary
 * (shared users or claims users), every user of BB2_USERS serves some slot, and too few users is a
 * ConfigError that says how many are needed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseSuiteConfig } from './config.js';
import { loadSandboxData } from './embedded-sandbox.js';
import { claimsUserFor, claimsUserForSlot, DEFAULT_EXTERNAL_CLAIMS_USERS, embeddedClaimsUsers, slotOfWorker, USERS_PER_SLOT, usersForSlot, type WorkerSlot } from './users.js';

const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => `BBUser${String(from + index).padStart(5, '0')}`);

/** Every slot of a run with `shards` shards of `workers` workers, as the workers see them. */
function slotsOf(shards: number, workers: number): WorkerSlot[] {
  const slots: WorkerSlot[] = [];
  for (let current = 1; current <= shards; current += 1) {
    for (let parallelIndex = 0; parallelIndex < workers; parallelIndex += 1) {
      slots.push(slotOfWorker(shards === 1 ? null : { current, total: shards }, workers, parallelIndex));
    }
  }
  return slots;
}

describe('slotOfWorker', () => {
  it('numbers the workers of every shard apart', () => {
    for (let shards = 1; shards <= 4; shards += 1) {
      for (let workers = 1; workers <= 8; workers += 1) {
        const slots = slotsOf(shards, workers);
        assert.deepEqual(
          slots.map((slot) => slot.index),
          Array.from({ length: shards * workers }, (_, index) => index),
          `${shards} shard(s) × ${workers} worker(s)`,
        );
        for (const slot of slots) assert.equal(slot.count, shards * workers);
      }
    }
  });

  it('names the worker and shard in its description', () => {
    assert.equal(slotOfWorker({ current: 2, total: 2 }, 4, 2).description, 'worker 3 of 4 of shard 2 of 2');
    assert.equal(slotOfWorker(null, 4, 0).description, 'worker 1 of 4');
  });

  it('rejects an index outside the workers or a shard outside the run', () => {
    assert.throws(() => slotOfWorker(null, 2, 2), RangeError);
    assert.throws(() => slotOfWorker({ current: 3, total: 2 }, 2, 0), RangeError);
    assert.throws(() => slotOfWorker(null, 0, 0), RangeError);
  });
});

describe('usersForSlot over shards × workers', () => {
  it('gives every worker of every shard its own users, and uses them all', () => {
    const users = range(0, 200);
    for (let shards = 1; shards <= 4; shards += 1) {
      for (let workers = 1; workers <= 8; workers += 1) {
        const seen = new Map<string, string>();
        for (const slot of slotsOf(shards, workers)) {
          const mine = usersForSlot(users, slot);
          assert.ok(mine.length >= USERS_PER_SLOT);
          for (const user of mine) {
            assert.equal(seen.get(user), undefined, `${user} given to ${seen.get(user)} and to ${slot.description}`);
            seen.set(user, slot.description);
          }
        }
        assert.equal(seen.size, users.length, `${shards} × ${workers}: every user serves a slot`);
      }
    }
  });

  it('says how many users the run needs when a slot gets fewer than two', () => {
    const slot = slotOfWorker({ current: 2, total: 2 }, 4, 3);
    assert.throws(() => usersForSlot(range(0, 10), slot), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /BB2_USERS has 10 user\(s\), which leaves worker 4 of 4 of shard 2 of 2 with 1/);
      assert.match(error.message, /List at least 16 users in BB2_USERS/);
      return true;
    });
  });
});

describe('claims users over shards × workers', () => {
  it('gives every slot its own claims user from BB2_CLAIMS_USERS, or says how many are missing', () => {
    const claimsUsers = range(20_000, 6);
    const slots = slotsOf(2, 3);
    assert.deepEqual(
      slots.map((slot) => claimsUserForSlot(claimsUsers, slot, 'BB2_CLAIMS_USERS')),
      claimsUsers,
    );
    assert.throws(() => claimsUserForSlot(claimsUsers, slotOfWorker({ current: 2, total: 2 }, 4, 3), 'BB2_CLAIMS_USERS'), /has 6 claims user\(s\), but this run has 8 workers.*List at least 8 users in BB2_CLAIMS_USERS/);
  });

  it('derives distinct embedded claims users with every claim type, passing over BB2_USERS', async () => {
    const { CLAIM_TYPES, claimCountsForUser, findUserByUsername } = await loadSandboxData();
    const derived = await embeddedClaimsUsers(16);
    assert.equal(derived.length, 16);
    assert.equal(derived[0], 'BBUser29999');
    assert.equal(new Set(derived).size, 16);
    for (const username of derived) {
      const user = findUserByUsername(username);
      assert.ok(user, username);
      const counts = claimCountsForUser(user);
      assert.deepEqual(CLAIM_TYPES.filter((type) => counts[type] === 0), [], `${username} has every claim type`);
      assert.ok(CLAIM_TYPES.reduce((sum, type) => sum + counts[type], 0) > 50, `${username} has more than one page of 50 claims`);
    }
    const excluded = await embeddedClaimsUsers(3, new Set(derived.slice(0, 2)));
    assert.deepEqual(excluded, derived.slice(2, 5));
  });

  it('picks from BB2_CLAIMS_USERS, the embedded data or the defaults, by configuration', async () => {
    const slot = slotOfWorker(null, 2, 1);
    assert.equal(await claimsUserFor(parseSuiteConfig({ BB2_CLAIMS_USERS: 'BBUser20000-BBUser20001' }), slot), 'BBUser20001');
    assert.equal(await claimsUserFor(parseSuiteConfig({}), slot), (await embeddedClaimsUsers(2))[1]);
    const external = { BB2_BASE_URL: 'https://sandbox.example', BB2_CLIENT_ID: 'a'.repeat(40), BB2_CLIENT_SECRET: 'secret' };
    assert.equal(await claimsUserFor(parseSuiteConfig(external), slot), DEFAULT_EXTERNAL_CLAIMS_USERS[1]);
    await assert.rejects(claimsUserFor(parseSuiteConfig(external), slotOfWorker({ current: 2, total: 2 }, 4, 1)), /default claims users .* set BB2_CLAIMS_USERS/);
  });
});
