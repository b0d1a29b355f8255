import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStu3Validator, STU3_SCHEMA_PATCHES, validateStu3Schema, type Stu3SchemaPatch } from './stu3.js';
import { validateStu3 } from './validate.js';
import { copy, loadSample, sampleFiles, type SampleFolder } from './testdata/samples.js';
import type { Violation } from './violation.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke into sample JSON freely

const FHIR_FOLDERS: SampleFolder[] = ['bb2-webserver-fixtures-v1', 'bfd-endpoint-responses-v1', 'bluebutton-site-legacy-samples'];
const NOT_FHIR = new Set(['userinfo_v1.json']);

function sample(folder: SampleFolder, file: string): Json {
  return copy(loadSample(folder, file)) as Json;
}
const bb2 = (file: string) => sample('bb2-webserver-fixtures-v1', file);
const bfd = (file: string) => sample('bfd-endpoint-responses-v1', file);

function summary(violations: Violation[]): string {
  return violations.map((v) => `${v.path} | ${v.rule} | ${v.message}`).join('\n');
}

/** Exactly one violation, with this rule and path. */
function assertOnly(violations: Violation[], rule: string, path: string): Violation {
  assert.equal(violations.length, 1, `expected exactly one violation, got:\n${summary(violations)}`);
  const [only] = violations as [Violation];
  assert.equal(only.rule, rule, summary(violations));
  assert.equal(only.path, path, summary(violations));
  return only;
}

describe('the patched STU3 schema on real BB2/BFD STU3 samples', () => {
  for (const folder of FHIR_FOLDERS) {
    for (const file of sampleFiles(folder).filter((name) => !NOT_FHIR.has(name))) {
      it(`${folder}/${file} passes the schema`, () => {
        const violations = validateStu3Schema(loadSample(folder, file));
        assert.deepEqual(violations, [], summary(violations));
      });
    }
  }

  it('the userinfo body, which is not a FHIR resource, is rejected for its missing resourceType', () => {
    assertOnly(validateStu3Schema(bb2('userinfo_v1.json')), 'STU3 schema: resourceType', 'resourceType');
  });
});

describe('the unpatched schema', () => {
  it('rejects every real EOB for extension valueMoney, and accepts the other samples', () => {
    const unpatched = createStu3Validator({ patches: [] });
    const failing: string[] = [];
    for (const folder of ['bb2-webserver-fixtures-v1', 'bfd-endpoint-responses-v1'] as SampleFolder[]) {
      for (const file of sampleFiles(folder).filter((name) => !NOT_FHIR.has(name))) {
        const violations = unpatched.validate(loadSample(folder, file));
        if (violations.length === 0) continue;
        failing.push(file);
        assert.ok(
          violations.some((v) => /valueMoney$/.test(v.path) && v.rule === 'STU3 schema: element defined in STU3'),
          `${file}: ${summary(violations.slice(0, 3))}`,
        );
      }
    }
    console.log(`real samples rejected by the unpatched schema (valueMoney): ${failing.join(', ')}`);
    assert.deepEqual(failing.sort(), [
      'eobByPatientIdAll.json',
      'eobByPatientIdAllWithSamhsa.json',
      'eobByPatientIdPaged.json',
      'eobReadCarrier.json',
      'eobReadCarrierMultipleLines.json',
      'eobReadCarrierWithTaxNumbers.json',
      'eobReadDme.json',
      'eobReadDmeWithTaxNumbers.json',
      'eobReadHha.json',
      'eobReadHospice.json',
      'eobReadInpatient.json',
      'eobReadOutpatient.json',
      'eobReadSnf.json',
      'eob_read_carrier_v1.json',
      'eob_read_in_pt_v1.json',
      'eob_read_out_pt_v1.json',
      'eob_search_v1.json',
    ]);
  });
});

/**
 * For each patch: an input the schema without that one patch accepts and the full validator rejects
 * with the expected rule and path.
 */
const PATCH_PROOFS: Partial<Record<Stu3SchemaPatch, { input: () => Json; rule: string; path: string; without?: (violations: Violation[]) => void }>> = {
  useResourceTypeDiscriminator: {
    input: () => {
      const bundle = bb2('patient_search_v1.json');
      bundle.entry[0].resource.gender = 'F';
      return bundle;
    },
    rule: 'STU3 schema: code in required value set',
    path: 'entry[0].resource.gender',
    // Without it the entry is matched against all 117 types, and the other types' complaints bury the real one.
    without: (violations) => assert.ok(violations.length > 10, summary(violations)),
  },
  integersAsBoundedIntegers: {
    input: () => {
      const eob = bfd('eobReadCarrier.json');
      eob.item[0].sequence = 1.5;
      return eob;
    },
    rule: 'STU3 schema: type integer',
    path: 'item[0].sequence',
  },
  addInstantPattern: {
    input: () => ({ ...bb2('patient_read_v1.json'), meta: { lastUpdated: 'yesterday' } }),
    rule: 'STU3 schema: instant format',
    path: 'meta.lastUpdated',
  },
  anchorPatterns: {
    input: () => ({ ...bb2('patient_read_v1.json'), birthDate: '1999-06-01 and more' }),
    rule: 'STU3 schema: date format',
    path: 'birthDate',
  },
  requireCalendarDates: {
    input: () => ({ ...bb2('patient_read_v1.json'), birthDate: '1999-02-30' }),
    rule: 'STU3 schema: date format',
    path: 'birthDate',
  },
  addQuantityProfilesToOpenChoices: {
    input: () => {
      const eob = bb2('eob_read_carrier_v1.json');
      eob.extension[0].valueMoney.value = 'zero';
      return eob;
    },
    rule: 'STU3 schema: type number',
    path: 'extension[0].valueMoney.value',
  },
  allowNullPlaceholdersInPrimitiveArrays: {
    // With it, the aligned null passes and only the real mistake (a number in `given`) is reported.
    input: () => {
      const patient = bb2('patient_read_v1.json');
      patient.name[0].given = [null, 7];
      patient.name[0]._given = [{ extension: [{ url: 'https://example.org/x', valueString: 'y' }] }, null];
      return patient;
    },
    rule: 'STU3 schema: type string',
    path: 'name[0].given[1]',
    without: (violations) => assert.ok(violations.some((v) => v.path === 'name[0].given[0]'), summary(violations)),
  },
};

describe('each schema patch is needed', () => {
  for (const patch of STU3_SCHEMA_PATCHES) {
    it(`${patch}`, () => {
      const proof = PATCH_PROOFS[patch];
      assert.ok(proof, `no proof for ${patch}`);
      const without = createStu3Validator({ patches: STU3_SCHEMA_PATCHES.filter((p) => p !== patch) });
      const withoutViolations = without.validate(proof.input());
      if (proof.without) proof.without(withoutViolations);
      else {
        assert.ok(
          !withoutViolations.some((v) => v.path === proof.path && v.rule === proof.rule),
          `without ${patch} the input should not be flagged at ${proof.path}:\n${summary(withoutViolations)}`,
        );
      }
      assertOnly(validateStu3Schema(proof.input()), proof.rule, proof.path);
    });
  }

  it('without the discriminator one mistake in a Bundle entry drowns in oneOf noise and takes far longer', () => {
    const bundle = bb2('eob_search_v1.json');
    bundle.entry[3].resource.item[0].sequence = -1.5;
    const withoutDiscriminator = createStu3Validator({ patches: STU3_SCHEMA_PATCHES.filter((p) => p !== 'useResourceTypeDiscriminator') });
    const slowStart = performance.now();
    const noisy = withoutDiscriminator.validate(bundle);
    const slowMs = performance.now() - slowStart;
    const fastStart = performance.now();
    const violation = assertOnly(validateStu3Schema(bundle), 'STU3 schema: type integer', 'entry[3].resource.item[0].sequence');
    const fastMs = performance.now() - fastStart;
    console.log(`one bad entry in eob_search_v1.json: ${noisy.length} violations in ${slowMs.toFixed(1)} ms without the discriminator, 1 in ${fastMs.toFixed(1)} ms with it`);
    assert.ok(noisy.length > 10, `expected oneOf noise, got ${noisy.length}`);
    assert.equal(violation.resourceType, 'ExplanationOfBenefit');
    assert.equal(violation.id, bundle.entry[3].resource.id);
    assert.equal(violation.value, -1.5);
  });
});

describe('mutated real samples fail with the right rule and path', () => {
  it('a required element removed', () => {
    const eob = bfd('eobReadCarrier.json');
    delete eob.item[0].sequence;
    assertOnly(validateStu3(eob), 'STU3 schema: required element', 'item[0].sequence');

    const bundle = bb2('coverage_search_v1.json');
    delete bundle.type;
    assertOnly(validateStu3(bundle), 'STU3 schema: required element', 'type');

    const bundleLink = bb2('eob_search_v1.json');
    delete bundleLink.link[1].url;
    assertOnly(validateStu3(bundleLink), 'STU3 schema: required element', 'link[1].url');

    const outcome = bb2('resource_error_response.json');
    delete outcome.issue[0].severity;
    assertOnly(validateStu3(outcome), 'STU3 schema: required element', 'issue[0].severity');

    const capability = bb2('fhir_meta_v1.json');
    delete capability.fhirVersion;
    assertOnly(validateStu3(capability), 'STU3 schema: required element', 'fhirVersion');

    const noIssue = bb2('resource_error_response.json');
    delete noIssue.issue;
    assertOnly(validateStu3(noIssue), 'STU3 schema: required element', 'issue');
  });

  it('an empty array does not satisfy a 1..* primitive (CapabilityStatement.format)', () => {
    const capability = bb2('fhir_meta_v1.json');
    capability.format = [];
    assertOnly(validateStu3(capability), 'STU3 JSON: No empty arrays', 'format');
  });

  it('a primitive present only as its _name extension form satisfies the cardinality', () => {
    const capability = bb2('fhir_meta_v1.json');
    delete capability.date;
    capability._date = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };
    assert.deepEqual(validateStu3(capability), []);
  });

  it('a wrong JSON type', () => {
    const patient = bb2('patient_read_v1.json');
    patient.name = 'Jane Doe';
    const v = assertOnly(validateStu3(patient), 'STU3 schema: type array', 'name');
    assert.equal(v.value, 'Jane Doe');

    const dated = bb2('patient_read_v1.json');
    dated.birthDate = 19990601;
    assertOnly(validateStu3(dated), 'STU3 JSON: Primitives have their JSON type and range', 'birthDate');
  });

  for (const bad of ['06/01/1999', '1999-13-45', '1999-04-00', '1999-02-29', '99-06-01', '1999-06-01T10:00:00']) {
    it(`a malformed date ${JSON.stringify(bad)}`, () => {
      const patient = bb2('patient_read_v1.json');
      patient.birthDate = bad;
      const v = assertOnly(validateStu3(patient), 'STU3 schema: date format', 'birthDate');
      assert.equal(v.value, bad);
    });
  }

  it('valid partial and leap dates pass', () => {
    for (const good of ['1999', '1999-06', '2000-02-29', '2024-02-29']) {
      const patient = bb2('patient_read_v1.json');
      patient.birthDate = good;
      assert.deepEqual(validateStu3(patient), [], good);
    }
  });

  it('a malformed dateTime and instant', () => {
    const eob = bb2('eob_read_carrier_v1.json');
    eob.billablePeriod.start = '1999-06-01T10:00'; // dateTime with a time needs seconds and a zone
    eob.meta.lastUpdated = '2020-11-09'; // instant needs a time and zone
    const violations = validateStu3(eob);
    assert.deepEqual(violations.map((v) => `${v.path} ${v.rule}`).sort(), ['billablePeriod.start STU3 schema: dateTime format', 'meta.lastUpdated STU3 schema: instant format'], summary(violations));
  });

  it('a wrong resourceType', () => {
    const patient = bb2('patient_read_v1.json');
    patient.resourceType = 'Patients';
    assertOnly(validateStu3(patient), 'STU3 schema: resourceType', 'resourceType');

    const coverage = bb2('coverage_read_v1.json');
    const mismatch = assertOnly(validateStu3(coverage, 'Patient'), 'STU3 schema: expected resourceType', 'resourceType');
    assert.equal(mismatch.value, 'Coverage');

    const bundle = bb2('coverage_search_v1.json');
    bundle.entry[2].resource.resourceType = 'Coverages';
    const entry = assertOnly(validateStu3(bundle), 'STU3 schema: resourceType', 'entry[2].resource.resourceType');
    assert.equal(entry.value, 'Coverages');

    const r4Only = bb2('coverage_search_v1.json');
    r4Only.entry[0].resource.resourceType = 'ServiceRequest'; // R4 type, not in STU3
    assertOnly(validateStu3(r4Only), 'STU3 schema: resourceType', 'entry[0].resource.resourceType');
  });

  it('an element STU3 does not define', () => {
    const patient = bb2('patient_read_v1.json');
    patient.address[0].line2 = 'Apt 1';
    const v = assertOnly(validateStu3(patient), 'STU3 schema: element defined in STU3', 'address[0].line2');
    assert.equal(v.value, 'Apt 1');
    assert.match(v.message, /not an element of Address/);

    const bundle = bb2('eob_search_v1.json');
    bundle.entry[5].resource.item[0].productOrService = { text: 'R4 name' }; // R4 renamed service to productOrService
    const entry = assertOnly(validateStu3(bundle), 'STU3 schema: element defined in STU3', 'entry[5].resource.item[0].productOrService');
    assert.equal(entry.resourceType, 'ExplanationOfBenefit');
  });

  it('an invalid code', () => {
    const patient = bb2('patient_read_v1.json');
    patient.gender = 'F';
    const v = assertOnly(validateStu3(patient), 'STU3 required binding Patient.gender', 'gender');
    assert.match(v.message, /female \| male \| other \| unknown/);
    assert.equal(v.requirement, 'FHIR-STU3-BINDING-Patient.gender');

    const spaced = bb2('eob_read_carrier_v1.json');
    spaced.type.coding[0].code = '71 ';
    assertOnly(validateStu3(spaced), 'STU3 JSON: No whitespace where the datatype forbids it', 'type.coding[0].code');

    const status = bb2('coverage_read_v1.json');
    status.status = 'Active';
    // Coverage.status has a required binding in STU3 (fm-status) that the schema leaves out.
    assertOnly(validateStu3(status), 'STU3 required binding Coverage.status', 'status');
  });

  it('a non-integer or out-of-range sequence', () => {
    for (const [bad, rule] of [
      [2.5, 'STU3 JSON: Primitives have their JSON type and range'],
      ['1', 'STU3 JSON: Primitives have their JSON type and range'],
      [0, 'STU3 JSON: Primitives have their JSON type and range'],
      [-3, 'STU3 JSON: Primitives have their JSON type and range'],
      [2147483648, 'STU3 JSON: Primitives have their JSON type and range'],
    ] as const) {
      const eob = bb2('eob_read_carrier_v1.json');
      eob.careTeam[0].sequence = bad;
      const v = assertOnly(validateStu3(eob), rule, 'careTeam[0].sequence');
      assert.equal(v.value, bad);
    }
  });

  it('a 100-character or otherwise malformed id', () => {
    const patient = bb2('patient_read_v1.json');
    patient.id = '1'.repeat(100);
    assertOnly(validateStu3(patient), 'STU3 schema: id format', 'id');

    const coverage = bb2('coverage_read_v1.json');
    coverage.id = 'part_a_-20140000008325';
    assertOnly(validateStu3(coverage), 'STU3 schema: id format', 'id');
  });

  it('a code with a trailing space is rejected quickly (the anchored code pattern does not backtrack)', () => {
    const eob = bb2('eob_read_carrier_v1.json');
    eob.type.coding[0].code = `${'a'.repeat(5000)} `;
    const started = performance.now();
    assertOnly(validateStu3Schema(eob), 'STU3 schema: code format', 'type.coding[0].code');
    assert.ok(performance.now() - started < 200, `took ${(performance.now() - started).toFixed(0)} ms`);
  });

  it('an entry resource that is not an object', () => {
    const bundle = bb2('coverage_search_v1.json');
    bundle.entry[1].resource = 42;
    assertOnly(validateStu3(bundle), 'STU3 JSON: Every resource names its type', 'entry[1].resource');
  });

  it('problems in several entries are reported per entry, with each entry resource named', () => {
    const bundle = bfd('eobByPatientIdAll.json');
    bundle.entry[1].resource.status = 'done';
    bundle.entry[6].resource.item[0].sequence = 'one';
    const violations = validateStu3(bundle);
    assert.deepEqual(
      violations.map((v) => [v.resourceType, v.id, v.path, v.rule]),
      [
        ['ExplanationOfBenefit', bundle.entry[1].resource.id, 'entry[1].resource.status', 'STU3 required binding ExplanationOfBenefit.status'],
        ['ExplanationOfBenefit', bundle.entry[6].resource.id, 'entry[6].resource.item[0].sequence', 'STU3 JSON: Primitives have their JSON type and range'],
      ],
      summary(violations),
    );
  });

  it('a large offending value is truncated', () => {
    const patient = bb2('patient_read_v1.json');
    patient.name = 'x'.repeat(5000);
    const v = assertOnly(validateStu3(patient), 'STU3 schema: type array', 'name');
    assert.ok(typeof v.value === 'string' && v.value.length <= 201, String(v.value).length.toString());
  });
});

describe('bad input to validateStu3', () => {
  it('a non-object is one clear violation', () => {
    for (const input of [null, 'Patient', 42, [{ resourceType: 'Patient' }]]) {
      assertOnly(validateStu3(input), 'STU3 JSON: Every resource names its type', '');
      assertOnly(validateStu3Schema(input), 'STU3 schema: resource is a JSON object', '');
    }
  });

  it('a missing or non-string resourceType is one clear violation', () => {
    assertOnly(validateStu3({ id: '1' }), 'STU3 JSON: Every resource names its type', 'resourceType');
    assertOnly(validateStu3({ resourceType: 7 }), 'STU3 JSON: Every resource names its type', 'resourceType');
    assertOnly(validateStu3Schema({ id: '1' }), 'STU3 schema: resourceType', 'resourceType');
  });

  it('an expectedType that is not an STU3 type is a caller bug and throws', () => {
    assert.throws(() => validateStu3({ resourceType: 'Patient' }, 'Patients'), /expectedType "Patients" is not an STU3 resource type/);
  });
});
