/**
 * The `type` search parameter of ExplanationOfBenefit (BB2-FHIR-SEARCH-03..04, BB2-FHIR-ID-03, BB2-FHIR-DATA-03): each of
 * BFD's eight claim types selects exactly the beneficiary's claims of that type (id prefix and eob-type
 * coding agree), with or without the eob-type system; an unknown type is BB2's 400. Each type's
 * claims read back by id. The reference is the beneficiary's whole unfiltered list (`claimsEobs`).
 *
 * The embedded sandbox's claims users have claims of all eight types, so there every type must return
 * something; on the real sandbox a type the user has no claims of may be empty.
 */
import { CLAIM_TYPES, claimTypeOfId, describe, EOB_TYPE_SYSTEM, eobTypeCodes, resourceId, type FhirResource } from '../../lib/fhir/bundle.js';
import { walkSearch } from '../../lib/fhir/paging.js';
import { expect, requirement, requirementsPerVersion, severity, test } from '../../fixtures/fhir.js';

const TAGS = ['@fhir'];

function idsOf(resources: readonly FhirResource[]): string[] {
  return resources.map((resource) => resourceId(resource) ?? '(no id)').sort();
}

/** EOBs whose id prefix or eob-type coding is not `type`. */
function notOfType(resources: readonly FhirResource[], type: string): string[] {
  return resources
    .filter((resource) => claimTypeOfId(resourceId(resource) ?? '') !== type || eobTypeCodes(resource).join() !== type)
    .map((resource) => `${describe(resource)} (eob-type ${eobTypeCodes(resource).join(',') || 'missing'})`);
}

test.describe('ExplanationOfBenefit type', () => {
  for (const type of CLAIM_TYPES) {
    test(
      `type=${type} returns exactly the beneficiary's ${type} claims`,
      { tag: TAGS, annotation: [requirement('BB2-FHIR-SEARCH-03', 'BB2-FHIR-PAGING-03', 'BB2-FHIR-ID-03', 'BB2-FHIR-DATA-02'), ...requirementsPerVersion('validResource', 'claimTypeCodings'), severity('critical')] },
      async ({ claimsFhir, api, claimsBeneficiary, claimsEobs, target }) => {
        const expected = claimsEobs.filter((eob) => claimTypeOfId(resourceId(eob) ?? '') === type);
        if (target.kind === 'embedded') {
          expect(expected.length, `${claimsBeneficiary.username} has ${type} claims on the embedded sandbox`).toBeGreaterThan(0);
        }
        const walk = await walkSearch(claimsFhir, 'ExplanationOfBenefit', { type, _count: 50 }, { api, bb2: { patientId: claimsBeneficiary.patient, synthetic: true } });
        expect(walk.stopped).toBeUndefined();
        expect.soft(notOfType(walk.resources, type), `entries that are not ${type}`).toEqual([]);
        expect.soft(idsOf(walk.resources), `the ${type} claims of the unfiltered search`).toEqual(idsOf(expected));
        expect.soft(walk.total, 'Bundle.total').toBe(expected.length);
        expect.soft(walk.pagingProblems, 'paging links keep type= (BB2-FHIR-PAGING-03)').toEqual([]);
        expect.soft(walk).toHaveNoViolations();
      },
    );
  }

  test(
    'type with the eob-type system (system|code) selects that type',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-SEARCH-03'), severity('normal')] },
    async ({ claimsFhir, claimsEobs }) => {
      const walk = await walkSearch(claimsFhir, 'ExplanationOfBenefit', { type: `${EOB_TYPE_SYSTEM}|pde`, _count: 50 }, { validate: false });
      expect(walk.stopped).toBeUndefined();
      expect(notOfType(walk.resources, 'pde')).toEqual([]);
      expect(idsOf(walk.resources)).toEqual(idsOf(claimsEobs.filter((eob) => claimTypeOfId(resourceId(eob) ?? '') === 'pde')));
    },
  );

  test(
    'a comma-separated type list selects the union of those types',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-SEARCH-03'), severity('normal')] },
    async ({ claimsFhir, claimsEobs }) => {
      const walk = await walkSearch(claimsFhir, 'ExplanationOfBenefit', { type: 'carrier,pde', _count: 50 }, { validate: false });
      expect(walk.stopped).toBeUndefined();
      const expected = claimsEobs.filter((eob) => ['carrier', 'pde'].includes(claimTypeOfId(resourceId(eob) ?? '') ?? ''));
      expect(idsOf(walk.resources)).toEqual(idsOf(expected));
    },
  );

  test(
    'an unknown type is refused with 400 "the type parameter value is not valid"',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-SEARCH-04'), severity('normal')] },
    async ({ claimsFhir }) => {
      const response = await claimsFhir.search('ExplanationOfBenefit', { type: 'professional' });
      expect(response.status, response.bodyText.slice(0, 300)).toBe(400);
      expect(response.json).toEqual({ detail: 'the type parameter value is not valid' });
    },
  );

  test(
    "one claim of each type found reads back by id as a valid ExplanationOfBenefit of that type and of the version's release",
    { tag: TAGS, annotation: [requirement('BB2-FHIR-PATH-01', 'BB2-FHIR-ID-03', 'BB2-FHIR-DATA-02'), ...requirementsPerVersion('validResource', 'claimTypeCodings'), severity('critical')] },
    async ({ claimsFhir, api, claimsBeneficiary, claimsEobs, target }) => {
      const typesFound = CLAIM_TYPES.filter((type) => claimsEobs.some((eob) => claimTypeOfId(resourceId(eob) ?? '') === type));
      if (target.kind === 'embedded') expect(typesFound, `${claimsBeneficiary.username}'s claim types`).toEqual([...CLAIM_TYPES]);
      expect(typesFound.length, 'claim types to read').toBeGreaterThan(0);
      for (const type of typesFound) {
        const id = resourceId(claimsEobs.find((eob) => claimTypeOfId(resourceId(eob) ?? '') === type)) as string;
        const response = await claimsFhir.read('ExplanationOfBenefit', id);
        expect.soft(response.status, `ExplanationOfBenefit/${id}: ${response.bodyText.slice(0, 200)}`).toBe(200);
        expect.soft(resourceId(response.json), `ExplanationOfBenefit/${id}`).toBe(id);
        expect.soft(eobTypeCodes(response.json), `ExplanationOfBenefit/${id} eob-type`).toEqual([type]);
        expect.soft(response.json).toBeValidFhir(api, 'ExplanationOfBenefit');
        expect.soft(response.json).toFollowBb2Rules(api, { patientId: claimsBeneficiary.patient, synthetic: true });
      }
    },
  );
});
