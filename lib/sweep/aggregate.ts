/**
 * The sweep's results over all users: per violated rule, how many users and resources and examples
 * (user, resource, JSON path, value); per status, which users; totals and throughput. Built from the
 * users.jsonl lines alone, so a resumed sweep and a merge of shards aggregate the same way.
 */
import { findingKey, USER_STATUSES, type RuleAtElement, type UserResult, type UserStatus, type ViolationExample } from './user-result.js';
import type { ApiVersion } from './validate.js';

/** Examples kept per rule in the summary, and users listed per rule. */
export const EXAMPLES_PER_RULE = 10;
export const USERS_LISTED_PER_RULE = 50;

export interface RuleSummary extends RuleAtElement {
  readonly users: number;
  readonly resources: number;
  readonly violations: number;
  /** The first users (in population order) who break the rule; `users` says how many in all. */
  readonly someUsers: readonly string[];
  readonly examples: ReadonlyArray<ViolationExample & { readonly user: string }>;
}

export interface SweepRunInfo {
  readonly apiVersion: ApiVersion;
  readonly target: { readonly kind: 'embedded' | 'external'; readonly baseUrl: string | undefined };
  /** The embedded sandbox's fault mode, for a self-test run. */
  readonly fault: string | undefined;
  /** How the users were chosen, as given ("--users 500", "--sample 300 --seed 42 of BBUser00000-BBUser29999"). */
  readonly selection: string;
  readonly shard: string | undefined;
  /** Users selected (in this shard). */
  readonly selected: number;
  /** Time spent sweeping, summed over the sessions (a resumed sweep has several); for merged shards, the longest shard's. */
  readonly activeMs: number;
  /** Requests sent to the target, API and browser (summed over sessions and shards). */
  readonly requests: number;
  readonly concurrency: number;
}

export interface SweepSummary {
  readonly run: SweepRunInfo;
  /** Every selected user has a result. */
  readonly complete: boolean;
  readonly totals: {
    readonly selected: number;
    readonly done: number;
    readonly notDone: number;
    readonly byStatus: Readonly<Record<UserStatus, number>>;
    readonly resources: Readonly<Record<string, number>>;
    readonly pages: number;
  };
  readonly throughput: {
    readonly activeMinutes: number;
    readonly usersPerMinute: number;
    readonly resourcesPerSecond: number;
    /** Requests to the target per user swept: what a request-rate limit means in users per minute. */
    readonly requestsPerUser: number;
    /** Mean time per user in each phase (authorize, fetch, validate, revoke), over the users that reached it. */
    readonly meanPhaseMs: Readonly<Record<string, number>>;
  };
  readonly rules: readonly RuleSummary[];
  /** Every selected user by status (not done: not swept yet). */
  readonly users: {
    readonly ok: readonly string[];
    readonly violations: readonly string[];
    readonly loginFailed: ReadonlyArray<{ readonly user: string; readonly error: string }>;
    readonly targetUnavailable: ReadonlyArray<{ readonly user: string; readonly error: string }>;
    readonly notDone: readonly string[];
  };
  /** Users whose tokens could not be revoked (a note, not a data finding). */
  readonly notes: ReadonlyArray<{ readonly user: string; readonly note: string }>;
}

const byUserNumber = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function aggregate(run: SweepRunInfo, selectedUsers: readonly string[], results: ReadonlyMap<string, UserResult>): SweepSummary {
  const byStatus = Object.fromEntries(USER_STATUSES.map((status) => [status, 0])) as Record<UserStatus, number>;
  const resources: Record<string, number> = {};
  let pages = 0;
  const phaseTotals = new Map<string, { sum: number; users: number }>();
  const rules = new Map<string, { summary: Omit<RuleSummary, 'someUsers' | 'examples'>; users: string[]; examples: Array<ViolationExample & { user: string }> }>();
  const okUsers: string[] = [];
  const violationUsers: string[] = [];
  const loginFailed: Array<{ user: string; error: string }> = [];
  const targetUnavailable: Array<{ user: string; error: string }> = [];
  const notes: Array<{ user: string; note: string }> = [];

  const ordered = [...results.values()].sort((a, b) => byUserNumber(a.user, b.user));
  for (const result of ordered) {
    byStatus[result.status] += 1;
    pages += result.pages;
    for (const [phase, ms] of Object.entries(result.phasesMs ?? {})) {
      const total = phaseTotals.get(phase) ?? { sum: 0, users: 0 };
      phaseTotals.set(phase, { sum: total.sum + ms, users: total.users + 1 });
    }
    for (const [type, count] of Object.entries(result.resources)) resources[type] = (resources[type] ?? 0) + count;
    if (result.status === 'ok') okUsers.push(result.user);
    if (result.status === 'violations') violationUsers.push(result.user);
    if (result.status === 'login-failed') loginFailed.push({ user: result.user, error: result.error ?? '' });
    if (result.status === 'target-unavailable') targetUnavailable.push({ user: result.user, error: result.error ?? '' });
    if ((result.status === 'ok' || result.status === 'violations') && result.error !== undefined) notes.push({ user: result.user, note: result.error });
    if (result.earlierAttempt !== undefined && (result.status === 'ok' || result.status === 'violations')) {
      notes.push({ user: result.user, note: `swept on a second attempt; the first: ${result.earlierAttempt}` });
    }
    for (const finding of result.rules) {
      const key = findingKey(finding);
      let entry = rules.get(key);
      if (entry === undefined) {
        entry = {
          summary: { rule: finding.rule, element: finding.element, requirement: finding.requirement, severity: finding.severity, users: 0, resources: 0, violations: 0 },
          users: [],
          examples: [],
        };
        rules.set(key, entry);
      }
      entry.summary = {
        ...entry.summary,
        users: entry.summary.users + 1,
        resources: entry.summary.resources + finding.resources,
        violations: entry.summary.violations + finding.violations,
      };
      if (entry.users.length < USERS_LISTED_PER_RULE) entry.users.push(result.user);
      // One example per user first, so the examples show several users rather than one user's many.
      const example = finding.examples[0];
      if (example !== undefined && entry.examples.length < EXAMPLES_PER_RULE) entry.examples.push({ user: result.user, ...example });
    }
  }

  const notDone = selectedUsers.filter((user) => !results.has(user));
  const activeMinutes = run.activeMs / 60_000;
  const resourceCount = Object.values(resources).reduce((sum, count) => sum + count, 0);
  return {
    run,
    complete: notDone.length === 0,
    totals: { selected: selectedUsers.length, done: results.size, notDone: notDone.length, byStatus, resources, pages },
    throughput: {
      activeMinutes: round(activeMinutes, 2),
      usersPerMinute: activeMinutes > 0 ? round(results.size / activeMinutes, 1) : 0,
      resourcesPerSecond: run.activeMs > 0 ? round(resourceCount / (run.activeMs / 1000), 1) : 0,
      requestsPerUser: results.size > 0 ? round(run.requests / results.size, 1) : 0,
      meanPhaseMs: Object.fromEntries([...phaseTotals].map(([phase, { sum, users }]) => [phase, Math.round(sum / users)])),
    },
    rules: [...rules.values()]
      .map(({ summary, users, examples }) => ({ ...summary, someUsers: users, examples }))
      // Failures before notes (warnings, known deviations): the reader looks for what broke first.
      .sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning') || b.users - a.users || b.violations - a.violations || byUserNumber(findingKey(a), findingKey(b))),
    users: { ok: okUsers, violations: violationUsers, loginFailed, targetUnavailable, notDone },
    notes,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
