/**
 * Known deviations: places where real BB2 data breaks a FHIR rule, as data
 * (schemas/fhir-<release>/known-deviations.json), each with the narrowest shape it applies to, the
 * real sample that shows it and a public source. A violation matching one is reported as a note on
 * the check (severity warning, its deviation id in `knownDeviation`), never dropped and never a
 * failure; the rule itself stays on everywhere else.
 *
 * A deviation matches a violation when the rule id, the resource type and the path (relative to the
 * resource, without indices) are equal, and its `when` condition holds on the element `when.at`
 * (a prefix of that path) of the same instance.
 */
import path from 'node:path';
import { z } from 'zod';
import { readDataFile } from './data-file.js';
import type { FhirRelease } from './fhir/release.js';
import { isJsonObject, parsePath, valueAt, type PathSegment, type Violation } from './violation.js';

const conditionSchema = z.strictObject({
  /** The element (relative to the resource, no indices) the condition looks at, a prefix of the violation's path; default: the element the violation is at. */
  at: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/)
    .optional(),
  /** It holds all these child elements. */
  present: z.array(z.string()).optional(),
  /** It (or its child `element`), a CodeableConcept, has a coding with this system and a code matching this expression. */
  coding: z.strictObject({ element: z.string().optional(), system: z.string(), code: z.string() }).optional(),
  /** Its child elements (dotted) have string values matching these expressions. */
  values: z.record(z.string(), z.string()).optional(),
  /** The resource the violation is in holds these elements and values (dotted paths, no indices). */
  resource: z.strictObject({ present: z.array(z.string()).optional(), values: z.record(z.string(), z.string()).optional() }).optional(),
});

const deviationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  ruleId: z.string().regex(/^[a-z0-9]+:.+$/),
  resourceType: z.string(),
  /** The violation's paths relative to the resource, indices removed: "diagnosis.diagnosis[x]". */
  paths: z.array(z.string()).min(1),
  when: conditionSchema.optional(),
  /**
   * '2021': seen only in BB2's 2020-2021 v2 captures, not in BFD's current responses; tolerated only when
   * the caller tolerates those older shapes (validate.ts `v2ProfileDeviations: 'all'`). Default 'current'.
   */
  seenIn: z.enum(['current', '2021']).optional(),
  note: z.string().min(1),
  evidence: z.array(z.strictObject({ sample: z.string(), path: z.string() })).min(1),
  sources: z.array(z.strictObject({ url: z.string().url(), detail: z.string().optional() })).min(1),
});
const fileSchema = z.strictObject({ $comment: z.string(), deviations: z.array(deviationSchema) });

export type KnownDeviation = z.infer<typeof deviationSchema>;

const cache = new Map<string, readonly KnownDeviation[]>();

export function knownDeviationsFile(release: FhirRelease): string {
  return path.join(release.dataDir, 'known-deviations.json');
}

/** The release's known deviations, read and checked on first use. */
export function loadKnownDeviations(release: FhirRelease): readonly KnownDeviation[] {
  let deviations = cache.get(release.name);
  if (!deviations) {
    const file = knownDeviationsFile(release);
    const parsed = readDataFile(file, fileSchema);
    const ids = new Set<string>();
    for (const deviation of parsed.deviations) {
      if (ids.has(deviation.id)) throw new Error(`${file}: deviation id ${deviation.id} appears twice`);
      ids.add(deviation.id);
      for (const expression of [deviation.when?.coding?.code, ...Object.values(deviation.when?.values ?? {}), ...Object.values(deviation.when?.resource?.values ?? {})]) {
        if (expression !== undefined) new RegExp(expression, 'u'); // a bad expression fails the load, not a validation
      }
    }
    deviations = parsed.deviations;
    cache.set(release.name, deviations);
  }
  return deviations;
}

/** The resource a violation is in and its path relative to that resource. */
function locate(document: unknown, violationPath: string): { resource: unknown; relative: PathSegment[] } {
  const segments = parsePath(violationPath);
  if (segments[0] === 'entry' && typeof segments[1] === 'number' && segments[2] === 'resource') {
    return { resource: valueAt(document, segments.slice(0, 3)), relative: segments.slice(3) };
  }
  return { resource: document, relative: segments };
}

const unindexed = (segments: readonly PathSegment[]): string => segments.filter((segment) => typeof segment === 'string').join('.');

/** The instance of element `at` (dotted, no indices) on the violation's own branch. */
function elementAt(resource: unknown, relative: readonly PathSegment[], at: string): unknown {
  const names = at.split('.');
  const taken: PathSegment[] = [];
  let matched = 0;
  for (const segment of relative) {
    if (matched === names.length) {
      if (typeof segment === 'number') taken.push(segment);
      break;
    }
    taken.push(segment);
    if (typeof segment === 'string') {
      if (segment !== names[matched]) return undefined;
      matched += 1;
    }
  }
  return matched === names.length ? valueAt(resource, taken) : undefined;
}

type Condition = Omit<NonNullable<KnownDeviation['when']>, 'at' | 'resource'>;

function conditionHolds(node: unknown, when: Condition): boolean {
  if (!isJsonObject(node)) return false;
  if (when.present && !when.present.every((name) => valueAt(node, name.split('.')) !== undefined)) return false;
  if (when.coding) {
    const { element, system, code } = when.coding;
    const pattern = new RegExp(code, 'u');
    const concept = element === undefined ? node : node[element];
    const codings = isJsonObject(concept) && Array.isArray(concept.coding) ? concept.coding : [];
    if (!codings.some((coding) => isJsonObject(coding) && coding.system === system && typeof coding.code === 'string' && pattern.test(coding.code))) return false;
  }
  for (const [child, expression] of Object.entries(when.values ?? {})) {
    const value = valueAt(node, child.split('.').map((step) => (/^\d+$/.test(step) ? Number(step) : step)));
    if (typeof value !== 'string' || !new RegExp(expression, 'u').test(value)) return false;
  }
  return true;
}

/** The deviation a violation is an instance of, if any. */
export function matchDeviation(document: unknown, violation: Violation, deviations: readonly KnownDeviation[]): KnownDeviation | undefined {
  let located: { resource: unknown; relative: PathSegment[] } | undefined;
  for (const deviation of deviations) {
    if (deviation.ruleId !== violation.ruleId || deviation.resourceType !== violation.resourceType) continue;
    located ??= locate(document, violation.path);
    if (!deviation.paths.includes(unindexed(located.relative))) continue;
    const when = deviation.when;
    if (when?.resource && !conditionHolds(located.resource, when.resource)) continue;
    const local = when && (when.at !== undefined || when.present || when.coding || when.values);
    if (local && !conditionHolds(when.at === undefined ? valueAt(located.resource, located.relative) : elementAt(located.resource, located.relative, when.at), when)) continue;
    return deviation;
  }
  return undefined;
}

/** The deviations today's data still shows: those `seenIn: '2021'` left out. */
export function currentDeviationsOnly(deviations: readonly KnownDeviation[]): KnownDeviation[] {
  return deviations.filter((deviation) => (deviation.seenIn ?? 'current') === 'current');
}

/** Splits violations into failures and notes: known deviations (and warnings) become notes. */
export function separateKnownDeviations(document: unknown, violations: readonly Violation[], deviations: readonly KnownDeviation[]): { violations: Violation[]; notes: Violation[] } {
  const errors: Violation[] = [];
  const notes: Violation[] = [];
  for (const violation of violations) {
    const deviation = deviations.length === 0 ? undefined : matchDeviation(document, violation, deviations);
    if (deviation) {
      notes.push({ ...violation, severity: 'warning', knownDeviation: deviation.id, message: `known BB2 deviation (${deviation.id}): ${violation.message}` });
    } else if (violation.severity === 'warning') {
      notes.push(violation);
    } else {
      errors.push(violation);
    }
  }
  return { violations: errors, notes };
}

