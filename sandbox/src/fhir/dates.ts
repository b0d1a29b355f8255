/**
 * FHIR date search parameters (`service-date`, `_lastUpdated`) as BFD evaluates them. A value is a
 * prefix (BB2 admits only lt, le, gt, ge) and a FHIR date or dateTime; the date stands for the whole
 * interval its precision covers (2020 = all of 2020). Hand-written: the comparison is a handful of
 * interval tests, and no maintained JS library implements FHIR search-date semantics on its own.
 */

export const DATE_PREFIXES = ['lt', 'le', 'gt', 'ge'] as const;
export type DatePrefix = (typeof DATE_PREFIXES)[number];

/** A half-open interval [start, end) in epoch milliseconds. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

export interface DateCondition {
  readonly prefix: DatePrefix;
  readonly value: Interval;
}

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses a FHIR date/dateTime into the interval it covers. Values without a zone are read as UTC (BFD
 * reads them in the server's zone, which is UTC in CMS deployments). Returns undefined when malformed.
 */
export function parseFhirDate(text: string): Interval | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  if (mo === undefined) return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  const month = Number(mo);
  if (month < 1 || month > 12) return undefined;
  if (d === undefined) return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) };
  const day = Number(d);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  const dayStart = Date.UTC(year, month - 1, day);
  if (h === undefined) return { start: dayStart, end: dayStart + DAY_MS };
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMs = 0;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [zh, zm] = zone.slice(1).split(':').map(Number) as [number, number];
    if (zh > 14 || zm > 59) return undefined;
    offsetMs = sign * (zh * 60 + zm) * 60_000;
  }
  const millis = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const start = dayStart + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMs;
  const width = fraction !== undefined ? 1 : s !== undefined ? 1000 : 60_000;
  return { start, end: start + width };
}

/** Splits `ge2020-01-01` into prefix and date; undefined if the prefix is not one BB2 admits. */
export function splitPrefix(value: string): { prefix: DatePrefix; date: string } | undefined {
  const prefix = value.slice(0, 2) as DatePrefix;
  return DATE_PREFIXES.includes(prefix) ? { prefix, date: value.slice(2) } : undefined;
}

/**
 * FHIR search semantics for ranges: gt/lt ask whether the target reaches beyond the value's interval,
 * ge/le whether it reaches the interval at all. For day-precision targets and values this is the
 * familiar d > v, d < v, d >= v, d <= v.
 */
export function satisfies(target: Interval, condition: DateCondition): boolean {
  const { value } = condition;
  switch (condition.prefix) {
    case 'gt':
      return target.end > value.end;
    case 'ge':
      return target.end > value.start;
    case 'lt':
      return target.start < value.start;
    case 'le':
      return target.start < value.end;
  }
}

/** A calendar date (YYYY-MM-DD) as the day it covers; undefined if not a valid date. */
export function dayInterval(date: string): Interval | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? parseFhirDate(date) : undefined;
}

/** An instant (meta.lastUpdated) as a one-millisecond interval. */
export function instantInterval(instant: string): Interval | undefined {
  const interval = parseFhirDate(instant);
  return interval === undefined ? undefined : { start: interval.start, end: interval.start + 1 };
}

/** HAPI's instant rendering, e.g. 2020-12-09T16:19:38.679+00:00. */
export function hapiInstant(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+00:00');
}

/** HAPI's dateTime rendering to the second, e.g. 2022-04-18T19:31:21+00:00 (what BFD's `created` shows). */
export function hapiDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
