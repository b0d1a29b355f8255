/**
 * scripts/warm-caches.mjs, run by `npm install`: it never fails the install, says in one line which
 * cache it could not prepare and why, and prepares the others anyway.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

function warm(env: Record<string, string>) {
  return spawnSync(process.execPath, ['scripts/warm-caches.mjs'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('scripts/warm-caches.mjs', () => {
  it('BB2_SKIP_WARMUP=1 skips every step', () => {
    const result = warm({ BB2_SKIP_WARMUP: '1' });
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '[bb2-conformance] BB2_SKIP_WARMUP=1: the first run builds its caches itself.\n');
  });

  it('a configuration that does not load costs only its own step, named with the reason, and the install goes on', () => {
    const result = warm({ BB2_API_VERSION: 'v9', BB2_SKIP_WARMUP: '' });
    assert.equal(result.status, 0);
    assert.match(result.stdout, /Playwright's compiled copies of the checks not prepared \(exit 2: Invalid suite configuration .*BB2_API_VERSION must be v1, v2, or both/);
    assert.match(result.stdout, /prepared 2 of 3 caches for the first run in \d+\.\d s\.\n$/);
    assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at /);
  });
});
