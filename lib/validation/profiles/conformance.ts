/**
 * The vendored conformance resources (schemas/c4bb/, schemas/us-core/: StructureDefinitions,
 * ValueSets, CodeSystems copied byte for byte from the HL7 packages by scripts/vendor-profiles.ts),
 * loaded once and looked up by canonical URL. Only the fields the validator reads are typed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VENDORED_FOLDERS = {
  'hl7.fhir.us.carin-bb': fileURLToPath(new URL('../../../schemas/c4bb/', import.meta.url)),
  'hl7.fhir.us.core': fileURLToPath(new URL('../../../schemas/us-core/', import.meta.url)),
} as const;
export type PackageName = keyof typeof VENDORED_FOLDERS;

export interface TypeRef {
  code: string;
  profile?: string[];
  targetProfile?: string[];
}

export interface Discriminator {
  type: 'value' | 'pattern' | 'type' | 'exists' | 'profile';
  path: string;
}

export interface Constraint {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  expression?: string;
  source?: string;
}

export interface ElementDefinition {
  id: string;
  path: string;
  sliceName?: string;
  min?: number;
  max?: string;
  type?: TypeRef[];
  contentReference?: string;
  slicing?: { discriminator?: Discriminator[]; rules?: 'open' | 'closed' | 'openAtEnd'; ordered?: boolean };
  binding?: { strength: 'required' | 'extensible' | 'preferred' | 'example'; valueSet?: string };
  constraint?: Constraint[];
  /** fixed[x] and pattern[x] live under type-suffixed keys (fixedUri, patternCodeableConcept, …). */
  [key: string]: unknown;
}

export interface StructureDefinition {
  resourceType: 'StructureDefinition';
  url: string;
  id: string;
  name: string;
  title?: string;
  version?: string;
  type: string;
  kind: string;
  baseDefinition?: string;
  snapshot: { element: ElementDefinition[] };
  differential: { element: ElementDefinition[] };
}

export interface ValueSetInclude {
  system?: string;
  version?: string;
  concept?: { code: string }[];
  filter?: unknown[];
  valueSet?: string[];
}

export interface ValueSet {
  resourceType: 'ValueSet';
  url: string;
  id: string;
  compose?: { include?: ValueSetInclude[]; exclude?: ValueSetInclude[] };
}

export interface CodeSystemConcept {
  code: string;
  concept?: CodeSystemConcept[];
}

export interface CodeSystem {
  resourceType: 'CodeSystem';
  url: string;
  id: string;
  content: string;
  concept?: CodeSystemConcept[];
}

export type ConformanceResource = StructureDefinition | ValueSet | CodeSystem;

/** A canonical reference without its "|version" tail. */
export function withoutVersion(canonical: string): string {
  const bar = canonical.indexOf('|');
  return bar === -1 ? canonical : canonical.slice(0, bar);
}

export class Conformance {
  private readonly byUrl = new Map<string, { resource: ConformanceResource; packageName: PackageName; file: string }>();

  constructor(entries: readonly { resource: ConformanceResource; packageName: PackageName; file: string }[]) {
    for (const entry of entries) this.byUrl.set(entry.resource.url, entry);
  }

  /** Every vendored file, as published; a file that is not JSON or has no url is an error naming it. */
  static loadVendored(): Conformance {
    const entries: { resource: ConformanceResource; packageName: PackageName; file: string }[] = [];
    for (const [packageName, folder] of Object.entries(VENDORED_FOLDERS) as [PackageName, string][]) {
      for (const file of readdirSync(folder).filter((name) => name.endsWith('.json')).sort()) {
        let resource: ConformanceResource;
        try {
          resource = JSON.parse(readFileSync(`${folder}${file}`, 'utf8')) as ConformanceResource;
        } catch (error) {
          throw new Error(`${folder}${file} is not JSON: ${(error as Error).message}`, { cause: error });
        }
        if (typeof resource.url !== 'string') throw new Error(`${folder}${file} has no canonical url`);
        entries.push({ resource, packageName, file: `${folder}${file}` });
      }
    }
    return new Conformance(entries);
  }

  structureDefinition(url: string): StructureDefinition | undefined {
    const found = this.byUrl.get(withoutVersion(url))?.resource;
    return found?.resourceType === 'StructureDefinition' ? found : undefined;
  }

  valueSet(url: string): ValueSet | undefined {
    const found = this.byUrl.get(withoutVersion(url))?.resource;
    return found?.resourceType === 'ValueSet' ? found : undefined;
  }

  codeSystem(url: string): CodeSystem | undefined {
    const found = this.byUrl.get(withoutVersion(url))?.resource;
    return found?.resourceType === 'CodeSystem' ? found : undefined;
  }

  packageOf(url: string): PackageName | undefined {
    return this.byUrl.get(withoutVersion(url))?.packageName;
  }

  structureDefinitions(): StructureDefinition[] {
    return [...this.byUrl.values()].map((entry) => entry.resource).filter((resource): resource is StructureDefinition => resource.resourceType === 'StructureDefinition');
  }
}
