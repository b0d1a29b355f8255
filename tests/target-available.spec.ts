/**
 * Whether the target can be checked at all: it must answer the public FHIR metadata endpoint of the API
 * version (no answer, 5xx or 429 after the retries, honouring Retry-After, is an outage). When it does
 * not, this check fails as "target unavailable: …" and every other check of the version is skipped,
 * naming it (fixtures/base.ts `skipWhenTargetUnavailable`), so an outage reads as one finding about the
 * target's state in every report, not as a hundred conformance failures.
 */
import { API_VERSIONS } from '../lib/api-version.js';
import { AVAILABILITY_TAG, requirement, severity, test, versionTag } from '../fixtures/index.js';
import { TargetUnavailableError } from '../lib/reporting/target-errors.js';

for (const version of API_VERSIONS) {
  test(
    `the target answers GET /${version}/fhir/metadata (no outage, rate limit or timeout), so its ${version} conformance can be checked`,
    { tag: [AVAILABILITY_TAG, versionTag(version)], annotation: [requirement('BB2-DISCOVERY-METADATA-01'), severity('blocker')] },
    async ({ request, target }) => {
      // The recording request context retries 429 and 502–504 and throws TargetUnavailableError at the end.
      const response = await request.get(target.endpoints.metadata, { headers: { Accept: 'application/json' }, maxRedirects: 0 });
      if (response.status() >= 500) throw new TargetUnavailableError(`GET ${target.endpoints.metadata} answered ${response.status()}`);
    },
  );
}
