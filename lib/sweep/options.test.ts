/** `npm run sweep` arguments: defaults, the user selection, and a clear UsageError for every mistake. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../embedded-sandbox.js';
import { DEFAULT_CONCURRENCY, parseSweepArguments, resolveSelection, type SweepCommand } from './options.js';
import { sweepPlan } from './playwright/plan.js';

const ENV = { BB2_REPORTS_DIR: '/tmp/bb2-reports' };

function sweep(argv: string[]): SweepCommand {
  const command = parseSweepArguments(argv, ENV);
  assert.ok(command !== 'help' && command.kind === 'sweep');
  return command;
}

function usageError(argv: string[]): string {
  try {
    parseSweepArguments(argv, ENV);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

describe('parseSweepArguments', () => {
  it('defaults: the configured users, 4 contexts, pages of 50, reports/sweep, a new sweep', () => {
    const command = sweep([]);
    assert.equal(command.selection, undefined);
    assert.equal(command.concurrency, DEFAULT_CONCURRENCY);
    assert.equal(command.pageSize, 50);
    assert.equal(command.rate, undefined);
    assert.equal(command.outDir, path.resolve('/tmp/bb2-reports/sweep'));
    assert.equal(command.mode, 'new');
  });

  it('--users, --sample/--seed and --shard resolve to this shard\'s users', () => {
    const count = resolveSelection(sweep(['--users', '500']).selection!, []);
    assert.equal(count.users.length, 500);
    assert.equal(count.description, '--users 500');
    const sample = resolveSelection(sweep(['--sample', '300', '--seed', '42']).selection!, []);
    assert.equal(sample.users.length, 300);
    assert.equal(sample.description, '--sample 300 --seed 42 of all users');
    const sharded = resolveSelection(sweep(['--users', 'BBUser00000-BBUser00099', '--shard', '2/4']).selection!, []);
    assert.equal(sharded.users.length, 25);
    assert.equal(sharded.users[0], 'BBUser00001');
    assert.equal(sharded.shard, '2/4');
    const configured = resolveSelection(sweep(['--shard', '1/2']).selection!, ['BBUser00005', 'BBUser00006', 'BBUser00007']);
    assert.deepEqual(configured.users, ['BBUser00005', 'BBUser00007']);
    assert.equal(configured.description, 'BB2_USERS');
  });

  it('a sample larger than its population is a usage error', () => {
    assert.throws(() => resolveSelection(sweep(['--users', '10', '--sample', '11']).selection!, []), (error: unknown) => error instanceof UsageError && /more than the 10 users/.test(error.message));
  });

  it('--api-version takes v1 or v2', () => {
    assert.equal(sweep(['--api-version', 'v2']).apiVersion, 'v2');
    assert.equal(sweep(['--api-version', 'v1']).apiVersion, 'v1');
    assert.equal(sweep([]).apiVersion, undefined);
  });

  it('every mistake is a UsageError naming the flag', () => {
    assert.match(usageError(['--users', 'BBUser1']), /--users "BBUser1" is neither a synthetic user/);
    assert.match(usageError(['--api-version', 'v3']), /--api-version must be one of v1, v2/);
    assert.match(usageError(['--seed', '4']), /--seed chooses a sample/);
    assert.match(usageError(['--sample', 'many']), /--sample must be a whole number/);
    assert.match(usageError(['--shard', '3/2']), /--shard 3\/2/);
    assert.match(usageError(['--resume', '--fresh']), /contradict/);
    assert.match(usageError(['--concurrency', '0']), /--concurrency must be 1 to 32/);
    assert.match(usageError(['--page-size', '51']), /--page-size must be 1 to 50/);
    assert.match(usageError(['--rate', 'fast']), /--rate must be a number/);
    assert.match(usageError(['--progress', 'fancy']), /--progress must be one of bar, lines, auto/);
    assert.match(usageError(['--merge', 'x', '--users', '5']), /--merge only combines finished shards: --users/);
    assert.match(usageError(['--bogus']), /bogus/);
    assert.match(usageError(['BBUser00001']), /positional/i);
  });

  it('--merge reads the shards folder and the output folder', () => {
    const command = parseSweepArguments(['--merge', 'shards', '--out', 'merged', '--fresh'], ENV);
    assert.ok(command !== 'help' && command.kind === 'merge');
    assert.equal(command.shardsDir, path.resolve('shards'));
    assert.equal(command.outDir, path.resolve('merged'));
    assert.equal(command.fresh, true);
  });

  it('--help', () => {
    assert.equal(parseSweepArguments(['-h'], ENV), 'help');
  });
});

describe('the Playwright form: batches of users', () => {
  it('partitions the selection into batches (Playwright --shard splits batches, so shards never share a user)', () => {
    const plan = sweepPlan({ BB2_SWEEP_USERS: 'BBUser00000-BBUser00104', BB2_SWEEP_BATCH: '10' }, []);
    assert.equal(plan.batches.length, 11);
    const users = plan.batches.flat();
    assert.equal(users.length, 105);
    assert.equal(new Set(users).size, 105);
    assert.deepEqual(plan.batches[10], ['BBUser00100', 'BBUser00101', 'BBUser00102', 'BBUser00103', 'BBUser00104']);
  });

  it('takes the configured users by default and names the variable of a bad value', () => {
    assert.deepEqual(sweepPlan({}, ['BBUser00003']).batches, [['BBUser00003']]);
    assert.throws(() => sweepPlan({ BB2_SWEEP_USERS: 'nobody' }, []), (error: unknown) => error instanceof UsageError && /set through BB2_SWEEP_USERS/.test(error.message));
    assert.throws(() => sweepPlan({ BB2_SWEEP_BATCH: '0' }, []), /BB2_SWEEP_BATCH must be 1 to 500/);
  });
});
