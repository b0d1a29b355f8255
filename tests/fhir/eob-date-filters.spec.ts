/**
 * Date filters of ExplanationOfBenefit search (BB2-FHIR-SEARCH-05..06; FHIR STU3 search, date
 * prefixes): `_lastUpdated` (meta.lastUpdated) and `service-date` (the claim's through date) with each
 * prefix BB2 admits — lt, le, gt, ge. Every claim returned satisfies the filter, and the two halves
 * lt|ge and le|gt of one day together hold every claim. A value without one of those prefixes is
 * BB2's 400. The day is picked from the beneficiary's own claims (`claimsEobs`), so both halves hold
 * claims and the day itself is a claim's date.
 */
import { describe, lastUpdated, resourceId, serviceEndDate, type FhirResource } from '../../lib/fhir/bundle.js';
import { DATE_PREFIXES, satisfiesDateSearch, utcDay, type DatePrefix } from '../../lib/fhir/dates.js';
import { walkSearch } from '../../lib/fhir/paging.js';
import { expect, requirement, severity, test } from '../../fixtures/fhir.js';

const TAGS = ['@fhir'];

interface DateFilter {
  readonly parameter: '_lastUpdated' | 'service-date';
  /** The date of a claim that the filter compares. */
  readonly dateOf: (eob: FhirResource) => string | undefined;
}

const FILTERS: readonly DateFilter[] = [
  { parameter: '_lastUpdated', dateOf: lastUpdated },
  { parameter: 'service-date', dateOf: serviceEndDate },
];

const MEANING: Record<DatePrefix, string> = { lt: 'before', le: 'on or before', gt: 'after', ge: 'on or after' };

/** The middle claim's day, so that both sides of it hold claims. */
function middleDay(eobs: readonly FhirResource[], dateOf: DateFilter['dateOf']): string {
  const days = eobs.flatMap((eob) => {
    const date = dateOf(eob);
    const day = date === undefined ? undefined : utcDay(date);
    return day === undefined ? [] : [day];
  });
  const middle = days.sort()[Math.floor(days.length / 2)];
  if (middle === undefined) throw new Error('the beneficiary has no claim with a readable date to filter by');
  return middle;
}

/** Claims that do not satisfy `prefix` `day`, with their date, for the failure message. */
function notSatisfying(eobs: readonly FhirResource[], filter: DateFilter, prefix: DatePrefix, day: string): string[] {
  return eobs.flatMap((eob) => {
    const date = filter.dateOf(eob);
    return date !== undefined && satisfiesDateSearch(date, prefix, day) === true ? [] : [`${describe(eob)} (${date ?? 'no date'})`];
  });
}

test.describe('ExplanationOfBenefit date filters', () => {
  for (const filter of FILTERS) {
    for (const prefix of DATE_PREFIXES) {
      test(
        `${filter.parameter}=${prefix}<day> returns only claims dated ${MEANING[prefix]} that day`,
        { tag: TAGS, annotation: [requirement('BB2-FHIR-SEARCH-05', 'BB2-FHIR-PAGING-03'), severity('normal')] },
        async ({ claimsFhir, claimsEobs }) => {
          const day = middleDay(claimsEobs, filter.dateOf);
          const walk = await walkSearch(claimsFhir, 'ExplanationOfBenefit', { [filter.parameter]: `${prefix}${day}`, _count: 50 }, { validate: false });
          expect(walk.stopped).toBeUndefined();
          expect.soft(notSatisfying(walk.resources, filter, prefix, day), `claims not ${MEANING[prefix]} ${day}`).toEqual([]);
          expect.soft(walk.pagingProblems, `paging links keep ${filter.parameter}= (BB2-FHIR-PAGING-03)`).toEqual([]);
        },
      );
    }

    test(
      `${filter.parameter} lt|ge and le|gt of one day each split the claims with none missing`,
      { tag: TAGS, annotation: [requirement('BB2-FHIR-SEARCH-05'), severity('normal')] },
      async ({ claimsFhir, claimsEobs }) => {
        const day = middleDay(claimsEobs, filter.dateOf);
        const totals: Partial<Record<DatePrefix, number | undefined>> = {};
        for (const prefix of DATE_PREFIXES) {
          const walk = await walkSearch(claimsFhir, 'ExplanationOfBenefit', { [filter.parameter]: `${prefix}${day}`, _count: 50 }, { validate: false });
          expect(walk.stopped).toBeUndefined();
          totals[prefix] = walk.resources.length;
        }
        expect(totals.lt, `claims before ${day} (lt) and on or after it (ge) = all ${claimsEobs.length}`).toBe(claimsEobs.length - (totals.ge ?? 0));
        expect(totals.le, `claims on or before ${day} (le) and after it (gt) = all ${claimsEobs.length}`).toBe(claimsEobs.length - (totals.gt ?? 0));
        expect(totals.ge, `a claim is dated ${day}, so ge${day} holds more than gt${day}`).toBeGreaterThan(totals.gt ?? 0);
      },
    );
  }

  test(
    'service-date ge and le together select the claims between the two days',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-SEARCH-05'), severity('minor')] },
    async ({ claimsFhir, claimsEobs }) => {
      const days = claimsEobs.flatMap((eob) => serviceEndDate(eob) ?? []).sort();
      const from = days[Math.floor(days.length / 4)] as string;
      const to = days[Math.floor((3 * days.length) / 4)] as string;
      const walk = await walkSearch(claimsFhir, 'ExplanationOfBenefit', { 'service-date': [`ge${from}`, `le${to}`], _count: 50 }, { validate: false });
      expect(walk.stopped).toBeUndefined();
      const expected = claimsEobs.filter((eob) => {
        const date = serviceEndDate(eob) ?? '';
        return satisfiesDateSearch(date, 'ge', from) === true && satisfiesDateSearch(date, 'le', to) === true;
      });
      expect(walk.resources.map(resourceId).sort()).toEqual(expected.map(resourceId).sort());
    },
  );

  const BAD_OPERATORS: ReadonlyArray<[DateFilter['parameter'], string]> = [
    ['_lastUpdated', 'eq2020-01-01'],
    ['_lastUpdated', '2020-01-01'],
    ['service-date', 'ne2020-01-01'],
    ['service-date', '2020-01-01'],
  ];
  for (const [parameter, value] of BAD_OPERATORS) {
    test(
      `${parameter}=${value} is refused with 400 "the ${parameter} operator is not valid"`,
      { tag: TAGS, annotation: [requirement('BB2-FHIR-SEARCH-06'), severity('normal')] },
      async ({ fhir }) => {
        const response = await fhir.search('ExplanationOfBenefit', { [parameter]: value });
        expect(response.status, response.bodyText.slice(0, 300)).toBe(400);
        expect(response.json).toEqual({ detail: `the ${parameter} operator is not valid` });
      },
    );
  }
});
