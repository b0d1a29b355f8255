/**
 * Dates as whole UTC days since 1970-01-01, which makes "n days later" plain arithmetic. All synthetic
 * dates come from here, none from the clock, so the data does not change from one day to the next.
 */
const MS_PER_DAY = 86_400_000;

/** yyyy-mm-dd (anything after the date part is ignored) to a day number. */
export function dayOf(isoDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) throw new RangeError(`not a date: ${isoDate}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY;
}

/** Day number to yyyy-mm-dd. */
export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** FHIR instant in the style BFD writes it: 2021-06-07T21:51:07.769+00:00. */
export function instant(day: number, millisecondOfDay: number): string {
  return `${new Date(day * MS_PER_DAY + millisecondOfDay).toISOString().slice(0, 23)}+00:00`;
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** First day of the month that contains `day`. */
export function firstOfMonth(day: number): number {
  const date = new Date(day * MS_PER_DAY);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / MS_PER_DAY;
}

/** Service dates are spread over 2015..2026 (ICD-10 started 2015-10-01; earlier claims use ICD-9). */
export const FIRST_SERVICE_DAY = dayOf('2015-01-01');
export const ICD10_START_DAY = dayOf('2015-10-01');
/** Nothing synthetic is dated on or after 2026-11-01: this is the last day anything may carry. */
export const LAST_DATA_DAY = dayOf('2026-10-31');
