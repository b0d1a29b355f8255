/**
 * The requirements catalogue: every requirements/*.json file (format: requirements/README.md), read
 * and checked with zod, as one list with unique ids. Files other branches add (fhir-stu3.json,
 * fhir-r4.json, …) load the same way; nothing here names the files.
 *
 *   loadCatalogue()          the whole catalogue (cached for the repository's requirements/ folder)
 *   requirementById(id)      one entry, or undefined
 *   citedThrough(ids)        the ids a check citing `ids` verifies, `includes` expanded
 *
 * A malformed entry, a duplicate id, a source that is not a permanent public address (lib/requirements/
 * sources.ts) or a repository path that leaves the repository is a CatalogueError naming the file and
 * the entry; all problems of a load are reported together.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { problemWithRepositoryPath, problemWithSourceUrl } from './sources.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REQUIREMENTS_DIR = path.join(REPO_ROOT, 'requirements');

/** requirements/README.md: stable ids such as BB2-OAUTH-PKCE-01, RFC6749-4.1.2, FHIR-STU3-per-1. */
export const REQUIREMENT_ID = /^[A-Z][A-Z0-9]*(-[A-Za-z0-9.]+)+$/;
/** An `includes` entry: the start of the ids it covers, e.g. "FHIR-STU3-". */
const ID_PREFIX = /^[A-Z][A-Z0-9]*(-[A-Za-z0-9.]*)*$/;

export const STRENGTHS = ['SHALL', 'SHOULD', 'MAY'] as const;
export const AREAS = ['discovery', 'oauth', 'fhir', 'testclient', 'validation'] as const;

const text = z.string().trim().min(1, 'must not be empty');

const sourceSchema = z
  .strictObject({
    url: text.optional(),
    path: text.optional(),
    detail: text.optional(),
  })
  .superRefine((source, context) => {
    if ((source.url === undefined) === (source.path === undefined)) {
      context.addIssue({ code: 'custom', message: 'a source has exactly one of "url" (a public address) or "path" (a file of this repository)' });
      return;
    }
    const problem = source.url !== undefined ? problemWithSourceUrl(source.url) : problemWithRepositoryPath(source.path as string, REPO_ROOT);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem, path: [source.url !== undefined ? 'url' : 'path'] });
  });

const requirementSchema = z.strictObject({
  id: z.string().regex(REQUIREMENT_ID, `must match ${REQUIREMENT_ID.source}`),
  title: text,
  text,
  strength: z.enum(STRENGTHS),
  area: z.enum(AREAS),
  sources: z.array(sourceSchema).min(1, 'needs at least one public source'),
  /** Why no check covers it; present only then. */
  untested: text.optional(),
  /**
   * Id prefixes of requirements a validator enforces whenever this one is checked (e.g. the STU3
   * validator behind BB2-FHIR-STU3-01 enforces every FHIR-STU3- rule): a check citing this one verifies them too.
   */
  includes: z.array(z.string().regex(ID_PREFIX, 'an id prefix such as "FHIR-STU3-"')).min(1).optional(),
});

const fileSchema = z.strictObject({
  $comment: z.string().optional(),
  requirements: z.array(z.unknown()),
});

export type RequirementEntry = z.infer<typeof requirementSchema>;
export type Strength = (typeof STRENGTHS)[number];
export type RequirementArea = (typeof AREAS)[number];

export interface Requirement extends RequirementEntry {
  /** The file it comes from, relative to the repository (requirements/bb2.json). */
  readonly file: string;
}

export interface Catalogue {
  /** In file order (files sorted by name), then entry order. */
  readonly requirements: readonly Requirement[];
  readonly byId: ReadonlyMap<string, Requirement>;
}

export class CatalogueError extends Error {
  override name = 'CatalogueError';
  constructor(readonly problems: readonly string[]) {
    super(`the requirements catalogue is invalid:\n  ${problems.join('\n  ')}`);
  }
}

function issuePath(segments: ReadonlyArray<PropertyKey>): string {
  return segments.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('').replace(/^\./, '');
}

/** How an entry is named in an error: its position and, when it has a usable one, its id. */
function entryName(file: string, index: number, raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? ` (${(raw as { id: string }).id})` : '';
  return `${file}: requirements[${index}]${id}`;
}

/**
 * The entries of one requirements file's parsed JSON, checked. Problems are appended to `problems`
 * (each naming `file` and the entry); the valid entries are returned.
 */
export function parseRequirementsFile(document: unknown, file: string, problems: string[]): Requirement[] {
  const parsed = fileSchema.safeParse(document);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((issue) => `${file}: ${issuePath(issue.path) || '(root)'}: ${issue.message}`));
    return [];
  }
  const entries: Requirement[] = [];
  parsed.data.requirements.forEach((raw, index) => {
    const entry = requirementSchema.safeParse(raw);
    if (!entry.success) {
      problems.push(...entry.error.issues.map((issue) => `${entryName(file, index, raw)}: ${issuePath(issue.path) || '(entry)'}: ${issue.message}`));
      return;
    }
    const selfIncluded = entry.data.includes?.find((prefix) => entry.data.id.startsWith(prefix));
    if (selfIncluded !== undefined) problems.push(`${entryName(file, index, raw)}: includes: "${selfIncluded}" covers the entry itself`);
    entries.push({ ...entry.data, file });
  });
  return entries;
}

/** Builds the catalogue from parsed files; throws CatalogueError with every problem, duplicates included. */
export function buildCatalogue(files: ReadonlyArray<{ readonly file: string; readonly document: unknown }>, problems: string[] = []): Catalogue {
  const requirements: Requirement[] = [];
  const byId = new Map<string, Requirement>();
  for (const { file, document } of files) {
    for (const requirement of parseRequirementsFile(document, file, problems)) {
      const earlier = byId.get(requirement.id);
      if (earlier !== undefined) {
        problems.push(`${requirement.id} is defined twice: in ${earlier.file} and in ${requirement.file}`);
        continue;
      }
      byId.set(requirement.id, requirement);
      requirements.push(requirement);
    }
  }
  if (problems.length > 0) throw new CatalogueError(problems);
  return { requirements, byId };
}

/** Reads every *.json of a requirements folder (sorted by name) and builds the catalogue. */
export function readCatalogue(directory: string = REQUIREMENTS_DIR): Catalogue {
  if (!existsSync(directory)) throw new CatalogueError([`${directory} does not exist`]);
  const problems: string[] = [];
  const files: Array<{ file: string; document: unknown }> = [];
  for (const name of readdirSync(directory).filter((entry) => entry.endsWith('.json')).sort()) {
    const file = path.relative(REPO_ROOT, path.join(directory, name)).split(path.sep).join('/');
    try {
      files.push({ file, document: JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as unknown });
    } catch (error) {
      problems.push(`${file}: not valid JSON: ${(error as Error).message}`);
    }
  }
  if (files.length === 0 && problems.length === 0) problems.push(`${directory} holds no requirements file (*.json)`);
  return buildCatalogue(files, problems);
}

let cached: Catalogue | undefined;

/** The repository's catalogue, read and checked on first use. */
export function loadCatalogue(): Catalogue {
  cached ??= readCatalogue();
  return cached;
}

export function requirementById(id: string, catalogue: Catalogue = loadCatalogue()): Requirement | undefined {
  return catalogue.byId.get(id);
}

/**
 * The requirements a check citing `ids` verifies: the cited ones, and every catalogue entry one of them
 * `includes` (through a validator), transitively. Unknown ids are kept as they are.
 */
export function citedThrough(ids: Iterable<string>, catalogue: Catalogue = loadCatalogue()): Set<string> {
  const result = new Set<string>();
  const pending = [...ids];
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (result.has(id)) continue;
    result.add(id);
    for (const prefix of catalogue.byId.get(id)?.includes ?? []) {
      for (const requirement of catalogue.requirements) if (requirement.id.startsWith(prefix)) pending.push(requirement.id);
    }
  }
  return result;
}

/** The requirements whose `includes` cover `id` (directly), e.g. BB2-FHIR-STU3-01 for FHIR-STU3-per-1. */
export function includedBy(id: string, catalogue: Catalogue = loadCatalogue()): Requirement[] {
  return catalogue.requirements.filter((requirement) => requirement.includes?.some((prefix) => id.startsWith(prefix)) ?? false);
}
