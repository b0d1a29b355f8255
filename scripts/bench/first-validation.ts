/**
 * Child process of the validation bench: the first validation in a fresh process, the way a
 * Playwright worker pays it. Imports lib/validation, validates one real EOB search page of the
 * release given, and prints one JSON line: wall and CPU milliseconds of the import and of the first
 * verdict. The parent chooses the cache folder (BB2_VALIDATOR_CACHE_DIR): empty for a cold cache.
 */
import { performance } from 'node:perf_hooks';

const FIRST_DOCUMENT = { stu3: ['bfd-endpoint-responses-v1', 'eobByPatientIdPaged.json'], r4: ['bfd-endpoint-responses-v2', 'eobByPatientIdPaged.json'] } as const;

export interface FirstValidation {
  readonly importMs: number;
  readonly importCpuMs: number;
  readonly firstMs: number;
  readonly firstCpuMs: number;
  readonly violations: number;
}

const cpuMs = (since?: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const release = process.argv[2];
if (release !== 'stu3' && release !== 'r4') {
  console.error('usage: node --import tsx scripts/bench/first-validation.ts stu3|r4');
  process.exit(2);
}
const { loadSample } = await import('../../lib/validation/testdata/samples.js');
const [folder, file] = FIRST_DOCUMENT[release];
const document = loadSample(folder, file);

let cpu = process.cpuUsage();
let started = performance.now();
const { validateResource } = await import('../../lib/validation/validate.js');
const importMs = performance.now() - started;
const importCpuMs = cpuMs(cpu);
cpu = process.cpuUsage();
started = performance.now();
const verdict = validateResource(document, { release, expectedType: 'Bundle' });
const result: FirstValidation = { importMs, importCpuMs, firstMs: performance.now() - started, firstCpuMs: cpuMs(cpu), violations: verdict.violations.length };
console.log(JSON.stringify(result));
