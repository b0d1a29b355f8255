/**
 * The suite's FHIR client and paging walker for BB2 v1 (the BB2-FHIR-* requirements): `createFhirClient`
 * for reads and searches, `walkSearch` to follow `next` from the first page to the last, checking
 * every page, and helpers to read Bundles, EOB claim types and FHIR date filters.
 */
export * from './bundle.js';
export * from './client.js';
export * from './dates.js';
export * from './paging.js';
