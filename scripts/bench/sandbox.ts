/** The embedded sandbox over HTTP, without a browser: start, one authorization, EOB walks on v1 and v2. */
import { performance } from 'node:perf_hooks';
import { syntheticUser } from '../../sandbox/src/data/index.js';
import { startSandbox } from '../../sandbox/src/server.js';
import { obtainToken } from '../../sandbox/test/fhir-beneficiary-flow.js';
import { BIGGEST_USER } from './data.js';
import type { BenchSection } from './figures.js';

async function walk(baseUrl: string, token: string, pageSize: number, version: 1 | 2 = 1): Promise<{ pages: number; entries: number }> {
  let next: string | undefined = `${baseUrl}/v${version}/fhir/ExplanationOfBenefit/?_count=${pageSize}`;
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

export const sandboxSection: BenchSection = {
  name: 'sandbox',
  title: 'Embedded sandbox over HTTP (no browser)',
  async run(record) {
    let start = performance.now();
    const sandbox = await startSandbox({ port: 0, logLevel: 'silent' });
    record({ key: 'sandbox.start-ms', label: 'start (oidc-provider, routes)', value: performance.now() - start, unit: 'ms', lowerIsBetter: true });
    try {
      const { client } = sandbox.context.settings;
      const credentials = { id: client.id, secret: client.secret, redirectUri: client.redirectUris[0] as string };
      start = performance.now();
      const token = await obtainToken(sandbox.url, credentials, { username: `BBUser${BIGGEST_USER}` });
      record({ key: 'sandbox.authorize-ms', label: 'authorize + login + consent + token exchange (HTTP only)', value: performance.now() - start, unit: 'ms', lowerIsBetter: true });
      for (const label of ['cold', 'warm']) {
        start = performance.now();
        const result = await walk(sandbox.url, token.access_token, 50);
        record({ key: `sandbox.walk-50-${label}-ms`, label: `EOB walk, 50 per page, ${label}`, value: performance.now() - start, unit: 'ms', lowerIsBetter: true, note: `${result.pages} pages, ${result.entries} EOBs` });
      }
      // The same walk on v2 (the token serves both versions), after v1's, as a client trying both would.
      for (const label of ['cold', 'warm']) {
        start = performance.now();
        const result = await walk(sandbox.url, token.access_token, 50, 2);
        record({ key: `sandbox.v2-walk-50-${label}-ms`, label: `v2 EOB walk, 50 per page, ${label}`, value: performance.now() - start, unit: 'ms', lowerIsBetter: true, note: `${result.pages} pages, ${result.entries} EOBs` });
      }
      const users = [10_001, 10_009, 10_012, 10_038, 29_999, 5, 7, 11];
      const tokens = await Promise.all(users.map((n) => obtainToken(sandbox.url, credentials, { username: syntheticUser(n).username })));
      start = performance.now();
      const walks = await Promise.all(tokens.map((t) => walk(sandbox.url, t.access_token, 10)));
      const requests = walks.reduce((sum, w) => sum + w.pages, 0);
      const elapsed = performance.now() - start;
      record({ key: 'sandbox.concurrent-requests-per-s', label: '8 concurrent walks, 10 per page', value: requests / (elapsed / 1000), unit: '/s', lowerIsBetter: false, note: `${requests} requests in ${elapsed.toFixed(0)} ms` });
      record({ key: 'sandbox.rss-mib', label: 'process memory after the walks (rss)', value: process.memoryUsage().rss / 1024 / 1024, unit: 'MiB', lowerIsBetter: true });
    } finally {
      await sandbox.close();
    }
  },
};
