/**
 * The self-test's judgement and report on hand-made Playwright JSON reports and a small catalogue:
 * which failures count for a fault (only checks citing what it breaks, statically or through a
 * `violated` annotation added at run time), "caught only by another check", which spec files an area
 * runs, runs where nothing ran, the confirmation rerun, the rate and the matrix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JSONReport, JSONReportSpec, JSONReportSuite } from '@playwright/test/reporter';
import { FAULT_AREAS, type FaultMode } from '../lib/embedded-sandbox.js';
import { buildCatalogue } from '../lib/requirements/catalogue.js';
import { readChecks } from '../lib/requirements/checks.js';
import { AREA_TAGS, filesForArea } from './areas.js';
import { cleanRunIsGreen, confirmDetection, describeResult, detectionRate, judgeClean, judgeFault, listTitles, untestedArea, type FaultResult } from './judge.js';
import { duration, renderMarkdown, requirementMatrix, summarize } from './report.js';

type Status = 'expected' | 'unexpected' | 'flaky' | 'skipped';
type Annotation = { type: string; description?: string };

interface SpecInput {
  readonly title: string;
  readonly tags?: string[];
  readonly status: Status;
  /** Catalogue ids of its requirement annotation. */
  readonly cites?: string[];
  /** `violated` annotations on the test (as the last result's). */
  readonly violated?: string[];
  /** `violated` annotations only on a result (Playwright's results[].annotations). */
  readonly violatedInResult?: string[];
}

const source = [{ url: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2' }];
const entry = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: `title of ${id}`, text: 'text', strength: 'SHALL', area: 'oauth', sources: source, ...extra });
const catalogue = buildCatalogue([
  {
    file: 'requirements/test.json',
    document: {
      requirements: [
        entry('BB2-OAUTH-CODE-01'),
        entry('BB2-OAUTH-PKCE-03'),
        entry('BB2-FHIR-PAGING-03'),
        entry('BB2-FHIR-STU3-01', { area: 'validation', includes: ['FHIR-STU3-'] }),
        entry('FHIR-STU3-per-1', { area: 'validation' }),
        entry('FHIR-STU3-ele-1', { area: 'validation' }),
      ],
    },
  },
]);

function spec(input: SpecInput): JSONReportSpec {
  const annotations: Annotation[] = [
    ...(input.cites === undefined ? [] : [{ type: 'requirement', description: input.cites.join(' ') }]),
    ...(input.violated ?? []).map((id) => ({ type: 'violated', description: id })),
  ];
  const resultAnnotations = (input.violatedInResult ?? []).map((id) => ({ type: 'violated', description: id }));
  return {
    title: input.title,
    tags: input.tags ?? ['oauth'],
    ok: input.status !== 'unexpected',
    id: input.title,
    file: 'x.spec.ts',
    line: 1,
    column: 1,
    tests: [{ timeout: 1, annotations, expectedStatus: 'passed', projectName: '', projectId: '', results: [{ annotations: resultAnnotations }], status: input.status }],
  } as unknown as JSONReportSpec;
}

function report(files: Array<{ file: string; describe?: string; specs: SpecInput[] }>, errors: string[] = []): JSONReport {
  const suites: JSONReportSuite[] = files.map(({ file, describe: title, specs }) => {
    const built = specs.map((one) => ({ ...spec(one), file, line: 7 }));
    return {
      title: file,
      file,
      line: 0,
      column: 0,
      specs: title === undefined ? built : [],
      suites: title === undefined ? [] : [{ title, file, line: 1, column: 1, specs: built }],
    };
  });
  return { suites, errors: errors.map((message) => ({ message })), config: {}, stats: {} } as unknown as JSONReport;
}

const fault = (id: string, area: FaultMode['area'], requirements: [string, ...string[]]): FaultMode => ({ id, area, description: 'a fault', overrides: {}, requirements });
const codeReusable = fault('code-reusable', 'oauth', ['BB2-OAUTH-CODE-01']);

describe('reading a Playwright JSON report', () => {
  it('gives each check its full title, tags, status, cited ids and run-time violated ids, and the global errors without colours', () => {
    const run = readChecks(
      report(
        [
          {
            file: 'oauth/pkce.spec.ts',
            describe: 'PKCE at /token',
            specs: [{ title: 'a wrong verifier is refused', tags: ['oauth', 'security'], status: 'unexpected', cites: ['BB2-OAUTH-PKCE-03', 'RFC7636-4.6'], violated: ['FHIR-STU3-per-1'], violatedInResult: ['FHIR-STU3-ele-1'] }],
          },
          { file: 'fhir/patient.spec.ts', specs: [{ title: 'read', tags: ['fhir'], status: 'expected', cites: ['BB2-FHIR-STU3-01'] }, { title: 'later', tags: ['fhir'], status: 'skipped' }] },
        ],
        ['\u001b[31mError: webServer exited early\u001b[39m\n    at somewhere'],
      ),
    );
    assert.deepEqual(
      run.checks.map(({ title, file, tags, status, requirements, violated }) => ({ title, file, tags, status, requirements, violated })),
      [
        {
          title: 'oauth/pkce.spec.ts › PKCE at /token › a wrong verifier is refused',
          file: 'oauth/pkce.spec.ts',
          tags: ['oauth', 'security'],
          status: 'failed',
          requirements: ['BB2-OAUTH-PKCE-03', 'RFC7636-4.6'],
          violated: ['FHIR-STU3-per-1', 'FHIR-STU3-ele-1'],
        },
        { title: 'fhir/patient.spec.ts › read', file: 'fhir/patient.spec.ts', tags: ['fhir'], status: 'passed', requirements: ['BB2-FHIR-STU3-01'], violated: [] },
        { title: 'fhir/patient.spec.ts › later', file: 'fhir/patient.spec.ts', tags: ['fhir'], status: 'skipped', requirements: [], violated: [] },
      ],
    );
    assert.deepEqual(run.errors, ['Error: webServer exited early']);
  });
});

describe('choosing the spec files of an area', () => {
  it('maps every fault area to Playwright tags', () => {
    for (const area of FAULT_AREAS) {
      const tags = AREA_TAGS[area];
      assert.ok(tags === 'any' || tags.length > 0, area);
    }
  });

  it('runs whole spec files that hold a check of the area (serial groups stay whole), and the whole suite for http', () => {
    const listing = readChecks(
      report([
        { file: 'oauth/pkce.spec.ts', specs: [{ title: 'verifier', tags: ['oauth', 'security'], status: 'skipped' }] },
        { file: 'testclient/browse.spec.ts', describe: 'serial', specs: [{ title: 'log in', tags: ['testclient'], status: 'skipped' }, { title: 'Patient page', tags: ['testclient', 'fhir'], status: 'skipped' }] },
        { file: 'discovery/metadata.spec.ts', specs: [{ title: 'version', tags: ['discovery'], status: 'skipped' }] },
      ]),
    ).checks;
    assert.deepEqual(filesForArea(listing, 'oauth'), ['oauth/pkce.spec.ts', 'testclient/browse.spec.ts']);
    assert.deepEqual(filesForArea(listing, 'paging'), ['testclient/browse.spec.ts']);
    assert.deepEqual(filesForArea(listing, 'access'), ['oauth/pkce.spec.ts', 'testclient/browse.spec.ts']);
    assert.deepEqual(filesForArea(listing, 'resources'), ['discovery/metadata.spec.ts', 'testclient/browse.spec.ts']);
    assert.equal(filesForArea(listing, 'http'), undefined);
    const untested = untestedArea(codeReusable, '@oauth');
    assert.equal(untested.verdict, 'missed');
    assert.equal(describeResult(untested), "MISSED, no check carries the area's tags (@oauth)");
  });
});

describe('judging a fault run', () => {
  it('counts as detected only a failed check citing a requirement the fault breaks', () => {
    const run = readChecks(
      report([
        {
          file: 'oauth/code.spec.ts',
          specs: [
            { title: 'code twice', status: 'unexpected', cites: ['BB2-OAUTH-CODE-01', 'RFC6749-4.1.2'] },
            { title: 'verifier', status: 'unexpected', cites: ['BB2-OAUTH-PKCE-03'] },
            { title: 'passes', status: 'expected', cites: ['BB2-OAUTH-CODE-01'] },
          ],
        },
      ]),
    );
    const result = judgeFault(codeReusable, run, 3, catalogue);
    assert.equal(result.verdict, 'detected');
    assert.deepEqual(result.caughtBy, [{ title: 'oauth/code.spec.ts › code twice', file: 'oauth/code.spec.ts', cites: ['BB2-OAUTH-CODE-01'] }]);
    assert.deepEqual(result.otherFailures, ['oauth/code.spec.ts › verifier']);
    assert.equal(describeResult(result), 'DETECTED: 1 check citing BB2-OAUTH-CODE-01 failed; 1 other failed');
  });

  it('reports failures of checks citing something else as "caught only by another check", not a detection', () => {
    const run = readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 'metadata', tags: ['discovery'], status: 'unexpected', cites: ['BB2-FHIR-PAGING-03'] }] }]));
    const result = judgeFault(codeReusable, run, 12, catalogue);
    assert.equal(result.verdict, 'caught-elsewhere');
    assert.deepEqual(result.caughtBy, []);
    assert.deepEqual(result.otherFailures, ['f.spec.ts › metadata']);
    assert.equal(describeResult(result), 'CAUGHT ONLY BY OTHER CHECKS (a finding): 1 check failed, none citing BB2-OAUTH-CODE-01');
    assert.equal(detectionRate([result]), 0);
  });

  it('credits a check whose run-time violated annotation names the broken requirement, on the test or only on a result', () => {
    const perFault = fault('period-end-before-start', 'resources', ['FHIR-STU3-per-1']);
    const onTest = readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 'eob', tags: ['fhir'], status: 'unexpected', cites: ['BB2-FHIR-PAGING-03'], violated: ['FHIR-STU3-per-1'] }] }]));
    assert.deepEqual(judgeFault(perFault, onTest, 1, catalogue).caughtBy.map((check) => check.cites), [['FHIR-STU3-per-1']]);
    const onResult = readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 'eob', tags: ['fhir'], status: 'unexpected', cites: ['BB2-FHIR-PAGING-03'], violatedInResult: ['FHIR-STU3-per-1'] }] }]));
    assert.equal(judgeFault(perFault, onResult, 1, catalogue).verdict, 'detected');
    const otherRule = readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 'eob', tags: ['fhir'], status: 'unexpected', cites: ['BB2-FHIR-PAGING-03'], violated: ['FHIR-STU3-ele-1'] }] }]));
    assert.equal(judgeFault(perFault, otherRule, 1, catalogue).verdict, 'caught-elsewhere', 'a violation of another rule is not this fault');
  });

  it('credits a check citing a requirement that includes the broken one, and a fault breaking the including one', () => {
    const umbrellaCheck = readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 'valid STU3', tags: ['fhir'], status: 'unexpected', cites: ['BB2-FHIR-STU3-01'] }] }]));
    const perFault = fault('period-end-before-start', 'resources', ['FHIR-STU3-per-1']);
    assert.deepEqual(judgeFault(perFault, umbrellaCheck, 1, catalogue).caughtBy.map((check) => check.cites), [['FHIR-STU3-per-1']]);
    const broadFault = fault('eob-r4-element', 'resources', ['BB2-FHIR-STU3-01']);
    const memberViolated = readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 'eob', tags: ['fhir'], status: 'unexpected', cites: ['BB2-FHIR-PAGING-03'], violated: ['FHIR-STU3-ele-1'] }] }]));
    assert.equal(judgeFault(broadFault, memberViolated, 1, catalogue).verdict, 'detected');
  });

  it('keeps a detection only when a citing failure repeats on the rerun, and then lists only the repeated ones', () => {
    const first = judgeFault(
      codeReusable,
      readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 'code twice', status: 'unexpected', cites: ['BB2-OAUTH-CODE-01'] }, { title: 'slow login', status: 'unexpected', cites: ['BB2-OAUTH-CODE-01'] }] }])),
      40,
      catalogue,
    );
    assert.deepEqual(first.caughtBy.map((check) => check.file), ['f.spec.ts', 'f.spec.ts']);
    const repeated = confirmDetection(first, readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 'code twice', status: 'unexpected' }, { title: 'slow login', status: 'expected' }] }])), 10);
    assert.equal(repeated.verdict, 'detected');
    assert.deepEqual(repeated.caughtBy.map((check) => check.title), ['f.spec.ts › code twice']);
    assert.deepEqual(repeated.confirmation, { rerun: 2, failedAgain: 1 });
    assert.equal(describeResult(repeated), 'DETECTED: 2 checks citing BB2-OAUTH-CODE-01 failed, 1 of 2 rerun failed again');
    assert.equal(repeated.seconds, 50);
    const flaky = confirmDetection(first, readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 'code twice', status: 'expected' }, { title: 'slow login', status: 'expected' }] }])), 10);
    assert.equal(flaky.verdict, 'missed');
    assert.match(flaky.note ?? '', /did not repeat/);
    const missed = judgeFault(codeReusable, readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 'code', status: 'expected', cites: ['BB2-OAUTH-CODE-01'] }] }])), 5, catalogue);
    assert.equal(missed.verdict, 'missed');
    assert.equal(confirmDetection(missed, readChecks(report([])), 1), missed, 'nothing to confirm');
  });

  it('calls a run in which no test ran an error, never a detection', () => {
    const nothing = readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 'skipped', status: 'skipped' }] }], ['Error: Process from config.webServer exited early.']));
    const result = judgeFault(codeReusable, nothing, 2, catalogue, 'Playwright wrote no report');
    assert.equal(result.verdict, 'error');
    assert.match(result.note ?? '', /Playwright wrote no report; Error: Process from config\.webServer exited early\./);
  });
});

describe('the summary and its requirement matrix', () => {
  const listing = readChecks(
    report([
      { file: 'oauth/code.spec.ts', specs: [{ title: 'code twice', status: 'skipped', cites: ['BB2-OAUTH-CODE-01'] }] },
      { file: 'fhir/paging.spec.ts', specs: [{ title: 'links', tags: ['fhir'], status: 'skipped', cites: ['BB2-FHIR-PAGING-03', 'BB2-FHIR-STU3-01'] }] },
    ]),
  ).checks;
  const result = (id: string, requirements: string[], verdict: FaultResult['verdict'], caughtBy: FaultResult['caughtBy'] = []): FaultResult => ({
    id,
    area: 'paging',
    requirements,
    verdict,
    caughtBy,
    otherFailures: verdict === 'caught-elsewhere' ? ['oauth/code.spec.ts › code twice'] : [],
    failedCiting: caughtBy.length,
    testsRun: 10,
    seconds: 61,
  });
  const detected = result('next-link-missing', ['BB2-FHIR-PAGING-03'], 'detected', [{ title: 'fhir/paging.spec.ts › links', file: 'fhir/paging.spec.ts', cites: ['BB2-FHIR-PAGING-03'] }]);
  const elsewhere = result('count-ignored', ['BB2-OAUTH-PKCE-03'], 'caught-elsewhere');
  const green = judgeClean(readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 't', status: 'expected' }] }])), 30);
  const base = { generatedAt: '2026-01-01T00:00:00.000Z', commit: 'abc1234', workers: 2, undetectable: [], totalSeconds: 125 };

  it('computes the rate over the faults run ("caught elsewhere" is not detected) and fails on a false alarm or a low rate', () => {
    assert.equal(detectionRate([detected, elsewhere, result('e-f', [], 'error'), detected]), 0.5);
    assert.equal(detectionRate([]), 1);
    const red = judgeClean(readChecks(report([{ file: 'f.spec.ts', specs: [{ title: 't', status: 'unexpected' }] }])), 30);
    assert.ok(cleanRunIsGreen(green));
    assert.ok(!cleanRunIsGreen(red));
    assert.ok(!cleanRunIsGreen(judgeClean(readChecks(report([])), 1)), 'a clean run in which nothing ran proves nothing');
    assert.equal(summarize({ ...base, minDetection: 1, clean: green, faults: [detected] }, listing, catalogue).passed, true);
    const half = summarize({ ...base, minDetection: 1, clean: green, faults: [detected, elsewhere] }, listing, catalogue);
    assert.equal(half.passed, false);
    assert.equal(half.caughtElsewhere, 1);
    assert.equal(summarize({ ...base, minDetection: 0.5, clean: green, faults: [detected, elsewhere] }, listing, catalogue).passed, true);
    const alarmed = summarize({ ...base, minDetection: 0, clean: red, faults: [] }, listing, catalogue);
    assert.equal(alarmed.passed, false);
    assert.equal(alarmed.falseAlarms, 1);
  });

  it('has a matrix row per broken requirement: its faults, the checks citing it, and whether a citing check caught each fault', () => {
    const matrix = requirementMatrix([detected, elsewhere], listing, catalogue);
    assert.deepEqual(
      matrix.map(({ requirement, citingChecks, caught }) => ({ requirement, citingChecks, caught })),
      [
        { requirement: 'BB2-OAUTH-PKCE-03', citingChecks: [], caught: false },
        { requirement: 'BB2-FHIR-PAGING-03', citingChecks: ['fhir/paging.spec.ts › links'], caught: true },
      ],
    );
    const umbrella = requirementMatrix([result('r4', ['FHIR-STU3-per-1'], 'missed')], listing, catalogue);
    assert.deepEqual(umbrella[0]?.citingChecks, ['fhir/paging.spec.ts › links'], 'a check citing BB2-FHIR-STU3-01 cites its FHIR-STU3- members');
  });

  it('renders the result, the findings, the matrix, the runs and the undetectable faults', () => {
    const markdown = renderMarkdown(
      summarize(
        { ...base, minDetection: 1, clean: green, faults: [detected, elsewhere], undetectable: [{ id: 'x-y', area: 'oauth', requirements: ['BB2-OAUTH-CODE-01'], reason: 'needs two clients | not configured' }] },
        listing,
        catalogue,
      ),
    );
    assert.match(markdown, /Detection rate: \*\*50\.0%\*\* \(1 of 2 faults; threshold 100\.0%\)/);
    assert.match(markdown, /Caught only by another check: \*\*1\*\*/);
    assert.match(markdown, /## Findings: faults caught only by another check[\s\S]*\| count-ignored \| BB2-OAUTH-PKCE-03 \| oauth\/code\.spec\.ts › code twice \(1\) \|/);
    assert.match(markdown, /\| BB2-FHIR-PAGING-03 title of BB2-FHIR-PAGING-03 \| next-link-missing \| 1 \| yes: next-link-missing by fhir\/paging\.spec\.ts › links \(1\) \|/);
    assert.match(markdown, /\| BB2-OAUTH-PKCE-03 title of BB2-OAUTH-PKCE-03 \| count-ignored \| 0 \| NO: count-ignored caught only by another check \|/);
    assert.match(markdown, /\| next-link-missing \| paging \| BB2-FHIR-PAGING-03 \| detected \| fhir\/paging\.spec\.ts › links \(1\) \| 10 \| 1 min 1 s \|/);
    assert.match(markdown, /\| x-y \| oauth \| BB2-OAUTH-CODE-01 \| needs two clients \\\| not configured \|/);
    assert.match(markdown, /Total time: 2 min 5 s \(2 workers\)/);
    assert.equal(listTitles(['one']), 'one (1)');
  });

  it('durations read as people write them, never "4 min 60 s"', () => {
    assert.equal(duration(12.34), '12.3 s');
    assert.equal(duration(59.94), '59.9 s');
    assert.equal(duration(59.96), '1 min 0 s');
    assert.equal(duration(125), '2 min 5 s');
    assert.equal(duration(299.6), '5 min 0 s');
  });
});
