/**
 * The environment of a run, as the reports show it: what was tested (target, base URL, API and FHIR
 * versions), with what (browser, Node, Playwright) and from which commit of this suite.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Where global-setup.ts puts the environment in the Playwright config's metadata. */
export const ENVIRONMENT_METADATA_KEY = 'bb2Environment';

export interface RunEnvironment {
  readonly target: 'embedded' | 'external';
  readonly baseUrl: string;
  /** The API versions checked: "v1, v2". */
  readonly apiVersion: string;
  /** CapabilityStatement.fhirVersion of each version's metadata endpoint: "v1: 3.0.2, v2: 4.0.1". */
  readonly fhirVersion: string;
  readonly browser: string;
  readonly gitCommit: string;
  readonly node: string;
  readonly playwright: string;
}

/**
 * The commit of the checkout, read from .git without running git (CI sets GITHUB_SHA; a clone without
 * .git, e.g. an unpacked archive, says "unknown").
 */
export function gitCommit(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITHUB_SHA) return env.GITHUB_SHA;
  const gitDir = path.join(repoRoot, '.git');
  try {
    const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (ref === undefined) return head;
    const refFile = path.join(gitDir, ref);
    if (existsSync(refFile)) return readFileSync(refFile, 'utf8').trim();
    const packed = readFileSync(path.join(gitDir, 'packed-refs'), 'utf8');
    return packed.split('\n').find((line) => line.endsWith(` ${ref}`))?.split(' ')[0] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Java-properties text for Allure's environment.properties (keys without spaces; values escaped). */
export function environmentProperties(environment: RunEnvironment): string {
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/[=:]/g, (char) => `\\${char}`);
  const rows: Array<[string, string]> = [
    ['target', environment.target],
    ['base.url', environment.baseUrl],
    ['api.version', environment.apiVersion],
    ['fhir.version', environment.fhirVersion],
    ['browser', environment.browser],
    ['git.commit', environment.gitCommit],
    ['node', environment.node],
    ['playwright', environment.playwright],
  ];
  return `${rows.map(([key, value]) => `${key}=${escape(value)}`).join('\n')}\n`;
}
