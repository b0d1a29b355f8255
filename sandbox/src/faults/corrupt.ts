/**
 * Building blocks for the resource-corruption fault modes: a `serveResource` seam that hands out a
 * changed copy of the resources it selects and the untouched original of every other one. Resources
 * from the data module are deep-frozen and shared, so the copy is a structuredClone; the change is a
 * pure function of the resource, so a corrupted sandbox serves the same bytes on every run.
 */
import type { FhirBehaviour } from '../fhir/behaviour.js';
import type { FhirResource } from '../fhir/types.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A `serveResource` that applies `mutate` to a copy of every resource `select` accepts. */
export function corruptServedResources(
  select: (resource: FhirResource) => boolean,
  mutate: (copy: JsonRecord) => void,
): FhirBehaviour['serveResource'] {
  return <T extends FhirResource>(resource: T): T => {
    if (!select(resource)) return resource;
    const copy = structuredClone(resource) as unknown as JsonRecord;
    mutate(copy);
    return copy as unknown as T;
  };
}

/** EOB ids are `{claim type}-{claim id}` (BFD): this selects one claim type. */
export function isEobOfType(claimType: string): (resource: FhirResource) => boolean {
  return (resource) => resource.resourceType === 'ExplanationOfBenefit' && resource.id.startsWith(`${claimType}-`);
}

export function isResourceType(resourceType: string): (resource: FhirResource) => boolean {
  return (resource) => resource.resourceType === resourceType;
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
