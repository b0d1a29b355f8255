/**
 * `npm run coverage`: writes docs/requirements.md, every requirement of requirements/*.json with the
 * checks citing it, the fault modes breaking it and, for untested ones, the reason
 * (lib/requirements/coverage-page.ts). Lists the checks with `playwright test --list` (no browser runs).
 *
 * Exit status: 0 when the page was written and every citation agrees with the catalogue; 1 when the
 * page was written but some check, fault or requirement is not in order (each problem is printed);
 * 2 when the catalogue or the listing cannot be read.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config.js';
import { CatalogueError } from '../lib/requirements/catalogue.js';
import { ListingError } from '../lib/requirements/checks.js';
import { COVERAGE_PAGE, renderCoveragePage } from '../lib/requirements/coverage-page.js';
import { isTested } from '../lib/requirements/coverage.js';
import { readSuiteCitations } from '../lib/requirements/suite.js';

function main(): number {
  const suite = readSuiteCitations();
  writeFileSync(path.join(REPO_ROOT, COVERAGE_PAGE), renderCoveragePage(suite.coverage));
  const entries = suite.coverage.entries;
  const tested = entries.filter((entry) => isTested(entry.status)).length;
  console.log(`${COVERAGE_PAGE}: ${entries.length} requirements, ${tested} tested, ${entries.length - tested} untested; ${suite.checks.length} checks, ${suite.faults.length} fault modes`);
  if (suite.problems.length === 0) return 0;
  console.error(`\n${suite.problems.length} citation problem(s):\n  ${suite.problems.join('\n  ')}`);
  return 1;
}

try {
  process.exit(main());
} catch (error) {
  if (error instanceof CatalogueError || error instanceof ListingError) {
    console.error(`coverage: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
