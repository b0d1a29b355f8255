/**
 * Every profile rule kind fails on a crafted bad copy of a real BB2 v2 sample, with the violation
 * (rule id, requirement, path) it names; and a list of mutations of real samples is caught whole.
 * Mutations run with today's known deviations tolerated ('current'), as against a server that
 * serves BFD's current shapes; those a 2020-2021 deviation does not cover are caught with every
 * deviation tolerated too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateBb2V2Profiles, type DeviationMode } from './bb2-v2.js';
import { loadR4Sample } from './r4-samples.js';
import type { Violation } from '../violation.js';

type Json = Record<string, unknown>;
const at = (value: unknown, ...keys: (string | number)[]): Json => keys.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value) as Json;
const list = (value: unknown, ...keys: (string | number)[]): Json[] => at(value, ...keys) as unknown as Json[];

interface Mutation {
  readonly kind: string;
  readonly sample: string;
  readonly mutate: (document: Json) => void;
  readonly rule: string;
  readonly requirement: string;
  readonly path?: string;
  readonly message?: RegExp;
  /** true when a 2020-2021 deviation (seen in BB2's old fixtures) covers the same broken rule. */
  readonly coveredBy2021Shapes?: boolean;
}

const BFD = 'bfd-endpoint-responses-v2/';
const SANDBOX = 'sandbox-bbuser29999/';

export const MUTATIONS: readonly Mutation[] = [
  {
    kind: 'cardinality (min): Patient without meta.lastUpdated',
    sample: `${SANDBOX}patient_bbuser29999.json`,
    mutate: (patient) => delete at(patient, 'meta').lastUpdated,
    rule: 'profile:C4BB-Patient:Patient.meta.lastUpdated:cardinality',
    requirement: 'C4BB-Patient',
    path: 'meta.lastUpdated',
    message: /Patient\.meta\.lastUpdated requires 1\.\.1, found 0/,
  },
  {
    kind: 'cardinality (max): Coverage with two payors',
    sample: `${BFD}coverageRead.json`,
    mutate: (coverage) => list(coverage, 'payor').push({ identifier: { value: 'second payor' } }),
    rule: 'profile:C4BB-Coverage:Coverage.payor:cardinality',
    requirement: 'C4BB-Coverage',
    message: /requires 1\.\.1, found 2/,
  },
  {
    kind: 'cardinality (min): Coverage without relationship',
    sample: `${BFD}coverageRead.json`,
    mutate: (coverage) => delete coverage.relationship,
    rule: 'profile:C4BB-Coverage:Coverage.relationship:cardinality',
    requirement: 'C4BB-Coverage',
  },
  {
    kind: 'cardinality from US Core (min): Patient without identifier',
    sample: `${SANDBOX}patient_bbuser29999.json`,
    mutate: (patient) => delete patient.identifier,
    rule: 'profile:us-core-patient:Patient.identifier:cardinality',
    requirement: 'USCORE-Patient',
  },
  {
    kind: 'pattern: a Part D event typed as a professional claim',
    sample: `${BFD}eobReadPde.json`,
    mutate: (eob) => {
      for (const coding of list(eob, 'type', 'coding')) if (coding.system === 'http://terminology.hl7.org/CodeSystem/claim-type') coding.code = 'professional';
    },
    rule: 'profile:C4BB-ExplanationOfBenefit-Pharmacy:ExplanationOfBenefit.type:pattern',
    requirement: 'C4BB-ExplanationOfBenefit-Pharmacy',
    path: 'type',
  },
  {
    kind: 'required binding: care team role outside the professional roles',
    sample: `${BFD}eobReadCarrier.json`,
    mutate: (eob) => {
      at(list(eob, 'careTeam')[0], 'role', 'coding', 0).code = 'surgeon';
    },
    rule: 'profile:C4BB-ExplanationOfBenefit-Professional-NonClinician:ExplanationOfBenefit.careTeam.role:required-binding',
    requirement: 'C4BB-ExplanationOfBenefit-Professional-NonClinician',
    path: 'careTeam[0].role',
  },
  {
    kind: 'required binding: institutional claim subType outside its value set',
    sample: `${BFD}eobReadOutpatient.json`,
    mutate: (eob) => {
      at(eob, 'subType', 'coding', 0).code = 'emergency';
    },
    rule: 'profile:C4BB-ExplanationOfBenefit-Outpatient-Institutional:ExplanationOfBenefit.subType:required-binding',
    requirement: 'C4BB-ExplanationOfBenefit-Outpatient-Institutional',
  },
  {
    kind: 'slice cardinality: inpatient EOB without its admission period',
    sample: `${BFD}eobReadInpatient.json`,
    mutate: (eob) => {
      eob.supportingInfo = list(eob, 'supportingInfo').filter((info) => !JSON.stringify(info.category).includes('"admissionperiod"'));
    },
    rule: 'profile:C4BB-ExplanationOfBenefit-Inpatient-Institutional:ExplanationOfBenefit.supportingInfo:admissionperiod:slice-cardinality',
    requirement: 'C4BB-ExplanationOfBenefit-Inpatient-Institutional',
    path: 'supportingInfo',
    coveredBy2021Shapes: true,
  },
  {
    kind: 'slice cardinality: Part D event with a second days-supply',
    sample: `${BFD}eobReadPde.json`,
    mutate: (eob) => {
      const daysSupply = list(eob, 'supportingInfo').find((info) => JSON.stringify(info.category).includes('"dayssupply"'));
      list(eob, 'supportingInfo').push({ ...structuredClone(daysSupply), sequence: 99 });
    },
    rule: 'profile:C4BB-ExplanationOfBenefit-Pharmacy:ExplanationOfBenefit.supportingInfo:dayssupply:slice-cardinality',
    requirement: 'C4BB-ExplanationOfBenefit-Pharmacy',
    message: /requires 1\.\.1, found 2/,
  },
  {
    kind: 'closed slicing: an item adjudication of no C4BB category',
    sample: `${BFD}eobReadCarrier.json`,
    mutate: (eob) => {
      list(eob, 'item', 0, 'adjudication').push({ category: { coding: [{ system: 'https://example.org/adjudication', code: 'bonus' }] }, amount: { value: 1, currency: 'USD' } });
    },
    rule: 'profile:C4BB-ExplanationOfBenefit-Professional-NonClinician:ExplanationOfBenefit.item.adjudication:closed-slicing',
    requirement: 'C4BB-ExplanationOfBenefit-Professional-NonClinician',
    coveredBy2021Shapes: true,
  },
  {
    kind: 'choice type: admission period as a date instead of a Period',
    sample: `${BFD}eobReadInpatient.json`,
    mutate: (eob) => {
      const admission = list(eob, 'supportingInfo').find((info) => JSON.stringify(info.category).includes('"admissionperiod"')) as Json;
      admission.timingDate = (admission.timingPeriod as { start: string }).start;
      delete admission.timingPeriod;
    },
    rule: 'profile:C4BB-ExplanationOfBenefit-Inpatient-Institutional:ExplanationOfBenefit.supportingInfo:admissionperiod.timing[x]:choice-type',
    requirement: 'C4BB-ExplanationOfBenefit-Inpatient-Institutional',
  },
  {
    kind: 'invariant EOB-out-inst-item-productorservice: an outpatient item whose service is "not applicable"',
    sample: `${BFD}eobReadOutpatient.json`,
    mutate: (eob) => {
      at(list(eob, 'item')[0], 'productOrService').coding = [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'not-applicable' }];
    },
    rule: 'profile:C4BB-ExplanationOfBenefit-Outpatient-Institutional:ExplanationOfBenefit.item.productOrService:invariant:EOB-out-inst-item-productorservice',
    requirement: 'C4BB-ExplanationOfBenefit-Outpatient-Institutional-EOB-out-inst-item-productorservice',
    path: 'item[0].productOrService',
  },
  {
    kind: 'invariant us-core-8: a Patient name with neither family nor given',
    sample: `${SANDBOX}patient_bbuser29999.json`,
    mutate: (patient) => {
      const name = list(patient, 'name')[0] as Json;
      delete name.family;
      delete name.given;
      name.text = 'nameless';
    },
    rule: 'profile:us-core-patient:Patient.name:invariant:us-core-8',
    requirement: 'USCORE-Patient-us-core-8',
    path: 'name[0]',
  },
  {
    kind: 'invariant adjudication-has-amount-type-slice: an outpatient item adjudicated with denial reasons only',
    sample: `${BFD}eobReadOutpatient.json`,
    mutate: (eob) => {
      const item = list(eob, 'item')[0] as Json;
      item.adjudication = (item.adjudication as Json[]).filter((adjudication) => JSON.stringify(adjudication.category).includes('denialreason'));
    },
    rule: 'profile:C4BB-ExplanationOfBenefit-Outpatient-Institutional:ExplanationOfBenefit.item.adjudication:invariant:adjudication-has-amount-type-slice',
    requirement: 'C4BB-ExplanationOfBenefit-Outpatient-Institutional-adjudication-has-amount-type-slice',
    path: 'item[0].adjudication',
    coveredBy2021Shapes: true,
  },
  {
    kind: 'BB2 profile choice: a carrier claim that claims the Pharmacy profile',
    sample: `${BFD}eobReadCarrier.json`,
    mutate: (eob) => {
      at(eob, 'meta').profile = ['http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-ExplanationOfBenefit-Pharmacy'];
    },
    rule: 'bb2-v2:claimed-profile',
    requirement: 'BB2-FHIR-V2PROFILE-01',
    path: 'meta.profile',
  },
  {
    // The provider Organization (id provider-org) without a name is a known current deviation (synthetic
    // NPIs have no name: schemas/bb2-v2-profiles.json contained-organization-without-name); any other
    // contained Organization without one is not.
    kind: 'contained resource: a contained Organization other than the provider one, without a name',
    sample: `${BFD}eobReadInpatient.json`,
    mutate: (eob) => {
      const organization = list(eob, 'contained')[0] as Json;
      delete organization.name;
      organization.id = 'billing-org';
      const text = JSON.stringify(eob).replaceAll('"#provider-org"', '"#billing-org"');
      Object.assign(eob, JSON.parse(text) as Json);
    },
    rule: 'profile:us-core-organization:Organization.name:cardinality',
    requirement: 'USCORE-Organization',
    path: 'contained[0].name',
  },
];

function caught(mutation: Mutation, mode: DeviationMode): Violation | undefined {
  const document = structuredClone(loadR4Sample(mutation.sample));
  mutation.mutate(document);
  return validateBb2V2Profiles(document, { deviations: mode }).find((violation) => violation.ruleId === mutation.rule && violation.severity !== 'warning');
}

describe('mutations of real BB2 v2 samples', () => {
  it('the list covers 10+ kinds of mutation and every rule kind', () => {
    assert.ok(MUTATIONS.length >= 10);
    for (const kind of ['cardinality', 'pattern', 'required-binding', 'slice-cardinality', 'closed-slicing', 'choice-type', 'invariant:', 'bb2-v2:claimed-profile']) {
      assert.ok(MUTATIONS.some((mutation) => mutation.rule.includes(kind)), kind);
    }
  });

  for (const mutation of MUTATIONS) {
    it(`${mutation.kind} is caught`, () => {
      const original = validateBb2V2Profiles(loadR4Sample(mutation.sample), { deviations: 'current' });
      assert.ok(!original.some((violation) => violation.ruleId === mutation.rule && violation.severity !== 'warning'), 'the unmutated sample already breaks the rule');
      const violation = caught(mutation, 'current');
      assert.ok(violation, `no error with rule ${mutation.rule}`);
      assert.equal(violation.requirement, mutation.requirement);
      if (mutation.path !== undefined) assert.equal(violation.path, mutation.path);
      if (mutation.message) assert.match(violation.message, mutation.message);
      if (!mutation.coveredBy2021Shapes) assert.ok(caught(mutation, 'all'), 'not caught when every known deviation is tolerated');
    });
  }

  it('a known deviation turns only the violation it describes into a note', () => {
    const dme = structuredClone(loadR4Sample(`${BFD}eobReadDme.json`));
    const notes = validateBb2V2Profiles(dme).filter((violation) => violation.severity === 'warning');
    assert.ok(notes.some((note) => note.ruleId === 'bb2-v2:deviation:dme-claims-get-the-inpatient-institutional-profile'), 'the profile choice itself is a note');
    assert.ok(notes.some((note) => note.ruleId.endsWith('ExplanationOfBenefit.subType:cardinality') && note.message.includes("Known BB2 deviation 'dme-claims-get-the-inpatient-institutional-profile'")));
    // The same gap on an inpatient claim is an error: the deviation is about DME claims only.
    const inpatient = structuredClone(loadR4Sample(`${BFD}eobReadInpatient.json`));
    delete inpatient.subType;
    const errors = validateBb2V2Profiles(inpatient, { deviations: 'current' }).filter((violation) => violation.severity !== 'warning');
    assert.ok(errors.some((violation) => violation.ruleId === 'profile:C4BB-ExplanationOfBenefit-Inpatient-Institutional:ExplanationOfBenefit.subType:cardinality'));
  });
});
