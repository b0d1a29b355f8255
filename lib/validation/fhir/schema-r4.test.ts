/**
 * The vendored R4 JSON schema (schemas/fhir-r4/fhir.schema.json): each in-memory patch closes a gap
 * measured in that file: without it a bad input passes (or a valid one fails, or a check hangs).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copy, loadSample } from '../testdata/samples.js';
import type { Violation } from '../violation.js';
import { R4 } from './release.js';
import { createSchemaValidator, getSchemaValidator, SCHEMA_PATCHES, type SchemaPatch } from './schema.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke into sample JSON freely

const patient = (): Json => copy(loadSample('bfd-endpoint-responses-v2', 'patientRead.json')) as Json;
const eob = (): Json => copy(loadSample('bfd-endpoint-responses-v2', 'eobReadCarrier.json')) as Json;
const summary = (violations: readonly Violation[]) => violations.map((v) => `${v.path} | ${v.rule} | ${v.message}`).join('\n');
const without = (patch: SchemaPatch) => createSchemaValidator(R4, { patches: SCHEMA_PATCHES.r4.filter((p) => p !== patch) });
const full = () => getSchemaValidator(R4);

describe('the R4 schema patches, each needed', () => {
  it('the real R4 samples pass the patched schema', () => {
    for (const name of ['patientRead.json', 'coverageRead.json', 'eobReadCarrier.json', 'eobReadPde.json', 'eobByPatientIdPaged.json', 'metadata.json']) {
      const violations = full().validate(loadSample('bfd-endpoint-responses-v2', name));
      assert.deepEqual(violations, [], `${name}\n${summary(violations)}`);
    }
  });

  it('useResourceTypeDiscriminator: one bad entry is one violation, not oneOf noise over 146 types', () => {
    const bundle = copy(loadSample('bfd-endpoint-responses-v2', 'patientSearchById.json')) as Json;
    bundle.entry[0].resource.gender = 'F';
    assert.ok(without('useResourceTypeDiscriminator').validate(bundle).length > 10);
    assert.deepEqual(full().validate(bundle).map((v) => v.path), ['entry[0].resource.gender']);
  });

  it('integersAsBoundedIntegers: a fractional or out-of-range positiveInt', () => {
    const e = eob();
    e.item[0].sequence = 1.5;
    assert.ok(!without('integersAsBoundedIntegers').validate(e).some((v) => v.path === 'item[0].sequence'));
    assert.deepEqual(full().validate(e).map((v) => `${v.path} ${v.rule}`), ['item[0].sequence R4 schema: type integer']);
  });

  it('requireCalendarDates: an impossible day', () => {
    const p = patient();
    p.birthDate = '1999-02-30';
    assert.deepEqual(without('requireCalendarDates').validate(p), []);
    assert.deepEqual(full().validate(p).map((v) => `${v.path} ${v.rule}`), ['birthDate R4 schema: date format']);
  });

  it('allowNullPlaceholdersInPrimitiveArrays: an aligned null is accepted, the real mistake still reported', () => {
    const p = patient();
    p.name[0].given = [null, 7];
    p.name[0]._given = [{ extension: [{ url: 'https://example.org/x', valueString: 'y' }] }, null];
    assert.ok(without('allowNullPlaceholdersInPrimitiveArrays').validate(p).some((v) => v.path === 'name[0].given[0]'));
    assert.deepEqual(full().validate(p).map((v) => `${v.path} ${v.rule}`), ['name[0].given[1] R4 schema: type string']);
  });

  it('acceptFhirVersion401: the file is 4.0.0\'s, whose FHIRVersion list stops before 4.0.1 (what BFD declares)', () => {
    const metadata = copy(loadSample('bfd-endpoint-responses-v2', 'metadata.json')) as Json;
    assert.equal(metadata.fhirVersion, '4.0.1');
    assert.ok(without('acceptFhirVersion401').validate(metadata).some((v) => v.path === 'fhirVersion'));
    metadata.fhirVersion = '4.0.2';
    assert.deepEqual(full().validate(metadata).map((v) => v.path), ['fhirVersion']);
  });

  it('linearBase64Pattern: the same strings match, without exponential backtracking', () => {
    // The file gives the pattern only to inline copies (Extension.valueBase64Binary …), not to base64Binary itself.
    const attachment = (data: string): Json => ({ resourceType: 'Patient', extension: [{ url: 'https://example.org/x', valueBase64Binary: data }] });
    const slowInput = `${'AAAA '.repeat(16)}!`;
    let started = performance.now();
    assert.equal(without('linearBase64Pattern').validate(attachment(slowInput)).length, 1);
    const slowMs = performance.now() - started;
    started = performance.now();
    assert.equal(full().validate(attachment(slowInput)).length, 1);
    const fastMs = performance.now() - started;
    console.log(`base64 with 16 spaced groups and one bad character: ${slowMs.toFixed(0)} ms with the file's pattern, ${fastMs.toFixed(1)} ms patched`);
    assert.ok(slowMs > 20 * fastMs, `${slowMs} vs ${fastMs}`);
    const original = without('linearBase64Pattern');
    for (const data of ['AAAA', 'AAAA BBBB', ' AAAA', 'AAAA ', 'AAA', 'AAAAA', 'AA AA', 'AAAA\nBBBB', 'A=AA', '!!!!', 'AAAA  BBBB ', 'aGk=']) {
      assert.equal(full().validate(attachment(data)).length, original.validate(attachment(data)).length, JSON.stringify(data));
    }
  });
});
