/**
 * OIDC userinfo, `GET /v1/connect/userinfo` (BB2-OAUTH-USERINFO-01..02): the seven keys of BB2's
 * USERINFO_SCHEMA for a token with `profile`, and 401 without a token.
 */
import { expect, getJson, requirement, severity, test } from '../../fixtures/index.js';

const TAGS = ['@oauth'];

test.describe('userinfo', () => {
  test(
    'gives sub, name, given_name, family_name, email, iat and patient for the token\'s beneficiary',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-USERINFO-01'), severity('critical')] },
    async ({ oauthClient, beneficiaryToken }) => {
      const userinfo = await oauthClient.userinfo(beneficiaryToken.accessToken);
      expect(userinfo.status, userinfo.bodyText).toBe(200);
      expect(userinfo.contentType).toMatch(/^application\/json\b/);
      expect(userinfo.json).toEqual({
        sub: beneficiaryToken.patient,
        name: expect.any(String),
        given_name: expect.any(String),
        family_name: expect.any(String),
        email: expect.any(String),
        iat: expect.any(String),
        patient: beneficiaryToken.patient,
      });
      const body = userinfo.json as Record<string, string>;
      expect(Number.isNaN(Date.parse(body.iat as string)), `iat "${body.iat}" is a date-time`).toBe(false);
    },
  );

  test(
    'answers 401 without a token',
    { tag: [...TAGS, '@security'], annotation: [requirement('BB2-OAUTH-USERINFO-02'), severity('critical')] },
    async ({ request, target }) => {
      const userinfo = await getJson(request, target.endpoints.userinfo);
      expect(userinfo.status).toBe(401);
    },
  );
});
