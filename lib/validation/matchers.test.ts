/**
 * The Playwright matchers, driven through Playwright's own expect (it runs outside the test runner too).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expect } from './matchers.js';
import { loadR4Sample } from './profiles/r4-samples.js';
import { copy, loadSample } from './testdata/samples.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke into sample JSON freely

const patient = (): Json => copy(loadSample('bb2-webserver-fixtures-v1', 'patient_read_v1.json')) as Json;
const context = { patientId: '-20140000008325', synthetic: true };
/** The API versions as the fixtures' `api` gives them to the matchers. */
const V1 = { validation: { release: 'stu3' } } as const;
const V2 = { validation: { release: 'r4', v2ProfileDeviations: 'current' } } as const;
const v2Patient = (): Json => copy(loadR4Sample('sandbox-bbuser29999/patient_bbuser29999.json')) as Json;
const v2Context = { patientId: '-20140000010000', synthetic: true };

/** Runs a failing assertion and returns what Playwright threw. */
function failure(assertion: () => void): Error & { matcherResult?: { name?: string; expected?: unknown; actual?: unknown; pass?: boolean } } {
  try {
    assertion();
  } catch (error) {
    return error as Error;
  }
  assert.fail('the assertion was expected to fail');
}

describe('toBeValidStu3', () => {
  it('passes on a real sample, with and without an expected type', () => {
    expect(patient()).toBeValidStu3();
    expect(patient()).toBeValidStu3('Patient');
  });

  it('fails with the formatted violations as its message and the violations as actual', () => {
    const body = patient();
    body.birthDate = '06/01/1999';
    const error = failure(() => expect(body).toBeValidStu3('Patient'));
    assert.match(error.message, /toBeValidStu3/);
    assert.match(error.message, /1 violation:\n1\. Patient\/-20140000008325 at birthDate\n\s+rule: {2}schema:format — STU3 schema: date format \[FHIR-STU3-SCHEMA-format\]\n\s+value: "06\/01\/1999"/);
    assert.equal(error.matcherResult?.name, 'toBeValidStu3');
    assert.equal(error.matcherResult?.expected, 'Patient');
    assert.equal((error.matcherResult?.actual as unknown[]).length, 1);
  });

  it('fails when the resource is of another type than expected', () => {
    const error = failure(() => expect(patient()).toBeValidStu3('Coverage'));
    assert.match(error.message, /STU3 schema: expected resourceType/);
  });

  it('.not passes on an invalid body and fails on a valid one', () => {
    expect({ resourceType: 'Patient', gender: 'F' }).not.toBeValidStu3();
    const error = failure(() => expect(patient()).not.toBeValidStu3());
    assert.match(error.message, /Expected a body that breaks STU3, but it has no violations/);
  });
});

describe('toBeValidFhir', () => {
  it("judges a body by the API version's release: a v1 Patient is valid STU3 and not v2's, a v2 claim valid R4 and not STU3", () => {
    expect(patient()).toBeValidFhir(V1, 'Patient');
    expect(v2Patient()).toBeValidFhir(V2, 'Patient');
    const v2Claim = loadR4Sample('bfd-endpoint-responses-v2/eobReadCarrier.json');
    expect(v2Claim).toBeValidFhir(V2, 'ExplanationOfBenefit');
    expect(v2Claim).not.toBeValidFhir(V1, 'ExplanationOfBenefit');
    const error = failure(() => expect(patient()).toBeValidFhir(V2, 'Patient'));
    assert.match(error.message, /toBeValidFhir/);
  });

  it('v2 includes the C4BB profile layer: a Patient that claims no profile fails BB2-FHIR-V2PROFILE-01', () => {
    const body = v2Patient();
    delete body.meta.profile;
    const error = failure(() => expect(body).toBeValidFhir(V2, 'Patient'));
    assert.match(error.message, /BB2-FHIR-V2PROFILE-01/);
  });
});

describe('toFollowBb2Rules', () => {
  it('passes on a real BB2-served sample for its patient', () => {
    expect(patient()).toFollowBb2Rules(V1, context);
    expect(patient()).toFollowBb2Rules(V1);
    expect(v2Patient()).toFollowBb2Rules(V2, v2Context);
  });

  it("fails with the formatted violations when the body is another bene's", () => {
    const error = failure(() => expect(patient()).toFollowBb2Rules(V1, { patientId: '-20140000000001' }));
    assert.match(error.message, /BB2-FHIR-DATA-02: belongs to the token's patient/);
    assert.deepEqual(error.matcherResult?.expected, { patientId: '-20140000000001' });
  });

  it('.not passes on a body that breaks a rule', () => {
    const body = patient();
    body.address[0].city = 'Baltimore';
    expect(body).not.toFollowBb2Rules(V1, context);
  });

  it("applies the API version's rules: a v1 Patient's hash identifiers break v2's", () => {
    const error = failure(() => expect(patient()).toFollowBb2Rules(V2, context));
    assert.match(error.message, /BB2-FHIR-IDENTIFIER-04/);
  });
});

describe('toHaveNoViolations', () => {
  const violation = (ruleId: string, requirement?: string) => ({ resourceType: 'Patient', path: 'gender', ruleId, rule: ruleId, message: `${ruleId} broken`, ...(requirement ? { requirement } : {}) });

  it('passes on a verdict without violations, whatever its notes, and fails listing the violations', () => {
    expect({ violations: [], notes: [{ ...violation('schema:required', 'FHIR-STU3-SCHEMA-required'), severity: 'warning', knownDeviation: 'x' }] }).toHaveNoViolations();
    const error = failure(() => expect({ violations: [violation('fhir:per-1', 'FHIR-STU3-per-1')], notes: [] }).toHaveNoViolations());
    assert.match(error.message, /1 violation:\n1\. Patient at gender\n\s+rule: {2}fhir:per-1 — fhir:per-1 \[FHIR-STU3-per-1\]/);
  });

  it('refuses what is not a verdict', () => {
    assert.throws(() => expect([]).toHaveNoViolations(), /expects \{ violations, notes \}/);
  });
});

describe('what a failed check reports', () => {
  it('one requirement per distinct rule broken, a rule without a catalogue id by its rule id', async () => {
    const { violatedRequirements } = await import('./matchers.js');
    const v = (ruleId: string, requirement?: string) => ({ resourceType: 'Patient', path: '', ruleId, rule: '', message: '', ...(requirement ? { requirement } : {}) });
    assert.deepEqual(violatedRequirements([v('fhir:per-1', 'FHIR-STU3-per-1'), v('fhir:per-1', 'FHIR-STU3-per-1'), v('bb2:x')]), ['FHIR-STU3-per-1', 'bb2:x']);
  });

  it('one note per distinct known deviation or warning, with its count', async () => {
    const { noteSummaries } = await import('./matchers.js');
    const note = { resourceType: 'ExplanationOfBenefit', path: 'type', ruleId: 'binding:ExplanationOfBenefit.type', rule: '', message: 'm', requirement: 'FHIR-STU3-BINDING-ExplanationOfBenefit.type', severity: 'warning' as const, knownDeviation: 'dme-hha-type-without-claim-type' };
    assert.deepEqual(noteSummaries([note, note, { ...note, knownDeviation: undefined, ruleId: 'engine:type-not-generated', requirement: undefined, message: 'Practitioner: only the schema checks it' }]), [
      'FHIR-STU3-BINDING-ExplanationOfBenefit.type: known BB2 deviation dme-hha-type-without-claim-type (binding:ExplanationOfBenefit.type), 2 times',
      'engine:type-not-generated: engine:type-not-generated (warning): Practitioner: only the schema checks it',
    ]);
  });
});
