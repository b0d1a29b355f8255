/**
 * One typed walk over a FHIR resource (a Bundle with its entries, contained resources included):
 * every JSON value is visited once, knowing the element it is (type, cardinality, binding) from the
 * release's definitions, and handed to the checks (JSON rules, bindings, invariants), which report
 * at the walk's current path. Hand-written because the checks need, at every node, both the concrete
 * FHIR type and the exact JSON location; neither ajv nor fhirpath.js exposes that pairing.
 */
import { formatPath, isJsonObject, type JsonObject, type PathSegment, type Violation } from '../violation.js';
import type { ChildElement, Definitions, TypeInfo } from './definitions.js';

/** The resources a node belongs to. */
export interface ResourceScope {
  /** The resource the node is in, as violations name it: a Bundle entry's resource, else the validated document. */
  readonly owner: { readonly resourceType: string; readonly id?: string };
  /** The resource that is not contained in another: the container of a contained resource (R4's `%rootResource`). */
  readonly resource: JsonObject;
  /** The nearest resource, a contained one included (R4's `%resource`). */
  readonly current: JsonObject;
}

export type Finding = Omit<Violation, 'resourceType' | 'id' | 'path'>;

/** Where the walk is; checks report through it. */
export class Cursor {
  readonly segments: PathSegment[] = [];
  scope: ResourceScope;
  readonly out: Violation[];

  constructor(scope: ResourceScope, out: Violation[]) {
    this.scope = scope;
    this.out = out;
  }

  /** A violation at the current path, or below it. */
  report(finding: Finding, ...below: PathSegment[]): void {
    const path = formatPath(below.length === 0 ? this.segments : [...this.segments, ...below]);
    this.out.push({ ...this.scope.owner, path, ...finding });
  }
}

/** What the checks see. Every method is optional; each is called once per node of its kind. */
export interface Check {
  /** A resource (the root, an entry's, a contained one, an outcome), before its elements. `type` is undefined for a type the definitions lack. */
  resource?(node: unknown, type: TypeInfo | undefined, at: Cursor): void;
  /** An object-valued element (datatype or backbone) or a resource, before its properties. */
  complex?(node: JsonObject, type: TypeInfo, element: ChildElement | undefined, at: Cursor): void;
  /** One property of an object, before its value is walked; `element` is undefined for a name the type does not define. */
  property?(owner: JsonObject, key: string, value: unknown, element: ChildElement | undefined, type: TypeInfo, at: Cursor): void;
  /** A primitive value (not null). The cursor is at the value. */
  primitive?(value: unknown, element: ChildElement, at: Cursor): void;
  /** A primitive that has only its `_name` companion (no value). The cursor is at the companion. */
  primitiveWithoutValue?(companion: unknown, element: ChildElement, at: Cursor): void;
}

const RESOURCE = 'Resource';

export class FhirWalker {
  // Each hook's implementations, bound once: the walk calls them hundreds of thousands of times per claim list.
  private readonly onResource: Array<NonNullable<Check['resource']>>;
  private readonly onComplex: Array<NonNullable<Check['complex']>>;
  private readonly onProperty: Array<NonNullable<Check['property']>>;
  private readonly onPrimitive: Array<NonNullable<Check['primitive']>>;
  private readonly onPrimitiveWithoutValue: Array<NonNullable<Check['primitiveWithoutValue']>>;
  private readonly elementType: TypeInfo | undefined;

  constructor(
    private readonly definitions: Definitions,
    checks: readonly Check[],
  ) {
    const hooks = <K extends keyof Check>(name: K) => checks.flatMap((check) => (check[name] ? [(check[name] as (...args: never[]) => void).bind(check) as NonNullable<Check[K]>] : []));
    this.onResource = hooks('resource');
    this.onComplex = hooks('complex');
    this.onProperty = hooks('property');
    this.onPrimitive = hooks('primitive');
    this.onPrimitiveWithoutValue = hooks('primitiveWithoutValue');
    this.elementType = definitions.types.get('Element');
  }

  /** Walks one document (a resource or a Bundle); violations are pushed to `out`. */
  walk(document: unknown, out: Violation[]): void {
    const root = isJsonObject(document) ? document : {};
    const scope: ResourceScope = { owner: ownerOf(document), resource: root, current: root };
    this.resource(document, new Cursor(scope, out), true);
  }

  /** A resource at the cursor. `own`: a new %resource (the document, a Bundle entry), as opposed to a contained one. */
  private resource(node: unknown, at: Cursor, own: boolean): void {
    const saved = at.scope;
    if (isJsonObject(node)) at.scope = own ? { owner: ownerOf(node), resource: node, current: node } : { ...saved, current: node };
    const type = isJsonObject(node) && typeof node.resourceType === 'string' ? this.definitions.types.get(node.resourceType) : undefined;
    const knownType = type && type.kind === 'resource' ? type : undefined;
    for (const hook of this.onResource) hook(node, knownType, at);
    if (knownType && isJsonObject(node)) this.complex(node, knownType, undefined, at);
    at.scope = saved;
  }

  private complex(node: JsonObject, type: TypeInfo, element: ChildElement | undefined, at: Cursor): void {
    for (const hook of this.onComplex) hook(node, type, element, at);
    const isResource = type.kind === 'resource';
    for (const key in node) {
      if (isResource && key === 'resourceType') continue;
      const value = node[key];
      const child = type.children.get(key);
      for (const hook of this.onProperty) hook(node, key, value, child, type, at);
      if (!child || value === null || value === undefined) continue;
      at.segments.push(key);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          // A null is a place-holder keeping `_name` aligned: that primitive is its companion alone (walked under `_name`).
          if (item === null) continue;
          at.segments.push(i);
          this.value(item, child, node, key, at);
          at.segments.pop();
        }
      } else {
        this.value(value, child, node, key, at);
      }
      at.segments.pop();
    }
  }

  private value(value: unknown, child: ChildElement, owner: JsonObject, key: string, at: Cursor): void {
    if (child.isPrimitiveElement) {
      // `_name`: the primitive's id and extensions. Walked as an Element; a value-less primitive is seen here.
      const base = owner[child.companionKey as string];
      const index = at.segments[at.segments.length - 1];
      const hasValue = Array.isArray(base) && typeof index === 'number' ? base[index] !== null && base[index] !== undefined : base !== undefined && base !== null;
      if (!hasValue) for (const hook of this.onPrimitiveWithoutValue) hook(value, child, at);
      if (this.elementType && isJsonObject(value)) this.complex(value, this.elementType, child, at);
      return;
    }
    if (child.primitive) {
      for (const hook of this.onPrimitive) hook(value, child, at);
      return;
    }
    if (child.type === RESOURCE) {
      this.resource(value, at, key !== 'contained');
      return;
    }
    const type = this.definitions.types.get(child.type);
    if (type && isJsonObject(value)) this.complex(value, type, child, at);
  }
}

function ownerOf(node: unknown): ResourceScope['owner'] {
  if (!isJsonObject(node)) return { resourceType: '(not a resource)' };
  const resourceType = typeof node.resourceType === 'string' ? node.resourceType : '(no resourceType)';
  return typeof node.id === 'string' ? { resourceType, id: node.id } : { resourceType };
}
