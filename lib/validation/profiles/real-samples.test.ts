/**
 * No false alarms: every real R4 sample (BFD's v2 goldens, BB2's v2 fixtures, the real sandbox's
 * capture for BBUser29999) passes the profile checks, and every finding on them is a note naming a
 * documented known deviation (schemas/bb2-v2-profiles.json) or a binding this offline validator
 * cannot check. Each deviation is seen on a sample, and its evidence points at a real place.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadBb2V2ProfileFacts, validateBb2V2Profiles } from './bb2-v2.js';
import { loadR4Sample, r4Samples } from './r4-samples.js';
import { getProfileValidator } from './validator.js';
import { REPO_ROOT } from '../../config.js';
import type { Violation } from '../violation.js';

const errorsOf = (violations: readonly Violation[]): Violation[] => violations.filter((violation) => violation.severity !== 'warning');
const show = (violations: readonly Violation[]): string => violations.map((violation) => `${violation.resourceType}/${violation.id ?? ''} ${violation.path}: ${violation.message}`).join('\n');

describe('real BB2 v2 samples against C4BB 1.1.0 / US Core 3.1.1', () => {
  const samples = r4Samples();

  it('has the samples', () => {
    assert.ok(samples.length >= 25, `${samples.length} samples`);
  });

  for (const { name, document } of samples) {
    it(`${name}: no error, every note is a known deviation or an offline limit`, () => {
      const violations = validateBb2V2Profiles(document);
      assert.deepEqual(errorsOf(violations), [], show(errorsOf(violations)));
      for (const note of violations) {
        assert.match(note.message, /Known BB2 deviation '[a-z0-9-]+'|cannot be (checked|evaluated) offline|when one fits \(extensible binding\)|not checked against it/, note.message);
      }
    });
  }

  it("BFD's current goldens pass with only today's deviations tolerated", () => {
    for (const { name, document } of samples.filter((sample) => sample.name.startsWith('bfd-endpoint-responses-v2/'))) {
      const errors = errorsOf(validateBb2V2Profiles(document, { deviations: 'current' }));
      assert.deepEqual(errors, [], `${name}:\n${show(errors)}`);
    }
  });

  it('the 2020-2021 samples do break the profiles when their deviation is not tolerated (the deviations are not empty words)', () => {
    const errors = errorsOf(validateBb2V2Profiles(loadR4Sample('sandbox-bbuser29999/eob_bundle_bbuser29999.json'), { deviations: 'current' }));
    assert.ok(errors.some((violation) => violation.ruleId === 'profile:C4BB-ExplanationOfBenefit-Pharmacy:ExplanationOfBenefit.total:cardinality'), show(errors));
    const untolerated = errorsOf(validateBb2V2Profiles(loadR4Sample('bfd-endpoint-responses-v2/eobReadInpatient.json'), { deviations: 'none' }));
    assert.ok(untolerated.some((violation) => violation.ruleId.endsWith('meta.profile:supportedProfile:slice-cardinality')), show(untolerated));
  });

  it('each deviation shows on some sample, and its evidence files exist', () => {
    const facts = loadBb2V2ProfileFacts();
    const seen = new Set<string>();
    for (const { document } of samples) {
      for (const violation of validateBb2V2Profiles(document)) {
        const id = /Known BB2 deviation '([a-z0-9-]+)'/.exec(violation.message)?.[1];
        if (id) seen.add(id);
      }
    }
    for (const deviation of facts.deviations) {
      assert.ok(seen.has(deviation.id), `deviation ${deviation.id} matches nothing in the samples: stale?`);
      for (const evidence of deviation.evidence) assert.ok(existsSync(`${REPO_ROOT}/${evidence.file}`), `${deviation.id}: no file ${evidence.file}`);
    }
    for (const fact of [...Object.values(facts.resourceProfiles), ...Object.values(facts.claimTypeProfiles)]) assert.ok(existsSync(`${REPO_ROOT}/${fact.evidence.file}`), fact.evidence.file);
  });

  it('every BFD golden EOB claims the profile the facts give its claim type', () => {
    const facts = loadBb2V2ProfileFacts();
    for (const [claimType, fact] of Object.entries(facts.claimTypeProfiles)) {
      const eob = loadR4Sample(fact.evidence.file.replace('lib/validation/testdata/r4/', ''));
      assert.equal(String(eob.id).split('-')[0], claimType);
      assert.deepEqual((eob.meta as { profile: string[] }).profile, [fact.profile]);
    }
  });

  it('the profile layer alone finds the deviations as errors (the BB2 layer only relabels them)', () => {
    const errors = errorsOf(getProfileValidator().validate(loadR4Sample('bfd-endpoint-responses-v2/eobReadDme.json')));
    const rules = new Set(errors.map((violation) => violation.ruleId));
    for (const rule of [
      'profile:C4BB-ExplanationOfBenefit-Inpatient-Institutional:ExplanationOfBenefit.subType:cardinality',
      'profile:C4BB-ExplanationOfBenefit-Inpatient-Institutional:ExplanationOfBenefit.supportingInfo:admissionperiod:slice-cardinality',
      'profile:C4BB-ExplanationOfBenefit:ExplanationOfBenefit.meta.profile:supportedProfile:slice-cardinality',
    ]) {
      assert.ok(rules.has(rule), `${rule} not in\n${[...rules].join('\n')}`);
    }
  });
});
