/**
 * A new consent replaces the earlier one: BB2 deletes every earlier access and refresh token of the
 * same app/beneficiary pair when the beneficiary connects again (BB2-OAUTH-CONSENT-02).
 */
import { expect, getJson, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

test.describe('a new consent', () => {
  test(
    "revokes the app's earlier access and refresh tokens for that beneficiary",
    {
      tag: ['@oauth', '@security', VERSION_INDEPENDENT_TAG],
      annotation: [requirement('BB2-OAUTH-CONSENT-02', 'BB2-OAUTH-REFRESH-06'), severity('critical')],
    },
    async ({ issueTokens, oauthClient, request, spareUser, target }) => {
      const user = spareUser();
      const coverage = `${target.endpoints.fhirBase}/Coverage/`;
      const first = await issueTokens({ user });
      expect((await getJson(request, coverage, first.tokens.accessToken)).status, 'first token, before the second consent').toBe(200);

      const second = await issueTokens({ user });
      expect((await getJson(request, coverage, second.tokens.accessToken)).status, 'token of the second consent').toBe(200);
      expect((await getJson(request, coverage, first.tokens.accessToken)).status, 'first access token after the second consent').toBe(401);
      const refresh = await oauthClient.refresh(first.tokens.refreshToken ?? 'missing-refresh-token');
      expect(refresh.status, 'first refresh token after the second consent').toBe(400);
      // BB2 deletes the earlier rows, so the token is "not found" (invalid_request) rather than revoked (invalid_grant).
      expect(refresh.json).toMatchObject({ error: expect.stringMatching(/^(invalid_request|invalid_grant)$/) });
    },
  );
});
