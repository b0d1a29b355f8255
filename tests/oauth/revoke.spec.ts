/**
 * Revocation (BB2-OAUTH-REVOKE-01..04): BB2's own `/o/revoke/` (deletes the app/beneficiary grant)
 * and RFC 7009's `/o/revoke_token/`. A revoked token then gets 401 from the FHIR API.
 */
import { expect, getJson, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

const TAGS = ['@oauth', '@security', VERSION_INDEPENDENT_TAG];

test.describe('revoke', () => {
  test(
    "BB2's /o/revoke/ answers 200 and the access token then gets 401 on FHIR",
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REVOKE-01'), severity('critical')] },
    async ({ issueTokens, oauthClient, request, target }) => {
      const { tokens } = await issueTokens();
      const coverage = `${target.endpoints.fhirBase}/Coverage/`;
      expect((await getJson(request, coverage, tokens.accessToken)).status, 'before revoking').toBe(200);
      const revoked = await oauthClient.revoke(tokens.accessToken);
      expect(revoked.status, revoked.bodyText).toBe(200);
      expect((await getJson(request, coverage, tokens.accessToken)).status, 'after revoking').toBe(401);
    },
  );

  test(
    "BB2's /o/revoke/ also ends the refresh token (the whole grant is deleted)",
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REVOKE-02', 'BB2-OAUTH-REFRESH-04'), severity('normal')] },
    async ({ issueTokens, oauthClient }) => {
      const { tokens } = await issueTokens();
      expect((await oauthClient.revoke(tokens.accessToken)).status).toBe(200);
      const refresh = await oauthClient.refresh(tokens.refreshToken ?? 'missing-refresh-token');
      // BB2 looks the grant up before anything else: its absence is the 403 of BB2-OAUTH-REFRESH-04, not a generic error.
      expect(refresh.status, refresh.bodyText).toBe(403);
      expect(refresh.json).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringMatching(/^User access cannot be found\./),
      });
    },
  );

  test(
    'RFC 7009 /o/revoke_token/ answers 200 and the access token then gets 401 on FHIR',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REVOKE-03', 'RFC7009-2.1', 'RFC7009-2.2'), severity('critical')] },
    async ({ issueTokens, oauthClient, request, target }) => {
      const { tokens } = await issueTokens();
      const coverage = `${target.endpoints.fhirBase}/Coverage/`;
      const revoked = await oauthClient.revokeToken(tokens.accessToken, { tokenTypeHint: 'access_token' });
      expect(revoked.status, revoked.bodyText).toBe(200);
      expect((await getJson(request, coverage, tokens.accessToken)).status).toBe(401);
    },
  );

  test(
    'RFC 7009 /o/revoke_token/ answers 200 for a token it does not know',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REVOKE-04', 'RFC7009-2.2'), severity('minor')] },
    async ({ oauthClient }) => {
      const revoked = await oauthClient.revokeToken('UnknownToken00000000000000000000');
      expect(revoked.status).toBe(200);
    },
  );
});
