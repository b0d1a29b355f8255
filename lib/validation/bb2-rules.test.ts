import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requirementById } from '../requirements/catalogue.js';
import { checkBb2Rules, getBb2Rules, parseBb2Rules, type Bb2RuleContext } from './bb2-rules.js';
import { copy, loadSample, sampleFiles } from './testdata/samples.js';
import type { Violation } from './violation.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke into sample JSON freely

const SANDBOX_BENE = '-20140000008325';
const BFD_BENE = '567834';
/** BB2-served fixtures are for the sandbox's synthetic bene. */
const SANDBOX: Bb2RuleContext = { patientId: SANDBOX_BENE, synthetic: true };
/** BFD's golden files use its positive, production-shaped test bene. */
const BFD: Bb2RuleContext = { patientId: BFD_BENE, synthetic: false };

const bb2 = (file: string): Json => copy(loadSample('bb2-webserver-fixtures-v1', file)) as Json;
const bfd = (file: string): Json => copy(loadSample('bfd-endpoint-responses-v1', file)) as Json;
const legacy = (file: string): Json => copy(loadSample('bluebutton-site-legacy-samples', file)) as Json;

function summary(violations: Violation[]): string {
  return violations.map((v) => `${v.resourceType}/${v.id ?? '-'} ${v.path} | ${v.rule} | ${v.message}`).join('\n');
}

function assertOnly(violations: Violation[], rule: string, path: string): Violation {
  assert.equal(violations.length, 1, `expected exactly one violation, got:\n${summary(violations)}`);
  const [only] = violations as [Violation];
  assert.equal(only.rule, rule, summary(violations));
  assert.equal(only.path, path, summary(violations));
  return only;
}

function rulesOf(violations: Violation[]): string[] {
  return [...new Set(violations.map((v) => v.rule))].sort();
}

describe('checkBb2Rules on real samples', () => {
  for (const file of sampleFiles('bb2-webserver-fixtures-v1').filter((name) => name !== 'userinfo_v1.json')) {
    it(`BB2-served ${file} follows the rules for synthetic bene ${SANDBOX_BENE}`, () => {
      const violations = checkBb2Rules(loadSample('bb2-webserver-fixtures-v1', file), SANDBOX);
      assert.deepEqual(violations, [], summary(violations));
    });
  }

  const includeIdentifiers = (file: string) => file.includes('WithIncludeIdentifiers');
  for (const file of sampleFiles('bfd-endpoint-responses-v1').filter((name) => !includeIdentifiers(name))) {
    it(`BFD golden ${file} follows the rules for production-shaped bene ${BFD_BENE}`, () => {
      const violations = checkBb2Rules(loadSample('bfd-endpoint-responses-v1', file), BFD);
      assert.deepEqual(violations, [], summary(violations));
    });
  }

  for (const file of sampleFiles('bfd-endpoint-responses-v1').filter(includeIdentifiers)) {
    it(`BFD ${file} (IncludeIdentifiers + address fields, headers BB2 never sends) breaks exactly the identifier and address rules`, () => {
      const violations = checkBb2Rules(loadSample('bfd-endpoint-responses-v1', file), BFD);
      assert.deepEqual(rulesOf(violations), ['BB2-FHIR-DATA-01: Patient address trimmed', 'BB2-FHIR-IDENTIFIER-01: Patient identifier system'], summary(violations));
      assert.ok(violations.some((v) => v.value === 'http://hl7.org/fhir/sid/us-mbi'));
      assert.ok(violations.some((v) => v.path.endsWith('address[0].line')));
      assert.ok(violations.some((v) => v.path.endsWith('address[0].city') && v.value === 'PODUNK'));
    });
  }

  it('BFD golden files are not synthetic: with synthetic=true every bene id is flagged', () => {
    const violations = checkBb2Rules(bfd('coverageSearchByPatientId.json'), { synthetic: true });
    assert.deepEqual(rulesOf(violations), ['BB2-FHIR-ID-01: synthetic bene id is negative']);
    // Four Coverage ids and four beneficiary references.
    assert.equal(violations.length, 8, summary(violations));
  });

  it('the 2018 site samples show the retired shape: old identifier systems, no eob-type coding, three coverage parts', () => {
    const oldBene: Bb2RuleContext = { patientId: '20140000008325', synthetic: false };
    const patient = checkBb2Rules(legacy('sample-patient-entry.json'), oldBene);
    assert.deepEqual(rulesOf(patient), ['BB2-FHIR-IDENTIFIER-01: Patient identifier system', 'BB2-FHIR-IDENTIFIER-02: Patient bene_id identifier equals Patient.id'], summary(patient));
    const eob = checkBb2Rules(legacy('sample-eob-entry.json'), oldBene);
    assertOnly(eob, 'BB2-FHIR-DATA-03: ExplanationOfBenefit eob-type matches id prefix', 'type.coding');
    const coverage = checkBb2Rules(legacy('sample-coverage-entry.json'), oldBene);
    const parts = assertOnly(coverage, 'BB2-FHIR-DATA-04: four coverage parts', 'entry');
    assert.match(parts.message, /missing part-c/);
  });
});

describe('mutated samples break the right rule at the right path', () => {
  it('a broken reference', () => {
    for (const broken of ['Patient/', 'Practitioner/-20140000008325', 'Patient/-20140000008325/_history/1', `#${SANDBOX_BENE}`]) {
      const eob = bb2('eob_read_carrier_v1.json');
      eob.patient.reference = broken;
      const v = assertOnly(checkBb2Rules(eob, SANDBOX), 'BB2-FHIR-DATA-02: ExplanationOfBenefit.patient reference', 'patient.reference');
      assert.equal(v.value, broken);
    }
    const coverage = bb2('coverage_read_v1.json');
    delete coverage.beneficiary;
    const missing = assertOnly(checkBb2Rules(coverage, SANDBOX), 'BB2-FHIR-DATA-02: Coverage.beneficiary reference', 'beneficiary.reference');
    assert.match(missing.message, /missing/);
  });

  it("a reference to another bene than the token's patient", () => {
    const bundle = bb2('eob_search_v1.json');
    bundle.entry[4].resource.patient.reference = 'Patient/-20140000000001';
    const v = assertOnly(checkBb2Rules(bundle, SANDBOX), "BB2-FHIR-DATA-02: belongs to the token's patient", 'entry[4].resource.patient.reference');
    assert.equal(v.resourceType, 'ExplanationOfBenefit');
    assert.equal(v.id, bundle.entry[4].resource.id);
    // Without a patientId in the context the same body is fine: the check is the context's.
    assert.deepEqual(checkBb2Rules(bundle, { synthetic: true }), []);
  });

  it('a malformed id', () => {
    const patient = bb2('patient_read_v1.json');
    patient.id = 'abc';
    const violations = checkBb2Rules(patient, SANDBOX);
    assert.deepEqual(
      violations.map((v) => `${v.path} ${v.rule}`).sort(),
      ['id BB2-FHIR-ID-01: Patient id format', 'identifier[0].value BB2-FHIR-IDENTIFIER-02: Patient bene_id identifier equals Patient.id'],
      summary(violations),
    );

    const eob = bb2('eob_read_carrier_v1.json');
    eob.id = 'carrier_22639159481';
    assertOnly(checkBb2Rules(eob, SANDBOX), 'BB2-FHIR-ID-03: ExplanationOfBenefit id format', 'id');

    const coverage = bb2('coverage_read_v1.json');
    coverage.id = 'part-a-20140000008325x';
    assertOnly(checkBb2Rules(coverage, SANDBOX), 'BB2-FHIR-ID-02: Coverage id format', 'id');
  });

  it('a Coverage part-e', () => {
    const coverage = bb2('coverage_read_v1.json');
    coverage.id = `part-e-${SANDBOX_BENE}`;
    const v = assertOnly(checkBb2Rules(coverage, SANDBOX), 'BB2-FHIR-ID-02: Coverage id format', 'id');
    assert.equal(v.value, `part-e-${SANDBOX_BENE}`);
  });

  it('a Coverage id for another bene', () => {
    const coverage = bb2('coverage_read_v1.json');
    coverage.id = 'part-a--20140000000001';
    assertOnly(checkBb2Rules(coverage, SANDBOX), "BB2-FHIR-DATA-02: belongs to the token's patient", 'id');
  });

  it('a production (positive) id where a synthetic one is expected', () => {
    const patient = bb2('patient_read_v1.json');
    patient.id = '20140000008325';
    patient.identifier[0].value = '20140000008325';
    const violations = checkBb2Rules(patient, { synthetic: true });
    assertOnly(violations, 'BB2-FHIR-ID-01: synthetic bene id is negative', 'id');
  });

  it('a changed BB2 identifier system', () => {
    const patient = bb2('patient_read_v1.json');
    patient.identifier[0].system = 'https://bluebutton.cms.gov/resources/variables/bene-id';
    const violations = checkBb2Rules(patient, SANDBOX);
    assert.deepEqual(
      violations.map((v) => `${v.path} ${v.rule}`).sort(),
      ['identifier BB2-FHIR-IDENTIFIER-02: Patient bene_id identifier equals Patient.id', 'identifier[0].system BB2-FHIR-IDENTIFIER-01: Patient identifier system'],
      summary(violations),
    );
  });

  it('a bene_id identifier that differs from Patient.id, or appears twice', () => {
    const patient = bb2('patient_read_v1.json');
    patient.identifier[0].value = '-20140000000001';
    assertOnly(checkBb2Rules(patient, SANDBOX), 'BB2-FHIR-IDENTIFIER-02: Patient bene_id identifier equals Patient.id', 'identifier[0].value');

    const twice = bb2('patient_read_v1.json');
    twice.identifier.push({ ...twice.identifier[0] });
    assertOnly(checkBb2Rules(twice, SANDBOX), 'BB2-FHIR-IDENTIFIER-02: Patient bene_id identifier equals Patient.id', 'identifier[2].value');
  });

  it('an mbi-hash that is not 64 hex digits', () => {
    const patient = bb2('patient_read_v1.json');
    patient.identifier[1].value = '1S00E00AA00';
    assertOnly(checkBb2Rules(patient, SANDBOX), 'BB2-FHIR-IDENTIFIER-03: Patient mbi-hash/hicn-hash value', 'identifier[1].value');
  });

  it('an address with a line, a city or a text', () => {
    for (const [element, value] of [
      ['line', ['1 Main St']],
      ['city', 'Baltimore'],
      ['text', '1 Main St, Baltimore'],
    ] as const) {
      const patient = bb2('patient_read_v1.json');
      patient.address[0][element] = value;
      const v = assertOnly(checkBb2Rules(patient, SANDBOX), 'BB2-FHIR-DATA-01: Patient address trimmed', `address[0].${element}`);
      assert.deepEqual(v.value, value);
    }
  });

  it('an EOB whose type code disagrees with its id prefix', () => {
    const eob = bb2('eob_read_in_pt_v1.json');
    const coding = eob.type.coding.findIndex((c: Json) => c.system === 'https://bluebutton.cms.gov/resources/codesystem/eob-type');
    eob.type.coding[coding].code = 'CARRIER';
    const v = assertOnly(checkBb2Rules(eob, SANDBOX), 'BB2-FHIR-DATA-03: ExplanationOfBenefit eob-type matches id prefix', `type.coding[${coding}].code`);
    assert.equal(v.value, 'CARRIER');
    assert.match(v.message, /expected INPATIENT/);
  });

  it('an EOB without nch_clm_type_cd (required for every type but pde)', () => {
    const withoutNch = (eob: Json) => {
      eob.type.coding = eob.type.coding.filter((c: Json) => c.system !== 'https://bluebutton.cms.gov/resources/variables/nch_clm_type_cd');
      return eob;
    };
    assertOnly(checkBb2Rules(withoutNch(bfd('eobReadHha.json')), BFD), 'BB2-FHIR-DATA-03: ExplanationOfBenefit nch_clm_type_cd coding', 'type.coding');
    assert.deepEqual(checkBb2Rules(withoutNch(bfd('eobReadPde.json')), BFD), []);
  });

  it('a Coverage bundle with a duplicated or missing part', () => {
    const duplicated = bb2('coverage_search_v1.json');
    duplicated.entry[3].resource = copy(duplicated.entry[1].resource);
    const violations = checkBb2Rules(duplicated, SANDBOX);
    assert.deepEqual(
      violations.map((v) => `${v.path} ${v.message}`),
      ['entry[3].resource.id part-b appears again (first at entry[1])', 'entry a complete Coverage search has part-a, part-b, part-c, part-d; missing part-d'],
      summary(violations),
    );

    // A page of a longer result (it links to a next page) may legitimately lack parts.
    const paged = bb2('coverage_search_v1.json');
    paged.entry.pop();
    paged.link.push({ relation: 'next', url: 'http://testserver/v1/fhir/Coverage/?startIndex=3' });
    assert.deepEqual(checkBb2Rules(paged, SANDBOX), []);
  });

  it('a Bundle that is not a searchset', () => {
    const bundle = bb2('patient_search_v1.json');
    bundle.type = 'collection';
    assertOnly(checkBb2Rules(bundle, SANDBOX), 'BB2-FHIR-DATA-05: Bundle type searchset', 'type');
  });
});

describe('bad input', () => {
  it('a body that is not a resource is one violation, not an exception', () => {
    assertOnly(checkBb2Rules('not json', SANDBOX), 'BB2-FHIR-STU3-01: FHIR resource', '');
    assertOnly(checkBb2Rules(bb2('userinfo_v1.json'), SANDBOX), 'BB2-FHIR-STU3-01: FHIR resource', 'resourceType');
    const bundle = bb2('coverage_search_v1.json');
    bundle.entry[1].resource = 7;
    const violations = checkBb2Rules(bundle, SANDBOX);
    assert.deepEqual(
      violations.map((v) => `${v.path} ${v.rule}`).sort(),
      ['entry BB2-FHIR-DATA-04: four coverage parts', 'entry[1].resource BB2-FHIR-STU3-01: FHIR resource'],
      summary(violations),
    );
  });

  it('a malformed context throws a TypeError naming the field', () => {
    assert.throws(() => checkBb2Rules({}, { patientId: -20140000008325 as unknown as string }), /context\.patientId must be a string/);
    assert.throws(() => checkBb2Rules({}, { synthetic: 'yes' as unknown as boolean }), /context\.synthetic must be a boolean/);
  });
});

describe('the rules file', () => {
  it('schemas/bb2-rules.json loads and every rule names a requirement of the catalogue', () => {
    const rules = getBb2Rules();
    assert.ok(rules.rules.length >= 10);
    for (const rule of [...rules.rules, rules.beneIdFormats, rules.patientMatch]) {
      assert.ok(requirementById(rule.requirement), `${'id' in rule ? rule.id : 'bene id rule'}: ${rule.requirement} is not in requirements/*.json`);
    }
    assert.equal(new Set(rules.rules.map((r) => r.id)).size, rules.rules.length, 'rule ids are unique');
  });

  it('a broken rules document is refused with every problem named', () => {
    const document = structuredClone(getBb2Rules()) as Json;
    document.rules[0].pattern = '(unclosed';
    document.rules[1].check = 'sometimes';
    document.rules[2].cardinaliti = '1..1';
    assert.throws(
      () => parseBb2Rules(document, 'test rules'),
      (error: Error) => {
        assert.match(error.message, /^test rules is invalid:/);
        assert.match(error.message, /rules\.0\.pattern: not a valid regular expression/);
        assert.match(error.message, /rules\.1\.check/);
        assert.match(error.message, /rules\.2/);
        return true;
      },
    );
  });
});
