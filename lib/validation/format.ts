/**
 * Renders violations as one readable block for assertion messages and reports.
 */
import type { Violation } from './violation.js';

const MAX_VALUE_JSON = 120;

function valueText(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_VALUE_JSON ? `${json.slice(0, MAX_VALUE_JSON)}…` : json;
}

/**
 * One block: a count line, then per violation its resource, path, rule (machine id, name and the
 * catalogue requirement), offending value and message. Shows at most `max` violations and says how
 * many more there were.
 *
 *   2 violations:
 *   1. ExplanationOfBenefit/carrier--123 at entry[3].resource.item[0].sequence
 *      rule:  schema:type — STU3 schema: type integer [FHIR-STU3-SCHEMA-type]
 *      value: -1.5
 *      positiveInt must be a JSON integer, got number -1.5
 */
export function formatViolations(violations: readonly Violation[], max = 10, noun = 'violation'): string {
  if (violations.length === 0) return `no ${noun}s`;
  const limit = Number.isInteger(max) && max > 0 ? max : 10;
  const lines = [`${violations.length} ${noun}${violations.length === 1 ? '' : 's'}:`];
  violations.slice(0, limit).forEach((violation, index) => {
    const id = violation.id !== undefined && violation.id.length > 70 ? `${violation.id.slice(0, 70)}…` : violation.id;
    const resource = id === undefined ? violation.resourceType : `${violation.resourceType}/${id}`;
    const indent = ' '.repeat(String(index + 1).length + 2);
    lines.push(`${index + 1}. ${resource} at ${violation.path === '' ? '(root)' : violation.path}`);
    lines.push(`${indent}rule:  ${violation.ruleId} — ${violation.rule}${violation.requirement === undefined ? '' : ` [${violation.requirement}]`}`);
    if ('value' in violation && violation.value !== undefined) lines.push(`${indent}value: ${valueText(violation.value)}`);
    lines.push(`${indent}${violation.message}`);
  });
  if (violations.length > limit) lines.push(`… and ${violations.length - limit} more`);
  return lines.join('\n');
}
