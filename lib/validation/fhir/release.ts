/**
 * The FHIR releases the engine validates, and where each one's data lives. Everything
 * release-specific is here or in schemas/fhir-<release>/; the engine's code is shared.
 */
import { fileURLToPath } from 'node:url';

export type ReleaseName = 'stu3' | 'r4';

export interface FhirRelease {
  readonly name: ReleaseName;
  /** "STU3", "R4": in rule names and messages. */
  readonly label: string;
  readonly fhirVersion: string;
  /** Catalogue id prefix: FHIR-STU3-per-1, FHIR-STU3-JSON-no-null, … */
  readonly requirementPrefix: string;
  /** The specification's pages, for requirement sources. */
  readonly pageBase: string;
  /** schemas/fhir-<release>/ */
  readonly dataDir: string;
}

function dataDir(name: ReleaseName): string {
  return fileURLToPath(new URL(`../../../schemas/fhir-${name}/`, import.meta.url));
}

export const STU3: FhirRelease = {
  name: 'stu3',
  label: 'STU3',
  fhirVersion: '3.0.1',
  requirementPrefix: 'FHIR-STU3',
  pageBase: 'https://hl7.org/fhir/STU3/',
  dataDir: dataDir('stu3'),
};

export const R4: FhirRelease = {
  name: 'r4',
  label: 'R4',
  fhirVersion: '4.0.1',
  requirementPrefix: 'FHIR-R4',
  pageBase: 'https://hl7.org/fhir/R4/',
  dataDir: dataDir('r4'),
};

export const RELEASES: Readonly<Record<ReleaseName, FhirRelease>> = { stu3: STU3, r4: R4 };
