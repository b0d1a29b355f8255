/**
 * One validator, one verdict: a response body checked against everything the suite knows (the
 * release's FHIR rules — schema, invariants, JSON rules, required bindings —, for R4 the C4BB and US
 * Core profiles BB2 v2 serves, and BB2's own rules of the API version the release belongs to), giving
 * one list of violations that fail the check and one list of notes (warnings, and the known BB2
 * deviations of schemas/fhir-<release>/known-deviations.json and schemas/bb2-v2-profiles.json) that
 * never do.
 */
import type { ApiVersion } from '../api-version.js';
import { checkBb2Rules, type Bb2RuleContext } from './bb2-rules.js';
import { createFhirEngine, type FhirEngine } from './fhir/engine.js';
import { RELEASES, type ReleaseName } from './fhir/release.js';
import { currentDeviationsOnly, loadKnownDeviations, separateKnownDeviations } from './known-deviations.js';
import { getSchemaValidator } from './fhir/schema.js';
import { validateBb2V2Profiles, type DeviationMode } from './profiles/bb2-v2.js';
import type { Violation } from './violation.js';

export interface Verdict {
  /** What breaks a rule: the check fails on any. */
  readonly violations: readonly Violation[];
  /** Warnings and known BB2 deviations: reported on the check, never a failure. */
  readonly notes: readonly Violation[];
}

export interface ValidationOptions {
  /** Default 'stu3' (BB2 v1). */
  readonly release?: ReleaseName;
  /** The resourceType the body must have (a read's type, 'Bundle' for a search). */
  readonly expectedType?: string;
  /** Check the release's FHIR rules; default true. */
  readonly fhir?: boolean;
  /** With the FHIR rules, check the release's profiles (R4: the C4BB and US Core profiles BB2 v2 claims); default true. */
  readonly profiles?: boolean;
  /** Check BB2's rules (schemas/bb2-rules.json) for this context; not checked when absent. */
  readonly bb2?: Bb2RuleContext;
  /** Report known BB2 deviations as notes (default) or, with false, as violations. */
  readonly knownDeviations?: boolean;
  /**
   * R4: which of BB2's known v2 deviations (schemas/bb2-v2-profiles.json, and those of
   * schemas/fhir-r4/known-deviations.json marked `seenIn: "2021"`) are notes: 'current' (today's BFD
   * only) or 'all' (also the 2020-2021 shapes); default 'all'. `knownDeviations: false` makes it 'none'.
   */
  readonly v2ProfileDeviations?: Exclude<DeviationMode, 'none'>;
}

/** How an API version's responses are validated: its release and, for v2, the profile deviations allowed as notes. */
export type FhirValidation = Pick<ValidationOptions, 'release' | 'v2ProfileDeviations'>;

/** The API version whose BB2 rules apply to a release's responses: v1 serves STU3, v2 serves R4. */
const API_VERSION_OF: Readonly<Record<ReleaseName, ApiVersion>> = { stu3: 'v1', r4: 'v2' };

const engines = new Map<ReleaseName, FhirEngine>();

/** The release's engine, built on first use (a schema compiles in about a second). */
export function fhirEngine(release: ReleaseName = 'stu3'): FhirEngine {
  let engine = engines.get(release);
  if (!engine) {
    const schema = getSchemaValidator(RELEASES[release]);
    engine = createFhirEngine(RELEASES[release], (document, expectedType) => schema.validate(document, expectedType));
    engines.set(release, engine);
  }
  return engine;
}

/**
 * Profile validation joins the verdict here, per release. STU3 (BB2 v1) claims no profile. R4 (BB2 v2):
 * every resource against the C4BB 1.1.0 / US Core 3.1.1 profile BB2 serves for it and those it claims,
 * and whether it claims BB2's profile (BB2-FHIR-V2PROFILE-01), with BB2's known profile deviations as
 * notes (lib/validation/profiles/bb2-v2.ts).
 */
const PROFILE_CHECKS: Readonly<Record<ReleaseName, ReadonlyArray<(body: unknown, deviations: DeviationMode) => Violation[]>>> = {
  stu3: [],
  r4: [(body, deviations) => validateBb2V2Profiles(body, { deviations })],
};

/** The verdict on one response body (a resource, or a Bundle with its entries). */
export function validateResource(body: unknown, options: ValidationOptions = {}): Verdict {
  const release = options.release ?? 'stu3';
  const found: Violation[] = [];
  if (options.fhir ?? true) {
    found.push(...fhirEngine(release).validate(body, options.expectedType));
    const deviations: DeviationMode = options.knownDeviations === false ? 'none' : (options.v2ProfileDeviations ?? 'all');
    if (options.profiles ?? true) for (const check of PROFILE_CHECKS[release]) found.push(...check(body, deviations));
  }
  if (options.bb2) found.push(...checkBb2Rules(body, options.bb2, API_VERSION_OF[release]));
  if (options.knownDeviations === false) {
    return { violations: found.filter((violation) => violation.severity !== 'warning'), notes: found.filter((violation) => violation.severity === 'warning') };
  }
  // The release's deviations follow the same choice as the profile ones: against a server that serves
  // today's shapes ('current'), an EOB without outcome fails even if BB2's 2020 fixtures lacked it.
  const known = loadKnownDeviations(RELEASES[release]);
  return separateKnownDeviations(body, found, options.v2ProfileDeviations === 'current' ? currentDeviationsOnly(known) : known);
}

/**
 * The FHIR STU3 violations of one body: schema, invariants, JSON rules, required bindings (notes
 * left out). [] when valid. Throws only when `expectedType` is not an STU3 resource type (a bug in the caller).
 */
export function validateStu3(body: unknown, expectedType?: string): Violation[] {
  return [...validateResource(body, { expectedType }).violations];
}
