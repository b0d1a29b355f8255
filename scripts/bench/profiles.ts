/** C4BB / US Core profile validation (lib/validation/profiles) on real BB2 v2 samples. */
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createProfileValidator } from '../../lib/validation/profiles/validator.js';
import { validateBb2V2Profiles } from '../../lib/validation/profiles/bb2-v2.js';
import { R4_SAMPLES_DIR, loadR4Sample } from '../../lib/validation/profiles/r4-samples.js';
import type { BenchSection } from './figures.js';

/** The biggest single EOB of the samples: BB2's outpatient fixture (109 KB). */
const BIG_EOB = 'bb2-webserver-fixtures-v2/eob_read_out_pt_v2.json';
/** A real sandbox search page: 10 Part D events. */
const EOB_PAGE = 'sandbox-bbuser29999/eob_bundle_bbuser29999.json';

export const profilesSection: BenchSection = {
  name: 'profiles',
  title: 'Profile validation, C4BB 1.1.0 / US Core 3.1.1 (lib/validation/profiles)',
  run(record) {
    const validator = createProfileValidator();
    record({ key: 'profiles.compile-ms', label: 'load and compile 12 profiles with their invariants (once per process)', value: validator.compileMs, unit: 'ms', lowerIsBetter: true });
    const eob = loadR4Sample(BIG_EOB);
    let start = performance.now();
    validator.validate(eob);
    record({ key: 'profiles.big-eob-first-ms', label: 'one big EOB, first validation (value sets expanded on first use)', value: performance.now() - start, unit: 'ms', lowerIsBetter: true, note: `${Math.round(statSync(`${R4_SAMPLES_DIR}${BIG_EOB}`).size / 1024)} KB, ${(eob.item as unknown[]).length} items` });
    const rounds = 200;
    start = performance.now();
    for (let i = 0; i < rounds; i += 1) validator.validate(eob);
    record({ key: 'profiles.big-eob-ms', label: 'one big EOB against Outpatient-Institutional', value: (performance.now() - start) / rounds, unit: 'ms', lowerIsBetter: true });
    const page = loadR4Sample(EOB_PAGE);
    validateBb2V2Profiles(page);
    start = performance.now();
    for (let i = 0; i < 50; i += 1) validateBb2V2Profiles(page);
    record({ key: 'profiles.eob-per-s', label: 'EOBs per second, a real sandbox page with BB2 facts and deviations', value: (50 * 10) / ((performance.now() - start) / 1000), unit: '/s', lowerIsBetter: false });
  },
};
