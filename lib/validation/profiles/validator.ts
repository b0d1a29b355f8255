/**
 * The profile validator: every vendored profile compiled once per process (snapshot tree, rule
 * origins, FHIRPath invariants), then any resource or Bundle checked against the profiles it claims
 * in meta.profile that the vendored set knows, plus any profile the caller names.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { compileProfile, type CompiledProfile, type ElementNode, type InvariantScopes } from './compile.js';
import { Conformance, withoutVersion } from './conformance.js';
import { InvariantEvaluator } from './invariants.js';
import { Terminology } from './terminology.js';
import { ProfileWalk } from './walk.js';
import { describeResource, formatPath, isJsonObject, type JsonObject, type PathSegment, type Violation } from '../violation.js';

export interface ProfileValidationOptions {
  /** Canonical URLs (with or without "|version") to check each resource against besides those it claims. */
  readonly profiles?: readonly string[];
}

export interface ProfileValidator {
  /** Milliseconds spent loading and compiling the vendored profiles and their invariants. */
  readonly compileMs: number;
  /** The canonical URLs of the profiles it can check. */
  readonly profileUrls: readonly string[];
  profile(url: string): CompiledProfile | undefined;
  /** Violations of a resource or of every resource of a Bundle (entries and contained resources). */
  validate(document: unknown, options?: ProfileValidationOptions): Violation[];
}

export const ERRATA_PATH = fileURLToPath(new URL('../../../schemas/c4bb-errata.json', import.meta.url));

interface ErrataFile {
  invariants: { key: string; profiles: string[]; evaluate: 'collection' }[];
}

/** The invariants schemas/c4bb-errata.json evaluates on a whole collection, keyed "<profile id>#<key>". */
export function loadInvariantScopes(file = ERRATA_PATH): InvariantScopes {
  const errata = JSON.parse(readFileSync(file, 'utf8')) as ErrataFile;
  const scopes = new Map<string, 'collection'>();
  for (const entry of errata.invariants) {
    if (entry.evaluate !== 'collection') throw new Error(`${file}: invariant ${entry.key}: unknown "evaluate" ${JSON.stringify(entry.evaluate)}`);
    for (const profile of entry.profiles) scopes.set(`${profile}#${entry.key}`, 'collection');
  }
  return scopes;
}

/** The canonical URLs a resource claims in meta.profile. */
export function claimedProfiles(resource: JsonObject): string[] {
  return isJsonObject(resource.meta) && Array.isArray(resource.meta.profile) ? resource.meta.profile.filter((url): url is string => typeof url === 'string') : [];
}

/** Calls visit for a resource, or for each entry resource of a Bundle, with its path in the document. */
export function forEachResource(document: unknown, visit: (resource: JsonObject, path: PathSegment[]) => void): void {
  if (!isJsonObject(document)) return;
  if (document.resourceType === 'Bundle' && Array.isArray(document.entry)) {
    document.entry.forEach((entry, index) => {
      if (isJsonObject(entry) && isJsonObject(entry.resource)) visit(entry.resource, ['entry', index, 'resource']);
    });
  } else visit(document, []);
}

/** Rule and note for a meta.profile value the validator cannot use (a profile outside the vendored set, another version). */
const UNCHECKED_PROFILE_RULE = 'profile:unchecked-claim';

export function createProfileValidator(conformance: Conformance = Conformance.loadVendored(), scopes: InvariantScopes = loadInvariantScopes()): ProfileValidator {
  const start = performance.now();
  const terminology = new Terminology(conformance);
  const invariants = new InvariantEvaluator(terminology);
  const profiles = new Map<string, CompiledProfile>();
  for (const sd of conformance.structureDefinitions()) {
    if (sd.kind !== 'resource') continue;
    const profile = compileProfile(conformance, sd, scopes);
    profiles.set(profile.url, profile);
    const precompile = (node: ElementNode): void => {
      invariants.precompile(node.invariants, node.path.replace(/\[x\]$/, ''));
      for (const child of node.children) precompile(child);
      for (const slice of node.slicing?.slices ?? []) precompile(slice);
    };
    precompile(profile.root);
  }
  const compileMs = performance.now() - start;
  const services = { terminology, invariants };

  const validateResource = (resource: JsonObject, path: PathSegment[], options: ProfileValidationOptions, out: Violation[]): void => {
    const owner = describeResource(resource);
    const claimed = isJsonObject(resource.meta) && Array.isArray(resource.meta.profile) ? resource.meta.profile.filter((url): url is string => typeof url === 'string') : [];
    const chosen = new Map<string, CompiledProfile>();
    const requested = [...claimed.map((url, index) => ({ url, at: [...path, 'meta', 'profile', index] })), ...(options.profiles ?? []).map((url) => ({ url, at: [...path, 'meta', 'profile'] }))];
    for (const { url, at } of requested) {
      const profile = profiles.get(withoutVersion(url));
      const version = url.includes('|') ? url.slice(url.indexOf('|') + 1) : undefined;
      if (!profile || (version !== undefined && version !== profile.version)) {
        out.push({
          ...owner,
          path: formatPath(at),
          ruleId: UNCHECKED_PROFILE_RULE,
          rule: 'a claimed profile the suite cannot check',
          value: url,
          message: profile
            ? `claims ${url}, but the suite holds version ${String(profile.version)} of that profile only: not checked against it`
            : `claims ${url}, a profile the suite does not hold (it holds C4BB 1.1.0 and US Core 3.1.1): not checked against it`,
          severity: 'warning',
        });
        continue;
      }
      chosen.set(profile.url, profile);
    }
    for (const profile of chosen.values()) out.push(...new ProfileWalk(services, profile, resource, owner).run(path));
    if (Array.isArray(resource.contained)) {
      resource.contained.forEach((contained, index) => {
        if (isJsonObject(contained)) validateResource(contained, [...path, 'contained', index], { profiles: [] }, out);
      });
    }
  };

  return {
    compileMs,
    profileUrls: [...profiles.keys()],
    profile: (url) => profiles.get(withoutVersion(url)),
    validate(document, options = {}) {
      const out: Violation[] = [];
      forEachResource(document, (resource, path) => validateResource(resource, path, options, out));
      // Two claimed profiles that share a base (C4BB-Patient and US Core Patient) report its rules once.
      const seen = new Set<string>();
      return out.filter((violation) => {
        const key = `${violation.path}\u0000${violation.ruleId}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
  };
}

let shared: ProfileValidator | undefined;

/** The process's one validator, compiled on first use. */
export function getProfileValidator(): ProfileValidator {
  shared ??= createProfileValidator();
  return shared;
}
