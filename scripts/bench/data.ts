/**
 * Synthetic data generation of the embedded sandbox (sandbox/src/data): the biggest user and a spread of
 * 1000, for v1 (STU3) and then v2 (R4). v1 is measured first, in a process that has not built any v2
 * resource, so its figures show what v2 costs v1 (nothing, if they match the baseline). An R4 EOB is
 * rendered from its claim's v1 EOB, so its cost includes building that one again.
 */
import { performance } from 'node:perf_hooks';
import { R4_DATA, STU3_DATA, syntheticUser, type FhirData } from '../../sandbox/src/data/index.js';
import type { BenchSection, Figure } from './figures.js';

/** The user with the most claims (400). */
export const BIGGEST_USER = 13_410;

const mib = (bytes: number) => bytes / 1024 / 1024;

function measure(data: FhirData, prefix: string, version: string, record: (figure: Figure) => void): void {
  const heapBefore = process.memoryUsage().heapUsed;
  let start = performance.now();
  const eobs = data.eobsFor(syntheticUser(BIGGEST_USER));
  record({
    key: `${prefix}.biggest-user-cold-ms`,
    label: `${version}: all EOBs of BBUser${BIGGEST_USER} (${eobs.length}), cold`,
    value: performance.now() - start,
    unit: 'ms',
    lowerIsBetter: true,
    note: `heap +${mib(process.memoryUsage().heapUsed - heapBefore).toFixed(1)} MiB`,
  });
  start = performance.now();
  let count = 0;
  for (let number = 0; number < 30_000; number += 30) {
    const user = syntheticUser(number);
    count += data.eobsFor(user).length + data.coveragesFor(user).length + (data.patientFor(user) ? 1 : 0);
  }
  const elapsed = performance.now() - start;
  record({
    key: `${prefix}.resource-us`,
    label: `${version}: 1000 users' resources (${count}), per resource`,
    value: (elapsed * 1000) / count,
    unit: 'µs',
    lowerIsBetter: true,
    note: `rss ${mib(process.memoryUsage().rss).toFixed(0)} MiB`,
  });
}

export const dataSection: BenchSection = {
  name: 'data',
  title: 'Synthetic data (sandbox/src/data)',
  run(record) {
    measure(STU3_DATA, 'data', 'v1', record);
    measure(R4_DATA, 'data.r4', 'v2', record);
  },
};
