/**
 * The STU3 (BB2 v1) schema validator: the release-generic one of fhir/schema.ts with STU3's file and
 * patches, under the names the suite has used since v1.
 */
import { STU3 } from './fhir/release.js';
import { createSchemaValidator, getSchemaValidator, SCHEMA_PATCHES, schemaPath, type SchemaPatch, type SchemaValidator, type SchemaValidatorOptions } from './fhir/schema.js';
import type { Violation } from './violation.js';

export const STU3_SCHEMA_PATH = schemaPath(STU3);
export const STU3_SCHEMA_PATCHES = SCHEMA_PATCHES.stu3;
export type Stu3SchemaPatch = SchemaPatch;
export type Stu3ValidatorOptions = SchemaValidatorOptions;
export type Stu3Validator = SchemaValidator;

export function createStu3Validator(options: Stu3ValidatorOptions = {}): Stu3Validator {
  return createSchemaValidator(STU3, options);
}

/** The fully patched STU3 validator, compiled on first use and then shared by the process. */
export function getStu3Validator(): Stu3Validator {
  return getSchemaValidator(STU3);
}

/**
 * Validates one STU3 resource (a Bundle with its entries) against the patched STU3 schema only.
 * Returns [] when valid. A Bundle entry's problem is reported with that entry's resourceType and id
 * and a path such as "entry[3].resource.item[0].sequence".
 * Throws only when `expectedType` itself is not an STU3 resource type (a bug in the caller).
 */
export function validateStu3Schema(resource: unknown, expectedType?: string): Violation[] {
  return getStu3Validator().validate(resource, expectedType);
}
