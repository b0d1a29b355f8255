/**
 * Media types of the FHIR API (BB2-FHIR-HEADER-01..03, BB2-FHIR-ERROR-01): without an Accept header a FHIR
 * response is JSON — application/json or application/fhir+json, as BB2's DRF renderer order decides;
 * `Accept: application/fhir+json` gives exactly that type and `Accept: application/json` plain JSON.
 * Error bodies are DRF's JSON `{"detail": "…"}`, not OperationOutcome.
 */
import { expect, requirement, severity, test, type HttpResult } from '../../fixtures/fhir.js';

const TAGS = ['@fhir'];
const ANY_JSON = /^application\/(fhir\+)?json\s*(;|$)/;

function mediaType(response: HttpResult): string {
  return (response.contentType ?? '(none)').split(';')[0]?.trim() ?? '';
}

test.describe('FHIR media types', () => {
  test(
    'without an Accept header, reads and searches answer JSON (application/json or application/fhir+json)',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-HEADER-01'), severity('critical')] },
    async ({ fhir, beneficiaryToken }) => {
      for (const response of [await fhir.read('Patient', beneficiaryToken.patient), await fhir.search('Coverage'), await fhir.search('ExplanationOfBenefit')]) {
        expect(response.status, response.url).toBe(200);
        expect(response.contentType, response.url).toMatch(ANY_JSON);
        expect(response.json, `${response.url} parses as JSON`).toBeDefined();
      }
    },
  );

  test(
    'Accept: application/fhir+json gives Content-Type application/fhir+json',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-HEADER-02'), severity('normal')] },
    async ({ fhir, beneficiaryToken }) => {
      const accept = { accept: 'application/fhir+json' };
      for (const response of [await fhir.read('Patient', beneficiaryToken.patient, accept), await fhir.search('ExplanationOfBenefit', {}, accept)]) {
        expect(response.status, response.url).toBe(200);
        expect(mediaType(response), response.url).toBe('application/fhir+json');
      }
    },
  );

  test(
    'Accept: application/json gives Content-Type application/json',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-HEADER-03'), severity('normal')] },
    async ({ fhir }) => {
      const response = await fhir.search('Coverage', {}, { accept: 'application/json' });
      expect(response.status).toBe(200);
      expect(mediaType(response)).toBe('application/json');
    },
  );

  test(
    'error bodies are JSON objects with a single string "detail" (401, 404, 400)',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-ERROR-01'), severity('normal')] },
    async ({ fhir, fhirAs, claimsBeneficiary }) => {
      const errors = [
        await fhirAs(null).search('Coverage'),
        await fhir.read('Patient', claimsBeneficiary.patient),
        await fhir.search('ExplanationOfBenefit', { _count: 51 }),
      ];
      expect(errors.map((response) => response.status)).toEqual([401, 404, 400]);
      for (const response of errors) {
        expect(response.contentType, `${response.status} ${response.url}`).toMatch(ANY_JSON);
        expect(response.json, `${response.status} ${response.url}`).toEqual({ detail: expect.any(String) });
      }
    },
  );
});
