/**
 * The walker's rule kinds that the vendored C4BB / US Core profiles do not exercise on BB2 data
 * (no fixed[x] in their differentials, no exists discriminator, no open-at-end slicing, no profile
 * discriminator), shown with a test profile derived from C4BB-Coverage; plus the notes (extensible
 * bindings, value sets that cannot be expanded offline, claims of unknown profiles), the local
 * terminology, and bad input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conformance, type ConformanceResource, type ElementDefinition, type StructureDefinition, VENDORED_FOLDERS } from './conformance.js';
import { loadR4Sample } from './r4-samples.js';
import { Terminology } from './terminology.js';
import { createProfileValidator, getProfileValidator } from './validator.js';
import { readableElement } from './walk.js';
import { readFileSync, readdirSync } from 'node:fs';

const TEST_URL = 'http://example.org/StructureDefinition/Test-Coverage';

/** The vendored set plus a profile on C4BB-Coverage that fixes status, and slices identifier by an exists discriminator, open at the end. */
function conformanceWithTestProfile(discriminator: ElementDefinition['slicing'] = { discriminator: [{ type: 'exists', path: 'period' }], rules: 'openAtEnd' }): Conformance {
  const entries: { resource: ConformanceResource; packageName: 'hl7.fhir.us.carin-bb' | 'hl7.fhir.us.core'; file: string }[] = [];
  for (const [packageName, folder] of Object.entries(VENDORED_FOLDERS) as ['hl7.fhir.us.carin-bb' | 'hl7.fhir.us.core', string][]) {
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.json'))) entries.push({ resource: JSON.parse(readFileSync(`${folder}${file}`, 'utf8')) as ConformanceResource, packageName, file });
  }
  const base = entries.find((entry) => entry.resource.url === 'http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Coverage')?.resource as StructureDefinition;
  const snapshot = structuredClone(base.snapshot.element);
  const status = snapshot.find((element) => element.id === 'Coverage.status') as ElementDefinition;
  status.fixedCode = 'active';
  const identifierAt = snapshot.findIndex((element) => element.id === 'Coverage.identifier');
  const identifier = snapshot[identifierAt] as ElementDefinition;
  identifier.slicing = discriminator;
  const slice: ElementDefinition = { id: 'Coverage.identifier:dated', path: 'Coverage.identifier', sliceName: 'dated', min: 1, max: '1', type: [{ code: 'Identifier' }] };
  const period: ElementDefinition = { id: 'Coverage.identifier:dated.period', path: 'Coverage.identifier.period', min: 1, max: '1', type: [{ code: 'Period' }] };
  snapshot.splice(identifierAt + 1, 0, slice, period);
  const test: StructureDefinition = {
    ...structuredClone(base),
    url: TEST_URL,
    id: 'Test-Coverage',
    name: 'TestCoverage',
    version: '1.1.0',
    baseDefinition: base.url,
    snapshot: { element: snapshot },
    differential: { element: [{ id: 'Coverage.status', path: 'Coverage.status', fixedCode: 'active' }, { id: 'Coverage.identifier', path: 'Coverage.identifier', slicing: discriminator }, slice, period] },
  };
  // The test profile counts as C4BB's, so its rules get a requirement id (Test-Coverage).
  entries.push({ resource: test, packageName: 'hl7.fhir.us.carin-bb', file: 'test' });
  return new Conformance(entries);
}

const coverage = (): Record<string, unknown> => {
  const document = structuredClone(loadR4Sample('bfd-endpoint-responses-v2/coverageRead.json'));
  document.status = 'active';
  document.identifier = [{ value: 'a', period: { start: '2020-01-01' } }, { value: 'b' }];
  return document;
};

describe('rule kinds on a test profile', () => {
  const validator = createProfileValidator(conformanceWithTestProfile());
  const rulesOf = (document: unknown): string[] => validator.validate(document, { profiles: [TEST_URL] }).filter((violation) => violation.severity !== 'warning' && violation.ruleId.startsWith('profile:Test-Coverage')).map((violation) => violation.ruleId);

  it('a conforming copy passes', () => {
    assert.deepEqual(rulesOf(coverage()), []);
  });

  it('fixed[x]: a status other than the fixed one', () => {
    const document = coverage();
    document.status = 'cancelled';
    const violation = validator.validate(document, { profiles: [TEST_URL] }).find((candidate) => candidate.ruleId === 'profile:Test-Coverage:Coverage.status:fixed');
    assert.ok(violation);
    assert.equal(violation.message, 'Coverage.status must be exactly "active", found "cancelled" (Test-Coverage)');
    assert.equal(violation.path, 'status');
    assert.equal(violation.value, 'cancelled');
    assert.equal(violation.requirement, 'Test-Coverage');
  });

  it('exists discriminator and slice cardinality: no identifier with a period', () => {
    const document = coverage();
    document.identifier = [{ value: 'b' }];
    assert.deepEqual(rulesOf(document), ['profile:Test-Coverage:Coverage.identifier:dated:slice-cardinality']);
  });

  it('open at the end: an unsliced identifier before the slice member', () => {
    const document = coverage();
    document.identifier = [{ value: 'b' }, { value: 'a', period: { start: '2020-01-01' } }];
    assert.deepEqual(rulesOf(document), ['profile:Test-Coverage:Coverage.identifier:slicing-order']);
  });

  it('a profile discriminator is not evaluated, and says so in a note', () => {
    const profileSliced = createProfileValidator(conformanceWithTestProfile({ discriminator: [{ type: 'profile', path: '$this' }], rules: 'closed' }));
    const violations = profileSliced.validate(coverage(), { profiles: [TEST_URL] });
    const note = violations.find((violation) => violation.ruleId === 'profile:Test-Coverage:Coverage.identifier:slice-discriminator');
    assert.equal(note?.severity, 'warning');
    assert.match(note?.message ?? '', /profile discriminator on "\$this", which this validator does not evaluate/);
  });
});

describe('notes, never passes or failures', () => {
  const validator = getProfileValidator();

  it('an extensible binding broken is a note', () => {
    const patient = structuredClone(loadR4Sample('sandbox-bbuser29999/patient_bbuser29999.json'));
    const notes = validator.validate(patient).filter((violation) => violation.ruleId === 'profile:C4BB-Patient:Patient.identifier.type:extensible-binding');
    assert.ok(notes.length > 0);
    assert.ok(notes.every((note) => note.severity === 'warning' && /should be a code from ValueSet .*C4BBPatientIdentifierType when one fits/.test(note.message)));
  });

  it('a required binding to a value set that cannot be expanded offline is a note with the reason, whatever the code', () => {
    const eob = structuredClone(loadR4Sample('bfd-endpoint-responses-v2/eobReadInpatient.json'));
    (eob.item as { revenue: unknown }[])[0]!.revenue = { coding: [{ system: 'https://www.nubc.org/CodeSystem/RevenueCodes', code: 'not-a-revenue-code' }] };
    const note = validator.validate(eob).find((violation) => violation.path === 'item[0].revenue');
    assert.equal(note?.severity, 'warning');
    assert.match(note?.message ?? '', /cannot be checked offline: ValueSet .*AHANUBCRevenueCodes includes all of code system https:\/\/www\.nubc\.org\/CodeSystem\/RevenueCodes, which the vendored packages do not hold/);
  });

  it('a claim of a profile the suite does not hold, or of another version, is a note and is not checked', () => {
    const patient = structuredClone(loadR4Sample('sandbox-bbuser29999/patient_bbuser29999.json'));
    (patient.meta as { profile: string[] }).profile = ['http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Patient|2.0.0', 'http://example.org/StructureDefinition/Other'];
    delete patient.identifier;
    const violations = validator.validate(patient);
    assert.deepEqual(
      violations.map((violation) => [violation.ruleId, violation.severity]),
      [
        ['profile:unchecked-claim', 'warning'],
        ['profile:unchecked-claim', 'warning'],
      ],
    );
    assert.match(violations[0]?.message ?? '', /holds version 1\.1\.0 of that profile only/);
  });

  it('the versioned canonical of the vendored version is checked, and fills the supportedProfile slice', () => {
    const patient = structuredClone(loadR4Sample('sandbox-bbuser29999/patient_bbuser29999.json'));
    (patient.meta as { profile: string[] }).profile = ['http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Patient|1.1.0'];
    assert.deepEqual(validator.validate(patient).filter((violation) => violation.severity !== 'warning'), []);
  });
});

describe('bad input', () => {
  const validator = getProfileValidator();

  it('a non-object, an empty Bundle or a resource claiming no profile yields nothing to report', () => {
    for (const document of [null, 42, 'Patient', [], { resourceType: 'Bundle' }, { resourceType: 'Patient' }]) assert.deepEqual(validator.validate(document), []);
  });

  it('a resource claiming a profile for another type says so once', () => {
    const violations = validator.validate({ resourceType: 'Coverage', id: 'x', meta: { profile: ['http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Patient'] } });
    assert.equal(violations.length, 1);
    assert.equal(violations[0]?.ruleId, 'profile:C4BB-Patient:Patient:profile-type');
    assert.match(violations[0]?.message ?? '', /claims C4BB-Patient, a profile for Patient, but is a Coverage/);
  });

  it('values of the wrong JSON type do not throw: they fail the rule', () => {
    const eob = structuredClone(loadR4Sample('bfd-endpoint-responses-v2/eobReadCarrier.json'));
    eob.careTeam = 'not an array';
    eob.item = [42, null, { adjudication: 'x' }];
    assert.doesNotThrow(() => validator.validate(eob));
  });

  it('element ids read as QA would say them', () => {
    assert.equal(readableElement('Coverage.class:group.value'), "Coverage.class slice 'group'.value");
    assert.equal(readableElement('ExplanationOfBenefit.supportingInfo:admissionperiod'), "ExplanationOfBenefit.supportingInfo slice 'admissionperiod'");
  });
});

describe('local terminology', () => {
  const terminology = new Terminology(Conformance.loadVendored());

  it('expands listed concepts, included value sets and complete code systems', () => {
    const discriminator = 'http://hl7.org/fhir/us/carin-bb/ValueSet/C4BBAdjudicationCategoryDiscriminator';
    assert.equal(terminology.codingMembership(discriminator, { system: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudicationDiscriminator', code: 'denialreason' }).kind, 'member');
    assert.equal(terminology.codingMembership(discriminator, { system: 'http://terminology.hl7.org/CodeSystem/adjudication', code: 'submitted' }).kind, 'member');
    assert.equal(terminology.codingMembership(discriminator, { system: 'http://terminology.hl7.org/CodeSystem/adjudication', code: 'bonus' }).kind, 'not-member');
    assert.equal(terminology.codingMembership(discriminator, { code: 'submitted' }).kind, 'not-member');
    assert.equal(terminology.codeMembership('http://hl7.org/fhir/us/carin-bb/ValueSet/C4BBPayerClaimPaymentStatusCode', 'paid').kind, 'member');
  });

  it('says why it cannot answer', () => {
    const unknown = terminology.codingMembership('http://hl7.org/fhir/ValueSet/claim-type', { system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'pharmacy' });
    assert.deepEqual(unknown, { kind: 'unknown', reason: 'ValueSet http://hl7.org/fhir/ValueSet/claim-type is not in the vendored C4BB/US Core packages' });
    const filtered = terminology.codingMembership('http://hl7.org/fhir/us/core/ValueSet/us-core-provider-specialty', { system: 'http://nucc.org/provider-taxonomy', code: '390200000X' });
    assert.equal(filtered.kind, 'unknown');
  });
});
