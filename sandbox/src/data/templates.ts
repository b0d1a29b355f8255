/**
 * The vendored CMS sample resources the generator starts from (templates/*.json, provenance in
 * templates/SOURCES.md), and the real per-user claim counts for BBUser00000..10000 (templates/claim-counts.csv).
 * Read once per process; each use gets its own parsed copy.
 */
import { readFileSync } from 'node:fs';
import { dayOf } from './calendar.js';
import { CLAIM_TYPES, type ClaimType } from './claim-types.js';
import { child, forEachObject, isJsonObject, type JsonObject } from './json.js';

const TEMPLATE_FOLDER = new URL('./templates/', import.meta.url);

/** A template file re-serialised compactly: parsing the compact text is the cheapest way to get a fresh copy. */
export function readTemplateText(file: string, folder: URL = TEMPLATE_FOLDER): string {
  const parsed: unknown = JSON.parse(readFileSync(new URL(file, folder), 'utf8'));
  if (!isJsonObject(parsed)) throw new TypeError(`template ${file} is not a JSON object`);
  return JSON.stringify(parsed);
}

export function parseObject(text: string): JsonObject {
  return JSON.parse(text) as JsonObject;
}

const patientText = readTemplateText('patient.json');
export const COVERAGE_PARTS = ['part-a', 'part-b', 'part-c', 'part-d'] as const;
export type CoveragePart = (typeof COVERAGE_PARTS)[number];
const coverageTexts = new Map(COVERAGE_PARTS.map((part) => [part, readTemplateText(`coverage-${part}.json`)]));

export function patientTemplate(): JsonObject {
  return parseObject(patientText);
}

export function coverageTemplate(part: CoveragePart): JsonObject {
  const text = coverageTexts.get(part);
  if (text === undefined) throw new RangeError(`no coverage template for ${part}`);
  return parseObject(text);
}

/** What the generator needs to know about an EOB template's dates. */
export interface EobTemplateDates {
  /** billablePeriod.start and .end of the template, as day numbers. */
  readonly startDay: number;
  readonly endDay: number;
  /** How many days after billablePeriod.end the template's latest date falls (processing dates etc.). */
  readonly daysAfterEnd: number;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}/;

export function templateDates(eob: JsonObject): EobTemplateDates {
  const period = child(eob, 'billablePeriod');
  const startDay = dayOf(String(period.start));
  const endDay = dayOf(String(period.end));
  let latest = endDay;
  forEachObject(eob, (object) => {
    for (const [key, value] of Object.entries(object)) {
      if (key !== 'lastUpdated' && typeof value === 'string' && DATE_PATTERN.test(value)) latest = Math.max(latest, dayOf(value));
    }
  });
  return { startDay, endDay, daysAfterEnd: latest - endDay };
}

const eobTemplates = new Map(
  CLAIM_TYPES.map((type) => {
    const text = readTemplateText(`eob-${type}.json`);
    return [type, { text, dates: templateDates(parseObject(text)) }] as const;
  }),
);

function eobEntry(type: ClaimType) {
  const entry = eobTemplates.get(type);
  if (!entry) throw new RangeError(`no EOB template for ${type}`);
  return entry;
}

export function eobTemplate(type: ClaimType): JsonObject {
  return parseObject(eobEntry(type).text);
}

export function eobTemplateDates(type: ClaimType): EobTemplateDates {
  return eobEntry(type).dates;
}

/** Real claim counts from the CMS site's synthetic-user CSV (2017 data set): carrier and inpatient only. */
export interface PublishedClaimCounts {
  readonly carrier: number;
  readonly carrierLines: number;
  readonly inpatient: number;
  readonly inpatientLines: number;
}

function readClaimCounts(): Map<number, PublishedClaimCounts> {
  const text = readFileSync(new URL('claim-counts.csv', TEMPLATE_FOLDER), 'utf8');
  const counts = new Map<number, PublishedClaimCounts>();
  for (const line of text.trim().split('\n').slice(1)) {
    const [user, carrier, carrierLines, inpatient, inpatientLines] = line.split(',').map(Number);
    if ([user, carrier, carrierLines, inpatient, inpatientLines].some((value) => value === undefined || !Number.isInteger(value))) {
      throw new TypeError(`bad line in claim-counts.csv: ${line}`);
    }
    counts.set(user as number, {
      carrier: carrier as number,
      carrierLines: carrierLines as number,
      inpatient: inpatient as number,
      inpatientLines: inpatientLines as number,
    });
  }
  return counts;
}

let publishedCounts: Map<number, PublishedClaimCounts> | undefined;

/** The published counts for a user number, or undefined for users the CSV does not list. */
export function publishedClaimCounts(number: number): PublishedClaimCounts | undefined {
  publishedCounts ??= readClaimCounts();
  return publishedCounts.get(number);
}
