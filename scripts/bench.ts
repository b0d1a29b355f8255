/**
 * `npm run bench`: speed and memory figures of the parts that bound a suite run, printed, never
 * asserted (a timed assertion would flake on a busy 2-core machine). Run it on an idle machine and
 * compare figures across commits.
 */
import { performance } from 'node:perf_hooks';
import { coveragesFor, eobsFor, patientFor, syntheticUser } from '../sandbox/src/data/index.js';
import { startSandbox } from '../sandbox/src/server.js';
import { obtainToken } from '../sandbox/test/fhir-beneficiary-flow.js';
import { validateStu3 } from '../lib/validation/index.js';

const rows: Array<[string, string]> = [];
const record = (what: string, figure: string) => {
  rows.push([what, figure]);
  console.log(`  ${what.padEnd(58)} ${figure}`);
};
const ms = (start: number) => performance.now() - start;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

// The user with the most claims (400) and a spread of 1000 users over the whole range.
const BIGGEST_USER = 13_410;

function benchData(): void {
  console.log('Synthetic data (sandbox/src/data)');
  const heapBefore = process.memoryUsage().heapUsed;
  let start = performance.now();
  const eobs = eobsFor(syntheticUser(BIGGEST_USER));
  record(`all EOBs of BBUser${BIGGEST_USER} (${eobs.length}), cold`, `${ms(start).toFixed(0)} ms, heap +${mib(process.memoryUsage().heapUsed - heapBefore)}`);
  start = performance.now();
  let count = 0;
  for (let number = 0; number < 30_000; number += 30) count += eobsFor(syntheticUser(number)).length + coveragesFor(syntheticUser(number)).length + 1;
  const elapsed = ms(start);
  record(`1000 users' resources (${count})`, `${(elapsed / 1000).toFixed(1)} s, ${((elapsed * 1000) / count).toFixed(0)} µs/resource, rss ${mib(process.memoryUsage().rss)}`);
}

function benchValidation(): void {
  console.log('Validation (lib/validation)');
  const patient = patientFor(syntheticUser(42));
  let start = performance.now();
  validateStu3(patient, 'Patient');
  record('STU3 schema compile (first validation)', `${ms(start).toFixed(0)} ms`);
  start = performance.now();
  for (let i = 0; i < 5_000; i += 1) validateStu3(patient, 'Patient');
  record('Patient validations', `${Math.round(5_000 / (ms(start) / 1000)).toLocaleString('en-US')}/s`);
  const eobs = eobsFor(syntheticUser(29_999));
  start = performance.now();
  for (const eob of eobs) validateStu3(eob, 'ExplanationOfBenefit');
  record(`ExplanationOfBenefit validations (${eobs.length} of BBUser29999)`, `${Math.round(eobs.length / (ms(start) / 1000)).toLocaleString('en-US')}/s`);
}

async function walk(baseUrl: string, token: string, pageSize: number): Promise<{ pages: number; entries: number }> {
  let next: string | undefined = `${baseUrl}/v1/fhir/ExplanationOfBenefit/?_count=${pageSize}`;
  let pages = 0;
  let entries = 0;
  while (next) {
    const response = await fetch(next, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET page ${pages + 1} answered ${response.status}`);
    const bundle = (await response.json()) as { entry?: unknown[]; link?: Array<{ relation: string; url: string }> };
    entries += bundle.entry?.length ?? 0;
    pages += 1;
    next = bundle.link?.find((link) => link.relation === 'next')?.url;
  }
  return { pages, entries };
}

async function benchSandbox(): Promise<void> {
  console.log('Embedded sandbox over HTTP (no browser)');
  let start = performance.now();
  const sandbox = await startSandbox({ port: 0, logLevel: 'silent' });
  record('start (oidc-provider, routes)', `${ms(start).toFixed(0)} ms`);
  try {
    const { client } = sandbox.context.settings;
    const credentials = { id: client.id, secret: client.secret, redirectUri: client.redirectUris[0] as string };
    start = performance.now();
    const token = await obtainToken(sandbox.url, credentials, { username: `BBUser${BIGGEST_USER}` });
    record('authorize + login + consent + token exchange', `${ms(start).toFixed(0)} ms`);
    for (const label of ['cold', 'warm']) {
      start = performance.now();
      const result = await walk(sandbox.url, token.access_token, 50);
      record(`EOB walk, 50 per page, ${label} (${result.pages} pages, ${result.entries} EOBs)`, `${ms(start).toFixed(0)} ms`);
    }
    const users = [10_001, 10_009, 10_012, 10_038, 29_999, 5, 7, 11];
    const tokens = await Promise.all(users.map((n) => obtainToken(sandbox.url, credentials, { username: syntheticUser(n).username })));
    start = performance.now();
    const walks = await Promise.all(tokens.map((t) => walk(sandbox.url, t.access_token, 10)));
    const requests = walks.reduce((sum, w) => sum + w.pages, 0);
    const elapsed = ms(start);
    record(`8 concurrent walks, 10 per page (${requests} requests)`, `${elapsed.toFixed(0)} ms, ${Math.round(requests / (elapsed / 1000))} requests/s`);
    record('sandbox process memory after the walks', `rss ${mib(process.memoryUsage().rss)}`);
  } finally {
    await sandbox.close();
  }
}

console.log(`bb2-conformance benchmarks (node ${process.version}, ${new Date().toISOString()})`);
benchData();
benchValidation();
await benchSandbox();
