/**
 * Ids and types the FHIR API does not serve (BB2-FHIR-ID-04..05, BB2-FHIR-PATH-02, BB2-FHIR-ACCESS-01): unknown ids are
 * "Not found." (404); ids BFD cannot parse are 400 with a detail; types other than Patient, Coverage
 * and ExplanationOfBenefit have no route (404).
 */
import { expect, requirement, severity, test } from '../../fixtures/fhir.js';

const TAGS = ['@fhir'];
const NOT_FOUND = { detail: 'Not found.' };

test.describe('FHIR ids and resource types', () => {
  test(
    'unknown Patient, Coverage and ExplanationOfBenefit ids are 404 "Not found."',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-ID-05'), severity('critical')] },
    async ({ fhir }) => {
      for (const [resourceType, id] of [
        ['Patient', '-99999999999999'],
        ['Coverage', 'part-a--99999999999999'],
        ['ExplanationOfBenefit', 'carrier--99999999999999'],
      ] as const) {
        const response = await fhir.read(resourceType, id);
        expect(response.status, `${resourceType}/${id}: ${response.bodyText.slice(0, 200)}`).toBe(404);
        expect(response.json, `${resourceType}/${id}`).toEqual(NOT_FOUND);
      }
    },
  );

  test(
    'Coverage and ExplanationOfBenefit ids that do not fit BFD\'s id patterns are 400 with a detail',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-ID-04'), severity('normal')] },
    async ({ fhir, beneficiaryToken }) => {
      for (const [resourceType, id] of [
        ['Coverage', `part-d___-${beneficiaryToken.patient}`],
        ['ExplanationOfBenefit', 'carrier_12345'],
      ] as const) {
        const response = await fhir.read(resourceType, id);
        expect(response.status, `${resourceType}/${id}: ${response.bodyText.slice(0, 200)}`).toBe(400);
        expect(response.json, `${resourceType}/${id}`).toEqual({ detail: expect.any(String) });
      }
    },
  );

  test(
    'a Patient id that is not the token\'s patient is 404 even when it is not a number',
    { tag: [...TAGS, '@security'], annotation: [requirement('BB2-FHIR-ACCESS-01'), severity('minor')] },
    async ({ fhir }) => {
      const response = await fhir.read('Patient', 'not-a-patient-id');
      expect(response.status).toBe(404);
      expect(response.json).toEqual(NOT_FOUND);
    },
  );

  test(
    'a resource type BB2 does not serve (Observation) is 404',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-PATH-02'), severity('normal')] },
    async ({ fhir }) => {
      for (const response of [await fhir.search('Observation'), await fhir.read('Observation', '1')]) {
        expect(response.status, response.url).toBe(404);
      }
    },
  );
});
