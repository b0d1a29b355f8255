/**
 * Loads the vendored real STU3 samples (see stu3/SOURCES.md) for the validator tests.
 *
 * BFD's golden files put the literal "IGNORED_FIELD" where BFD's own comparison ignores a value.
 * Validating those literally would only prove that "IGNORED_FIELD" is not an id or an instant, so
 * `resolveIgnoredFields` puts a type-correct value in each such place first, by element name. Values
 * inside a larger string (the port in "https://localhost:IGNORED_FIELD/v1/fhir") stay: a uri has
 * no format constraint in STU3 and no BB2 rule reads link URLs. An IGNORED_FIELD under any other
 * element name throws, so a new sample cannot slip through unexamined.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SAMPLES_DIR = fileURLToPath(new URL('./stu3/', import.meta.url));

export type SampleFolder = 'bb2-webserver-fixtures-v1' | 'bfd-endpoint-responses-v1' | 'bluebutton-site-legacy-samples';

export function sampleFiles(folder: SampleFolder): string[] {
  return readdirSync(`${SAMPLES_DIR}${folder}`)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** The parsed sample, unmodified. */
export function loadRawSample(folder: SampleFolder, file: string): unknown {
  return JSON.parse(readFileSync(`${SAMPLES_DIR}${folder}/${file}`, 'utf8')) as unknown;
}

const PLACEHOLDER = 'IGNORED_FIELD';

/** Type-correct stand-ins, by the element name holding the placeholder. */
const STAND_INS: Record<string, string> = {
  id: 'ignored-field', // STU3 id: [A-Za-z0-9\-\.]{1,64}
  lastUpdated: '2000-01-01T00:00:00.000+00:00', // instant
  date: '2000-01-01T00:00:00+00:00', // CapabilityStatement.date, dateTime
  reference: '#ignored-field', // a local reference, the form BB2 serves for contained resources
  version: PLACEHOLDER, // CapabilityStatement.software.version is a free string
};

export interface Resolved {
  document: unknown;
  /** How many placeholders were replaced. */
  replaced: number;
}

export function resolveIgnoredFields(document: unknown): Resolved {
  let replaced = 0;
  const walk = (node: unknown, key: string | undefined, where: string): unknown => {
    if (Array.isArray(node)) return node.map((child, i) => walk(child, key, `${where}[${i}]`));
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([childKey, child]) => [childKey, walk(child, childKey, where === '' ? childKey : `${where}.${childKey}`)]));
    }
    if (node !== PLACEHOLDER) return node;
    const standIn = key === undefined ? undefined : STAND_INS[key];
    if (standIn === undefined) throw new Error(`resolveIgnoredFields: no stand-in for ${PLACEHOLDER} at ${where}`);
    if (standIn !== PLACEHOLDER) replaced++;
    return standIn;
  };
  return { document: walk(document, undefined, ''), replaced };
}

/** The sample with IGNORED_FIELD placeholders resolved; the legacy EOB, a Bundle entry, is unwrapped to its resource. */
export function loadSample(folder: SampleFolder, file: string): unknown {
  const raw = loadRawSample(folder, file);
  const unwrapped = typeof raw === 'object' && raw !== null && 'fullUrl' in raw && 'resource' in raw ? (raw as { resource: unknown }).resource : raw;
  return resolveIgnoredFields(unwrapped).document;
}

/** A deep copy, for tests that mutate a sample. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
