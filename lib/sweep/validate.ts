/**
 * The sweep's one door to the suite's validators: every response body the sweep checks goes through
 * `validateBody`, and nothing else in lib/sweep imports lib/validation. When the validation engine that
 * also evaluates FHIRPath invariants replaces validateStu3 + checkBb2Rules (each Violation then carrying
 * a machine rule id and its catalogue requirement), this file is the only one to change.
 */
import { checkBb2Rules } from '../validation/bb2-rules.js';
import { validateStu3 } from '../validation/stu3.js';
import type { Violation } from '../validation/violation.js';

export type ApiVersion = 'v1' | 'v2';

export interface SweepViolation {
  /** What the sweep aggregates by: the validator's rule ("STU3 schema: code in required value set"). */
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

function normalise(violation: Violation): SweepViolation {
  return {
    rule: violation.rule,
    requirement: violation.requirement,
    severity: violation.severity ?? 'error',
    resourceType: violation.resourceType,
    id: violation.id,
    path: violation.path,
    ...('value' in violation ? { value: violation.value } : {}),
    message: violation.message,
  };
}

/**
 * Every violation in one response body (a resource or a searchset Bundle, entry by entry): FHIR STU3
 * (schema) and BB2's own rules with the token's patient as the only bene id allowed. The synthetic
 * population has negative (synthetic) bene ids only.
 */
export function validateBody(body: unknown, expectedType: string, context: ValidationContext): SweepViolation[] {
  if (context.apiVersion !== 'v1') throw new Error(`the sweep validates API v1 (STU3) only; ${context.apiVersion} is not supported yet`);
  return [...validateStu3(body, expectedType), ...checkBb2Rules(body, { patientId: context.patientId, synthetic: true })].map(normalise);
}
