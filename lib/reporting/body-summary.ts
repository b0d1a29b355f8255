/**
 * Light reports: a response body above WHOLE_BODY_LIMIT is shown in its request step as a summary (size,
 * sha256, what it is, every resource id, its first entries and its first characters) instead of whole.
 * An ExplanationOfBenefit page of 50 claims is 0.3 to 2 MB, and a run pages through thousands of claims:
 * whole bodies made one run's Allure results 78 MB (docs/performance.md). The whole bodies of a test are
 * kept in memory until it ends and attached only if it failed, where a reader needs them.
 */
import { createHash } from 'node:crypto';
import type { TestInfo } from '@playwright/test';

/** Bodies up to this many characters are attached whole (a Patient, a Coverage page, every OAuth answer). */
export const WHOLE_BODY_LIMIT = 16 * 1024;
/** How much of the body's text the summary shows from its start. */
const HEAD_CHARACTERS = 1_500;
/** Entries of a Bundle shown whole in the summary, as many from the first as fit in this many characters. */
const FIRST_ENTRIES_CHARACTERS = 6 * 1024;

export interface BodySummary {
  readonly summary: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly resourceType?: string;
  readonly id?: string;
  readonly type?: string;
  readonly total?: number;
  readonly links?: Readonly<Record<string, string>>;
  readonly entryCount?: number;
  /** "ExplanationOfBenefit/carrier--10114937820", for every entry in order. */
  readonly resources?: readonly string[];
  readonly firstEntries?: readonly unknown[];
  readonly head: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reference(resource: unknown): string {
  if (!isRecord(resource)) return '(not a resource)';
  return `${typeof resource.resourceType === 'string' ? resource.resourceType : '?'}/${typeof resource.id === 'string' ? resource.id : '?'}`;
}

function bundleFields(json: Record<string, unknown>): Partial<BodySummary> {
  const entries = Array.isArray(json.entry) ? json.entry : [];
  const links = Array.isArray(json.link)
    ? Object.fromEntries(json.link.filter(isRecord).flatMap((link) => (typeof link.relation === 'string' && typeof link.url === 'string' ? [[link.relation, link.url]] : [])))
    : undefined;
  const firstEntries: unknown[] = [];
  let room = FIRST_ENTRIES_CHARACTERS;
  for (const entry of entries) {
    const size = JSON.stringify(entry)?.length ?? 0;
    if (size > room) break;
    firstEntries.push(entry);
    room -= size;
  }
  return {
    ...(typeof json.type === 'string' ? { type: json.type } : {}),
    ...(typeof json.total === 'number' ? { total: json.total } : {}),
    ...(links ? { links } : {}),
    entryCount: entries.length,
    resources: entries.map((entry) => reference(isRecord(entry) ? entry.resource : undefined)),
    firstEntries,
  };
}

/**
 * What a reader of a passing check needs of a large body: enough to see what came back and to tell two
 * bodies apart (the hash), without the megabytes. `json` is the parsed body when it was JSON.
 */
export function summariseBody(text: string, json: unknown): BodySummary {
  const bytes = Buffer.byteLength(text);
  const fields: Partial<BodySummary> = {};
  if (isRecord(json)) {
    if (typeof json.resourceType === 'string') Object.assign(fields, { resourceType: json.resourceType });
    if (typeof json.id === 'string') Object.assign(fields, { id: json.id });
    if (json.resourceType === 'Bundle') Object.assign(fields, bundleFields(json));
  }
  return {
    summary: `${bytes} bytes, summarised (the whole body is attached to the test if it fails)`,
    bytes,
    sha256: createHash('sha256').update(text).digest('hex'),
    ...fields,
    head: text.length > HEAD_CHARACTERS ? `${text.slice(0, HEAD_CHARACTERS)}…` : text,
  };
}

/** The whole bodies of one test's summarised responses, for the test's end: attached if it failed. */
export class WholeBodies {
  readonly #bodies: Array<{ title: string; text: string; contentType: string }> = [];

  keep(title: string, text: string, contentType: string): void {
    this.#bodies.push({ title, text, contentType });
  }

  get size(): number {
    return this.#bodies.length;
  }

  /** Attaches every kept body, redacted, and forgets them. */
  async attachTo(testInfo: TestInfo, redact: (text: string) => string): Promise<void> {
    for (const { title, text, contentType } of this.#bodies.splice(0, this.#bodies.length)) {
      await testInfo.attach(`${title}: whole response body`, { body: redact(text), contentType: /json/i.test(contentType) ? 'application/json' : 'text/plain' });
    }
  }
}
