/**
 * Refresh tokens rotate (BB2-OAUTH-REFRESH-01..03: "A refresh token can only be used one time"): a
 * refresh gives a new access and refresh token; the old refresh token, and the access token issued
 * with it, are then refused.
 *
 * Every check observes the same refresh (`refreshRotation`: a login, its exchange, one refresh, once per
 * worker that runs them). The checks run one after another in one worker, in this order: those that
 * read the new tokens before the one that presents the old refresh token again, which a faulty server
 * might honour by rotating once more.
 */
import { attachTokenResult, expect, getJson, requirement, severity, test, type TokenSet } from '../../fixtures/index.js';

const TAGS = ['@oauth', '@security'];

test.describe.configure({ mode: 'default' });

test.describe('refresh', () => {
  test(
    'gives a new access token and a new refresh token for the same patient and scopes',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REFRESH-01', 'RFC6749-6'), severity('critical')] },
    async ({ refreshRotation: { issued, refreshed, refreshResponse } }) => {
      await attachTokenResult(test.info(), 'token response: the refresh', refreshResponse);
      expect(refreshed.accessToken.equals(issued.accessToken), 'the access token is new').toBe(false);
      expect(refreshed.refreshToken, 'a new refresh_token').toBeDefined();
      expect(refreshed.refreshToken?.equals(issued.refreshToken as NonNullable<TokenSet['refreshToken']>), 'the refresh token is new').toBe(false);
      expect(refreshed.tokenType).toBe('Bearer');
      expect(refreshed.patient).toBe(issued.patient);
      expect(refreshed.scopes).toEqual(issued.scopes);
    },
  );

  test(
    'the new access token reads FHIR data',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REFRESH-01', 'RFC6749-6'), severity('critical')] },
    async ({ request, target, refreshRotation: { refreshed } }) => {
      const response = await getJson(request, `${target.endpoints.fhirBase}/Coverage/`, refreshed.accessToken);
      expect(response.status, response.bodyText.slice(0, 200)).toBe(200);
    },
  );

  test(
    'the old refresh token is refused with 400 invalid_grant',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REFRESH-02', 'RFC6749-10.4'), severity('critical')] },
    async ({ oauthClient, refreshRotation: { issued } }) => {
      const again = await oauthClient.refresh(issued.refreshToken as NonNullable<TokenSet['refreshToken']>);
      expect(again.status).toBe(400);
      expect(again.json).toEqual({ error: 'invalid_grant' });
    },
  );

  test(
    'the old access token is refused with 401',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REFRESH-03'), severity('critical')] },
    async ({ request, target, refreshRotation: { issued } }) => {
      const response = await getJson(request, `${target.endpoints.fhirBase}/Coverage/`, issued.accessToken);
      expect(response.status).toBe(401);
    },
  );
});
