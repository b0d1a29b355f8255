/**
 * The paging parameters' bounds (BB2-FHIR-PAGING-01..04): `_count` is an integer from
 * 1 to 50 as far as a client can use it (0 is BFD's "Invalid pageSize", above 50 and non-integers are
 * BB2's own 400s); `count` is BB2's alias of `_count`; a startIndex past the end is BFD's 400.
 * Errors are DRF's `{"detail": "…"}`.
 */
import { bundleResources, bundleTotal, linkUrl, MAX_PAGE_SIZE } from '../../lib/fhir/bundle.js';
import { expect, requirement, severity, test } from '../../fixtures/fhir.js';

const TAGS = ['@fhir'];
const REFUSED_COUNTS = [
  { value: '0', why: "BFD's Invalid pageSize '0'" },
  { value: String(MAX_PAGE_SIZE + 1), why: 'above the maximum 50' },
  { value: '-1', why: 'below the minimum 0' },
  { value: 'ten', why: 'not an integer' },
  { value: '2.5', why: 'not an integer' },
];

test.describe('ExplanationOfBenefit _count and startIndex', () => {
  for (const { value, why } of REFUSED_COUNTS) {
    test(
      `_count=${value} is refused with 400 (${why})`,
      { tag: TAGS, annotation: [requirement('BB2-FHIR-PAGING-01'), severity('normal')] },
      async ({ fhir }) => {
        const response = await fhir.search('ExplanationOfBenefit', { _count: value });
        expect(response.status, response.bodyText.slice(0, 300)).toBe(400);
        expect(response.json).toEqual({ detail: expect.any(String) });
      },
    );
  }

  test(
    `_count=${MAX_PAGE_SIZE} is accepted: at most ${MAX_PAGE_SIZE} entries, and the links page by ${MAX_PAGE_SIZE}`,
    { tag: TAGS, annotation: [requirement('BB2-FHIR-PAGING-01', 'BB2-FHIR-PAGING-03'), severity('normal')] },
    async ({ claimsFhir }) => {
      const response = await claimsFhir.search('ExplanationOfBenefit', { _count: MAX_PAGE_SIZE });
      expect(response.status, response.bodyText.slice(0, 300)).toBe(200);
      const total = bundleTotal(response.json) ?? Number.NaN;
      expect(bundleResources(response.json)).toHaveLength(Math.min(MAX_PAGE_SIZE, total));
      expect(new URL(linkUrl(response.json, 'last') ?? 'about:blank').searchParams.get('_count')).toBe(String(MAX_PAGE_SIZE));
    },
  );

  test(
    'count is taken as _count',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-PAGING-02'), severity('minor')] },
    async ({ claimsFhir }) => {
      const response = await claimsFhir.search('ExplanationOfBenefit', { count: 3 });
      expect(response.status, response.bodyText.slice(0, 300)).toBe(200);
      const total = bundleTotal(response.json) ?? Number.NaN;
      expect(bundleResources(response.json)).toHaveLength(Math.min(3, total));
      expect(new URL(linkUrl(response.json, 'first') ?? 'about:blank').searchParams.get('_count')).toBe('3');
    },
  );

  test(
    'a startIndex at or past the end of the result is refused with 400',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-PAGING-04'), severity('minor')] },
    async ({ claimsFhir, claimsEobs }) => {
      test.skip(claimsEobs.length === 0, 'the beneficiary has no claims, so there is no end to page past');
      const response = await claimsFhir.search('ExplanationOfBenefit', { startIndex: claimsEobs.length, _count: 10 });
      expect(response.status, response.bodyText.slice(0, 300)).toBe(400);
      expect(response.json).toEqual({ detail: expect.any(String) });
    },
  );
});
