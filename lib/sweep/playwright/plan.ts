/**
 * What a Playwright sweep run sweeps, from the environment (Playwright takes no arguments of ours):
 *
 *   BB2_SWEEP_USERS        as --users (default: BB2_USERS)
 *   BB2_SWEEP_SAMPLE, BB2_SWEEP_SEED   as --sample, --seed
 *   BB2_SWEEP_CONCURRENCY  browser contexts per batch (default 4)
 *   BB2_SWEEP_RATE         requests a second per worker (default as npm run sweep)
 *   BB2_SWEEP_BATCH        users per test (default 10)
 *   BB2_SWEEP_WORKERS      Playwright workers (default 1)
 *   BB2_SWEEP_API_VERSION  as --api-version (default: BB2_API_VERSION when it names one version, else v2)
 *
 * Read through `npm run sweep`'s own parser, so the values mean the same and a bad one gets the same message.
 */
import { UsageError, wholeNumberFlag } from '../../embedded-sandbox.js';
import { primaryApiVersion, type ApiVersion } from '../../api-version.js';
import { loadSuiteConfigOrExit } from '../../config.js';
import { parseSweepArguments, resolveSelection } from '../options.js';

export interface SweepPlan {
  /** The API version swept: the project's `apiVersion` (sweep.config.ts). */
  readonly apiVersion: ApiVersion;
  readonly batches: readonly (readonly string[])[];
  readonly description: string;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly rate: number | undefined;
  readonly pageSize: number;
  readonly workers: number;
}

const FLAGS: ReadonlyArray<[variable: string, flag: string]> = [
  ['BB2_SWEEP_USERS', '--users'],
  ['BB2_SWEEP_SAMPLE', '--sample'],
  ['BB2_SWEEP_SEED', '--seed'],
  ['BB2_SWEEP_CONCURRENCY', '--concurrency'],
  ['BB2_SWEEP_RATE', '--rate'],
  ['BB2_SWEEP_API_VERSION', '--api-version'],
];

/** @param configuredVersions BB2_API_VERSION's versions: the default when it names one, else v2 */
export function sweepPlan(env: NodeJS.ProcessEnv, configuredUsers: readonly string[], configuredVersions: readonly ApiVersion[] = []): SweepPlan {
  const argv = FLAGS.flatMap(([variable, flag]) => (env[variable]?.trim() ? [flag, (env[variable] as string).trim()] : []));
  let command;
  try {
    command = parseSweepArguments(argv, env);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${error.message} (set through ${FLAGS.map(([variable]) => variable).join(', ')})`);
    throw error;
  }
  if (command === 'help' || command.kind !== 'sweep') throw new UsageError('the sweep plan takes sweep settings only');
  const selection = resolveSelection(command.selection ?? { users: undefined, sample: undefined, shard: undefined }, configuredUsers);
  const batchSize = wholeNumberFlag('BB2_SWEEP_BATCH', env.BB2_SWEEP_BATCH?.trim() || undefined) ?? 10;
  const workers = wholeNumberFlag('BB2_SWEEP_WORKERS', env.BB2_SWEEP_WORKERS?.trim() || undefined) ?? 1;
  if (batchSize < 1 || batchSize > 500) throw new UsageError(`BB2_SWEEP_BATCH must be 1 to 500, got ${batchSize}`);
  if (workers < 1 || workers > 16) throw new UsageError(`BB2_SWEEP_WORKERS must be 1 to 16, got ${workers}`);
  const batches: string[][] = [];
  for (let start = 0; start < selection.users.length; start += batchSize) batches.push(selection.users.slice(start, start + batchSize));
  const apiVersion = command.apiVersion ?? primaryApiVersion(configuredVersions);
  return { apiVersion, batches, description: selection.description, batchSize, concurrency: command.concurrency, rate: command.rate, pageSize: command.pageSize, workers };
}

/** For the config and the spec: the plan, or one message and exit 2 (as the suite's configuration does). */
export function sweepPlanOrExit(env: NodeJS.ProcessEnv = process.env): SweepPlan {
  const config = loadSuiteConfigOrExit();
  try {
    return sweepPlan(env, config.users, config.apiVersions);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`\nsweep: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
