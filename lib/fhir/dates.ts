/**
 * FHIR date search prefixes (lt, le, gt, ge — the ones BB2 admits for `_lastUpdated` and
 * `service-date`, BB2-FHIR-SEARCH-05), used to check that every resource a filtered search
 * returned satisfies its filter. FHIR compares ranges (FHIR STU3 search §2.21.1.3): a date stands for
 * its whole day, an instant for its millisecond, and
 *   gt: the target reaches past the value's end     ge: the target reaches past the value's start
 *   lt: the target starts before the value starts   le: the target starts before the value ends.
 * For two calendar days that is the familiar >, >=, <, <=.
 *
 * Hand-written: the comparison is four interval tests; no maintained library offers FHIR's search
 * semantics on their own (the FHIR servers that implement them are whole servers).
 */

export const DATE_PREFIXES = ['lt', 'le', 'gt', 'ge'] as const;
export type DatePrefix = (typeof DATE_PREFIXES)[number];

/** A half-open interval [start, end) in epoch milliseconds. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** An instant with a zone, as FHIR requires for `instant` (meta.lastUpdated). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar day (YYYY-MM-DD, read as UTC) or an instant with zone; undefined for anything else. */
export function timeRangeOf(text: string): TimeRange | undefined {
  const day = DAY.exec(text);
  if (day) {
    const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    // Date.UTC rolls 2020-02-30 over into March; such a date is not a date.
    if (new Date(start).toISOString().slice(0, 10) !== text) return undefined;
    return { start, end: start + DAY_MS };
  }
  if (INSTANT.test(text)) {
    const start = Date.parse(text);
    return Number.isNaN(start) ? undefined : { start, end: start + 1 };
  }
  return undefined;
}

/**
 * Whether `target` (a day or an instant) satisfies `prefix` + `value` (a day or an instant).
 * undefined when either cannot be read, so a check can report it rather than guess.
 */
export function satisfiesDateSearch(target: string, prefix: DatePrefix, value: string): boolean | undefined {
  const t = timeRangeOf(target);
  const v = timeRangeOf(value);
  if (t === undefined || v === undefined) return undefined;
  switch (prefix) {
    case 'gt':
      return t.end > v.end;
    case 'ge':
      return t.end > v.start;
    case 'lt':
      return t.start < v.start;
    case 'le':
      return t.start < v.end;
  }
}

/** The calendar day (UTC) of a day or an instant, e.g. for picking a search value from received data. */
export function utcDay(text: string): string | undefined {
  const range = timeRangeOf(text);
  return range === undefined ? undefined : new Date(range.start).toISOString().slice(0, 10);
}
