/**
 * What counts as a requirement's source (requirements/README.md): an address anyone can open later and
 * find the same text, or a file of this repository. Hand-written: the rule is this project's own
 * (which hosts publish pages that do not change), not something a URL library decides.
 *
 *   github.com/<owner>/<repo>/blob|tree/<40-hex commit>/…      a file or folder at a commit
 *   raw.githubusercontent.com/<owner>/<repo>/<40-hex commit>/…
 *   www.rfc-editor.org/rfc/rfcNNNN…, datatracker.ietf.org/doc/html/rfcNNNN…   RFCs never change
 *   hl7.org/fhir/<version>/…, hl7.org/fhir/<ig path>/<version>/…     a published (versioned) FHIR page
 *   hl7.org/fhirpath/N1/…                                              the FHIRPath normative release
 *   terminology.hl7.org/<version>/…
 *   bluebutton.cms.gov/…, www.cms.gov/…                          CMS documentation pages
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const COMMIT = /^[0-9a-f]{40}$/;
/** FHIR releases and IG versions: STU3, R4, R4B, R5, DSTU2, STU1.1, 1.1.0, 2024Jan. */
const FHIR_VERSION = /^(DSTU\d|STU\d+(\.\d+)*|R\d+B?|\d+\.\d+(\.\d+)?|\d{4}[A-Z][a-z]{2})$/;

function githubProblem(url: URL): string | undefined {
  const [owner, repo, kind, commit] = url.pathname.split('/').filter((part) => part !== '');
  if (owner === undefined || repo === undefined || (kind !== 'blob' && kind !== 'tree') || commit === undefined) {
    return 'a GitHub source must be a file at a commit: https://github.com/<owner>/<repo>/blob/<40-hex commit>/<path>';
  }
  return COMMIT.test(commit) ? undefined : `a GitHub source must name a 40-hex commit, not "${commit}" (a branch or tag moves)`;
}

function rawGithubProblem(url: URL): string | undefined {
  const commit = url.pathname.split('/').filter((part) => part !== '')[2];
  return commit !== undefined && COMMIT.test(commit) ? undefined : 'a raw.githubusercontent.com source must name a 40-hex commit';
}

function hl7Problem(url: URL): string | undefined {
  const parts = url.pathname.split('/').filter((part) => part !== '');
  // The FHIRPath specification's normative release 1 (/fhirpath/N1/) is as fixed as a FHIR release.
  if (parts[0] === 'fhirpath') return parts[1] === 'N1' ? undefined : 'an hl7.org FHIRPath source must name its release (/fhirpath/N1/)';
  if (parts[0] !== 'fhir') return 'an hl7.org source must be a FHIR specification page under /fhir/ or /fhirpath/N1/';
  // /fhir/STU3/… for the core specification; /fhir/us/carin-bb/STU1.1/… for an implementation guide.
  return parts.slice(1).some((part) => FHIR_VERSION.test(part))
    ? undefined
    : 'an hl7.org source must name a published version (e.g. /fhir/STU3/, /fhir/R4/, /fhir/us/carin-bb/STU1.1/): the unversioned pages change with each release';
}

const HOSTS: Readonly<Record<string, (url: URL) => string | undefined>> = {
  'github.com': githubProblem,
  'raw.githubusercontent.com': rawGithubProblem,
  'www.rfc-editor.org': (url) => (/^\/rfc\/rfc\d+(\.html)?$/.test(url.pathname) ? undefined : 'an rfc-editor.org source must be /rfc/rfcNNNN'),
  'datatracker.ietf.org': (url) => (/^\/doc\/html\/rfc\d+$/.test(url.pathname) ? undefined : 'a datatracker.ietf.org source must be /doc/html/rfcNNNN'),
  'hl7.org': hl7Problem,
  'www.hl7.org': hl7Problem,
  'terminology.hl7.org': (url) => (/^\/\d+\.\d+\.\d+\//.test(url.pathname) ? undefined : 'a terminology.hl7.org source must name a version (/5.0.0/…)'),
  'bluebutton.cms.gov': () => undefined,
  'www.cms.gov': () => undefined,
};

/** Why `value` is not a permanent public address, or undefined when it is one. */
export function problemWithSourceUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not an absolute URL (a file of this repository goes in "path")`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `"${value}" is not an http(s) URL`;
  const check = HOSTS[url.hostname];
  if (check === undefined) {
    return `${url.hostname} is not a known permanent public source (${Object.keys(HOSTS).join(', ')}); if its pages never change, add it to lib/requirements/sources.ts`;
  }
  const problem = check(url);
  return problem === undefined ? undefined : `${problem} (got ${value})`;
}

/** Why `relative` is not an existing file inside `root`, or undefined when it is one. */
export function problemWithRepositoryPath(relative: string, root: string): string | undefined {
  if (path.isAbsolute(relative) || /^[a-z]+:/i.test(relative)) return `"${relative}" must be a path relative to the repository`;
  const resolved = path.resolve(root, relative);
  const inside = path.relative(root, resolved);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return `"${relative}" is outside the repository (a clone would not have it)`;
  return existsSync(resolved) ? undefined : `"${relative}" does not exist in the repository`;
}
