/**
 * BB2's API versions, one path family each: v1 (/v1/o/…, /v1/fhir/…, FHIR STU3) and v2 (/v2/o/…,
 * /v2/fhir/…, FHIR R4 with the CARIN Blue Button profiles) (bb2-sandbox-facts.md §1.1, §4.1).
 */
export type ApiVersion = 1 | 2;

export const API_VERSIONS: readonly ApiVersion[] = [1, 2];
