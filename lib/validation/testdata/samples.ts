/**
 * Loads the vendored real samples (see stu3/SOURCES.md and r4/SOURCES.md) for the validator tests. BFD's
 * "IGNORED_FIELD" placeholders were filled with realistic values when the files were copied
 * (scripts/generate/fill-sample-placeholders.ts), so every sample is validated as it is; a
 * placeholder left in a file is an error here, not a silent stand-in.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SAMPLES_DIR = fileURLToPath(new URL('./stu3/', import.meta.url));
export const R4_SAMPLES_DIR = fileURLToPath(new URL('./r4/', import.meta.url));

export type Stu3SampleFolder = 'bb2-webserver-fixtures-v1' | 'bfd-endpoint-responses-v1' | 'bluebutton-site-legacy-samples';
export type R4SampleFolder = 'bb2-webserver-fixtures-v2' | 'bfd-endpoint-responses-v2' | 'sandbox-bbuser29999';
export type SampleFolder = Stu3SampleFolder | R4SampleFolder;

const R4_FOLDERS: ReadonlySet<string> = new Set<R4SampleFolder>(['bb2-webserver-fixtures-v2', 'bfd-endpoint-responses-v2', 'sandbox-bbuser29999']);

function folderPath(folder: SampleFolder): string {
  return `${R4_FOLDERS.has(folder) ? R4_SAMPLES_DIR : SAMPLES_DIR}${folder}`;
}

export function sampleFiles(folder: SampleFolder): string[] {
  return readdirSync(folderPath(folder))
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** The parsed sample, unmodified. */
export function loadRawSample(folder: SampleFolder, file: string): unknown {
  const text = readFileSync(`${folderPath(folder)}/${file}`, 'utf8');
  if (text.includes('IGNORED_FIELD')) throw new Error(`${folder}/${file} still holds an IGNORED_FIELD placeholder: copy it with scripts/generate/fill-sample-placeholders.ts`);
  return JSON.parse(text) as unknown;
}

/** The sample; the legacy EOB, a Bundle entry, is unwrapped to its resource. */
export function loadSample(folder: SampleFolder, file: string): unknown {
  const raw = loadRawSample(folder, file);
  return typeof raw === 'object' && raw !== null && 'fullUrl' in raw && 'resource' in raw ? (raw as { resource: unknown }).resource : raw;
}

/** A deep copy, for tests that mutate a sample. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
