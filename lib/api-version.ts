/**
 * BB2's API versions as the suite sees them, and what differs between them, as data: one spec runs
 * against either version and reads its version's expectations from here (the `api` fixture), instead
 * of a copy of the spec per version.
 *
 *   v1  /v1/o/…, /v1/fhir/…: FHIR STU3 (3.0.x), BB2's v1 rules (bene_id, mbi-hash, hicn-hash identifiers)
 *   v2  /v2/o/…, /v2/fhir/…: FHIR R4 (4.0.x) with the CARIN Blue Button profiles, BB2's v2 rules
 *       (bene_id and us-mbi identifiers with their types, no hashes; the HL7 claim-type coding)
 *
 * The rules themselves stay where they are kept as data: schemas/bb2-rules.json (each rule names the
 * versions it applies to), schemas/bb2-v2-profiles.json (the C4BB profile per resource and claim type)
 * and the FHIR release's definitions (schemas/fhir-stu3/, schemas/fhir-r4/). Here: which release
 * validates a version, what its CapabilityStatement declares, and which catalogue requirements a check
 * verifies in each version (`requirementsPerVersion` in fixtures/annotations.ts).
 */
import type { ReleaseName } from './validation/fhir/release.js';

export type ApiVersion = 'v1' | 'v2';

/** Every version, in the order runs and reports list them. */
export const API_VERSIONS: readonly ApiVersion[] = ['v1', 'v2'];

export function isApiVersion(value: unknown): value is ApiVersion {
  return value === 'v1' || value === 'v2';
}

/**
 * The catalogue ids a kind of check verifies in each version. A check cites a key with
 * `requirementsPerVersion('validResource')`; the reports and the self-test read the ids of the
 * version the check ran in.
 */
export interface VersionRequirements {
  /** Every resource served is valid FHIR of the version's release (and, v2, its C4BB profiles). */
  readonly validResource: readonly string[];
  /** The CapabilityStatement declares the version's FHIR release. */
  readonly metadataFhirVersion: readonly string[];
  /** Patient.identifier: the version's systems and their shapes. */
  readonly patientIdentifiers: readonly string[];
  /** ExplanationOfBenefit.type: the codings that name the claim type. */
  readonly claimTypeCodings: readonly string[];
}

export type VersionRequirementKey = keyof VersionRequirements;

export interface ApiVersionSpec {
  readonly name: ApiVersion;
  /** "v2 (FHIR R4)": the version as the reports label it. */
  readonly label: string;
  /** The validator's release (lib/validation/fhir/release.ts). */
  readonly release: ReleaseName;
  /** "R4": in titles and messages. */
  readonly releaseLabel: string;
  /** CapabilityStatement.fhirVersion of the version's metadata (BFD: 3.0.2 and 4.0.1; BB2's own v2 fixture says 4.0.0). */
  readonly fhirVersion: RegExp;
  readonly fhirVersionText: string;
  /** BB2's /testclient/ result pages of this version. */
  readonly testClient: {
    /** The number their heading shows: "Response (Patient), API version: 2". */
    readonly version: number;
    /** `/testclient/Patient` (v1), `/testclient/PatientV2` (v2). */
    readonly pageSuffix: string;
    /**
     * Whether the home page links them after "Get a Sample Authorization Token" (which authorizes on v2,
     * as BB2's does); the v1 pages are reached by their URL, which BB2 keeps serving.
     */
    readonly linkedFromHome: boolean;
  };
  readonly requirements: VersionRequirements;
}

export const API_VERSION_SPECS: Readonly<Record<ApiVersion, ApiVersionSpec>> = {
  v1: {
    name: 'v1',
    label: 'v1 (FHIR STU3)',
    release: 'stu3',
    releaseLabel: 'STU3',
    fhirVersion: /^3\.0\.\d+$/,
    fhirVersionText: '3.0.x',
    testClient: { version: 1, pageSuffix: '', linkedFromHome: false },
    requirements: {
      validResource: ['BB2-FHIR-STU3-01'],
      metadataFhirVersion: ['BB2-DISCOVERY-METADATA-02'],
      patientIdentifiers: ['BB2-FHIR-IDENTIFIER-01', 'BB2-FHIR-IDENTIFIER-02', 'BB2-FHIR-IDENTIFIER-03'],
      claimTypeCodings: ['BB2-FHIR-DATA-03'],
    },
  },
  v2: {
    name: 'v2',
    label: 'v2 (FHIR R4)',
    release: 'r4',
    releaseLabel: 'R4',
    fhirVersion: /^4\.0\.\d+$/,
    fhirVersionText: '4.0.x',
    testClient: { version: 2, pageSuffix: 'V2', linkedFromHome: true },
    requirements: {
      validResource: ['BB2-FHIR-R4-01', 'BB2-FHIR-V2PROFILE-01'],
      metadataFhirVersion: ['BB2-DISCOVERY-METADATA-07'],
      patientIdentifiers: ['BB2-FHIR-IDENTIFIER-04', 'BB2-FHIR-IDENTIFIER-02', 'BB2-FHIR-IDENTIFIER-05'],
      claimTypeCodings: ['BB2-FHIR-DATA-03', 'BB2-FHIR-DATA-06'],
    },
  },
};

export function apiVersionSpec(version: ApiVersion): ApiVersionSpec {
  return API_VERSION_SPECS[version];
}

/** Tag of a check that verifies one version only (`@v2`): only that version's project runs it. */
export function versionTag(version: ApiVersion): string {
  return `@${version}`;
}

/**
 * Tag of a check whose subject is the same whatever the version: one project runs it (lib/version-projects.ts).
 * Such are the OpenID configuration every discovery path serves, the test client's deny path, and the
 * OAuth request handling behind `/v1/o/` and `/v2/o/` (authorize and consent, token, revoke, introspect),
 * which BB2 routes to the same view classes with the same arguments (`AuthorizationView.as_view(version=2)`
 * on both paths): https://github.com/CMSgov/bluebutton-web-server/blob/ba0c6856a51c13bd849da2fcc0d6e44eed08dc73/apps/dot_ext/urls.py
 * and .../apps/dot_ext/v2/urls.py. What does depend on the version stays in both projects: the token
 * response (its `patient` is the version's), refresh, userinfo, and every FHIR read with the tokens.
 */
export const VERSION_INDEPENDENT_TAG = '@version-independent';

/**
 * The version a run uses where it needs one (the token script, the sweep) and whose project runs the
 * version-independent checks lib/version-projects.ts does not give the other: v2 when it is configured
 * (the version CMS points every new app to), else v1.
 */
export function primaryApiVersion(versions: readonly ApiVersion[]): ApiVersion {
  return versions.includes('v2') || versions.length === 0 ? 'v2' : 'v1';
}
