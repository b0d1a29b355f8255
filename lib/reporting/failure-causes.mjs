// Why a check failed, read from its error message: one classification shared by the Allure categories
// (allurerc.mjs) and the nightly job summary (scripts/junit-summary.mjs), so both file a failure alike.
// The messages carry these markers on purpose:
//   "target unavailable: …"        lib/reporting/target-errors.ts (no answer, 429, 5xx after retries) and
//                                  the target-availability setup test
//   "expect(…)", matcher names     a Playwright assertion: the target answered, and not as BB2 must
//   NonconformantRedirectError     the browser's redirect broke RFC 6749 §4.1.2 (state, code)
//   "authorizing as …"             fixtures/browser-authorization.ts: the login or consent screens did not
//                                  lead to the redirect
// Plain JavaScript: allurerc.mjs is loaded by the `allure` command line, outside TypeScript.

/** In order: the first cause whose pattern matches the message wins; the last one takes the rest. */
export const FAILURE_CAUSES = [
  {
    id: 'target-unavailable',
    name: 'Target unavailable (outage, rate limit, timeout, DNS or connection error)',
    pattern: /^(\w*Error: )?target unavailable:|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up/m,
  },
  {
    id: 'conformance',
    name: 'Conformance failures (the target answered, not as BB2 must)',
    pattern: /expect\(|toBeValidStu3|toFollowBb2Rules|violation|NonconformantRedirectError/,
  },
  {
    id: 'authorization-flow',
    name: 'Authorization flow did not complete (login or consent screens)',
    pattern: /^(\w*Error: )?authoriz(ing|e)/m,
  },
  {
    id: 'suite',
    name: 'Errors in the suite itself',
    pattern: /[\s\S]*/,
  },
];

/** The cause of a failure with this message (its text, error name included). */
export function failureCause(message) {
  return FAILURE_CAUSES.find((cause) => cause.pattern.test(message)) ?? FAILURE_CAUSES[FAILURE_CAUSES.length - 1];
}
