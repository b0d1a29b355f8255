/**
 * The sweep's one door to the suite's validators: every response body the sweep checks goes through
 * `validateBody`, and nothing else in lib/sweep imports lib/validation. It asks for the suite's one
 * verdict (lib/validation/validate.ts: schema, invariants, JSON rules, bindings and BB2's rules), whose
 * violations carry a machine rule id and their catalogue requirement.
 */
import { validateResource } from '../validation/validate.js';
import type { Violation } from '../validation/violation.js';

export type ApiVersion = 'v1' | 'v2';

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
 * Every violation in one response body (a resource or a searchset Bundle, entry by entry): the FHIR
 * release's rules and BB2's own, with the token's patient as the only bene id allowed (the synthetic
 * population has negative, synthetic, bene ids only); the verdict's notes (warnings, known BB2
 * deviations) come back as warnings.
 */
export function validateBody(body: unknown, expectedType: string, context: ValidationContext): SweepViolation[] {
  if (context.apiVersion !== 'v1') throw new Error(`the sweep validates API v1 (STU3) only; ${context.apiVersion} is not supported yet`);
  const verdict = validateResource(body, { release: 'stu3', expectedType, bb2: { patientId: context.patientId, synthetic: true } });
  return [...verdict.violations.map((violation) => normalise(violation, 'error')), ...verdict.notes.map((note) => normalise(note, 'warning'))];
}
