/**
 * The JSON representation rules: each one, broken in a real sample, is one violation with its rule id,
 * path and catalogue id; the forms the rules allow pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copy, loadSample } from '../testdata/samples.js';
import { validateStu3 } from '../validate.js';
import type { Violation } from '../violation.js';
import { JSON_RULES } from './json-rules.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke into sample JSON freely

const patient = (): Json => copy(loadSample('bb2-webserver-fixtures-v1', 'patient_read_v1.json')) as Json;
const eob = (): Json => copy(loadSample('bb2-webserver-fixtures-v1', 'eob_read_carrier_v1.json')) as Json;
const coverageBundle = (): Json => copy(loadSample('bluebutton-site-legacy-samples', 'sample-coverage-entry.json')) as Json;
const summary = (violations: readonly Violation[]) => violations.map((v) => `${v.path} | ${v.ruleId} | ${v.message}`).join('\n');

/** Exactly these rule ids at these paths. */
function assertFound(violations: readonly Violation[], expected: readonly string[]): void {
  assert.deepEqual(violations.map((v) => `${v.ruleId} @ ${v.path}`).sort(), [...expected].sort(), summary(violations));
  for (const violation of violations) if (violation.ruleId.startsWith('json:')) assert.equal(violation.requirement, `FHIR-STU3-JSON-${violation.ruleId.slice(5)}`);
}

describe('JSON representation rules (json.html), each broken in a real sample', () => {
  it('no null, except as a place-holder aligning a primitive array with its extensions', () => {
    const p = patient();
    p.gender = null;
    p.name[0].given = ['Jane', null];
    p.identifier[1] = null;
    assertFound(validateStu3(p), ['json:no-null @ gender', 'json:no-null @ name[0].given[1]', 'json:no-null @ identifier[1]']);

    const aligned = patient();
    aligned.name[0].given = [null, 'Ann'];
    aligned.name[0]._given = [{ extension: [{ url: 'https://example.org/x', valueString: 'y' }] }, null];
    assertFound(validateStu3(aligned), []);

    const bothNull = patient();
    bothNull.name[0].given = ['Jane', null];
    bothNull.name[0]._given = [null, null];
    assertFound(validateStu3(bothNull), ['json:no-null @ name[0].given[1]']);
  });

  it('a repeating primitive and its _name array have the same length', () => {
    const p = patient();
    p.name[0].given = ['Jane', 'Ann'];
    p.name[0]._given = [null];
    assertFound(validateStu3(p), ['json:primitive-alignment @ name[0]._given']);

    const single = patient();
    single.name[0].family = 'Doe';
    single.name[0]._family = [{ id: 'f' }];
    const found = validateStu3(single);
    assert.ok(found.some((v) => v.ruleId === 'json:primitive-alignment' && v.path === 'name[0]._family'), summary(found));
  });

  it('no empty objects, arrays or strings', () => {
    const p = patient();
    p.address[0] = {};
    p.name[0].given = [];
    p.name[0].family = '';
    assertFound(validateStu3(p), ['json:no-empty-object @ address[0]', 'json:no-empty-array @ name[0].given', 'json:no-empty-string @ name[0].family']);

    const e = eob();
    e.billablePeriod = {};
    e.item[0].extension = [];
    assertFound(validateStu3(e), ['json:no-empty-object @ billablePeriod', 'json:no-empty-array @ item[0].extension']);
  });

  it('primitives have their JSON type and range', () => {
    const p = patient();
    p.birthDate = 19990601;
    p.active = 'true';
    assertFound(validateStu3(p), ['json:primitive-type @ birthDate', 'json:primitive-type @ active']);

    const e = eob();
    e.item[0].sequence = '1';
    e.careTeam[0].sequence = 2147483648;
    e.item[0].adjudication[1].amount.value = '50.00';
    assertFound(validateStu3(e), ['json:primitive-type @ item[0].sequence', 'json:primitive-type @ careTeam[0].sequence', 'json:primitive-type @ item[0].adjudication[1].amount.value']);
  });

  it('no leading or trailing whitespace in code, id, uri, dates; none at all inside a uri', () => {
    const p = patient();
    p.gender = 'female ';
    p.birthDate = ' 1999-06-01';
    p.identifier[0].system = 'https://bluebutton.cms.gov/resources/variables/bene_id ';
    assertFound(validateStu3(p), ['json:whitespace @ gender', 'json:whitespace @ birthDate', 'json:whitespace @ identifier[0].system']);

    const padded = patient();
    padded.name[0].family = ' Doe '; // strings may keep their whitespace
    assertFound(validateStu3(padded), []);

    const inner = patient();
    inner.identifier[0].system = 'https://bluebutton.cms.gov/resources/variables/bene id';
    assertFound(validateStu3(inner), ['json:whitespace @ identifier[0].system']);
  });

  it('a choice element has one type', () => {
    const e = eob();
    e.extension[0].valueString = 'also a string';
    assertFound(validateStu3(e), ['json:one-choice @ extension[0].valueString']);
  });

  it('every resource names its type: the top one, contained ones, Bundle entries', () => {
    const e = eob();
    delete e.contained[0].resourceType;
    const found = validateStu3(e);
    assert.ok(found.some((v) => v.ruleId === 'json:resource-type' && v.path === 'contained[0].resourceType'), summary(found));
    assert.ok(!found.some((v) => v.ruleId.startsWith('schema:') && v.path === 'contained[0].resourceType'), 'the schema error at the same place is the same problem');

    const bundle = coverageBundle();
    bundle.entry[1].resource = 'Coverage';
    assertFound(validateStu3(bundle), ['json:resource-type @ entry[1].resource']);
  });

  it('literal references are #id, Type/id of a resource type, or an absolute URI', () => {
    for (const bad of ['Patient-20140000008325', 'Patient/', 'patient/-20140000008325', 'Beneficiary/-20140000008325', 'Patient/-2014 0000008325', 'Patient/a_b']) {
      const e = eob();
      e.patient.reference = bad;
      const found = validateStu3(e).filter((v) => v.path === 'patient.reference');
      assert.deepEqual(found.map((v) => v.ruleId), ['json:reference-format'], `${bad}: ${summary(found)}`);
    }
    for (const good of ['Patient/-20140000008325', 'Patient/1/_history/2', 'https://sandbox.bluebutton.cms.gov/v1/fhir/Patient/-20140000008325', 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0']) {
      const e = eob();
      e.patient.reference = good;
      assertFound(validateStu3(e), []);
    }
  });

  it("a Bundle entry's RESTful fullUrl names the entry's type and id", () => {
    const bundle = coverageBundle();
    bundle.entry[0].fullUrl = 'https://sandbox.bluebutton.cms.gov/v1/fhir/Coverage/part-c-20140000008325';
    assertFound(validateStu3(bundle), ['json:fullurl-matches-resource @ entry[0].fullUrl']);
  });

  it('every rule is listed with its page, and each id is used above', () => {
    assert.deepEqual(
      JSON_RULES.map((rule) => rule.id),
      ['no-null', 'primitive-alignment', 'no-empty-object', 'no-empty-array', 'no-empty-string', 'primitive-type', 'whitespace', 'one-choice', 'resource-type', 'reference-format', 'fullurl-matches-resource'],
    );
    for (const rule of JSON_RULES) assert.match(rule.page, /^[a-z-]+\.html$/);
  });
});
