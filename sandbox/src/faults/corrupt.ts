/**
 * Building blocks for the resource-corruption fault modes: a `serveResource` seam that hands out a
 * changed copy of the resources it selects and the untouched original of every other one. Resources
 * from the data module are deep-frozen and shared, so the copy is a structuredClone; the change is a
 * pure function of the resource, so a corrupted sandbox serves the same bytes on every run.
 *
 * The helpers work on STU3 (v1) and R4 (v2) resources alike: a selector sees the API version the
 * resource is served by, and `inApiVersion` narrows any selector to one version (a fault that breaks
 * a rule of one FHIR version only).
 */
import type { FhirBehaviour } from '../fhir/behaviour.js';
import type { ApiVersion, FhirResource } from '../fhir/types.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Chooses the resources a fault changes, by the resource and the API version serving it. */
export type ResourceSelector = (resource: FhirResource, version: ApiVersion) => boolean;

/** A `serveResource` that applies `mutate` to a copy of every resource `select` accepts. */
export function corruptServedResources(select: ResourceSelector, mutate: (copy: JsonRecord) => void): FhirBehaviour['serveResource'] {
  return <T extends FhirResource>(resource: T, version: ApiVersion): T => {
    if (!select(resource, version)) return resource;
    const copy = structuredClone(resource) as unknown as JsonRecord;
    mutate(copy);
    return copy as unknown as T;
  };
}

/** EOB ids are `{claim type}-{claim id}` (BFD, v1 and v2): this selects one claim type. */
export function isEobOfType(claimType: string): ResourceSelector {
  return (resource) => resource.resourceType === 'ExplanationOfBenefit' && resource.id.startsWith(`${claimType}-`);
}

export function isResourceType(resourceType: string): ResourceSelector {
  return (resource) => resource.resourceType === resourceType;
}

/** Narrows a selector to the resources one API version serves (v1: STU3, v2: R4). */
export function inApiVersion(version: ApiVersion, select: ResourceSelector): ResourceSelector {
  return (resource, servedBy) => servedBy === version && select(resource, servedBy);
}

/** The elements of an array-valued element, objects only (absent or malformed elements give none). */
export function recordsIn(value: unknown): JsonRecord[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** Calls `visit` on every object below `root` (arrays included), depth first. */
export function forEachRecord(root: unknown, visit: (record: JsonRecord) => void): void {
  if (Array.isArray(root)) {
    for (const item of root) forEachRecord(item, visit);
  } else if (isRecord(root)) {
    visit(root);
    for (const child of Object.values(root)) forEachRecord(child, visit);
  }
}
