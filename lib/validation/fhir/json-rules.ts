/**
 * The FHIR JSON representation rules (json.html), with the datatype rules a JSON value must meet
 * (datatypes.html) and the form of literal references (references.html), checked during the walk.
 * What the JSON schema already says (types, patterns, unknown elements) stays the schema's; these are
 * the rules it cannot express: nulls and their one allowed use, empty values, a primitive's `_name`
 * companion kept aligned, one type per choice, resourceType on every resource, whitespace, number
 * ranges, references and Bundle fullUrls that agree with the resource.
 */
import { isJsonObject, truncateValue, type JsonObject } from '../violation.js';
import type { ChildElement, Definitions, TypeInfo } from './definitions.js';
import type { FhirRelease } from './release.js';
import type { Check, Cursor } from './walk.js';

export interface JsonRule {
  /** `json:<id>`, catalogue id `<prefix>-JSON-<id>`. */
  readonly id: string;
  readonly title: string;
  readonly text: string;
  /** Page (relative to the release's specification) and the section it comes from. */
  readonly page: string;
  readonly section: string;
}

export const JSON_RULES: readonly JsonRule[] = [
  {
    id: 'no-null',
    title: 'No null values, except to keep a primitive array aligned with its extensions',
    text: 'A JSON property is never null, and an array item is null only as a place-holder in a repeating primitive and its `_name` array, where the other array has an item at that index.',
    page: 'json.html',
    section: 'JSON representation of primitive elements (repeating primitives)',
  },
  {
    id: 'primitive-alignment',
    title: 'A repeating primitive and its `_name` array have the same length',
    text: 'When a repeating primitive element has ids or extensions, `name` and `_name` are arrays of the same length whose items at one index describe the same value, and no index is null in both.',
    page: 'json.html',
    section: 'JSON representation of primitive elements (repeating primitives)',
  },
  {
    id: 'no-empty-object',
    title: 'No empty objects',
    text: 'An element is present only with a value or children: an object with no properties is not a FHIR element.',
    page: 'json.html',
    section: 'JSON representation of Resources (empty elements are not allowed)',
  },
  {
    id: 'no-empty-array',
    title: 'No empty arrays',
    text: 'A repeating element with no items is left out, never written as [].',
    page: 'json.html',
    section: 'JSON representation of Resources (empty elements are not allowed)',
  },
  {
    id: 'no-empty-string',
    title: 'No empty strings',
    text: 'A primitive value is never the empty string: every string-typed primitive has at least one character.',
    page: 'datatypes.html',
    section: 'Primitive types (string and the types derived from it)',
  },
  {
    id: 'primitive-type',
    title: 'Primitives have their JSON type and range',
    text: 'decimal, integer, positiveInt and unsignedInt are JSON numbers (finite; the integer types whole and within their 32-bit ranges), boolean is true or false, every other primitive a JSON string.',
    page: 'json.html',
    section: 'JSON representation of primitive elements',
  },
  {
    id: 'whitespace',
    title: 'No whitespace where the datatype forbids it',
    text: 'Values of code, date, dateTime, instant and time have no leading or trailing whitespace; values of id, uri (url, canonical), oid and uuid have no whitespace at all.',
    page: 'datatypes.html',
    section: 'Primitive types (regular expressions of each type)',
  },
  {
    id: 'one-choice',
    title: 'A choice element has one type',
    text: 'An element `name[x]` appears once, as `name` + one type name (valueString or valueMoney, never both).',
    page: 'json.html',
    section: 'Choice elements',
  },
  {
    id: 'resource-type',
    title: 'Every resource names its type',
    text: 'Every resource, the top one, contained ones and those in Bundle entries, is a JSON object whose `resourceType` is its type name as a string.',
    page: 'json.html',
    section: 'JSON representation of Resources (resourceType)',
  },
  {
    id: 'reference-format',
    title: 'Literal references are well formed',
    text: 'Reference.reference is `#id` of a contained resource, a relative `Type/id` (optionally `/_history/version`) of a known resource type, or an absolute URI without whitespace.',
    page: 'references.html',
    section: 'Literal references',
  },
  {
    id: 'fullurl-matches-resource',
    title: "A Bundle entry's fullUrl agrees with its resource",
    text: 'A RESTful fullUrl (ending in Type/id) names the type and id of the resource in the entry.',
    page: 'bundle.html',
    section: 'Bundle.entry.fullUrl',
  },
];

/** Types whose values have no leading or trailing whitespace (their regular expressions start and end with non-space). */
const NO_EDGE_WHITESPACE = new Set(['code', 'id', 'uri', 'url', 'canonical', 'oid', 'uuid', 'date', 'dateTime', 'instant', 'time']);
/** Types whose values have no whitespace at all (a URI has none, RFC 3986; R4's uri regex is \S*; id, oid, uuid by their patterns). */
const NO_WHITESPACE = new Set(['id', 'uri', 'url', 'canonical', 'oid', 'uuid']);
const INTEGER_RANGES: Record<string, [number, number]> = {
  integer: [-2147483648, 2147483647],
  positiveInt: [1, 2147483647],
  unsignedInt: [0, 2147483647],
};
const ID = '[A-Za-z0-9\\-.]{1,64}';
const LOCAL_REFERENCE = new RegExp(`^#${ID}$`);
const RELATIVE_REFERENCE = new RegExp(`^([A-Z][A-Za-z]+)/${ID}(/_history/${ID})?$`);
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const RESTFUL_URL = new RegExp(`/([A-Z][A-Za-z]+)/(${ID})(/_history/${ID})?$`);

/** What `\s` matches, for one character, without a regular expression per value. */
function isWhitespace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 160 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

function hasWhitespace(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isWhitespace(value.charCodeAt(i))) return true;
  return false;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export class JsonRules implements Check {
  constructor(
    private readonly release: FhirRelease,
    private readonly definitions: Definitions,
  ) {}

  private report(at: Cursor, id: string, message: string, value: unknown, ...below: Array<string | number>): void {
    at.report(
      {
        ruleId: `json:${id}`,
        rule: `${this.release.label} JSON: ${JSON_RULES.find((rule) => rule.id === id)?.title ?? id}`,
        ...(value === undefined ? {} : { value: truncateValue(value) }),
        message,
        requirement: `${this.release.requirementPrefix}-JSON-${id}`,
      },
      ...below,
    );
  }

  resource(node: unknown, _type: TypeInfo | undefined, at: Cursor): void {
    if (!isJsonObject(node)) {
      this.report(at, 'resource-type', `a resource must be a JSON object, got ${jsonTypeOf(node)}`, node);
      return;
    }
    if (typeof node.resourceType !== 'string') {
      this.report(at, 'resource-type', node.resourceType === undefined ? 'resourceType is missing' : `resourceType must be a string, got ${jsonTypeOf(node.resourceType)}`, node.resourceType, 'resourceType');
    }
  }

  complex(node: JsonObject, type: TypeInfo, _element: ChildElement | undefined, at: Cursor): void {
    let empty = true;
    if (type.choiceNames.size === 0) {
      for (const _ in node) {
        empty = false;
        break;
      }
    } else {
      const choices = new Map<string, string>();
      for (const key in node) {
        empty = false;
        const child = type.children.get(key);
        if (!child?.choice) continue;
        const valueKey = child.isPrimitiveElement ? (child.companionKey as string) : key;
        const first = choices.get(child.name);
        if (first === undefined) choices.set(child.name, valueKey);
        else if (first !== valueKey) this.report(at, 'one-choice', `${child.name}[x] appears as both ${first} and ${valueKey}`, node[key], key);
      }
    }
    if (empty) this.report(at, 'no-empty-object', 'an element must have a value or children: {} is not allowed', node);
    if (type.name === 'Reference' && typeof node.reference === 'string') this.checkReference(node.reference, at);
    if (type.name === 'Bundle.entry' && typeof node.fullUrl === 'string' && isJsonObject(node.resource)) this.checkFullUrl(node.fullUrl, node.resource, at);
  }

  private checkReference(reference: string, at: Cursor): void {
    if (LOCAL_REFERENCE.test(reference)) return;
    const relative = RELATIVE_REFERENCE.exec(reference);
    if (relative) {
      if (!this.definitions.allResourceTypes.has(relative[1] as string)) this.report(at, 'reference-format', `"${relative[1]}" is not a ${this.release.label} resource type`, reference, 'reference');
      return;
    }
    if (ABSOLUTE_URI.test(reference)) return;
    this.report(at, 'reference-format', `"${reference}" is neither #id, Type/id nor an absolute URI`, reference, 'reference');
  }

  private checkFullUrl(fullUrl: string, resource: JsonObject, at: Cursor): void {
    const match = RESTFUL_URL.exec(fullUrl);
    if (!match || typeof resource.resourceType !== 'string' || typeof resource.id !== 'string') return;
    if (match[1] !== resource.resourceType || match[2] !== resource.id) {
      this.report(at, 'fullurl-matches-resource', `fullUrl names ${match[1]}/${match[2]}, the entry holds ${resource.resourceType}/${resource.id}`, fullUrl, 'fullUrl');
    }
  }

  property(owner: JsonObject, key: string, value: unknown, element: ChildElement | undefined, _type: TypeInfo, at: Cursor): void {
    if (value === null) {
      this.report(at, 'no-null', `${key} is null: leave an absent element out`, null, key);
      return;
    }
    const isArray = Array.isArray(value);
    // A primitive and its `_name` companion are both arrays or both single; checked once, from the (rare) `_name` side.
    if (element?.isPrimitiveElement) {
      const valueKey = element.companionKey as string;
      const base = owner[valueKey];
      if (base !== undefined && base !== null && Array.isArray(base) !== isArray) {
        this.report(at, 'primitive-alignment', isArray ? `${key} is an array but ${valueKey} is not` : `${valueKey} is an array but ${key} is not`, value, key);
      } else if (isArray && Array.isArray(base) && base.length !== value.length) {
        this.report(at, 'primitive-alignment', `${valueKey} has ${base.length} items, ${key} has ${value.length}`, value, key);
      }
    }
    if (!isArray) return;
    if (value.length === 0) {
      this.report(at, 'no-empty-array', `${key} is []: leave an element without items out`, value, key);
      return;
    }
    for (let i = 0; i < value.length; i++) {
      if (value[i] !== null) continue;
      // A null may stand only opposite an item of the other array of a primitive pair.
      const otherKey = element?.primitive ? element.companionKey : undefined;
      const other = otherKey === undefined ? undefined : owner[otherKey];
      const opposite = Array.isArray(other) ? other[i] : undefined;
      if (opposite !== null && opposite !== undefined) continue;
      // Both null at one index is reported once, on the value array.
      if (element?.isPrimitiveElement && Array.isArray(other) && other[i] === null) continue;
      this.report(at, 'no-null', otherKey === undefined ? `${key}[${i}] is null` : `${key}[${i}] is null and ${otherKey}[${i}] has nothing: a null only keeps the two arrays aligned`, null, key, i);
    }
  }

  primitive(value: unknown, element: ChildElement, at: Cursor): void {
    const definition = element.primitive;
    if (!definition) return;
    const type = element.type;
    if (definition.json === 'string') {
      if (typeof value !== 'string') {
        this.report(at, 'primitive-type', `${type} must be a JSON string, got ${jsonTypeOf(value)}`, value);
        return;
      }
      if (value === '') this.report(at, 'no-empty-string', `${type} is "": leave an absent value out`, value);
      else if (NO_EDGE_WHITESPACE.has(type) && (isWhitespace(value.charCodeAt(0)) || isWhitespace(value.charCodeAt(value.length - 1)))) {
        this.report(at, 'whitespace', `${type} ${JSON.stringify(value)} has leading or trailing whitespace`, value);
      } else if (NO_WHITESPACE.has(type) && hasWhitespace(value)) {
        this.report(at, 'whitespace', `${type} ${JSON.stringify(value)} contains whitespace`, value);
      }
      return;
    }
    if (definition.json === 'boolean') {
      if (typeof value !== 'boolean') this.report(at, 'primitive-type', `boolean must be JSON true or false, got ${jsonTypeOf(value)}`, value);
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.report(at, 'primitive-type', `${type} must be a finite JSON number, got ${jsonTypeOf(value)} ${JSON.stringify(value) ?? String(value)}`, value);
      return;
    }
    const range = INTEGER_RANGES[type];
    if (range && (!Number.isInteger(value) || value < range[0] || value > range[1])) {
      this.report(at, 'primitive-type', `${type} must be a whole number from ${range[0]} to ${range[1]}, got ${value}`, value);
    }
  }
}
