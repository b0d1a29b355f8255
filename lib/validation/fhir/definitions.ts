/**
 * A release's definitions (schemas/fhir-<release>/elements.json, invariants.json, valuesets.json,
 * generated from HL7's StructureDefinitions by scripts/generate/fhir-definitions.ts), read once and
 * indexed for the walk: for a type and a JSON property name, the element it is, with its concrete
 * type (a choice's `valueMoney` is `value` of type Money), cardinality, required binding and the
 * invariants that apply to it.
 */
import path from 'node:path';
import { z } from 'zod';
import { readDataFile } from '../data-file.js';
import type { FhirRelease } from './release.js';

// ---------------------------------------------------------------------------------------------
// The files' shapes (a broken or hand-edited file is a clear load error, not a silent pass)

const elementSchema = z.strictObject({
  types: z.array(z.string().min(1)).min(1),
  min: z.number().int().min(0),
  max: z.string().regex(/^(\*|\d+)$/),
  choice: z.literal(true).optional(),
  binding: z.string().optional(),
  targets: z.array(z.string()).optional(),
});
const typeSchema = z.strictObject({
  kind: z.enum(['primitive-type', 'complex-type', 'resource', 'backbone']),
  base: z.string().optional(),
  page: z.string().url(),
  elements: z.record(z.string(), elementSchema),
});
const primitiveSchema = z.strictObject({ json: z.enum(['string', 'number', 'boolean']), regex: z.string().optional(), maxLength: z.number().optional() });
const elementsFileSchema = z.strictObject({
  $comment: z.string(),
  fhirVersion: z.string(),
  roots: z.array(z.string()),
  primitives: z.record(z.string(), primitiveSchema),
  types: z.record(z.string(), typeSchema),
});
const invariantSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9]*-\d+$/),
  severity: z.enum(['error', 'warning']),
  human: z.string(),
  expression: z.string().min(1),
  xpath: z.string().optional(),
  contexts: z.array(z.string()).min(1),
  source: z.string().url(),
});
const invariantsFileSchema = z.strictObject({ $comment: z.string(), fhirVersion: z.string(), invariants: z.array(invariantSchema) });
const valueSetSchema = z.strictObject({
  name: z.string(),
  enumerable: z.boolean(),
  codes: z.record(z.string(), z.array(z.string())).optional(),
  reason: z.string().optional(),
});
const valueSetsFileSchema = z.strictObject({ $comment: z.string(), fhirVersion: z.string(), valueSets: z.record(z.string(), valueSetSchema) });

export type InvariantDefinition = z.infer<typeof invariantSchema>;
type TypeDefinition = z.infer<typeof typeSchema>;
export type PrimitiveDefinition = z.infer<typeof primitiveSchema>;

const REGENERATE = ' (regenerate it with scripts/generate/fhir-definitions.ts)';

// ---------------------------------------------------------------------------------------------
// The index

export interface ValueSet {
  readonly url: string;
  readonly name: string;
  /** system → codes; undefined when the value set cannot be enumerated from the package. */
  readonly codes: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  /** Every code, whatever its system (a `code` element carries no system). */
  readonly allCodes: ReadonlySet<string>;
  readonly reason: string | undefined;
}

/** One JSON property of a type. */
export interface ChildElement {
  /** The element's name: `value` for `valueMoney`, `birthDate` for `_birthDate`. */
  readonly name: string;
  /** Its concrete type: a type name, a profile (SimpleQuantity), a backbone path, or "Resource". */
  readonly type: string;
  /** `<owner type>.<name>`, as the definitions name it: "Narrative.div", "Coverage.status". */
  readonly definitionPath: string;
  readonly min: number;
  /** undefined = unbounded. */
  readonly max: number | undefined;
  readonly isArray: boolean;
  /** Set when the type is a primitive. */
  readonly primitive: PrimitiveDefinition | undefined;
  /** The `_name` property of a primitive (its id and extensions), not the value. */
  readonly isPrimitiveElement: boolean;
  /** For a primitive, the other half of the pair: `_name` for `name`, `name` for `_name`. */
  readonly companionKey: string | undefined;
  /** Part of a choice (value[x]). */
  readonly choice: boolean;
  readonly binding: ValueSet | undefined;
  /** For a Reference: the resource types it may point at; undefined when any. */
  readonly targets: ReadonlySet<string> | undefined;
}

export interface TypeInfo {
  readonly name: string;
  readonly kind: TypeDefinition['kind'];
  readonly page: string;
  /** This type and every type it derives from, nearest first: Money, Quantity, Element. */
  readonly lineage: readonly string[];
  /** JSON property name → element. */
  readonly children: ReadonlyMap<string, ChildElement>;
  /** Element names that are choices (value for value[x]). */
  readonly choiceNames: ReadonlySet<string>;
}

export interface Definitions {
  readonly release: FhirRelease;
  readonly fhirVersion: string;
  /** The resource types the definitions were generated for (BB2's, and what they contain). */
  readonly roots: readonly string[];
  readonly types: ReadonlyMap<string, TypeInfo>;
  readonly primitives: ReadonlyMap<string, PrimitiveDefinition>;
  readonly invariants: readonly InvariantDefinition[];
  readonly valueSets: ReadonlyMap<string, ValueSet>;
  /** Resource types the definitions know (a contained resource of another type is checked by the schema only). */
  readonly resourceTypes: ReadonlySet<string>;
  /** Every resource type name of the release (its resource-types value set), for references and resourceType. */
  readonly allResourceTypes: ReadonlySet<string>;
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function buildValueSets(file: z.infer<typeof valueSetsFileSchema>): Map<string, ValueSet> {
  const out = new Map<string, ValueSet>();
  for (const [url, valueSet] of Object.entries(file.valueSets)) {
    const codes = valueSet.enumerable && valueSet.codes ? new Map(Object.entries(valueSet.codes).map(([system, list]) => [system, new Set(list)])) : undefined;
    const allCodes = new Set(codes ? [...codes.values()].flatMap((set) => [...set]) : []);
    out.set(url, { url, name: valueSet.name, codes, allCodes, reason: valueSet.reason });
  }
  return out;
}

function lineageOf(name: string, raw: Record<string, TypeDefinition>): string[] {
  const lineage: string[] = [];
  let current: string | undefined = name;
  while (current !== undefined && !lineage.includes(current)) {
    lineage.push(current);
    current = raw[current]?.base;
  }
  return lineage;
}

function buildTypes(file: z.infer<typeof elementsFileSchema>, valueSets: Map<string, ValueSet>): Map<string, TypeInfo> {
  const raw = file.types;
  const types = new Map<string, TypeInfo>();
  for (const [name, definition] of Object.entries(raw)) {
    const children = new Map<string, ChildElement>();
    const choiceNames = new Set<string>();
    for (const [elementName, element] of Object.entries(definition.elements)) {
      const max = element.max === '*' ? undefined : Number(element.max);
      const binding = element.binding === undefined ? undefined : valueSets.get(element.binding);
      if (element.binding !== undefined && !binding) throw new Error(`${name}.${elementName}: value set ${element.binding} is not in valuesets.json`);
      const common = {
        name: elementName,
        definitionPath: `${name}.${elementName}`,
        min: element.min,
        max,
        isArray: max === undefined || max > 1,
        choice: element.choice === true,
        binding,
        targets: element.targets === undefined ? undefined : new Set(element.targets),
      };
      if (element.choice) choiceNames.add(elementName);
      for (const type of element.types) {
        const primitive = file.primitives[type];
        const key = element.choice ? `${elementName}${capitalize(type)}` : elementName;
        children.set(key, { ...common, type, primitive, isPrimitiveElement: false, companionKey: primitive ? `_${key}` : undefined });
        if (primitive) children.set(`_${key}`, { ...common, type: 'Element', primitive, isPrimitiveElement: true, companionKey: key });
      }
    }
    types.set(name, { name, kind: definition.kind, page: definition.page, lineage: lineageOf(name, raw), children, choiceNames });
  }
  return types;
}

const RESOURCE_TYPES_VALUE_SET = 'http://hl7.org/fhir/ValueSet/resource-types';
const cache = new Map<string, Definitions>();

/** The release's definitions, read and indexed on first use. */
export function loadDefinitions(release: FhirRelease): Definitions {
  const cached = cache.get(release.name);
  if (cached) return cached;
  const elements = readDataFile(path.join(release.dataDir, 'elements.json'), elementsFileSchema, REGENERATE);
  const invariants = readDataFile(path.join(release.dataDir, 'invariants.json'), invariantsFileSchema, REGENERATE);
  const valueSetsFile = readDataFile(path.join(release.dataDir, 'valuesets.json'), valueSetsFileSchema, REGENERATE);
  const valueSets = buildValueSets(valueSetsFile);
  const types = buildTypes(elements, valueSets);
  const resourceTypes = new Set([...types.values()].filter((type) => type.kind === 'resource' && type.name !== 'Resource' && type.name !== 'DomainResource').map((type) => type.name));
  const definitions: Definitions = {
    release,
    fhirVersion: elements.fhirVersion,
    roots: elements.roots,
    types,
    primitives: new Map(Object.entries(elements.primitives)),
    invariants: invariants.invariants,
    valueSets,
    resourceTypes,
    allResourceTypes: valueSets.get(RESOURCE_TYPES_VALUE_SET)?.allCodes ?? resourceTypes,
  };
  cache.set(release.name, definitions);
  return definitions;
}
