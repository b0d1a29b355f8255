/**
 * One crafted bad instance per invariant of schemas/fhir-stu3/invariants.json and
 * schemas/fhir-r4/invariants.json, hand-written (an expression does not say what a minimal breaking
 * instance looks like), each with the path where the broken element is and a good twin that differs
 * only there. Instances that are the same in both releases are written once. The invariant tests
 * check that each table covers every invariant of its data, that each bad instance breaks exactly its
 * invariant at that path (R4's dom-6, a warning on every resource without narrative, set aside) and
 * that its twin breaks nothing.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ReleaseName } from '../fhir/release.js';
import { validateResource } from '../validate.js';
import type { Violation } from '../violation.js';

type Json = Record<string, unknown>;

export interface InvariantCase {
  readonly key: string;
  readonly path: string;
  /**
   * Other invariants the instance cannot help breaking, as "<key> @ <path>": txt-1 and txt-2 are
   * the same expression (`htmlchecks()`), and a nested contained resource can be referenced from nowhere.
   */
  readonly alsoBreaks?: readonly string[];
  readonly bad: () => Json;
  readonly good: () => Json;
}

const UCUM = 'http://unitsofmeasure.org';
const XHTML = (content: string) => `<div xmlns="http://www.w3.org/1999/xhtml">${content}</div>`;

const patientWith = (fields: Json): Json => ({ resourceType: 'Patient', id: 'p1', ...fields });
const extensionWith = (value: Json): Json => patientWith({ extension: [{ url: 'https://example.org/x', ...value }] });
const bundle = (fields: Json): Json => ({ resourceType: 'Bundle', id: 'b1', ...fields });
const patientEntry = { fullUrl: 'https://example.org/fhir/Patient/p1', resource: { resourceType: 'Patient', id: 'p1' } };
const contained = (resource: Json, referenced = true): Json =>
  patientWith({ contained: [{ resourceType: 'Patient', id: 'c1', ...resource }], ...(referenced ? { link: [{ other: { reference: '#c1' }, type: 'seealso' }] } : {}) });
const timing = (repeat: Json): Json => extensionWith({ valueTiming: { repeat } });
const observation = (fields: Json): Json => ({ resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] }, ...fields });

/** A CapabilityStatement of an instance with a REST server, with the release's own mandatory elements. */
const capabilityOf =
  (releaseFields: Json) =>
  (fields: Json): Json => ({
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2024-01-01',
    kind: 'instance',
    format: ['json'],
    implementation: { description: 'BB2' },
    rest: [{ mode: 'server' }],
    ...releaseFields,
    ...fields,
  });

// STU3's own shapes
const stu3Capability = capabilityOf({ fhirVersion: '3.0.2', acceptUnknown: 'no' });
const referral = (requester: Json): Json => ({ resourceType: 'ReferralRequest', id: 'r1', status: 'active', intent: 'order', subject: { reference: 'Patient/1' }, requester });
const messaging = (fields: Json): Json => ({ endpoint: [{ protocol: { system: 'http://hl7.org/fhir/message-transport', code: 'http' }, address: 'https://example.org/msg' }], ...fields });
const stu3SupportedMessage = [{ mode: 'sender', definition: { reference: 'MessageDefinition/m1' } }];
const event = [{ code: { system: 'http://hl7.org/fhir/message-events', code: 'admin-notify' }, mode: 'sender', focus: 'Patient', request: { reference: 'StructureDefinition/a' }, response: { reference: 'StructureDefinition/b' } }];

// R4's own shapes
const r4Capability = capabilityOf({ name: 'BlueButton', fhirVersion: '4.0.1' });
const composition = { fullUrl: 'https://example.org/fhir/Composition/c1', resource: { resourceType: 'Composition', id: 'c1', status: 'final', type: { text: 'summary' }, date: '2024-01-01', author: [{ display: 'BB2' }], title: 'Summary' } };
const documentBundle = (fields: Json): Json =>
  bundle({ type: 'document', identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0' }, timestamp: '2024-01-01T00:00:00Z', entry: [composition], ...fields });
const organization = (fields: Json): Json => ({ resourceType: 'Organization', id: 'o1', name: 'CMS', ...fields });
const endpoint = { protocol: { system: 'http://terminology.hl7.org/CodeSystem/message-transport', code: 'http' }, address: 'https://example.org/msg' };
const r4SupportedMessage = [{ mode: 'sender', definition: 'https://example.org/MessageDefinition/m1' }];
const trigger = (fields: Json): Json => extensionWith({ valueTriggerDefinition: fields });

/** Instances the same in STU3 and R4, given the release's CapabilityStatement. */
function sharedCases(capability: (fields: Json) => Json): InvariantCase[] {
  return [
  ] = [
    { key: 'age-1', path: 'extension[0].valueAge', bad: () => extensionWith({ valueAge: { value: -1, system: UCUM, code: 'a' } }), good: () => extensionWith({ valueAge: { value: 1, system: UCUM, code: 'a' } }) },
    { key: 'att-1', path: 'photo[0]', bad: () => patientWith({ photo: [{ data: 'aGk=' }] }), good: () => patientWith({ photo: [{ data: 'aGk=', contentType: 'image/png' }] }) },
    { key: 'bdl-1', path: '', bad: () => bundle({ type: 'collection', total: 1 }), good: () => bundle({ type: 'searchset', total: 1 }) },
    {
      key: 'bdl-2',
      path: '',
      bad: () => bundle({ type: 'collection', entry: [{ ...patientEntry, search: { mode: 'match' } }] }),
      good: () => bundle({ type: 'searchset', entry: [{ ...patientEntry, search: { mode: 'match' } }] }),
    },
    { key: 'bdl-5', path: 'entry[0]', bad: () => bundle({ type: 'searchset', entry: [{ fullUrl: 'https://example.org/fhir/Patient/p1' }] }), good: () => bundle({ type: 'searchset', entry: [patientEntry] }) },
    {
      key: 'bdl-7',
      path: '',
      bad: () => bundle({ type: 'collection', entry: [patientEntry, patientEntry] }),
      good: () => bundle({ type: 'collection', entry: [patientEntry, { fullUrl: 'https://example.org/fhir/Patient/p2', resource: { resourceType: 'Patient', id: 'p2' } }] }),
    },
    {
      key: 'bdl-8',
      path: 'entry[0]',
      bad: () => bundle({ type: 'searchset', entry: [{ ...patientEntry, fullUrl: 'https://example.org/fhir/Patient/p1/_history/2' }] }),
      good: () => bundle({ type: 'searchset', entry: [patientEntry] }),
    },
    { key: 'cnt-3', path: 'extension[0].valueCount', bad: () => extensionWith({ valueCount: { value: 1.5, system: UCUM, code: '1' } }), good: () => extensionWith({ valueCount: { value: 2, system: UCUM, code: '1' } }) },
    { key: 'cpb-1', path: '', bad: () => capability({ rest: undefined }), good: () => capability({}) },
    {
      key: 'cpb-2',
      path: '',
      bad: () => capability({ kind: 'requirements', implementation: undefined }),
      good: () => capability({ kind: 'requirements', implementation: undefined, description: 'what a BB2 server must do' }),
    },
    { key: 'cpt-2', path: 'telecom[0]', bad: () => patientWith({ telecom: [{ value: '555-0100' }] }), good: () => patientWith({ telecom: [{ system: 'phone', value: '555-0100' }] }) },
    {
      key: 'dis-1',
      path: 'extension[0].valueDistance',
      bad: () => extensionWith({ valueDistance: { value: 1, system: 'https://example.org/units', code: 'km' } }),
      good: () => extensionWith({ valueDistance: { value: 1, system: UCUM, code: 'km' } }),
    },
    { key: 'dom-2', path: '', alsoBreaks: ['dom-3 @ contained[0]'], bad: () => contained({ contained: [{ resourceType: 'Patient', id: 'c2' }] }), good: () => contained({}) },
    { key: 'dom-3', path: '', bad: () => contained({}, false), good: () => contained({}) },
    { key: 'dom-4', path: '', bad: () => contained({ meta: { versionId: '2' } }), good: () => contained({ meta: { profile: ['http://hl7.org/fhir/StructureDefinition/Patient'] } }) },
    {
      key: 'drt-1',
      path: 'extension[0].valueDuration',
      bad: () => extensionWith({ valueDuration: { value: 1, system: 'https://example.org/units', code: 's' } }),
      good: () => extensionWith({ valueDuration: { value: 1, system: UCUM, code: 's' } }),
    },
    { key: 'ele-1', path: 'name[0]', bad: () => patientWith({ name: [{ id: 'n1' }] }), good: () => patientWith({ name: [{ id: 'n1', family: 'Doe' }] }) },
    {
      key: 'ext-1',
      path: 'extension[0]',
      bad: () => extensionWith({ valueString: 'a', extension: [{ url: 'https://example.org/y', valueString: 'b' }] }),
      good: () => extensionWith({ extension: [{ url: 'https://example.org/y', valueString: 'b' }] }),
    },
    { key: 'obs-3', path: 'referenceRange[0]', bad: () => observation({ referenceRange: [{ type: { text: 'normal' } }] }), good: () => observation({ referenceRange: [{ text: 'normal' }] }) },
    {
      key: 'obs-7',
      path: '',
      bad: () => observation({ valueString: 'x', component: [{ code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] }, valueString: 'y' }] }),
      good: () => observation({ valueString: 'x', component: [{ code: { coding: [{ system: 'http://loinc.org', code: '4544-3' }] }, valueString: 'y' }] }),
    },
    { key: 'pat-1', path: 'contact[0]', bad: () => patientWith({ contact: [{ gender: 'male' }] }), good: () => patientWith({ contact: [{ gender: 'male', name: { family: 'Doe' } }] }) },
    { key: 'qty-3', path: 'valueQuantity', bad: () => observation({ valueQuantity: { value: 1, code: 'mg' } }), good: () => observation({ valueQuantity: { value: 1, system: UCUM, code: 'mg' } }) },
    { key: 'rat-1', path: 'extension[0].valueRatio', bad: () => extensionWith({ valueRatio: { numerator: { value: 1 } } }), good: () => extensionWith({ valueRatio: { numerator: { value: 1 }, denominator: { value: 2 } } }) },
    { key: 'ref-1', path: 'link[0].other', bad: () => patientWith({ link: [{ other: { reference: '#missing' }, type: 'seealso' }] }), good: () => contained({}) },
    { key: 'rng-2', path: 'extension[0].valueRange', bad: () => extensionWith({ valueRange: { low: { value: 5 }, high: { value: 1 } } }), good: () => extensionWith({ valueRange: { low: { value: 1 }, high: { value: 5 } } }) },
    { key: 'sqty-1', path: 'extension[0].valueRange.low', bad: () => extensionWith({ valueRange: { low: { value: 1, comparator: '<' } } }), good: () => extensionWith({ valueRange: { low: { value: 1 } } }) },
    { key: 'tim-1', path: 'extension[0].valueTiming.repeat', bad: () => timing({ duration: 2 }), good: () => timing({ duration: 2, durationUnit: 'h' }) },
    { key: 'tim-2', path: 'extension[0].valueTiming.repeat', bad: () => timing({ period: 2 }), good: () => timing({ period: 2, periodUnit: 'd' }) },
    { key: 'tim-4', path: 'extension[0].valueTiming.repeat', bad: () => timing({ duration: -2, durationUnit: 'h' }), good: () => timing({ duration: 2, durationUnit: 'h' }) },
    { key: 'tim-5', path: 'extension[0].valueTiming.repeat', bad: () => timing({ period: -2, periodUnit: 'd' }), good: () => timing({ period: 2, periodUnit: 'd' }) },
    { key: 'tim-6', path: 'extension[0].valueTiming.repeat', bad: () => timing({ periodMax: 3, periodUnit: 'd' }), good: () => timing({ period: 2, periodMax: 3, periodUnit: 'd' }) },
    { key: 'tim-7', path: 'extension[0].valueTiming.repeat', bad: () => timing({ durationMax: 3, durationUnit: 'h' }), good: () => timing({ duration: 2, durationMax: 3, durationUnit: 'h' }) },
    { key: 'tim-8', path: 'extension[0].valueTiming.repeat', bad: () => timing({ countMax: 3 }), good: () => timing({ count: 2, countMax: 3 }) },
    { key: 'tim-9', path: 'extension[0].valueTiming.repeat', bad: () => timing({ offset: 30, when: ['C'] }), good: () => timing({ offset: 30, when: ['ACM'] }) },
    { key: 'tim-10', path: 'extension[0].valueTiming.repeat', bad: () => timing({ timeOfDay: ['08:00:00'], when: ['MORN'] }), good: () => timing({ timeOfDay: ['08:00:00'] }) },
    { key: 'txt-1', path: 'text.div', alsoBreaks: ['txt-2 @ text.div'], bad: () => patientWith({ text: { status: 'generated', div: XHTML('<script>alert(1)</script>x') } }), good: () => patientWith({ text: { status: 'generated', div: XHTML('<b>x</b>') } }) },
    { key: 'txt-2', path: 'text.div', alsoBreaks: ['txt-1 @ text.div'], bad: () => patientWith({ text: { status: 'generated', div: XHTML('  ') } }), good: () => patientWith({ text: { status: 'generated', div: XHTML('x') } }) },
  ];
}

export const STU3_INVARIANT_CASES: readonly InvariantCase[] = [
  ...sharedCases(stu3Capability),
  {
    key: 'bdl-3',
    path: '',
    bad: () => bundle({ type: 'searchset', entry: [{ ...patientEntry, request: { method: 'GET', url: 'Patient/p1' } }] }),
    good: () => bundle({ type: 'batch', entry: [{ ...patientEntry, request: { method: 'GET', url: 'Patient/p1' } }] }),
  },
  {
    key: 'bdl-4',
    path: '',
    bad: () => bundle({ type: 'searchset', entry: [{ ...patientEntry, response: { status: '200' } }] }),
    good: () => bundle({ type: 'batch-response', entry: [{ ...patientEntry, response: { status: '200' } }] }),
  },
  { key: 'bdl-9', path: '', bad: () => bundle({ type: 'document' }), good: () => bundle({ type: 'document', identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0' } }) },
  {
    key: 'cpb-3',
    path: '',
    bad: () => stu3Capability({ kind: 'capability', implementation: undefined, software: { name: 'BB2' }, messaging: [messaging({ supportedMessage: stu3SupportedMessage })] }),
    good: () => stu3Capability({ kind: 'instance', messaging: [messaging({ supportedMessage: stu3SupportedMessage })] }),
  },
  {
    key: 'cpb-7',
    path: '',
    bad: () => stu3Capability({ document: [{ mode: 'producer', profile: { reference: 'StructureDefinition/d' } }, { mode: 'producer', profile: { reference: 'StructureDefinition/d' } }] }),
    good: () => stu3Capability({ document: [{ mode: 'producer', profile: { reference: 'StructureDefinition/d' } }, { mode: 'consumer', profile: { reference: 'StructureDefinition/d' } }] }),
  },
  { key: 'cpb-8', path: '', bad: () => stu3Capability({ rest: [{ mode: 'server' }, { mode: 'server' }] }), good: () => stu3Capability({ rest: [{ mode: 'server' }, { mode: 'client' }] }) },
  {
    key: 'cpb-9',
    path: 'rest[0]',
    bad: () => stu3Capability({ rest: [{ mode: 'server', resource: [{ type: 'Patient', interaction: [{ code: 'read' }] }, { type: 'Patient', interaction: [{ code: 'read' }] }] }] }),
    good: () => stu3Capability({ rest: [{ mode: 'server', resource: [{ type: 'Patient', interaction: [{ code: 'read' }] }, { type: 'Coverage', interaction: [{ code: 'read' }] }] }] }),
  },
  {
    key: 'cpb-12',
    path: 'rest[0].resource[0]',
    bad: () => stu3Capability({ rest: [{ mode: 'server', resource: [{ type: 'Coverage', interaction: [{ code: 'read' }], searchParam: [{ name: '_id', type: 'token' }, { name: '_id', type: 'token' }] }] }] }),
    good: () => stu3Capability({ rest: [{ mode: 'server', resource: [{ type: 'Coverage', interaction: [{ code: 'read' }], searchParam: [{ name: '_id', type: 'token' }, { name: 'identifier', type: 'token' }] }] }] }),
  },
  {
    key: 'cpb-14',
    path: '',
    bad: () => stu3Capability({ kind: 'requirements', implementation: undefined, software: { name: 'BB2' } }),
    good: () => stu3Capability({ kind: 'capability', implementation: undefined, software: { name: 'BB2' } }),
  },
  { key: 'cpb-15', path: '', bad: () => stu3Capability({ kind: 'capability' }), good: () => stu3Capability({ kind: 'instance' }) },
  {
    key: 'cpb-16',
    path: 'messaging[0]',
    bad: () => stu3Capability({ messaging: [messaging({ supportedMessage: stu3SupportedMessage, event })] }),
    good: () => stu3Capability({ messaging: [messaging({ event })] }),
  },
  { key: 'dom-1', path: '', bad: () => contained({ text: { status: 'generated', div: XHTML('a narrative') } }), good: () => contained({}) },
  {
    key: 'mny-1',
    path: 'extension[0].valueMoney',
    bad: () => extensionWith({ valueMoney: { value: 12.5, system: 'urn:iso:std:iso:4217' } }),
    good: () => extensionWith({ valueMoney: { value: 12.5, system: 'urn:iso:std:iso:4217', code: 'USD' } }),
  },
  {
    key: 'obs-6',
    path: '',
    bad: () => observation({ valueString: 'n/a', dataAbsentReason: { coding: [{ system: 'http://hl7.org/fhir/data-absent-reason', code: 'unknown' }] } }),
    good: () => observation({ dataAbsentReason: { coding: [{ system: 'http://hl7.org/fhir/data-absent-reason', code: 'unknown' }] } }),
  },
  { key: 'per-1', path: 'period', bad: () => ({ resourceType: 'Coverage', id: 'c1', period: { start: '2020-02-01', end: '2020-01-31' } }), good: () => ({ resourceType: 'Coverage', id: 'c1', period: { start: '2020-01-31', end: '2020-02-01' } }) },
  {
    key: 'rfr-1',
    path: 'requester',
    bad: () => referral({ agent: { reference: 'Patient/1' }, onBehalfOf: { reference: 'Organization/1' } }),
    good: () => referral({ agent: { reference: 'Practitioner/1' }, onBehalfOf: { reference: 'Organization/1' } }),
  },
];

export const R4_INVARIANT_CASES: readonly InvariantCase[] = [
  ...sharedCases(r4Capability),
  { key: 'bdl-3', path: '', bad: () => bundle({ type: 'batch', entry: [patientEntry] }), good: () => bundle({ type: 'batch', entry: [{ ...patientEntry, request: { method: 'PUT', url: 'Patient/p1' } }] }) },
  { key: 'bdl-4', path: '', bad: () => bundle({ type: 'batch-response', entry: [patientEntry] }), good: () => bundle({ type: 'batch-response', entry: [{ ...patientEntry, response: { status: '200' } }] }) },
  { key: 'bdl-9', path: '', bad: () => documentBundle({ identifier: undefined }), good: () => documentBundle({}) },
  { key: 'bdl-10', path: '', bad: () => documentBundle({ timestamp: undefined }), good: () => documentBundle({}) },
  { key: 'bdl-11', path: '', bad: () => documentBundle({ entry: [patientEntry] }), good: () => documentBundle({}) },
  {
    key: 'bdl-12',
    path: '',
    bad: () => bundle({ type: 'message', entry: [patientEntry] }),
    good: () => bundle({ type: 'message', entry: [{ fullUrl: 'https://example.org/fhir/MessageHeader/m1', resource: { resourceType: 'MessageHeader', id: 'm1', eventCoding: { system: 'https://example.org/events', code: 'e' }, source: { endpoint: 'https://example.org/src' } } }] }),
  },
  { key: 'cpb-0', path: '', bad: () => r4Capability({ name: 'blue button' }), good: () => r4Capability({}) },
  {
    key: 'cpb-3',
    path: '',
    bad: () => r4Capability({ kind: 'capability', implementation: undefined, software: { name: 'BB2' }, messaging: [{ endpoint: [endpoint], supportedMessage: r4SupportedMessage }] }),
    good: () => r4Capability({ messaging: [{ endpoint: [endpoint], supportedMessage: r4SupportedMessage }] }),
  },
  {
    key: 'cpb-7',
    path: '',
    bad: () => r4Capability({ document: [{ mode: 'producer', profile: 'https://example.org/StructureDefinition/d' }, { mode: 'producer', profile: 'https://example.org/StructureDefinition/d' }] }),
    good: () => r4Capability({ document: [{ mode: 'producer', profile: 'https://example.org/StructureDefinition/d' }, { mode: 'consumer', profile: 'https://example.org/StructureDefinition/d' }] }),
  },
  {
    key: 'cpb-9',
    path: 'rest[0]',
    bad: () => r4Capability({ rest: [{ mode: 'server', resource: [{ type: 'Patient' }, { type: 'Patient' }] }] }),
    good: () => r4Capability({ rest: [{ mode: 'server', resource: [{ type: 'Patient' }, { type: 'Coverage' }] }] }),
  },
  {
    key: 'cpb-12',
    path: 'rest[0].resource[0]',
    bad: () => r4Capability({ rest: [{ mode: 'server', resource: [{ type: 'Coverage', searchParam: [{ name: '_id', type: 'token' }, { name: '_id', type: 'token' }] }] }] }),
    good: () => r4Capability({ rest: [{ mode: 'server', resource: [{ type: 'Coverage', searchParam: [{ name: '_id', type: 'token' }, { name: 'identifier', type: 'token' }] }] }] }),
  },
  { key: 'cpb-14', path: '', bad: () => r4Capability({ implementation: undefined, software: { name: 'BB2' } }), good: () => r4Capability({}) },
  { key: 'cpb-15', path: '', bad: () => r4Capability({ kind: 'capability', software: { name: 'BB2' } }), good: () => r4Capability({ kind: 'capability', implementation: undefined, software: { name: 'BB2' } }) },
  { key: 'cpb-16', path: '', bad: () => r4Capability({ kind: 'requirements', implementation: undefined, software: { name: 'BB2' } }), good: () => r4Capability({ kind: 'requirements', implementation: undefined, description: 'requirements' }) },
  { key: 'dom-5', path: '', bad: () => contained({ meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] } }), good: () => contained({}) },
  { key: 'dom-6', path: '', bad: () => patientWith({}), good: () => patientWith({ text: { status: 'generated', div: XHTML('a patient') } }) },
  {
    key: 'drq-1',
    path: 'extension[0].valueDataRequirement.codeFilter[0]',
    bad: () => extensionWith({ valueDataRequirement: { type: 'Observation', codeFilter: [{ path: 'code', searchParam: 'code' }] } }),
    good: () => extensionWith({ valueDataRequirement: { type: 'Observation', codeFilter: [{ path: 'code' }] } }),
  },
  {
    key: 'drq-2',
    path: 'extension[0].valueDataRequirement.dateFilter[0]',
    bad: () => extensionWith({ valueDataRequirement: { type: 'Observation', dateFilter: [{ path: 'effective', searchParam: 'date' }] } }),
    good: () => extensionWith({ valueDataRequirement: { type: 'Observation', dateFilter: [{ searchParam: 'date' }] } }),
  },
  {
    key: 'exp-1',
    path: 'extension[0].valueExpression',
    bad: () => extensionWith({ valueExpression: { language: 'text/fhirpath' } }),
    good: () => extensionWith({ valueExpression: { language: 'text/fhirpath', expression: 'true' } }),
  },
  {
    key: 'obs-6',
    path: '',
    bad: () => observation({ valueString: 'n/a', dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown' }] } }),
    good: () => observation({ dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown' }] } }),
  },
  { key: 'org-1', path: '', bad: () => organization({ name: undefined, active: true }), good: () => organization({}) },
  { key: 'org-2', path: 'address[0]', bad: () => organization({ address: [{ use: 'home', city: 'Baltimore' }] }), good: () => organization({ address: [{ use: 'work', city: 'Baltimore' }] }) },
  { key: 'org-3', path: 'telecom[0]', bad: () => organization({ telecom: [{ system: 'phone', value: '555-0100', use: 'home' }] }), good: () => organization({ telecom: [{ system: 'phone', value: '555-0100', use: 'work' }] }) },
  {
    key: 'per-1',
    path: 'period',
    bad: () => ({ resourceType: 'Coverage', id: 'c1', status: 'active', beneficiary: { reference: 'Patient/p1' }, payor: [{ display: 'CMS' }], period: { start: '2020-02-01', end: '2020-01-31' } }),
    good: () => ({ resourceType: 'Coverage', id: 'c1', status: 'active', beneficiary: { reference: 'Patient/p1' }, payor: [{ display: 'CMS' }], period: { start: '2020-01-31', end: '2020-02-01' } }),
  },
  {
    key: 'trd-1',
    path: 'extension[0].valueTriggerDefinition',
    bad: () => trigger({ type: 'data-changed', timingDate: '2024-01-01', data: [{ type: 'Patient' }] }),
    good: () => trigger({ type: 'data-changed', data: [{ type: 'Patient' }] }),
  },
  {
    key: 'trd-2',
    path: 'extension[0].valueTriggerDefinition',
    bad: () => trigger({ type: 'named-event', name: 'admit', condition: { language: 'text/fhirpath', expression: 'true' } }),
    good: () => trigger({ type: 'named-event', name: 'admit' }),
  },
  { key: 'trd-3', path: 'extension[0].valueTriggerDefinition', bad: () => trigger({ type: 'named-event' }), good: () => trigger({ type: 'named-event', name: 'admit' }) },
];

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const summary = (violations: readonly Violation[]) => violations.map((v) => `${v.path} | ${v.ruleId} | ${v.message}`).join('\n');

/** What a case is about: every finding but the engine's own notes and, except in its own case, R4's narrative warning. */
function findings(release: ReleaseName, document: unknown, key: string): { all: Violation[]; failures: readonly Violation[] } {
  // The base specification's invariants on crafted instances: the profiles (which BB2's v2 resources claim) are not the subject.
  const verdict = validateResource(plain(document), { release, profiles: false });
  const all = [...verdict.violations, ...verdict.notes].filter((violation) => violation.ruleId !== 'engine:type-not-generated' && (key === 'dom-6' || violation.ruleId !== 'fhir:dom-6'));
  return { all, failures: verdict.violations };
}

/** One test per case: the bad instance breaks its invariant only (as a failure, or a note for a warning), its twin nothing. */
export function testInvariantCases(release: ReleaseName, cases: readonly InvariantCase[], severities: ReadonlyMap<string, 'error' | 'warning'>): void {
  const prefix = release === 'stu3' ? 'FHIR-STU3' : 'FHIR-R4';
  for (const testCase of cases) {
    it(`${testCase.key}: the bad instance breaks it at "${testCase.path}", the good twin passes`, () => {
      const bad = findings(release, testCase.bad(), testCase.key);
      assert.deepEqual(
        bad.all.map((violation) => `${violation.ruleId} @ ${violation.path}`).sort(),
        [`${testCase.key} @ ${testCase.path}`, ...(testCase.alsoBreaks ?? [])].map((expected) => `fhir:${expected}`).sort(),
        summary(bad.all),
      );
      const found = bad.all.find((violation) => violation.ruleId === `fhir:${testCase.key}`);
      assert.equal(found?.requirement, `${prefix}-${testCase.key}`);
      assert.equal(found?.knownDeviation, undefined, 'a crafted instance is no known BB2 deviation');
      assert.equal(found !== undefined && bad.failures.includes(found), severities.get(testCase.key) === 'error', 'errors fail the check, warnings are notes');
      const good = findings(release, testCase.good(), testCase.key);
      assert.deepEqual(good.all, [], summary(good.all));
    });
  }
}
