/**
 * The R4 invariants: each crafted bad instance breaks its invariant (and only it) and its good twin
 * passes (the natives' agreement with fhirpath.js on them is in invariants.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { R4_INVARIANT_CASES, testInvariantCases } from '../testdata/invariant-cases.js';
import { fhirEngine } from '../validate.js';

const engine = fhirEngine('r4');

describe('every R4 invariant has a crafted bad instance that breaks it, and only it', () => {
  it('the table covers every invariant in schemas/fhir-r4/invariants.json', () => {
    assert.deepEqual(R4_INVARIANT_CASES.map((testCase) => testCase.key).sort(), engine.definitions.invariants.map((invariant) => invariant.key).sort());
  });

  testInvariantCases('r4', R4_INVARIANT_CASES, new Map(engine.definitions.invariants.map((invariant) => [invariant.key, invariant.severity])));
});
