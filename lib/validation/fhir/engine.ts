/**
 * The FHIR validation engine of one release: the schema's verdict plus one typed walk that applies
 * the JSON rules, minimum cardinalities, required bindings and invariants, merged into one list
 * with one violation per problem.
 *
 * One problem, one violation: where a JSON rule fires (a null, an empty object or string, a
 * primitive of the wrong JSON type), the schema errors, binding and ele-1 failures at that same
 * path describe the same mistake and are dropped; a binding violation replaces the schema's enum
 * error at its path; the same rule at the same path counts once; an invariant that gave no verdict
 * on an element missing a mandatory child (bdl-9 reads Bundle.type) says nothing more than that.
 */
import { isJsonObject, type Violation } from '../violation.js';
import { BindingChecks } from './bindings.js';
import { MinimumCardinality } from './cardinality.js';
import { loadDefinitions, type Definitions, type TypeInfo } from './definitions.js';
import { InvariantEngine } from './invariants.js';
import { JsonRules } from './json-rules.js';
import { ReferenceTargets } from './reference-targets.js';
import type { FhirRelease } from './release.js';
import { FhirWalker, type Check, type Cursor } from './walk.js';

/** What the schema part of a release gives: its violations of one document. */
export type SchemaValidate = (document: unknown, expectedType?: string) => Violation[];

/** The checks of the walk, by family. */
export const WALK_FAMILIES = ['json', 'cardinality', 'references', 'bindings', 'invariants'] as const;
export type WalkFamily = (typeof WALK_FAMILIES)[number];

export interface FhirEngine {
  readonly release: FhirRelease;
  readonly definitions: Definitions;
  readonly invariants: InvariantEngine;
  /** Every problem of the document: schema, JSON rules, cardinality, bindings, invariants (warnings included). */
  validate(document: unknown, expectedType?: string): Violation[];
  /** The walk's checks alone (no schema), for tests and the benchmark. */
  walk(document: unknown): Violation[];
  /** A walk with only some families (the benchmark's breakdown); none is the bare walk. */
  walkWith(families: readonly WalkFamily[]): (document: unknown) => Violation[];
}

/** Contained resources of a type the definitions were not generated for get the schema only; say so. */
class UngeneratedTypes implements Check {
  constructor(private readonly definitions: Definitions) {}

  resource(node: unknown, type: TypeInfo | undefined, at: Cursor): void {
    if (type || !isJsonObject(node) || typeof node.resourceType !== 'string') return;
    at.report({
      ruleId: 'engine:type-not-generated',
      rule: `${this.definitions.release.label} engine: type not generated`,
      value: node.resourceType,
      message: `${node.resourceType}: only the schema checks it; its invariants, bindings and cardinalities were not generated (schemas/fhir-${this.definitions.release.name}/elements.json covers ${this.definitions.roots.join(', ')})`,
      severity: 'warning',
    });
  }
}

const RULE_FAMILY = (ruleId: string): string => ruleId.slice(0, ruleId.indexOf(':'));

/** One violation per problem (see the module comment). Keeps the order of first appearance. */
export function mergeFindings(violations: readonly Violation[]): Violation[] {
  if (violations.length < 2) return [...violations];
  const byPath = new Map<string, Violation[]>();
  for (const violation of violations) {
    const key = `${violation.resourceType}/${violation.id ?? ''}#${violation.path}`;
    const list = byPath.get(key) ?? [];
    list.push(violation);
    byPath.set(key, list);
  }
  const dropped = new Set<Violation>();
  for (const list of byPath.values()) {
    if (list.length < 2) continue;
    const hasJson = list.some((violation) => RULE_FAMILY(violation.ruleId) === 'json');
    const hasBinding = list.some((violation) => RULE_FAMILY(violation.ruleId) === 'binding');
    const seen = new Set<string>();
    for (const violation of list) {
      const family = RULE_FAMILY(violation.ruleId);
      const sameProblem =
        (hasJson && (family === 'schema' || family === 'binding' || violation.ruleId === 'fhir:ele-1')) || (hasBinding && violation.ruleId === 'schema:value-set') || seen.has(violation.ruleId);
      if (sameProblem) dropped.add(violation);
      seen.add(violation.ruleId);
    }
  }
  const missing = violations.filter((violation) => violation.ruleId === 'schema:required').map((violation) => `${violation.resourceType}/${violation.id ?? ''}#${violation.path}`);
  for (const violation of violations) {
    if (!violation.inconclusive) continue;
    const prefix = `${violation.resourceType}/${violation.id ?? ''}#${violation.path === '' ? '' : `${violation.path}.`}`;
    if (missing.some((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('.'))) dropped.add(violation);
  }
  return violations.filter((violation) => !dropped.has(violation));
}

export function createFhirEngine(release: FhirRelease, schema: SchemaValidate): FhirEngine {
  const definitions = loadDefinitions(release);
  const invariants = new InvariantEngine(definitions);
  const checks: Record<WalkFamily, Check> = {
    json: new JsonRules(release, definitions),
    cardinality: new MinimumCardinality(release),
    references: new ReferenceTargets(release, definitions),
    bindings: new BindingChecks(release),
    invariants,
  };
  const walkWith = (families: readonly WalkFamily[]) => {
    const walker = new FhirWalker(definitions, [...families.map((family) => checks[family]), new UngeneratedTypes(definitions)]);
    return (document: unknown): Violation[] => {
      const out: Violation[] = [];
      walker.walk(document, out);
      return out;
    };
  };
  const walk = walkWith(WALK_FAMILIES);
  return {
    release,
    definitions,
    invariants,
    walk,
    walkWith,
    validate(document, expectedType) {
      const found = schema(document, expectedType);
      for (const violation of walk(document)) found.push(violation);
      return mergeFindings(found);
    },
  };
}
