/**
 * The STU3 invariants: each crafted bad instance breaks its invariant (and only it), its good twin
 * passes; the natives and the pruning agree with fhirpath.js node by node on every real sample, the
 * sandbox's resources and the crafted instances; each correction of an official expression is needed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realR4Documents, realStu3Documents, sandboxDocuments, type NamedDocument } from '../testdata/corpus.js';
import { R4_INVARIANT_CASES, STU3_INVARIANT_CASES, testInvariantCases } from '../testdata/invariant-cases.js';
import { fhirEngine } from '../validate.js';
import { isJsonObject, type JsonObject } from '../violation.js';
import type { ChildElement, TypeInfo } from './definitions.js';
import type { FhirEngine } from './engine.js';
import { CORRECTIONS, holds, reachOf, type CompiledInvariant } from './invariants.js';
import { FhirWalker, type Check, type Cursor } from './walk.js';

const engine = fhirEngine('stu3');
const invariants = engine.invariants;
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('every STU3 invariant has a crafted bad instance that breaks it, and only it', () => {
  it('the table covers every invariant in schemas/fhir-stu3/invariants.json', () => {
    const keys = engine.definitions.invariants.map((invariant) => invariant.key).sort();
    assert.deepEqual(STU3_INVARIANT_CASES.map((testCase) => testCase.key).sort(), keys);
    assert.ok(keys.length >= 50, `${keys.length} invariants`);
  });

  testInvariantCases('stu3', STU3_INVARIANT_CASES, new Map(engine.definitions.invariants.map((invariant) => [invariant.key, invariant.severity])));
});

/**
 * Walks documents and, at every node an invariant applies to, compares the engine's shortcut (native
 * or pruning) with fhirpath.js's evaluation of the expression.
 */
class Agreement implements Check {
  readonly mismatches: string[] = [];
  compared = 0;

  constructor(
    private readonly what: 'natives' | 'pruning',
    readonly engine: FhirEngine,
  ) {}

  private compare(node: unknown, type: TypeInfo | undefined, base: string, invariant: CompiledInvariant, at: Cursor): void {
    const resource = at.scope.resource;
    const invariants = this.engine.invariants;
    let reference: boolean;
    try {
      reference = holds(invariants.evaluateWithFhirpath(invariant, base, node, resource, at.scope.current));
    } catch (error) {
      this.mismatches.push(`${invariant.definition.key} at ${at.segments.join('.')}: fhirpath.js threw ${(error as Error).message}`);
      return;
    }
    let shortcut: boolean | undefined;
    if (this.what === 'natives') {
      if (!invariant.native || invariant.native.gap?.applies(node)) return;
      shortcut = invariant.native.evaluate(node, type, resource, this.engine.definitions.types);
      if (shortcut === undefined) return; // left to fhirpath.js
    } else {
      if (!invariant.reach.prunable || !type || !isJsonObject(node)) return;
      const touched = Object.keys(node).some((key) => key !== 'resourceType' && (!type.children.get(key) || invariant.reach.roots.has(type.children.get(key)?.name ?? '')));
      if (touched) return;
      const empty = type.kind === 'resource' ? { resourceType: type.name } : {};
      shortcut = holds(invariants.evaluateWithFhirpath(invariant, base, empty, empty));
    }
    this.compared += 1;
    if (shortcut !== reference) this.mismatches.push(`${invariant.definition.key} at ${at.segments.join('.')}: ${this.what} ${shortcut}, fhirpath.js ${reference}: ${JSON.stringify(node).slice(0, 200)}`);
  }

  complex(node: JsonObject, type: TypeInfo, element: ChildElement | undefined, at: Cursor): void {
    for (const { invariant, base } of this.engine.invariants.applicableTo(type)) this.compare(node, type, base, invariant, at);
    if (element) for (const { invariant, base } of this.engine.invariants.applicableToElement(element.definitionPath)) this.compare(node, type, base, invariant, at);
  }

  primitiveWithoutValue(companion: unknown, _element: ChildElement, at: Cursor): void {
    const type = this.engine.definitions.types.get('Element') as TypeInfo;
    const primitive = isJsonObject(companion) ? { extension: companion.extension, id: companion.id } : {};
    for (const { invariant, base } of this.engine.invariants.applicableTo(type)) this.compare(primitive, undefined, base, invariant, at);
  }
}

function agreementOn(documents: readonly NamedDocument[], what: 'natives' | 'pruning', on: FhirEngine = engine): Agreement {
  const agreement = new Agreement(what, on);
  const walker = new FhirWalker(on.definitions, [agreement]);
  for (const { document } of documents) walker.walk(plain(document), []);
  return agreement;
}

/** Edge cases the natives must get right: primitives present only as extensions, empty and odd values. */
const EDGE_CASES: NamedDocument[] = [
  { name: 'Money with _code only', document: { resourceType: 'Patient', extension: [{ url: 'https://example.org/x', valueMoney: { value: 1, _code: { extension: [{ url: 'https://example.org/y', valueString: 'z' }] } } }] } },
  { name: 'Money with _system only', document: { resourceType: 'Patient', extension: [{ url: 'https://example.org/x', valueMoney: { value: 1, code: 'USD', _system: { id: 's1' } } }] } },
  { name: 'Money with code but no value', document: { resourceType: 'Patient', extension: [{ url: 'https://example.org/x', valueMoney: { code: 'USD' } }] } },
  { name: 'Quantity with _code only', document: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 1, _code: { id: 'c' } } } },
  { name: 'Reference with _reference only', document: { resourceType: 'Patient', link: [{ other: { _reference: { extension: [{ url: 'https://example.org/y', valueString: 'z' }] } }, type: 'seealso' }] } },
  { name: 'local reference without contained', document: { resourceType: 'Patient', link: [{ other: { reference: '#x' }, type: 'seealso' }] } },
  { name: 'contained without id', document: { resourceType: 'Patient', contained: [{ resourceType: 'Patient', active: true }] } },
  { name: 'contained with _id only and a reference to it', document: { resourceType: 'Patient', contained: [{ resourceType: 'Patient', id: 'a', meta: { _versionId: { id: 'v' } } }], link: [{ other: { reference: '#a' }, type: 'seealso' }] } },
  { name: 'extension with empty extension array and a value', document: { resourceType: 'Patient', extension: [{ url: 'https://example.org/x', valueString: 'a', extension: [] }] } },
  { name: 'extension with only _valueString', document: { resourceType: 'Patient', extension: [{ url: 'https://example.org/x', _valueString: { extension: [{ url: 'https://example.org/y', valueString: 'z' }] } }] } },
  { name: 'extension with neither', document: { resourceType: 'Patient', extension: [{ url: 'https://example.org/x' }] } },
  { name: 'elements of only id, nulls and empties', document: { resourceType: 'Patient', name: [{ id: 'n' }, { given: [] }, { given: [null] }, { family: '' }], _birthDate: { id: 'b' }, _gender: { extension: [] } } },
  { name: 'periods of other forms', document: { resourceType: 'Coverage', extension: [{ url: 'https://example.org/a', valuePeriod: { start: '2020', end: '2019-12-31' } }, { url: 'https://example.org/b', valuePeriod: { start: '2020-01-01T10:00:00+05:00', end: '2020-01-01T06:00:00Z' } }, { url: 'https://example.org/c', valuePeriod: { start: '2020-02-01', _end: { id: 'e' } } }, { url: 'https://example.org/d', valuePeriod: { start: '2020-02-01', end: '2020-02-01' } }] } },
  { name: 'primitive array with extension companions', document: { resourceType: 'Patient', name: [{ given: ['a', null], _given: [null, { extension: [{ url: 'https://example.org/y', valueString: 'z' }] }] }] } },
];

describe('natives agree with fhirpath.js, node by node', () => {
  const crafted = STU3_INVARIANT_CASES.flatMap((testCase) => [
    { name: `${testCase.key} bad`, document: testCase.bad() },
    { name: `${testCase.key} good`, document: testCase.good() },
  ]);

  it('every native is keyed by an expression of the data', () => {
    const natives = invariants.invariants.filter((invariant) => invariant.native).map((invariant) => invariant.definition.key);
    assert.deepEqual(natives.sort(), ['bdl-5', 'dom-1', 'dom-2', 'dom-3', 'dom-4', 'ele-1', 'ext-1', 'mny-1', 'obs-6', 'obs-7', 'per-1', 'qty-3', 'ref-1', 'rfr-1', 'rng-2']);
  });

  it('rng-2 is native because fhirpath.js cannot compare Quantities without UCUM units; with them it agrees', () => {
    const rng2 = invariants.invariants.find((invariant) => invariant.definition.key === 'rng-2');
    assert.ok(rng2?.native?.gap);
    const reversed = { low: { value: 5 }, high: { value: 1 } };
    assert.deepEqual(invariants.evaluateWithFhirpath(rng2, 'Range', reversed, {}), [true], 'fhirpath.js accepts a reversed unit-less Range');
    assert.equal(rng2.native.evaluate(reversed, undefined, {}, engine.definitions.types), false);
    assert.equal(rng2.native.gap.applies(reversed), true);
    const ucum = (value: number, code = 'mg') => ({ value, system: 'http://unitsofmeasure.org', code });
    for (const [low, high] of [[ucum(5), ucum(1)], [ucum(1), ucum(5)], [ucum(1, 'g'), ucum(500)], [ucum(5), ucum(5)]] as const) {
      const range = { low, high };
      const reference = holds(invariants.evaluateWithFhirpath(rng2, 'Range', range, {}));
      const verdict: boolean = rng2.native.evaluate(range, undefined, {}, engine.definitions.types) ?? reference;
      assert.equal(verdict, reference, JSON.stringify(range));
    }
  });

  for (const [label, documents] of [
    ['the real samples', () => realStu3Documents()],
    ['the crafted bad instances and their good twins', () => crafted],
    ['edge cases', () => EDGE_CASES],
    ['the sandbox resources of BBUser29999 (every claim type)', () => sandboxDocuments([29_999])],
  ] as const) {
    it(`on ${label}`, () => {
      const agreement = agreementOn(documents(), 'natives');
      assert.deepEqual(agreement.mismatches.slice(0, 20), []);
      assert.ok(agreement.compared > 0);
      console.log(`natives vs fhirpath.js on ${label}: ${agreement.compared} evaluations agree`);
    });
  }

  it('on the real R4 samples and the crafted R4 instances, with the R4 engine', () => {
    const r4Crafted = R4_INVARIANT_CASES.flatMap((testCase) => [
      { name: `${testCase.key} bad`, document: testCase.bad() },
      { name: `${testCase.key} good`, document: testCase.good() },
    ]);
    const agreement = agreementOn([...realR4Documents(), ...r4Crafted], 'natives', fhirEngine('r4'));
    assert.deepEqual(agreement.mismatches.slice(0, 20), []);
    assert.ok(agreement.compared > 1_000);
    console.log(`R4 natives vs fhirpath.js on the real R4 samples and crafted R4 instances: ${agreement.compared} evaluations agree`);
  });

  for (const [release, corpus] of [
    ['stu3', () => [...realStu3Documents(), ...crafted, ...EDGE_CASES]],
    ['r4', () => [...realR4Documents(), ...R4_INVARIANT_CASES.flatMap((testCase) => [{ name: testCase.key, document: testCase.bad() }, { name: testCase.key, document: testCase.good() }])]],
  ] as const) {
    it(`every ${release} native is exercised: it decides somewhere, and its invariant both holds and fails somewhere in the corpus`, () => {
      const on = fhirEngine(release);
      const seen = new Map<string, { decided: number; outcomes: Set<boolean> }>();
      const record = (node: unknown, type: TypeInfo | undefined, at: Cursor, list: ReadonlyArray<{ invariant: CompiledInvariant; base: string }>) => {
        for (const { invariant, base } of list) {
          if (!invariant.native) continue;
          const entry = seen.get(invariant.definition.key) ?? { decided: 0, outcomes: new Set<boolean>() };
          const verdict: boolean | undefined = invariant.native.evaluate(node, type, at.scope.resource, on.definitions.types);
          if (verdict !== undefined) entry.decided += 1;
          entry.outcomes.add(verdict ?? holds(on.invariants.evaluateWithFhirpath(invariant, base, node, at.scope.resource, at.scope.current)));
          seen.set(invariant.definition.key, entry);
        }
      };
      const walker = new FhirWalker(on.definitions, [
        {
          complex(node: JsonObject, type: TypeInfo, _element: ChildElement | undefined, at: Cursor) {
            record(node, type, at, on.invariants.applicableTo(type));
          },
          primitiveWithoutValue(companion: unknown, _element: ChildElement, at: Cursor) {
            const primitive = isJsonObject(companion) ? { extension: companion.extension, id: companion.id } : {};
            record(primitive, undefined, at, on.invariants.applicableTo(on.definitions.types.get('Element') as TypeInfo));
          },
        },
      ]);
      for (const { document } of corpus()) walker.walk(plain(document), []);
      for (const invariant of on.invariants.invariants.filter((candidate) => candidate.native)) {
        const entry = seen.get(invariant.definition.key);
        assert.ok(entry && entry.decided > 0, `${invariant.definition.key} never decided`);
        assert.deepEqual([...entry.outcomes].sort(), [false, true], invariant.definition.key);
      }
    });
  }
});

describe('skipping nodes that hold none of an invariant\'s elements agrees with fhirpath.js', () => {
  it('on the real samples, the crafted instances and the edge cases', () => {
    const documents = [...realStu3Documents(), ...STU3_INVARIANT_CASES.flatMap((testCase) => [{ name: testCase.key, document: testCase.bad() }]), ...EDGE_CASES];
    const agreement = agreementOn(documents, 'pruning');
    assert.deepEqual(agreement.mismatches.slice(0, 20), []);
    assert.ok(agreement.compared > 100, `${agreement.compared} skipped evaluations compared`);
  });

  it('the verdict on every real sample is the same with and without skipping and natives', () => {
    for (const { name, document } of realStu3Documents()) {
      const fast = engine.walk(plain(document));
      invariants.usePruning = false;
      invariants.useNatives = false;
      try {
        assert.deepEqual(engine.walk(plain(document)).map((v) => `${v.ruleId} ${v.path}`), fast.map((v) => `${v.ruleId} ${v.path}`), name);
      } finally {
        invariants.usePruning = true;
        invariants.useNatives = true;
      }
    }
  });

  it('reads which elements an expression depends on', () => {
    assert.deepEqual(reachOf('start.empty() or end.empty() or (start <= end)'), { roots: new Set(['start', 'end']), prunable: true });
    assert.deepEqual(reachOf("contained.where(('#'+id in %resource.descendants().reference).not()).empty()"), { roots: new Set(['contained']), prunable: true });
    assert.equal(reachOf('hasValue() or (children().count() > id.count())').prunable, false);
    assert.equal(reachOf('%resource.contained.empty()').prunable, false);
    assert.equal(reachOf('iif(a.exists(), b, $this.c)').prunable, false);
    assert.deepEqual([...reachOf('(code or value.empty()) and (system.empty() or system = %ucum)').roots].sort(), ['code', 'system', 'value']);
  });
});

describe('each correction of an official STU3 expression is needed', () => {
  const official = (key: string, node: unknown, base: string, resource: unknown = node) => {
    const invariant = invariants.invariants.find((candidate) => candidate.definition.key === key);
    assert.ok(invariant);
    return invariants.evaluateWithFhirpath({ ...invariant, expression: CORRECTIONS[`stu3:${key}`]?.official ?? invariant.expression }, base, node, resource as JsonObject);
  };

  it('ele-1: the official union gives two items on an element with children, no verdict', () => {
    assert.deepEqual(official('ele-1', { start: '2020-01-01' }, 'Period'), [false, true]);
  });

  it('ref-1: the official form has no verdict on an identifier-only reference (hundreds per BB2 claim)', () => {
    assert.deepEqual(official('ref-1', { identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' } }, 'Reference', { resourceType: 'ExplanationOfBenefit' }), []);
  });

  it('bdl-8: the official form has no verdict on an entry without fullUrl (BFD serves them)', () => {
    assert.deepEqual(official('bdl-8', { resource: { resourceType: 'Patient' } }, 'Bundle.entry', { resourceType: 'Bundle' }), []);
  });

  it('obs-7: the official form has no verdict on an Observation with a value and no component (BB2 carrier claims contain them)', () => {
    const observation = { resourceType: 'Observation', status: 'unknown', code: { coding: [{ system: 'https://bluebutton.cms.gov/resources/variables/line_hct_hgb_type_cd', code: 'R1' }] }, valueQuantity: { value: 42 } };
    assert.deepEqual(official('obs-7', observation, 'Observation'), []);
  });
});
