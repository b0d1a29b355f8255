/** The code and identifier systems of BFD's resources that the v1 and v2 builders both work with. */

/** CCW variables: extension urls, coding systems and the codes of BFD's categories. */
export const VARIABLES = 'https://bluebutton.cms.gov/resources/variables/';
export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
export const NDC_SYSTEM = 'http://hl7.org/fhir/sid/ndc';
export const HCPCS_SYSTEM = 'https://bluebutton.cms.gov/resources/codesystem/hcpcs';
export const CLAIM_GROUP_SYSTEM = 'https://bluebutton.cms.gov/resources/identifier/claim-group';
export const ICD10_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';
export const ICD9_SYSTEM = 'http://hl7.org/fhir/sid/icd-9-cm';
