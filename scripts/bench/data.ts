/** Synthetic data generation of the embedded sandbox (sandbox/src/data): the biggest user and a spread of 1000. */
import { performance } from 'node:perf_hooks';
import { coveragesFor, eobsFor, syntheticUser } from '../../sandbox/src/data/index.js';
import type { BenchSection } from './figures.js';

/** The user with the most claims (400). */
export const BIGGEST_USER = 13_410;

const mib = (bytes: number) => bytes / 1024 / 1024;

export const dataSection: BenchSection = {
  name: 'data',
  title: 'Synthetic data (sandbox/src/data)',
  run(record) {
    const heapBefore = process.memoryUsage().heapUsed;
    let start = performance.now();
    const eobs = eobsFor(syntheticUser(BIGGEST_USER));
    record({ key: 'data.biggest-user-cold-ms', label: `all EOBs of BBUser${BIGGEST_USER} (${eobs.length}), cold`, value: performance.now() - start, unit: 'ms', lowerIsBetter: true, note: `heap +${mib(process.memoryUsage().heapUsed - heapBefore).toFixed(1)} MiB` });
    start = performance.now();
    let count = 0;
    for (let number = 0; number < 30_000; number += 30) count += eobsFor(syntheticUser(number)).length + coveragesFor(syntheticUser(number)).length + 1;
    const elapsed = performance.now() - start;
    record({ key: 'data.resource-us', label: `1000 users' resources (${count}), per resource`, value: (elapsed * 1000) / count, unit: 'µs', lowerIsBetter: true, note: `rss ${mib(process.memoryUsage().rss).toFixed(0)} MiB` });
  },
};
