/**
 * The FHIR API version as a dimension of the FHIR module. BB2 serves v1 and v2 through the same views
 * and rules (routing, paging, errors, throttling: index.ts, behaviour.ts); what differs is the data BFD
 * returns and BFD's CapabilityStatement, given here per version.
 */
import type { ApiVersion } from '../api-version.js';
import { R4_DATA, STU3_DATA, type FhirData } from '../data/index.js';
import { loadBfdCapabilityStatement, type JsonObject } from './capability.js';
import { hapiDateTime } from './dates.js';
import type { FhirResource } from './types.js';

export interface FhirApiVersion {
  readonly version: ApiVersion;
  /** The synthetic data as BFD renders it for this version. */
  readonly data: FhirData;
  /** BFD's CapabilityStatement for this version, before BB2's edits. */
  readonly bfdStatement: JsonObject;
  /** What BFD writes into a resource when it answers, rather than from the data. */
  atRequestTime<T extends FhirResource>(resource: T, now: number): T;
}

function asStored<T extends FhirResource>(resource: T): T {
  return resource;
}

/**
 * BFD's v2 transformers set ExplanationOfBenefit.created to the time of the transformation
 * (TransformerUtilsV2: eob.setCreated(new Date())), so every response shows the time of the request.
 * A shallow copy keeps the key order and shares the (frozen) rest of the resource.
 */
function r4AtRequestTime<T extends FhirResource>(resource: T, now: number): T {
  if (resource.resourceType !== 'ExplanationOfBenefit' || !('created' in resource)) return resource;
  return { ...resource, created: hapiDateTime(now) };
}

export function fhirApiVersions(baseUrl: string, startedAt: Date): ReadonlyMap<ApiVersion, FhirApiVersion> {
  return new Map<ApiVersion, FhirApiVersion>([
    [1, { version: 1, data: STU3_DATA, bfdStatement: loadBfdCapabilityStatement(1, baseUrl, startedAt), atRequestTime: asStored }],
    [2, { version: 2, data: R4_DATA, bfdStatement: loadBfdCapabilityStatement(2, baseUrl, startedAt), atRequestTime: r4AtRequestTime }],
  ]);
}
