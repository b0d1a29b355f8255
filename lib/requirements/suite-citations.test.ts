/**
 * The suite's checks, the fault modes and the catalogue agree (lib/requirements/coverage.ts
 * `citationProblems`): every check cites known ids and at least one, no check cites an `untested`
 * requirement, every requirement is cited or says why not, every fault names known ids; and the
 * committed docs/requirements.md is what `npm run coverage` writes today. Lists the checks once with
 * `playwright test --list` (a few seconds, no browser).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../config.js';
import { COVERAGE_PAGE, renderCoveragePage } from './coverage-page.js';
import { readSuiteCitations } from './suite.js';

const suite = readSuiteCitations();

describe('the suite cites the catalogue', () => {
  it('lists the checks of every spec file', () => {
    assert.ok(suite.checks.length >= 100, `only ${suite.checks.length} checks listed`);
    assert.ok(suite.checks.some((check) => check.file === 'target-available.spec.ts'), 'the target availability check is a check too');
  });

  it('runs each version-independent check in one version project, and every other check in each version it is for', () => {
    const versionProjects = [...new Set(suite.checks.map((check) => check.project))];
    const where = new Map<string, string[]>();
    for (const check of suite.checks) {
      const at = [check.file, ...check.titles].join(' › ');
      where.set(at, [...(where.get(at) ?? []), check.project]);
    }
    for (const check of suite.checks) {
      const projects = where.get([check.file, ...check.titles].join(' › ')) ?? [];
      const ownVersion = check.tags.find((tag) => /^v\d$/.test(tag));
      const expected = check.tags.includes('version-independent') ? 1 : ownVersion !== undefined ? 1 : versionProjects.length;
      assert.equal(projects.length, expected, `${check.key} runs in ${projects.join(', ')}`);
      if (ownVersion !== undefined) assert.deepEqual(projects, [ownVersion], check.key);
    }
  });

  it('has no check without a requirement or citing an unknown or untested one, no uncited requirement without a reason, no fault naming an unknown id', () => {
    assert.deepEqual(suite.problems, []);
  });
});

describe(COVERAGE_PAGE, () => {
  it('is up to date (npm run coverage writes it)', () => {
    const committed = readFileSync(path.join(REPO_ROOT, COVERAGE_PAGE), 'utf8');
    const current = renderCoveragePage(suite.coverage);
    if (committed === current) return;
    const committedLines = committed.split('\n');
    const line = current.split('\n').findIndex((text, index) => text !== committedLines[index]);
    assert.fail(`${COVERAGE_PAGE} is out of date (first difference at line ${line + 1}): run npm run coverage and commit it`);
  });
});
