/**
 * The four STU3 Coverage resources (part-a..part-d) as BB2 v1 serves them, built on BFD's v1 Coverage
 * search (templates/coverage-part-*.json): same extensions in the same order, with the values set from
 * the user's profile. Code/display pairs are ones the CMS samples show (plus buy-in "3", the CCW
 * code for Part A and B without state buy-in); where a sample shows a code without display, so do we.
 */
import { instant, isoDate } from './calendar.js';
import { VARIABLES } from './code-systems.js';
import { children, child, setCoding, type JsonObject } from './json.js';
import { dualStatus } from './patient.js';
import type { UserProfile } from './profile.js';
import { COVERAGE_PARTS, coverageTemplate, type CoveragePart } from './templates.js';
import type { SyntheticUser } from './users.js';

type Coding = readonly [code: string, display?: string];

const NOT_ENROLLED: Coding = ['0', 'Not Medicare enrolled for the month'];

/** The value of each (monthly) variable for this user; `variable` is the url's last segment without the month. */
function valueOf(variable: string, profile: UserProfile): Coding | undefined {
  const ma = profile.medicareAdvantage;
  const partD = profile.partD;
  switch (variable) {
    case 'ms_cd':
      return profile.disabled ? ['20', 'Disabled without ESRD'] : ['10', 'Aged without end-stage renal disease (ESRD)'];
    case 'orec':
    case 'crec':
      return profile.disabled ? ['1', 'Disability insurance benefits (DIB)'] : ['0', 'Old age and survivor’s insurance (OASI)'];
    case 'esrd_ind':
      return ['0', 'the beneficiary does not have ESRD'];
    case 'a_trm_cd':
      return profile.partATerminated ? ['9', 'Other Termination'] : ['0', 'Not Terminated'];
    case 'b_trm_cd':
      return ['0', 'Not Terminated'];
    case 'dual_':
      return dualStatus(profile);
    case 'buyin':
      return profile.dualEligible ? ['C', 'Part A and Part B state buy-in'] : ['3', 'Part A and Part B'];
    case 'ptc_cntrct_id_':
      return ma ? [ma.contract] : ['0'];
    case 'ptc_pbp_id_':
      return ma ? [ma.plan] : ['000'];
    case 'ptc_plan_type_cd_':
      return ['00'];
    case 'hmo_ind_':
      return ma ? ['1', 'Non-lock-in, CMS to process provider claims'] : ['0', 'Not a member of an HMO'];
    case 'ptdcntrct':
      return partD ? [partD.contract] : NOT_ENROLLED;
    case 'ptdpbpid':
      return partD ? [partD.plan] : ['000'];
    case 'sgmtid':
      return ['000'];
    case 'cstshr':
      if (!partD) return ['00', 'Not Medicare enrolled for the month'];
      return profile.dualEligible
        ? ['01', 'Beneficiary enrolled in Parts A and/or B, and Part D; deemed eligible for LIS with 100% premium subsidy and no copayment']
        : ['AA'];
    case 'rdsind':
      return partD?.retireeSubsidy ? ['Y', 'Employer subsidized for the retired beneficiary'] : ['N', 'No employer subsidization for the retired beneficiary'];
    default:
      return undefined;
  }
}

/** ".../ptdcntrct01" or ".../ptc_cntrct_id_01", optionally with BFD's "/2018-1" year-month suffix. */
const MONTHLY_URL = /^(.*\/)([a-z_]+?)(\d{2})(?:\/\d{4}-(\d{1,2}))?$/;

/**
 * Sets the enrollment extensions of a Coverage template from the profile, in place. BFD's v1 and v2
 * Coverage carry the same extensions in the same order (templates/coverage-*.json, r4/coverage-*.json).
 */
export function setEnrollmentExtensions(coverage: JsonObject, profile: UserProfile): void {
  for (const extension of children(coverage, 'extension')) {
    const url = String(extension.url);
    if (url === `${VARIABLES}rfrnc_yr`) {
      extension.valueDate = String(profile.referenceYear);
      continue;
    }
    const monthly = MONTHLY_URL.exec(url);
    const variable = monthly ? (monthly[2] ?? '') : url.slice(VARIABLES.length);
    const value = valueOf(variable, profile);
    if (!value) throw new TypeError(`coverage template has an extension the generator does not know: ${url}`);
    if (monthly?.[4] !== undefined) {
      // BFD repeats the Part D contract with the reference year and month in the url.
      extension.url = `${monthly[1] ?? ''}${variable}${monthly[3] ?? ''}/${profile.referenceYear}-${monthly[4]}`;
    }
    setCoding(child(extension, 'valueCoding'), value[0], value[1]);
  }
}

/** Part A ends for the few whose entitlement was terminated; every other part is active. */
export function coverageStatus(part: CoveragePart, profile: UserProfile): 'active' | 'cancelled' {
  return part === 'part-a' && profile.partATerminated ? 'cancelled' : 'active';
}

export function buildCoverage(user: SyntheticUser, profile: UserProfile, part: CoveragePart): JsonObject {
  const coverage = coverageTemplate(part);
  coverage.id = `${part}-${user.patientId}`;
  child(coverage, 'meta').lastUpdated = instant(profile.recordDay, profile.recordMillisecond);
  setEnrollmentExtensions(coverage, profile);
  coverage.status = coverageStatus(part, profile);
  child(coverage, 'beneficiary').reference = `Patient/${user.patientId}`;
  if (coverage.period !== undefined) child(coverage, 'period').start = isoDate(profile.entitlementDay);
  return coverage;
}

export function buildCoverages(user: SyntheticUser, profile: UserProfile): JsonObject[] {
  return COVERAGE_PARTS.map((part) => buildCoverage(user, profile, part));
}
