/**
 * Coverage search and read (BB2-FHIR-DATA-04, BB2-FHIR-ID-02, BB2-FHIR-PAGING-03): the token's beneficiary has exactly
 * one Coverage per part, part-a to part-d, with ids `part-x-{patient}` and beneficiary
 * `Patient/{patient}`; each reads back by its id.
 */
import { bundleResources, COVERAGE_PARTS, referenceOf, resourceId } from '../../lib/fhir/bundle.js';
import { walkSearch } from '../../lib/fhir/paging.js';
import { expect, requirement, requirementsPerVersion, severity, test } from '../../fixtures/fhir.js';

const TAGS = ['@fhir'];

test.describe('Coverage', () => {
  test(
    "search gives exactly part-a, part-b, part-c and part-d of the token's beneficiary",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-DATA-04', 'BB2-FHIR-ID-02'), severity('blocker')] },
    async ({ fhir, beneficiaryToken }) => {
      const response = await fhir.search('Coverage');
      expect(response.status, response.bodyText.slice(0, 300)).toBe(200);
      const coverages = bundleResources(response.json);
      expect(coverages.map(resourceId).sort()).toEqual(COVERAGE_PARTS.map((part) => `${part}-${beneficiaryToken.patient}`));
      expect(coverages.map((coverage) => referenceOf(coverage, 'beneficiary'))).toEqual(coverages.map(() => `Patient/${beneficiaryToken.patient}`));
    },
  );

  test(
    "search is one page with total 4, links per BB2's paging, valid FHIR of the version's release, following BB2's rules",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-PAGING-03', 'BB2-FHIR-DATA-04', 'BB2-FHIR-DATA-05', 'BB2-FHIR-ID-02', 'BB2-FHIR-DATA-02', 'BB2-FHIR-ID-01'), ...requirementsPerVersion('validResource'), severity('critical')] },
    async ({ fhir, api, beneficiaryToken }) => {
      const walk = await walkSearch(fhir, 'Coverage', {}, { api, bb2: { patientId: beneficiaryToken.patient, synthetic: true } });
      expect(walk.stopped).toBeUndefined();
      expect(walk.total, 'Bundle.total').toBe(COVERAGE_PARTS.length);
      expect(walk.pages).toHaveLength(1);
      expect(walk.pagingProblems).toEqual([]);
      expect(walk).toHaveNoViolations();
    },
  );

  test(
    "each Coverage of the search reads back by its id as a valid Coverage of the version's release, of the same beneficiary",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-PATH-01', 'BB2-FHIR-ID-02', 'BB2-FHIR-DATA-02'), ...requirementsPerVersion('validResource'), severity('critical')] },
    async ({ fhir, api, beneficiaryToken }) => {
      for (const part of COVERAGE_PARTS) {
        const id = `${part}-${beneficiaryToken.patient}`;
        const response = await fhir.read('Coverage', id);
        expect(response.status, `Coverage/${id}: ${response.bodyText.slice(0, 300)}`).toBe(200);
        expect(response.json).toBeValidFhir(api, 'Coverage');
        expect(response.json).toFollowBb2Rules(api, { patientId: beneficiaryToken.patient, synthetic: true });
        expect(resourceId(response.json), `Coverage/${id}`).toBe(id);
        expect(referenceOf(response.json, 'beneficiary'), `Coverage/${id} beneficiary`).toBe(`Patient/${beneficiaryToken.patient}`);
      }
    },
  );
});
