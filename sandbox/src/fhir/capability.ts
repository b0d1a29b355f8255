/**
 * The CapabilityStatements of /v1/fhir/metadata and /v2/fhir/metadata. BB2 does not write its own:
 * `_fhir_conformance` (apps/fhir/bluebutton/views/home.py) fetches BFD's and edits it
 * (BB2-DISCOVERY-METADATA-03..06 in requirements/bb2.json). The sandbox does the same edits on BFD's
 * golden v1 (STU3) and v2 (R4) statements, vendored in templates/ (see SOURCES.md).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApiVersion } from '../api-version.js';
import { RESOURCE_TYPES } from './types.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const TEMPLATE_URLS: Readonly<Record<ApiVersion, URL>> = {
  1: new URL('./templates/bfd-metadata-v1.json', import.meta.url),
  2: new URL('./templates/bfd-metadata-v2.json', import.meta.url),
};
const PLACEHOLDER = 'IGNORED_FIELD';

/**
 * BFD's `software.version` as BB2's own fixtures show it (fhir_meta_v1.json, fhir_meta_v2.json); BFD's
 * golden files leave it as a placeholder.
 */
export const BFD_SOFTWARE_VERSION = '1.0.0-SNAPSHOT';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(root: JsonObject, key: string): JsonObject {
  const value = root[key];
  if (!isObject(value)) throw new Error(`BFD metadata template: "${key}" is not an object`);
  return value;
}

/**
 * Loads the vendored BFD statement of an API version and fills the placeholders BFD's test leaves
 * open: date, software.version, implementation.url, and (v2) the id. Fails loudly when they are not
 * where expected, so a refreshed copy cannot change the document unnoticed.
 */
export function loadBfdCapabilityStatement(version: ApiVersion, baseUrl: string, startedAt: Date): JsonObject {
  const template = JSON.parse(readFileSync(TEMPLATE_URLS[version], 'utf8')) as JsonObject;
  const software = objectAt(template, 'software');
  const implementation = objectAt(template, 'implementation');
  const url = implementation.url;
  if (template.date !== PLACEHOLDER || software.version !== PLACEHOLDER || typeof url !== 'string' || !url.includes(PLACEHOLDER)) {
    throw new Error(`BFD v${version} metadata template: placeholders not where expected (date, software.version, implementation.url)`);
  }
  // HAPI's R4 statement has an id, one HAPI makes up (BFD's test ignores it); the STU3 one has none.
  if (template.id === PLACEHOLDER) template.id = randomUUID();
  // HAPI stamps the statement with the server's start time, second precision.
  template.date = startedAt.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  software.version = BFD_SOFTWARE_VERSION;
  // BFD reports its own internal host here; the sandbox has no BFD behind it, so it names where its
  // own FHIR API of that version is served.
  implementation.url = `${baseUrl}/v${version}/fhir`;
  if (JSON.stringify(template).includes(PLACEHOLDER)) throw new Error(`BFD v${version} metadata template: a placeholder is left unfilled`);
  return template;
}

/** `build_oauth_resource`: the security block BB2 puts on rest[0]; current BB2 names v2 URIs on v1 and v2 alike. */
export function oauthSecurity(baseUrl: string): JsonObject {
  return {
    cors: true,
    service: [
      {
        text: 'OAuth',
        coding: [{ system: 'http://hl7.org/fhir/restful-security-service', code: 'OAuth', display: 'OAuth' }],
      },
      {
        text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
        coding: [{ system: 'http://hl7.org/fhir/restful-security-service', code: 'SMART-on-FHIR', display: 'SMART-on-FHIR' }],
      },
    ],
    extension: [
      {
        url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
        extension: [
          { url: 'token', valueUri: `${baseUrl}/v2/o/token` },
          { url: 'authorize', valueUri: `${baseUrl}/v2/o/authorize` },
          { url: 'revoke', valueUri: `${baseUrl}/v2/o/revoke_token` },
        ],
      },
    ],
  };
}

/**
 * BB2's edits, in its order: keep only the resource types BB2 serves, each with exactly read and
 * search-type; put the security block last on rest[0]; replace `format`. Works on a copy.
 */
export function filterCapabilityStatement(bfdStatement: JsonObject, baseUrl: string): JsonObject {
  const statement = structuredClone(bfdStatement);
  const rest = statement.rest;
  if (Array.isArray(rest)) {
    for (const entry of rest) {
      if (!isObject(entry) || !Array.isArray(entry.resource)) continue;
      entry.resource = entry.resource.filter(
        (resource) => isObject(resource) && (RESOURCE_TYPES as readonly JsonValue[]).includes(resource.type ?? null),
      );
      for (const resource of entry.resource) {
        if (isObject(resource)) resource.interaction = [{ code: 'read' }, { code: 'search-type' }];
      }
    }
    const first = rest[0];
    if (isObject(first)) first.security = oauthSecurity(baseUrl);
  }
  statement.format = ['application/json', 'application/fhir+json'];
  return statement;
}

/**
 * Python's `json.dumps` with default arguments, as Django's JsonResponse writes the statement:
 * ", " and ": " separators, non-ASCII escaped as \uXXXX.
 */
export function pythonJsonDumps(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (isObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonJsonDumps(key)}: ${pythonJsonDumps(item)}`)
      .join(', ')}}`;
  }
  const json = JSON.stringify(value);
  return typeof value === 'string'
    ? json.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}
