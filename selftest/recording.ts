/**
 * Reads the clean run's seam recording (a folder of JSON-line files): the sandboxes' lines, which seams
 * each scope's requests read and which fault modes would have answered them differently
 * (sandbox/src/faults/seam-recorder.ts), and the workers' lines, which check each scope is and which
 * worker fixtures it used (fixtures/check-scopes.ts). A malformed line stops the self-test with its file
 * and line: a recording the self-test cannot read would select wrongly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ScopeRecord } from '../lib/check-scopes.js';
import { SEAMS_VARIABLE, type SeamRecord } from '../lib/embedded-sandbox.js';

export interface SeamRecording {
  /** Scope → the seams its requests read ("fhir.serveResource"). */
  readonly reads: ReadonlyMap<string, ReadonlySet<string>>;
  /** Scope → the fault modes whose seams would have answered its requests differently. */
  readonly divergences: ReadonlyMap<string, ReadonlySet<string>>;
  /** Scope → the key of the check it is (lib/requirements/checks.ts checkKey). */
  readonly checkOfScope: ReadonlyMap<string, string>;
  /** Scope → the worker-fixture scopes it used. */
  readonly uses: ReadonlyMap<string, ReadonlySet<string>>;
}

export class RecordingError extends Error {
  override name = 'RecordingError';
}

const seamRecordSchema = z.union([
  z.object({ scope: z.string().min(1), seam: z.string().regex(/^(oauth|fhir)\.\w+$/) }).strict(),
  z.object({ scope: z.string().min(1), fault: z.string().min(1) }).strict(),
]);
const scopeRecordSchema = z.union([
  z.object({ scope: z.string().min(1), check: z.string().min(1) }).strict(),
  z.object({ scope: z.string().min(1), uses: z.string().min(1) }).strict(),
]);

function linesOf<T>(file: string, schema: z.ZodType<T>): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) => {
      if (line.trim() === '') return [];
      let parsed: z.ZodSafeParseResult<T>;
      try {
        parsed = schema.safeParse(JSON.parse(line));
      } catch {
        throw new RecordingError(`${file}:${index + 1}: not JSON`);
      }
      if (!parsed.success) throw new RecordingError(`${file}:${index + 1}: not a seam recording line (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      return [parsed.data];
    });
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  map.set(key, (map.get(key) ?? new Set()).add(value));
}

/** Builds a recording from its lines (also what the unit tests feed). */
export function recordingFrom(sandboxes: readonly SeamRecord[], workers: readonly ScopeRecord[]): SeamRecording {
  const reads = new Map<string, Set<string>>();
  const divergences = new Map<string, Set<string>>();
  for (const record of sandboxes) {
    if ('seam' in record) addTo(reads, record.scope, record.seam);
    else addTo(divergences, record.scope, record.fault);
  }
  const checkOfScope = new Map<string, string>();
  const uses = new Map<string, Set<string>>();
  for (const record of workers) {
    if ('check' in record) checkOfScope.set(record.scope, record.check);
    else if (record.uses !== record.scope) addTo(uses, record.scope, record.uses);
  }
  return { reads, divergences, checkOfScope, uses };
}

export function readSeamRecording(directory: string): SeamRecording {
  let files: string[];
  try {
    files = readdirSync(directory).filter((file) => file.endsWith('.jsonl')).sort();
  } catch (error) {
    throw new RecordingError(`no seam recording in ${directory}: ${(error as Error).message}`);
  }
  const sandboxes = files.filter((file) => file.startsWith('sandbox-')).flatMap((file) => linesOf(path.join(directory, file), seamRecordSchema));
  const workers = files.filter((file) => file.startsWith('worker-')).flatMap((file) => linesOf(path.join(directory, file), scopeRecordSchema));
  if (sandboxes.length === 0) throw new RecordingError(`the clean run recorded no seam read in ${directory}: did its sandbox start with ${SEAMS_VARIABLE}?`);
  if (workers.length === 0) throw new RecordingError(`the clean run's workers recorded no check in ${directory}`);
  return recordingFrom(sandboxes, workers);
}
