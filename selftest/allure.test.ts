/**
 * The self-test's Allure results: the files selftest/allure.ts writes, read back as `allure generate`
 * reads them: the epic "Self-test", one result per fault (its requirements as stories and parameters,
 * the checks that caught it as steps, its verdict as the status), the clean run, the overall result with
 * selftest.md attached, the undetectable faults as skipped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SELFTEST_EPIC, writeSelftestAllureResults } from './allure.js';
import type { FaultResult } from './judge.js';
import type { SelftestSummary } from './report.js';

interface AllureResult {
  name: string;
  status: string;
  labels: Array<{ name: string; value: string }>;
  parameters?: Array<{ name: string; value: string }>;
  steps: Array<{ name: string; status: string }>;
  attachments: Array<{ name: string; source: string }>;
  statusDetails?: { message?: string };
  description?: string;
}

const selection = { seams: ['oauth.checkCode'], readers: 9, selected: 4, ran: 2, runs: [{ folder: 'reports/selftest/runs/fault-code-reusable', checks: 2, workers: 1, seconds: 7 }] };
const detected: FaultResult = {
  id: 'code-reusable',
  area: 'oauth',
  requirements: ['BB2-OAUTH-CODE-01'],
  verdict: 'detected',
  caughtBy: [{ title: 'oauth/token.spec.ts › token › a code is single-use', file: 'oauth/token.spec.ts', cites: ['BB2-OAUTH-CODE-01'] }],
  otherFailures: ['oauth/refresh.spec.ts › refresh › refreshes'],
  failedCiting: 1,
  testsRun: 2,
  seconds: 7,
  selection,
};
const missed: FaultResult = { ...detected, id: 'count-ignored', area: 'paging', requirements: ['BB2-FHIR-PAGING-03'], verdict: 'missed', caughtBy: [], otherFailures: [], failedCiting: 0, note: 'no check failed' };
const unexercised: FaultResult = { ...missed, id: 'grant-expiration-12-months', area: 'oauth', verdict: 'not-exercised', testsRun: 0, seconds: 0, note: "no check's requests read oauth.x", selection: { ...selection, selected: 0, ran: 0, runs: [] } };

const summary: SelftestSummary = {
  generatedAt: '2026-11-30T11:00:00.000Z',
  commit: 'abc1234',
  workers: 2,
  parallel: 3,
  minDetection: 1,
  clean: { testsRun: 145, passed: 145, failed: [], skipped: 0, errors: [], seconds: 70 },
  faults: [detected, missed, unexercised],
  undetectable: [{ id: 'log-leak', area: 'oauth', requirements: ['BB2-OAUTH-CODE-01'], reason: 'server logs are not visible to a client' }],
  matrix: [],
  detectionRate: 1 / 3,
  caughtElsewhere: 0,
  notExercised: 1,
  falseAlarms: 0,
  totalSeconds: 300,
  passed: false,
};

function written(): AllureResult[] {
  const directory = mkdtempSync(path.join(tmpdir(), 'selftest-allure-'));
  try {
    writeSelftestAllureResults({ summary, markdown: '# Self-test\n', descriptions: new Map([['code-reusable', 'The code works twice.']]), startedAt: Date.UTC(2026, 10, 30, 11) }, directory, {});
    const files = readdirSync(directory);
    assert.ok(files.some((file) => file.endsWith('-attachment.md') || file.includes('-attachment')), 'the markdown attachment is written');
    return files.filter((file) => file.endsWith('-result.json')).map((file) => JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as AllureResult);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const label = (result: AllureResult, name: string) => result.labels.filter((each) => each.name === name).map((each) => each.value);

describe('the self-test in Allure', () => {
  const results = written();
  const byName = new Map(results.map((result) => [result.name, result]));

  it('writes one result per fault, the clean run and the overall result, all in the epic "Self-test"', () => {
    assert.equal(results.length, 3 + 1 + 1 + 1);
    for (const result of results) assert.deepEqual(label(result, 'epic'), [SELFTEST_EPIC]);
    assert.ok(byName.has('clean run: the suite passes against the sandbox without a fault'));
  });

  it("gives each fault its verdict as the status, its requirements as stories and parameters, its catching checks as steps", () => {
    const fault = byName.get('code-reusable') as AllureResult;
    assert.equal(fault.status, 'passed');
    assert.deepEqual(label(fault, 'feature'), ['oauth faults']);
    assert.equal(label(fault, 'story').length, 1);
    assert.match(label(fault, 'story')[0] ?? '', /BB2-OAUTH-CODE-01/);
    assert.deepEqual(fault.parameters?.find((parameter) => parameter.name === 'requirements')?.value, 'BB2-OAUTH-CODE-01');
    assert.deepEqual(
      fault.steps.map((step) => [step.name, step.status]),
      [
        ['caught by: oauth/token.spec.ts › token › a code is single-use (cites BB2-OAUTH-CODE-01)', 'passed'],
        ['also failed, citing none of its requirements: oauth/refresh.spec.ts › refresh › refreshes', 'broken'],
      ],
    );
    assert.match(fault.description ?? '', /The code works twice\.[\s\S]*\*\*Seams replaced:\*\* `oauth\.checkCode`/);
  });

  it('fails a missed or not exercised fault and says why; skips an undetectable one', () => {
    assert.equal(byName.get('count-ignored')?.status, 'failed');
    assert.match(byName.get('count-ignored')?.statusDetails?.message ?? '', /MISSED, no check failed/);
    assert.equal(byName.get('grant-expiration-12-months')?.status, 'failed');
    assert.match(byName.get('grant-expiration-12-months')?.statusDetails?.message ?? '', /NOT EXERCISED/);
    assert.equal(byName.get('log-leak')?.status, 'skipped');
  });

  it('fails the overall result below the threshold and attaches selftest.md', () => {
    const overall = results.find((result) => result.name.startsWith('Self-test ')) as AllureResult;
    assert.equal(overall.status, 'failed');
    assert.match(overall.name, /detection 33\.3% \(1 of 3 faults\)/);
    assert.deepEqual(overall.attachments.map((attachment) => attachment.name), ['selftest.md']);
  });
});
