/**
 * One crafted bad instance per STU3 invariant of schemas/fhir-stu3/invariants.json, hand-written
 * (an invariant's expression does not say what a minimal breaking instance looks like), each with the
 * path where the broken element is and a good twin that differs only there. fhir/invariants.test.ts
 * checks that the table covers every invariant of the data, that each bad instance breaks exactly its
 * invariant at that path and that its twin breaks nothing.
 */
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
const capability = (fields: Json): Json => ({
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: '2024-01-01',
  kind: 'instance',
  fhirVersion: '3.0.2',
  acceptUnknown: 'no',
  format: ['json'],
  implementation: { description: 'BB2' },
  rest: [{ mode: 'server' }],
  ...fields,
});
const contained = (resource: Json, referenced = true): Json =>
  patientWith({ contained: [{ resourceType: 'Patient', id: 'c1', ...resource }], ...(referenced ? { link: [{ other: { reference: '#c1' }, type: 'seealso' }] } : {}) });
const timing = (repeat: Json): Json => extensionWith({ valueTiming: { repeat } });
const observation = (fields: Json): Json => ({ resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] }, ...fields });
const referral = (requester: Json): Json => ({ resourceType: 'ReferralRequest', id: 'r1', status: 'active', intent: 'order', subject: { reference: 'Patient/1' }, requester });
const searchEntry = { fullUrl: 'https://example.org/fhir/Patient/p1', resource: { resourceType: 'Patient', id: 'p1' } };
const messaging = (fields: Json): Json => ({ endpoint: [{ protocol: { system: 'http://hl7.org/fhir/message-transport', code: 'http' }, address: 'https://example.org/msg' }], ...fields });
const supportedMessage = [{ mode: 'sender', definition: { reference: 'MessageDefinition/m1' } }];
const event = [{ code: { system: 'http://hl7.org/fhir/message-events', code: 'admin-notify' }, mode: 'sender', focus: 'Patient', request: { reference: 'StructureDefinition/a' }, response: { reference: 'StructureDefinition/b' } }];

export const STU3_INVARIANT_CASES: readonly InvariantCase[] = [
  { key: 'age-1', path: 'extension[0].valueAge', bad: () => extensionWith({ valueAge: { value: -1, system: UCUM, code: 'a' } }), good: () => extensionWith({ valueAge: { value: 1, system: UCUM, code: 'a' } }) },
  { key: 'att-1', path: 'photo[0]', bad: () => patientWith({ photo: [{ data: 'aGk=' }] }), good: () => patientWith({ photo: [{ data: 'aGk=', contentType: 'image/png' }] }) },
  { key: 'bdl-1', path: '', bad: () => bundle({ type: 'collection', total: 1 }), good: () => bundle({ type: 'searchset', total: 1 }) },
  {
    key: 'bdl-2',
    path: '',
    bad: () => bundle({ type: 'collection', entry: [{ ...searchEntry, search: { mode: 'match' } }] }),
    good: () => bundle({ type: 'searchset', entry: [{ ...searchEntry, search: { mode: 'match' } }] }),
  },
  {
    key: 'bdl-3',
    path: '',
    bad: () => bundle({ type: 'searchset', entry: [{ ...searchEntry, request: { method: 'GET', url: 'Patient/p1' } }] }),
    good: () => bundle({ type: 'batch', entry: [{ ...searchEntry, request: { method: 'GET', url: 'Patient/p1' } }] }),
  },
  {
    key: 'bdl-4',
    path: '',
    bad: () => bundle({ type: 'searchset', entry: [{ ...searchEntry, response: { status: '200' } }] }),
    good: () => bundle({ type: 'batch-response', entry: [{ ...searchEntry, response: { status: '200' } }] }),
  },
  { key: 'bdl-5', path: 'entry[0]', bad: () => bundle({ type: 'searchset', entry: [{ fullUrl: 'https://example.org/fhir/Patient/p1' }] }), good: () => bundle({ type: 'searchset', entry: [searchEntry] }) },
  {
    key: 'bdl-7',
    path: '',
    bad: () => bundle({ type: 'collection', entry: [searchEntry, searchEntry] }),
    good: () => bundle({ type: 'collection', entry: [searchEntry, { fullUrl: 'https://example.org/fhir/Patient/p2', resource: { resourceType: 'Patient', id: 'p2' } }] }),
  },
  {
    key: 'bdl-8',
    path: 'entry[0]',
    bad: () => bundle({ type: 'searchset', entry: [{ ...searchEntry, fullUrl: 'https://example.org/fhir/Patient/p1/_history/2' }] }),
    good: () => bundle({ type: 'searchset', entry: [searchEntry] }),
  },
  { key: 'bdl-9', path: '', bad: () => bundle({ type: 'document' }), good: () => bundle({ type: 'document', identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0' } }) },
  { key: 'cnt-3', path: 'extension[0].valueCount', bad: () => extensionWith({ valueCount: { value: 1.5, system: UCUM, code: '1' } }), good: () => extensionWith({ valueCount: { value: 2, system: UCUM, code: '1' } }) },
  { key: 'cpb-1', path: '', bad: () => capability({ rest: undefined }), good: () => capability({}) },
  {
    key: 'cpb-2',
    path: '',
    bad: () => capability({ kind: 'requirements', implementation: undefined }),
    good: () => capability({ kind: 'requirements', implementation: undefined, description: 'what a BB2 server must do' }),
  },
  {
    key: 'cpb-3',
    path: '',
    bad: () => capability({ kind: 'capability', implementation: undefined, software: { name: 'BB2' }, messaging: [messaging({ supportedMessage })] }),
    good: () => capability({ kind: 'instance', messaging: [messaging({ supportedMessage })] }),
  },
  {
    key: 'cpb-7',
    path: '',
    bad: () => capability({ document: [{ mode: 'producer', profile: { reference: 'StructureDefinition/d' } }, { mode: 'producer', profile: { reference: 'StructureDefinition/d' } }] }),
    good: () => capability({ document: [{ mode: 'producer', profile: { reference: 'StructureDefinition/d' } }, { mode: 'consumer', profile: { reference: 'StructureDefinition/d' } }] }),
  },
  { key: 'cpb-8', path: '', bad: () => capability({ rest: [{ mode: 'server' }, { mode: 'server' }] }), good: () => capability({ rest: [{ mode: 'server' }, { mode: 'client' }] }) },
  {
    key: 'cpb-9',
    path: 'rest[0]',
    bad: () => capability({ rest: [{ mode: 'server', resource: [{ type: 'Patient', interaction: [{ code: 'read' }] }, { type: 'Patient', interaction: [{ code: 'read' }] }] }] }),
    good: () => capability({ rest: [{ mode: 'server', resource: [{ type: 'Patient', interaction: [{ code: 'read' }] }, { type: 'Coverage', interaction: [{ code: 'read' }] }] }] }),
  },
  {
    key: 'cpb-12',
    path: 'rest[0].resource[0]',
    bad: () => capability({ rest: [{ mode: 'server', resource: [{ type: 'Coverage', interaction: [{ code: 'read' }], searchParam: [{ name: '_id', type: 'token' }, { name: '_id', type: 'token' }] }] }] }),
    good: () => capability({ rest: [{ mode: 'server', resource: [{ type: 'Coverage', interaction: [{ code: 'read' }], searchParam: [{ name: '_id', type: 'token' }, { name: 'identifier', type: 'token' }] }] }] }),
  },
  {
    key: 'cpb-14',
    path: '',
    bad: () => capability({ kind: 'requirements', implementation: undefined, software: { name: 'BB2' } }),
    good: () => capability({ kind: 'capability', implementation: undefined, software: { name: 'BB2' } }),
  },
  { key: 'cpb-15', path: '', bad: () => capability({ kind: 'capability' }), good: () => capability({ kind: 'instance' }) },
  {
    key: 'cpb-16',
    path: 'messaging[0]',
    bad: () => capability({ messaging: [messaging({ supportedMessage, event })] }),
    good: () => capability({ messaging: [messaging({ event })] }),
  },
  { key: 'cpt-2', path: 'telecom[0]', bad: () => patientWith({ telecom: [{ value: '555-0100' }] }), good: () => patientWith({ telecom: [{ system: 'phone', value: '555-0100' }] }) },
  {
    key: 'dis-1',
    path: 'extension[0].valueDistance',
    bad: () => extensionWith({ valueDistance: { value: 1, system: 'https://example.org/units', code: 'km' } }),
    good: () => extensionWith({ valueDistance: { value: 1, system: UCUM, code: 'km' } }),
  },
  { key: 'dom-1', path: '', bad: () => contained({ text: { status: 'generated', div: XHTML('a narrative') } }), good: () => contained({}) },
  {
    key: 'dom-2',
    path: '',
    alsoBreaks: ['dom-3 @ contained[0]'],
    bad: () => contained({ contained: [{ resourceType: 'Patient', id: 'c2' }] }),
    good: () => contained({}),
  },
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
  {
    key: 'mny-1',
    path: 'extension[0].valueMoney',
    bad: () => extensionWith({ valueMoney: { value: 12.5, system: 'urn:iso:std:iso:4217' } }),
    good: () => extensionWith({ valueMoney: { value: 12.5, system: 'urn:iso:std:iso:4217', code: 'USD' } }),
  },
  { key: 'obs-3', path: 'referenceRange[0]', bad: () => observation({ referenceRange: [{ type: { text: 'normal' } }] }), good: () => observation({ referenceRange: [{ text: 'normal' }] }) },
  {
    key: 'obs-6',
    path: '',
    bad: () => observation({ valueString: 'n/a', dataAbsentReason: { coding: [{ system: 'http://hl7.org/fhir/data-absent-reason', code: 'unknown' }] } }),
    good: () => observation({ dataAbsentReason: { coding: [{ system: 'http://hl7.org/fhir/data-absent-reason', code: 'unknown' }] } }),
  },
  {
    key: 'obs-7',
    path: '',
    bad: () => observation({ valueString: 'x', component: [{ code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] }, valueString: 'y' }] }),
    good: () => observation({ valueString: 'x', component: [{ code: { coding: [{ system: 'http://loinc.org', code: '4544-3' }] }, valueString: 'y' }] }),
  },
  { key: 'pat-1', path: 'contact[0]', bad: () => patientWith({ contact: [{ gender: 'male' }] }), good: () => patientWith({ contact: [{ gender: 'male', name: { family: 'Doe' } }] }) },
  { key: 'per-1', path: 'period', bad: () => ({ resourceType: 'Coverage', id: 'c1', period: { start: '2020-02-01', end: '2020-01-31' } }), good: () => ({ resourceType: 'Coverage', id: 'c1', period: { start: '2020-01-31', end: '2020-02-01' } }) },
  { key: 'qty-3', path: 'valueQuantity', bad: () => observation({ valueQuantity: { value: 1, code: 'mg' } }), good: () => observation({ valueQuantity: { value: 1, system: UCUM, code: 'mg' } }) },
  { key: 'rat-1', path: 'extension[0].valueRatio', bad: () => extensionWith({ valueRatio: { numerator: { value: 1 } } }), good: () => extensionWith({ valueRatio: { numerator: { value: 1 }, denominator: { value: 2 } } }) },
  { key: 'ref-1', path: 'link[0].other', bad: () => patientWith({ link: [{ other: { reference: '#missing' }, type: 'seealso' }] }), good: () => contained({}) },
  {
    key: 'rfr-1',
    path: 'requester',
    bad: () => referral({ agent: { reference: 'Patient/1' }, onBehalfOf: { reference: 'Organization/1' } }),
    good: () => referral({ agent: { reference: 'Practitioner/1' }, onBehalfOf: { reference: 'Organization/1' } }),
  },
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
