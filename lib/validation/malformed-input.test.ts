/**
 * A server may answer anything: the verdict on a malformed body is a list of violations, never an
 * exception (a stack trace in a report tells QA nothing about the server). Every real sample of both
 * releases, with nodes spread over the document replaced in turn by JSON that no FHIR element holds
 * (null, a number, a string, empty and nested-empty containers, a coding that is a number), goes through
 * the whole verdict: FHIR rules, profiles and BB2's rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realR4Documents, realStu3Documents } from './testdata/corpus.js';
import { validateResource } from './validate.js';

const JUNK: readonly unknown[] = [null, 7, 'x', [], {}, [null], true, [{}], { coding: 5 }];
const PLACES_PER_DOCUMENT = 12;

type Container = Record<string | number, unknown>;

function places(document: unknown): Array<[Container, string | number]> {
  const found: Array<[Container, string | number]> = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      found.push([node as Container, Array.isArray(node) ? Number(key) : key]);
      visit(value);
    }
  };
  visit(document);
  return found;
}

for (const [release, documents] of [['stu3', realStu3Documents()], ['r4', realR4Documents()]] as const) {
  describe(`${release}: malformed bodies give violations, never an exception`, () => {
    for (const { name, document } of documents) {
      it(name, () => {
        const all = places(document);
        const step = Math.max(1, Math.floor(all.length / PLACES_PER_DOCUMENT));
        for (let index = 0; index < all.length; index += step) {
          const [parent, key] = all[index] as [Container, string | number];
          const original = parent[key];
          for (const junk of JUNK) {
            parent[key] = structuredClone(junk);
            assert.doesNotThrow(
              () => validateResource(document, { release, bb2: {}, ...(release === 'r4' ? { v2ProfileDeviations: 'current' as const } : {}) }),
              `${name}: ${String(key)} = ${JSON.stringify(junk)}`,
            );
          }
          parent[key] = original;
        }
      });
    }
  });
}
