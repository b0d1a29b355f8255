/**
 * The R4 invariants: each crafted bad instance breaks its invariant (and only it) and its good twin
 * passes; the natives agree with fhirpath.js on the crafted instances too (the real R4 samples are
 * compared in invariants.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { R4_INVARIANT_CASES } from '../testdata/r4-invariant-cases.js';
import { fhirEngine, validateResource } from '../validate.js';
import type { Violation } from '../violation.js';

const engine = fhirEngine('r4');
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const summary = (violations: readonly Violation[]) => violations.map((v) => `${v.path} | ${v.ruleId} | ${v.message}`).join('\n');

/** What the case is about: every finding but the narrative warning every resource without text gets, and the engine's own notes. */
function findings(document: unknown, key: string): Violation[] {
  const verdict = validateResource(plain(document), { release: 'r4' });
  return [...verdict.violations, ...verdict.notes].filter((violation) => violation.ruleId !== 'engine:type-not-generated' && (key === 'dom-6' || violation.ruleId !== 'fhir:dom-6'));
}

describe('every R4 invariant has a crafted bad instance that breaks it, and only it', () => {
  it('the table covers every invariant in schemas/fhir-r4/invariants.json', () => {
    assert.deepEqual(R4_INVARIANT_CASES.map((testCase) => testCase.key).sort(), engine.definitions.invariants.map((invariant) => invariant.key).sort());
  });

  for (const testCase of R4_INVARIANT_CASES) {
    it(`${testCase.key}: the bad instance breaks it at "${testCase.path}", the good twin passes`, () => {
      const bad = findings(testCase.bad(), testCase.key);
      assert.deepEqual(
        bad.map((violation) => `${violation.ruleId} @ ${violation.path}`).sort(),
        [`${testCase.key} @ ${testCase.path}`, ...(testCase.alsoBreaks ?? [])].map((expected) => `fhir:${expected}`).sort(),
        summary(bad),
      );
      const found = bad.find((violation) => violation.ruleId === `fhir:${testCase.key}`);
      assert.equal(found?.requirement, `FHIR-R4-${testCase.key}`);
      assert.equal(found?.knownDeviation, undefined, 'a crafted instance is no known BB2 deviation');
      const definition = engine.definitions.invariants.find((invariant) => invariant.key === testCase.key);
      assert.equal(found?.severity === 'warning', definition?.severity === 'warning', 'warnings are notes, errors are violations');
      const good = findings(testCase.good(), testCase.key);
      assert.deepEqual(good, [], summary(good));
    });
  }
});
