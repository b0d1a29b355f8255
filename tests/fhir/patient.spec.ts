/**
 * Patient read and search (BB2-FHIR-PATH-01, BB2-FHIR-SEARCH-01..02, BB2-FHIR-ACCESS-04, BB2-FHIR-ID-01, BB2-FHIR-IDENTIFIER-*): a beneficiary's token reads exactly
 * their own Patient, valid FHIR of the API version's release (v2: with its C4BB profile) and shaped by
 * BB2 (synthetic bene id, the version's identifier systems — v1 bene_id and hashes, v2 bene_id and a
 * typed us-mbi —, an address trimmed to state and postal code); a search is a Bundle of that one
 * Patient; `_id` of anyone else is 404 before BB2 asks BFD.
 */
import { bundleResources, bundleTotal, resourceId } from '../../lib/fhir/bundle.js';
import { expect, requirement, requirementsPerVersion, severity, test } from '../../fixtures/fhir.js';

const TAGS = ['@fhir'];

test.describe('Patient', () => {
  test(
    "read of the token's own patient is a valid Patient of the version's FHIR release, with that id",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-PATH-01'), ...requirementsPerVersion('validResource'), severity('blocker')] },
    async ({ fhir, api, beneficiaryToken }) => {
      const response = await fhir.read('Patient', beneficiaryToken.patient);
      expect(response.status, response.bodyText.slice(0, 300)).toBe(200);
      expect(response.json).toBeValidFhir(api, 'Patient');
      expect(resourceId(response.json)).toBe(beneficiaryToken.patient);
    },
  );

  test(
    "read follows BB2's rules: synthetic bene id, the version's identifiers, address trimmed to state and postal code",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-ID-01', 'BB2-FHIR-DATA-01'), ...requirementsPerVersion('patientIdentifiers'), severity('critical')] },
    async ({ fhir, api, beneficiaryToken }) => {
      const response = await fhir.read('Patient', beneficiaryToken.patient);
      expect(response.status).toBe(200);
      expect(response.json).toFollowBb2Rules(api, { patientId: beneficiaryToken.patient, synthetic: true });
    },
  );

  test(
    "search without parameters is a searchset Bundle of exactly the own Patient, valid FHIR of the version's release and following BB2 rules",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-SEARCH-01', 'BB2-FHIR-DATA-05', 'BB2-FHIR-ID-01', 'BB2-FHIR-DATA-01'), ...requirementsPerVersion('patientIdentifiers', 'validResource'), severity('critical')] },
    async ({ fhir, api, beneficiaryToken }) => {
      const response = await fhir.search('Patient');
      expect(response.status, response.bodyText.slice(0, 300)).toBe(200);
      expect(response.json).toBeValidFhir(api, 'Bundle');
      expect(response.json).toFollowBb2Rules(api, { patientId: beneficiaryToken.patient, synthetic: true });
      expect(bundleTotal(response.json), 'Bundle.total').toBe(1);
      expect(bundleResources(response.json).map((resource) => `${resource.resourceType}/${String(resource.id)}`)).toEqual([`Patient/${beneficiaryToken.patient}`]);
    },
  );

  test(
    'search with _id of the own patient gives that one Patient',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-SEARCH-02'), severity('normal')] },
    async ({ fhir, beneficiaryToken }) => {
      const response = await fhir.search('Patient', { _id: beneficiaryToken.patient });
      expect(response.status, response.bodyText.slice(0, 300)).toBe(200);
      expect(bundleResources(response.json).map(resourceId)).toEqual([beneficiaryToken.patient]);
    },
  );

  test(
    'search with _id of another patient is 404 "Not found."',
    { tag: [...TAGS, '@security'], annotation: [requirement('BB2-FHIR-ACCESS-04'), severity('critical')] },
    async ({ fhir, claimsBeneficiary }) => {
      const response = await fhir.search('Patient', { _id: claimsBeneficiary.patient });
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ detail: 'Not found.' });
    },
  );
});
