/**
 * The one shape every validator in the suite reports, plus the path and value helpers they share.
 */

export interface Violation {
  /** resourceType of the resource the problem is in (a Bundle entry's own type, not "Bundle"). */
  resourceType: string;
  /** id of that resource, when it has one. */
  id?: string;
  /** FHIR-style dotted path from the validated document's root, e.g. "entry[3].resource.item[0].sequence"; "" is the root. */
  path: string;
  /** The rule's machine id: `fhir:per-1`, `json:no-null`, `schema:type`, `binding:Coverage.status`, `bb2:coverage-id-format`. */
  ruleId: string;
  /** Which rule was broken, for people, e.g. "STU3 schema: type integer" or "BB2-FHIR-ID-02: Coverage id format". */
  rule: string;
  /** The offending value (truncated when large); absent when the problem is a missing element. */
  value?: unknown;
  /** One readable sentence about this problem. */
  message: string;
  /** The catalogue id of the requirement broken (requirements/*.json), e.g. "FHIR-STU3-per-1". */
  requirement?: string;
  /** 'warning' violations are reported as notes on the check, never as failures; absent means 'error'. */
  severity?: 'error' | 'warning';
  /** Set when real BB2 data is known to break this rule in this shape (schemas/fhir-<release>/known-deviations.json): a note, not a failure. */
  knownDeviation?: string;
  /** An invariant that gave no verdict (an empty result), typically because an element it reads is missing. */
  inconclusive?: true;
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path step: an object key or an array index. */
export type PathSegment = string | number;

/** "entry[3].resource.id" -> ["entry", 3, "resource", "id"] (the inverse of formatPath). */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const match of path.matchAll(/([^.[\]]+(?:\[x\])?)|\[(\d+)\]/g)) segments.push(match[2] === undefined ? (match[1] as string) : Number(match[2]));
  return segments;
}

/** ["entry", 3, "resource", "id"] -> "entry[3].resource.id". */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * Turns a JSON pointer (ajv's instancePath, RFC 6901) into path segments, typing a step as an array
 * index only where the document really has an array there, so a key such as "0" stays a key.
 */
export function pointerToSegments(root: unknown, pointer: string): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      const index = Number(key);
      segments.push(index);
      node = node[index];
    } else {
      segments.push(key);
      node = isJsonObject(node) ? node[key] : undefined;
    }
  }
  return segments;
}

/** The value at the given segments, or undefined when the path does not exist. */
export function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let node: unknown = root;
  for (const segment of segments) {
    if (typeof segment === 'number') node = Array.isArray(node) ? node[segment] : undefined;
    else node = isJsonObject(node) ? node[segment] : undefined;
  }
  return node;
}

/**
 * The resource a path points into: the deepest Bundle entry resource on the way (so a problem in
 * entry[3] names entry 3's resource), else the root.
 */
export function owningResource(root: unknown, segments: readonly PathSegment[]): { resourceType: string; id?: string } {
  let owner: unknown = root;
  let node: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PathSegment;
    node = typeof segment === 'number' ? (Array.isArray(node) ? node[segment] : undefined) : isJsonObject(node) ? node[segment] : undefined;
    if (segment === 'resource' && typeof segments[i - 1] === 'number' && segments[i - 2] === 'entry' && isJsonObject(node)) owner = node;
  }
  return describeResource(owner);
}

export function describeResource(resource: unknown): { resourceType: string; id?: string } {
  if (!isJsonObject(resource)) return { resourceType: '(not a resource)' };
  const resourceType = typeof resource.resourceType === 'string' ? resource.resourceType : '(no resourceType)';
  return typeof resource.id === 'string' ? { resourceType, id: resource.id } : { resourceType };
}

const MAX_VALUE_CHARS = 200;

/**
 * Keeps a violation's value small enough to print: long strings are cut, and objects or arrays whose
 * JSON is long become a cut JSON string (marked with "…") instead of the whole structure.
 */
export function truncateValue(value: unknown, maxChars = MAX_VALUE_CHARS): unknown {
  if (typeof value === 'string') return value.length > maxChars ? `${value.slice(0, maxChars)}…` : value;
  if (typeof value !== 'object' || value === null) return value;
  const json = JSON.stringify(value);
  return json.length > maxChars ? `${json.slice(0, maxChars)}…` : value;
}
