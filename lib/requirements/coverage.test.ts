/**
 * The coverage and its citation problems on a small catalogue and hand-made checks and faults: every
 * kind of disagreement suite-citations.test.ts must fail on is found, "tested through" and inherited
 * reasons follow `includes`, and the generated page shows each case.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCatalogue } from './catalogue.js';
import type { Check } from './checks.js';
import { renderCoveragePage } from './coverage-page.js';
import { citationProblems, computeCoverage } from './coverage.js';

const source = [{ url: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.1' }];
const entry = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: `title of ${id}`, text: `text of ${id}`, strength: 'SHALL', area: 'oauth', sources: source, ...extra });
const catalogue = buildCatalogue([
  {
    file: 'requirements/t.json',
    document: {
      requirements: [
        entry('BB2-OAUTH-TOKEN-01'),
        entry('BB2-OAUTH-TOKEN-02', { untested: 'needs a second app' }),
        entry('BB2-OAUTH-TOKEN-03'),
        entry('BB2-FHIR-STU3-01', { area: 'validation', includes: ['FHIR-STU3-'] }),
        entry('FHIR-STU3-per-1', { area: 'validation' }),
        entry('BB2-FHIR-R4-01', { area: 'validation', includes: ['FHIR-R4-'], untested: 'no v2 checks yet' }),
        entry('FHIR-R4-per-1', { area: 'validation' }),
      ],
    },
  },
]);

function check(title: string, requirements: string[]): Check {
  const full = `oauth/token.spec.ts › ${title}`;
  return { title: full, project: '', titles: [title], key: `[] › ${full}`, file: 'oauth/token.spec.ts', line: 3, tags: ['oauth'], status: 'skipped', requirements, violated: [], durationMs: 0 };
}

describe('coverage of the catalogue', () => {
  it('finds a check citing nothing, an unknown id, a cited untested requirement, an uncovered requirement and a fault naming an unknown id', () => {
    const checks = [check('headers', ['BB2-OAUTH-TOKEN-01', 'BB2-FHIR-STU3-01']), check('nothing', []), check('typo', ['BB2-OAUTH-TOKN-01']), check('second app', ['BB2-OAUTH-TOKEN-02'])];
    const problems = citationProblems(catalogue, checks, [{ id: 'token-fault', requirements: ['BB2-OAUTH-TOKEN-01', 'BB2-NOPE-01'] }, { id: 'empty-fault', requirements: [] }]);
    assert.deepEqual(problems, [
      'tests/oauth/token.spec.ts:3 "oauth/token.spec.ts › nothing" cites no requirement: add requirement(\'<id>\', …) to its annotations',
      'tests/oauth/token.spec.ts:3 "oauth/token.spec.ts › typo" cites BB2-OAUTH-TOKN-01, which no requirements/*.json defines',
      'BB2-OAUTH-TOKEN-02 (requirements/t.json) is marked untested ("needs a second app") but tests/oauth/token.spec.ts:3 "oauth/token.spec.ts › second app" cites it: remove its "untested"',
      'fault mode token-fault names BB2-NOPE-01, which no requirements/*.json defines',
      'fault mode empty-fault names no requirement',
      'BB2-OAUTH-TOKEN-03 (requirements/t.json) is cited by no check: cite it from the check that verifies it, or say why none does in "untested"',
    ]);
  });

  it('is clean when every check cites known ids and every requirement is cited, included or explained', () => {
    const checks = [check('headers', ['BB2-OAUTH-TOKEN-01', 'BB2-FHIR-STU3-01']), check('lifetime', ['BB2-OAUTH-TOKEN-03'])];
    assert.deepEqual(citationProblems(catalogue, checks, [{ id: 'token-fault', requirements: ['BB2-OAUTH-TOKEN-01'] }]), []);
  });

  it('tests a rule through the requirement that includes it, and leaves it untested for that requirement\'s reason', () => {
    const coverage = computeCoverage(catalogue, [check('headers', ['BB2-OAUTH-TOKEN-01', 'BB2-FHIR-STU3-01'])], [{ id: 'period-fault', requirements: ['FHIR-STU3-per-1'] }]);
    assert.deepEqual(coverage.byId.get('FHIR-STU3-per-1')?.status, { kind: 'through', through: 'BB2-FHIR-STU3-01' });
    assert.deepEqual(coverage.byId.get('FHIR-STU3-per-1')?.faults, ['period-fault']);
    assert.deepEqual(coverage.byId.get('FHIR-R4-per-1')?.status, { kind: 'untested', reason: 'no v2 checks yet', through: 'BB2-FHIR-R4-01' });
    assert.deepEqual(coverage.byId.get('BB2-OAUTH-TOKEN-03')?.status, { kind: 'uncovered' });
    const page = renderCoveragePage(coverage);
    assert.match(page, /### <a id="FHIR-STU3-per-1"><\/a>FHIR-STU3-per-1 title of FHIR-STU3-per-1\n\n\*\*SHALL\*\* · tested through BB2-FHIR-STU3-01/);
    assert.match(page, /- Untested: no v2 checks yet \(through \[BB2-FHIR-R4-01\]\(#BB2-FHIR-R4-01\)\)/);
    assert.match(page, /\*\*SHALL\*\* · NOT COVERED: cite it from a check/);
    assert.match(page, /- Fault modes breaking it: `period-fault`/);
    assert.match(page, /\| \*\*All\*\* \| \*\*7\*\* \| \*\*7\*\* \| \*\*0\*\* \| \*\*0\*\* \| \*\*3\*\* \| \*\*4\*\* \|/);
  });
});
