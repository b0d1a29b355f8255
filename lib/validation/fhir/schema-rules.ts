/**
 * The structural rules a release's JSON schema (and the minimum-cardinality check) reports, as the
 * catalogue names them: `schema:<id>`, requirement `<prefix>-SCHEMA-<id>`.
 */
import type { FhirRelease } from './release.js';

export interface SchemaRule {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  /** Page (relative to the release's specification) and the section it comes from. */
  readonly page: string;
  readonly section: string;
}

export const SCHEMA_RULES = [
  {
    id: 'type',
    title: 'Elements have their JSON type',
    text: 'Each element has the JSON type its datatype gives it: an object for a complex type or resource, an array for a repeating element, a string, number or boolean for a primitive.',
    page: 'json.html',
    section: 'JSON representation of Resources',
  },
  {
    id: 'format',
    title: 'Primitive values match their datatype',
    text: 'A primitive value matches its datatype (id, code, date, dateTime, instant, time, oid, uuid…): the whole value, a real calendar day for dates.',
    page: 'datatypes.html',
    section: 'Primitive types',
  },
  {
    id: 'range',
    title: 'Whole numbers are within their range',
    text: 'integer is a 32-bit signed whole number, positiveInt 1 or more, unsignedInt 0 or more.',
    page: 'datatypes.html',
    section: 'Primitive types (integer, positiveInt, unsignedInt)',
  },
  {
    id: 'value-set',
    title: 'Codes in a value set the schema lists',
    text: 'A code element whose required value set the JSON schema enumerates holds one of its codes.',
    page: 'terminologies.html',
    section: 'Required bindings',
  },
  {
    id: 'required',
    title: 'Mandatory elements are present',
    text: 'Every element with a minimum cardinality of 1 or more is present (a primitive by its value or extensions, a choice by one of its types).',
    page: 'conformance-rules.html',
    section: 'Cardinality',
  },
  {
    id: 'unknown-element',
    title: 'Only elements the release defines',
    text: 'A resource or datatype holds only the elements its definition in this release lists (extensions go in extension).',
    page: 'json.html',
    section: 'JSON representation of Resources',
  },
  {
    id: 'resource-type',
    title: 'resourceType names a resource type of the release',
    text: 'resourceType is the exact name of a resource type this release defines.',
    page: 'resourcelist.html',
    section: 'Resource index',
  },
  {
    id: 'reference-target',
    title: 'A reference points at a resource of a type its element allows',
    text: 'A literal reference (Type/id, a URL ending so, or #id of a contained resource) names a resource of one of the types the element lists, e.g. ExplanationOfBenefit.patient only a Patient.',
    page: 'references.html',
    section: 'Reference(…) target types',
  },
  {
    id: 'expected-resource-type',
    title: 'A read or search returns the type asked for',
    text: 'A read of Type/id returns a resource of that Type; a search returns a Bundle.',
    page: 'http.html',
    section: 'read, search',
  },
] as const satisfies readonly SchemaRule[];

export type SchemaRuleId = (typeof SCHEMA_RULES)[number]['id'];

/** The `ruleId` and `requirement` of a violation of one of these rules. */
export function schemaRuleFields(release: FhirRelease, id: SchemaRuleId): { ruleId: string; requirement: string } {
  return { ruleId: `schema:${id}`, requirement: `${release.requirementPrefix}-SCHEMA-${id}` };
}
