/**
 * The schema part of FHIR validation: the release's official JSON schema, vendored unmodified in
 * schemas/fhir-<release>/ and patched in memory for the gaps measured in that file (see PROVENANCE.md
 * there). Each patch is a named function below, applied to the releases whose file has the gap
 * (SCHEMA_PATCHES); `createSchemaValidator(release, { patches })` can leave any out, which is how the
 * unit tests prove each one is needed. Minimum cardinalities and required bindings, which the schemas
 * leave out, come from the StructureDefinitions (cardinality.ts, bindings.ts).
 *
 * ajv's raw errors are condensed to one Violation per problem, with FHIR-style paths. The whole
 * verdict (schema, invariants, JSON rules, bindings, BB2 rules) is lib/validation/validate.ts.
 *
 * The fully patched schema takes seconds to compile, so `getSchemaValidator` loads it as ajv's
 * standalone code from the machine's cache (../code-cache.ts), built there once; what a fresh
 * compilation and the cached code give is the same (schema-cache.test.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _, Ajv, type AnySchemaObject, type ErrorObject, type KeywordDefinition, type Options, type ValidateFunction } from 'ajv';
import { cacheKey, loadCachedCode, warmCachedCode, type CodeCacheEntry, type LoadedCode, type WarmedCode } from '../code-cache.js';
import {
  formatPath,
  isJsonObject,
  owningResource,
  pointerToSegments,
  truncateValue,
  valueAt,
  type JsonObject,
  type PathSegment,
  type Violation,
} from '../violation.js';
import type { FhirRelease, ReleaseName } from './release.js';
import { schemaRuleFields, type SchemaRuleId } from './schema-rules.js';

const SCHEMA_KEY = 'fhir.schema.json';

export function schemaPath(release: FhirRelease): string {
  return path.join(release.dataDir, SCHEMA_KEY);
}

/** Every in-memory patch, in the order applied. */
export const ALL_SCHEMA_PATCHES = [
  'useResourceTypeDiscriminator',
  'integersAsBoundedIntegers',
  'addInstantPattern',
  'anchorPatterns',
  'linearBase64Pattern',
  'requireCalendarDates',
  'addQuantityProfilesToOpenChoices',
  'allowNullPlaceholdersInPrimitiveArrays',
  'acceptFhirVersion401',
] as const;
export type SchemaPatch = (typeof ALL_SCHEMA_PATCHES)[number];

/** The patches each release's file needs, each gap measured on that file (PROVENANCE.md, the unit tests). */
export const SCHEMA_PATCHES: Readonly<Record<ReleaseName, readonly SchemaPatch[]>> = {
  stu3: ['useResourceTypeDiscriminator', 'integersAsBoundedIntegers', 'addInstantPattern', 'anchorPatterns', 'requireCalendarDates', 'addQuantityProfilesToOpenChoices', 'allowNullPlaceholdersInPrimitiveArrays'],
  r4: ['useResourceTypeDiscriminator', 'integersAsBoundedIntegers', 'linearBase64Pattern', 'requireCalendarDates', 'allowNullPlaceholdersInPrimitiveArrays', 'acceptFhirVersion401'],
};

export interface SchemaValidatorOptions {
  /** Patches to apply; all the release's by default. Tests pass a subset to show what each one catches. */
  patches?: readonly SchemaPatch[];
  /** Validate through the schema's root oneOf over all types, as the file is meant to be used unpatched (the benchmark's naive baseline). */
  viaRootOneOf?: boolean;
}

export interface SchemaValidator {
  readonly release: FhirRelease;
  /** Milliseconds spent loading, patching and compiling the schema. */
  readonly compileMs: number;
  /** The release's resource type names (117 in STU3, 146 in R4). */
  readonly resourceTypes: ReadonlySet<string>;
  validate(resource: unknown, expectedType?: string): Violation[];
}

// ---------------------------------------------------------------------------------------------
// Schema walking and annotation

type SchemaNode = JsonObject;
type Definitions = Record<string, SchemaNode>;

interface LoadedSchema {
  root: SchemaNode;
  definitions: Definitions;
}

function loadSchema(release: FhirRelease): LoadedSchema {
  const file = schemaPath(release);
  const root = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!isJsonObject(root) || !isJsonObject(root.definitions)) throw new Error(`${file} is not the ${release.label} JSON schema (no definitions)`);
  // The R4 file names itself with draft-04's `id`, which ajv 8 refuses outright; it is `$id` since draft-06.
  if (typeof root.id === 'string' && root.$id === undefined) {
    root.$id = root.id;
    delete root.id;
  }
  return { root, definitions: root.definitions as Definitions };
}

/** Calls visit(node, propertyName) for every schema object below `definitions` (properties, items, oneOf members). */
function forEachNode(definitions: Definitions, visit: (node: SchemaNode, propertyName: string | undefined) => void): void {
  const walk = (node: unknown, propertyName: string | undefined): void => {
    if (!isJsonObject(node)) return;
    visit(node, propertyName);
    if (isJsonObject(node.properties)) for (const [name, child] of Object.entries(node.properties)) walk(child, name);
    if (node.items !== undefined) walk(node.items, propertyName);
    if (Array.isArray(node.oneOf)) for (const member of node.oneOf) walk(member, propertyName);
  };
  for (const definition of Object.values(definitions)) walk(definition, undefined);
}

/** Primitive types the patches and messages need to recognise. */
const NAMED_PRIMITIVES = ['date', 'dateTime', 'time', 'instant', 'code', 'id', 'oid', 'uuid', 'integer', 'positiveInt', 'unsignedInt', 'decimal'] as const;
type PrimitiveName = (typeof NAMED_PRIMITIVES)[number];
const FHIR_TYPE = 'fhirType';

/**
 * Labels each primitive-typed schema node with `fhirType` (an annotation keyword, no validation).
 * The generator inlined primitives in choice elements (valueDate, deceasedDateTime, …) as copies of
 * the definition's pattern and type, so a node is recognised by that pair; inline instants carry no
 * pattern at all and are recognised by their property name.
 */
function annotatePrimitiveTypes(definitions: Definitions): void {
  const byShape = new Map<string, PrimitiveName>();
  for (const name of NAMED_PRIMITIVES) {
    const definition = definitions[name];
    if (definition && typeof definition.pattern === 'string' && definition.pattern !== '') byShape.set(`${String(definition.type)} ${definition.pattern}`, name);
  }
  forEachNode(definitions, (node, propertyName) => {
    const shape = typeof node.pattern === 'string' ? byShape.get(`${String(node.type)} ${node.pattern}`) : undefined;
    if (shape) node[FHIR_TYPE] = shape;
    else if (node.type === 'string' && node.pattern === undefined && propertyName?.endsWith('Instant') && !propertyName.startsWith('_')) node[FHIR_TYPE] = 'instant';
  });
  const instant = definitions.instant;
  if (instant) instant[FHIR_TYPE] = 'instant';
}

// ---------------------------------------------------------------------------------------------
// Patches, one per measured gap

/**
 * Gap: Bundle.entry.resource and every `contained` are a `oneOf` over all 117 resource types
 * (ResourceList). ajv then tries every type: ~70x slower and hundreds of errors for one mistake.
 * An ajv discriminator on resourceType picks the one matching definition; `type: object` makes a
 * non-object entry resource an error (every resource definition alone accepts a number). The root's
 * `discriminator.mapping`, which ajv refuses, is dropped.
 */
function useResourceTypeDiscriminator({ root, definitions }: LoadedSchema): void {
  const resourceList = definitions.ResourceList;
  if (!resourceList || !Array.isArray(resourceList.oneOf)) throw new Error('JSON schema: ResourceList.oneOf not found');
  resourceList.discriminator = { propertyName: 'resourceType' };
  resourceList.type = 'object';
  root.discriminator = { propertyName: 'resourceType' };
}

/** STU3 and R4 datatypes: integer is 32-bit signed; positiveInt 1.., unsignedInt 0.., both up to 2^31-1. */
const INTEGER_BOUNDS: Record<string, [number, number]> = {
  integer: [-2147483648, 2147483647],
  positiveInt: [1, 2147483647],
  unsignedInt: [0, 2147483647],
};

/** Gap: integer, positiveInt and unsignedInt are `type: number` (the pattern never applies to numbers), so `sequence: -1.5` passes. */
function integersAsBoundedIntegers({ definitions }: LoadedSchema): void {
  forEachNode(definitions, (node) => {
    const bounds = INTEGER_BOUNDS[String(node[FHIR_TYPE])];
    if (!bounds) return;
    node.type = 'integer';
    delete node.pattern;
    node.minimum = bounds[0];
    node.maximum = bounds[1];
  });
}

/**
 * Gap: `instant` (meta.lastUpdated, valueInstant, …) has an empty pattern. STU3 defines it as an
 * xs:dateTime known at least to the second, always with a time zone: the schema's own dateTime
 * pattern with every part made mandatory.
 */
const INSTANT_PATTERN =
  '^-?[0-9]{4}-(0[1-9]|1[0-2])-(0[0-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$';

function addInstantPattern({ definitions }: LoadedSchema): void {
  forEachNode(definitions, (node) => {
    if (node[FHIR_TYPE] === 'instant') node.pattern = INSTANT_PATTERN;
  });
}

/**
 * The `code` pattern `[^\s]+([\s]?[^\s]+)*` backtracks exponentially once anchored (a 30-character
 * code with a trailing space never finishes). This form accepts exactly the same strings (runs of
 * non-whitespace separated by single whitespace characters) in linear time.
 */
const LINEAR_REWRITES: Record<string, string> = {
  '[^\\s]+([\\s]?[^\\s]+)*': '[^\\s]+(?:\\s[^\\s]+)*',
};

/** Gap (STU3): none of the schema's patterns is anchored, so "06/01/1999", "1999-13-45" and a 100-character id all pass. */
function anchorPatterns({ definitions }: LoadedSchema): void {
  forEachNode(definitions, (node) => {
    if (typeof node.pattern !== 'string' || node.pattern === '' || node.pattern.startsWith('^')) return;
    node.pattern = `^(?:${LINEAR_REWRITES[node.pattern] ?? node.pattern})$`;
  });
}

/**
 * Gap (R4): base64Binary's pattern `^(\s*([0-9a-zA-Z\+/=]){4}\s*)+$` nests `\s*` quantifiers, so
 * a long value with one bad character backtracks for seconds. This form accepts the same strings
 * (groups of four, whitespace around groups) in linear time.
 */
const BASE64_PATTERN = '^(\\s*([0-9a-zA-Z\\+/=]){4}\\s*)+$';
const LINEAR_BASE64_PATTERN = '^\\s*(?:[0-9a-zA-Z+/=]{4}\\s*)+$';

function linearBase64Pattern({ definitions }: LoadedSchema): void {
  forEachNode(definitions, (node) => {
    if (node.pattern === BASE64_PATTERN) node.pattern = LINEAR_BASE64_PATTERN;
  });
}

/** Gap: the date patterns accept impossible days (STU3: day 00; both: 1999-02-30); the datatypes say "Dates SHALL be valid dates". */
function requireCalendarDates({ definitions }: LoadedSchema): void {
  forEachNode(definitions, (node) => {
    const type = node[FHIR_TYPE];
    if (type === 'date' || type === 'dateTime' || type === 'instant') node[CALENDAR_DATE] = type;
  });
}

/**
 * Gap: open-type choice elements (Extension.value[x], and value[x]/defaultValue[x]/fixed[x]/pattern[x]
 * elsewhere) lack Money, Age, Count, Distance and Duration. STU3 allows every datatype there; these
 * five are Quantity profiles the generator left out. Real BB2 v1 EOBs use extension[].valueMoney.
 * An open choice is recognised by offering Quantity, Signature and Meta together.
 */
const QUANTITY_PROFILES = ['Money', 'Age', 'Count', 'Distance', 'Duration'] as const;

function addQuantityProfilesToOpenChoices({ definitions }: LoadedSchema): void {
  for (const definition of Object.values(definitions)) {
    const properties = definition.properties;
    if (!isJsonObject(properties)) continue;
    for (const name of Object.keys(properties)) {
      if (!name.endsWith('Signature') || name.startsWith('_')) continue;
      const prefix = name.slice(0, -'Signature'.length);
      if (prefix === '' || !(`${prefix}Quantity` in properties) || !(`${prefix}Meta` in properties)) continue;
      for (const profile of QUANTITY_PROFILES) {
        properties[`${prefix}${profile}`] ??= { $ref: `#/definitions/${profile}` };
      }
    }
  }
}

/**
 * Gap: a repeating primitive (`given`, `format`…) and its `_name` array are arrays of the type
 * alone, so the null place-holders json.html prescribes to keep them aligned (`"given": [null,
 * "Ann"], "_given": [{…}, null]`) are refused. Each such array item becomes "null, or the type";
 * whether a null is in the right place is a JSON rule (fhir/json-rules.ts, json:no-null).
 * if/then/else keeps ajv's errors for a non-null item those of the type alone.
 */
function allowNullPlaceholdersInPrimitiveArrays({ definitions }: LoadedSchema): void {
  const isPrimitiveOrElement = (name: string): boolean => {
    const definition = definitions[name];
    return name === 'Element' || (definition !== undefined && typeof definition.type === 'string' && definition.type !== 'object');
  };
  for (const definition of Object.values(definitions)) {
    if (!isJsonObject(definition.properties)) continue;
    for (const property of Object.values(definition.properties)) {
      if (!isJsonObject(property) || property.type !== 'array' || !isJsonObject(property.items)) continue;
      const ref = property.items.$ref;
      if (typeof ref !== 'string' || !isPrimitiveOrElement(ref.replace('#/definitions/', ''))) continue;
      property.items = { if: { type: 'null' }, then: true, else: property.items };
    }
  }
}

/**
 * Gap (R4): the file is the 4.0.0 schema; its FHIRVersion enumeration (CapabilityStatement.fhirVersion
 * and the like) ends at 4.0.0, so 4.0.1, the technical correction BFD and BB2 v2 declare, is refused.
 * 4.0.1 is added wherever 4.0.0 is listed (the release's own value set, fhir/bindings.ts, checks the rest).
 */
function acceptFhirVersion401({ definitions }: LoadedSchema): void {
  forEachNode(definitions, (node) => {
    if (Array.isArray(node.enum) && node.enum.includes('4.0.0') && !node.enum.includes('4.0.1')) node.enum.push('4.0.1');
  });
}

const PATCHES: Record<SchemaPatch, (schema: LoadedSchema) => void> = {
  useResourceTypeDiscriminator,
  integersAsBoundedIntegers,
  addInstantPattern,
  anchorPatterns,
  linearBase64Pattern,
  requireCalendarDates,
  addQuantityProfilesToOpenChoices,
  allowNullPlaceholdersInPrimitiveArrays,
  acceptFhirVersion401,
};

// ---------------------------------------------------------------------------------------------
// Custom ajv keywords used by the patches

const CALENDAR_DATE = 'fhirCalendarDate';

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when a date/dateTime/instant string names a real calendar day (partial dates and non-matching strings are left to the pattern). */
function isCalendarDate(value: string): boolean {
  const match = /^-?(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return true;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12) return true;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
  return day >= 1 && day <= maxDay;
}

/**
 * The calendar-date keyword as generated code (a `code` keyword, not a `validate` function, so that
 * ajv's standalone code can carry it): a call to isCalendarDate, which the generated module reaches
 * through require(CALENDAR_DATE_MODULE) (see schemaRequire).
 */
const CALENDAR_DATE_MODULE = 'bb2-conformance:calendar-date';
const calendarDateKeyword: KeywordDefinition = {
  keyword: CALENDAR_DATE,
  type: 'string',
  schemaType: 'string',
  code(cxt) {
    const check = cxt.gen.scopeValue('func', { ref: isCalendarDate, code: _`require(${CALENDAR_DATE_MODULE}).isCalendarDate` });
    cxt.fail(_`!${check}(${cxt.data})`);
  },
  error: { message: 'must be a calendar date', params: ({ schema }) => _`{fhirType: ${schema as string}}` },
};

/** require() for the generated code: ajv's runtime helpers, and the calendar-date check. */
const nodeRequire = createRequire(import.meta.url);
const schemaRequire = (id: string): unknown => (id === CALENDAR_DATE_MODULE ? { isCalendarDate } : nodeRequire(id));

// ---------------------------------------------------------------------------------------------
// Compilation

/** Annotation on each definition with its name, for messages ("mandatory in Patient"): it travels in errors' parentSchema, also out of standalone code. */
const FHIR_DEFINITION = 'fhirDefinition';

interface PreparedSchema extends LoadedSchema {
  readonly resourceTypes: readonly string[];
}

/** The release's schema, loaded, annotated and patched: what ajv compiles. */
function prepareSchema(release: FhirRelease, patches: ReadonlySet<SchemaPatch>): PreparedSchema {
  const schema = loadSchema(release);
  annotatePrimitiveTypes(schema.definitions);
  for (const name of ALL_SCHEMA_PATCHES) if (patches.has(name)) PATCHES[name](schema);
  for (const [name, definition] of Object.entries(schema.definitions)) definition[FHIR_DEFINITION] = name;
  const resourceTypes = Object.entries(schema.definitions)
    .filter(([, definition]) => isJsonObject(definition.properties) && isJsonObject(definition.properties.resourceType))
    .map(([name]) => name);
  return { ...schema, resourceTypes };
}

/** ajv's options: the same for a compilation in this process and for the generated (standalone) code. */
function ajvOptions(patches: ReadonlySet<SchemaPatch>): Options {
  return {
    strict: false,
    allErrors: true,
    // Errors then carry the failing data and schema node, which the condensed messages quote.
    verbose: true,
    discriminator: patches.has('useResourceTypeDiscriminator'),
    // The vendored file is a published artefact; checking it against its meta-schema on every run costs time and proves nothing new.
    validateSchema: false,
  };
}

function newAjv(schema: PreparedSchema, options: Options): Ajv {
  const ajv = new Ajv(options);
  ajv.addMetaSchema(nodeRequire('ajv/dist/refs/json-schema-draft-06.json') as AnySchemaObject);
  ajv.addKeyword({ keyword: FHIR_TYPE, schemaType: 'string' });
  ajv.addKeyword({ keyword: FHIR_DEFINITION, schemaType: 'string' });
  ajv.addKeyword(calendarDateKeyword);
  ajv.addSchema(schema.root, SCHEMA_KEY);
  return ajv;
}

/** A resource type's validation function, compiled or loaded. */
type ValidateResource = ValidateFunction | ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

export function createSchemaValidator(release: FhirRelease, options: SchemaValidatorOptions = {}): SchemaValidator {
  const started = performance.now();
  const patches = new Set(options.patches ?? SCHEMA_PATCHES[release.name]);
  const schema = prepareSchema(release, patches);
  const ajv = newAjv(schema, ajvOptions(patches));
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (resourceType: string): ValidateFunction => {
    let fn = compiled.get(resourceType);
    if (!fn) {
      fn = ajv.getSchema(options.viaRootOneOf ? SCHEMA_KEY : `${SCHEMA_KEY}#/definitions/${resourceType}`);
      if (!fn) throw new Error(`${release.label} schema: no definition for ${resourceType}`);
      compiled.set(resourceType, fn);
    }
    return fn;
  };
  // Compiling one resource type compiles them all (contained -> ResourceList), so pay it up front.
  validatorFor('Bundle');
  return schemaValidator(release, new Set(schema.resourceTypes), validatorFor, performance.now() - started);
}

function schemaValidator(release: FhirRelease, resourceTypes: ReadonlySet<string>, validatorFor: (resourceType: string) => ValidateResource, compileMs: number): SchemaValidator {
  const label = release.label;
  const schemaRule = (id: SchemaRuleId) => schemaRuleFields(release, id);
  const validate = (resource: unknown, expectedType?: string): Violation[] => {
    if (expectedType !== undefined && !resourceTypes.has(expectedType)) {
      throw new Error(`validate: expectedType "${expectedType}" is not an ${label} resource type`);
    }
    if (!isJsonObject(resource)) {
      return [
        {
          resourceType: '(not a resource)',
          path: '',
          ...schemaRule('resource-type'),
          rule: `${label} schema: resource is a JSON object`,
          value: truncateValue(resource),
          message: `expected a JSON object with a resourceType, got ${jsonTypeOf(resource)}`,
        },
      ];
    }
    const resourceType = resource.resourceType;
    const id = typeof resource.id === 'string' ? resource.id : undefined;
    const top = (ruleId: SchemaRuleId, rule: string, message: string, value?: unknown): Violation => ({
      resourceType: typeof resourceType === 'string' ? resourceType : '(no resourceType)',
      ...(id === undefined ? {} : { id }),
      path: 'resourceType',
      ...schemaRule(ruleId),
      rule,
      ...(value === undefined ? {} : { value: truncateValue(value) }),
      message,
    });
    if (typeof resourceType !== 'string') {
      return [top('resource-type', `${label} schema: resourceType`, resourceType === undefined ? 'resourceType is missing' : `resourceType must be a string, got ${jsonTypeOf(resourceType)}`, resourceType)];
    }
    if (!resourceTypes.has(resourceType)) {
      return [top('resource-type', `${label} schema: resourceType`, `"${resourceType}" is not an ${label} resource type`, resourceType)];
    }
    const violations: Violation[] = [];
    if (expectedType !== undefined && resourceType !== expectedType) {
      violations.push(top('expected-resource-type', `${label} schema: expected resourceType`, `expected a ${expectedType}, got a ${resourceType}`, resourceType));
    }
    const fn = validatorFor(resourceType);
    if (!fn(resource)) violations.push(...condenseErrors(resource, fn.errors ?? [], release));
    return violations;
  };

  return { release, compileMs, resourceTypes, validate };
}

// ---------------------------------------------------------------------------------------------
// The compiled schema, cached per machine (lib/validation/code-cache.ts)

const SCHEMA_SOURCE = fileURLToPath(import.meta.url);
const STANDALONE_RESOURCE_TYPES = 'resourceTypes';

/**
 * The cache entry of a release's fully patched schema: ajv's standalone code, one exported function
 * per resource type, keyed by everything the code is made from (the schema file, this file's patches
 * and keywords, ajv's version and options).
 */
function schemaCodeEntry(release: FhirRelease): CodeCacheEntry {
  const patches = new Set(SCHEMA_PATCHES[release.name]);
  const options = ajvOptions(patches);
  const key = cacheKey({
    schema: readFileSync(schemaPath(release)),
    patches: readFileSync(SCHEMA_SOURCE),
    ajv: String((nodeRequire('ajv/package.json') as { version: unknown }).version),
    options: JSON.stringify({ release: release.name, patches: [...patches], options }),
  });
  return {
    name: `fhir-${release.name}-schema`,
    key,
    require: schemaRequire,
    build() {
      const schema = prepareSchema(release, patches);
      const ajv = newAjv(schema, { ...options, code: { source: true } });
      // Loaded here only: a process that finds the code in the cache never needs the generator.
      const standaloneCode = (nodeRequire('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default;
      const code = standaloneCode(ajv, Object.fromEntries(schema.resourceTypes.map((type) => [type, `${SCHEMA_KEY}#/definitions/${type}`])));
      return `${code}\nmodule.exports.${STANDALONE_RESOURCE_TYPES} = ${JSON.stringify(schema.resourceTypes)};\n`;
    },
    accept: (exports) => Array.isArray(exports[STANDALONE_RESOURCE_TYPES]) && (exports[STANDALONE_RESOURCE_TYPES] as unknown[]).every((type) => typeof type === 'string' && typeof exports[type] === 'function'),
  };
}

/** The release's fully patched validator from the machine's cache (built and written there when absent or stale). */
export function loadCachedSchemaValidator(release: FhirRelease): SchemaValidator & { readonly origin: LoadedCode['origin'] } {
  const started = performance.now();
  const loaded = loadCachedCode(schemaCodeEntry(release));
  const resourceTypes = new Set(loaded.exports[STANDALONE_RESOURCE_TYPES] as string[]);
  const validatorFor = (resourceType: string) => loaded.exports[resourceType] as ValidateResource;
  return { ...schemaValidator(release, resourceTypes, validatorFor, performance.now() - started), origin: loaded.origin };
}

/** Makes sure the cache holds the release's schema code (the runner's globalSetup, before the workers start). */
export function warmSchemaCache(release: FhirRelease): WarmedCode {
  return warmCachedCode(schemaCodeEntry(release));
}

const shared = new Map<ReleaseName, SchemaValidator>();

/** The release's fully patched validator, loaded from the machine's cache on first use and then shared by the process. */
export function getSchemaValidator(release: FhirRelease): SchemaValidator {
  let validator = shared.get(release.name);
  if (!validator) {
    validator = loadCachedSchemaValidator(release);
    shared.set(release.name, validator);
  }
  return validator;
}

// ---------------------------------------------------------------------------------------------
// Condensing ajv errors

/** Keywords that only say "some branch failed"; reported only when nothing more specific exists below them. */
const CONTAINER_KEYWORDS = new Set(['oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else', '$ref']);

/** When several errors land on one path, the first of these wins (the most fundamental problem). */
const KEYWORD_PRIORITY = ['discriminator', 'const', 'type', 'required', 'additionalProperties', 'enum', 'pattern', CALENDAR_DATE, 'minimum', 'maximum'];

interface Located {
  error: ErrorObject;
  segments: PathSegment[];
  key: string;
}

function locate(root: unknown, error: ErrorObject): Located {
  const segments = pointerToSegments(root, error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') segments.push(params.missingProperty);
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') segments.push(params.additionalProperty);
  if (error.keyword === 'discriminator') segments.push('resourceType');
  return { error, segments, key: formatPath(segments) };
}

function isBelow(ancestor: readonly PathSegment[], descendant: readonly PathSegment[]): boolean {
  return descendant.length >= ancestor.length && ancestor.every((segment, i) => descendant[i] === segment);
}

function priority(keyword: string): number {
  const index = KEYWORD_PRIORITY.indexOf(keyword);
  return index === -1 ? KEYWORD_PRIORITY.length : index;
}

function condenseErrors(root: JsonObject, errors: readonly ErrorObject[], release: FhirRelease): Violation[] {
  const located = errors.map((error) => locate(root, error));
  const specific = located.filter(({ error }) => !CONTAINER_KEYWORDS.has(error.keyword));
  const kept = [
    ...specific,
    ...located.filter(({ error, segments }) => CONTAINER_KEYWORDS.has(error.keyword) && !specific.some((other) => isBelow(segments, other.segments))),
  ];
  const best = new Map<string, Located>();
  for (const entry of kept) {
    const current = best.get(entry.key);
    if (!current || priority(entry.error.keyword) < priority(current.error.keyword)) best.set(entry.key, entry);
  }
  return [...best.values()].map((entry) => toViolation(root, entry, release));
}

/** What each checked format looks like, for messages. */
const FORMAT_HINTS: Record<string, string> = {
  date: 'YYYY, YYYY-MM or YYYY-MM-DD, a real calendar day',
  dateTime: 'YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.fff]+zz:zz, a real calendar day',
  instant: 'YYYY-MM-DDThh:mm:ss[.fff] with Z or +zz:zz, a real calendar day',
  time: 'hh:mm:ss[.fff]',
  id: '1-64 characters of A-Z a-z 0-9 - .',
  code: 'no leading, trailing or repeated whitespace',
  oid: 'urn:oid: followed by dotted numbers',
  uuid: 'urn:uuid: followed by a lowercase UUID',
};

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function quote(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

function toViolation(root: JsonObject, { error, segments, key }: Located, release: FhirRelease): Violation {
  const label = release.label;
  const schemaRule = (id: SchemaRuleId) => schemaRuleFields(release, id);
  const owner = owningResource(root, segments);
  const params = error.params as Record<string, unknown>;
  const parent = isJsonObject(error.parentSchema) ? error.parentSchema : {};
  // The calendar-date keyword's errors also name the fhirType in params; its value is read from the document like a pattern's.
  const fhirType = typeof parent[FHIR_TYPE] === 'string' ? parent[FHIR_TYPE] : typeof params.fhirType === 'string' ? params.fhirType : undefined;
  const definition = typeof parent[FHIR_DEFINITION] === 'string' ? parent[FHIR_DEFINITION] : typeof params.definition === 'string' ? params.definition : 'this element';
  const data: unknown = error.keyword === CALENDAR_DATE ? valueAt(root, segments) : error.data;
  const base = { ...owner, path: key };
  const withValue = (value: unknown) => (value === undefined ? {} : { value: truncateValue(value) });

  switch (error.keyword) {
    case 'type':
      return { ...base, ...schemaRule('type'), rule: `${label} schema: type ${String(params.type)}`, ...withValue(data), message: `${fhirType ?? 'value'} must be a JSON ${String(params.type)}, got ${jsonTypeOf(data)} ${quote(data)}` };
    case 'pattern':
    case CALENDAR_DATE:
      return {
        ...base,
        ...schemaRule('format'),
        rule: `${label} schema: ${fhirType ?? 'pattern'} format`,
        ...withValue(data),
        message: fhirType ? `${quote(data)} is not a valid ${label} ${fhirType} (${FORMAT_HINTS[fhirType] ?? `see the ${label} datatypes`})` : `${quote(data)} does not match ${String(params.pattern)}`,
      };
    case 'minimum':
    case 'maximum':
      return { ...base, ...schemaRule('range'), rule: `${label} schema: ${fhirType ?? 'number'} range`, ...withValue(data), message: `${quote(data)} is out of range for ${fhirType ?? 'this number'} (${error.keyword} ${String(params.limit)})` };
    case 'enum':
      return { ...base, ...schemaRule('value-set'), rule: `${label} schema: code in required value set`, ...withValue(data), message: `${quote(data)} is not one of ${(Array.isArray(params.allowedValues) ? params.allowedValues : (error.schema as unknown[])).join(', ')}` };
    case 'const':
      return { ...base, ...schemaRule('resource-type'), rule: `${label} schema: resourceType`, ...withValue(data), message: `expected ${quote(params.allowedValue)}, got ${quote(data)}` };
    case 'required':
      return { ...base, ...schemaRule('required'), rule: `${label} schema: required element`, message: `${String(params.missingProperty)} is mandatory in ${definition} (${label} minimum cardinality 1)` };
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return { ...base, ...schemaRule('unknown-element'), rule: `${label} schema: element defined in ${label}`, ...withValue(isJsonObject(data) ? data[name] : undefined), message: `"${name}" is not an element of ${definition} in ${label}` };
    }
    case 'discriminator': {
      const tagValue = params.tagValue;
      return {
        ...base,
        ...schemaRule('resource-type'),
        rule: `${label} schema: resourceType`,
        ...withValue(tagValue),
        message: params.error === 'mapping' ? `${quote(tagValue)} is not an ${label} resource type` : 'a contained or entry resource must have a string resourceType',
      };
    }
    default:
      return { ...base, ruleId: `schema:${error.keyword}`, rule: `${label} schema: ${error.keyword}`, ...withValue(data), message: error.message ?? `failed ${error.keyword}` };
  }
}
