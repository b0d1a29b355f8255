/** Shapes shared by the sandbox's FHIR API, v1 (STU3) and v2 (R4) alike. */
import type { ApiVersion } from '../api-version.js';

export type { ApiVersion };

export const RESOURCE_TYPES = ['Patient', 'Coverage', 'ExplanationOfBenefit'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** A read (`/Patient/{id}`) or a search-type (`/Patient?…`), the two interactions BB2 offers. */
export type Interaction = 'read' | 'search';

/** The parts of a FHIR resource the API layer relies on; the rest passes through untouched. */
export interface FhirResource {
  readonly resourceType: string;
  readonly id: string;
}

/** meta.lastUpdated when the resource has one. */
export function lastUpdatedOf(resource: FhirResource): string | undefined {
  const meta = (resource as { meta?: unknown }).meta;
  if (typeof meta !== 'object' || meta === null) return undefined;
  const updated = (meta as { lastUpdated?: unknown }).lastUpdated;
  return typeof updated === 'string' ? updated : undefined;
}

export interface BundleLink {
  readonly relation: 'first' | 'next' | 'previous' | 'last' | 'self';
  readonly url: string;
}

/** An error response of the FHIR API: DRF's `{"detail": …}` body with its status and extra headers. */
export interface FhirFailure {
  readonly status: number;
  readonly detail: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function failure(status: number, detail: string, headers?: Readonly<Record<string, string>>): FhirFailure {
  return headers === undefined ? { status, detail } : { status, detail, headers };
}

export function isFailure(value: unknown): value is FhirFailure {
  return typeof value === 'object' && value !== null && 'status' in value && 'detail' in value;
}

/** BB2's wording when BFD answers 4xx with an OperationOutcome (BB2-FHIR-ID-04, `BadRequestToBackendError`). */
export function upstreamBadRequest(diagnostics: string): FhirFailure {
  return failure(400, `An error occurred contacting the upstream server:${diagnostics}`);
}

/** A query parameter as BB2 forwards it to BFD, in order; BFD echoes these into the Bundle links. */
export type ForwardedParam = readonly [name: string, value: string];
