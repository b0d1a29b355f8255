/**
 * The sweep's own findings about the API, beside the validators' findings about the data: a read or
 * search of the beneficiary's own data that did not answer with a resource, a search whose pages break
 * the paging rules, and a resource served twice in one search. Each names the public rule it applies.
 */
import type { SweepViolation } from './validate.js';

export const API_RULES = {
  fetchFailed: {
    rule: 'BB2 API: a read or search of the beneficiary\'s own data fails',
    source: 'https://hl7.org/fhir/STU3/http.html#read',
    detail: 'a read answers 200 with the resource, a search 200 with a searchset Bundle',
  },
  paging: {
    rule: 'BB2 API: search paging (total, page sizes, first/next/previous/last/self links)',
    source: 'https://hl7.org/fhir/STU3/http.html#paging',
    detail: 'the links of a searchset Bundle page through the whole result; Bundle.total counts it (https://hl7.org/fhir/STU3/bundle.html#searchset)',
  },
  duplicate: {
    rule: 'BB2 API: a resource appears on two pages of one search',
    source: 'https://hl7.org/fhir/STU3/http.html#paging',
    detail: 'the pages of a search are a partition of its result',
  },
} as const;

/** The public source of one of the sweep's own rules, by its text; undefined for a validator's rule. */
export function apiRuleSource(rule: string): { readonly source: string; readonly detail: string } | undefined {
  return Object.values(API_RULES).find((candidate) => candidate.rule === rule);
}

export type ApiRule = keyof typeof API_RULES;

/** A finding of one of API_RULES, in the validators' shape so that it aggregates like them. */
export function apiFinding(kind: ApiRule, resourceType: string, message: string, path = ''): SweepViolation {
  return { rule: API_RULES[kind].rule, requirement: undefined, severity: 'error', resourceType, id: undefined, path, message };
}
