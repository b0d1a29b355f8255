/**
 * `npm run sweep` command line: flags read like the project's other tools (sandbox/src/cli-arguments.ts),
 * every mistake a UsageError naming the flag (printed above the usage, exit 2).
 */
import path from 'node:path';
import { choiceFlag, parseFlags, UsageError, wholeNumberFlag } from '../embedded-sandbox.js';
import { API_VERSIONS, type ApiVersion } from '../api-version.js';
import { REPO_ROOT } from '../config.js';
import { MAX_PAGE_SIZE } from '../fhir/bundle.js';
import { parseShard, parseUsersOption, population, sampleUsers, UserSelectionError, usersOfShard, type Shard } from './users.js';

export const USAGE = `Usage: npm run sweep -- [users] [options]

Authorizes every selected synthetic beneficiary through the browser (login and consent, as a person
would), fetches Patient, Coverage and every ExplanationOfBenefit page, validates every resource, and
aggregates the violations by rule. Target, client and API version come from .env (see .env.example).

Users (default: BB2_USERS, else BBUser00000-BBUser00099):
  --users SPEC           500 (the first 500 users), BBUser00000-BBUser29999, BBUser00001,BBUser00007,
                         or ranges and names mixed
  --sample N             a random sample of N users of --users (default: of all 30,000)
  --seed TEXT            the sample's seed: the same seed gives the same sample (default 1)
  --shard I/N            only shard I of N (every N-th user); shards never share a user

Options:
  --api-version V        v1 (FHIR STU3) or v2 (FHIR R4 with the CARIN Blue Button profiles); default:
                         BB2_API_VERSION when it names one version, else v2 (a resumed sweep keeps its own)
  --concurrency N        browser contexts sweeping at once, 1 to 32 (default 4)
  --rate N               at most N requests a second to the target, 0 = no limit
                         (default 10 for an external target, no limit for the embedded sandbox)
  --page-size N          ExplanationOfBenefit page size (_count), 1 to ${MAX_PAGE_SIZE} (default ${MAX_PAGE_SIZE})
  --out DIR              results folder (default reports/sweep)
  --resume               continue the sweep in --out where it stopped (finished users are kept)
  --fresh                start over in --out, deleting the sweep results there
  --progress MODE        bar (a terminal), lines (plain lines, CI), auto (default)
  --merge DIR            merge the shards' results folders found under DIR into one report in
                         --out (with --fresh: replacing a sweep there)
  -h, --help             this text

Results: --out/summary.md (readable), summary.json, users.jsonl (one line per user, the checkpoint).
Exit: 0 every user ok, 1 a user with violations or a failed login or an unavailable target,
2 bad arguments or configuration, 130 stopped (resume with --resume).`;

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 32;
/** Requests a second against a target that is not ours (the real sandbox); a user takes about 15 requests (README). */
export const DEFAULT_EXTERNAL_RATE = 10;

/** Requests a second for a target: --rate when given (0 = no limit), else the default for its kind; undefined = no limit. */
export function requestRate(rate: number | undefined, targetKind: 'embedded' | 'external'): number | undefined {
  const chosen = rate ?? (targetKind === 'external' ? DEFAULT_EXTERNAL_RATE : 0);
  return chosen > 0 ? chosen : undefined;
}

/** Which users, as given on the command line; resolved against the configured users by `resolveSelection`. */
export interface SelectionOptions {
  /** --users, parsed; undefined = the configured users (BB2_USERS), or all users for a sample. */
  readonly users: { readonly text: string; readonly names: readonly string[] } | undefined;
  readonly sample: { readonly size: number; readonly seed: string } | undefined;
  readonly shard: Shard | undefined;
}

export interface ResolvedSelection {
  /** The users of this sweep (this shard's only when sharded), in order. */
  readonly users: readonly string[];
  /** How they were chosen, for the report and for checking a resume. */
  readonly description: string;
  readonly shard: string | undefined;
}

/** The users to sweep: --users (or the configured users), sampled with --sample/--seed, then this --shard's. */
export function resolveSelection(selection: SelectionOptions, configuredUsers: readonly string[]): ResolvedSelection {
  let users: readonly string[];
  let description: string;
  if (selection.users !== undefined) {
    users = selection.users.names;
    description = `--users ${selection.users.text}`;
  } else if (selection.sample !== undefined) {
    users = population();
    description = 'all users';
  } else {
    users = configuredUsers;
    description = 'BB2_USERS';
  }
  if (selection.sample !== undefined) {
    try {
      users = sampleUsers(users, selection.sample.size, selection.sample.seed);
    } catch (error) {
      if (error instanceof UserSelectionError) throw new UsageError(error.message);
      throw error;
    }
    description = `--sample ${selection.sample.size} --seed ${selection.sample.seed} of ${description}`;
  }
  const shard = selection.shard;
  return shard === undefined
    ? { users, description, shard: undefined }
    : { users: usersOfShard(users, shard), description, shard: `${shard.index}/${shard.total}` };
}

export interface SweepCommand {
  readonly kind: 'sweep';
  /** undefined: no selection flag (the configured users, or a resumed sweep's own). */
  readonly selection: SelectionOptions | undefined;
  readonly apiVersion: ApiVersion | undefined;
  readonly concurrency: number;
  /** undefined: the default for the target. 0 = no limit. */
  readonly rate: number | undefined;
  readonly pageSize: number;
  readonly outDir: string;
  readonly mode: 'new' | 'resume' | 'fresh';
  readonly progress: 'bar' | 'lines' | 'auto';
}

export interface MergeCommand {
  readonly kind: 'merge';
  readonly shardsDir: string;
  readonly outDir: string;
  /** Replace a sweep already in outDir. */
  readonly fresh: boolean;
}

export type Command = SweepCommand | MergeCommand | 'help';

function inRange(name: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value !== undefined && (value < min || value > max)) throw new UsageError(`--${name} must be ${min} to ${max}, got ${value}`);
  return value;
}

function selectionFrom(values: { users?: string; sample?: string; seed?: string; shard?: string }): SelectionOptions | undefined {
  if (values.seed !== undefined && values.sample === undefined) throw new UsageError('--seed chooses a sample: give --sample N with it');
  if (values.users === undefined && values.sample === undefined && values.shard === undefined) return undefined;
  try {
    const size = wholeNumberFlag('sample', values.sample);
    if (size !== undefined && size < 1) throw new UsageError('--sample must be at least 1');
    return {
      users: values.users === undefined ? undefined : { text: values.users, names: parseUsersOption(values.users) },
      sample: size === undefined ? undefined : { size, seed: values.seed ?? '1' },
      shard: values.shard === undefined ? undefined : parseShard(values.shard),
    };
  } catch (error) {
    if (error instanceof UserSelectionError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * @param env for the default results folder: BB2_REPORTS_DIR
 */
export function parseSweepArguments(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Command {
  const values = parseFlags(argv, {
    users: { type: 'string' },
    sample: { type: 'string' },
    seed: { type: 'string' },
    shard: { type: 'string' },
    'api-version': { type: 'string' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    'page-size': { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    progress: { type: 'string' },
    merge: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  const reports = path.resolve(env.BB2_REPORTS_DIR ?? path.join(REPO_ROOT, 'reports'));
  const outDir = path.resolve(values.out ?? path.join(reports, 'sweep'));
  if (values.merge !== undefined) {
    const others = ['users', 'sample', 'seed', 'shard', 'api-version', 'concurrency', 'rate', 'page-size', 'resume', 'progress'].filter((name) => (values as Record<string, unknown>)[name] !== undefined && (values as Record<string, unknown>)[name] !== false);
    if (others.length > 0) throw new UsageError(`--merge only combines finished shards: --${others.join(', --')} cannot go with it`);
    return { kind: 'merge', shardsDir: path.resolve(values.merge), outDir, fresh: values.fresh };
  }
  if (values.resume && values.fresh) throw new UsageError('--resume and --fresh contradict each other: choose one');
  const apiVersion = choiceFlag('api-version', values['api-version'], API_VERSIONS);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (values.rate !== undefined && (!/^\d+(\.\d+)?$/.test(values.rate) || !Number.isFinite(rate))) {
    throw new UsageError(`--rate must be a number of requests a second (0 = no limit), got "${values.rate}"`);
  }
  const progress = choiceFlag('progress', values.progress, ['bar', 'lines', 'auto'] as const) ?? 'auto';
  const selection = selectionFrom(values);
  return {
    kind: 'sweep',
    selection,
    apiVersion,
    concurrency: inRange('concurrency', wholeNumberFlag('concurrency', values.concurrency), 1, MAX_CONCURRENCY) ?? DEFAULT_CONCURRENCY,
    rate,
    pageSize: inRange('page-size', wholeNumberFlag('page-size', values['page-size']), 1, MAX_PAGE_SIZE) ?? MAX_PAGE_SIZE,
    outDir,
    mode: values.resume ? 'resume' : values.fresh ? 'fresh' : 'new',
    progress,
  };
}
