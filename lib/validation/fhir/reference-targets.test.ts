/**
 * Reference target types: a reference names a resource of a type its element allows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copy, loadSample } from '../testdata/samples.js';
import { validateResource, validateStu3 } from '../validate.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke into sample JSON freely

const eob = (): Json => copy(loadSample('bb2-webserver-fixtures-v1', 'eob_read_carrier_v1.json')) as Json;
const found = (document: unknown) => validateStu3(document).map((v) => `${v.ruleId} @ ${v.path} (${v.requirement})`);

describe('reference target types', () => {
  it('a literal reference to another type is one violation, a RESTful URL too', () => {
    for (const reference of ['Organization/1', 'https://sandbox.bluebutton.cms.gov/v1/fhir/Coverage/part-a--20140000008325']) {
      const e = eob();
      e.patient.reference = reference;
      assert.deepEqual(found(e), ['schema:reference-target @ patient.reference (FHIR-STU3-SCHEMA-reference-target)'], reference);
    }
  });

  it('a local reference to a contained resource of another type', () => {
    const e = copy(loadSample('bfd-endpoint-responses-v1', 'eobReadCarrier.json')) as Json;
    assert.equal(e.contained[1].resourceType, 'Observation');
    e.referral.reference = '#2'; // the Observation, where a ReferralRequest belongs
    const violations = validateStu3(e);
    assert.ok(violations.some((v) => v.ruleId === 'schema:reference-target' && v.path === 'referral.reference' && /ReferralRequest, not Observation/.test(v.message)), JSON.stringify(violations));
  });

  it('references that name no resource type are left alone', () => {
    for (const reference of ['urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0', 'Patient/-20140000008325']) {
      const e = eob();
      e.patient.reference = reference;
      assert.deepEqual(found(e), [], reference);
    }
    const capability = copy(loadSample('bfd-endpoint-responses-v1', 'metadata.json')) as Json;
    assert.equal(capability.rest[0].resource[0].profile.reference.startsWith('http://hl7.org/fhir/Profile/'), true);
    assert.ok(!validateStu3(capability).some((v) => v.ruleId === 'schema:reference-target'));
  });

  it('R4 too: ExplanationOfBenefit.insurance.coverage is a Coverage', () => {
    const r4 = copy(loadSample('bfd-endpoint-responses-v2', 'eobReadCarrier.json')) as Json;
    r4.insurance[0].coverage.reference = 'Patient/567834';
    assert.deepEqual(
      validateResource(r4, { release: 'r4' }).violations.map((v) => `${v.ruleId} @ ${v.path}`),
      ['schema:reference-target @ insurance[0].coverage.reference'],
    );
  });
});
