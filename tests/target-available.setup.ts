/**
 * Runs before every other check (playwright.config.ts: the `target` project, a dependency of each API
 * version's project): the target must answer the public FHIR metadata endpoint of every API version
 * the run checks. When one does not (no answer, 5xx or 429 after the retries, honouring Retry-After),
 * its check fails as "target unavailable: …" and Playwright runs none of the others, so an outage reads
 * as one finding about the target's state in every report, not as a hundred conformance failures.
 */
import { bb2Endpoints } from '../lib/oauth/endpoints.js';
import { loadSuiteConfig } from '../lib/config.js';
// The base fixtures only (not ./fixtures/index.js): this worker needs no FHIR validator, and every other check waits for it.
import { requirement, severity, test } from '../fixtures/base.js';
import { TargetUnavailableError } from '../lib/reporting/target-errors.js';

// The configured versions, as the runner read them (the same .env and environment in every process).
for (const version of loadSuiteConfig().apiVersions) {
  test(
    `the target answers GET /${version}/fhir/metadata (no outage, rate limit or timeout), so its ${version} conformance can be checked`,
    { tag: ['@availability'], annotation: [requirement('BB2-DISCOVERY-METADATA-01'), severity('blocker')] },
    async ({ request, target }) => {
      // The recording request context retries 429 and 502–504 and throws TargetUnavailableError at the end.
      const metadata = bb2Endpoints(target.baseUrl, version).metadata;
      const response = await request.get(metadata, { headers: { Accept: 'application/json' }, maxRedirects: 0 });
      if (response.status() >= 500) throw new TargetUnavailableError(`GET ${metadata} answered ${response.status()}`);
    },
  );
}
