/**
 * Native forms of the invariants evaluated at nearly every node of a claim, keyed by the exact
 * FHIRPath expression they implement (an expression that changes in the data falls back to
 * fhirpath.js, never to a stale native).
 *
 * Why: on the 400 EOBs of BBUser13410 (npm run bench -- --only validation), fhirpath.js takes
 * 10-25 µs per evaluation, 80 µs for per-1's date comparison and 0.3 ms for dom-3 (descendants());
 * ele-1 runs at ~80,000 elements, Money's mny-1 and qty-3 at ~7,700 amounts, ref-1 at ~2,800
 * references, per-1 at ~600 periods: seconds, where the whole validation budget is a few hundred
 * milliseconds.
 *
 * Each native is proven equal to fhirpath.js's evaluation of the same expression, node by node, on
 * every real sample, the embedded sandbox's resources and every crafted bad instance
 * (fhir/invariants.test.ts, "natives agree with fhirpath.js"). Each follows FHIRPath's three-valued
 * logic: a sub-expression on an absent element is empty, and the invariant holds only when the
 * whole is `true`.
 */
import { isJsonObject, type JsonObject } from '../violation.js';
import type { TypeInfo } from './definitions.js';

/** true/false: the verdict; undefined: a case the native leaves to fhirpath.js. */
export type NativeEvaluation = (node: unknown, type: TypeInfo | undefined, resource: JsonObject, types: ReadonlyMap<string, TypeInfo>) => boolean | undefined;

export interface NativeInvariant {
  readonly evaluate: NativeEvaluation;
  /**
   * 'speed': fhirpath.js is right but too slow where it runs (agrees everywhere, tested).
   * 'fhirpath.js gap': fhirpath.js gives a wrong verdict in the case `gap` describes; the native is
   * right there and agrees with fhirpath.js everywhere else (tested both ways).
   */
  readonly purpose: 'speed' | 'fhirpath.js gap';
  /** For a gap: what fhirpath.js gets wrong, and the nodes where it does. */
  readonly gap?: { readonly description: string; readonly applies: (node: unknown) => boolean };
}

/** A JSON value that fhirpath.js sees as at least one item (an array's null items count; an empty array does not). */
function present(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  return !Array.isArray(value) || value.length > 0;
}

/** A primitive element as FHIRPath sees it: its value, or its `_name` extensions alone. */
function primitivePresent(node: JsonObject, name: string): boolean {
  return present(node[name]) || present(node[`_${name}`]);
}

function items(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isJsonObject);
  return isJsonObject(value) ? [value] : [];
}

/**
 * ele-1 "All FHIR elements must have a @value or children": a primitive value, or an object with
 * at least one child other than `id` (an array counts by its items; a primitive's `_name`
 * companion counts as that child).
 */
function hasValueOrChildren(node: unknown): boolean {
  if (!isJsonObject(node)) return node !== null && node !== undefined;
  for (const key in node) {
    if (key === 'id') continue;
    if (present(node[key])) return true;
  }
  return false;
}

/** ext-1 "Must have either extensions or value[x], not both". */
function extensionXorValue(node: unknown, type: TypeInfo | undefined): boolean {
  if (!isJsonObject(node)) return false;
  const hasExtensions = present(node.extension);
  let hasValue = false;
  for (const key in node) {
    const child = type?.children.get(key);
    const isValue = child ? child.name === 'value' : /^_?value[A-Z]/.test(key);
    if (isValue && present(node[key])) {
      hasValue = true;
      break;
    }
  }
  return hasExtensions !== hasValue;
}

/** dom-1 "If the resource is contained in another resource, it SHALL NOT contain any narrative". */
function containedWithoutText(node: unknown): boolean {
  return isJsonObject(node) && !items(node.contained).some((resource) => present(resource.text));
}

/** dom-2 "…it SHALL NOT contain nested Resources". */
function containedNotNested(node: unknown): boolean {
  return isJsonObject(node) && !items(node.contained).some((resource) => present(resource.contained));
}

/** dom-4 "…it SHALL NOT have a meta.versionId or a meta.lastUpdated". */
function containedWithoutVersion(node: unknown): boolean {
  if (!isJsonObject(node)) return false;
  const metas = items(node.contained).flatMap((resource) => items(resource.meta));
  return !metas.some((meta) => primitivePresent(meta, 'versionId')) && !metas.some((meta) => primitivePresent(meta, 'lastUpdated'));
}

/** Every `reference` value below a resource (FHIRPath's `descendants().reference`). */
function referencesBelow(root: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(root)) {
    for (const item of root) referencesBelow(item, out);
  } else if (isJsonObject(root)) {
    for (const key in root) {
      const value = root[key];
      if (key === 'reference' && typeof value === 'string') out.add(value);
      else if (typeof value === 'object' && value !== null) referencesBelow(value, out);
    }
  }
  return out;
}

/** dom-3 (STU3) "…it SHALL be referred to from elsewhere in the resource": every contained id appears as '#id' (a contained resource without an id has no verdict to give, and FHIRPath's where() drops it). */
function containedReferenced(node: unknown, _type: TypeInfo | undefined, resource: JsonObject): boolean {
  if (!isJsonObject(node)) return false;
  const contained = items(node.contained);
  if (contained.length === 0) return true;
  const references = referencesBelow(Object.values(resource), new Set());
  return contained.every((item) => typeof item.id !== 'string' || references.has(`#${item.id}`));
}

/** mny-1 (STU3) "There SHALL be a code if there is a value and it SHALL be an expression of currency. If system is present, it SHALL be ISO 4217". */
function moneyHasCurrency(node: unknown): boolean {
  if (!isJsonObject(node)) return false;
  // `code` as a boolean is its value: extensions alone (_code) do not make it true.
  const codeOrNoValue = present(node.code) || !primitivePresent(node, 'value');
  const system = node.system;
  const iso = !primitivePresent(node, 'system') || system === 'urn:iso:std:iso:4217';
  return codeOrNoValue && iso;
}

/** qty-3 "If a code for the unit is present, the system SHALL also be present". */
function quantityCodeHasSystem(node: unknown): boolean {
  return isJsonObject(node) && (!primitivePresent(node, 'code') || primitivePresent(node, 'system'));
}

/** ref-1, with R5's `reference.exists() implies` (see CORRECTIONS): a local reference names a contained resource of %resource. */
function localReferenceResolves(node: unknown, _type: TypeInfo | undefined, resource: JsonObject): boolean {
  if (!isJsonObject(node)) return false;
  if (!primitivePresent(node, 'reference')) return true;
  const reference = node.reference;
  if (typeof reference !== 'string') return false; // extensions alone: startsWith() has no value to test
  if (!reference.startsWith('#')) return true;
  return items(resource.contained).some((contained) => contained.id === reference.slice(1));
}

/**
 * rng-2 "If present, low SHALL have a lower value than high". fhirpath.js compares two Quantities
 * only when they carry UCUM units: `{value: 5} <= {value: 1}` is true there, so a reversed Range
 * without UCUM codes passed. Same units (both without a code, or the same system and code): the
 * values compare; different UCUM units: fhirpath.js converts them (right), so it decides.
 */
function rangeLowNotAboveHigh(node: unknown): boolean | undefined {
  if (!isJsonObject(node)) return false;
  const { low, high } = node;
  if (!present(low) || !present(high)) return true;
  if (!isJsonObject(low) || !isJsonObject(high) || typeof low.value !== 'number' || typeof high.value !== 'number') return false;
  const sameUnit = low.system === high.system && low.code === high.code && (low.code !== undefined || low.unit === high.unit);
  return sameUnit ? low.value <= high.value : undefined;
}

const CALENDAR_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * per-1 "If present, start SHALL have a lower value than end", for the form BB2 serves: two full
 * dates (YYYY-MM-DD), which compare as text. Any other form (partial dates, times and time zones,
 * extensions) is left to fhirpath.js's date arithmetic.
 */
function periodInOrder(node: unknown): boolean | undefined {
  if (!isJsonObject(node)) return false;
  if (!primitivePresent(node, 'start') || !primitivePresent(node, 'end')) return true;
  const { start, end } = node;
  if (typeof start === 'string' && typeof end === 'string' && CALENDAR_DAY.test(start) && CALENDAR_DAY.test(end)) return start <= end;
  return undefined;
}

/** Whether any `value[x]` of the node is present (the choice's JSON names start with `value` + a type). */
function choicePresent(node: JsonObject, name: string, type: TypeInfo | undefined): boolean {
  for (const key in node) {
    const child = type?.children.get(key);
    const isChoice = child ? child.name === name : key.startsWith(name) || key.startsWith(`_${name}`);
    if (isChoice && present(node[key])) return true;
  }
  return false;
}

/** obs-6 "dataAbsentReason SHALL only be present if Observation.value[x] is not present" (the Observations BB2 contains in claims). */
function absentReasonOnlyWithoutValue(node: unknown, type: TypeInfo | undefined): boolean {
  return isJsonObject(node) && (!present(node.dataAbsentReason) || !choicePresent(node, 'value', type));
}

/** obs-7 (as corrected, see CORRECTIONS): decided here when there is no value or no component; the code comparison is left to fhirpath.js. */
function valueNotRepeatedInComponents(node: unknown, type: TypeInfo | undefined): boolean | undefined {
  if (!isJsonObject(node)) return false;
  return !choicePresent(node, 'value', type) || !present(node.component) ? true : undefined;
}

/** rfr-1 "onBehalfOf can only be specified if agent is practitioner or device": decided here when there is no onBehalfOf (`… or true`); resolving the agent is left to fhirpath.js. */
function onBehalfOfOnlyForPractitioners(node: unknown): boolean | undefined {
  if (!isJsonObject(node)) return false;
  return present(node.onBehalfOf) ? undefined : true;
}

/** per-1 as R4 words it (`start.hasValue().not() or end.hasValue().not() or …`): a start or end that is only extensions has no value, and the period holds. */
function periodInOrderWithValues(node: unknown): boolean | undefined {
  if (!isJsonObject(node)) return false;
  if (!present(node.start) || !present(node.end)) return true;
  return periodInOrder(node);
}

const URI_TYPES = new Set(['canonical', 'uri', 'url']);

/**
 * What R4's dom-3 compares contained ids with: every `reference` value below the node, and every
 * value of an element typed canonical, uri or url (`descendants().ofType(canonical)` …), found by
 * walking with the element types.
 */
function referencesAndUrisBelow(node: unknown, type: TypeInfo | undefined, types: ReadonlyMap<string, TypeInfo>, out: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) referencesAndUrisBelow(item, type, types, out);
    return out;
  }
  if (!isJsonObject(node)) return out;
  for (const key in node) {
    const value = node[key];
    const child = type?.children.get(key);
    if (typeof value === 'string') {
      if (key === 'reference' || (child && URI_TYPES.has(child.type))) out.add(value);
    } else if (Array.isArray(value) && child && URI_TYPES.has(child.type)) {
      for (const item of value) if (typeof item === 'string') out.add(item);
    } else if (typeof value === 'object' && value !== null) {
      const childType = child?.type === 'Resource' ? undefined : child ? types.get(child.type) : undefined;
      if (Array.isArray(value)) {
        for (const item of value) referencesAndUrisBelow(item, childType ?? (isJsonObject(item) && typeof item.resourceType === 'string' ? types.get(item.resourceType) : undefined), types, out);
      } else {
        referencesAndUrisBelow(value, childType ?? (typeof (value as JsonObject).resourceType === 'string' ? types.get((value as JsonObject).resourceType as string) : undefined), types, out);
      }
    }
  }
  return out;
}

/**
 * dom-3 (R4, with as() read as ofType(), see CORRECTIONS) "If the resource is contained in another
 * resource, it SHALL be referred to from elsewhere in the resource or SHALL refer to the containing
 * resource": every contained id appears as '#id' in a reference or URI of the resource, or the
 * contained resource itself refers to '#' (its container).
 */
function containedReferencedOrReferring(node: unknown, type: TypeInfo | undefined, _resource: JsonObject, types: ReadonlyMap<string, TypeInfo>): boolean {
  if (!isJsonObject(node)) return false;
  const contained = items(node.contained);
  if (contained.length === 0) return true;
  const references = referencesAndUrisBelow(node, type, types, new Set());
  return contained.every((item) => {
    if (typeof item.id !== 'string' || references.has(`#${item.id}`)) return true;
    const fromItem = referencesAndUrisBelow(Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'resourceType')), types.get(String(item.resourceType)), types, new Set());
    return fromItem.has('#');
  });
}

/** obs-7 (R4): decided here when there is no value or no component; the code comparison is left to fhirpath.js. */
const valueNotRepeatedInComponentsR4 = valueNotRepeatedInComponents;

/** bdl-5 "must be a resource unless there's a request or response". */
function entryHasContent(node: unknown): boolean {
  return isJsonObject(node) && (present(node.resource) || present(node.request) || present(node.response));
}

/**
 * bdl-3 and bdl-4 as R4 words them: every entry has a request (a response) exactly when the Bundle is
 * of one of these types. A type fhirpath.js cannot compare (absent) is left to it.
 */
function entriesHaveWhen(element: 'request' | 'response', types: readonly string[]): NativeEvaluation {
  return (node) => {
    if (!isJsonObject(node)) return false;
    const entries = node.entry === undefined ? [] : node.entry;
    if (typeof node.type !== 'string' || !Array.isArray(entries) || !entries.every(isJsonObject)) return undefined;
    const expected = types.includes(node.type);
    return entries.every((entry) => present(entry[element]) === expected);
  };
}

const speed = (evaluate: NativeEvaluation): NativeInvariant => ({ evaluate, purpose: 'speed' });

export const NATIVE_INVARIANTS: Readonly<Record<string, NativeInvariant>> = {
  'hasValue() or (children().count() > id.count())': speed(hasValueOrChildren),
  'extension.exists() != value.exists()': speed(extensionXorValue),
  'contained.text.empty()': speed(containedWithoutText),
  'contained.contained.empty()': speed(containedNotNested),
  'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()': speed(containedWithoutVersion),
  "contained.where(('#'+id in %resource.descendants().reference).not()).empty()": speed(containedReferenced),
  "(code or value.empty()) and (system.empty() or system = 'urn:iso:std:iso:4217')": speed(moneyHasCurrency),
  'code.empty() or system.exists()': speed(quantityCodeHasSystem),
  "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %resource.contained.id.trace('ids')))": speed(localReferenceResolves),
  'start.empty() or end.empty() or (start <= end)': speed(periodInOrder),
  'start.hasValue().not() or end.hasValue().not() or (start <= end)': speed(periodInOrderWithValues),
  "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids')))": speed(localReferenceResolves),
  'dataAbsentReason.empty() or value.empty()': speed(absentReasonOnlyWithoutValue),
  "resource.exists() or request.exists() or response.exists()": speed(entryHasContent),
  "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))": speed(entriesHaveWhen('request', ['batch', 'transaction', 'history'])),
  "entry.all(response.exists() = (%resource.type = 'batch-response' or %resource.type = 'transaction-response' or %resource.type = 'history'))": speed(entriesHaveWhen('response', ['batch-response', 'transaction-response', 'history'])),
  "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().ofType(canonical) | %resource.descendants().ofType(uri) | %resource.descendants().ofType(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()": speed(containedReferencedOrReferring),
  "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()": speed(valueNotRepeatedInComponentsR4),
  'value.empty() or component.code.where(coding.intersect(%context.code.coding).exists()).empty()': speed(valueNotRepeatedInComponents),
  '(agent.resolve() is Device) or (agent.resolve() is Practitioner) or onBehalfOf.exists().not()': speed(onBehalfOfOnlyForPractitioners),
  'low.empty() or high.empty() or (low <= high)': {
    evaluate: rangeLowNotAboveHigh,
    purpose: 'fhirpath.js gap',
    gap: {
      description: 'Quantities without UCUM units: fhirpath.js says {value: 5} <= {value: 1}',
      applies: (node) => isJsonObject(node) && [node.low, node.high].some((quantity) => isJsonObject(quantity) && quantity.system !== 'http://unitsofmeasure.org'),
    },
  },
};
