/**
 * Required bindings and minimum cardinalities, tested from the data: every required-bound element
 * and every mandatory element that occurs in a real sample or a sandbox resource is broken there
 * (a code outside its value set; the element removed) and must be reported at that place with its
 * catalogue id.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realStu3Documents, sandboxDocuments, type NamedDocument } from '../testdata/corpus.js';
import { copy, loadSample } from '../testdata/samples.js';
import { fhirEngine, validateResource } from '../validate.js';
import { formatPath, valueAt, type JsonObject, type PathSegment, type Violation } from '../violation.js';
import type { ChildElement, TypeInfo } from './definitions.js';
import { FhirWalker, type Cursor } from './walk.js';

const engine = fhirEngine('stu3');
const summary = (violations: readonly Violation[]) => violations.map((v) => `${v.path} | ${v.ruleId} | ${v.message}`).join('\n');

interface Occurrence {
  readonly source: NamedDocument;
  readonly segments: readonly PathSegment[];
  readonly element: ChildElement;
}

/** The first place each bound element (by definition path) and each mandatory element occurs in the corpus. */
function firstOccurrences(documents: readonly NamedDocument[]): { bound: Map<string, Occurrence>; mandatory: Map<string, Occurrence> } {
  const bound = new Map<string, Occurrence>();
  const mandatory = new Map<string, Occurrence>();
  let current: NamedDocument | undefined;
  const record = (map: Map<string, Occurrence>, element: ChildElement, at: Cursor, below: PathSegment[] = []) => {
    if (!map.has(element.definitionPath) && current) map.set(element.definitionPath, { source: current, segments: [...at.segments, ...below], element });
  };
  const walker = new FhirWalker(engine.definitions, [
    {
      primitive(_value: unknown, element: ChildElement, at: Cursor) {
        if (element.binding?.codes) record(bound, element, at);
      },
      complex(node: JsonObject, type: TypeInfo, element: ChildElement | undefined, at: Cursor) {
        if (element?.binding?.codes && (type.name === 'Coding' || type.name === 'CodeableConcept')) record(bound, element, at);
        for (const [key, child] of type.children) {
          if (child.min > 0 && !child.isPrimitiveElement && node[key] !== undefined) record(mandatory, child, at, [key]);
        }
      },
    },
  ]);
  for (const document of documents) {
    current = document;
    walker.walk(document.document, []);
  }
  return { bound, mandatory };
}

const corpus = [...realStu3Documents(), ...sandboxDocuments([29_999])];
const { bound, mandatory } = firstOccurrences(corpus);

/** A copy of the occurrence's document with `change` applied to the parent of the element. */
function mutated(occurrence: Occurrence, change: (parent: JsonObject, key: PathSegment) => void): unknown {
  const document = copy(occurrence.source.document) as JsonObject;
  const parentPath = occurrence.segments.slice(0, -1);
  const key = occurrence.segments[occurrence.segments.length - 1] as PathSegment;
  change(valueAt(document, parentPath) as JsonObject, key);
  return document;
}

describe('required bindings, each broken where it occurs in real data', () => {
  it('the corpus holds at least the bound elements BB2 serves', () => {
    const paths = [...bound.keys()];
    for (const expected of ['Coverage.status', 'ExplanationOfBenefit.status', 'ExplanationOfBenefit.type', 'Patient.gender', 'Bundle.type', 'HumanName.use', 'CapabilityStatement.kind', 'OperationOutcome.issue.severity']) {
      assert.ok(paths.includes(expected), `${expected} not in ${paths.join(', ')}`);
    }
  });

  for (const [definitionPath, occurrence] of bound) {
    it(`${definitionPath} (${occurrence.source.name} at ${formatPath(occurrence.segments)})`, () => {
      const document = mutated(occurrence, (parent, key) => {
        const value = (parent as Record<PathSegment, unknown>)[key];
        if (typeof value === 'string') (parent as Record<PathSegment, unknown>)[key] = 'not-a-code';
        else if (occurrence.element.type === 'Coding') (value as JsonObject).code = 'not-a-code';
        else for (const coding of ((value as JsonObject).coding as JsonObject[] | undefined) ?? []) coding.code = 'not-a-code';
      });
      const verdict = validateResource(document, { knownDeviations: false });
      const found = verdict.violations.filter((violation) => violation.ruleId === `binding:${definitionPath}`);
      assert.ok(
        found.some((violation) => violation.path === formatPath(occurrence.segments) && violation.requirement === `FHIR-STU3-BINDING-${definitionPath}`),
        summary(verdict.violations),
      );
    });
  }

  it('a CodeableConcept with text only does not satisfy a required binding', () => {
    const eob = copy(loadSample('bfd-endpoint-responses-v1', 'eobReadCarrier.json')) as JsonObject;
    eob.type = { text: 'professional claim' };
    const found = validateResource(eob).violations.filter((v) => v.ruleId === 'binding:ExplanationOfBenefit.type');
    assert.equal(found.length, 1);
    assert.match(found[0]?.message ?? '', /text alone/);
  });

  it('a coding of the right code but another system does not satisfy it', () => {
    const coverage = copy(loadSample('bb2-webserver-fixtures-v1', 'coverage_read_v1.json')) as JsonObject;
    const eob = copy(loadSample('bfd-endpoint-responses-v1', 'eobReadCarrier.json')) as JsonObject;
    for (const coding of (eob.type as { coding: JsonObject[] }).coding) if (coding.system === 'http://hl7.org/fhir/ex-claimtype') coding.system = 'http://hl7.org/fhir/claim-type';
    assert.deepEqual(validateResource(coverage).violations, []);
    assert.deepEqual(validateResource(eob).violations.map((v) => v.ruleId), ['binding:ExplanationOfBenefit.type']);
  });

  it('value sets the package cannot enumerate are not checked, and say why', () => {
    const bcp13 = engine.definitions.valueSets.get('http://www.rfc-editor.org/bcp/bcp13.txt');
    assert.equal(bcp13?.codes, undefined);
    assert.match(bcp13?.reason ?? '', /not in the package/);
  });
});

describe('minimum cardinalities, each mandatory element removed where it occurs in real data', () => {
  it('the corpus holds the mandatory primitives the JSON schema never required', () => {
    for (const expected of ['Extension.url', 'Bundle.type', 'Bundle.link.relation', 'Bundle.link.url', 'CapabilityStatement.fhirVersion', 'OperationOutcome.issue.severity', 'ExplanationOfBenefit.item.sequence']) {
      assert.ok(mandatory.has(expected), `${expected} not in ${[...mandatory.keys()].join(', ')}`);
    }
  });

  for (const [definitionPath, occurrence] of mandatory) {
    it(`${definitionPath} (${occurrence.source.name} at ${formatPath(occurrence.segments)})`, () => {
      const key = String(occurrence.segments[occurrence.segments.length - 1]);
      const document = mutated(occurrence, (parent) => {
        for (const candidate of Object.keys(parent)) {
          const name = candidate.replace(/^_/, '');
          if (name === key || (occurrence.element.choice && name.startsWith(occurrence.element.name))) delete parent[candidate];
        }
      });
      const label = occurrence.element.choice ? `${occurrence.element.name}[x]` : key;
      const expectedPath = formatPath([...occurrence.segments.slice(0, -1), label]);
      const verdict = validateResource(document, { knownDeviations: false });
      assert.ok(
        verdict.violations.some((violation) => violation.ruleId === 'schema:required' && violation.path === expectedPath && violation.requirement === 'FHIR-STU3-SCHEMA-required'),
        `${expectedPath}:\n${summary(verdict.violations)}`,
      );
    });
  }

  it('a primitive present only as its _name extension satisfies it', () => {
    const capability = copy(loadSample('bb2-webserver-fixtures-v1', 'fhir_meta_v1.json')) as JsonObject;
    delete capability.date;
    capability._date = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };
    assert.deepEqual(validateResource(capability).violations, []);
  });
});

describe('codes of external code systems (ISO 4217)', () => {
  const carrier = () => copy(loadSample('bfd-endpoint-responses-v1', 'eobReadCarrier.json')) as JsonObject;
  const amounts = (document: JsonObject): JsonObject[] => {
    const found: JsonObject[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node !== null && typeof node === 'object') {
        const object = node as JsonObject;
        if (object.system === 'urn:iso:std:iso:4217') found.push(object);
        Object.values(object).forEach(visit);
      }
    };
    visit(document);
    return found;
  };

  it('STU3: a Money whose system is ISO 4217 and whose code is not a currency fails, at its code, with its catalogue id', () => {
    const eob = carrier();
    const money = amounts(eob);
    assert.ok(money.length > 0, 'the carrier sample holds ISO 4217 amounts');
    (money[0] as JsonObject).code = 'US$';
    const found = validateResource(eob).violations.filter((v) => v.ruleId === 'code-system:iso-4217');
    assert.equal(found.length, 1, summary(validateResource(eob).violations));
    assert.equal(found[0]?.requirement, 'FHIR-STU3-CODESYSTEM-iso-4217');
    assert.match(found[0]?.path ?? '', /\.code$/);
    assert.equal(found[0]?.value, 'US$');
  });

  it('STU3: every real amount (USD) passes, and so do fund and metal codes of ISO 4217 list one', () => {
    for (const code of ['USD', 'USN', 'XAU', 'XXX', 'EUR']) {
      const eob = carrier();
      for (const money of amounts(eob)) money.code = code;
      assert.deepEqual(validateResource(eob).violations.filter((v) => v.ruleId === 'code-system:iso-4217'), [], code);
    }
  });

  it('R4: Money.currency is bound to Currencies, now expanded from ISO 4217', () => {
    const currencies = fhirEngine('r4').definitions.valueSets.get('http://hl7.org/fhir/ValueSet/currencies');
    assert.ok(currencies?.allCodes.has('USD') && currencies.allCodes.has('XAU'));
    const eob = copy(loadSample('bfd-endpoint-responses-v2', 'eobReadCarrier.json')) as JsonObject;
    const text = JSON.stringify(eob).replace('"currency":"USD"', '"currency":"DOLLARS"');
    const found = validateResource(JSON.parse(text), { release: 'r4' }).violations.filter((v) => v.ruleId === 'binding:Money.currency');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.requirement, 'FHIR-R4-BINDING-Money.currency');
  });
});
