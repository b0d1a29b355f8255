/**
 * `npm run sweep` end to end, against the embedded sandbox started with the fault mode that breaks the
 * carrier claims of users whose number ends in 7: the sweep is stopped with Ctrl-C part way, resumed,
 * and must then name exactly the users the fault affects (those ending in 7 who have carrier claims;
 * BBUser10437 has none), with no user swept twice and no secret in anything it wrote or printed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LOCAL_CLIENT, loadSandboxData } from '../embedded-sandbox.js';
import { REPO_ROOT } from '../config.js';
import type { SweepSummary } from './aggregate.js';
import { parseUsersOption } from './users.js';

const { claimCountsForUser, syntheticUser } = await loadSandboxData();

const FAULT = 'eob-carrier-status-raw-code-users-ending-7';
const USERS = 'BBUser10420-BBUser10459';
const SCRIPT = [process.execPath, '--import', 'tsx', 'scripts/sweep.ts'] as const;

/** The environment of a sweep against the embedded sandbox, whatever the developer's .env says. */
function sweepEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, BB2_BASE_URL: '', BB2_CLIENT_ID: '', BB2_CLIENT_SECRET: '', BB2_REDIRECT_URI: '', BB2_API_VERSION: 'v1', ...extra };
  delete env.CI;
  delete env.BB2_SELFTEST_FAULT;
  return { ...env, ...extra };
}

interface Finished {
  readonly code: number | null;
  readonly output: string;
}

/** Runs the sweep; with `stopAfterLines`, sends SIGINT once users.jsonl has that many lines. */
function runSweep(args: string[], env: NodeJS.ProcessEnv, stop?: { dir: string; afterLines: number }): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(SCRIPT[0], [...SCRIPT.slice(1), ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    let timer: NodeJS.Timeout | undefined;
    if (stop) {
      timer = setInterval(() => {
        const file = path.join(stop.dir, 'users.jsonl');
        const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
        if (lines >= stop.afterLines) {
          clearInterval(timer);
          child.kill('SIGINT');
        }
      }, 100);
    }
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, output });
    });
  });
}

function userLines(dir: string): string[] {
  return readFileSync(path.join(dir, 'users.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { user: string }).user);
}

/** Every file under `dir`, as text. */
function filesUnder(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : [{ file, text: readFileSync(file, 'utf8') }];
  });
}

describe('npm run sweep (end to end, embedded sandbox with a fault)', { timeout: 600_000 }, () => {
  it('is stopped with Ctrl-C, resumed without redoing anyone, and finds exactly the users the fault breaks', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'bb2-sweep-e2e-')), 'sweep');
    const env = sweepEnv({ BB2_SELFTEST_FAULT: FAULT });
    const args = ['--users', USERS, '--out', out, '--concurrency', '4', '--progress', 'lines'];

    const first = await runSweep(args, env, { dir: out, afterLines: 10 });
    assert.equal(first.code, 130, first.output);
    assert.match(first.output, new RegExp(`Resume with: npm run sweep -- --resume --out ${out.replace(/[/.]/g, '\\$&')}`));
    const firstUsers = userLines(out);
    assert.ok(firstUsers.length >= 10 && firstUsers.length < 40, `${firstUsers.length} users before the stop`);

    const again = await runSweep(args, env);
    assert.equal(again.code, 2, again.output);
    assert.match(again.output, /already holds a sweep.*--resume.*--fresh/);

    const resumed = await runSweep(['--resume', '--out', out, '--progress', 'lines'], env);
    assert.equal(resumed.code, 1, resumed.output);
    assert.match(resumed.output, new RegExp(`Sweeping ${40 - firstUsers.length} of 40 users`));

    const swept = userLines(out);
    assert.equal(swept.length, 40, 'every user has exactly one line: nobody was swept twice');
    assert.equal(new Set(swept).size, 40);
    assert.deepEqual(swept.slice(0, firstUsers.length), firstUsers);

    const expected = parseUsersOption(USERS).filter((user) => {
      const number = Number(user.slice(6));
      return number % 10 === 7 && claimCountsForUser(syntheticUser(number)).carrier > 0;
    });
    assert.ok(expected.includes('BBUser10427') && !expected.includes('BBUser10437'), `expected ${expected.join(', ')}`);

    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as SweepSummary;
    assert.equal(summary.complete, true);
    assert.equal(summary.run.fault, FAULT);
    assert.deepEqual(summary.users.violations, expected);
    assert.deepEqual(summary.totals.byStatus, { ok: 40 - expected.length, violations: expected.length, 'login-failed': 0, 'target-unavailable': 0 });
    // Errors only: the verdict's notes (known BB2 deviations, warnings) are aggregated too, as warnings.
    const errors = summary.rules.filter((candidate) => candidate.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors, null, 2));
    const [rule] = errors;
    assert.equal(rule?.element, 'ExplanationOfBenefit.status');
    assert.equal(rule?.requirement, 'FHIR-STU3-BINDING-ExplanationOfBenefit.status');
    assert.deepEqual(rule?.someUsers, expected);
    for (const example of rule?.examples ?? []) {
      assert.match(example.id ?? '', /^carrier-/);
      assert.match(example.path, /^entry\[\d+\]\.resource\.status$/);
      assert.equal(example.value, 'F');
    }
    assert.equal(summary.totals.resources.Patient, 40);
    assert.match(readFileSync(path.join(out, 'summary.md'), 'utf8'), new RegExp(`### ${rule?.rule ?? '?'}: ExplanationOfBenefit\\.status`));

    // No secret anywhere: the client secret and the users' passwords (tokens, codes and verifiers are
    // never in the sweep's data at all: results hold FHIR data and messages only).
    const secrets = [LOCAL_CLIENT.secret, ...parseUsersOption(USERS).map((user) => `PW${user.slice(6)}!`)];
    const texts = [...filesUnder(out), { file: 'console output', text: first.output + again.output + resumed.output }];
    for (const { file, text } of texts) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `${file} contains a secret`);
      assert.ok(!/access_token|refresh_token|code_verifier/.test(text), `${file} mentions a token field`);
    }
  });

  it('bad arguments: exit 2, the reason and the usage, no stack trace', () => {
    const result = spawnSync(SCRIPT[0], [...SCRIPT.slice(1), '--users', 'everyone'], { cwd: REPO_ROOT, env: sweepEnv(), encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /sweep: --users "everyone" is neither a synthetic user/);
    assert.match(result.stderr, /Usage: npm run sweep/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});
