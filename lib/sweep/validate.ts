/**
 * The sweep's one door to the suite's validators: every response body the sweep checks goes through
 * `validateBody`, and nothing else in lib/sweep imports lib/validation. It asks for the suite's one
 * verdict (lib/validation/validate.ts: schema, invariants, JSON rules, bindings, for v2 the C4BB
 * profiles, and BB2's rules of the API version), the same the suite's checks use, whose violations
 * carry a machine rule id and their catalogue requirement.
 */
import { apiVersionSpec, type ApiVersion } from '../api-version.js';
import type { V2KnownDeviations } from '../config.js';
import { validateResource } from '../validation/validate.js';
import type { Violation } from '../validation/violation.js';

export type { ApiVersion } from '../api-version.js';

export interface SweepViolation {
  /** What the sweep aggregates by: the validator's machine rule id ("fhir:per-1", "binding:Coverage.status"). */
  readonly rule: string;
  /** The catalogue id of the requirement broken, when the validator names one. */
  readonly requirement: string | undefined;
  /** Warnings are kept as notes; only errors make a user's status "violations". */
  readonly severity: 'error' | 'warning';
  readonly resourceType: string;
  readonly id: string | undefined;
  /** JSON path inside the validated body ("entry[3].resource.status"). */
  readonly path: string;
  readonly value?: unknown;
  readonly message: string;
}

export interface ValidationContext {
  readonly apiVersion: ApiVersion;
  /** The token's patient: every bene id in the data must be it. */
  readonly patientId: string;
  /** v2: which known BB2 profile deviations are notes (lib/config.ts `v2DeviationsFor`); default 'current'. */
  readonly v2KnownDeviations?: V2KnownDeviations;
}

function normalise(violation: Violation, severity: 'error' | 'warning'): SweepViolation {
  return {
    rule: violation.ruleId,
    requirement: violation.requirement,
    severity,
    resourceType: violation.resourceType,
    id: violation.id,
    path: violation.path,
    ...('value' in violation ? { value: violation.value } : {}),
    message: violation.message,
  };
}

/**
 * Every violation in one response body (a resource or a searchset Bundle, entry by entry) of an API
 * version: its FHIR release's rules (v2: with the C4BB profiles) and BB2's own, with the token's patient as the only bene id allowed (the synthetic
 * population has negative, synthetic, bene ids only); the verdict's notes (warnings, known BB2
 * deviations) come back as warnings.
 */
export function validateBody(body: unknown, expectedType: string, context: ValidationContext): SweepViolation[] {
  const { release } = apiVersionSpec(context.apiVersion);
  const verdict = validateResource(body, { release, v2ProfileDeviations: context.v2KnownDeviations ?? 'current', expectedType, bb2: { patientId: context.patientId, synthetic: true } });
  return [...verdict.violations.map((violation) => normalise(violation, 'error')), ...verdict.notes.map((note) => normalise(note, 'warning'))];
}
