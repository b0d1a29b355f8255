/**
 * Walks one resource along one compiled profile (./compile.ts) and reports every rule the profile
 * introduced that the resource breaks: cardinality, fixed[x], pattern[x], required bindings
 * (extensible ones as notes), narrowed choice types, slicing (discriminators of type value, pattern,
 * type and exists; closed and open-at-end rules; per-slice cardinality) and invariants.
 *
 * Why hand-written: no maintained JavaScript validator does this on Node 20 (measured 2026-11-30).
 * @medplum/core 4.5.2 throws "Invalid slice start before discriminator" while loading the four C4BB
 * EOB profiles (it resolves the contentReference of item.detail.adjudication to the profile's last
 * item.adjudication slice instead of the base element), accepts any value for a slice discriminated
 * by a required binding, supports neither exists nor profile discriminators, checks no binding at
 * all, and validates the children of a slice member against the unsliced element (medplum issue
 * #8677). A snapshot fix-up (the base item.adjudication inlined where the contentReference is) lets
 * it load, but then on BFD's six EOB goldens it reports nested slices of absent slices ("slice
 * 'valueString' expected 1..1, found 0" on every EOB), fails EOB-careteam-qualification for want of a
 * terminology server, and misses a care team role outside its required value set, the inpatient
 * procedures without type, the carrier items without payment status and the HHA Address locations.
 * 5.x needs Node >= 22. @atomic-ehr/fhirschema 0.0.14 checks neither bindings nor invariants.
 *
 * mustSupport is ignored: it obliges a server to be able to send an element, not any value to hold it.
 * A contentReference element (item.detail.adjudication) takes its rules from the base resource's
 * element (R4 ElementDefinition.contentReference), so the profile's slices of item.adjudication do not
 * apply to it, and nothing below it is a profile rule.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CompiledProfile, ElementNode, InvariantRule, RuleOrigin, Slicing } from './compile.js';
import type { InvariantEvaluator } from './invariants.js';
import type { Membership, Terminology } from './terminology.js';
import { formatPath, isJsonObject, truncateValue, type JsonObject, type PathSegment, type Violation } from '../violation.js';

/** Rule kinds, the last part of a violation's rule id `profile:<Profile>:<element id>:<kind>`. */
export type RuleKind =
  | 'profile-type'
  | 'cardinality'
  | 'fixed'
  | 'pattern'
  | 'required-binding'
  | 'extensible-binding'
  | 'choice-type'
  | 'slice-cardinality'
  | 'closed-slicing'
  | 'slicing-order'
  | 'slice-discriminator'
  | `invariant:${string}`;

export interface WalkServices {
  readonly terminology: Terminology;
  readonly invariants: InvariantEvaluator;
}

/** One value of an element in the instance, with where it is and its FHIR type when known. */
interface Item {
  readonly value: unknown;
  readonly path: PathSegment[];
  readonly type: string | undefined;
}

const PRIMITIVES = new Set([
  'boolean', 'integer', 'string', 'decimal', 'uri', 'url', 'canonical', 'base64Binary', 'instant', 'date', 'dateTime', 'time', 'code', 'oid', 'id', 'markdown', 'unsignedInt', 'positiveInt', 'uuid',
]);

const typeOfSuffix = (suffix: string): string => {
  const lowered = `${suffix.charAt(0).toLowerCase()}${suffix.slice(1)}`;
  return PRIMITIVES.has(lowered) ? lowered : suffix;
};

const cardinalityText = (min: number, max: number): string => `${min}..${max === Infinity ? '*' : max}`;

/** "Coverage.class:group.value" -> "Coverage.class slice 'group' value", for people. */
export function readableElement(id: string): string {
  return id.replace(/:([^.]+)/g, " slice '$1'").replace(/' (?=[a-z])/g, "'.");
}

function describeValue(value: unknown): string {
  const shown = truncateValue(value, 120);
  return typeof shown === 'string' ? JSON.stringify(shown) : JSON.stringify(shown) ?? 'nothing';
}

/** FHIR pattern[x] semantics: every part of the pattern is in the value; an array's items each match some item. */
export function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) return Array.isArray(value) && pattern.every((part) => value.some((candidate) => matchesPattern(candidate, part)));
  if (isJsonObject(pattern)) return isJsonObject(value) && Object.entries(pattern).every(([key, part]) => matchesPattern(value[key], part));
  return value === pattern;
}

const NO_ITEMS: Item[] = [];

/** The items of `parent[key]` (and its `_key` extensions): one per array index, or the one value. */
function keyedItems(parent: JsonObject, key: string, type: string | undefined, parentPath: PathSegment[]): Item[] {
  const value = parent[key];
  const underscore = parent[`_${key}`];
  if (value === undefined && underscore === undefined) return NO_ITEMS;
  if (Array.isArray(value) || Array.isArray(underscore)) {
    const length = Math.max(Array.isArray(value) ? value.length : 0, Array.isArray(underscore) ? underscore.length : 0);
    const items: Item[] = [];
    for (let index = 0; index < length; index += 1) items.push({ value: Array.isArray(value) ? value[index] : undefined, path: [...parentPath, key, index], type });
    return items;
  }
  return [{ value, path: [...parentPath, key], type }];
}

/** The element's values in `parent`: array items, a single value, a choice's one typed key, or an extension-only primitive. */
function itemsOf(parent: JsonObject, node: ElementNode, siblingNames: ReadonlySet<string>, parentPath: PathSegment[]): Item[] {
  if (!node.name.endsWith('[x]')) return keyedItems(parent, node.name, node.types.length === 1 ? node.types[0]?.code : undefined, parentPath);
  const prefix = node.name.slice(0, -3);
  const keys = new Set<string>();
  for (const raw of Object.keys(parent)) {
    const key = raw.startsWith('_') ? raw.slice(1) : raw;
    if (key.startsWith(prefix) && key.length > prefix.length && /[A-Z]/.test(key.charAt(prefix.length)) && !siblingNames.has(key)) keys.add(key);
  }
  const items: Item[] = [];
  for (const key of keys) items.push(...keyedItems(parent, key, typeOfSuffix(key.slice(prefix.length)), parentPath));
  return items;
}

/** Values reached from `value` along a discriminator path of element names ("category", "coding.code", "$this"). */
function valuesAtPath(value: unknown, path: string): unknown[] {
  if (path === '$this') return [value];
  let current: unknown[] = [value];
  for (const step of path.split('.')) {
    current = current.flatMap((node) => {
      if (!isJsonObject(node)) return [];
      const next = node[step];
      return next === undefined ? [] : Array.isArray(next) ? next : [next];
    });
  }
  return current;
}

function nodeAtPath(slice: ElementNode, path: string): ElementNode | undefined {
  if (path === '$this') return slice;
  let node: ElementNode | undefined = slice;
  for (const step of path.split('.')) node = node?.children.find((child) => child.name === step || child.name === `${step}[x]`);
  return node;
}

const SIMPLE_PATH = /^(\$this|[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*)$/;

/**
 * What the walk derives from a compiled node, once per node rather than once per value it meets (a
 * profile's nodes are shared by every resource it validates; the bench's R4 verdict spends most of
 * its time in this walk).
 */
interface NodeFacts {
  readonly eachInvariants: readonly InvariantRule[];
  readonly collectionInvariants: readonly InvariantRule[];
  /** The element's path without its choice suffix, as the invariant evaluator takes it. */
  readonly elementPath: string;
  /** The names of its children, to tell a choice's typed keys from siblings that share its prefix. */
  readonly childNames: ReadonlySet<string>;
  /** Discriminator path → the node it reaches below this one (a slice), memoised. */
  readonly reached: Map<string, ElementNode | undefined>;
}

const nodeFacts = new WeakMap<ElementNode, NodeFacts>();

function factsOf(node: ElementNode): NodeFacts {
  let facts = nodeFacts.get(node);
  if (facts === undefined) {
    facts = {
      eachInvariants: node.invariants.filter((rule) => rule.scope === 'each'),
      collectionInvariants: node.invariants.filter((rule) => rule.scope === 'collection'),
      elementPath: node.path.replace(/\[x\]$/, ''),
      childNames: new Set(node.children.map((child) => child.name)),
      reached: new Map(),
    };
    nodeFacts.set(node, facts);
  }
  return facts;
}

/** The path of an element in its parent (its first item's, else its name): built only for a finding or a sliced element. */
function elementPathOf(node: ElementNode, items: readonly Item[], parentPath: PathSegment[]): PathSegment[] {
  return items[0]?.path.slice(0, parentPath.length + 1) ?? [...parentPath, node.name.replace('[x]', '')];
}

function reachedNode(slice: ElementNode, path: string): ElementNode | undefined {
  const { reached } = factsOf(slice);
  if (!reached.has(path)) reached.set(path, nodeAtPath(slice, path));
  return reached.get(path);
}

/** Binding notes of one element, gathered so that a resource gets one note per element, not one per value. */
interface BindingNotes {
  readonly node: ElementNode;
  readonly origin: RuleOrigin;
  readonly kind: RuleKind;
  readonly first: Item;
  readonly problem: string;
  readonly found: string[];
}

export class ProfileWalk {
  private readonly out: Violation[] = [];
  private readonly bindingNotes = new Map<string, BindingNotes>();

  constructor(
    private readonly services: WalkServices,
    private readonly profile: CompiledProfile,
    private readonly resource: JsonObject,
    private readonly owner: { resourceType: string; id?: string },
  ) {}

  run(resourcePath: PathSegment[]): Violation[] {
    const root = this.profile.root;
    if (this.resource.resourceType !== this.profile.type) {
      this.report(resourcePath, 'profile-type', root, { profileId: this.profile.id, packageName: this.profile.packageName, requirement: this.profile.requirement }, `claims ${this.profile.id}, a profile for ${this.profile.type}, but is a ${String(this.resource.resourceType)}`, this.resource.resourceType);
      return this.out;
    }
    this.checkInvariants(root, { value: this.resource, path: resourcePath, type: this.profile.type });
    this.walkObject(this.resource, root, resourcePath);
    for (const notes of this.bindingNotes.values()) {
      const values = notes.found.length === 1 ? `found ${notes.found[0]}` : `found ${notes.found.length} values, e.g. ${notes.found.slice(0, 3).join('; ')}`;
      this.report(notes.first.path, notes.kind, notes.node, notes.origin, `${notes.problem}; ${values}`, notes.first.value, 'warning');
    }
    return this.out;
  }

  private report(path: PathSegment[], kind: RuleKind, node: ElementNode, origin: RuleOrigin, problem: string, value?: unknown, severity: 'error' | 'warning' = 'error', requirement = origin.requirement): void {
    const via = origin.profileId === this.profile.id ? this.profile.id : `${origin.profileId}, via ${this.profile.id}`;
    const violation: Violation = {
      ...this.owner,
      path: formatPath(path),
      ruleId: `profile:${origin.profileId}:${node.id}:${kind}`,
      rule: `${origin.profileId}: ${readableElement(node.id)} ${kind}`,
      message: `${readableElement(node.id)} ${problem} (${via})`,
      requirement,
    };
    if (value !== undefined) violation.value = truncateValue(value);
    if (severity === 'warning') violation.severity = 'warning';
    this.out.push(violation);
  }

  private walkObject(object: JsonObject, node: ElementNode, path: PathSegment[]): void {
    const { childNames } = factsOf(node);
    for (const child of node.children) {
      const items = itemsOf(object, child, childNames, path);
      if (child.rules.cardinality && (items.length < child.min || items.length > child.max)) {
        this.report(elementPathOf(child, items, path), 'cardinality', child, child.rules.cardinality, `requires ${cardinalityText(child.min, child.max)}, found ${items.length}`);
      }
      if (items.length === 0 && !child.slicing) continue;
      this.checkItems(child, items);
      this.checkCollectionInvariants(child, items, path);
      if (child.slicing) this.checkSlicing(child, child.slicing, items, elementPathOf(child, items, path));
      else for (const item of items) this.descend(child, item);
    }
  }

  private descend(node: ElementNode, item: Item): void {
    if (node.contentReference !== undefined || node.children.length === 0 || !isJsonObject(item.value)) return;
    this.walkObject(item.value, node, item.path);
  }

  /** The value rules of one element (or slice) on each of its items. */
  private checkItems(node: ElementNode, items: readonly Item[]): void {
    for (const item of items) {
      const { rules } = node;
      if (rules.types && item.type !== undefined && !node.types.some((type) => type.code === item.type)) {
        this.report(item.path, 'choice-type', node, rules.types, `allows only ${node.types.map((type) => type.code).join(' or ')}, found ${item.type}`, item.value);
      }
      if (item.value === undefined) continue; // an extension-only primitive: nothing to compare
      if (rules.fixed && !isDeepStrictEqual(item.value, node.fixed)) this.report(item.path, 'fixed', node, rules.fixed, `must be exactly ${describeValue(node.fixed)}, found ${describeValue(item.value)}`, item.value);
      if (rules.pattern && !matchesPattern(item.value, node.pattern)) this.report(item.path, 'pattern', node, rules.pattern, `must contain ${describeValue(node.pattern)}, found ${describeValue(item.value)}`, item.value);
      if (rules.binding && node.binding?.valueSet) this.checkBinding(node, item, node.binding.valueSet, node.binding.strength, rules.binding);
      this.checkInvariants(node, item);
    }
  }

  private membership(valueSet: string, type: string | undefined, value: unknown): Membership {
    const { terminology } = this.services;
    if (typeof value === 'string') return terminology.codeMembership(valueSet, value);
    if (!isJsonObject(value)) return { kind: 'not-member' };
    if (type === 'CodeableConcept' || (type === undefined && 'coding' in value)) return terminology.conceptMembership(valueSet, value);
    return terminology.codingMembership(valueSet, value);
  }

  private checkBinding(node: ElementNode, item: Item, valueSet: string, strength: string, origin: RuleOrigin): void {
    const membership = this.membership(valueSet, item.type ?? node.types[0]?.code, item.value);
    if (membership.kind === 'member') return;
    const found = describeCodes(item.value);
    if (strength === 'required' && membership.kind === 'not-member') this.report(item.path, 'required-binding', node, origin, `must be a code from ValueSet ${valueSet} (required binding), found ${found}`, item.value);
    else if (strength === 'required' && membership.kind === 'unknown') this.noteBinding(node, origin, 'required-binding', item, `is bound (required) to ValueSet ${valueSet}, which cannot be checked offline: ${membership.reason}`, found);
    else if (membership.kind === 'not-member') this.noteBinding(node, origin, 'extensible-binding', item, `should be a code from ValueSet ${valueSet} when one fits (extensible binding)`, found);
  }

  private noteBinding(node: ElementNode, origin: RuleOrigin, kind: RuleKind, item: Item, problem: string, found: string): void {
    const notes = this.bindingNotes.get(`${node.id} ${kind}`);
    if (notes) notes.found.push(found);
    else this.bindingNotes.set(`${node.id} ${kind}`, { node, origin, kind, first: item, problem, found: [found] });
  }

  /** Invariants the errata evaluate on all of the element's values at once (schemas/c4bb-errata.json). */
  private checkCollectionInvariants(node: ElementNode, items: readonly Item[], parentPath: PathSegment[]): void {
    const rules = factsOf(node).collectionInvariants;
    if (rules.length === 0 || items.length === 0) return;
    this.evaluateInvariants(node, rules, { value: items.map((item) => item.value), path: elementPathOf(node, items, parentPath), type: undefined });
  }

  private checkInvariants(node: ElementNode, item: Item): void {
    this.evaluateInvariants(node, factsOf(node).eachInvariants, item);
  }

  private evaluateInvariants(node: ElementNode, rules: readonly InvariantRule[], item: Item): void {
    if (rules.length === 0 || item.value === undefined) return;
    const { elementPath } = factsOf(node);
    for (const rule of rules) {
      const verdict = this.services.invariants.evaluate(rule, elementPath, item.value, this.resource);
      if (verdict.kind === 'pass') continue;
      const kind: RuleKind = `invariant:${rule.key}`;
      if (verdict.kind === 'unknown') this.report(item.path, kind, node, rule.origin, `invariant ${rule.key} ("${rule.human.trim()}") cannot be evaluated offline: ${verdict.reason}`, undefined, 'warning', rule.requirement);
      else this.report(item.path, kind, node, rule.origin, `breaks invariant ${rule.key}: ${rule.human.trim()}`, truncateValue(item.value), rule.severity, rule.requirement);
    }
  }

  private checkSlicing(node: ElementNode, slicing: Slicing, items: readonly Item[], elementPath: PathSegment[]): void {
    const unsupported = slicing.discriminators.find((discriminator) => discriminator.type === 'profile' || !SIMPLE_PATH.test(discriminator.path));
    if (unsupported) {
      // Cannot sort the items into slices: say so once and check the items against the unsliced element.
      const origin = slicing.rulesOrigin ?? slicing.slices[0]?.rules.cardinality;
      if (origin && items.length > 0) this.report(elementPath, 'slice-discriminator', node, origin, `is sliced by a ${unsupported.type} discriminator on "${unsupported.path}", which this validator does not evaluate; its slices were not checked`, undefined, 'warning');
      for (const item of items) this.descend(node, item);
      return;
    }
    const members = new Map<ElementNode, Item[]>(slicing.slices.map((slice) => [slice, []]));
    let lastMatched = -1;
    items.forEach((item, index) => {
      const slice = slicing.slices.find((candidate) => this.matchesSlice(item, candidate, slicing));
      if (slice) {
        members.get(slice)?.push(item);
        lastMatched = index;
        return;
      }
      if (slicing.rules === 'closed' && slicing.rulesOrigin) {
        this.report(item.path, 'closed-slicing', node, slicing.rulesOrigin, `is closed to items outside its slices (${slicing.slices.map((candidate) => `'${candidate.sliceName}'`).join(', ')}); this one matches none`, item.value);
      }
      this.descend(node, item);
    });
    if (slicing.rules === 'openAtEnd' && slicing.rulesOrigin) {
      items.forEach((item, index) => {
        if (index < lastMatched && !slicing.slices.some((slice) => members.get(slice)?.includes(item))) {
          this.report(item.path, 'slicing-order', node, slicing.rulesOrigin as RuleOrigin, 'is open at the end only: an item matching no slice comes before a slice member', item.value);
        }
      });
    }
    for (const slice of slicing.slices) {
      const sliceItems = members.get(slice) ?? [];
      if (slice.rules.cardinality && (sliceItems.length < slice.min || sliceItems.length > slice.max)) {
        this.report(sliceItems[0]?.path ?? elementPath, 'slice-cardinality', slice, slice.rules.cardinality, `requires ${cardinalityText(slice.min, slice.max)}, found ${sliceItems.length}`);
      }
      this.checkItems(slice, sliceItems);
      // A slice the snapshot does not expand holds no rules of its own below it: the unsliced element's apply.
      for (const item of sliceItems) this.descend(slice.children.length > 0 ? slice : node, item);
    }
  }

  private matchesSlice(item: Item, slice: ElementNode, slicing: Slicing): boolean {
    return slicing.discriminators.every((discriminator) => {
      const target = reachedNode(slice, discriminator.path);
      const values = discriminator.path === '$this' ? [item.value] : valuesAtPath(item.value, discriminator.path);
      switch (discriminator.type) {
        case 'type': {
          const types = (target ?? slice).types.map((type) => type.code);
          return discriminator.path === '$this' ? item.type !== undefined && types.includes(item.type) : false;
        }
        case 'exists':
          if (!target) return false;
          return target.min >= 1 ? values.length > 0 : target.max === 0 ? values.length === 0 : true;
        case 'value':
        case 'pattern': {
          if (target?.fixed !== undefined) return values.some((value) => isDeepStrictEqual(value, target.fixed));
          if (target?.pattern !== undefined) return values.some((value) => matchesPattern(value, target.pattern));
          if (target?.binding?.strength === 'required' && target.binding.valueSet) {
            const valueSet = target.binding.valueSet;
            return values.some((value) => this.membership(valueSet, target.types[0]?.code, value).kind === 'member');
          }
          // An extension slice names its extension by profile; the extension's url is that profile's url.
          if (discriminator.path === 'url' && slice.types[0]?.code === 'Extension' && slice.types[0].profile?.[0]) return values.includes(slice.types[0].profile[0]);
          return false;
        }
        default:
          return false;
      }
    });
  }
}

function describeCodes(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (!isJsonObject(value)) return describeValue(value);
  const codings = Array.isArray(value.coding) ? value.coding : 'code' in value ? [value] : [];
  if (codings.length === 0) return 'no coding';
  return codings.map((coding) => (isJsonObject(coding) ? `${String(coding.system ?? '(no system)')}|${String(coding.code ?? '(no code)')}` : describeValue(coding))).join(', ');
}
