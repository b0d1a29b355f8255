/**
 * Reading BB2 resources (v1 STU3, v2 R4) and searchset Bundles as the specs need them: entries, links, the
 * paging parameters in a link, an EOB's claim type and service date. Everything takes `unknown` (a
 * response body as received) and never throws: a malformed body gives undefined or an empty list,
 * and the checks that use these helpers report what is missing.
 */
import { isJsonObject, type JsonObject } from '../validation/violation.js';

export type { JsonObject } from '../validation/violation.js';

/** A FHIR resource as received: at least a resourceType; id when the server gave one. */
export type FhirResource = JsonObject & { readonly resourceType: string; readonly id?: unknown };

export interface BundleLink {
  readonly relation: string;
  readonly url: string;
}

/** The three resource types BB2 v1 and v2 serve (BB2-FHIR-PATH-01). */
export const BB2_RESOURCE_TYPES = ['Patient', 'Coverage', 'ExplanationOfBenefit'] as const;
export type Bb2ResourceType = (typeof BB2_RESOURCE_TYPES)[number];

/** BFD's claim types, the id prefixes of ExplanationOfBenefit resources (BB2-FHIR-ID-03). */
export const CLAIM_TYPES = ['carrier', 'dme', 'hha', 'hospice', 'inpatient', 'outpatient', 'pde', 'snf'] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];

/** The Coverage parts BFD returns per beneficiary (BB2-FHIR-ID-02, BB2-FHIR-DATA-04). */
export const COVERAGE_PARTS = ['part-a', 'part-b', 'part-c', 'part-d'] as const;

export const EOB_TYPE_SYSTEM = 'https://bluebutton.cms.gov/resources/codesystem/eob-type';

/** BB2's page size when the client sends no `_count` (BB2-FHIR-PAGING-01). */
export const DEFAULT_PAGE_SIZE = 10;
/** The largest `_count` BB2 accepts (BB2-FHIR-PAGING-01). */
export const MAX_PAGE_SIZE = 50;

export function isResource(value: unknown): value is FhirResource {
  return isJsonObject(value) && typeof value.resourceType === 'string';
}

export function isBundle(value: unknown): value is FhirResource & { readonly resourceType: 'Bundle' } {
  return isResource(value) && value.resourceType === 'Bundle';
}

/** The resources of a Bundle's entries, in order; entries without a resource are skipped. */
export function bundleResources(bundle: unknown): FhirResource[] {
  if (!isBundle(bundle) || !Array.isArray(bundle.entry)) return [];
  return bundle.entry.flatMap((entry: unknown) => (isJsonObject(entry) && isResource(entry.resource) ? [entry.resource] : []));
}

/** The Bundle's links that have a string relation and url. */
export function bundleLinks(bundle: unknown): BundleLink[] {
  if (!isBundle(bundle) || !Array.isArray(bundle.link)) return [];
  return bundle.link.flatMap((link: unknown) =>
    isJsonObject(link) && typeof link.relation === 'string' && typeof link.url === 'string' ? [{ relation: link.relation, url: link.url }] : [],
  );
}

/** The url of the Bundle's first link with this relation. */
export function linkUrl(bundle: unknown, relation: string): string | undefined {
  return bundleLinks(bundle).find((link) => link.relation === relation)?.url;
}

/** Bundle.total when it is a non-negative integer. */
export function bundleTotal(bundle: unknown): number | undefined {
  if (!isBundle(bundle)) return undefined;
  const total = bundle.total;
  return typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : undefined;
}

export function resourceId(resource: unknown): string | undefined {
  return isJsonObject(resource) && typeof resource.id === 'string' ? resource.id : undefined;
}

/** "ExplanationOfBenefit/carrier--123" for messages. */
export function describe(resource: unknown): string {
  if (!isResource(resource)) return 'a non-resource';
  const id = resourceId(resource);
  return id === undefined ? resource.resourceType : `${resource.resourceType}/${id}`;
}

/**
 * A whole-number query parameter as BB2 reads it (an optional sign and digits), or undefined when the
 * parameter is absent or not such a number.
 */
export function integerParam(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  return value !== null && /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** The query of a URL; undefined when the text is not an absolute URL. */
export function queryOf(url: string): URLSearchParams | undefined {
  return URL.canParse(url) ? new URL(url).searchParams : undefined;
}

/** The claim type an EOB's id starts with (`carrier--123` → carrier), if it is one of BFD's. */
export function claimTypeOfId(id: string): ClaimType | undefined {
  const prefix = id.slice(0, Math.max(0, id.indexOf('-'))).toLowerCase();
  return (CLAIM_TYPES as readonly string[]).includes(prefix) ? (prefix as ClaimType) : undefined;
}

/** The codes of an EOB's `type.coding` in the eob-type system, lower-cased (`CARRIER` → carrier). */
export function eobTypeCodes(eob: unknown): string[] {
  if (!isJsonObject(eob) || !isJsonObject(eob.type) || !Array.isArray(eob.type.coding)) return [];
  return eob.type.coding.flatMap((coding: unknown) =>
    isJsonObject(coding) && coding.system === EOB_TYPE_SYSTEM && typeof coding.code === 'string' ? [coding.code.toLowerCase()] : [],
  );
}

/**
 * The date BFD's `service-date` search compares: the claim's through date, which v1 and v2 EOBs carry as
 * billablePeriod.end; Part D events have no billable period, so their fill date (item.servicedDate).
 * Hand-written: a two-field lookup.
 */
export function serviceEndDate(eob: unknown): string | undefined {
  if (!isJsonObject(eob)) return undefined;
  const period = eob.billablePeriod;
  if (isJsonObject(period) && typeof period.end === 'string') return period.end;
  const items = Array.isArray(eob.item) ? eob.item : [];
  const served = items.find((item: unknown) => isJsonObject(item) && typeof item.servicedDate === 'string') as JsonObject | undefined;
  return served?.servicedDate as string | undefined;
}

export function lastUpdated(resource: unknown): string | undefined {
  if (!isJsonObject(resource) || !isJsonObject(resource.meta)) return undefined;
  return typeof resource.meta.lastUpdated === 'string' ? resource.meta.lastUpdated : undefined;
}

/** A reference's string, e.g. Coverage.beneficiary.reference. */
export function referenceOf(resource: unknown, element: string): string | undefined {
  if (!isJsonObject(resource)) return undefined;
  const value = resource[element];
  return isJsonObject(value) && typeof value.reference === 'string' ? value.reference : undefined;
}
