/**
 * `npm run sweep -- --merge DIR`: the results folders of a sharded sweep (each shard's --out, e.g. the
 * CI artefacts downloaded under DIR) become one results folder and one report. The shards must be of
 * the same sweep (users, API version, target, fault) and must not share a user.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../embedded-sandbox.js';
import type { SweepSummary } from './aggregate.js';
import { appendUserResult, lockResultsDir, prepareResultsDir, readRun, readUserResults, RUN_FILE, writeRun, type RunRecord } from './results-dir.js';
import { summarise, writeSummary } from './run.js';
import type { UserResult } from './user-result.js';
import { parseShard } from './users.js';

/** Folders under `root` (itself included, three levels deep) that hold a sweep's run.json. */
export function findShardDirs(root: string, depth = 3): string[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  if (existsSync(path.join(root, RUN_FILE))) return [root];
  if (depth === 0) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => findShardDirs(path.join(root, entry.name), depth - 1));
}

export interface MergedShards {
  readonly run: RunRecord;
  readonly results: Map<string, UserResult>;
  /** Problems that leave the merged report incomplete (a shard missing), said in the output. */
  readonly warnings: string[];
}

export function mergeShardRuns(shards: ReadonlyArray<{ dir: string; run: RunRecord; results: ReadonlyMap<string, UserResult> }>): MergedShards {
  const [first] = shards;
  if (first === undefined) throw new UsageError('--merge: no shard results found (no run.json under the folder given)');
  const warnings: string[] = [];
  const seenShards = new Map<string, string>();
  const owner = new Map<string, string>();
  let total: number | undefined;
  for (const { dir, run } of shards) {
    const same = run.apiVersion === first.run.apiVersion && run.selection === first.run.selection && run.target.kind === first.run.target.kind && run.target.baseUrl === first.run.target.baseUrl && run.fault === first.run.fault;
    if (!same) throw new UsageError(`--merge: ${dir} is another sweep than ${first.dir} (users, API version, target or fault differ)`);
    const shard = run.shard === undefined ? { index: 1, total: 1 } : parseShard(run.shard);
    if (total !== undefined && shard.total !== total) throw new UsageError(`--merge: ${dir} is shard ${run.shard}, but ${first.dir} splits the users into ${total}`);
    total = shard.total;
    const key = `${shard.index}/${shard.total}`;
    const other = seenShards.get(key);
    if (other !== undefined) throw new UsageError(`--merge: shard ${key} appears twice (${other} and ${dir})`);
    seenShards.set(key, dir);
    for (const user of run.users) {
      const earlier = owner.get(user);
      if (earlier !== undefined) throw new UsageError(`--merge: ${user} is in two shards (${earlier} and ${dir}); shards must not share users`);
      owner.set(user, dir);
    }
  }
  const missing = Array.from({ length: total ?? 0 }, (_, index) => `${index + 1}/${total}`).filter((key) => !seenShards.has(key));
  if (missing.length > 0) warnings.push(`shard(s) ${missing.join(', ')} missing: their users are not in this report`);

  const results = new Map<string, UserResult>();
  for (const shard of shards) for (const [user, result] of shard.results) results.set(user, result);
  const users = [...owner.keys()].sort();
  const starts = shards.flatMap(({ run }) => run.sessions.map((session) => session.startedAt)).sort();
  const ends = shards.flatMap(({ run }) => run.sessions.map((session) => session.endedAt ?? session.startedAt)).sort();
  // Shards run side by side: the merged sweep took as long as its longest shard.
  const activeMs = Math.max(...shards.map(({ run }) => run.sessions.reduce((sum, session) => sum + session.activeMs, 0)));
  const requests = shards.reduce((sum, { run }) => sum + run.sessions.reduce((inShard, session) => inShard + (session.requests ?? 0), 0), 0);
  const run: RunRecord = {
    ...first.run,
    shard: undefined,
    users,
    concurrency: first.run.concurrency,
    sessions: [{ startedAt: starts[0] ?? new Date().toISOString(), endedAt: ends[ends.length - 1], activeMs, requests }],
  };
  delete (run as { shard?: string }).shard;
  return { run, results, warnings };
}

export function mergeShards(shardsDir: string, outDir: string, fresh: boolean): { summary: SweepSummary; warnings: string[]; shards: number } {
  const dirs = findShardDirs(shardsDir).filter((dir) => path.resolve(dir) !== path.resolve(outDir));
  const shards = dirs.map((dir) => ({ dir, run: readRun(dir), results: readUserResults(dir) }));
  const merged = mergeShardRuns(shards);
  const release = lockResultsDir(outDir);
  try {
    prepareResultsDir(outDir, fresh ? 'fresh' : 'new');
    writeRun(outDir, merged.run);
    for (const user of merged.run.users) {
      const result = merged.results.get(user);
      if (result !== undefined) appendUserResult(outDir, result);
    }
    const summary = summarise(merged.run, merged.results);
    writeSummary(outDir, summary);
    return { summary, warnings: merged.warnings, shards: shards.length };
  } finally {
    release();
  }
}
