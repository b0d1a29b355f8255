/**
 * Date arithmetic and formatting the consent screen and token responses share. BB2 computes the grant
 * end with Python's `relativedelta(months=+13)` (day clamped to the month's end) and renders it with
 * Django's default English DATE_FORMAT "N j, Y", whose "N" is the Associated Press month abbreviation.
 */

const AP_MONTHS = ['Jan.', 'Feb.', 'March', 'April', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'] as const;

/** Adds calendar months in UTC, clamping the day like relativedelta (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsUtc(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(date.getTime());
  result.setUTCDate(1);
  result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return result;
}

/** "Sept. 21, 2027": Django's "N j, Y" in English. */
export function formatApDate(date: Date): string {
  return `${AP_MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
}

/** "2027-09-21T14:03:12Z": Python's strftime('%Y-%m-%dT%H:%M:%SZ') in UTC. */
export function formatIsoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

const SPANISH_MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'] as const;

/** "21 de septiembre de 2027": Django's Spanish DATE_FORMAT "j \d\e F \d\e Y". */
export function formatSpanishDate(date: Date): string {
  return `${date.getUTCDate()} de ${SPANISH_MONTHS[date.getUTCMonth()]} de ${date.getUTCFullYear()}`;
}
