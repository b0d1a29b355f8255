/**
 * What the sweep records for one user: one line of users.jsonl (the checkpoint), written when the user
 * is done. Violations are kept per rule (counts and a few examples), so a line stays small for a user
 * with 400 broken claims and the aggregation over 30,000 users needs nothing else.
 */
import type { ApiVersion, SweepViolation } from './validate.js';

export const USER_STATUSES = ['ok', 'violations', 'login-failed', 'target-unavailable'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Examples kept per rule and user. */
export const EXAMPLES_PER_USER_RULE = 3;

export interface ViolationExample {
  readonly resourceType: string;
  readonly id: string | undefined;
  /** Where the body came from ("ExplanationOfBenefit page 2") and the JSON path inside it. */
  readonly where: string;
  readonly path: string;
  readonly value?: unknown;
  readonly message: string;
}

/** What the sweep aggregates by: a rule broken at one element, with its requirement and severity. */
export interface RuleAtElement {
  readonly rule: string;
  /** The element the rule was broken at, without indices ("ExplanationOfBenefit.status"); the resource type for a whole-body finding. */
  readonly element: string;
  readonly requirement: string | undefined;
  readonly severity: 'error' | 'warning';
}

export interface UserRuleFindings extends RuleAtElement {
  readonly violations: number;
  /** Distinct resources (type/id) with at least one violation of the rule. */
  readonly resources: number;
  readonly examples: readonly ViolationExample[];
}

export interface UserResult {
  readonly user: string;
  readonly status: UserStatus;
  readonly apiVersion: ApiVersion;
  /** The token's patient id, once the code was exchanged. */
  readonly patient?: string;
  /** Resources received, by type. */
  readonly resources: Readonly<Record<string, number>>;
  /** Search pages fetched (Coverage and ExplanationOfBenefit). */
  readonly pages: number;
  readonly rules: readonly UserRuleFindings[];
  /** Why a login failed or the target was unavailable, or where the fetch stopped. */
  readonly error?: string;
  readonly durationMs: number;
  /** 2 when the first attempt found the target unavailable and the user was swept again. */
  readonly attempts?: number;
  /** What the first attempt ran into, when the second one got an answer. */
  readonly earlierAttempt?: string;
  /** Where the time went: authorize (login, consent, code exchange), fetch (validate included), validate, revoke. */
  readonly phasesMs?: Readonly<Record<string, number>>;
  readonly finishedAt: string;
}

/** A violation found in one body, with where that body came from. */
export interface LocatedViolation extends SweepViolation {
  readonly where: string;
}

/** "entry[3].resource.item[0].sequence" in an ExplanationOfBenefit → "ExplanationOfBenefit.item.sequence". */
export function elementOf(resourceType: string, path: string): string {
  const inResource = path.replace(/^entry\[\d+\]\.resource\.?/, '').replace(/\[\d+\]/g, '');
  return inResource === '' ? resourceType : `${resourceType}.${inResource}`;
}

/** What the sweep aggregates by: a rule at one element. */
export function findingKey(finding: { readonly rule: string; readonly element: string }): string {
  return `${finding.rule}\u001f${finding.element}`;
}

/** Groups one user's violations by rule and element: counts, distinct resources, the first examples. */
export function findingsByRule(violations: readonly LocatedViolation[]): UserRuleFindings[] {
  const byRule = new Map<string, { first: LocatedViolation; element: string; count: number; resources: Set<string>; examples: ViolationExample[] }>();
  for (const violation of violations) {
    const element = elementOf(violation.resourceType, violation.path);
    const key = findingKey({ rule: violation.rule, element });
    let entry = byRule.get(key);
    if (entry === undefined) {
      entry = { first: violation, element, count: 0, resources: new Set(), examples: [] };
      byRule.set(key, entry);
    }
    entry.count += 1;
    entry.resources.add(`${violation.resourceType}/${violation.id ?? `(no id) in ${violation.where}`}`);
    if (entry.examples.length < EXAMPLES_PER_USER_RULE) {
      entry.examples.push({
        resourceType: violation.resourceType,
        id: violation.id,
        where: violation.where,
        path: violation.path,
        ...('value' in violation ? { value: violation.value } : {}),
        message: violation.message,
      });
    }
  }
  return [...byRule.values()].map(({ first, element, count, resources, examples }) => ({
    rule: first.rule,
    element,
    requirement: first.requirement,
    severity: first.severity,
    violations: count,
    resources: resources.size,
    examples,
  }));
}

/** ok, or violations when any rule of error severity was broken. */
export function dataStatus(rules: readonly UserRuleFindings[]): UserStatus {
  return rules.some((rule) => rule.severity === 'error') ? 'violations' : 'ok';
}
