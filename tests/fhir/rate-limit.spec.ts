/**
 * Rate limiting of the FHIR API (BB2-FHIR-RATE-01..02): every FHIR response carries
 * X-RateLimit-Limit, -Remaining and -Reset; once a token's budget is spent, 429 with Retry-After.
 * The budget is configurable only on the embedded sandbox, so the 429 check starts a second embedded
 * sandbox with a budget of 3 requests a minute and skips on an external target.
 */
import { embeddedOnlyReason } from '../../fixtures/target.js';
import { expect, requirement, severity, test, type HttpResult } from '../../fixtures/fhir.js';

const TAGS = ['@fhir'];

function rateLimitHeaders(response: HttpResult): { limit: string | undefined; remaining: string | undefined; reset: string | undefined } {
  return { limit: response.headers['x-ratelimit-limit'], remaining: response.headers['x-ratelimit-remaining'], reset: response.headers['x-ratelimit-reset'] };
}

test.describe('FHIR rate limit', () => {
  test(
    'FHIR responses carry X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset',
    { tag: TAGS, annotation: [requirement('BB2-FHIR-RATE-01'), severity('normal')] },
    async ({ fhir, beneficiaryToken }) => {
      for (const response of [await fhir.read('Patient', beneficiaryToken.patient), await fhir.search('Coverage'), await fhir.search('ExplanationOfBenefit')]) {
        expect(response.status, response.url).toBe(200);
        const headers = rateLimitHeaders(response);
        expect(headers, response.url).toEqual({
          limit: expect.stringMatching(/^\d+$/),
          remaining: expect.stringMatching(/^\d+$/),
          reset: expect.stringMatching(/^\d+(\.\d+)?$/),
        });
        expect(Number(headers.limit), `${response.url}: limit > 0`).toBeGreaterThan(0);
        expect(Number(headers.remaining), `${response.url}: remaining ≤ limit`).toBeLessThanOrEqual(Number(headers.limit));
      }
    },
  );

  test(
    'past the budget a token gets 429 with Retry-After, and Remaining counts down to it',
    { tag: [...TAGS, '@security'], annotation: [requirement('BB2-FHIR-RATE-02', 'RFC6585-4'), severity('normal')] },
    async ({ target, privateSandbox }) => {
      test.skip(target.kind !== 'embedded', embeddedOnlyReason('a rate limit of 3 requests a minute'));
      const limit = 3;
      const windowSeconds = 60;
      const sandbox = await privateSandbox({ rateLimit: { limit, windowSeconds } });
      const fhir = sandbox.fhir((await sandbox.issueTokens('BBUser00002')).accessToken);
      for (let request = 1; request <= limit; request += 1) {
        const response = await fhir.search('Coverage');
        expect(response.status, `request ${request} of ${limit}`).toBe(200);
        expect(rateLimitHeaders(response), `request ${request}`).toMatchObject({ limit: String(limit), remaining: String(limit - request) });
      }
      const refused = await fhir.search('Coverage');
      expect(refused.status, `request ${limit + 1}`).toBe(429);
      expect(refused.headers['retry-after'], 'Retry-After').toMatch(/^\d+$/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(windowSeconds);
      expect(refused.json).toEqual({ detail: expect.any(String) });
    },
  );
});
