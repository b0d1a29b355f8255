/**
 * The self-test's judgement (sandbox/src/faults/selftest-results.ts) on hand-made Playwright JSON
 * reports: which failures count for which area, runs where nothing ran, the rate and the reports.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JSONReport, JSONReportSpec, JSONReportSuite } from '@playwright/test/reporter';
import { faultModeOrThrow } from '../src/faults/catalog.js';
import {
  cleanRunIsGreen,
  confirmDetection,
  detectionRate,
  describeResult,
  filesForArea,
  untestedArea,
  judgeClean,
  judgeFault,
  listTitles,
  readRunOutcome,
  renderMarkdown,
  summarize,
  type FaultResult,
} from '../src/faults/selftest-results.js';

type Status = 'expected' | 'unexpected' | 'flaky' | 'skipped';

function spec(title: string, tags: string[], status: Status): JSONReportSpec {
  return {
    title,
    tags,
    ok: status !== 'unexpected',
    id: title,
    file: 'x.spec.ts',
    line: 1,
    column: 1,
    tests: [{ timeout: 1, annotations: [], expectedStatus: 'passed', projectName: '', projectId: '', results: [], status }],
  } as JSONReportSpec;
}

function report(files: Array<{ file: string; describe?: string; specs: JSONReportSpec[] }>, errors: string[] = []): JSONReport {
  const suites: JSONReportSuite[] = files.map(({ file, describe, specs: given }) => ({ file, describe, specs: given.map((one) => ({ ...one, file, line: 7 })) })).map(({ file, describe, specs }) => ({
    title: file,
    file,
    line: 0,
    column: 0,
    specs: describe === undefined ? specs : [],
    suites: describe === undefined ? [] : [{ title: describe, file, line: 1, column: 1, specs }],
  }));
  return { suites, errors: errors.map((message) => ({ message })), config: {}, stats: {} } as unknown as JSONReport;
}

describe('reading a Playwright JSON report', () => {
  it('gives each test its full title, tags and final status, and the global errors without colours', () => {
    const run = readRunOutcome(
      report(
        [
          { file: 'oauth/pkce.spec.ts', describe: 'PKCE at /token', specs: [spec('a wrong verifier is refused', ['oauth', 'security'], 'unexpected')] },
          { file: 'fhir/patient.spec.ts', specs: [spec('read', ['fhir'], 'expected'), spec('later', ['fhir'], 'skipped')] },
        ],
        ['\u001b[31mError: webServer exited early\u001b[39m\n    at somewhere'],
      ),
    );
    assert.deepEqual(run.tests, [
      { title: 'oauth/pkce.spec.ts › PKCE at /token › a wrong verifier is refused', file: 'oauth/pkce.spec.ts', tags: ['oauth', 'security'], status: 'failed' },
      { title: 'fhir/patient.spec.ts › read', file: 'fhir/patient.spec.ts', tags: ['fhir'], status: 'passed' },
      { title: 'fhir/patient.spec.ts › later', file: 'fhir/patient.spec.ts', tags: ['fhir'], status: 'skipped' },
    ]);
    assert.deepEqual(run.errors, ['Error: webServer exited early']);
  });
});

describe('judging a fault run', () => {
  const oauthFault = faultModeOrThrow('code-reusable');
  const httpFault = faultModeOrThrow('fhir-content-type-html');

  it('runs whole spec files that hold a test of the area (serial groups stay whole), and the whole suite for http', () => {
    const listing = readRunOutcome(
      report([
        { file: 'oauth/pkce.spec.ts', specs: [spec('verifier', ['oauth', 'security'], 'expected')] },
        { file: 'testclient/browse.spec.ts', describe: 'serial', specs: [spec('log in', ['testclient'], 'expected'), spec('Patient page', ['testclient', 'fhir'], 'expected')] },
        { file: 'discovery/metadata.spec.ts', specs: [spec('version', ['discovery'], 'expected')] },
      ]),
    );
    assert.deepEqual(filesForArea(listing, 'oauth'), ['oauth/pkce.spec.ts']);
    assert.deepEqual(filesForArea(listing, 'paging'), ['testclient/browse.spec.ts']);
    assert.deepEqual(filesForArea(listing, 'access'), ['oauth/pkce.spec.ts', 'testclient/browse.spec.ts']);
    assert.deepEqual(filesForArea(listing, 'resources'), ['discovery/metadata.spec.ts', 'testclient/browse.spec.ts']);
    assert.equal(filesForArea(listing, 'http'), undefined);
    const none = readRunOutcome(report([{ file: 'discovery/metadata.spec.ts', specs: [spec('version', ['discovery'], 'expected')] }]));
    assert.deepEqual(filesForArea(none, 'oauth'), []);
    const untested = untestedArea(oauthFault);
    assert.equal(untested.verdict, 'missed');
    assert.match(describeResult(untested), /^MISSED, no test carries the area's tags \(@oauth\)$/);
  });

  it('counts only failures in the fault\'s area as a detection', () => {
    const outside = readRunOutcome(report([{ file: 'f.spec.ts', specs: [spec('metadata', ['discovery'], 'unexpected'), spec('code', ['oauth'], 'expected')] }]));
    const missed = judgeFault(oauthFault, outside, 12);
    assert.equal(missed.verdict, 'missed');
    assert.deepEqual(missed.failedOutsideArea, ['f.spec.ts › metadata']);
    assert.equal(judgeFault(httpFault, outside, 12).verdict, 'detected', 'http counts any failure');

    const inside = readRunOutcome(report([{ file: 'f.spec.ts', specs: [spec('code twice', ['oauth', 'security'], 'unexpected')] }]));
    const detected = judgeFault(oauthFault, inside, 3);
    assert.equal(detected.verdict, 'detected');
    assert.deepEqual(detected.caughtBy, ['f.spec.ts › code twice']);
  });

  it('keeps a detection only when a failure repeats on the rerun, and then lists only the repeated ones', () => {
    const first = judgeFault(
      oauthFault,
      readRunOutcome(report([{ file: 'f.spec.ts', specs: [spec('code twice', ['oauth'], 'unexpected'), spec('slow login', ['oauth'], 'unexpected')] }])),
      40,
    );
    assert.deepEqual(first.caughtIn, ['f.spec.ts', 'f.spec.ts']);
    const repeated = confirmDetection(
      first,
      readRunOutcome(report([{ file: 'f.spec.ts', specs: [spec('code twice', ['oauth'], 'unexpected'), spec('slow login', ['oauth'], 'expected')] }])),
      10,
    );
    assert.equal(repeated.verdict, 'detected');
    assert.deepEqual(repeated.caughtBy, ['f.spec.ts › code twice']);
    assert.deepEqual(repeated.confirmation, { rerun: 2, failedAgain: 1 });
    assert.equal(describeResult(repeated), 'DETECTED: 2 tests of the area failed, 1 of 2 rerun failed again');
    assert.equal(repeated.seconds, 50);
    const flaky = confirmDetection(first, readRunOutcome(report([{ file: 'f.spec.ts', specs: [spec('code twice', ['oauth'], 'expected'), spec('slow login', ['oauth'], 'expected')] }])), 10);
    assert.equal(flaky.verdict, 'missed');
    assert.match(flaky.note ?? '', /did not repeat/);
    const missed = judgeFault(oauthFault, readRunOutcome(report([{ file: 'f.spec.ts', specs: [spec('code', ['oauth'], 'expected')] }])), 5);
    assert.equal(confirmDetection(missed, readRunOutcome(report([])), 1), missed, 'nothing to confirm');
  });

  it('calls a run in which no test ran an error, never a detection', () => {
    const nothing = readRunOutcome(report([{ file: 'f.spec.ts', specs: [spec('skipped', ['oauth'], 'skipped')] }], ['Error: Process from config.webServer exited early.']));
    const result = judgeFault(oauthFault, nothing, 2, 'Playwright wrote no report');
    assert.equal(result.verdict, 'error');
    assert.match(result.note ?? '', /Playwright wrote no report; Error: Process from config.webServer exited early\./);
  });
});

describe('the summary', () => {
  const fault = (id: string, verdict: FaultResult['verdict']): FaultResult => ({
    id,
    area: 'paging',
    requirement: 'BB2 §4.4',
    verdict,
    caughtBy: verdict === 'detected' ? ['a › b', 'a › c', 'a › d', 'a › e'] : [],
    caughtIn: verdict === 'detected' ? ['a', 'a', 'a', 'a'] : [],
    failedInArea: verdict === 'detected' ? 4 : 0,
    failedOutsideArea: [],
    testsRun: 10,
    seconds: 61,
  });

  it('computes the rate over the faults run and fails on a false alarm or a low rate', () => {
    assert.equal(detectionRate([fault('a-b', 'detected'), fault('c-d', 'missed'), fault('e-f', 'error'), fault('g-h', 'detected')]), 0.5);
    assert.equal(detectionRate([]), 1);
    const green = judgeClean(readRunOutcome(report([{ file: 'f.spec.ts', specs: [spec('t', ['fhir'], 'expected')] }])), 30);
    const red = judgeClean(readRunOutcome(report([{ file: 'f.spec.ts', specs: [spec('t', ['fhir'], 'unexpected')] }])), 30);
    const empty = judgeClean(readRunOutcome(report([])), 1);
    assert.ok(cleanRunIsGreen(green));
    assert.ok(!cleanRunIsGreen(red));
    assert.ok(!cleanRunIsGreen(empty), 'a clean run in which nothing ran proves nothing');
    const base = { generatedAt: 'now', commit: 'abc1234', workers: 2, undetectable: [], totalSeconds: 200 };
    assert.equal(summarize({ ...base, minDetection: 1, clean: green, faults: [fault('a-b', 'detected')] }).passed, true);
    assert.equal(summarize({ ...base, minDetection: 1, clean: green, faults: [fault('a-b', 'detected'), fault('c-d', 'missed')] }).passed, false);
    assert.equal(summarize({ ...base, minDetection: 0.5, clean: green, faults: [fault('a-b', 'detected'), fault('c-d', 'missed')] }).passed, true);
    const alarmed = summarize({ ...base, minDetection: 0, clean: red, faults: [] });
    assert.equal(alarmed.passed, false);
    assert.equal(alarmed.falseAlarms, 1);
  });

  it('renders the table with the first three failed titles and the count, and the undetectable faults apart', () => {
    const green = judgeClean(readRunOutcome(report([{ file: 'f.spec.ts', specs: [spec('t', ['fhir'], 'expected')] }])), 30);
    const markdown = renderMarkdown(
      summarize({
        generatedAt: '2026-01-01T00:00:00.000Z',
        commit: 'abc1234',
        workers: 2,
        minDetection: 1,
        clean: green,
        faults: [fault('next-link-missing', 'detected'), fault('count-ignored', 'missed')],
        undetectable: [{ id: 'x-y', area: 'oauth', reason: 'needs two clients | not configured' }],
        totalSeconds: 125,
      }),
    );
    assert.match(markdown, /Detection rate: \*\*50\.0%\*\* \(1 of 2 faults; threshold 100\.0%\)/);
    assert.match(markdown, /False alarms \(failures in the clean run\): \*\*0\*\*/);
    assert.match(markdown, /\| next-link-missing \| paging \| detected \| a › b; a › c; a › d; … \(4 in all\) \| 10 \| 1 min 1 s \|/);
    assert.match(markdown, /\| count-ignored \| paging \| missed \| none \|/);
    assert.match(markdown, /\| x-y \| oauth \| needs two clients \\\| not configured \|/);
    assert.match(markdown, /Total time: 2 min 5 s \(2 workers\)/);
    assert.equal(listTitles(['one']), 'one (1)');
  });
});
