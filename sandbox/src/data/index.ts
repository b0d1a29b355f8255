/**
 * The embedded sandbox's synthetic FHIR data for BBUser00000..BBUser29999, in two renderings of the same
 * records: STU3 as BB2 v1 serves it (STU3_DATA) and R4 as BB2 v2 serves it (R4_DATA). Everything
 * derives from the user number, so the same user gives byte-identical resources in any process, and a
 * user's v1 and v2 resources describe the same person, coverage and claims.
 *
 * Resources handed out are deep-frozen and shared: read them, serialise them, or copy them
 * (structuredClone) before changing anything. Writing to one throws a TypeError.
 */
import { claimCountsFor, ownerOfClaimId, planClaims, type ClaimCounts, type PlannedClaim } from './claim-plan.js';
import { CLAIM_TYPES, isClaimType, type ClaimType } from './claim-types.js';
import { buildCoverage } from './coverage.js';
import { buildEob } from './eob.js';
import { deepFreeze, isJsonObject, type JsonObject } from './json.js';
import { LeastRecentlyUsed } from './lru.js';
import { buildPatient } from './patient.js';
import { profileFor, type UserProfile } from './profile.js';
import { buildR4Coverage } from './r4/coverage.js';
import { buildR4Eob } from './r4/eob.js';
import { buildR4Patient } from './r4/patient.js';
import { COVERAGE_PARTS, type CoveragePart } from './templates.js';
import { LAST_USER_NUMBER, findUserByPatientId, syntheticUser, type SyntheticUser } from './users.js';

export type { SyntheticUser } from './users.js';
export { findUserByUsername, findUserByPatientId, verifyPassword, syntheticUser } from './users.js';
export { CLAIM_TYPES, type ClaimType, type ClaimCounts };

/** A FHIR resource as plain JSON. */
export type FhirResource = Readonly<JsonObject> & { readonly resourceType: string; readonly id: string };
export type Patient = FhirResource & { readonly resourceType: 'Patient' };
export type Coverage = FhirResource & { readonly resourceType: 'Coverage' };
export type ExplanationOfBenefit = FhirResource & { readonly resourceType: 'ExplanationOfBenefit' };

/** A resource found by id, with the beneficiary it belongs to. */
export interface Owned<T> {
  readonly user: SyntheticUser;
  readonly resource: T;
}

/** One FHIR version's rendering of the synthetic data: what the API of that version serves. */
export interface FhirData {
  readonly fhirVersion: 'STU3' | 'R4';
  patientFor(user: SyntheticUser): Patient;
  /** The user's four Coverage resources, part-a, part-b, part-c, part-d. */
  coveragesFor(user: SyntheticUser): Coverage[];
  /** All of the user's EOBs in BFD search order (claim id as a string, then claim type). */
  eobsFor(user: SyntheticUser): ExplanationOfBenefit[];
  /** A Coverage by id (`part-a-<patientId>` ...), with its owner; undefined for anything else. */
  findCoverage(id: string): Owned<Coverage> | undefined;
  /**
   * An EOB by id (`carrier--3042170215` ...), with its owner; undefined for ids that are not ours. The
   * owner is read from the claim id, and only that one claim is built unless the user's EOBs are cached.
   */
  findEob(id: string): Owned<ExplanationOfBenefit> | undefined;
}

/** How one FHIR version renders the records. */
interface Renderer {
  patient(user: SyntheticUser, profile: UserProfile, plan: readonly PlannedClaim[]): JsonObject;
  coverage(user: SyntheticUser, profile: UserProfile, part: CoveragePart): JsonObject;
  eob(user: SyntheticUser, profile: UserProfile, claim: PlannedClaim): JsonObject;
}

/** One version's resources of one user, built on first use. */
interface Rendered {
  patient?: Patient;
  coverages?: readonly Coverage[];
  eobs?: readonly ExplanationOfBenefit[];
  eobsById?: ReadonlyMap<string, ExplanationOfBenefit>;
}

interface CachedUser {
  readonly user: SyntheticUser;
  readonly profile: UserProfile;
  readonly plan: readonly PlannedClaim[];
  readonly stu3: Rendered;
  readonly r4: Rendered;
}

/**
 * Up to 64 users, and at most 6,000 cached EOBs in all, both versions counted (an EOB takes about 25 KB
 * of heap, so about 150 MB), so that a paging walk through a 400-claim user builds its EOBs once, without
 * a few such users filling the memory.
 */
const MAX_CACHED_USERS = 64;
const MAX_CACHED_EOBS = 6_000;
const cache = new LeastRecentlyUsed<number, CachedUser>(MAX_CACHED_USERS, MAX_CACHED_EOBS, (entry) => (entry.stu3.eobs?.length ?? 0) + (entry.r4.eobs?.length ?? 0));

function cached(user: SyntheticUser): CachedUser {
  let entry = cache.get(user.number);
  if (!entry) {
    const profile = profileFor(user);
    entry = { user, profile, plan: planClaims(user.number, profile), stu3: {}, r4: {} };
    cache.set(user.number, entry);
  }
  return entry;
}

function asResource<T extends FhirResource>(json: JsonObject, resourceType: T['resourceType']): T {
  if (json.resourceType !== resourceType || typeof json.id !== 'string') throw new TypeError(`generated ${String(json.resourceType)} where ${resourceType} was expected`);
  return deepFreeze(json) as T;
}

function fhirData(fhirVersion: FhirData['fhirVersion'], slot: 'stu3' | 'r4', render: Renderer): FhirData {
  const patientFor = (user: SyntheticUser): Patient => {
    const entry = cached(user);
    entry[slot].patient ??= asResource<Patient>(render.patient(user, entry.profile, entry.plan), 'Patient');
    return entry[slot].patient;
  };
  const coveragesFor = (user: SyntheticUser): Coverage[] => {
    const entry = cached(user);
    entry[slot].coverages ??= COVERAGE_PARTS.map((part) => asResource<Coverage>(render.coverage(user, entry.profile, part), 'Coverage'));
    return [...entry[slot].coverages];
  };
  const eobsFor = (user: SyntheticUser): ExplanationOfBenefit[] => {
    const entry = cached(user);
    const rendered = entry[slot];
    if (!rendered.eobs) {
      const eobs = entry.plan.map((claim) => asResource<ExplanationOfBenefit>(render.eob(user, entry.profile, claim), 'ExplanationOfBenefit'));
      rendered.eobs = eobs;
      rendered.eobsById = new Map(eobs.map((eob) => [eob.id, eob]));
      cache.resized(user.number);
    }
    return [...rendered.eobs];
  };
  const findCoverage = (id: string): Owned<Coverage> | undefined => {
    const match = /^(part-[abcd])-(-?\d+)$/.exec(id);
    if (!match) return undefined;
    const user = findUserByPatientId(match[2] ?? '');
    if (!user) return undefined;
    const entry = cached(user);
    const part = match[1] as CoveragePart;
    const resource = entry[slot].coverages?.[COVERAGE_PARTS.indexOf(part)] ?? asResource<Coverage>(render.coverage(user, entry.profile, part), 'Coverage');
    return { user, resource };
  };
  const findEob = (id: string): Owned<ExplanationOfBenefit> | undefined => {
    const match = /^([a-z]+)-(-\d+)$/.exec(id);
    const type = match?.[1] ?? '';
    const claimId = match?.[2] ?? '';
    if (!isClaimType(type)) return undefined;
    const owner = ownerOfClaimId(claimId);
    if (owner === undefined) return undefined;
    const user = syntheticUser(owner);
    const entry = cached(user);
    const byId = entry[slot].eobsById;
    if (byId) {
      const resource = byId.get(id);
      return resource ? { user, resource } : undefined;
    }
    const claim = entry.plan.find((candidate) => candidate.claimId === claimId && candidate.type === type);
    if (!claim) return undefined;
    return { user, resource: asResource<ExplanationOfBenefit>(render.eob(user, entry.profile, claim), 'ExplanationOfBenefit') };
  };
  return { fhirVersion, patientFor, coveragesFor, eobsFor, findCoverage, findEob };
}

/** The STU3 resources BB2 v1 serves. */
export const STU3_DATA: FhirData = fhirData('STU3', 'stu3', { patient: buildPatient, coverage: buildCoverage, eob: buildEob });
/** The R4 resources BB2 v2 serves: the same records rendered with BFD's v2 shapes and C4BB profiles. */
export const R4_DATA: FhirData = fhirData('R4', 'r4', { patient: buildR4Patient, coverage: buildR4Coverage, eob: buildR4Eob });

export const { patientFor, coveragesFor, eobsFor, findCoverage, findEob } = STU3_DATA;

/** How many claims of each type the user has, without building any EOB. */
export function claimCountsForUser(user: SyntheticUser): ClaimCounts {
  return claimCountsFor(user.number, cached(user).profile);
}

/** The EOB's service dates (billablePeriod), for `service-date` searches. */
export function eobServiceDates(eob: ExplanationOfBenefit): { start: string; end: string } {
  const period = eob.billablePeriod;
  if (isJsonObject(period) && typeof period.start === 'string' && typeof period.end === 'string') return { start: period.start, end: period.end };
  throw new TypeError(`ExplanationOfBenefit ${eob.id} has no billablePeriod start and end`);
}

/** The claim type of an EOB, from its id. */
export function eobClaimType(eob: ExplanationOfBenefit): ClaimType {
  const type = eob.id.slice(0, eob.id.indexOf('-'));
  if (!isClaimType(type)) throw new TypeError(`ExplanationOfBenefit ${eob.id} has no claim type in its id`);
  return type;
}

let allTypesUsers: number[] | undefined;

/**
 * A few users who have all 8 claim types: BBUser29999 (fixed split, 146 claims) and the first four drawn
 * users from BBUser10001 upwards whose counts include every type.
 */
export function usersWithAllClaimTypes(): number[] {
  if (!allTypesUsers) {
    const found = [29_999];
    for (let number = 10_001; number < LAST_USER_NUMBER && found.length < 5; number += 1) {
      const counts = claimCountsFor(number, profileFor(syntheticUser(number)));
      if (CLAIM_TYPES.every((type) => counts[type] > 0)) found.push(number);
    }
    allTypesUsers = found.sort((a, b) => a - b);
  }
  return [...allTypesUsers];
}
