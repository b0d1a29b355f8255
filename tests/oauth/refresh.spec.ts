/**
 * Refresh tokens rotate (BB2-OAUTH-REFRESH-01..03: "A refresh token can only be used one time"): a
 * refresh gives a new access and refresh token; the old refresh token, and the access token issued
 * with it, are then refused.
 */
import { expect, getJson, requirement, severity, test, type IssuedTokens, type TokenSet } from '../../fixtures/index.js';

const TAGS = ['@oauth', '@security'];

test.describe('refresh', () => {
  let issued: IssuedTokens;
  let refreshed: TokenSet;

  test.beforeEach(async ({ issueTokens, oauthClient }) => {
    issued = await issueTokens();
    expect(issued.tokens.refreshToken, 'the token response has a refresh_token').toBeDefined();
    const result = await oauthClient.refresh(issued.tokens.refreshToken as NonNullable<TokenSet['refreshToken']>);
    expect(result.status, result.bodyText).toBe(200);
    refreshed = result.tokens();
  });

  test(
    'gives a new access token and a new refresh token for the same patient and scopes',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REFRESH-01', 'RFC6749-6'), severity('critical')] },
    async () => {
      expect(refreshed.accessToken.equals(issued.tokens.accessToken), 'the access token is new').toBe(false);
      expect(refreshed.refreshToken, 'a new refresh_token').toBeDefined();
      expect(refreshed.refreshToken?.equals(issued.tokens.refreshToken as NonNullable<TokenSet['refreshToken']>), 'the refresh token is new').toBe(false);
      expect(refreshed.tokenType).toBe('Bearer');
      expect(refreshed.patient).toBe(issued.tokens.patient);
      expect(refreshed.scopes).toEqual(issued.tokens.scopes);
    },
  );

  test(
    'the new access token reads FHIR data',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REFRESH-01', 'RFC6749-6'), severity('critical')] },
    async ({ request, target }) => {
      const response = await getJson(request, `${target.endpoints.fhirBase}/Coverage/`, refreshed.accessToken);
      expect(response.status, response.bodyText.slice(0, 200)).toBe(200);
    },
  );

  test(
    'the old refresh token is refused with 400 invalid_grant',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REFRESH-02', 'RFC6749-10.4'), severity('critical')] },
    async ({ oauthClient }) => {
      const again = await oauthClient.refresh(issued.tokens.refreshToken as NonNullable<TokenSet['refreshToken']>);
      expect(again.status).toBe(400);
      expect(again.json).toEqual({ error: 'invalid_grant' });
    },
  );

  test(
    'the old access token is refused with 401',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REFRESH-03'), severity('critical')] },
    async ({ request, target }) => {
      const response = await getJson(request, `${target.endpoints.fhirBase}/Coverage/`, issued.tokens.accessToken);
      expect(response.status).toBe(401);
    },
  );
});
