/**
 * The four R4 Coverage resources (part-a..part-d) as BB2 v2 serves them, built on BFD's v2 Coverage
 * search (templates/r4/coverage-part-*.json): C4BB-Coverage profile, the same enrollment extensions and
 * values as the user's v1 Coverage, the MBI as subscriberId, relationship "self", CMS as payor and the
 * C4BB classes (group "Medicare", plan "Part A".."Part D").
 *
 * Period: Part A and B start at the Medicare entitlement, as in v1; C and D have none. That is what
 * the real sandbox's v2 Coverage shows (bb2-r4-samples/sandbox-bbuser29999); BFD's golden file has
 * end dates and a Part D period from enrollment fields the synthetic data does not have.
 */
import { instant, isoDate } from '../calendar.js';
import { coverageStatus, setEnrollmentExtensions } from '../coverage.js';
import { child, type JsonObject } from '../json.js';
import type { UserProfile } from '../profile.js';
import { COVERAGE_PARTS, type CoveragePart } from '../templates.js';
import type { SyntheticUser } from '../users.js';
import { r4CoverageTemplate } from './templates.js';

export function buildR4Coverage(user: SyntheticUser, profile: UserProfile, part: CoveragePart): JsonObject {
  const coverage = r4CoverageTemplate(part);
  coverage.id = `${part}-${user.patientId}`;
  child(coverage, 'meta').lastUpdated = instant(profile.recordDay, profile.recordMillisecond);
  setEnrollmentExtensions(coverage, profile);
  coverage.status = coverageStatus(part, profile);
  coverage.subscriberId = user.mbi;
  child(coverage, 'beneficiary').reference = `Patient/${user.patientId}`;
  if (part === 'part-a' || part === 'part-b') coverage.period = { start: isoDate(profile.entitlementDay) };
  else delete coverage.period;
  return coverage;
}

export function buildR4Coverages(user: SyntheticUser, profile: UserProfile): JsonObject[] {
  return COVERAGE_PARTS.map((part) => buildR4Coverage(user, profile, part));
}
