/**
 * Runs before every other check (playwright.config.ts: the `target` project, a dependency of
 * `conformance`): the target must answer its public FHIR metadata endpoint. When it does not (no answer,
 * 5xx or 429 after the retries, honouring Retry-After), this one check fails as "target unavailable: …"
 * and Playwright runs none of the others, so an outage reads as one finding about the target's state in
 * every report, not as a hundred conformance failures.
 */
import { requirement, severity, test } from '../fixtures/index.js';
import { TargetUnavailableError } from '../lib/reporting/target-errors.js';

test(
  'the target answers GET metadata (no outage, rate limit or timeout), so its conformance can be checked',
  { tag: ['@availability'], annotation: [requirement('BB2-DISCOVERY-METADATA-01'), severity('blocker')] },
  async ({ request, target }) => {
    // The recording request context retries 429 and 502–504 and throws TargetUnavailableError at the end.
    const response = await request.get(target.endpoints.metadata, { headers: { Accept: 'application/json' }, maxRedirects: 0 });
    if (response.status() >= 500) throw new TargetUnavailableError(`GET metadata answered ${response.status()}`);
  },
);
