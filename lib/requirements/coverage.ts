/**
 * Which requirements the suite tests: each catalogue entry with the checks citing it, the fault modes
 * breaking it, and whether it is tested — directly (a check cites it), through a requirement that
 * `includes` it (a check runs the validator that enforces it), or not, with the reason. Also every way
 * the checks' and faults' citations and the catalogue disagree (`citationProblems`), which the unit
 * test lib/requirements/suite-citations.test.ts turns into failures.
 */
import { includedBy, type Catalogue, type Requirement } from './catalogue.js';
import type { Check } from './checks.js';

/** What the coverage needs of a fault mode (sandbox/src/faults/catalog.ts). */
export interface FaultCitation {
  readonly id: string;
  readonly requirements: readonly string[];
}

export type CoverageStatus =
  | { readonly kind: 'tested' }
  /** No check cites it, but checks citing `through` run the validator that enforces it. */
  | { readonly kind: 'through'; readonly through: string }
  | { readonly kind: 'untested'; readonly reason: string; readonly through?: string }
  /** Neither cited nor explained: a catalogue problem. */
  | { readonly kind: 'uncovered' };

export interface RequirementCoverage {
  readonly requirement: Requirement;
  /** Checks whose annotation names it. */
  readonly checks: readonly Check[];
  /** Fault modes that name it. */
  readonly faults: readonly string[];
  readonly status: CoverageStatus;
}

export interface Coverage {
  readonly entries: readonly RequirementCoverage[];
  readonly byId: ReadonlyMap<string, RequirementCoverage>;
}

export function computeCoverage(catalogue: Catalogue, checks: readonly Check[], faults: readonly FaultCitation[]): Coverage {
  const citing = new Map<string, Check[]>();
  for (const check of checks) {
    for (const id of check.requirements) citing.set(id, [...(citing.get(id) ?? []), check]);
  }
  const breaking = new Map<string, string[]>();
  for (const fault of faults) {
    for (const id of fault.requirements) breaking.set(id, [...(breaking.get(id) ?? []), fault.id]);
  }

  const statuses = new Map<string, CoverageStatus>();
  const statusOf = (requirement: Requirement, seen: ReadonlySet<string>): CoverageStatus => {
    const known = statuses.get(requirement.id);
    if (known !== undefined) return known;
    let status: CoverageStatus;
    if ((citing.get(requirement.id) ?? []).length > 0) status = { kind: 'tested' };
    else if (requirement.untested !== undefined) status = { kind: 'untested', reason: requirement.untested };
    else {
      // Through the requirements that include it: tested if one of them is, else untested for their reason.
      const umbrellas = includedBy(requirement.id, catalogue).filter((umbrella) => !seen.has(umbrella.id));
      const theirs = umbrellas.map((umbrella) => ({ umbrella, status: statusOf(umbrella, new Set([...seen, requirement.id])) }));
      const tested = theirs.find(({ status: their }) => their.kind === 'tested' || their.kind === 'through');
      const untested = theirs.find(({ status: their }) => their.kind === 'untested');
      if (tested !== undefined) status = { kind: 'through', through: tested.umbrella.id };
      else if (untested !== undefined && untested.status.kind === 'untested') {
        status = { kind: 'untested', reason: untested.status.reason, through: untested.umbrella.id };
      } else status = { kind: 'uncovered' };
    }
    statuses.set(requirement.id, status);
    return status;
  };

  const entries = catalogue.requirements.map((requirement) => ({
    requirement,
    checks: citing.get(requirement.id) ?? [],
    faults: breaking.get(requirement.id) ?? [],
    status: statusOf(requirement, new Set()),
  }));
  return { entries, byId: new Map(entries.map((entry) => [entry.requirement.id, entry])) };
}

export function isTested(status: CoverageStatus): boolean {
  return status.kind === 'tested' || status.kind === 'through';
}

function where(check: Check): string {
  return `tests/${check.file}:${check.line} "${check.title}"`;
}

/**
 * Every disagreement between the checks, the fault modes and the catalogue: a check citing nothing or
 * an unknown id, an `untested` requirement that a check cites, a requirement neither cited nor
 * explained, a fault naming nothing or an unknown id.
 */
export function citationProblems(catalogue: Catalogue, checks: readonly Check[], faults: readonly FaultCitation[]): string[] {
  const problems: string[] = [];
  for (const check of checks) {
    if (check.requirements.length === 0) problems.push(`${where(check)} cites no requirement: add requirement('<id>', …) to its annotations`);
    for (const id of check.requirements) {
      const requirement = catalogue.byId.get(id);
      if (requirement === undefined) problems.push(`${where(check)} cites ${id}, which no requirements/*.json defines`);
      else if (requirement.untested !== undefined) {
        problems.push(`${id} (${requirement.file}) is marked untested ("${requirement.untested}") but ${where(check)} cites it: remove its "untested"`);
      }
    }
  }
  for (const fault of faults) {
    if (fault.requirements.length === 0) problems.push(`fault mode ${fault.id} names no requirement`);
    for (const id of fault.requirements) {
      if (!catalogue.byId.has(id)) problems.push(`fault mode ${fault.id} names ${id}, which no requirements/*.json defines`);
    }
  }
  for (const entry of computeCoverage(catalogue, checks, faults).entries) {
    if (entry.status.kind === 'uncovered') {
      problems.push(`${entry.requirement.id} (${entry.requirement.file}) is cited by no check: cite it from the check that verifies it, or say why none does in "untested"`);
    }
  }
  return problems;
}
