/** Validation throughput (lib/validation) on the embedded sandbox's resources. */
import { performance } from 'node:perf_hooks';
import { eobsFor, patientFor, syntheticUser } from '../../sandbox/src/data/index.js';
import { validateStu3 } from '../../lib/validation/index.js';
import type { BenchSection } from './figures.js';

export const validationSection: BenchSection = {
  name: 'validation',
  title: 'Validation (lib/validation)',
  run(record) {
    const patient = patientFor(syntheticUser(42));
    let start = performance.now();
    validateStu3(patient, 'Patient');
    record({ key: 'validation.stu3-compile-ms', label: 'STU3 schema compile (first validation)', value: performance.now() - start, unit: 'ms', lowerIsBetter: true });
    start = performance.now();
    for (let i = 0; i < 5_000; i += 1) validateStu3(patient, 'Patient');
    record({ key: 'validation.patient-per-s', label: 'Patient validations', value: 5_000 / ((performance.now() - start) / 1000), unit: '/s', lowerIsBetter: false });
    const eobs = eobsFor(syntheticUser(29_999));
    start = performance.now();
    for (const eob of eobs) validateStu3(eob, 'ExplanationOfBenefit');
    record({ key: 'validation.eob-per-s', label: `ExplanationOfBenefit validations (${eobs.length} of BBUser29999)`, value: eobs.length / ((performance.now() - start) / 1000), unit: '/s', lowerIsBetter: false });
  },
};
