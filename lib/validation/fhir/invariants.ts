/**
 * FHIR invariants (schemas/fhir-<release>/invariants.json) evaluated during the walk: each
 * expression is compiled once with fhirpath.js (HL7's FHIRPath engine, with the release's model)
 * for the context it is written against, and evaluated at every node of a type derived from that
 * context, but only where it can matter:
 *
 * - An expression that reads its context only through member names (`start`, `end`, `contained`…)
 *   gives, on a node holding none of them, the same result as on an empty node, which is computed
 *   once; such nodes are not evaluated again (most References hold no `reference`, most Quantities
 *   no `code`).
 * - The invariants evaluated at nearly every node of an EOB (ele-1, ext-1, the Quantity family) run
 *   as native functions where fhirpath.js, at about 15 µs a call, would dominate the time
 *   (./native-invariants.ts); a unit test proves each agrees with fhirpath.js's evaluation of the
 *   official expression, node by node, on every real sample and every crafted bad instance.
 *
 * An invariant holds when its result is exactly `true`. An empty result (a comparison fhirpath.js
 * cannot decide) or anything else is reported as broken; an expression fhirpath.js cannot evaluate
 * at all is reported with fhirpath.js's error, never passed.
 */
import fhirpath, { type Model } from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import stu3Model from 'fhirpath/fhir-context/stu3';
import { isJsonObject, truncateValue, type JsonObject } from '../violation.js';
import type { ChildElement, Definitions, InvariantDefinition, TypeInfo } from './definitions.js';
import { NATIVE_INVARIANTS, type NativeInvariant } from './native-invariants.js';
import type { ReleaseName } from './release.js';
import type { Check, Cursor } from './walk.js';

const MODELS: Record<ReleaseName, Model> = { stu3: stu3Model, r4: r4Model };

/**
 * Official expressions that cannot be evaluated as written, each replaced by the form the later
 * release corrected it to. A correction applies only while the data still holds the official text.
 */
export const CORRECTIONS: Readonly<Record<string, { official: string; evaluated: string; why: string; source: string }>> = {
  'stu3:ele-1': {
    official: 'hasValue() | (children().count() > id.count())',
    evaluated: 'hasValue() or (children().count() > id.count())',
    why: 'STU3 writes `|` (union) where `or` is meant: on an element with children the union is the two-item collection {false, true}, which is no verdict. R4 corrected the text to `or`.',
    source: 'https://hl7.org/fhir/R4/element.html',
  },
  'stu3:ref-1': {
    official: "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %resource.contained.id.trace('ids'))",
    evaluated: "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %resource.contained.id.trace('ids')))",
    why: 'As written it is empty (no verdict) on a Reference without `reference`: every identifier-only reference (BB2 names providers by NPI that way, hundreds per claim) would break it. R5 added `reference.exists() implies`.',
    source: 'https://hl7.org/fhir/R5/references.html',
  },
  'stu3:bdl-8': {
    official: "fullUrl.contains('/_history/').not()",
    evaluated: "fullUrl.exists() implies fullUrl.contains('/_history/').not()",
    why: 'As written it is empty (no verdict) on an entry without fullUrl, which STU3 allows (0..1) and BFD serves. R5 added `fullUrl.exists() implies`.',
    source: 'https://hl7.org/fhir/R5/bundle.html',
  },
  'r4:ref-1': {
    official: "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
    evaluated: "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids')))",
    why: 'As written it is empty (no verdict) on a Reference without `reference`: every identifier-only reference (BB2 names providers by NPI that way, hundreds per claim) would break it. R5 added `reference.exists() implies`.',
    source: 'https://hl7.org/fhir/R5/references.html',
  },
  'r4:dom-3': {
    official: "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()",
    evaluated: "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().ofType(canonical) | %resource.descendants().ofType(uri) | %resource.descendants().ofType(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()",
    why: 'fhirpath.js follows FHIRPath in taking as() on one item only and throws "Expected singleton" on %resource.descendants().as(canonical); the HL7 validator reads as() on a collection as the filter ofType(), which is what the invariant means.',
    source: 'https://hl7.org/fhirpath/N1/#astype-type-specifier',
  },
  'stu3:obs-7': {
    official: 'value.empty() or code!=component.code',
    evaluated: 'value.empty() or component.code.where(coding.intersect(%context.code.coding).exists()).empty()',
    why: 'As written, `code != component.code` is empty whenever there is no component, so every Observation with a value (BB2 v1 serves them contained in carrier and DME claims) would break it. R4 corrected it to this form (with %resource, which is %context here: the context is the Observation).',
    source: 'https://hl7.org/fhir/R4/observation.html',
  },
};

/** Functions whose argument is evaluated once per item of the collection they are called on (trace's second, a projection). */
const ITERATING_FUNCTIONS = new Set(['where', 'select', 'all', 'exists', 'repeat', 'any', 'aggregate', 'sort', 'trace']);
/** External constants that stand for a fixed value, not for the context. */
const CONSTANTS = new Set(['ucum', 'sct', 'loinc']);

interface AstNode {
  type: string;
  text?: string;
  children?: AstNode[];
}

interface Reach {
  /** The context's elements the expression reads (member names at its top level). */
  readonly roots: Set<string>;
  /** False when the expression also reads the context as a whole ($this, hasValue(), %resource…). */
  readonly prunable: boolean;
}

/**
 * Which elements of its context an expression reads. Arguments of iterating functions (where,
 * exists…) read the items of their receiver, not the context, and run only when the receiver has
 * items; every other argument is treated as reading the context.
 */
export function reachOf(expression: string): Reach {
  const roots = new Set<string>();
  let prunable = true;
  const functionName = (invocation: AstNode): string => invocation.children?.[0]?.children?.[0]?.text ?? invocation.text ?? '';
  const visit = (node: AstNode, atContext: boolean): void => {
    switch (node.type) {
      case 'InvocationExpression': {
        const [receiver, invocation] = node.children ?? [];
        if (receiver) visit(receiver, atContext);
        if (invocation?.type === 'FunctionInvocation') {
          const iterating = ITERATING_FUNCTIONS.has(functionName(invocation));
          for (const param of invocation.children?.[0]?.children?.[1]?.children ?? []) visit(param, atContext && !iterating);
        }
        return;
      }
      case 'InvocationTerm': {
        const [invocation] = node.children ?? [];
        if (!invocation || !atContext) {
          for (const child of node.children ?? []) visit(child, atContext);
          return;
        }
        if (invocation.type === 'MemberInvocation') roots.add(invocation.text ?? '');
        else prunable = false; // a function of the context itself, $this, $index
        for (const child of invocation.children ?? []) visit(child, atContext);
        return;
      }
      case 'ExternalConstantTerm': {
        const name = node.children?.[0]?.children?.[0]?.text ?? node.text ?? '';
        if (atContext && !CONSTANTS.has(name.replace(/^`|`$/g, ''))) prunable = false;
        return;
      }
      default:
        for (const child of node.children ?? []) visit(child, atContext);
    }
  };
  visit(fhirpath.parse(expression) as AstNode, true);
  return { roots, prunable: prunable && roots.size > 0 };
}

/** Does the node hold any element named in `roots` (a choice `valueX`, or a primitive's `_name` form)? */
function touches(node: JsonObject, type: TypeInfo, roots: ReadonlySet<string>): boolean {
  for (const key in node) {
    if (key === 'resourceType') continue;
    const child = type.children.get(key);
    if (!child) return true; // an element the definitions lack: let fhirpath.js see it
    if (roots.has(child.name)) return true;
  }
  return false;
}

type Compiled = (node: unknown, env: Record<string, unknown>) => unknown[];

export interface CompiledInvariant {
  readonly definition: InvariantDefinition;
  /** The expression evaluated (the official one, or its correction). */
  readonly expression: string;
  readonly requirement: string;
  readonly ruleId: string;
  readonly native: NativeInvariant | undefined;
  readonly reach: Reach;
}

/** The result as a verdict: holds only when it is exactly `true`. */
export function holds(result: readonly unknown[]): boolean {
  return result.length === 1 && result[0] === true;
}

function describeResult(result: readonly unknown[]): string {
  if (result.length === 0) return 'empty (no verdict)';
  return JSON.stringify(result).slice(0, 80);
}

export class InvariantEngine implements Check {
  readonly invariants: readonly CompiledInvariant[];
  private readonly model: Model;
  private readonly byType = new Map<string, Array<{ invariant: CompiledInvariant; base: string }>>();
  private readonly byElementPath = new Map<string, Array<{ invariant: CompiledInvariant; base: string }>>();
  private readonly applicable = new Map<string, ReadonlyArray<{ invariant: CompiledInvariant; base: string }>>();
  private readonly compiled = new Map<string, Compiled>();
  private readonly onEmpty = new Map<string, 'holds' | 'fails' | 'no verdict'>();
  /** Set to false to evaluate every invariant with fhirpath.js (the natives' agreement test). */
  useNatives = true;
  /** Set to false to evaluate every invariant at every node (the pruning's agreement test). */
  usePruning = true;
  /** When set, time spent per invariant (the benchmark's "where the time goes"). */
  profile: Map<string, { evaluations: number; ms: number }> | undefined;

  constructor(private readonly definitions: Definitions) {
    const release = definitions.release;
    this.model = MODELS[release.name];
    this.invariants = definitions.invariants.map((definition) => {
      const correction = CORRECTIONS[`${release.name}:${definition.key}`];
      if (correction && correction.official !== definition.expression) {
        throw new Error(`the correction of ${definition.key} expects "${correction.official}", the definitions say "${definition.expression}"`);
      }
      const expression = correction?.evaluated ?? definition.expression;
      let reach: Reach | undefined;
      return {
        definition,
        expression,
        requirement: `${release.requirementPrefix}-${definition.key}`,
        ruleId: `fhir:${definition.key}`,
        native: NATIVE_INVARIANTS[expression],
        // Parsed on first use: a process meets a few dozen of the release's invariants, and parsing them all cost ~0.15 s at start.
        get reach() {
          return (reach ??= reachOf(expression));
        },
      };
    });
    for (const invariant of this.invariants) {
      for (const context of invariant.definition.contexts) {
        const index = definitions.types.has(context) ? this.byType : this.byElementPath;
        const list = index.get(context) ?? [];
        list.push({ invariant, base: context });
        index.set(context, list);
      }
    }
  }

  /** The invariants that apply to a node of this type (its own and its ancestors'). */
  applicableTo(type: TypeInfo): ReadonlyArray<{ invariant: CompiledInvariant; base: string }> {
    let list = this.applicable.get(type.name);
    if (!list) {
      list = type.lineage.flatMap((name) => this.byType.get(name) ?? []);
      this.applicable.set(type.name, list);
    }
    return list;
  }

  /** The invariants defined on one element (not a type): txt-1 on Narrative.div. */
  applicableToElement(definitionPath: string): ReadonlyArray<{ invariant: CompiledInvariant; base: string }> {
    return this.byElementPath.get(definitionPath) ?? [];
  }

  private compiledFor(invariant: CompiledInvariant, base: string): Compiled {
    const key = `${base}\u0000${invariant.expression}`;
    let fn = this.compiled.get(key);
    if (!fn) {
      const options = {
        traceFn: () => undefined,
        userInvocationTable: { resolve: { fn: resolveLocally, arity: { 0: [] }, internalStructures: true } },
      };
      const compiled = fhirpath.compile({ base, expression: invariant.expression }, this.model, options);
      fn = (node, env) => compiled(node, env) as unknown[];
      this.compiled.set(key, fn);
    }
    return fn;
  }

  /**
   * fhirpath.js's result for one node (the reference every shortcut is tested against). `resource` is
   * the resource not contained in another, `current` the nearest one (a contained resource itself).
   * STU3 has only %resource, which its invariants (ref-1, dom-3) use for the container; R4 has
   * %resource for the nearest and %rootResource for the container.
   */
  evaluateWithFhirpath(invariant: CompiledInvariant, base: string, node: unknown, resource: JsonObject, current: JsonObject = resource): unknown[] {
    const env = this.definitions.release.name === 'stu3' ? { resource } : { resource: current, rootResource: resource };
    return this.compiledFor(invariant, base)(node, env);
  }

  /** The verdict on a node holding none of the invariant's elements, computed once per context. */
  private verdictOnEmpty(invariant: CompiledInvariant, base: string, type: TypeInfo): 'holds' | 'fails' | 'no verdict' {
    const key = `${base}\u0000${invariant.expression}`;
    let verdict = this.onEmpty.get(key);
    if (verdict === undefined) {
      const empty = type.kind === 'resource' ? { resourceType: type.name } : {};
      const result = this.evaluateWithFhirpath(invariant, base, empty, empty);
      verdict = holds(result) ? 'holds' : result.length === 0 ? 'no verdict' : 'fails';
      this.onEmpty.set(key, verdict);
    }
    return verdict;
  }

  private check(invariant: CompiledInvariant, base: string, node: unknown, type: TypeInfo | undefined, at: Cursor): void {
    if (!this.profile) {
      this.evaluate(invariant, base, node, type, at);
      return;
    }
    const started = performance.now();
    this.evaluate(invariant, base, node, type, at);
    const entry = this.profile.get(invariant.definition.key) ?? { evaluations: 0, ms: 0 };
    entry.evaluations += 1;
    entry.ms += performance.now() - started;
    this.profile.set(invariant.definition.key, entry);
  }

  private evaluate(invariant: CompiledInvariant, base: string, node: unknown, type: TypeInfo | undefined, at: Cursor): void {
    if (invariant.native && (this.useNatives || invariant.native.purpose === 'fhirpath.js gap')) {
      const verdict = invariant.native.evaluate(node, type, at.scope.resource, this.definitions.types);
      if (verdict === false) this.report(invariant, node, at, 'false');
      if (verdict !== undefined) return;
    }
    if (this.usePruning && type && invariant.reach.prunable && isJsonObject(node) && !touches(node, type, invariant.reach.roots)) {
      const verdict = this.verdictOnEmpty(invariant, base, type);
      if (verdict !== 'holds') this.report(invariant, node, at, `${verdict === 'fails' ? 'false' : 'empty (no verdict)'} on an element without any of its elements`, verdict === 'no verdict');
      return;
    }
    let result: unknown[];
    try {
      result = this.evaluateWithFhirpath(invariant, base, node, at.scope.resource, at.scope.current);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      this.report(invariant, node, at, `could not be evaluated (fhirpath.js: ${message.length > 200 ? `${message.slice(0, 200)}…` : message})`);
      return;
    }
    if (!holds(result)) this.report(invariant, node, at, describeResult(result), result.length === 0);
  }

  private report(invariant: CompiledInvariant, node: unknown, at: Cursor, outcome: string, inconclusive = false): void {
    const { definition } = invariant;
    const isResource = isJsonObject(node) && typeof node.resourceType === 'string';
    at.report({
      ruleId: invariant.ruleId,
      rule: `${this.definitions.release.label} invariant ${definition.key}`,
      ...(isResource ? {} : { value: truncateValue(node) }),
      message: `${definition.human} (${definition.key}: ${invariant.expression} gave ${outcome})`,
      requirement: invariant.requirement,
      ...(definition.severity === 'warning' ? { severity: 'warning' as const } : {}),
      ...(inconclusive ? { inconclusive: true as const } : {}),
    });
  }

  complex(node: JsonObject, type: TypeInfo, element: ChildElement | undefined, at: Cursor): void {
    for (const { invariant, base } of this.applicableTo(type)) this.check(invariant, base, node, type, at);
    if (element) for (const { invariant, base } of this.byElementPath.get(element.definitionPath) ?? []) this.check(invariant, base, node, type, at);
  }

  primitive(value: unknown, element: ChildElement, at: Cursor): void {
    // ele-1 holds for a primitive with a value; only element-specific invariants (txt-1 on Narrative.div) remain.
    for (const { invariant, base } of this.byElementPath.get(element.definitionPath) ?? []) this.check(invariant, base, value, undefined, at);
  }

  primitiveWithoutValue(companion: unknown, element: ChildElement, at: Cursor): void {
    // A primitive that is only its `_name` companion: ele-1 asks for extensions there.
    const type = this.definitions.types.get(element.type === 'Element' ? element.type : 'Element');
    if (!type) return;
    for (const { invariant, base } of this.applicableTo(type)) {
      if (invariant.definition.key !== 'ele-1') continue;
      const primitive = { extension: isJsonObject(companion) ? companion.extension : undefined, id: isJsonObject(companion) ? companion.id : undefined };
      const native = invariant.native && this.useNatives ? invariant.native.evaluate(primitive, undefined, at.scope.resource, this.definitions.types) : undefined;
      if (native === false || (native === undefined && !holds(this.evaluateWithFhirpath(invariant, base, primitive, at.scope.resource, at.scope.current)))) {
        this.report(invariant, companion, at, 'false: the primitive has neither a value nor extensions');
      }
    }
  }
}

/**
 * `resolve()` without a server (fhirpath.js's own is asynchronous and asks one): a local reference
 * (#id) resolves to the contained resource of %resource; a literal reference (Type/id, or a URL
 * ending so) to a stand-in of that type, enough for `resolve() is Practitioner` (rfr-1); anything
 * else to nothing. The results must be fhirpath.js ResourceNodes for `is` to know their type; the
 * package does not export the class, so it is taken from the input nodes (internalStructures).
 */
interface ResourceNodeLike {
  readonly data?: unknown;
  readonly constructor: { makeResNode(ctx: unknown, data: unknown, parent: null, path: null, _data: null, type: string): unknown };
}

function resolveLocally(this: { vars?: Record<string, unknown> }, references: ResourceNodeLike[]): unknown[] {
  const out: unknown[] = [];
  for (const node of references) {
    const reference = isJsonObject(node.data) ? node.data.reference : undefined;
    if (typeof reference !== 'string') continue;
    let resource: JsonObject | undefined;
    if (reference.startsWith('#')) {
      const container = this.vars?.resource;
      const contained = isJsonObject(container) && Array.isArray(container.contained) ? container.contained : [];
      resource = contained.find((candidate: unknown): candidate is JsonObject => isJsonObject(candidate) && candidate.id === reference.slice(1));
    } else {
      const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
      if (match) resource = { resourceType: match[1], id: match[2] };
    }
    if (resource && typeof resource.resourceType === 'string') out.push(node.constructor.makeResNode(this, resource, null, null, null, resource.resourceType));
  }
  return out;
}
