/**
 * requirements/fhir-stu3.json is the catalogue of what the engine checks: generated from the same
 * data, well formed, and naming every requirement a violation can carry.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { STU3_INVARIANT_CASES } from '../testdata/invariant-cases.js';
import { validateResource } from '../validate.js';
import { R4, STU3 } from './release.js';
import { buildRequirements, type RequirementsFile } from './requirements.js';

const FILE = new URL('../../../requirements/fhir-stu3.json', import.meta.url);

it('requirements/fhir-r4.json is what scripts/generate/fhir-requirements.ts makes from the R4 data', () => {
  const onDisk = JSON.parse(readFileSync(new URL('../../../requirements/fhir-r4.json', import.meta.url), 'utf8')) as RequirementsFile;
  assert.deepEqual(onDisk, buildRequirements(R4));
  assert.ok(onDisk.requirements.every((requirement) => requirement.id.startsWith('FHIR-R4-')));
});

describe('requirements/fhir-stu3.json', () => {
  const onDisk = JSON.parse(readFileSync(FILE, 'utf8')) as RequirementsFile;

  it('is what scripts/generate/fhir-requirements.ts makes from the data (regenerate it when this fails)', () => {
    assert.deepEqual(onDisk, buildRequirements(STU3));
  });

  it('has unique, well-formed ids, a public source for each, and a reason for each untested one', () => {
    const ids = onDisk.requirements.map((requirement) => requirement.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const requirement of onDisk.requirements) {
      assert.match(requirement.id, /^[A-Z][A-Z0-9]*(-[A-Za-z0-9.]+)+$/);
      assert.ok(requirement.sources.length > 0 && requirement.sources.every((source) => source.url.startsWith('https://hl7.org/fhir/')), requirement.id);
      if (requirement.untested !== undefined) assert.ok(requirement.untested.length > 10, requirement.id);
    }
    assert.ok(ids.includes('FHIR-STU3-per-1') && ids.includes('FHIR-STU3-JSON-no-null') && ids.includes('FHIR-STU3-SCHEMA-type') && ids.includes('FHIR-STU3-BINDING-Coverage.status'));
  });

  it('names every requirement the crafted bad instances break', () => {
    const ids = new Set(onDisk.requirements.map((requirement) => requirement.id));
    for (const testCase of STU3_INVARIANT_CASES) {
      for (const violation of validateResource(testCase.bad()).violations) assert.ok(violation.requirement && ids.has(violation.requirement), `${testCase.key}: ${violation.requirement}`);
    }
  });
});
