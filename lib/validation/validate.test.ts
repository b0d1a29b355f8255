/**
 * The verdict: no real sample and no sandbox resource fails; every note is a known deviation whose
 * evidence really shows it; each deviation is narrow (the same rule broken outside its shape fails);
 * one problem is one violation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeFindings } from './fhir/engine.js';
import { R4, STU3, type FhirRelease } from './fhir/release.js';
import { loadKnownDeviations, matchDeviation } from './known-deviations.js';
import { realR4Documents, realStu3Documents, sandboxDocuments, SPREAD_USERS } from './testdata/corpus.js';
import { copy, loadSample, type SampleFolder } from './testdata/samples.js';
import { validateResource, validateStu3 } from './validate.js';
import type { Violation } from './violation.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke into sample JSON freely

const summary = (violations: readonly Violation[]) => violations.map((v) => `${v.resourceType}/${v.id ?? ''} ${v.path} | ${v.ruleId} | ${v.message}`).join('\n');
const sample = (name: string): Json => {
  const [folder, file] = name.split('/') as [SampleFolder, string];
  return copy(loadSample(folder, file)) as Json;
};

describe('no false alarms', () => {
  for (const { name, document } of realStu3Documents()) {
    it(`${name}: no violation; every note a known BB2 deviation`, () => {
      const verdict = validateResource(document);
      assert.deepEqual(verdict.violations, [], summary(verdict.violations));
      assert.deepEqual(verdict.notes.filter((note) => note.knownDeviation === undefined), []);
    });
  }

  for (const { name, document } of realR4Documents()) {
    it(`${name} (R4): no violation; every note a known BB2 deviation or an R4 warning`, () => {
      const verdict = validateResource(document, { release: 'r4' });
      assert.deepEqual(verdict.violations, [], summary(verdict.violations));
      assert.deepEqual(verdict.notes.filter((note) => note.knownDeviation === undefined && note.severity !== 'warning'), []);
    });
  }

  it(`every resource the embedded sandbox serves to ${SPREAD_USERS.length} users (every claim type) passes FHIR and BB2 rules`, () => {
    const seenTypes = new Set<string>();
    let checked = 0;
    for (const { name, document } of sandboxDocuments()) {
      const resource = document as Json;
      const patientId = resource.resourceType === 'Patient' ? resource.id : String(resource.patient?.reference ?? resource.beneficiary?.reference).replace('Patient/', '');
      const verdict = validateResource(resource, { expectedType: resource.resourceType, bb2: { patientId, synthetic: true } });
      assert.deepEqual(verdict.violations, [], `${name}\n${summary(verdict.violations)}`);
      assert.deepEqual(verdict.notes.filter((note) => note.knownDeviation === undefined), [], name);
      if (resource.resourceType === 'ExplanationOfBenefit') seenTypes.add(String(resource.id).split('-')[0] ?? '');
      checked += 1;
    }
    assert.deepEqual([...seenTypes].sort(), ['carrier', 'dme', 'hha', 'hospice', 'inpatient', 'outpatient', 'pde', 'snf']);
    assert.ok(checked > 500, `${checked} resources`);
  });
});

for (const release of [STU3, R4] as FhirRelease[]) {
  describe(`known BB2 deviations (schemas/fhir-${release.name}/known-deviations.json)`, () => {
    const deviations = loadKnownDeviations(release);

    for (const deviation of deviations) {
      it(`${deviation.id}: each evidence shows it, as a note; without the deviation it fails`, () => {
        for (const evidence of deviation.evidence) {
          const document = sample(evidence.sample);
          const strict = validateResource(document, { release: release.name, knownDeviations: false });
          const shown = strict.violations.filter((violation) => violation.ruleId === deviation.ruleId && (violation.path === evidence.path || violation.path.startsWith(`${evidence.path}.`)));
          assert.ok(shown.length > 0, `${evidence.sample} at ${evidence.path} shows no ${deviation.ruleId}:\n${summary(strict.violations)}`);
          for (const violation of shown) assert.equal(matchDeviation(document, violation, deviations)?.id, deviation.id);
          const verdict = validateResource(document, { release: release.name });
          assert.ok(verdict.notes.some((note) => note.knownDeviation === deviation.id && shown.some((violation) => violation.path === note.path)));
          assert.ok(!verdict.violations.some((violation) => shown.some((s) => s.path === violation.path && s.ruleId === violation.ruleId)));
        }
      });
    }

    it('each deviation names public sources', () => {
      for (const deviation of deviations) for (const source of deviation.sources) assert.match(source.url, /^https:\/\/(github\.com\/CMSgov\/[^/]+\/blob\/[0-9a-f]{40}\/|hl7\.org\/fhir\/)/, deviation.id);
    });
  });
}

describe('known BB2 deviations are narrow', () => {
  it('the same rules broken outside their shape fail', () => {
    const inpatient = sample('bfd-endpoint-responses-v1/eobReadInpatient.json');
    inpatient.diagnosis[1] = { type: inpatient.diagnosis[1].type }; // a diagnosis that is not the DRG
    assert.deepEqual(validateStu3(inpatient).map((v) => v.path).sort(), ['diagnosis[1].diagnosis[x]', 'diagnosis[1].sequence']);

    const pde = sample('bfd-endpoint-responses-v1/eobReadPde.json');
    pde.item[0].detail[0].type.coding[0].code = 'RXCINV';
    assert.deepEqual(validateStu3(pde).map((v) => `${v.ruleId} ${v.path}`), ['schema:required item[0].detail[0].sequence']);

    const carrier = sample('bfd-endpoint-responses-v1/eobReadCarrier.json');
    carrier.type.coding = carrier.type.coding.filter((coding: Json) => coding.system !== 'http://hl7.org/fhir/ex-claimtype'); // a carrier claim without claim type
    assert.deepEqual(validateStu3(carrier).map((v) => v.ruleId), ['binding:ExplanationOfBenefit.type']);

    const observation = sample('bfd-endpoint-responses-v1/eobReadCarrier.json');
    delete observation.contained[1].status; // only ReferralRequest.intent is tolerated, not Observation.status
    assert.deepEqual(validateStu3(observation).map((v) => `${v.ruleId} ${v.path}`), ['schema:required contained[1].status']);

    const money = sample('bb2-webserver-fixtures-v1/eob_read_carrier_v1.json');
    delete money.item[0].adjudication[1].amount.code; // current BB2 data: no 2018 tolerance
    assert.deepEqual(validateStu3(money).map((v) => `${v.ruleId} ${v.path}`), ['fhir:mny-1 item[0].adjudication[1].amount']);

    const capability = sample('bb2-webserver-fixtures-v1/fhir_meta_v1.json');
    capability.rest[0].resource[0].searchParam.push(capability.rest[0].resource[0].searchParam[0]); // Coverage, not Patient
    assert.deepEqual(validateStu3(capability).map((v) => `${v.ruleId} ${v.path}`), ['fhir:cpb-12 rest[0].resource[0]']);

    const currentV2 = sample('bfd-endpoint-responses-v2/eobReadCarrier.json');
    delete currentV2.outcome; // the 2020 fixtures' tolerance does not reach current data
    assert.deepEqual(validateResource(currentV2, { release: 'r4' }).violations.map((v) => `${v.ruleId} ${v.path}`), ['schema:required outcome']);
  });

  it("a 2020-2021 deviation is a note only when those shapes are tolerated ('all'), a failure with today's ('current')", () => {
    // The embedded sandbox's carrier EOBs carry the 2020 fixture's meta.lastUpdated: only the mode keeps them strict.
    const fixture = sample('bb2-webserver-fixtures-v2/eob_read_carrier_v2.json');
    assert.equal(fixture.outcome, undefined);
    const tolerant = validateResource(fixture, { release: 'r4', v2ProfileDeviations: 'all' });
    assert.ok(tolerant.notes.some((note) => note.path === 'outcome' && note.knownDeviation === 'bb2-v2-fixtures-eob-mandatory-elements-missing'));
    assert.ok(!tolerant.violations.some((violation) => violation.path === 'outcome'));
    const strict = validateResource(fixture, { release: 'r4', v2ProfileDeviations: 'current' });
    assert.ok(strict.violations.some((violation) => violation.path === 'outcome' && violation.requirement === 'FHIR-R4-SCHEMA-required'), summary(strict.violations));

    const capability = sample('bb2-webserver-fixtures-v2/fhir_meta_v2.json'); // a deviation BB2 still shows stays a note
    assert.deepEqual(validateResource(capability, { release: 'r4', v2ProfileDeviations: 'current' }).violations, []);
  });
});

describe('one problem, one violation', () => {
  const violation = (ruleId: string, path: string, extra: Partial<Violation> = {}): Violation => ({ resourceType: 'Patient', id: 'p', path, ruleId, rule: ruleId, message: ruleId, ...extra });

  it('a JSON rule at a path replaces the schema, binding and ele-1 findings there', () => {
    const merged = mergeFindings([violation('schema:type', 'gender'), violation('json:no-null', 'gender'), violation('binding:Patient.gender', 'gender'), violation('fhir:ele-1', 'gender'), violation('fhir:per-1', 'gender'), violation('schema:type', 'name')]);
    assert.deepEqual(merged.map((v) => `${v.ruleId} ${v.path}`), ['json:no-null gender', 'fhir:per-1 gender', 'schema:type name']);
  });

  it("a binding replaces the schema's enum error; the same rule at the same path counts once", () => {
    const merged = mergeFindings([violation('schema:value-set', 'gender'), violation('binding:Patient.gender', 'gender'), violation('schema:required', 'x'), violation('schema:required', 'x')]);
    assert.deepEqual(merged.map((v) => `${v.ruleId} ${v.path}`), ['binding:Patient.gender gender', 'schema:required x']);
  });

  it('an invariant without verdict on an element missing a mandatory child is dropped', () => {
    const merged = mergeFindings([violation('schema:required', 'type'), violation('fhir:bdl-9', '', { inconclusive: true }), violation('fhir:per-1', 'period', { inconclusive: true })]);
    assert.deepEqual(merged.map((v) => v.ruleId), ['schema:required', 'fhir:per-1']);
  });

  it('the same place in two Bundle entries is two problems', () => {
    const merged = mergeFindings([violation('schema:type', 'x', { id: 'a' }), violation('schema:type', 'x', { id: 'b' })]);
    assert.equal(merged.length, 2);
  });
});

describe('the verdict combines the families', () => {
  it('FHIR and BB2 rules in one list; fhir: false and bb2 select them', () => {
    const patient = sample('bb2-webserver-fixtures-v1/patient_read_v1.json');
    patient.gender = 'F';
    patient.id = '20140000008325';
    const context = { patientId: '-20140000008325', synthetic: true };
    const all = validateResource(patient, { bb2: context }).violations.map((v) => v.ruleId.split(':')[0]);
    assert.deepEqual([...new Set(all)].sort(), ['bb2', 'binding']);
    assert.ok(validateResource(patient, { fhir: false, bb2: context }).violations.every((v) => v.ruleId.startsWith('bb2:')));
    assert.ok(validateResource(patient).violations.every((v) => !v.ruleId.startsWith('bb2:')));
  });

  it('every violation has a rule id, and every failure a requirement', () => {
    const eob = sample('bb2-webserver-fixtures-v1/eob_read_carrier_v1.json');
    eob.billablePeriod = { start: '2020-02-01', end: '2020-01-01' };
    eob.extension[0].extension = [{ url: 'https://example.org/x', valueString: 'y' }];
    eob.item[0].adjudication[1].amount.code = '';
    eob.status = 'done';
    eob.careTeam[0].sequence = null;
    const { violations } = validateResource(eob, { bb2: { patientId: '-20140000008325', synthetic: true } });
    assert.deepEqual(violations.map((v) => v.ruleId).sort(), ['binding:ExplanationOfBenefit.status', 'fhir:ext-1', 'fhir:per-1', 'json:no-empty-string', 'json:no-null'].sort(), summary(violations));
    for (const v of violations) assert.match(v.requirement ?? '', /^FHIR-STU3-/);
  });
});
