/**
 * Which claims a user has: how many of each type, their ids, service dates and line counts. This is the
 * cheap part of the data (no FHIR resources), so counts, ownership checks and orderings never need the
 * full EOBs.
 *
 * Counts:
 * - BBUser00000..BBUser10000: the real per-user carrier/inpatient counts and line counts from the CMS
 *   site's synthetic-user CSV (templates/claim-counts.csv). That data set has no other claim types.
 * - BBUser29999 (-20140000010000): 146 claims, the total the real sandbox reports for this user
 *   (bb2-r4-samples/sandbox-bbuser29999); the split over the 8 types is ours, every type present.
 * - BBUser28324 (-20140000008325, BB2's default sample beneficiary): 25 carrier, 5 pde, 2 inpatient and
 *   6 outpatient, the counts BB2's integration tests expect for it (apps/integration_tests/integration_test_fhir_resources.py).
 * - Everyone else (BBUser10001..29998): drawn with a long tail: about 4% have no claims, most have
 *   5-60, about 1.5% have 200-400 so that paging has real depth.
 *
 * Claim ids are negative 10-digit numbers "-" + L + UUUUU + SSSS: L a per-user leading digit, UUUUU the
 * user number and SSSS a random suffix, distinct within the user. The owner of any EOB id is therefore
 * readable from the id itself, without searching.
 */
import { FIRST_SERVICE_DAY, LAST_DATA_DAY } from './calendar.js';
import { CLAIM_TYPES, type ClaimType } from './claim-types.js';
import type { UserProfile } from './profile.js';
import { SeededRandom } from './random.js';
import { eobTemplateDates, publishedClaimCounts } from './templates.js';
import { LAST_USER_NUMBER } from './users.js';

export type ClaimCounts = Readonly<Record<ClaimType, number>>;

export interface PlannedClaim {
  readonly type: ClaimType;
  /** Negative claim id, e.g. "-3042170215"; the EOB id is `${type}-${claimId}`. */
  readonly claimId: string;
  /** Position in generation order; keys the claim's own random stream. */
  readonly ordinal: number;
  readonly startDay: number;
  readonly endDay: number;
  /** meta.lastUpdated: on or after every date in the claim, never after LAST_DATA_DAY. */
  readonly lastUpdatedDay: number;
  readonly lastUpdatedMillisecond: number;
  /** Number of EOB items (claim lines). */
  readonly lineCount: number;
}

const PINNED_COUNTS: ReadonlyMap<number, ClaimCounts> = new Map([
  [29_999, { carrier: 58, dme: 7, hha: 4, hospice: 3, inpatient: 6, outpatient: 16, pde: 48, snf: 4 }],
  [28_324, { carrier: 25, dme: 0, hha: 0, hospice: 0, inpatient: 2, outpatient: 6, pde: 5, snf: 0 }],
]);

const ZERO_COUNTS: ClaimCounts = { carrier: 0, dme: 0, hha: 0, hospice: 0, inpatient: 0, outpatient: 0, pde: 0, snf: 0 };

/** Relative frequency of each claim type for drawn users, before per-user variation. */
const TYPE_WEIGHTS: ClaimCounts = { carrier: 40, dme: 5, hha: 3, hospice: 2, inpatient: 5, outpatient: 12, pde: 28, snf: 3 };

function drawnTotal(random: SeededRandom): number {
  const band = random.next();
  if (band < 0.04) return 0;
  if (band < 0.12) return random.int(1, 4);
  if (band < 0.985) return 5 + Math.floor(56 * random.next() ** 1.6);
  return random.int(200, 400);
}

export function claimCountsFor(number: number, profile: UserProfile): ClaimCounts {
  const pinned = PINNED_COUNTS.get(number);
  if (pinned) return pinned;
  const published = publishedClaimCounts(number);
  if (published) return { ...ZERO_COUNTS, carrier: published.carrier, inpatient: published.inpatient };
  const random = new SeededRandom('claim-counts', number);
  const total = drawnTotal(random);
  const weights = CLAIM_TYPES.map((type) => {
    const weight = type === 'pde' && !profile.partD ? 0 : TYPE_WEIGHTS[type] * (0.3 + 1.4 * random.next());
    return [type, weight] as const;
  });
  const counts: Record<ClaimType, number> = { ...ZERO_COUNTS };
  for (let claim = 0; claim < total; claim += 1) counts[random.weighted(weights)] += 1;
  return counts;
}

/** Days a claim covers (end - start) for each type. */
function serviceSpan(type: ClaimType, random: SeededRandom): number {
  switch (type) {
    case 'inpatient':
      return random.int(1, 14);
    case 'snf':
      return random.int(5, 45);
    case 'hospice':
      return random.int(10, 90);
    case 'hha':
      return random.chance(0.3) ? 0 : random.int(7, 59);
    case 'outpatient':
      return random.chance(0.8) ? 0 : random.int(1, 3);
    default:
      return 0;
  }
}

/** Lines per claim for drawn users (published users get their real line totals). */
const MAX_LINES: ClaimCounts = { carrier: 4, dme: 3, hha: 5, hospice: 4, inpatient: 10, outpatient: 6, pde: 1, snf: 6 };

/** Spreads `totalLines` over `claims` claims, at least one each. */
function spreadLines(claims: number, totalLines: number, random: SeededRandom): number[] {
  const lines = Array.from({ length: claims }, () => 1);
  for (let extra = totalLines - claims; extra > 0 && claims > 0; extra -= 1) {
    const index = random.int(0, claims - 1);
    lines[index] = (lines[index] ?? 1) + 1;
  }
  return lines;
}

function lineCounts(number: number, type: ClaimType, claims: number, random: SeededRandom): number[] {
  const published = PINNED_COUNTS.has(number) ? undefined : publishedClaimCounts(number);
  if (published && type === 'carrier') return spreadLines(claims, published.carrierLines, random);
  if (published && type === 'inpatient') return spreadLines(claims, published.inpatientLines, random);
  return Array.from({ length: claims }, () => 1 + Math.floor(random.next() ** 2 * MAX_LINES[type]));
}

/**
 * The leading digit of the user's claim ids, and a draw of distinct 4-digit claim suffixes (random, so
 * that BFD's id order mixes the claim types the way real ids do).
 */
function claimIdParts(number: number, claims = 0): { lead: number; suffixes: string[] } {
  const random = new SeededRandom('claim-id', number);
  const lead = random.int(1, 9);
  const used = new Set<number>();
  while (used.size < Math.min(claims, 10_000)) used.add(random.int(0, 9_999));
  return { lead, suffixes: [...used].map((suffix) => String(suffix).padStart(4, '0')) };
}

/** The user number a claim id belongs to, or undefined when it cannot be one of ours. */
export function ownerOfClaimId(claimId: string): number | undefined {
  const match = /^-([1-9])(\d{5})(\d{4})$/.exec(claimId);
  if (!match) return undefined;
  const number = Number(match[2]);
  if (number > LAST_USER_NUMBER || claimIdParts(number).lead !== Number(match[1])) return undefined;
  return number;
}

/** BFD's search order (BB2-FHIR-PAGING-05): claim id compared as a string, then claim type. */
export function compareBfdOrder(a: { claimId: string; type: string }, b: { claimId: string; type: string }): number {
  if (a.claimId !== b.claimId) return a.claimId < b.claimId ? -1 : 1;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  return 0;
}

export function planClaims(number: number, profile: UserProfile): PlannedClaim[] {
  const counts = claimCountsFor(number, profile);
  const { lead, suffixes } = claimIdParts(number, CLAIM_TYPES.reduce((total, type) => total + counts[type], 0));
  const linesRandom = new SeededRandom('claim-lines', number);
  const planned: PlannedClaim[] = [];
  let ordinal = 0;
  for (const type of CLAIM_TYPES) {
    const lines = lineCounts(number, type, counts[type], linesRandom);
    const { daysAfterEnd } = eobTemplateDates(type);
    for (const lineCount of lines) {
      const random = new SeededRandom('claim', number, ordinal);
      const span = serviceSpan(type, random);
      // Leave room after the claim for its processing dates and a lastUpdated up to 30 days later.
      const latestStart = LAST_DATA_DAY - span - daysAfterEnd - 30;
      const earliestStart = Math.min(Math.max(FIRST_SERVICE_DAY, profile.entitlementDay), latestStart);
      const startDay = random.int(earliestStart, latestStart);
      const endDay = startDay + span;
      planned.push({
        type,
        claimId: `-${lead}${String(number).padStart(5, '0')}${suffixes[ordinal] ?? ''}`,
        ordinal,
        startDay,
        endDay,
        lastUpdatedDay: endDay + daysAfterEnd + random.int(1, 30),
        lastUpdatedMillisecond: random.int(0, 86_399_999),
        lineCount,
      });
      ordinal += 1;
    }
  }
  return planned.sort(compareBfdOrder);
}
