/**
 * The real R4 (BB2 v2) samples in lib/validation/testdata/r4/ (sources in SOURCES.md there), for the
 * profile validator's tests and benchmark. BFD's "IGNORED_FIELD" placeholders stay as they are: they
 * stand in for ids, instants and ports, which no profile rule reads.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const R4_SAMPLES_DIR = fileURLToPath(new URL('../testdata/r4/', import.meta.url));

export const R4_SAMPLE_FOLDERS = ['bfd-endpoint-responses-v2', 'bb2-webserver-fixtures-v2', 'sandbox-bbuser29999'] as const;
export type R4SampleFolder = (typeof R4_SAMPLE_FOLDERS)[number];

export interface R4Sample {
  /** "bfd-endpoint-responses-v2/eobReadDme.json" */
  readonly name: string;
  readonly document: Record<string, unknown>;
}

export function loadR4Sample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${R4_SAMPLES_DIR}${name}`, 'utf8')) as Record<string, unknown>;
}

/** Every JSON sample that is a FHIR resource or Bundle (userinfo_v2.json is not). */
export function r4Samples(): R4Sample[] {
  return R4_SAMPLE_FOLDERS.flatMap((folder) =>
    readdirSync(`${R4_SAMPLES_DIR}${folder}`)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => ({ name: `${folder}/${file}`, document: loadR4Sample(`${folder}/${file}`) }))
      .filter((sample) => typeof sample.document.resourceType === 'string'),
  );
}
