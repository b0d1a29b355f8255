/**
 * Token introspection, `/v1/o/introspect/` with client authentication (BB2-OAUTH-INTROSPECT-01..02;
 * RFC 7662): `active: true` with scope, exp, client_id and username for a live token, `active: false`
 * for anything else.
 */
import { expect, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

const TAGS = ['@oauth', VERSION_INDEPENDENT_TAG];

test.describe('introspect', () => {
  test(
    'a live access token is active, with its scope, expiry, client_id and username',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-INTROSPECT-01', 'RFC7662-2.2'), severity('normal')] },
    async ({ beneficiaryToken: tokens, oauthClient, target }) => {
      const result = await oauthClient.introspect(tokens.accessToken);
      expect(result.status, result.bodyText).toBe(200);
      const body = result.json as Record<string, unknown>;
      expect(body).toMatchObject({ active: true, client_id: target.client.clientId, username: expect.any(String) });
      expect(new Set(String(body.scope).split(' '))).toEqual(tokens.scopes);
      expect(Number.isInteger(body.exp), `exp ${String(body.exp)} is an integer (seconds since the epoch)`).toBe(true);
      expect(body.exp as number).toBeGreaterThan(Date.now() / 1000);
    },
  );

  test(
    'a revoked access token is inactive',
    { tag: [...TAGS, '@security'], annotation: [requirement('BB2-OAUTH-INTROSPECT-02', 'RFC7662-2.2'), severity('normal')] },
    async ({ issueTokens, oauthClient }) => {
      const { tokens } = await issueTokens();
      expect((await oauthClient.revokeToken(tokens.accessToken)).status).toBe(200);
      const result = await oauthClient.introspect(tokens.accessToken);
      expect(result.status).toBe(200);
      expect(result.json).toEqual({ active: false });
    },
  );

  test(
    'a token never issued is inactive',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-INTROSPECT-02', 'RFC7662-2.2'), severity('minor')] },
    async ({ oauthClient }) => {
      const result = await oauthClient.introspect('NeverIssuedToken000000000000000');
      expect(result.status).toBe(200);
      expect(result.json).toEqual({ active: false });
    },
  );
});
