/**
 * One crafted bad instance per R4 invariant of schemas/fhir-r4/invariants.json, with its good twin
 * (see stu3-invariant-cases.ts for the STU3 table and the conventions). R4 adds dom-6, a warning every
 * resource without narrative gets: the test leaves it out except for its own case.
 */
import type { InvariantCase } from './stu3-invariant-cases.js';

type Json = Record<string, unknown>;

const UCUM = 'http://unitsofmeasure.org';
const XHTML = (content: string) => `<div xmlns="http://www.w3.org/1999/xhtml">${content}</div>`;

const patientWith = (fields: Json): Json => ({ resourceType: 'Patient', id: 'p1', ...fields });
const extensionWith = (value: Json): Json => patientWith({ extension: [{ url: 'https://example.org/x', ...value }] });
const bundle = (fields: Json): Json => ({ resourceType: 'Bundle', id: 'b1', ...fields });
const patientEntry = { fullUrl: 'https://example.org/fhir/Patient/p1', resource: { resourceType: 'Patient', id: 'p1' } };
const composition = { fullUrl: 'https://example.org/fhir/Composition/c1', resource: { resourceType: 'Composition', id: 'c1', status: 'final', type: { text: 'summary' }, date: '2024-01-01', author: [{ display: 'BB2' }], title: 'Summary' } };
const documentBundle = (fields: Json): Json =>
  bundle({ type: 'document', identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0' }, timestamp: '2024-01-01T00:00:00Z', entry: [composition], ...fields });
const capability = (fields: Json): Json => ({
  resourceType: 'CapabilityStatement',
  name: 'BlueButton',
  status: 'active',
  date: '2024-01-01',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  implementation: { description: 'BB2' },
  rest: [{ mode: 'server' }],
  ...fields,
});
const contained = (resource: Json, referenced = true): Json =>
  patientWith({ contained: [{ resourceType: 'Patient', id: 'c1', ...resource }], ...(referenced ? { link: [{ other: { reference: '#c1' }, type: 'seealso' }] } : {}) });
const timing = (repeat: Json): Json => extensionWith({ valueTiming: { repeat } });
const observation = (fields: Json): Json => ({ resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] }, ...fields });
const organization = (fields: Json): Json => ({ resourceType: 'Organization', id: 'o1', name: 'CMS', ...fields });
const endpoint = { protocol: { system: 'http://terminology.hl7.org/CodeSystem/message-transport', code: 'http' }, address: 'https://example.org/msg' };
const supportedMessage = [{ mode: 'sender', definition: 'https://example.org/MessageDefinition/m1' }];
const trigger = (fields: Json): Json => extensionWith({ valueTriggerDefinition: fields });

export const R4_INVARIANT_CASES: readonly InvariantCase[] = [
  { key: 'age-1', path: 'extension[0].valueAge', bad: () => extensionWith({ valueAge: { value: -1, system: UCUM, code: 'a' } }), good: () => extensionWith({ valueAge: { value: 1, system: UCUM, code: 'a' } }) },
  { key: 'att-1', path: 'photo[0]', bad: () => patientWith({ photo: [{ data: 'aGk=' }] }), good: () => patientWith({ photo: [{ data: 'aGk=', contentType: 'image/png' }] }) },
  { key: 'bdl-1', path: '', bad: () => bundle({ type: 'collection', total: 1 }), good: () => bundle({ type: 'searchset', total: 1 }) },
  { key: 'bdl-2', path: '', bad: () => bundle({ type: 'collection', entry: [{ ...patientEntry, search: { mode: 'match' } }] }), good: () => bundle({ type: 'searchset', entry: [{ ...patientEntry, search: { mode: 'match' } }] }) },
  { key: 'bdl-3', path: '', bad: () => bundle({ type: 'batch', entry: [patientEntry] }), good: () => bundle({ type: 'batch', entry: [{ ...patientEntry, request: { method: 'PUT', url: 'Patient/p1' } }] }) },
  { key: 'bdl-4', path: '', bad: () => bundle({ type: 'batch-response', entry: [patientEntry] }), good: () => bundle({ type: 'batch-response', entry: [{ ...patientEntry, response: { status: '200' } }] }) },
  { key: 'bdl-5', path: 'entry[0]', bad: () => bundle({ type: 'searchset', entry: [{ fullUrl: 'https://example.org/fhir/Patient/p1' }] }), good: () => bundle({ type: 'searchset', entry: [patientEntry] }) },
  {
    key: 'bdl-7',
    path: '',
    bad: () => bundle({ type: 'collection', entry: [patientEntry, patientEntry] }),
    good: () => bundle({ type: 'collection', entry: [patientEntry, { fullUrl: 'https://example.org/fhir/Patient/p2', resource: { resourceType: 'Patient', id: 'p2' } }] }),
  },
  { key: 'bdl-8', path: 'entry[0]', bad: () => bundle({ type: 'searchset', entry: [{ ...patientEntry, fullUrl: 'https://example.org/fhir/Patient/p1/_history/2' }] }), good: () => bundle({ type: 'searchset', entry: [patientEntry] }) },
  { key: 'bdl-9', path: '', bad: () => documentBundle({ identifier: undefined }), good: () => documentBundle({}) },
  { key: 'bdl-10', path: '', bad: () => documentBundle({ timestamp: undefined }), good: () => documentBundle({}) },
  { key: 'bdl-11', path: '', bad: () => documentBundle({ entry: [patientEntry] }), good: () => documentBundle({}) },
  {
    key: 'bdl-12',
    path: '',
    bad: () => bundle({ type: 'message', entry: [patientEntry] }),
    good: () => bundle({ type: 'message', entry: [{ fullUrl: 'https://example.org/fhir/MessageHeader/m1', resource: { resourceType: 'MessageHeader', id: 'm1', eventCoding: { system: 'https://example.org/events', code: 'e' }, source: { endpoint: 'https://example.org/src' } } }] }),
  },
  { key: 'cnt-3', path: 'extension[0].valueCount', bad: () => extensionWith({ valueCount: { value: 1.5, system: UCUM, code: '1' } }), good: () => extensionWith({ valueCount: { value: 2, system: UCUM, code: '1' } }) },
  { key: 'cpb-0', path: '', bad: () => capability({ name: 'blue button' }), good: () => capability({}) },
  { key: 'cpb-1', path: '', bad: () => capability({ rest: undefined }), good: () => capability({}) },
  { key: 'cpb-2', path: '', bad: () => capability({ kind: 'requirements', implementation: undefined }), good: () => capability({ kind: 'requirements', implementation: undefined, description: 'what a BB2 server must do' }) },
  {
    key: 'cpb-3',
    path: '',
    bad: () => capability({ kind: 'capability', implementation: undefined, software: { name: 'BB2' }, messaging: [{ endpoint: [endpoint], supportedMessage }] }),
    good: () => capability({ messaging: [{ endpoint: [endpoint], supportedMessage }] }),
  },
  {
    key: 'cpb-7',
    path: '',
    bad: () => capability({ document: [{ mode: 'producer', profile: 'https://example.org/StructureDefinition/d' }, { mode: 'producer', profile: 'https://example.org/StructureDefinition/d' }] }),
    good: () => capability({ document: [{ mode: 'producer', profile: 'https://example.org/StructureDefinition/d' }, { mode: 'consumer', profile: 'https://example.org/StructureDefinition/d' }] }),
  },
  {
    key: 'cpb-9',
    path: 'rest[0]',
    bad: () => capability({ rest: [{ mode: 'server', resource: [{ type: 'Patient' }, { type: 'Patient' }] }] }),
    good: () => capability({ rest: [{ mode: 'server', resource: [{ type: 'Patient' }, { type: 'Coverage' }] }] }),
  },
  {
    key: 'cpb-12',
    path: 'rest[0].resource[0]',
    bad: () => capability({ rest: [{ mode: 'server', resource: [{ type: 'Coverage', searchParam: [{ name: '_id', type: 'token' }, { name: '_id', type: 'token' }] }] }] }),
    good: () => capability({ rest: [{ mode: 'server', resource: [{ type: 'Coverage', searchParam: [{ name: '_id', type: 'token' }, { name: 'identifier', type: 'token' }] }] }] }),
  },
  { key: 'cpb-14', path: '', bad: () => capability({ implementation: undefined, software: { name: 'BB2' } }), good: () => capability({}) },
  { key: 'cpb-15', path: '', bad: () => capability({ kind: 'capability', software: { name: 'BB2' } }), good: () => capability({ kind: 'capability', implementation: undefined, software: { name: 'BB2' } }) },
  { key: 'cpb-16', path: '', bad: () => capability({ kind: 'requirements', implementation: undefined, software: { name: 'BB2' } }), good: () => capability({ kind: 'requirements', implementation: undefined, description: 'requirements' }) },
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
    key: 'drt-1',
    path: 'extension[0].valueDuration',
    bad: () => extensionWith({ valueDuration: { value: 1, system: 'https://example.org/units', code: 's' } }),
    good: () => extensionWith({ valueDuration: { value: 1, system: UCUM, code: 's' } }),
  },
  { key: 'ele-1', path: 'name[0]', bad: () => patientWith({ name: [{ id: 'n1' }] }), good: () => patientWith({ name: [{ id: 'n1', family: 'Doe' }] }) },
  {
    key: 'exp-1',
    path: 'extension[0].valueExpression',
    bad: () => extensionWith({ valueExpression: { language: 'text/fhirpath' } }),
    good: () => extensionWith({ valueExpression: { language: 'text/fhirpath', expression: 'true' } }),
  },
  {
    key: 'ext-1',
    path: 'extension[0]',
    bad: () => extensionWith({ valueString: 'a', extension: [{ url: 'https://example.org/y', valueString: 'b' }] }),
    good: () => extensionWith({ extension: [{ url: 'https://example.org/y', valueString: 'b' }] }),
  },
  { key: 'obs-3', path: 'referenceRange[0]', bad: () => observation({ referenceRange: [{ type: { text: 'normal' } }] }), good: () => observation({ referenceRange: [{ text: 'normal' }] }) },
  {
    key: 'obs-6',
    path: '',
    bad: () => observation({ valueString: 'n/a', dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown' }] } }),
    good: () => observation({ dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown' }] } }),
  },
  {
    key: 'obs-7',
    path: '',
    bad: () => observation({ valueString: 'x', component: [{ code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] }, valueString: 'y' }] }),
    good: () => observation({ valueString: 'x', component: [{ code: { coding: [{ system: 'http://loinc.org', code: '4544-3' }] }, valueString: 'y' }] }),
  },
  { key: 'org-1', path: '', bad: () => organization({ name: undefined, active: true }), good: () => organization({}) },
  { key: 'org-2', path: 'address[0]', bad: () => organization({ address: [{ use: 'home', city: 'Baltimore' }] }), good: () => organization({ address: [{ use: 'work', city: 'Baltimore' }] }) },
  { key: 'org-3', path: 'telecom[0]', bad: () => organization({ telecom: [{ system: 'phone', value: '555-0100', use: 'home' }] }), good: () => organization({ telecom: [{ system: 'phone', value: '555-0100', use: 'work' }] }) },
  { key: 'pat-1', path: 'contact[0]', bad: () => patientWith({ contact: [{ gender: 'male' }] }), good: () => patientWith({ contact: [{ gender: 'male', name: { family: 'Doe' } }] }) },
  {
    key: 'per-1',
    path: 'period',
    bad: () => ({ resourceType: 'Coverage', id: 'c1', status: 'active', beneficiary: { reference: 'Patient/p1' }, payor: [{ display: 'CMS' }], period: { start: '2020-02-01', end: '2020-01-31' } }),
    good: () => ({ resourceType: 'Coverage', id: 'c1', status: 'active', beneficiary: { reference: 'Patient/p1' }, payor: [{ display: 'CMS' }], period: { start: '2020-01-31', end: '2020-02-01' } }),
  },
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
  { key: 'txt-1', path: 'text.div', alsoBreaks: ['txt-2 @ text.div'], bad: () => patientWith({ text: { status: 'generated', div: XHTML('<script>alert(1)</script>x') } }), good: () => patientWith({ text: { status: 'generated', div: XHTML('<b>x</b>') } }) },
  { key: 'txt-2', path: 'text.div', alsoBreaks: ['txt-1 @ text.div'], bad: () => patientWith({ text: { status: 'generated', div: XHTML('  ') } }), good: () => patientWith({ text: { status: 'generated', div: XHTML('x') } }) },
];
