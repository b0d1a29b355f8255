/**
 * A token reaches its own beneficiary's data only (BB2-FHIR-ACCESS-01..03): another
 * beneficiary's Patient, Coverage and ExplanationOfBenefit are "Not found." (404); a search naming
 * another beneficiary returns the token's own data (BB2 overrides the subject) or 403. The other
 * beneficiary is the worker's claims user, whose ids come from their own token.
 */
import { bundleResources, bundleTotal, COVERAGE_PARTS, describe, referenceOf, resourceId, type FhirResource } from '../../lib/fhir/bundle.js';
import { expect, requirement, severity, test, type HttpResult } from '../../fixtures/fhir.js';

const TAGS = ['@fhir', '@security'];
const NOT_FOUND = { detail: 'Not found.' };
const NO_PERMISSION = { detail: 'You do not have permission to perform this action.' };

/** Entries whose reference element is not the token's patient. */
function notOwn(resources: readonly FhirResource[], element: string, patient: string): string[] {
  return resources.filter((resource) => referenceOf(resource, element) !== `Patient/${patient}`).map(describe);
}

/** BB2 lets a search naming someone else either answer for the token's own patient or refuse with 403 (BB2-FHIR-ACCESS-03). */
function expectOwnDataOrForbidden(response: HttpResult, element: string, patient: string, ownTotal: number | undefined): void {
  if (response.status === 403) {
    expect(response.json).toEqual(NO_PERMISSION);
    return;
  }
  expect(response.status, `200 with the own data, or 403: ${response.bodyText.slice(0, 200)}`).toBe(200);
  expect(notOwn(bundleResources(response.json), element, patient), `entries of another beneficiary`).toEqual([]);
  expect(bundleTotal(response.json), 'Bundle.total of the own search').toBe(ownTotal);
}

test.describe("another beneficiary's data", () => {
  test(
    "a read of another beneficiary's Patient is 404 \"Not found.\"",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-ACCESS-01'), severity('blocker')] },
    async ({ fhir, claimsBeneficiary }) => {
      const response = await fhir.read('Patient', claimsBeneficiary.patient);
      expect(response.status).toBe(404);
      expect(response.json).toEqual(NOT_FOUND);
    },
  );

  test(
    "reads of another beneficiary's Coverage parts are 404 \"Not found.\"",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-ACCESS-02'), severity('blocker')] },
    async ({ fhir, claimsBeneficiary }) => {
      for (const part of COVERAGE_PARTS) {
        const response = await fhir.read('Coverage', `${part}-${claimsBeneficiary.patient}`);
        expect(response.status, `Coverage/${part}-${claimsBeneficiary.patient}`).toBe(404);
        expect(response.json).toEqual(NOT_FOUND);
      }
    },
  );

  test(
    "a read of another beneficiary's ExplanationOfBenefit is 404 \"Not found.\"",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-ACCESS-02'), severity('blocker')] },
    async ({ fhir, claimsEobs }) => {
      const others = [claimsEobs[0], claimsEobs[claimsEobs.length - 1]].flatMap((eob) => resourceId(eob) ?? []);
      expect(others.length, "the other beneficiary's claims").toBeGreaterThan(0);
      for (const id of others) {
        const response = await fhir.read('ExplanationOfBenefit', id);
        expect(response.status, `ExplanationOfBenefit/${id}`).toBe(404);
        expect(response.json).toEqual(NOT_FOUND);
      }
    },
  );

  test(
    "a Coverage search with another beneficiary's reference gives the token's own Coverage, or 403",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-ACCESS-03'), severity('blocker')] },
    async ({ fhir, beneficiaryToken, claimsBeneficiary }) => {
      const own = await fhir.search('Coverage');
      const response = await fhir.search('Coverage', { beneficiary: `Patient/${claimsBeneficiary.patient}` });
      expectOwnDataOrForbidden(response, 'beneficiary', beneficiaryToken.patient, bundleTotal(own.json));
    },
  );

  test(
    "an ExplanationOfBenefit search with another beneficiary's patient gives the token's own claims, or 403",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-ACCESS-03'), severity('blocker')] },
    async ({ fhir, beneficiaryToken, claimsBeneficiary }) => {
      const own = await fhir.search('ExplanationOfBenefit');
      for (const patient of [claimsBeneficiary.patient, `Patient/${claimsBeneficiary.patient}`]) {
        const response = await fhir.search('ExplanationOfBenefit', { patient });
        expectOwnDataOrForbidden(response, 'patient', beneficiaryToken.patient, bundleTotal(own.json));
      }
    },
  );
});
