/**
 * A fault run read as attempts (selftest/attempts.ts) when it stopped at its first confirmed failure
 * (--max-failures 1): the check that failed both attempts is the detection, and the checks Playwright
 * interrupted or never started read as not run, never as failures.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JSONReport, JSONReportSpec, JSONReportTest } from '@playwright/test/reporter';
import type { FaultMode } from '../lib/embedded-sandbox.js';
import { buildCatalogue } from '../lib/requirements/catalogue.js';
import { readAttempts } from './attempts.js';
import { confirmDetection, judgeFault } from './judge.js';

type ResultStatus = 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';

const catalogue = buildCatalogue([
  {
    file: 'requirements/test.json',
    document: {
      requirements: [{ id: 'BB2-OAUTH-CODE-01', title: 'a code is used once', text: 'text', strength: 'SHALL', area: 'oauth', sources: [{ url: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2' }] }],
    },
  },
]);
const codeReusable = { id: 'code-reusable', area: 'oauth', description: 'd', requirements: ['BB2-OAUTH-CODE-01'] } as unknown as FaultMode;

/** A check citing BB2-OAUTH-CODE-01 whose attempts ended with `statuses`, `outcome` as Playwright computes it. */
function check(title: string, outcome: JSONReportTest['status'], statuses: ResultStatus[]): JSONReportSpec {
  return {
    title,
    tags: ['oauth'],
    ok: outcome !== 'unexpected',
    id: title,
    file: 'oauth/authorization-code.spec.ts',
    line: 1,
    column: 1,
    tests: [
      {
        timeout: 1,
        annotations: [{ type: 'requirement', description: 'BB2-OAUTH-CODE-01' }],
        expectedStatus: 'passed',
        projectName: 'v1',
        projectId: 'v1',
        results: statuses.map((status, retry) => ({ status, retry, annotations: [] })),
        status: outcome,
      },
    ],
  } as unknown as JSONReportSpec;
}

function stoppedRun(): JSONReport {
  const specs = [
    // failed, retried, failed again: Playwright stopped the run here (--max-failures 1)
    check('a code exchanged twice', 'unexpected', ['failed', 'failed']),
    // failed once; its retry was interrupted by the stop
    check('a code after its lifetime', 'unexpected', ['failed', 'interrupted']),
    // running when the run stopped
    check('a code for another client', 'skipped', ['interrupted']),
    // never started
    check('a code bound to its redirect', 'skipped', []),
  ];
  return { suites: [{ title: 'oauth/authorization-code.spec.ts', file: 'oauth/authorization-code.spec.ts', line: 0, column: 0, specs, suites: [] }], errors: [{ message: 'Testing stopped early after 1 maximum allowed failures.' }] } as unknown as JSONReport;
}

describe('a fault run stopped at its first confirmed failure', () => {
  it('reads interrupted and unstarted attempts as not run', () => {
    const { first, retried } = readAttempts(stoppedRun());
    assert.deepEqual(
      first.checks.map((each) => [each.titles.at(-1), each.status]),
      [
        ['a code exchanged twice', 'failed'],
        ['a code after its lifetime', 'failed'],
        ['a code for another client', 'skipped'],
        ['a code bound to its redirect', 'skipped'],
      ],
    );
    assert.deepEqual(
      retried.checks.map((each) => [each.titles.at(-1), each.status]),
      [
        ['a code exchanged twice', 'failed'],
        ['a code after its lifetime', 'skipped'],
      ],
    );
  });

  it('confirms the detection by the check that failed twice, and leaves the unconfirmed one out', () => {
    const { first, retried } = readAttempts(stoppedRun());
    const result = confirmDetection(judgeFault(codeReusable, first, 12, catalogue), retried, 0);
    assert.equal(result.verdict, 'detected');
    assert.deepEqual(result.confirmation, { rerun: 1, failedAgain: 1 });
    assert.deepEqual(
      result.caughtBy.map((each) => each.title),
      ['[v1] oauth/authorization-code.spec.ts › a code exchanged twice'],
    );
    assert.equal(result.testsRun, 2);
  });

  it('does not call a detection confirmed when no citing failure ran a second time', () => {
    const { first } = readAttempts(stoppedRun());
    const result = confirmDetection(judgeFault(codeReusable, first, 12, catalogue), { checks: [], errors: [] }, 0);
    assert.equal(result.verdict, 'missed');
    assert.match(result.note ?? '', /no citing failure ran a second time/);
  });
});
