/**
 * The vendored BFD v2 (R4) golden resources the R4 builders start from (templates/r4/*.json, provenance
 * in templates/SOURCES.md). Read once per process; each use gets its own parsed copy.
 */
import { CLAIM_TYPES, type ClaimType } from '../claim-types.js';
import type { JsonObject } from '../json.js';
import { COVERAGE_PARTS, parseObject, readTemplateText, templateDates, type CoveragePart, type EobTemplateDates } from '../templates.js';

const R4_FOLDER = new URL('../templates/r4/', import.meta.url);

const patientText = readTemplateText('patient.json', R4_FOLDER);
const coverageTexts = new Map(COVERAGE_PARTS.map((part) => [part, readTemplateText(`coverage-${part}.json`, R4_FOLDER)]));
const eobTemplates = new Map(
  CLAIM_TYPES.map((type) => {
    const text = readTemplateText(`eob-${type}.json`, R4_FOLDER);
    return [type, { text, dates: templateDates(parseObject(text)) }] as const;
  }),
);

export function r4PatientTemplate(): JsonObject {
  return parseObject(patientText);
}

export function r4CoverageTemplate(part: CoveragePart): JsonObject {
  const text = coverageTexts.get(part);
  if (text === undefined) throw new RangeError(`no R4 coverage template for ${part}`);
  return parseObject(text);
}

function eobEntry(type: ClaimType) {
  const entry = eobTemplates.get(type);
  if (!entry) throw new RangeError(`no R4 EOB template for ${type}`);
  return entry;
}

export function r4EobTemplate(type: ClaimType): JsonObject {
  return parseObject(eobEntry(type).text);
}

export function r4EobTemplateDates(type: ClaimType): EobTemplateDates {
  return eobEntry(type).dates;
}
