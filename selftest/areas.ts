/**
 * Which spec files the self-test runs for a fault: each fault mode has an area (sandbox/src/faults/
 * catalog.ts), and each area the Playwright tags of the checks that may notice it. The area only
 * chooses what runs; whether a failure counts as catching the fault is decided by the requirements the
 * failed check cites (selftest/judge.ts).
 */
import type { FaultArea } from '../lib/embedded-sandbox.js';
import type { Check } from '../lib/requirements/checks.js';

/** Tags as the JSON reporter writes them, without "@"; `any` runs the whole suite. */
export const AREA_TAGS: Readonly<Record<FaultArea, readonly string[] | 'any'>> = {
  // The test client's checks run the whole authorization flow with BB2's own client.
  oauth: ['oauth', 'testclient'],
  access: ['security', 'fhir', 'oauth'],
  resources: ['fhir', 'testclient', 'discovery'],
  paging: ['fhir'],
  http: 'any',
};

export function isInArea(check: Pick<Check, 'tags'>, area: FaultArea): boolean {
  const tags = AREA_TAGS[area];
  return tags === 'any' || check.tags.some((tag) => tags.includes(tag));
}

/**
 * The spec files to run for a fault area: every file with at least one check tagged for the area,
 * whole, because a check of a serial group needs the checks before it even when they carry other tags
 * (a `--grep` on the tags would break such groups). Undefined means the whole suite.
 */
export function filesForArea(listing: readonly Check[], area: FaultArea): string[] | undefined {
  if (AREA_TAGS[area] === 'any') return undefined;
  return [...new Set(listing.filter((check) => isInArea(check, area)).map((check) => check.file))].sort();
}

export function describeAreaTags(area: FaultArea): string {
  const tags = AREA_TAGS[area];
  return tags === 'any' ? 'any' : tags.map((tag) => `@${tag}`).join(', ');
}
