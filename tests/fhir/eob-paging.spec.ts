/**
 * ExplanationOfBenefit search paged from the first page to the last (BB2-FHIR-PAGING-01, BB2-FHIR-PAGING-03):
 * BB2 always pages (default _count 10, at most 50); every page links first/last (next/previous where
 * they exist) with the right startIndex and _count; Bundle.total counts every match and equals the
 * entries seen; no claim comes twice; every EOB received is valid FHIR of the API version's release
 * (v1 STU3; v2 R4 with the C4BB profile of its claim type) and follows BB2's rules of the version.
 */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../lib/fhir/bundle.js';
import { walkSearch } from '../../lib/fhir/paging.js';
import { expect, requirement, requirementsPerVersion, severity, test } from '../../fixtures/fhir.js';

const TAGS = ['@fhir'];

const PAGE_SIZES: ReadonlyArray<{ label: string; params: Record<string, number>; size: number }> = [
  { label: `_count=${MAX_PAGE_SIZE}`, params: { _count: MAX_PAGE_SIZE }, size: MAX_PAGE_SIZE },
  { label: `the default page size (${DEFAULT_PAGE_SIZE}, no _count)`, params: {}, size: DEFAULT_PAGE_SIZE },
];

test.describe('ExplanationOfBenefit paging', () => {
  for (const { label, params, size } of PAGE_SIZES) {
    test(
      `paged with ${label} to the last page: links right on every page, total equals the entries seen, no claim twice`,
      { tag: TAGS, annotation: [requirement('BB2-FHIR-PAGING-03', 'BB2-FHIR-PAGING-01'), severity('critical')] },
      async ({ claimsFhir, claimsBeneficiary }) => {
        // Validity is the next test's concern; this walk checks the paging only.
        const walk = await walkSearch(claimsFhir, 'ExplanationOfBenefit', params, { validate: false });
        expect(walk.stopped, 'the walk ends on a page without a next link').toBeUndefined();
        expect(walk.total, `${claimsBeneficiary.username} has claims`).toBeGreaterThan(0);
        expect.soft(walk.pagingProblems, 'links, page sizes and totals of every page (BB2-FHIR-PAGING-03)').toEqual([]);
        expect.soft(walk.duplicates, 'claims served twice').toEqual([]);
        expect.soft(walk.resources.length, 'entries seen over all pages = Bundle.total').toBe(walk.total);
        expect.soft(walk.pages.length, `pages of ${size}`).toBe(Math.max(1, Math.ceil((walk.total ?? 0) / size)));
      },
    );

    test(
      `paged with ${label}: every ExplanationOfBenefit received is valid FHIR of the version's release and follows BB2's rules`,
      { tag: TAGS, annotation: [requirement('BB2-FHIR-ID-03', 'BB2-FHIR-DATA-02', 'BB2-FHIR-DATA-05'), ...requirementsPerVersion('validResource', 'claimTypeCodings'), severity('critical')] },
      async ({ claimsFhir, api, claimsBeneficiary }) => {
        const walk = await walkSearch(claimsFhir, 'ExplanationOfBenefit', params, { api, bb2: { patientId: claimsBeneficiary.patient, synthetic: true } });
        expect(walk.stopped).toBeUndefined();
        expect(walk.resources.length, 'EOBs received').toBeGreaterThan(0);
        expect(walk).toHaveNoViolations();
      },
    );
  }
});
