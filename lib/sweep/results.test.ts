/**
 * The sweep's results: violations grouped by rule and element per user, the aggregation over users,
 * the results folder as checkpoint (new / fresh / resume, a line cut by a kill, the lock) and the merge
 * of shards.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../embedded-sandbox.js';
import { aggregate, type SweepRunInfo } from './aggregate.js';
import { apiFinding } from './api-rules.js';
import { findShardDirs, mergeShards } from './merge.js';
import { renderSummaryMarkdown } from './report-page.js';
import { appendUserResult, lockResultsDir, prepareResultsDir, readUserResults, repairUsersFile, ResultsDirError, writeRun, type RunRecord } from './results-dir.js';
import { usersToSweep } from './run.js';
import { dataStatus, elementOf, findingsByRule, type LocatedViolation, type UserResult } from './user-result.js';
import { validateBody } from './validate.js';
import { loadR4Sample } from '../validation/profiles/r4-samples.js';

function violation(overrides: Partial<LocatedViolation>): LocatedViolation {
  return {
    rule: 'STU3 schema: code in required value set',
    requirement: 'FHIR-STU3-BINDING-ExplanationOfBenefit.status',
    severity: 'error',
    resourceType: 'ExplanationOfBenefit',
    id: 'carrier--1',
    path: 'entry[0].resource.status',
    value: 'F',
    message: '"F" is not one of active, cancelled, draft, entered-in-error',
    where: 'ExplanationOfBenefit page 1',
    ...overrides,
  };
}

function result(user: string, status: UserResult['status'], violations: LocatedViolation[] = [], extra: Partial<UserResult> = {}): UserResult {
  return {
    user,
    status,
    apiVersion: 'v1',
    resources: status === 'ok' || status === 'violations' ? { Patient: 1, Coverage: 4, ExplanationOfBenefit: 10 } : {},
    pages: status === 'ok' || status === 'violations' ? 2 : 0,
    rules: findingsByRule(violations),
    durationMs: 1000,
    finishedAt: '2026-11-30T08:00:00.000Z',
    ...extra,
  };
}

const RUN_INFO: SweepRunInfo = {
  apiVersion: 'v1',
  target: { kind: 'embedded', baseUrl: undefined },
  fault: undefined,
  selection: '--users 5',
  shard: undefined,
  selected: 5,
  activeMs: 60_000,
  requests: 60,
  concurrency: 2,
};

describe('findings by rule', () => {
  it('an element is the path inside the resource without indices', () => {
    assert.equal(elementOf('ExplanationOfBenefit', 'entry[3].resource.item[0].sequence'), 'ExplanationOfBenefit.item.sequence');
    assert.equal(elementOf('Patient', 'birthDate'), 'Patient.birthDate');
    assert.equal(elementOf('Bundle', ''), 'Bundle');
  });

  it('counts violations and distinct resources per rule and element, and keeps the first examples', () => {
    const rules = findingsByRule([
      violation({ id: 'carrier--1' }),
      violation({ id: 'carrier--1', path: 'entry[0].resource.status' }),
      violation({ id: 'carrier--2', path: 'entry[1].resource.status' }),
      violation({ id: 'carrier--3', path: 'entry[2].resource.status' }),
      violation({ id: 'carrier--4', path: 'entry[3].resource.status' }),
      violation({ rule: 'BB2 §3: Patient id format', resourceType: 'Patient', id: 'x', path: 'id', value: 'x', where: 'Patient read' }),
    ]);
    assert.equal(rules.length, 2);
    const status = rules.find((rule) => rule.element === 'ExplanationOfBenefit.status');
    assert.equal(status?.violations, 5);
    assert.equal(status?.resources, 4);
    assert.equal(status?.examples.length, 3);
    assert.equal(dataStatus(rules), 'violations');
    assert.equal(dataStatus(findingsByRule([violation({ severity: 'warning' })])), 'ok');
  });
});

describe('aggregate', () => {
  it('lists failing rules before notes, whatever the notes\' numbers', () => {
    const note = violation({ rule: 'R4 invariant dom-6', requirement: 'FHIR-R4-dom-6', severity: 'warning', path: 'entry[0].resource' });
    const results = new Map<string, UserResult>([
      ['BBUser00000', result('BBUser00000', 'ok', [note])],
      ['BBUser00001', result('BBUser00001', 'ok', [note])],
      ['BBUser00002', result('BBUser00002', 'violations', [note, violation({})])],
    ]);
    const summary = aggregate(RUN_INFO, ['BBUser00000', 'BBUser00001', 'BBUser00002'], results);
    assert.deepEqual(summary.rules.map((rule) => [rule.severity, rule.users]), [['error', 1], ['warning', 3]]);
  });

  it('per rule: users, resources, violations, examples with user, path and value; per status: users; totals', () => {
    const results = new Map<string, UserResult>([
      ['BBUser00000', result('BBUser00000', 'ok')],
      ['BBUser00001', result('BBUser00001', 'violations', [violation({}), violation({ id: 'carrier--9', path: 'entry[4].resource.status' })])],
      ['BBUser00002', result('BBUser00002', 'login-failed', [], { error: 'login: the flow stopped' })],
      ['BBUser00003', result('BBUser00003', 'violations', [violation({ id: 'carrier--7' })])],
    ]);
    const users = ['BBUser00000', 'BBUser00001', 'BBUser00002', 'BBUser00003', 'BBUser00004'];
    const summary = aggregate(RUN_INFO, users, results);
    assert.equal(summary.complete, false);
    assert.deepEqual(summary.users.notDone, ['BBUser00004']);
    assert.deepEqual(summary.users.ok, ['BBUser00000']);
    assert.deepEqual(summary.totals.byStatus, { ok: 1, violations: 2, 'login-failed': 1, 'target-unavailable': 0 });
    assert.deepEqual(summary.totals.resources, { Patient: 3, Coverage: 12, ExplanationOfBenefit: 30 });
    assert.equal(summary.throughput.usersPerMinute, 4);
    const [rule] = summary.rules;
    assert.equal(summary.rules.length, 1);
    assert.deepEqual({ users: rule?.users, resources: rule?.resources, violations: rule?.violations }, { users: 2, resources: 3, violations: 3 });
    assert.deepEqual(rule?.someUsers, ['BBUser00001', 'BBUser00003']);
    assert.deepEqual(
      rule?.examples.map((example) => [example.user, example.id, example.path, example.value]),
      [
        ['BBUser00001', 'carrier--1', 'entry[0].resource.status', 'F'],
        ['BBUser00003', 'carrier--7', 'entry[0].resource.status', 'F'],
      ],
    );
    assert.deepEqual(summary.users.loginFailed, [{ user: 'BBUser00002', error: 'login: the flow stopped' }]);
    const page = renderSummaryMarkdown(summary);
    assert.match(page, /\| STU3 schema: code in required value set \| `ExplanationOfBenefit.status` \| FHIR-STU3-BINDING-ExplanationOfBenefit.status \| error \| 2 \| 3 \| 3 \|/);
    assert.match(page, /\| BBUser00001 \| ExplanationOfBenefit\/carrier--1 \| ExplanationOfBenefit page 1 \| `entry\[0\].resource.status` \| `F` \|/);
    assert.match(page, /## Login or consent failed \(1\)/);
    const paging = aggregate(RUN_INFO, ['BBUser00000'], new Map([['BBUser00000', result('BBUser00000', 'violations', [{ ...apiFinding('paging', 'Bundle', 'page 2: "next" link missing'), where: 'ExplanationOfBenefit search' }])]]));
    assert.match(renderSummaryMarkdown(paging), /\| BB2 API: search paging .* \| `Bundle` \| https:\/\/hl7.org\/fhir\/STU3\/http.html#paging \| error \| 1 \| 1 \| 1 \|/);
    assert.match(page, /1 not yet \(resume the sweep to finish\)|not yet/);
  });

  it('users whose target was unavailable are swept again on resume; the others are not', () => {
    const finished = new Map<string, UserResult>([
      ['BBUser00000', result('BBUser00000', 'ok')],
      ['BBUser00001', result('BBUser00001', 'target-unavailable', [], { error: 'x' })],
      ['BBUser00002', result('BBUser00002', 'login-failed', [], { error: 'y' })],
    ]);
    assert.deepEqual(usersToSweep(['BBUser00000', 'BBUser00001', 'BBUser00002', 'BBUser00003'], finished), ['BBUser00001', 'BBUser00003']);
  });
});

describe('the validator adapter', () => {
  it('returns the suite validators\' violations for a bad body, none for a good one', () => {
    const patient = { resourceType: 'Patient', id: '-19990000000001', birthDate: '12/14/1955' };
    const found = validateBody(patient, 'Patient', { apiVersion: 'v1', patientId: '-19990000000001' });
    assert.ok(found.some((one) => one.path === 'birthDate' && one.severity === 'error'), JSON.stringify(found));
  });

  it('validates v2 bodies as the suite does: R4, the C4BB profiles and BB2\'s v2 rules', () => {
    const patient = loadR4Sample('sandbox-bbuser29999/patient_bbuser29999.json');
    const context = { apiVersion: 'v2', patientId: '-20140000010000' } as const;
    assert.deepEqual(validateBody(patient, 'Patient', context).filter((one) => one.severity === 'error'), []);
    const hashed = { ...patient, identifier: [...(patient.identifier as object[]), { system: 'https://bluebutton.cms.gov/resources/identifier/mbi-hash', value: 'a'.repeat(64) }] };
    assert.ok(validateBody(hashed, 'Patient', context).some((one) => one.requirement === 'BB2-FHIR-IDENTIFIER-04' && one.severity === 'error'));
    const unprofiled = { ...patient, meta: {} };
    assert.ok(validateBody(unprofiled, 'Patient', context).some((one) => one.requirement === 'BB2-FHIR-V2PROFILE-01' && one.severity === 'error'));
  });
});

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'bb2-sweep-test-'));
}

function runRecord(users: string[], shard?: string): RunRecord {
  return {
    format: 'bb2-sweep/1',
    apiVersion: 'v1',
    target: { kind: 'embedded' },
    selection: '--users 4',
    ...(shard === undefined ? {} : { shard }),
    users,
    concurrency: 2,
    sessions: [{ startedAt: '2026-11-30T08:00:00.000Z', endedAt: '2026-11-30T08:01:00.000Z', activeMs: 60_000 }],
  };
}

describe('the results folder', () => {
  it('a folder with a sweep needs --resume or --fresh; --fresh removes only the sweep\'s files', () => {
    const dir = tempDir();
    assert.equal(prepareResultsDir(dir, 'new'), undefined);
    writeRun(dir, runRecord(['BBUser00000']));
    writeFileSync(path.join(dir, 'my-notes.txt'), 'mine');
    assert.throws(() => prepareResultsDir(dir, 'new'), (error: unknown) => error instanceof ResultsDirError && /--resume.*--fresh/.test(error.message));
    assert.equal(prepareResultsDir(dir, 'resume')?.users[0], 'BBUser00000');
    prepareResultsDir(dir, 'fresh');
    assert.equal(existsSync(path.join(dir, 'run.json')), false);
    assert.equal(readFileSync(path.join(dir, 'my-notes.txt'), 'utf8'), 'mine');
    assert.throws(() => prepareResultsDir(dir, 'resume'), /holds no sweep to resume/);
  });

  it('a line cut short by a kill is dropped (that user is swept again); a damaged line elsewhere is an error', () => {
    const dir = tempDir();
    appendUserResult(dir, result('BBUser00000', 'ok'));
    appendFileSync(path.join(dir, 'users.jsonl'), '{"user":"BBUser00001","sta');
    assert.deepEqual([...readUserResults(dir).keys()], ['BBUser00000']);
    repairUsersFile(dir);
    appendUserResult(dir, result('BBUser00001', 'ok'));
    assert.deepEqual([...readUserResults(dir).keys()], ['BBUser00000', 'BBUser00001']);
    writeFileSync(path.join(dir, 'users.jsonl'), `not json\n${JSON.stringify(result('BBUser00000', 'ok'))}\n`);
    assert.throws(() => readUserResults(dir), /line 1 is not JSON/);
  });

  it('one sweep at a time per folder: a live holder of the lock is refused, a dead one is replaced', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.lock'), String(process.ppid));
    assert.throws(() => lockResultsDir(dir), /another sweep \(process \d+\) is writing/);
    writeFileSync(path.join(dir, '.lock'), '999999999');
    const release = lockResultsDir(dir);
    assert.equal(readFileSync(path.join(dir, '.lock'), 'utf8'), String(process.pid));
    release();
    assert.equal(existsSync(path.join(dir, '.lock')), false);
  });
});

describe('merging shards', () => {
  function shard(root: string, name: string, users: string[], shardText: string, results: UserResult[]): void {
    const dir = path.join(root, name);
    prepareResultsDir(dir, 'new');
    writeRun(dir, runRecord(users, shardText));
    for (const one of results) appendUserResult(dir, one);
  }

  it('finds the shard folders, combines their users and reports one summary', () => {
    const root = tempDir();
    shard(root, 'sweep-shard-1', ['BBUser00000', 'BBUser00002'], '1/2', [result('BBUser00000', 'ok'), result('BBUser00002', 'violations', [violation({})])]);
    shard(root, 'sweep-shard-2', ['BBUser00001', 'BBUser00003'], '2/2', [result('BBUser00001', 'ok'), result('BBUser00003', 'ok')]);
    assert.equal(findShardDirs(root).length, 2);
    const out = path.join(tempDir(), 'merged');
    const { summary, warnings, shards } = mergeShards(root, out, false);
    assert.equal(shards, 2);
    assert.deepEqual(warnings, []);
    assert.equal(summary.totals.done, 4);
    assert.equal(summary.complete, true);
    assert.equal(summary.run.shard, undefined);
    assert.equal(summary.run.activeMs, 60_000);
    assert.deepEqual(summary.users.violations, ['BBUser00002']);
    assert.equal(readUserResults(out).size, 4);
  });

  it('refuses shards that share a user or come twice, and says which shard is missing', () => {
    const overlap = tempDir();
    shard(overlap, 'a', ['BBUser00000', 'BBUser00001'], '1/2', []);
    shard(overlap, 'b', ['BBUser00001'], '2/2', []);
    assert.throws(() => mergeShards(overlap, path.join(tempDir(), 'm'), false), (error: unknown) => error instanceof UsageError && /BBUser00001 is in two shards/.test(error.message));
    const missing = tempDir();
    shard(missing, 'a', ['BBUser00000'], '1/3', [result('BBUser00000', 'ok')]);
    const { warnings } = mergeShards(missing, path.join(tempDir(), 'm'), false);
    assert.deepEqual(warnings, ['shard(s) 2/3, 3/3 missing: their users are not in this report']);
  });
});
