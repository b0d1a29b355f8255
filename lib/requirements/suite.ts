/**
 * The suite's citations as they are in this repository: the catalogue, the checks Playwright lists and
 * the fault modes, with the coverage and every disagreement between them. Shared by `npm run coverage`
 * (scripts/coverage.ts) and its unit test (suite-citations.test.ts).
 */
import { FAULT_MODES, faultRequirements } from '../embedded-sandbox.js';
import { loadCatalogue, type Catalogue } from './catalogue.js';
import { listChecks, type Check } from './checks.js';
import { citationProblems, computeCoverage, type Coverage, type FaultCitation } from './coverage.js';

export interface SuiteCitations {
  readonly catalogue: Catalogue;
  readonly checks: readonly Check[];
  readonly faults: readonly FaultCitation[];
  readonly coverage: Coverage;
  readonly problems: readonly string[];
}

export function faultCitations(): FaultCitation[] {
  return FAULT_MODES.map((mode) => ({ id: mode.id, requirements: [...faultRequirements(mode)] }));
}

/** Reads the catalogue and the fault modes and lists the checks (a few seconds: `playwright test --list`). */
export function readSuiteCitations(): SuiteCitations {
  const catalogue = loadCatalogue();
  const { checks } = listChecks();
  const faults = faultCitations();
  return { catalogue, checks, faults, coverage: computeCoverage(catalogue, checks, faults), problems: citationProblems(catalogue, checks, faults) };
}
