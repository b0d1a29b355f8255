/**
 * Playwright matchers for FHIR STU3 validity and BB2's own rules. Specs import `expect` from here
 * (or from the fixtures, which re-export it):
 *
 *   await expect(body).toBeValidStu3('Bundle');
 *   expect(body).toFollowBb2Rules({ patientId, synthetic: true });
 *
 * A failure's message is the formatted list of violations (lib/validation/format.ts), which is also
 * attached to the test ("STU3 violations", "BB2 rule violations") for the reports.
 */
import { expect as baseExpect, test, type ExpectMatcherState, type MatcherReturnType } from '@playwright/test';
import { checkBb2Rules, type Bb2RuleContext } from './bb2-rules.js';
import { formatViolations } from './format.js';
import { validateStu3 } from './stu3.js';
import type { Violation } from './violation.js';

/**
 * The violations as a readable attachment of the running test. Pushed synchronously (Playwright forwards
 * a push like `testInfo.attach`): the matchers stay synchronous, so specs need not await them.
 */
function attachViolations(title: string, violations: readonly Violation[]): void {
  let info;
  try {
    info = test.info();
  } catch {
    return; // not inside a Playwright test (the validators' unit tests)
  }
  info.attachments.push({ name: title, contentType: 'text/plain', body: Buffer.from(`${formatViolations(violations)}\n`) });
}

function result(state: ExpectMatcherState, name: string, violations: Violation[], expected: unknown, what: string, attachmentTitle: string): MatcherReturnType {
  const pass = violations.length === 0;
  if (!pass && !state.isNot) attachViolations(attachmentTitle, violations);
  const hint = state.utils.matcherHint(name, undefined, undefined, { isNot: state.isNot });
  return {
    pass,
    name,
    expected,
    actual: violations,
    // With .not, a pass is the failure: say that the body was valid when it was expected not to be.
    message: () => (pass ? `${hint}\n\nExpected a body that breaks ${what}, but it has no violations` : `${hint}\n\n${formatViolations(violations)}`),
  };
}

export const expect = baseExpect.extend({
  /** The received body is a valid FHIR STU3 resource (Bundle entries included), of `expectedType` when given. */
  toBeValidStu3(this: ExpectMatcherState, received: unknown, expectedType?: string) {
    return result(this, 'toBeValidStu3', validateStu3(received, expectedType), expectedType ?? 'a valid STU3 resource', 'STU3', 'STU3 violations');
  },
  /** The received body follows BB2's v1 rules (schemas/bb2-rules.json), for the token's patient when `context.patientId` is given. */
  toFollowBb2Rules(this: ExpectMatcherState, received: unknown, context?: Bb2RuleContext) {
    return result(this, 'toFollowBb2Rules', checkBb2Rules(received, context), context ?? {}, "BB2's rules", 'BB2 rule violations');
  },
});
