/**
 * Turns a profile's snapshot into a tree of element nodes (children and slices, by element id) that
 * the walker follows, and finds out which profile introduced each rule.
 *
 * Only the rules a vendored profile introduces are enforced here: a rule is the profile's when the
 * differential of the profile, or of a vendored profile it derives from, states it (cardinality,
 * fixed[x], pattern[x], a required or extensible binding, a narrower choice of types, a slicing, an
 * invariant). The rules the snapshot copies from the core resource are the core R4 validator's job
 * (R4 JSON schema, core invariants, core required bindings in lib/validation), so the two layers do
 * not report the same problem twice. The rule's origin (the most basic profile that states it) names
 * its requirement: a Patient cardinality from US Core is USCORE-Patient even when C4BB-Patient is the
 * profile checked.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Conformance, Constraint, Discriminator, ElementDefinition, PackageName, StructureDefinition, TypeRef } from './conformance.js';
import { invariantRequirementId, profileRequirementId } from './requirement-ids.js';

/** The profile a rule comes from, and the catalogue id of conformance to it. */
export interface RuleOrigin {
  readonly profileId: string;
  readonly packageName: PackageName;
  readonly requirement: string;
}

export interface Slicing {
  readonly discriminators: readonly Discriminator[];
  readonly rules: 'open' | 'closed' | 'openAtEnd';
  readonly ordered: boolean;
  /** Set when a vendored profile made the slicing closed or open-at-end (the rule checked on unmatched items). */
  readonly rulesOrigin: RuleOrigin | undefined;
  readonly slices: ElementNode[];
}

export interface InvariantRule {
  readonly key: string;
  readonly severity: 'error' | 'warning';
  readonly human: string;
  readonly expression: string;
  readonly origin: RuleOrigin;
  readonly requirement: string;
  /** 'each' value of the element (FHIR's rule), or the element's whole 'collection' once per parent (see schemas/c4bb-errata.json). */
  readonly scope: 'each' | 'collection';
}

/** Invariants evaluated on the whole collection, keyed "<profile id>#<key>" (from schemas/c4bb-errata.json). */
export type InvariantScopes = ReadonlyMap<string, 'collection'>;

export interface ElementNode {
  readonly id: string;
  /** The element's name in its parent: "class", "timing[x]". */
  readonly name: string;
  readonly path: string;
  readonly sliceName: string | undefined;
  readonly min: number;
  /** Infinity for "*". */
  readonly max: number;
  readonly types: readonly TypeRef[];
  readonly contentReference: string | undefined;
  readonly children: ElementNode[];
  slicing: Slicing | undefined;
  /** fixed[x] / pattern[x] / binding as the snapshot has them, whoever introduced them: slice matching needs them all. */
  readonly fixed: unknown;
  readonly pattern: unknown;
  readonly binding: ElementDefinition['binding'];
  /** The rules a vendored profile introduced, each with its origin. */
  readonly rules: {
    readonly cardinality?: RuleOrigin;
    readonly fixed?: RuleOrigin;
    readonly pattern?: RuleOrigin;
    readonly binding?: RuleOrigin;
    readonly types?: RuleOrigin;
  };
  readonly invariants: readonly InvariantRule[];
}

export interface CompiledProfile {
  readonly url: string;
  readonly id: string;
  readonly version: string | undefined;
  readonly type: string;
  readonly packageName: PackageName;
  readonly requirement: string;
  readonly root: ElementNode;
  /** Every node by element id. */
  readonly nodes: ReadonlyMap<string, ElementNode>;
}

const valueKey = (element: ElementDefinition, prefix: 'fixed' | 'pattern'): string | undefined => Object.keys(element).find((key) => key.startsWith(prefix) && key.length > prefix.length && /[A-Z]/.test(key.charAt(prefix.length)));

const parseMax = (max: string | undefined): number => (max === undefined || max === '*' ? Infinity : Number(max));

/** "A.b:s.c" -> parent "A.b:s", or for a slice "A.b:s" -> the sliced element "A.b". */
function locate(id: string): { parent: string; sliceOf?: string } {
  const lastDot = id.lastIndexOf('.');
  const last = id.slice(lastDot + 1);
  const colon = last.indexOf(':');
  if (colon !== -1) return { parent: id.slice(0, lastDot), sliceOf: `${id.slice(0, lastDot + 1)}${last.slice(0, colon)}` };
  return { parent: id.slice(0, lastDot) };
}

interface ChainLink {
  readonly sd: StructureDefinition;
  readonly packageName: PackageName;
  readonly differential: ReadonlyMap<string, ElementDefinition>;
}

/**
 * The differential by the ids the snapshot uses. A differential may name one type of a choice by its
 * renamed path ("supportingInfo:admissionperiod.timingPeriod"), which the snapshot writes as a type
 * slice of the choice ("…timing[x]:timingPeriod"): such ids are mapped to the snapshot's.
 */
function differentialById(sd: StructureDefinition): Map<string, ElementDefinition> {
  const snapshotIds = new Set(sd.snapshot.element.map((element) => element.id));
  const byId = new Map<string, ElementDefinition>();
  for (const element of sd.differential.element) {
    let id = element.id;
    if (!snapshotIds.has(id)) {
      const lastDot = id.lastIndexOf('.');
      const parent = id.slice(0, lastDot);
      const renamed = id.slice(lastDot + 1);
      const choice = sd.snapshot.element.find((candidate) => candidate.id.startsWith(`${parent}.`) && candidate.id.endsWith(`[x]:${renamed}`) && candidate.id.slice(parent.length + 1).indexOf('.') === -1);
      if (choice) id = choice.id;
    }
    byId.set(id, element);
  }
  return byId;
}

/** The profile and the vendored profiles it derives from, most basic first. */
function chainOf(conformance: Conformance, sd: StructureDefinition): ChainLink[] {
  const chain: ChainLink[] = [];
  let current: StructureDefinition | undefined = sd;
  while (current) {
    const packageName = conformance.packageOf(current.url);
    if (!packageName) break;
    chain.unshift({ sd: current, packageName, differential: differentialById(current) });
    current = current.baseDefinition ? conformance.structureDefinition(current.baseDefinition) : undefined;
  }
  return chain;
}

function originOf(chain: readonly ChainLink[], id: string, states: (differential: ElementDefinition) => boolean): RuleOrigin | undefined {
  for (const link of chain) {
    const element = link.differential.get(id);
    if (element && states(element)) return { profileId: link.sd.id, packageName: link.packageName, requirement: profileRequirementId(link.packageName, link.sd.id) };
  }
  return undefined;
}

function compileNode(element: ElementDefinition, chain: readonly ChainLink[], scopes: InvariantScopes): ElementNode {
  const fixedKey = valueKey(element, 'fixed');
  const patternKey = valueKey(element, 'pattern');
  const typeCodes = (element.type ?? []).map((type) => type.code);
  const rules: { -readonly [K in keyof ElementNode['rules']]: ElementNode['rules'][K] } = {};
  const cardinality =
    originOf(chain, element.id, (diff) => diff.min !== undefined && diff.min === element.min) ?? originOf(chain, element.id, (diff) => diff.max !== undefined && diff.max === element.max);
  if (cardinality) rules.cardinality = cardinality;
  if (fixedKey) {
    const origin = originOf(chain, element.id, (diff) => isDeepStrictEqual(diff[fixedKey], element[fixedKey]));
    if (origin) rules.fixed = origin;
  }
  if (patternKey) {
    const origin = originOf(chain, element.id, (diff) => isDeepStrictEqual(diff[patternKey], element[patternKey]));
    if (origin) rules.pattern = origin;
  }
  const binding = element.binding;
  if (binding?.valueSet && (binding.strength === 'required' || binding.strength === 'extensible')) {
    const origin = originOf(chain, element.id, (diff) => diff.binding?.valueSet === binding.valueSet && diff.binding?.strength === binding.strength);
    if (origin) rules.binding = origin;
  }
  if (element.path.endsWith('[x]')) {
    // Narrowed either on the choice itself or by naming the one type left ("timingPeriod" 1..1).
    const renamed = typeCodes.length === 1 ? `${element.id}:${element.path.slice(element.path.lastIndexOf('.') + 1, -3)}${(typeCodes[0] ?? '').charAt(0).toUpperCase()}${(typeCodes[0] ?? '').slice(1)}` : undefined;
    const origin =
      originOf(chain, element.id, (diff) => diff.type !== undefined && isDeepStrictEqual(diff.type.map((type) => type.code), typeCodes)) ??
      (renamed === undefined ? undefined : originOf(chain, renamed, (diff) => diff.type !== undefined && isDeepStrictEqual(diff.type.map((type) => type.code), typeCodes)));
    if (origin) rules.types = origin;
  }
  const invariants: InvariantRule[] = [];
  for (const constraint of element.constraint ?? []) {
    if (!constraint.expression) continue;
    const origin = originOf(chain, element.id, (diff) => (diff.constraint ?? []).some((candidate: Constraint) => candidate.key === constraint.key));
    if (!origin) continue;
    invariants.push({
      key: constraint.key,
      severity: constraint.severity,
      human: constraint.human,
      expression: constraint.expression,
      origin,
      requirement: invariantRequirementId(origin.packageName, origin.profileId, constraint.key),
      scope: scopes.get(`${origin.profileId}#${constraint.key}`) ?? 'each',
    });
  }
  let slicing: Slicing | undefined;
  if (element.slicing) {
    const slicingRules = element.slicing.rules ?? 'open';
    slicing = {
      discriminators: element.slicing.discriminator ?? [],
      rules: slicingRules,
      ordered: element.slicing.ordered ?? false,
      rulesOrigin: slicingRules === 'open' ? undefined : originOf(chain, element.id, (diff) => diff.slicing?.rules === slicingRules),
      slices: [],
    };
  }
  return {
    id: element.id,
    name: element.path.slice(element.path.lastIndexOf('.') + 1),
    path: element.path,
    sliceName: element.sliceName,
    min: element.min ?? 0,
    max: parseMax(element.max),
    types: element.type ?? [],
    contentReference: element.contentReference,
    children: [],
    slicing,
    fixed: fixedKey ? element[fixedKey] : undefined,
    pattern: patternKey ? element[patternKey] : undefined,
    binding: element.binding,
    rules,
    invariants,
  };
}

export function compileProfile(conformance: Conformance, sd: StructureDefinition, scopes: InvariantScopes = new Map()): CompiledProfile {
  const chain = chainOf(conformance, sd);
  const packageName = conformance.packageOf(sd.url);
  if (!packageName) throw new Error(`${sd.url} is not a vendored profile`);
  const elements = sd.snapshot.element;
  const first = elements[0];
  if (!first) throw new Error(`${sd.url} has an empty snapshot`);
  const nodes = new Map<string, ElementNode>();
  const root = compileNode(first, chain, scopes);
  nodes.set(root.id, root);
  for (const element of elements.slice(1)) {
    const node = compileNode(element, chain, scopes);
    nodes.set(node.id, node);
    const { parent, sliceOf } = locate(element.id);
    if (sliceOf !== undefined) {
      const sliced = nodes.get(sliceOf);
      if (!sliced?.slicing) throw new Error(`${sd.url}: slice ${element.id} comes before the slicing of ${sliceOf}`);
      sliced.slicing.slices.push(node);
    } else {
      const parentNode = nodes.get(parent);
      if (!parentNode) throw new Error(`${sd.url}: element ${element.id} comes before its parent ${parent}`);
      parentNode.children.push(node);
    }
  }
  return { url: sd.url, id: sd.id, version: sd.version, type: sd.type, packageName, requirement: profileRequirementId(packageName, sd.id), root, nodes };
}
