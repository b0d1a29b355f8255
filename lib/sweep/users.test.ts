/** The sweep's user selection and its split: counts, lists, seeded samples, shards that never share a user. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShard, parseUsersOption, population, sampleUsers, usersOfShard, UserSelectionError } from './users.js';

describe('--users', () => {
  it('a count takes the first users of the population', () => {
    assert.deepEqual(parseUsersOption('3'), ['BBUser00000', 'BBUser00001', 'BBUser00002']);
    assert.equal(parseUsersOption('30000').length, 30_000);
  });

  it('takes ranges, names and both mixed, as BB2_USERS does, without duplicates', () => {
    assert.deepEqual(parseUsersOption('BBUser00008-BBUser00010,BBUser00002,BBUser00009'), ['BBUser00008', 'BBUser00009', 'BBUser00010', 'BBUser00002']);
    assert.equal(parseUsersOption('BBUser00000-BBUser29999').length, 30_000);
  });

  it('refuses what is not a selection, saying why', () => {
    assert.throws(() => parseUsersOption('0'), /count must be 1 to 30000/);
    assert.throws(() => parseUsersOption('30001'), /count must be 1 to 30000/);
    assert.throws(() => parseUsersOption('bob'), (error: unknown) => error instanceof UserSelectionError && /"bob" is neither a synthetic user/.test(error.message));
    assert.throws(() => parseUsersOption('BBUser00010-BBUser00001'), /ends before it starts/);
    assert.throws(() => parseUsersOption('BBUser30000'), /BBUser00000 to BBUser29999/);
  });
});

describe('--sample N --seed S', () => {
  it('is the same for the same seed, another for another seed, and in population order', () => {
    const all = population();
    const a = sampleUsers(all, 300, '42');
    assert.equal(a.length, 300);
    assert.deepEqual(sampleUsers(all, 300, '42'), a);
    assert.notDeepEqual(sampleUsers(all, 300, '43'), a);
    assert.deepEqual([...a].sort(), a);
    assert.equal(new Set(a).size, 300);
  });

  it('a bigger sample of the same seed contains the smaller one', () => {
    const small = sampleUsers(population(), 50, 'x');
    const big = new Set(sampleUsers(population(), 500, 'x'));
    for (const user of small) assert.ok(big.has(user), user);
  });

  it('samples only from the users given, and not more than there are', () => {
    const from = parseUsersOption('BBUser00100-BBUser00199');
    for (const user of sampleUsers(from, 10, '1')) assert.ok(from.includes(user));
    assert.throws(() => sampleUsers(from, 101, '1'), /more than the 100 users/);
  });
});

describe('--shard I/N', () => {
  it('reads I/N and refuses other forms', () => {
    assert.deepEqual(parseShard('2/8'), { index: 2, total: 8 });
    assert.throws(() => parseShard('0/8'), /1 to 8 of 8/);
    assert.throws(() => parseShard('9/8'), /1 to 8 of 8/);
    assert.throws(() => parseShard('2-8'), /must look like 2\/8/);
  });

  it('shards partition the users: no user in two shards or two workers, none left out', () => {
    const users = parseUsersOption('BBUser00000-BBUser00999');
    for (const total of [1, 2, 3, 7, 8, 64, 1500]) {
      const seen = new Map<string, string>();
      for (let index = 1; index <= total; index += 1) {
        const mine = usersOfShard(users, { index, total });
        // Within a shard the browser contexts take users from one queue: simulate 5 workers draining it.
        const queue = [...mine];
        const workers: string[][] = [[], [], [], [], []];
        for (let turn = 0; queue.length > 0; turn += 1) (workers[turn % workers.length] as string[]).push(queue.shift() as string);
        workers.forEach((taken, worker) => {
          for (const user of taken) {
            const where = `shard ${index}/${total} worker ${worker}`;
            assert.equal(seen.get(user), undefined, `${user} in ${seen.get(user)} and ${where}`);
            seen.set(user, where);
          }
        });
      }
      assert.equal(seen.size, users.length, `${total} shards cover every user`);
    }
  });

  it('spreads each shard over the whole range (every n-th user), so shards get similar claim mixes', () => {
    const users = parseUsersOption('BBUser00000-BBUser29999');
    const shard = usersOfShard(users, { index: 3, total: 8 });
    assert.equal(shard[0], 'BBUser00002');
    assert.equal(shard[1], 'BBUser00010');
    assert.ok(shard.some((user) => user >= 'BBUser20000'));
  });
});
