/**
 * The cached schema code (ajv standalone code, lib/validation/code-cache.ts) gives exactly the
 * verdict of the schema compiled in the process: the same violations, in the same order, on every
 * real sample, a spread of the sandbox's resources and crafted bad instances, for both releases.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { R4_INVARIANT_CASES, STU3_INVARIANT_CASES } from '../testdata/invariant-cases.js';
import { realR4Documents, realStu3Documents, sandboxDocuments, type NamedDocument } from '../testdata/corpus.js';
import { isJsonObject } from '../violation.js';
import { RELEASES, type ReleaseName } from './release.js';
import { createSchemaValidator, loadCachedSchemaValidator, warmSchemaCache, type SchemaValidator } from './schema.js';

type Json = Record<string, unknown>;

/** Breaks a copy of the document at every `stride`-th node, each time differently (one mutation of each kind the schema checks). */
function mutated(document: unknown, stride: number): unknown {
  const mutations: Array<(node: Json, key: string) => void> = [
    (node, key) => (node[key] = typeof node[key] === 'string' ? '1999-02-30' : 'not a number'),
    (node) => (node.notAnElement = true),
    (node, key) => (node[key] = { unexpected: 'object' }),
    (node, key) => (node[key] = -1.5),
    (node, key) => delete node[key],
    (node, key) => (node[key] = [null, 7]),
    (node, key) => (node[key] = typeof node[key] === 'string' ? `${node[key] as string}  ` : 'x y'),
    (node) => (node.resourceType = 'NotAType'),
    (node, key) => (node[key] = '0000-00-00T25:61:00'),
  ];
  const copy = structuredClone(document);
  let count = 0;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!isJsonObject(value)) return;
    for (const key of Object.keys(value)) {
      walk(value[key]);
      count += 1;
      if (count % stride === 0) (mutations[(count / stride) % mutations.length] as (node: Json, key: string) => void)(value, key);
    }
  };
  walk(copy);
  return copy;
}

/** A copy with every number made -7: out of range wherever a positiveInt or unsignedInt is. */
function negated(document: unknown): unknown {
  return JSON.parse(JSON.stringify(document), (_key, value: unknown) => (typeof value === 'number' ? -7 : value)) as unknown;
}

function corpus(release: ReleaseName): NamedDocument[] {
  const real = release === 'stu3' ? [...realStu3Documents(), ...sandboxDocuments([0, 13_410, 29_999])] : realR4Documents();
  const crafted = (release === 'stu3' ? STU3_INVARIANT_CASES : R4_INVARIANT_CASES).map((c) => ({ name: `${c.key} bad`, document: c.bad() }));
  const broken = real.flatMap(({ name, document }) => [7, 23].map((stride) => ({ name: `${name} broken every ${stride}`, document: mutated(document, stride) })));
  const negative = real.map(({ name, document }) => ({ name: `${name} with negative numbers`, document: negated(document) }));
  return [...real, ...crafted, ...broken, ...negative];
}

describe('the cached schema code and a fresh compilation agree', () => {
  let dir: string;
  const configured = process.env.BB2_VALIDATOR_CACHE_DIR;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bb2-schema-cache-'));
    process.env.BB2_VALIDATOR_CACHE_DIR = dir;
  });
  after(() => {
    if (configured === undefined) delete process.env.BB2_VALIDATOR_CACHE_DIR;
    else process.env.BB2_VALIDATOR_CACHE_DIR = configured;
    rmSync(dir, { recursive: true, force: true });
  });

  for (const release of ['stu3', 'r4'] as const) {
    it(`${release}: the same violations on every document, from the code just built and from the cache`, () => {
      const fresh = createSchemaValidator(RELEASES[release]);
      const built = loadCachedSchemaValidator(RELEASES[release]);
      assert.equal(built.origin, 'built');
      const loaded = loadCachedSchemaValidator(RELEASES[release]);
      assert.equal(loaded.origin, 'cache');
      assert.equal(warmSchemaCache(RELEASES[release]).state, 'fresh');
      assert.deepEqual([...loaded.resourceTypes].sort(), [...fresh.resourceTypes].sort());
      const documents = corpus(release);
      let failing = 0;
      const ruleIds = new Set<string>();
      for (const { name, document } of documents) {
        const expected = fresh.validate(document);
        if (expected.length > 0) failing += 1;
        for (const violation of expected) ruleIds.add(violation.ruleId);
        for (const cached of [built, loaded] as SchemaValidator[]) assert.deepEqual(cached.validate(document), expected, name);
      }
      // The comparison covers both verdicts: most broken copies fail, every real sample passes.
      assert.ok(failing > documents.length / 3, `${failing} of ${documents.length} documents fail`);
      const kinds = ['schema:format', 'schema:unknown-element', 'schema:type', 'schema:required', 'schema:value-set', 'schema:resource-type', 'schema:range'];
      assert.deepEqual(kinds.filter((kind) => !ruleIds.has(kind)), [], `rule ids seen: ${[...ruleIds].join(', ')}`);
    });
  }
});
