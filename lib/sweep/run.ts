/**
 * A sweep session: prepare (or resume) the results folder, start the target if it is the embedded
 * sandbox, launch one Chromium, and let `concurrency` browser contexts take users from one queue until
 * every user is done or the sweep is stopped. Each finished user is appended to the checkpoint at once;
 * the summary is written at the end of the session, complete or not.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { targetFromConfig } from '../../fixtures/target.js';
import { UsageError } from '../embedded-sandbox.js';
import { chromiumLaunchOptions } from '../browser.js';
import { primaryApiVersion, type ApiVersion } from '../api-version.js';
import { loadSuiteConfig, v2DeviationsFor } from '../config.js';
import { Redactor } from '../reporting/redactor.js';
import { TARGET_UNAVAILABLE_PREFIX, TargetUnavailableError } from '../reporting/target-errors.js';
import { aggregate, type SweepSummary } from './aggregate.js';
import { startChildSandbox, type ChildSandbox } from './embedded-sandbox.js';
import { requestRate, resolveSelection, type SweepCommand } from './options.js';
import { forEachConcurrently } from './pool.js';
import { Progress } from './progress.js';
import { RateLimiter } from './rate-limiter.js';
import {
  appendUserResult,
  lockResultsDir,
  prepareResultsDir,
  readUserResults,
  repairUsersFile,
  SUMMARY_JSON,
  SUMMARY_MD,
  writeRun,
  type RunRecord,
} from './results-dir.js';
import { renderSummaryMarkdown } from './report-page.js';
import { sweepRequestContext, sweepUserWithRetry } from './sweep-user.js';
import type { UserResult } from './user-result.js';

export interface SweepIo {
  /** Messages for the person running the sweep (stderr). */
  readonly note: (message: string) => void;
  /** The progress display's stream. */
  readonly progressWrite: (text: string) => void;
  readonly isTty: boolean;
  /** The terminal's width, when it is one. */
  readonly columns?: number;
  readonly isCi: boolean;
  /** Resolves when the person asks the sweep to stop (Ctrl-C, SIGTERM). */
  readonly stopRequested: Promise<void>;
}

export interface SweepOutcome {
  readonly summary: SweepSummary;
  /** Stopped by the person (Ctrl-C, SIGTERM). */
  readonly interrupted: boolean;
  /** Stopped because the target stopped answering. */
  readonly targetStopped: boolean;
  /** Users the sweep itself failed on (a bug here, not a finding): not recorded, swept again on --resume. */
  readonly suiteErrors: number;
}

/** After this many users in a row whose target did not answer, the sweep stops (and says how to resume). */
export const UNAVAILABLE_STOP = 10;

/** GET the CapabilityStatement (no token needed): a target that does not answer it is not swept. */
async function checkTargetAnswers(request: APIRequestContext, metadataUrl: string): Promise<void> {
  let status: number;
  try {
    status = (await request.get(metadataUrl, { headers: { Accept: 'application/json' }, maxRedirects: 0, failOnStatusCode: false })).status();
  } catch (error) {
    // The request context already words a missing answer, or a 429/502/503/504 after the retries.
    const detail = error instanceof TargetUnavailableError ? error.message.slice(TARGET_UNAVAILABLE_PREFIX.length).trim() : error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new TargetUnavailableError(`${detail}; nothing was swept`);
  }
  if (status !== 200) throw new TargetUnavailableError(`${metadataUrl} answered ${status}; nothing was swept`);
}

/** A user whose last result was "target unavailable" is swept again on resume: that was the target's state, not the user's data. */
export function usersToSweep(users: readonly string[], finished: ReadonlyMap<string, UserResult>): string[] {
  return users.filter((user) => {
    const result = finished.get(user);
    return result === undefined || result.status === 'target-unavailable';
  });
}

/**
 * What a resume must keep: the same users, API version and target as the sweep it continues.
 * `configuredVersion`: BB2_API_VERSION when it names one version.
 */
function checkResume(run: RunRecord, command: SweepCommand, selection: ReturnType<typeof resolveSelection> | undefined, configuredVersion: ApiVersion | undefined, target: RunRecord['target']): void {
  const differences: string[] = [];
  if (selection !== undefined && (selection.description !== run.selection || selection.shard !== run.shard || selection.users.join(',') !== run.users.join(','))) {
    differences.push(`users (${selection.description}${selection.shard ? `, shard ${selection.shard}` : ''} vs ${run.selection}${run.shard ? `, shard ${run.shard}` : ''})`);
  }
  if (command.apiVersion !== undefined && command.apiVersion !== run.apiVersion) differences.push(`API version (${command.apiVersion} vs ${run.apiVersion})`);
  if (command.apiVersion === undefined && configuredVersion !== undefined && configuredVersion !== run.apiVersion) {
    differences.push(`API version (BB2_API_VERSION=${configuredVersion} vs ${run.apiVersion})`);
  }
  if (target.kind !== run.target.kind || (target.kind === 'external' && target.baseUrl !== run.target.baseUrl)) {
    differences.push(`target (${target.baseUrl ?? target.kind} vs ${run.target.baseUrl ?? run.target.kind})`);
  }
  if (differences.length > 0) {
    throw new UsageError(`--resume continues the sweep in ${command.outDir} as it was started; these differ: ${differences.join('; ')}. Drop them, or start a new sweep with --fresh or another --out`);
  }
}

export function summarise(run: RunRecord, results: ReadonlyMap<string, UserResult>): SweepSummary {
  // Only the run's own users count (a line for another user in users.jsonl is not this sweep's).
  const selected = new Set(run.users);
  const own = new Map([...results].filter(([user]) => selected.has(user)));
  return aggregate(
    {
      apiVersion: run.apiVersion,
      target: { kind: run.target.kind, baseUrl: run.target.baseUrl },
      fault: run.fault,
      selection: run.selection,
      shard: run.shard,
      selected: run.users.length,
      activeMs: run.sessions.reduce((sum, session) => sum + session.activeMs, 0),
      requests: run.sessions.reduce((sum, session) => sum + (session.requests ?? 0), 0),
      concurrency: run.concurrency,
    },
    run.users,
    own,
  );
}

export function writeSummary(dir: string, summary: SweepSummary): void {
  writeFileSync(path.join(dir, SUMMARY_JSON), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(dir, SUMMARY_MD), renderSummaryMarkdown(summary));
}

export async function runSweep(command: SweepCommand, io: SweepIo): Promise<SweepOutcome> {
  const config = loadSuiteConfig();
  // One version per sweep: the flag, else BB2_API_VERSION when it names one, else v2 (a resume keeps its own).
  const configuredVersion = config.apiVersions.length === 1 ? config.apiVersions[0] : undefined;
  const apiVersion: ApiVersion = command.apiVersion ?? primaryApiVersion(config.apiVersions);
  const selection = command.selection === undefined ? undefined : resolveSelection(command.selection, config.users);
  const targetInfo: RunRecord['target'] = config.target.kind === 'external' ? { kind: 'external', baseUrl: config.target.baseUrl } : { kind: 'embedded' };
  const fault = config.target.kind === 'embedded' ? process.env.BB2_SELFTEST_FAULT || undefined : undefined;

  const release = lockResultsDir(command.outDir);
  let sandbox: ChildSandbox | undefined;
  try {
    const existing = prepareResultsDir(command.outDir, command.mode);
    let run: RunRecord;
    if (existing !== undefined) {
      checkResume(existing, command, selection, configuredVersion, targetInfo);
      if (existing.fault !== fault) {
        throw new UsageError(`--resume: the sweep in ${command.outDir} ran against ${existing.fault ? `fault mode ${existing.fault}` : 'the sandbox without a fault'}; BB2_SELFTEST_FAULT says ${fault ?? 'none'}`);
      }
      run = { ...existing, concurrency: command.concurrency };
      repairUsersFile(command.outDir);
    } else {
      const chosen = selection ?? resolveSelection({ users: undefined, sample: undefined, shard: undefined }, config.users);
      run = {
        format: 'bb2-sweep/1',
        apiVersion,
        target: targetInfo,
        ...(fault === undefined ? {} : { fault }),
        selection: chosen.description,
        ...(chosen.shard === undefined ? {} : { shard: chosen.shard }),
        users: [...chosen.users],
        concurrency: command.concurrency,
        sessions: [],
      };
    }
    const finished = readUserResults(command.outDir);
    const pending = usersToSweep(run.users, finished);
    io.note(
      `Sweeping ${pending.length} of ${run.users.length} users (${run.selection}${run.shard ? `, shard ${run.shard}` : ''}), API ${run.apiVersion}, ` +
        `${command.concurrency} browser context(s)${finished.size > 0 ? `; ${run.users.length - pending.length} done in an earlier session` : ''}. Results: ${command.outDir}`,
    );

    if (config.target.kind === 'embedded') {
      sandbox = await startChildSandbox((line) => io.note(`sandbox: ${line}`));
      io.note(`Started the embedded sandbox at ${sandbox.url}${sandbox.fault ? ` with fault mode ${sandbox.fault}` : ''}`);
    }
    const target = targetFromConfig(config, run.apiVersion, sandbox?.url);
    const limiter = new RateLimiter(requestRate(command.rate, target.kind));
    const clientSecrets = new Redactor();
    clientSecrets.addClient(target.client.clientId, target.client.clientSecret.reveal());

    const api = await playwrightRequest.newContext({ timeout: target.timeouts.requestMs });
    const request = sweepRequestContext(api, target, limiter, config.retries);
    try {
      // The target answers at all, or nothing is swept (each user would only say "target unavailable").
      await checkTargetAnswers(request, target.endpoints.metadata);
    } catch (error) {
      await api.dispose();
      throw error;
    }
    const session = { startedAt: new Date().toISOString(), activeMs: 0 };
    run = { ...run, sessions: [...run.sessions, session] };
    writeRun(command.outDir, run);
    // The sweep handles Ctrl-C itself (the users in flight finish); Playwright's own handlers would close the browser under them.
    const browser = await chromium.launch({ ...chromiumLaunchOptions(), handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
    const deps = { browser, request, target, apiVersion: run.apiVersion, v2KnownDeviations: v2DeviationsFor(config), limiter, pageSize: command.pageSize };

    const progress = new Progress({
      total: pending.length,
      alreadyDone: run.users.length - pending.length,
      mode: command.progress === 'auto' ? (io.isTty && !io.isCi ? 'bar' : 'lines') : command.progress,
      write: io.progressWrite,
      columns: io.columns,
    });
    let stopping = false;
    let interrupted = false;
    let targetStopped = false;
    void io.stopRequested.then(() => {
      if (!stopping) progress.note('Stopping: the users in flight finish (Ctrl-C again to quit at once; they are then swept again on --resume).');
      stopping = true;
      interrupted = true;
    });

    const started = performance.now();
    let suiteErrors = 0;
    let unavailableInARow = 0;
    progress.start();
    const sweepOne = async (user: string) => {
      let result: UserResult;
      try {
        result = await sweepUserWithRetry(user, deps);
      } catch (error) {
        // A bug in the sweep, not a finding about the target: said loudly, the user stays not done.
        suiteErrors += 1;
        progress.note(`${user}: the sweep itself failed (${clientSecrets.redact(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error))}); this user is not recorded and is swept again on --resume`);
        if (suiteErrors >= 10) stopping = true;
        return;
      }
      appendUserResult(command.outDir, result);
      finished.set(user, result);
      progress.userDone(result.status);
      unavailableInARow = result.status === 'target-unavailable' ? unavailableInARow + 1 : 0;
      if (unavailableInARow === UNAVAILABLE_STOP && !stopping) {
        stopping = true;
        targetStopped = true;
        progress.note(`The target did not answer for ${UNAVAILABLE_STOP} users in a row: stopping. Those users are swept again on --resume.`);
      }
    };
    try {
      await forEachConcurrently(pending, command.concurrency, sweepOne, () => stopping);
    } finally {
      progress.stop();
      session.activeMs = Math.round(performance.now() - started);
      run = { ...run, sessions: [...run.sessions.slice(0, -1), { ...session, endedAt: new Date().toISOString(), requests: limiter.sent }] };
      writeRun(command.outDir, run);
      await api.dispose().catch(() => undefined);
      await browser.close().catch(() => undefined);
    }
    const summary = summarise(run, finished);
    writeSummary(command.outDir, summary);
    return { summary, interrupted, targetStopped, suiteErrors };
  } finally {
    await sandbox?.close();
    release();
  }
}
