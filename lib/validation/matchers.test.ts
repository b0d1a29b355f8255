/**
 * The Playwright matchers, driven through Playwright's own expect (it runs outside the test runner too).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expect } from './matchers.js';
import { copy, loadSample } from './testdata/samples.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke into sample JSON freely

const patient = (): Json => copy(loadSample('bb2-webserver-fixtures-v1', 'patient_read_v1.json')) as Json;
const context = { patientId: '-20140000008325', synthetic: true };

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

describe('toFollowBb2Rules', () => {
  it('passes on a real BB2-served sample for its patient', () => {
    expect(patient()).toFollowBb2Rules(context);
    expect(patient()).toFollowBb2Rules();
  });

  it("fails with the formatted violations when the body is another bene's", () => {
    const error = failure(() => expect(patient()).toFollowBb2Rules({ patientId: '-20140000000001' }));
    assert.match(error.message, /BB2 §4\.7: belongs to the token's patient/);
    assert.deepEqual(error.matcherResult?.expected, { patientId: '-20140000000001' });
  });

  it('.not passes on a body that breaks a rule', () => {
    const body = patient();
    body.address[0].city = 'Baltimore';
    expect(body).not.toFollowBb2Rules(context);
  });
});
