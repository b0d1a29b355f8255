/**
 * The sweep's results folder (default reports/sweep/), which is also its checkpoint:
 *
 *   run.json      what is swept (API version, target, selection, shard, the users) and each session's time
 *   users.jsonl   one line per finished user, appended as each finishes: a stopped sweep loses at most the
 *                 users in flight, and `--resume` skips every user that has a line
 *   summary.json, summary.md   the aggregation, rewritten at the end of every session
 *   .lock         the pid of the sweep writing here, so two sweeps never share a folder (nor a user's consent)
 *
 * Nothing a user wrote is overwritten without asking: a folder with a sweep in it needs --resume or --fresh.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { USER_STATUSES, type UserResult } from './user-result.js';

export const RUN_FILE = 'run.json';
export const USERS_FILE = 'users.jsonl';
export const SUMMARY_JSON = 'summary.json';
export const SUMMARY_MD = 'summary.md';
export const LOCK_FILE = '.lock';
/** Every file the sweep writes; --fresh removes these and nothing else. */
export const SWEEP_FILES = [RUN_FILE, USERS_FILE, SUMMARY_JSON, SUMMARY_MD] as const;
const FORMAT = 'bb2-sweep/1';

export class ResultsDirError extends Error {
  override name = 'ResultsDirError';
}

const sessionSchema = z.object({
  startedAt: z.string(),
  endedAt: z.string().optional(),
  activeMs: z.number().nonnegative(),
  /** Requests sent to the target (API and browser). */
  requests: z.number().int().nonnegative().optional(),
});

const runSchema = z.object({
  format: z.literal(FORMAT),
  apiVersion: z.enum(['v1', 'v2']),
  target: z.object({ kind: z.enum(['embedded', 'external']), baseUrl: z.string().optional() }),
  fault: z.string().optional(),
  selection: z.string(),
  shard: z.string().optional(),
  users: z.array(z.string()),
  concurrency: z.number().int().positive(),
  sessions: z.array(sessionSchema),
});

export type RunRecord = z.infer<typeof runSchema>;
export type SessionRecord = z.infer<typeof sessionSchema>;

const userResultSchema = z.object({
  user: z.string().regex(/^BBUser\d{5}$/),
  status: z.enum(USER_STATUSES),
  apiVersion: z.enum(['v1', 'v2']),
  rules: z.array(z.object({ rule: z.string(), element: z.string(), violations: z.number(), resources: z.number() }).passthrough()),
  resources: z.record(z.string(), z.number()),
  pages: z.number(),
}).passthrough();

export function readRun(dir: string): RunRecord {
  const file = path.join(dir, RUN_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ResultsDirError(`${file} cannot be read as JSON (${(error as Error).message.split('\n')[0]}): it is not a sweep's run file`);
  }
  const parsed = runSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ResultsDirError(`${file} is not a sweep's run file (${issue?.path.join('.') || '(root)'}: ${issue?.message})`);
  }
  return parsed.data;
}

export function writeRun(dir: string, run: RunRecord): void {
  writeFileSync(path.join(dir, RUN_FILE), `${JSON.stringify(run, null, 2)}\n`);
}

/**
 * The finished users of a folder, the last line of a user winning. A line cut short by a kill (the
 * last one) is dropped: that user is swept again. Any other bad line is an error, not a silent skip.
 */
export function readUserResults(dir: string): Map<string, UserResult> {
  const file = path.join(dir, USERS_FILE);
  const results = new Map<string, UserResult>();
  if (!existsSync(file)) return results;
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const isLast = lines.slice(index + 1).every((rest) => rest.trim() === '');
    let parsed: ReturnType<typeof userResultSchema.safeParse>;
    try {
      parsed = userResultSchema.safeParse(JSON.parse(line));
    } catch {
      if (isLast) return;
      throw new ResultsDirError(`${file} line ${index + 1} is not JSON; the file was changed by hand or is damaged`);
    }
    if (!parsed.success) throw new ResultsDirError(`${file} line ${index + 1} is not a user result (${parsed.error.issues[0]?.message})`);
    const result = parsed.data as unknown as UserResult;
    results.set(result.user, result);
  });
  return results;
}

export function appendUserResult(dir: string, result: UserResult): void {
  // One write per line: a kill leaves at most the last line incomplete, which readUserResults drops.
  appendFileSync(path.join(dir, USERS_FILE), `${JSON.stringify(result)}\n`);
}

/** Drops a partial last line (a user cut off by a kill) so that appended lines start on a line of their own. */
export function repairUsersFile(dir: string): void {
  const file = path.join(dir, USERS_FILE);
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  if (text === '' || text.endsWith('\n')) return;
  writeFileSync(file, text.slice(0, text.lastIndexOf('\n') + 1));
}

export type OpenMode = 'new' | 'resume' | 'fresh';

/**
 * Prepares `dir` for a sweep. new: the folder must hold no sweep (else the message says to choose
 * --resume or --fresh); fresh: the sweep's own files are removed (others are left); resume: there must
 * be a sweep to resume. Returns the existing run for resume.
 */
export function prepareResultsDir(dir: string, mode: OpenMode): RunRecord | undefined {
  const hasRun = existsSync(path.join(dir, RUN_FILE));
  if (mode === 'resume') {
    if (!hasRun) throw new ResultsDirError(`--resume: ${dir} holds no sweep to resume (no ${RUN_FILE}); start one without --resume`);
    return readRun(dir);
  }
  const ours = SWEEP_FILES.filter((name) => existsSync(path.join(dir, name)));
  if (ours.length > 0) {
    if (mode === 'new') {
      throw new ResultsDirError(
        `${dir} already holds a sweep (${ours.join(', ')}). Continue it with --resume, start over with --fresh (its results are deleted), or choose another folder with --out`,
      );
    }
    for (const name of ours) rmSync(path.join(dir, name), { force: true });
  }
  mkdirSync(dir, { recursive: true });
  return undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder for this process; a folder held by a live sweep is an error. Returns the release function. */
export function lockResultsDir(dir: string): () => void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new ResultsDirError(`cannot create the results folder ${dir}: ${(error as Error).message}`);
  }
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new ResultsDirError(`another sweep (process ${holder}) is writing to ${dir}; wait for it, stop it, or choose another --out`);
      }
      // Left by a sweep that was killed: take it over.
      rmSync(file, { force: true });
    }
  }
  throw new ResultsDirError(`cannot lock ${dir} (${file})`);
}
