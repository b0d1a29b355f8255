/**
 * Speed of the patched STU3 validator, in a process of its own (node --test runs each file separately)
 * so that the other tests' extra compiled validators do not skew the numbers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getStu3Validator } from './stu3.js';
import { loadSample } from './testdata/samples.js';

describe('speed', () => {
  it('measures compile time and validations per second', () => {
    const validator = getStu3Validator();
    const measure = (label: string, resource: unknown): number => {
      assert.deepEqual(validator.validate(resource), []);
      for (let warmUp = 0; warmUp < 50; warmUp++) validator.validate(resource);
      let runs = 0;
      const started = performance.now();
      while (performance.now() - started < 500) {
        validator.validate(resource);
        runs++;
      }
      const perSecond = runs / ((performance.now() - started) / 1000);
      console.log(`${label}: ${Math.round(perSecond).toLocaleString('en-US')} validations/s`);
      return perSecond;
    };
    console.log(`STU3 schema load + patch + compile: ${validator.compileMs.toFixed(0)} ms`);
    const patient = measure('Patient (patient_read_v1.json, 4 KB)', loadSample('bb2-webserver-fixtures-v1', 'patient_read_v1.json'));
    const eob = measure('ExplanationOfBenefit (eob_read_out_pt_v1.json, 77 KB)', loadSample('bb2-webserver-fixtures-v1', 'eob_read_out_pt_v1.json'));
    const bundle = measure('Bundle of 10 EOBs (eob_search_v1.json, 462 KB)', loadSample('bb2-webserver-fixtures-v1', 'eob_search_v1.json'));
    // Loose floors: a regression to oneOf matching would be ~70x slower on bundles.
    assert.ok(patient > 1000 && eob > 100 && bundle > 20, `${patient} ${eob} ${bundle}`);
  });
});
