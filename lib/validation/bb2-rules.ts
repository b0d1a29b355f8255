/**
 * Checks BB2 responses against BB2's own rules (id formats, identifier systems and shapes, references,
 * claim-type codings, trimmed addresses, coverage parts, synthetic ids), for API v1 (STU3) or v2 (R4).
 * The rules are data in schemas/bb2-rules.json, each naming the API versions it applies to (sources in
 * schemas/README.md); this module only interprets them. Which C4BB profile a v2 resource claims is the
 * profile layer's rule (schemas/bb2-v2-profiles.json, lib/validation/profiles/bb2-v2.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { API_VERSIONS, apiVersionSpec, type ApiVersion } from '../api-version.js';
import { REQUIREMENT_ID } from '../requirements/catalogue.js';
import { describeResource, formatPath, isJsonObject, owningResource, truncateValue, type JsonObject, type PathSegment, type Violation } from './violation.js';

export const BB2_RULES_PATH = fileURLToPath(new URL('../../schemas/bb2-rules.json', import.meta.url));

export interface Bb2RuleContext {
  /** The token's patient id: every bene id in the response (Patient.id, Coverage id, references) must equal it. */
  patientId?: string;
  /** true: every bene id must be synthetic (negative); false: production (positive); absent: either. */
  synthetic?: boolean;
}

// ---------------------------------------------------------------------------------------------
// The rules file's shape (zod, so a typo in the data is a clear load error rather than a silent no-op)

const regex = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);
const elementPath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'dotted element path');
/** Keeps the nodes whose fields (keys may be dotted: `valueCoding.code`) have one of the listed string values. */
const whereSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'a field name, or a dotted path'), z.array(z.string()).min(1));
const common = {
  id: z.string().min(1),
  /** The catalogue id of the requirement the rule checks (requirements/bb2.json). */
  requirement: z.string().regex(REQUIREMENT_ID, 'a requirement id of requirements/*.json'),
  name: z.string().min(1),
  resourceType: z.string().min(1),
  /** The API versions whose responses the rule applies to. */
  apiVersions: z.array(z.enum(API_VERSIONS as [ApiVersion, ...ApiVersion[]])).min(1),
};

const ruleSchema = z.discriminatedUnion('check', [
  z.strictObject({
    ...common,
    check: z.literal('pattern'),
    path: elementPath,
    where: whereSchema.optional(),
    field: z.string().optional(),
    cardinality: z.enum(['0..1', '0..*', '1..1', '1..*']),
    pattern: regex,
    beneIdGroup: z.number().int().min(0).optional(),
    equalsElement: elementPath.optional(),
  }),
  z.strictObject({ ...common, check: z.literal('allowedValues'), path: elementPath, values: z.array(z.string()).min(1) }),
  z.strictObject({ ...common, check: z.literal('forbiddenElements'), path: elementPath, elements: z.array(z.string()).min(1) }),
  z.strictObject({
    ...common,
    check: z.literal('codingMatchesId'),
    path: elementPath,
    system: z.string(),
    idPattern: regex,
    idGroup: z.number().int().min(0),
    /** The code is the id's group in this case… */
    codeCase: z.enum(['upper', 'lower', 'same']).optional(),
    /** …or the code this table gives for the group (the id's claim type → the HL7 claim-type code). */
    codes: z.record(z.string(), z.string()).optional(),
  }).refine((rule) => (rule.codeCase === undefined) !== (rule.codes === undefined), 'give exactly one of codeCase and codes'),
  z.strictObject({
    ...common,
    /** Every node at `path` (those matching `where`) holds, at the dotted `element` below it, a node matching `elementWhere`. */
    check: z.literal('contains'),
    path: elementPath,
    where: whereSchema.optional(),
    element: elementPath,
    elementWhere: whereSchema,
  }),
  z.strictObject({ ...common, check: z.literal('codingPresent'), path: elementPath, system: z.string(), exceptIdPattern: regex.optional() }),
  z.strictObject({
    ...common,
    check: z.literal('coverageParts'),
    entryType: z.string(),
    idPattern: regex,
    parts: z.array(z.string()).min(1),
  }),
]);

const namedPattern = z.strictObject({ name: z.string(), pattern: regex });
const rulesFileSchema = z.strictObject({
  $comment: z.string().optional(),
  beneIdFormats: z.strictObject({ requirement: z.string().regex(REQUIREMENT_ID), synthetic: namedPattern, production: namedPattern }),
  patientMatch: z.strictObject({ requirement: z.string().regex(REQUIREMENT_ID), name: z.string() }),
  rules: z.array(ruleSchema).min(1),
});

export type Bb2Rule = z.infer<typeof ruleSchema>;
export type Bb2RulesFile = z.infer<typeof rulesFileSchema>;

/** Parses and checks a rules document; throws an Error naming every problem in it. */
export function parseBb2Rules(document: unknown, source = 'bb2 rules'): Bb2RulesFile {
  const parsed = rulesFileSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`${source} is invalid:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

let loaded: Bb2RulesFile | undefined;

/** schemas/bb2-rules.json, read and checked on first use. */
export function getBb2Rules(): Bb2RulesFile {
  if (!loaded) {
    let document: unknown;
    try {
      document = JSON.parse(readFileSync(BB2_RULES_PATH, 'utf8')) as unknown;
    } catch (error) {
      throw new Error(`cannot read ${BB2_RULES_PATH}: ${(error as Error).message}`, { cause: error });
    }
    loaded = parseBb2Rules(document, BB2_RULES_PATH);
  }
  return loaded;
}

// ---------------------------------------------------------------------------------------------
// Interpretation

interface Selected {
  value: unknown;
  segments: PathSegment[];
}

/**
 * The nodes at a dotted element path, walking through arrays, each with its indexed location.
 * Hand-written rather than fhirpath.js: the violations need each node's concrete path
 * ("identifier[1].system"), which a FHIRPath engine's results do not carry.
 */
function select(root: unknown, base: readonly PathSegment[], path: string): Selected[] {
  let current: Selected[] = [{ value: root, segments: [...base] }];
  for (const key of path.split('.')) {
    const next: Selected[] = [];
    for (const { value, segments } of current) {
      if (!isJsonObject(value) || value[key] === undefined) continue;
      const child = value[key];
      if (Array.isArray(child)) child.forEach((item: unknown, i) => next.push({ value: item, segments: [...segments, key, i] }));
      else next.push({ value: child, segments: [...segments, key] });
    }
    current = next;
  }
  return current;
}

interface RuleRun {
  root: unknown;
  resource: JsonObject;
  base: readonly PathSegment[];
  context: Bb2RuleContext;
  rules: Bb2RulesFile;
  out: Violation[];
}

/** A rule as a violation names it: readable name, machine id (bb2:<rule id>) and requirement. */
interface RuleLabel {
  readonly rule: string;
  readonly ruleId: string;
  readonly requirement: string;
}

function report(run: RuleRun, segments: readonly PathSegment[], label: RuleLabel, message: string, value?: unknown): void {
  run.out.push({
    ...owningResource(run.root, segments),
    path: formatPath(segments),
    ...label,
    ...(value === undefined ? {} : { value: truncateValue(value) }),
    message,
  });
}

const ruleName = (rule: { id: string; requirement: string; name: string }): RuleLabel => ({ rule: `${rule.requirement}: ${rule.name}`, ruleId: `bb2:${rule.id}`, requirement: rule.requirement });
const regexCache = new Map<string, RegExp>();
function re(source: string): RegExp {
  let compiled = regexCache.get(source);
  if (!compiled) {
    compiled = new RegExp(source, 'u');
    regexCache.set(source, compiled);
  }
  return compiled;
}

function checkBeneId(run: RuleRun, segments: readonly PathSegment[], beneId: string, value: unknown): void {
  const { context, rules } = run;
  if (context.patientId !== undefined && beneId !== context.patientId) {
    report(run, segments, ruleName({ id: 'patient-match', ...rules.patientMatch }), `names bene ${beneId}, but the token's patient is ${context.patientId}`, value);
  }
  if (context.synthetic === undefined) return;
  const format = context.synthetic ? rules.beneIdFormats.synthetic : rules.beneIdFormats.production;
  if (!re(format.pattern).test(beneId)) {
    report(run, segments, ruleName({ id: context.synthetic ? 'synthetic-bene-id' : 'production-bene-id', requirement: rules.beneIdFormats.requirement, name: format.name }), `bene id ${beneId} is not ${context.synthetic ? 'synthetic (negative)' : 'a production (positive) id'}`, value);
  }
}

type Where = Readonly<Record<string, readonly string[]>>;

/** A field of a node, or with a dotted key (`valueCoding.code`) a field below it; undefined where there is none. */
function fieldOf(value: unknown, key: string): unknown {
  let current = value;
  for (const name of key.split('.')) current = isJsonObject(current) ? current[name] : undefined;
  return current;
}

/** The nodes whose fields (a key may be dotted) have one of the listed values, for every key of `where`; all nodes without `where`. */
function filterWhere(selected: Selected[], where: Where | undefined): Selected[] {
  if (where === undefined) return selected;
  return selected.filter(({ value }) => isJsonObject(value) && Object.entries(where).every(([key, allowed]) => allowed.includes(String(fieldOf(value, key)))));
}

/** "system http://… , code MC" for messages. */
function describeWhere(where: Where): string {
  return Object.entries(where).map(([key, values]) => `${key} ${values.join(' or ')}`).join(', ');
}

const CARDINALITY: Record<string, [number, number]> = { '0..1': [0, 1], '0..*': [0, Infinity], '1..1': [1, 1], '1..*': [1, Infinity] };

function applyPattern(run: RuleRun, rule: Extract<Bb2Rule, { check: 'pattern' }>): void {
  let selected = filterWhere(select(run.resource, run.base, rule.path), rule.where);
  if (rule.field !== undefined) {
    const field = rule.field;
    selected = selected.filter(({ value }) => isJsonObject(value) && value[field] !== undefined).map(({ value, segments }) => ({ value: (value as JsonObject)[field], segments: [...segments, field] }));
  }
  const [min, max] = CARDINALITY[rule.cardinality] ?? [0, Infinity];
  const described = rule.where ? `${rule.path}${rule.field ? `.${rule.field}` : ''} (${describeWhere(rule.where)})` : rule.path;
  if (selected.length < min) {
    report(run, [...run.base, ...rule.path.split('.')], ruleName(rule), `${described} is missing`);
    return;
  }
  if (selected.length > max) {
    const extra = selected[max] as Selected;
    report(run, extra.segments, ruleName(rule), `${described} appears ${selected.length} times, at most ${max} allowed`, extra.value);
  }
  for (const { value, segments } of selected) {
    const match = typeof value === 'string' ? re(rule.pattern).exec(value) : null;
    if (!match) {
      report(run, segments, ruleName(rule), `${JSON.stringify(value)} does not match ${rule.pattern}`, value);
      continue;
    }
    if (rule.equalsElement !== undefined) {
      const other = select(run.resource, [], rule.equalsElement)[0]?.value;
      if (other !== value) report(run, segments, ruleName(rule), `${JSON.stringify(value)} differs from ${rule.equalsElement} ${JSON.stringify(other)}`, value);
    }
    const beneId = rule.beneIdGroup === undefined ? undefined : match[rule.beneIdGroup];
    if (beneId !== undefined) checkBeneId(run, segments, beneId, value);
  }
}

function applyAllowedValues(run: RuleRun, rule: Extract<Bb2Rule, { check: 'allowedValues' }>): void {
  for (const { value, segments } of select(run.resource, run.base, rule.path)) {
    if (typeof value !== 'string' || !rule.values.includes(value)) {
      report(run, segments, ruleName(rule), `${JSON.stringify(value)} is not one of ${rule.values.join(', ')}`, value);
    }
  }
}

function applyForbiddenElements(run: RuleRun, rule: Extract<Bb2Rule, { check: 'forbiddenElements' }>): void {
  for (const { value, segments } of select(run.resource, run.base, rule.path)) {
    if (!isJsonObject(value)) continue;
    for (const element of rule.elements) {
      if (value[element] !== undefined) report(run, [...segments, element], ruleName(rule), `${rule.path}.${element} must not be present (BB2 asks BFD not to include address fields)`, value[element]);
    }
  }
}

function codingsWithSystem(run: RuleRun, path: string, system: string): Selected[] {
  return select(run.resource, run.base, path).filter(({ value }) => isJsonObject(value) && value.system === system);
}

function applyCodingMatchesId(run: RuleRun, rule: Extract<Bb2Rule, { check: 'codingMatchesId' }>): void {
  const id = run.resource.id;
  const prefix = typeof id === 'string' ? re(rule.idPattern).exec(id)?.[rule.idGroup] : undefined;
  if (prefix === undefined) return; // a malformed id is the id-format rule's to report
  const expected = rule.codes !== undefined ? rule.codes[prefix] : rule.codeCase === 'upper' ? prefix.toUpperCase() : rule.codeCase === 'lower' ? prefix.toLowerCase() : prefix;
  if (expected === undefined) return; // a group the table does not name: the id-format rule's to report
  const codings = codingsWithSystem(run, rule.path, rule.system);
  if (codings.length === 0) {
    report(run, [...run.base, ...rule.path.split('.')], ruleName(rule), `no coding with system ${rule.system} (expected code ${expected} for id ${String(id)})`);
    return;
  }
  for (const { value, segments } of codings) {
    const code = (value as JsonObject).code;
    if (code !== expected) report(run, [...segments, 'code'], ruleName(rule), `code ${JSON.stringify(code)} disagrees with id ${String(id)} (expected ${expected})`, code);
  }
}

function applyContains(run: RuleRun, rule: Extract<Bb2Rule, { check: 'contains' }>): void {
  for (const { value, segments } of filterWhere(select(run.resource, run.base, rule.path), rule.where)) {
    const found = filterWhere(select(value, segments, rule.element), rule.elementWhere);
    if (found.length === 0) {
      const which = rule.where ? ` (${describeWhere(rule.where)})` : '';
      report(run, [...segments, ...rule.element.split('.')], ruleName(rule), `${rule.path}${which} has no ${rule.element} with ${describeWhere(rule.elementWhere)}`);
    }
  }
}

function applyCodingPresent(run: RuleRun, rule: Extract<Bb2Rule, { check: 'codingPresent' }>): void {
  const id = run.resource.id;
  if (rule.exceptIdPattern !== undefined && typeof id === 'string' && re(rule.exceptIdPattern).test(id)) return;
  if (codingsWithSystem(run, rule.path, rule.system).length === 0) {
    report(run, [...run.base, ...rule.path.split('.')], ruleName(rule), `no coding with system ${rule.system} on ${String(id)}`);
  }
}

/** A Bundle holds the whole result when it links to no other page and its total (if given) equals its entries. */
function isCompleteResult(bundle: JsonObject): boolean {
  const links = Array.isArray(bundle.link) ? bundle.link : [];
  const paged = links.some((link) => isJsonObject(link) && (link.relation === 'next' || link.relation === 'previous'));
  const entries = Array.isArray(bundle.entry) ? bundle.entry.length : 0;
  return !paged && (bundle.total === undefined || bundle.total === entries);
}

function applyCoverageParts(run: RuleRun, rule: Extract<Bb2Rule, { check: 'coverageParts' }>): void {
  const entries = Array.isArray(run.resource.entry) ? run.resource.entry : [];
  const seen = new Map<string, number>();
  entries.forEach((entry: unknown, index) => {
    const resource = isJsonObject(entry) ? entry.resource : undefined;
    if (!isJsonObject(resource) || resource.resourceType !== rule.entryType || typeof resource.id !== 'string') return;
    const part = re(rule.idPattern).exec(resource.id)?.[1];
    if (part === undefined) return; // the Coverage id-format rule reports it
    const first = seen.get(part);
    if (first !== undefined) report(run, [...run.base, 'entry', index, 'resource', 'id'], ruleName(rule), `${part} appears again (first at entry[${first}])`, resource.id);
    else seen.set(part, index);
  });
  if (seen.size === 0 || !isCompleteResult(run.resource)) return;
  const missing = rule.parts.filter((part) => !seen.has(part));
  if (missing.length > 0) report(run, [...run.base, 'entry'], ruleName(rule), `a complete ${rule.entryType} search has ${rule.parts.join(', ')}; missing ${missing.join(', ')}`);
}

function applyRule(run: RuleRun, rule: Bb2Rule): void {
  switch (rule.check) {
    case 'pattern':
      return applyPattern(run, rule);
    case 'allowedValues':
      return applyAllowedValues(run, rule);
    case 'forbiddenElements':
      return applyForbiddenElements(run, rule);
    case 'codingMatchesId':
      return applyCodingMatchesId(run, rule);
    case 'codingPresent':
      return applyCodingPresent(run, rule);
    case 'contains':
      return applyContains(run, rule);
    case 'coverageParts':
      return applyCoverageParts(run, rule);
  }
}

/** The rules of one version's check, and the requirement a body that is no FHIR resource breaks. */
interface RuleSet {
  readonly file: Bb2RulesFile;
  readonly rules: readonly Bb2Rule[];
  readonly validResource: string;
}

function checkResource(root: unknown, resource: unknown, base: readonly PathSegment[], context: Bb2RuleContext, set: RuleSet, out: Violation[]): void {
  if (!isJsonObject(resource) || typeof resource.resourceType !== 'string') {
    out.push({
      ...describeResource(resource),
      path: formatPath([...base, ...(isJsonObject(resource) ? ['resourceType'] : [])]),
      ruleId: 'bb2:fhir-resource',
      rule: `${set.validResource}: FHIR resource`,
      requirement: set.validResource,
      ...(resource === undefined ? {} : { value: truncateValue(isJsonObject(resource) ? resource.resourceType : resource) }),
      message: isJsonObject(resource) ? 'resource has no resourceType' : 'expected a FHIR resource (a JSON object)',
    });
    return;
  }
  const run: RuleRun = { root, resource, base, context, rules: set.file, out };
  for (const rule of set.rules) if (rule.resourceType === resource.resourceType) applyRule(run, rule);
  if (resource.resourceType === 'Bundle' && Array.isArray(resource.entry)) {
    resource.entry.forEach((entry: unknown, index) => {
      if (isJsonObject(entry) && entry.resource !== undefined) checkResource(root, entry.resource, [...base, 'entry', index, 'resource'], context, set, out);
    });
  }
}

/** The rules of one API version. */
export function bb2RulesOf(apiVersion: ApiVersion, file: Bb2RulesFile = getBb2Rules()): Bb2Rule[] {
  return file.rules.filter((rule) => rule.apiVersions.includes(apiVersion));
}

/**
 * Checks one BB2 response body of an API version (a resource or a Bundle, entry by entry) against that
 * version's rules of schemas/bb2-rules.json. Returns [] when every rule holds. Resource types without
 * rules (CapabilityStatement, OperationOutcome) pass.
 */
export function checkBb2Rules(resource: unknown, context: Bb2RuleContext = {}, apiVersion: ApiVersion = 'v1'): Violation[] {
  if (context.patientId !== undefined && typeof context.patientId !== 'string') throw new TypeError(`checkBb2Rules: context.patientId must be a string, got ${typeof context.patientId}`);
  if (context.synthetic !== undefined && typeof context.synthetic !== 'boolean') throw new TypeError(`checkBb2Rules: context.synthetic must be a boolean, got ${typeof context.synthetic}`);
  const out: Violation[] = [];
  const file = getBb2Rules();
  const set: RuleSet = { file, rules: bb2RulesOf(apiVersion, file), validResource: apiVersionSpec(apiVersion).requirements.validResource[0] as string };
  checkResource(resource, resource, [], context, set, out);
  return out;
}
