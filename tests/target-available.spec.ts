/**
 * Whether the target can be checked at all: it must answer the public FHIR metadata endpoint of the API
 * version (no answer, 5xx or 429 after the retries, honouring Retry-After, is an outage). When it does
 * not, this check fails as "target unavailable: …" and every other check of the version is skipped,
 * naming it (fixtures/base.ts `skipWhenTargetUnavailable`), so an outage reads as one finding about the
 * target's state in every report, not as a hundred conformance failures.
 */
import { API_VERSIONS } from '../lib/api-version.js';
import { AVAILABILITY_TAG, requirement, requireMetadataAnswer, severity, test, versionTag } from '../fixtures/index.js';

for (const version of API_VERSIONS) {
  test(
    `the target answers GET /${version}/fhir/metadata (no outage, rate limit or timeout), so its ${version} conformance can be checked`,
    { tag: [AVAILABILITY_TAG, versionTag(version)], annotation: [requirement('BB2-DISCOVERY-METADATA-01'), severity('blocker')] },
    async ({ request, target }) => {
      await requireMetadataAnswer(request, target);
    },
  );
}
