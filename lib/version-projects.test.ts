import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from './config.js';
import { NON_PRIMARY_SHARE, versionProjectSelection } from './version-projects.js';

/** A grep title as Playwright builds it: root (''), project, file, describe titles, title, tags. */
function grepTitle(project: string, file: string, title: string, tags: string[]): string {
  return ['', project, file, 'describe', title, ...tags].join(' ');
}

function runs(project: 'v1' | 'v2', versions: Array<'v1' | 'v2'>, file: string, tags: string[]): boolean {
  const { grepInvert } = versionProjectSelection(project, versions);
  const title = grepTitle(project, file, 'a check', tags);
  return !grepInvert.some((pattern) => pattern.test(title));
}

describe('versionProjectSelection', () => {
  const both: Array<'v1' | 'v2'> = ['v1', 'v2'];
  const shared = NON_PRIMARY_SHARE[0] as string;

  it('runs a check of both versions in both projects, and a version-tagged check in its own only', () => {
    assert.deepEqual([runs('v1', both, 'fhir/patient.spec.ts', ['@fhir']), runs('v2', both, 'fhir/patient.spec.ts', ['@fhir'])], [true, true]);
    assert.deepEqual([runs('v1', both, 'fhir/eob.spec.ts', ['@v2']), runs('v2', both, 'fhir/eob.spec.ts', ['@v2'])], [false, true]);
    assert.deepEqual([runs('v1', both, 'fhir/eob.spec.ts', ['@v1']), runs('v2', both, 'fhir/eob.spec.ts', ['@v1'])], [true, false]);
  });

  it('runs each version-independent check in exactly one project: the share in v1, the rest in v2', () => {
    for (const file of NON_PRIMARY_SHARE) {
      assert.deepEqual([runs('v1', both, file, ['@oauth', '@version-independent']), runs('v2', both, file, ['@oauth', '@version-independent'])], [true, false], file);
    }
    assert.deepEqual([runs('v1', both, 'oauth/revoke.spec.ts', ['@version-independent', '@oauth']), runs('v2', both, 'oauth/revoke.spec.ts', ['@version-independent', '@oauth'])], [false, true]);
  });

  it('leaves the checks of a share file that are not version-independent to both projects', () => {
    assert.deepEqual([runs('v1', both, shared, ['@oauth']), runs('v2', both, shared, ['@oauth'])], [true, true]);
  });

  it('matches files and tags as whole words, not inside a longer name or title', () => {
    assert.equal(runs('v2', both, `x${shared}`, ['@version-independent']), true);
    assert.equal(runs('v2', both, `tests/${shared}`, ['@version-independent']), false);
    assert.equal(runs('v2', both, 'oauth/revoke.spec.ts', ['@version-independent-ish']), true);
    assert.equal(runs('v1', both, 'oauth/revoke.spec.ts', ['@version-independent-ish']), true);
  });

  it('gives each project one worker with both versions, and every version-independent check and the run\'s workers to a lone version', () => {
    assert.equal(versionProjectSelection('v1', both).workers, 1);
    assert.equal(versionProjectSelection('v2', both).workers, 1);
    for (const version of ['v1', 'v2'] as const) {
      assert.equal(versionProjectSelection(version, [version]).workers, undefined);
      assert.equal(runs(version, [version], 'oauth/revoke.spec.ts', ['@version-independent']), true);
      assert.equal(runs(version, [version], shared, ['@version-independent']), true);
    }
  });

  it('names spec files that exist (a renamed file would silently move its checks to the primary project)', () => {
    for (const file of NON_PRIMARY_SHARE) assert.ok(existsSync(path.join(REPO_ROOT, 'tests', file)), `tests/${file}`);
  });

  it('refuses a version that is not configured', () => {
    assert.throws(() => versionProjectSelection('v1', ['v2']), /not among the configured v2/);
  });
});
