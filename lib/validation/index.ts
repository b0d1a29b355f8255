/**
 * The suite's response validators. Playwright matchers built on them are in ./matchers.js.
 */
export { checkBb2Rules, getBb2Rules, parseBb2Rules, type Bb2Rule, type Bb2RuleContext, type Bb2RulesFile } from './bb2-rules.js';
export { formatViolations } from './format.js';
export { createStu3Validator, getStu3Validator, validateStu3Schema, STU3_SCHEMA_PATCHES, type Stu3SchemaPatch, type Stu3Validator, type Stu3ValidatorOptions } from './stu3.js';
export { fhirEngine, validateResource, validateStu3, type ValidationOptions, type Verdict } from './validate.js';
export type { Violation } from './violation.js';
