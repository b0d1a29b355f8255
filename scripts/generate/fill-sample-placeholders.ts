/**
 * `npx tsx scripts/generate/fill-sample-placeholders.ts <source folder> <destination folder>`
 *
 * Copies the real sample files (*.json) of a folder into the project's test data, filling the
 * literal "IGNORED_FIELD" placeholders of BFD's golden responses with realistic values of the right
 * shape, so that every sample can be validated as it is. Nothing else changes: the replacement is
 * textual, byte for byte around each placeholder. Each file's replacements are printed.
 *
 *   meta.lastUpdated          2025-08-22T12:00:00.000+00:00 (the BFD snapshot's date, as an instant)
 *   ExplanationOfBenefit.created 2025-08-22T12:00:00+00:00 (BFD v2 sets it to the time of the response)
 *   Bundle.id, CapabilityStatement.id  a UUID derived from the file name (HAPI gives them random UUIDs)
 *   contained[n].id           "1", "2", … in order (how BFD's HAPI server numbers contained resources)
 *   referral.reference        "#<id of the contained ReferralRequest>"
 *   ….valueReference.reference "#<id of the next contained Observation>" (the hct/hgb line results, in order)
 *   CapabilityStatement.date  2025-01-30T12:00:00+00:00 (the day metadata.json last changed)
 *   software.version          1.0.0-SNAPSHOT (what BB2's own CapabilityStatement fixture shows)
 *   localhost:IGNORED_FIELD   localhost:7443 (a port number)
 *
 * A placeholder anywhere else stops the copy with its path: a new sample is examined, not guessed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../sandbox/src/cli-arguments.js';

const PLACEHOLDER = 'IGNORED_FIELD';
type Json = Record<string, unknown>;

interface Found {
  readonly path: string;
  readonly key: string;
  readonly value: string;
  /** The resource the string is in (the nearest object with a resourceType). */
  readonly resource: Json;
}

/** Every string holding the placeholder, in document order (the order JSON.parse keeps). */
function placeholders(node: unknown, where: string, key: string, resource: Json, out: Found[]): Found[] {
  if (Array.isArray(node)) node.forEach((item, index) => placeholders(item, `${where}[${index}]`, key, resource, out));
  else if (typeof node === 'object' && node !== null) {
    const record = node as Json;
    const owner = typeof record.resourceType === 'string' ? record : resource;
    for (const [childKey, child] of Object.entries(record)) placeholders(child, where === '' ? childKey : `${where}.${childKey}`, childKey, owner, out);
  } else if (typeof node === 'string' && node.includes(PLACEHOLDER)) {
    out.push({ path: where, key, value: node, resource });
  }
  return out;
}

function uuidFor(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The value each placeholder string becomes. */
function replacementsFor(file: string, document: unknown): string[] {
  const found = placeholders(document, '', '', {}, []);
  // Contained resources are numbered per resource; references take them in document order.
  const numbering = new Map<Json, { referrals: string[]; observations: string[] }>();
  const numbered = (resource: Json) => {
    let entry = numbering.get(resource);
    if (!entry) {
      const contained = Array.isArray(resource.contained) ? (resource.contained as Json[]) : [];
      const ids = contained.map((_, index) => String(index + 1));
      entry = {
        referrals: ids.filter((_, index) => contained[index]?.resourceType === 'ReferralRequest'),
        observations: ids.filter((_, index) => contained[index]?.resourceType === 'Observation'),
      };
      numbering.set(resource, entry);
    }
    return entry;
  };
  return found.map(({ path: where, key, value, resource }) => {
    if (value !== PLACEHOLDER) {
      if (value.includes(`localhost:${PLACEHOLDER}`)) return value.replaceAll(`localhost:${PLACEHOLDER}`, 'localhost:7443');
      throw new Error(`${file}: no rule for ${JSON.stringify(value)} at ${where}`);
    }
    if (key === 'lastUpdated') return '2025-08-22T12:00:00.000+00:00';
    if (key === 'version' && where.endsWith('software.version')) return '1.0.0-SNAPSHOT';
    if (key === 'date' && resource.resourceType === 'CapabilityStatement') return '2025-01-30T12:00:00+00:00';
    if (key === 'created' && resource.resourceType === 'ExplanationOfBenefit') return '2025-08-22T12:00:00+00:00';
    if (key === 'id' && (resource.resourceType === 'Bundle' || resource.resourceType === 'CapabilityStatement') && where === 'id') return uuidFor(file);
    if (key === 'id' && /contained\[(\d+)\]\.id$/.test(where)) return String(Number(/contained\[(\d+)\]\.id$/.exec(where)?.[1]) + 1);
    if (key === 'reference') {
      const ids = numbered(resource);
      const next = where.endsWith('referral.reference') ? ids.referrals.shift() : where.endsWith('valueReference.reference') ? ids.observations.shift() : undefined;
      if (next === undefined) throw new Error(`${file}: no contained resource left for the reference at ${where}`);
      return `#${next}`;
    }
    throw new Error(`${file}: no rule for ${PLACEHOLDER} at ${where}`);
  });
}

/** The file's text with each placeholder string replaced, everything else byte for byte. */
export function fillPlaceholders(file: string, text: string): { text: string; replaced: number } {
  const values = replacementsFor(file, JSON.parse(text) as unknown);
  let index = 0;
  const filled = text.replace(/"((?:[^"\\]|\\.)*)"/g, (literal, content: string) => {
    if (!content.includes(PLACEHOLDER)) return literal;
    const value = values[index];
    index += 1;
    if (value === undefined) throw new Error(`${file}: more placeholders in the text than in the parsed document`);
    return JSON.stringify(value);
  });
  if (index !== values.length) throw new Error(`${file}: ${values.length} placeholders parsed, ${index} found in the text`);
  return { text: filled, replaced: index };
}

function main(argv: readonly string[]): void {
  const [source, destination, ...rest] = argv;
  if (source === undefined || destination === undefined || rest.length > 0) throw new UsageError('usage: fill-sample-placeholders.ts <source folder> <destination folder>');
  mkdirSync(destination, { recursive: true });
  for (const name of readdirSync(source).filter((file) => file.endsWith('.json')).sort()) {
    const { text, replaced } = fillPlaceholders(name, readFileSync(path.join(source, name), 'utf8'));
    writeFileSync(path.join(destination, name), text);
    console.log(`${name}: ${replaced} placeholder${replaced === 1 ? '' : 's'} filled`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
