/**
 * How a vendored profile maps to the requirement catalogue (requirements/c4bb.json, us-core.json,
 * format in requirements/README.md): one id for conformance to the profile, one per invariant it
 * introduces; each entry cites the profile's page in the published IG. scripts/vendor-profiles.ts
 * writes the entries with these ids; the validator's violations carry them.
 */
import type { PackageName } from './conformance.js';

const IG_PAGES: Record<PackageName, string> = {
  'hl7.fhir.us.carin-bb': 'http://hl7.org/fhir/us/carin-bb/STU1.1',
  'hl7.fhir.us.core': 'http://hl7.org/fhir/us/core/STU3.1.1',
};

/** The profile's page in the published IG, e.g. http://hl7.org/fhir/us/carin-bb/STU1.1/StructureDefinition-C4BB-Coverage.html. */
export function profilePageUrl(packageName: PackageName, profileId: string): string {
  return `${IG_PAGES[packageName]}/StructureDefinition-${profileId}.html`;
}

/** C4BB-Patient -> "C4BB-Patient"; us-core-patient -> "USCORE-Patient". */
export function profileRequirementId(packageName: PackageName, profileId: string): string {
  if (packageName === 'hl7.fhir.us.carin-bb') return profileId;
  const name = profileId.replace(/^us-core-/, '');
  return `USCORE-${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

/** "C4BB-ExplanationOfBenefit-EOB-insurance-focal", "USCORE-Patient-us-core-8". */
export function invariantRequirementId(packageName: PackageName, profileId: string, key: string): string {
  return `${profileRequirementId(packageName, profileId)}-${key}`;
}
