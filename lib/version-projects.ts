/**
 * Which checks each API version's Playwright project runs, and in how many workers (playwright.config.ts).
 *
 * A project runs every check but those tagged for the other version. A version-independent check
 * (VERSION_INDEPENDENT_TAG: BB2 serves its subject with the same code on both versions' paths) runs once:
 * with one version configured, in its project; with both, in one of the two, chosen by spec file so that
 * the two projects, in one worker each, finish together. Playwright never moves a check from one project's
 * worker to another's, and a worker started late for the rest of a project costs its process, Chromium and
 * worker logins (docs/performance.md §10); where a version-independent check runs changes nothing it sees.
 */
import { API_VERSIONS, primaryApiVersion, VERSION_INDEPENDENT_TAG, versionTag, type ApiVersion } from './api-version.js';

/**
 * The spec files (relative to tests/) whose version-independent checks the non-primary project runs when
 * both versions are configured: the token endpoint's refusals and acceptances (client authentication,
 * PKCE, redirect_uri, code reuse) and `state`. Chosen by measured time, about half of the browser logins
 * of the version-independent checks; the rest run in the primary project.
 */
export const NON_PRIMARY_SHARE: readonly string[] = [
  'oauth/authorization-code.spec.ts',
  'oauth/client-authentication.spec.ts',
  'oauth/pkce.spec.ts',
  'oauth/redirect-uri.spec.ts',
  'oauth/state.spec.ts',
];

export interface VersionProjectSelection {
  /** Playwright's project `grepInvert`: matched against "<file> <describe titles> <title> <tags>". */
  readonly grepInvert: readonly RegExp[];
  /** Playwright's project `workers`; undefined: the run's. */
  readonly workers: number | undefined;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A tag as a whole word of a grep title. */
function tagPattern(tag: string): string {
  return `${escaped(tag)}(?=\\s|$)`;
}

/** The checks `version`'s project leaves out, and its workers, when `versions` are configured. */
export function versionProjectSelection(version: ApiVersion, versions: readonly ApiVersion[]): VersionProjectSelection {
  const otherVersions = API_VERSIONS.filter((other) => other !== version).map((other) => new RegExp(tagPattern(versionTag(other))));
  if (!versions.includes(version)) throw new Error(`API version ${version} is not among the configured ${versions.join(', ')}`);
  if (versions.length === 1) return { grepInvert: otherVersions, workers: undefined };
  const independent = `(?=.*(?:^|\\s)${tagPattern(VERSION_INDEPENDENT_TAG)})`;
  // The file's path relative to the test directory (tests/), or to a folder above it (a config whose testDir is the repository).
  const inShare = `.*(?:^|[\\s/])(?:${NON_PRIMARY_SHARE.map(escaped).join('|')})(?=\\s)`;
  // The primary project leaves out the share's version-independent checks, the other one every other version-independent check.
  const notMine = version === primaryApiVersion(versions) ? `^(?=${inShare})${independent}` : `^(?!${inShare})${independent}`;
  return { grepInvert: [...otherVersions, new RegExp(notMine)], workers: 1 };
}
