/**
 * One validator, one verdict: a response body checked against everything the suite knows (the
 * release's FHIR rules — schema, invariants, JSON rules, required bindings — and BB2's own rules),
 * giving one list of violations that fail the check and one list of notes (warnings, and the known
 * BB2 deviations of schemas/fhir-<release>/known-deviations.json) that never do.
 */
import { checkBb2Rules, type Bb2RuleContext } from './bb2-rules.js';
import { createFhirEngine, type FhirEngine } from './fhir/engine.js';
import { RELEASES, type ReleaseName } from './fhir/release.js';
import { loadKnownDeviations, separateKnownDeviations } from './known-deviations.js';
import { getSchemaValidator } from './fhir/schema.js';
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
  /** Check BB2's rules (schemas/bb2-rules.json) for this context; not checked when absent. */
  readonly bb2?: Bb2RuleContext;
  /** Report known BB2 deviations as notes (default) or, with false, as violations. */
  readonly knownDeviations?: boolean;
}

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
 * Profile validation (C4BB, US Core; lib/validation/profiles/, each returning Violation[]) joins the
 * verdict here, per release. STU3 has none; R4's is being written alongside.
 */
const PROFILE_CHECKS: Readonly<Record<ReleaseName, ReadonlyArray<(body: unknown) => Violation[]>>> = { stu3: [], r4: [] };

/** The verdict on one response body (a resource, or a Bundle with its entries). */
export function validateResource(body: unknown, options: ValidationOptions = {}): Verdict {
  const release = options.release ?? 'stu3';
  const found: Violation[] = [];
  if (options.fhir ?? true) {
    found.push(...fhirEngine(release).validate(body, options.expectedType));
    for (const check of PROFILE_CHECKS[release]) found.push(...check(body));
  }
  if (options.bb2) found.push(...checkBb2Rules(body, options.bb2));
  if (options.knownDeviations === false) {
    return { violations: found.filter((violation) => violation.severity !== 'warning'), notes: found.filter((violation) => violation.severity === 'warning') };
  }
  return separateKnownDeviations(body, found, loadKnownDeviations(RELEASES[release]));
}

/**
 * The FHIR STU3 violations of one body: schema, invariants, JSON rules, required bindings (notes
 * left out). [] when valid. Throws only when `expectedType` is not an STU3 resource type (a bug in the caller).
 */
export function validateStu3(body: unknown, expectedType?: string): Violation[] {
  return [...validateResource(body, { expectedType }).violations];
}
