/**
 * Playwright matchers for the validation verdict (lib/validation/validate.ts). Specs import `expect`
 * from here (or from the fixtures, which re-export it):
 *
 *   expect(body).toBeValidFhir(api, 'Bundle');                         // the API version's FHIR release (v1 STU3, v2 R4 +
 *                                                                      // C4BB profiles): schema, invariants, JSON rules, bindings
 *   expect(body).toBeValidStu3('Bundle');                              // FHIR STU3, whatever the version
 *   expect(body).toFollowBb2Rules(api, { patientId, synthetic: true }); // BB2's own rules of the API version
 *   expect(walk).toHaveNoViolations();                                 // a verdict already computed (a paging walk)
 *
 * `api` is the API version under test (the fixtures' `api`): anything with its `validation` settings.
 *
 * A failure's message is the formatted list of violations (lib/validation/format.ts), also attached
 * to the test ("STU3 violations", "BB2 rule violations", "violations"), and the test gets one
 * `violated` annotation per requirement broken (its catalogue id), which is how the self-test
 * credits the check that saw a broken rule. Notes (warnings and known BB2 deviations) never fail a
 * check: each distinct one becomes a `note` annotation and all are attached ("… notes").
 */
import { expect as baseExpect, test, type ExpectMatcherState, type MatcherReturnType, type TestInfo } from '@playwright/test';
import type { Bb2RuleContext } from './bb2-rules.js';
import { formatViolations } from './format.js';
import { validateResource, type FhirValidation, type Verdict } from './validate.js';
import type { Violation } from './violation.js';

function currentTest(): TestInfo | undefined {
  try {
    return test.info();
  } catch {
    return undefined; // not inside a Playwright test (the validators' unit tests)
  }
}

/** Pushes an annotation unless the test already has the same one (several checks in one test). */
function annotate(info: TestInfo, type: string, description: string): void {
  if (!info.annotations.some((annotation) => annotation.type === type && annotation.description === description)) info.annotations.push({ type, description });
}

/** The requirement ids a list of violations breaks, each once (a rule without a catalogue id by its rule id). */
export function violatedRequirements(violations: readonly Violation[]): string[] {
  return [...new Set(violations.map((violation) => violation.requirement ?? violation.ruleId))];
}

/** One line per distinct note: its requirement, what it is, and how often it occurred. */
export function noteSummaries(notes: readonly Violation[]): string[] {
  const counts = new Map<string, number>();
  for (const note of notes) {
    const what = note.knownDeviation === undefined ? `${note.ruleId} (warning): ${note.message}` : `known BB2 deviation ${note.knownDeviation} (${note.ruleId})`;
    const key = `${note.requirement ?? note.ruleId}: ${what}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => (count === 1 ? key : `${key}, ${count} times`));
}

/**
 * Reports a verdict on the running test: violations attached with a `violated` annotation per
 * requirement (only when they fail the check), notes attached with a `note` annotation each.
 * Pushed synchronously (Playwright forwards a push like `testInfo.attach`), so matchers stay synchronous.
 */
function report(verdict: Verdict, title: string, failing: boolean): void {
  const info = currentTest();
  if (!info) return;
  if (failing && verdict.violations.length > 0) {
    info.attachments.push({ name: `${title} violations`, contentType: 'text/plain', body: Buffer.from(`${formatViolations(verdict.violations, 200)}\n`) });
    for (const requirement of violatedRequirements(verdict.violations)) annotate(info, 'violated', requirement);
  }
  if (verdict.notes.length > 0) {
    info.attachments.push({ name: `${title} notes`, contentType: 'text/plain', body: Buffer.from(`${formatViolations(verdict.notes, 200, 'note')}\n`) });
    for (const summary of noteSummaries(verdict.notes)) annotate(info, 'note', summary);
  }
}

function result(state: ExpectMatcherState, name: string, verdict: Verdict, expected: unknown, what: string, title: string): MatcherReturnType {
  const pass = verdict.violations.length === 0;
  report(verdict, title, !pass && !state.isNot);
  const hint = state.utils.matcherHint(name, undefined, undefined, { isNot: state.isNot });
  return {
    pass,
    name,
    expected,
    actual: verdict.violations,
    // With .not, a pass is the failure: say that the body was valid when it was expected not to be.
    message: () => (pass ? `${hint}\n\nExpected a body that breaks ${what}, but it has no violations` : `${hint}\n\n${formatViolations(verdict.violations)}`),
  };
}

/** The API version a body is judged for: its release and known deviations (the fixtures' `api` has them). */
export interface ValidatedApi {
  readonly validation: FhirValidation;
}

function releaseLabel(api: ValidatedApi): string {
  return (api.validation.release ?? 'stu3').toUpperCase();
}

function isVerdict(value: unknown): value is Verdict {
  return typeof value === 'object' && value !== null && Array.isArray((value as Verdict).violations) && Array.isArray((value as Verdict).notes);
}

export const expect = baseExpect.extend({
  /** The received body is valid FHIR STU3 (Bundle entries included): schema, invariants, JSON rules, required bindings; of `expectedType` when given. */
  toBeValidStu3(this: ExpectMatcherState, received: unknown, expectedType?: string) {
    return result(this, 'toBeValidStu3', validateResource(received, { expectedType }), expectedType ?? 'a valid STU3 resource', 'STU3', 'STU3');
  },
  /**
   * The received body is valid FHIR of the API version's release (Bundle entries included): schema, invariants, JSON rules,
   * required bindings, and for v2 (R4) the C4BB/US Core profiles BB2 serves; of `expectedType` when given.
   */
  toBeValidFhir(this: ExpectMatcherState, received: unknown, api: ValidatedApi, expectedType?: string) {
    const label = releaseLabel(api);
    return result(this, 'toBeValidFhir', validateResource(received, { ...api.validation, expectedType }), expectedType ?? `a valid ${label} resource`, label, label);
  },
  /** The received body follows BB2's rules of the API version (schemas/bb2-rules.json), for the token's patient when `context.patientId` is given. */
  toFollowBb2Rules(this: ExpectMatcherState, received: unknown, api: ValidatedApi, context?: Bb2RuleContext) {
    return result(this, 'toFollowBb2Rules', validateResource(received, { ...api.validation, fhir: false, bb2: context ?? {} }), context ?? {}, "BB2's rules", 'BB2 rule');
  },
  /** The received verdict ({ violations, notes }, e.g. a paging walk) has no violations; its notes are reported. */
  toHaveNoViolations(this: ExpectMatcherState, received: unknown) {
    if (!isVerdict(received)) throw new TypeError('toHaveNoViolations expects { violations, notes } (a Verdict or a SearchWalk)');
    return result(this, 'toHaveNoViolations', received, 'no violations', 'a rule', 'Validation');
  },
});
