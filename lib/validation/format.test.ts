import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatViolations } from './format.js';
import type { Violation } from './violation.js';

const sequence: Violation = {
  resourceType: 'ExplanationOfBenefit',
  id: 'carrier--22639159481',
  path: 'entry[3].resource.item[0].sequence',
  ruleId: 'schema:type',
  rule: 'STU3 schema: type integer',
  requirement: 'FHIR-STU3-SCHEMA-type',
  value: -1.5,
  message: 'positiveInt must be a JSON integer, got number -1.5',
};
const missing: Violation = { resourceType: 'Bundle', path: 'type', ruleId: 'schema:required', rule: 'STU3 schema: required element', message: 'type is mandatory in Bundle (STU3 minimum cardinality 1)' };

describe('formatViolations', () => {
  it('says so when there is nothing to report', () => {
    assert.equal(formatViolations([]), 'no violations');
  });

  it('prints resource, path, rule, value and message of each violation', () => {
    assert.equal(
      formatViolations([sequence, missing]),
      [
        '2 violations:',
        '1. ExplanationOfBenefit/carrier--22639159481 at entry[3].resource.item[0].sequence',
        '   rule:  schema:type — STU3 schema: type integer [FHIR-STU3-SCHEMA-type]',
        '   value: -1.5',
        '   positiveInt must be a JSON integer, got number -1.5',
        '2. Bundle at type',
        '   rule:  schema:required — STU3 schema: required element',
        '   type is mandatory in Bundle (STU3 minimum cardinality 1)',
      ].join('\n'),
    );
  });

  it('shows values as JSON cut to about 120 characters, and the root as (root)', () => {
    const text = formatViolations([{ ...sequence, path: '', value: { text: 'x'.repeat(500) } }]);
    const valueLine = text.split('\n').find((line) => line.includes('value:')) ?? '';
    assert.ok(valueLine.startsWith('   value: {"text":"xxx'), valueLine);
    assert.ok(valueLine.endsWith('…') && valueLine.length <= '   value: '.length + 121, `${valueLine.length}`);
    assert.match(text, /^1\. ExplanationOfBenefit\/carrier--22639159481 at \(root\)$/m);
  });

  it('shows at most `max` violations and counts the rest', () => {
    const many = Array.from({ length: 14 }, (_, i) => ({ ...sequence, path: `item[${i}].sequence` }));
    const text = formatViolations(many);
    assert.match(text, /^14 violations:/);
    assert.match(text, /^10\. .* at item\[9\]\.sequence$/m);
    assert.doesNotMatch(text, /item\[10\]/);
    assert.match(text, /… and 4 more$/);
    assert.match(formatViolations(many, 3), /… and 11 more$/);
  });

  it('names notes as notes', () => {
    assert.equal(formatViolations([], 10, 'note'), 'no notes');
    assert.match(formatViolations([{ ...missing, severity: 'warning' }], 10, 'note'), /^1 note:\n1\. Bundle at type/);
  });
});
