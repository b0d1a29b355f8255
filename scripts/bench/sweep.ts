/**
 * The population sweep's throughput against the embedded sandbox (npm run sweep, as a user runs it):
 * users per minute with one browser context and with more, the CPU it takes per user, and what that
 * means for all 30,000 users (the wall time on one machine, the shards that bring it under an hour).
 * The users are a seeded sample of the whole population, so every run sweeps the same claim mix.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/config.js';
import type { SweepSummary } from '../../lib/sweep/aggregate.js';
import { POPULATION_SIZE } from '../../lib/sweep/users.js';
import type { BenchSection } from './figures.js';

/** Contexts tried, and users swept at each (fewer for one context, which is slow). */
const RUNS: ReadonlyArray<{ readonly concurrency: number; readonly users: number }> = [
  { concurrency: 1, users: 20 },
  { concurrency: 2, users: 40 },
  { concurrency: 4, users: 60 },
  { concurrency: 8, users: 60 },
];

interface Measured {
  readonly usersPerMinute: number;
  /** Users not ok (a busy machine's timeouts show here), with the first one's reason. */
  readonly problems: string | undefined;
  /** User + system CPU seconds of the sweep, its sandbox and its Chromium, per user. */
  readonly cpuSecondsPerUser: number;
  readonly wallSeconds: number;
}

function sweepOnce(concurrency: number, users: number): Measured {
  const out = mkdtempSync(path.join(tmpdir(), 'bb2-bench-sweep-'));
  try {
    // bash's `time` counts the children (sandbox, Chromium) too; TIMEFORMAT prints "user sys real".
    const command = `TIMEFORMAT='%U %S %R'; time node --import tsx scripts/sweep.ts --sample ${users} --seed bench --concurrency ${concurrency} --out ${out}/sweep --progress lines`;
    const env: NodeJS.ProcessEnv = { ...process.env, BB2_BASE_URL: '', BB2_CLIENT_ID: '', BB2_CLIENT_SECRET: '', BB2_SELFTEST_FAULT: '' };
    const result = spawnSync('bash', ['-c', command], { cwd: REPO_ROOT, env, encoding: 'utf8' });
    const timing = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\s*$/.exec(result.stderr);
    // Exit 1 is a user that was not ok (on a busy machine, a login that timed out): reported, not fatal.
    if ((result.status !== 0 && result.status !== 1) || timing === null) throw new Error(`the sweep failed (exit ${result.status}): ${result.stderr.slice(-500)}`);
    const summary = JSON.parse(readFileSync(path.join(out, 'sweep', 'summary.json'), 'utf8')) as SweepSummary;
    const failed = [...summary.users.loginFailed, ...summary.users.targetUnavailable];
    return {
      usersPerMinute: summary.throughput.usersPerMinute,
      problems: failed.length === 0 ? undefined : `${failed.length} user(s) not ok, e.g. ${failed[0]?.user}: ${failed[0]?.error.slice(0, 160)}`,
      cpuSecondsPerUser: (Number(timing[1]) + Number(timing[2])) / summary.totals.done,
      wallSeconds: Number(timing[3]),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export const sweepSection: BenchSection = {
  name: 'sweep',
  title: 'Population sweep (npm run sweep against the embedded sandbox, seeded sample)',
  run(record) {
    let best: (Measured & { concurrency: number }) | undefined;
    for (const { concurrency, users } of RUNS) {
      const measured = sweepOnce(concurrency, users);
      record({
        key: `sweep.c${concurrency}-users-per-min`,
        label: `users per minute, ${concurrency} browser context(s)`,
        value: measured.usersPerMinute,
        unit: '/min',
        lowerIsBetter: false,
        note: `${users} users, ${measured.wallSeconds.toFixed(0)} s wall with start-up, ${measured.cpuSecondsPerUser.toFixed(2)} CPU s per user${measured.problems ? `; ${measured.problems}` : ''}`,
      });
      if (best === undefined || measured.usersPerMinute > best.usersPerMinute) best = { ...measured, concurrency };
    }
    if (best === undefined) return;
    record({ key: 'sweep.cpu-s-per-user', label: `CPU per user at ${best.concurrency} contexts (sweep + sandbox + Chromium)`, value: best.cpuSecondsPerUser, unit: 's', lowerIsBetter: true });
    const hours = POPULATION_SIZE / best.usersPerMinute / 60;
    record({ key: 'sweep.population-hours', label: `all ${POPULATION_SIZE} users on one such machine, ${best.concurrency} contexts`, value: hours, unit: 'h', lowerIsBetter: true });
    record({ key: 'sweep.shards-under-an-hour', label: 'shards (machines like this one) to sweep them in under an hour', value: Math.ceil(hours), unit: 'shards', lowerIsBetter: true });
  },
};
