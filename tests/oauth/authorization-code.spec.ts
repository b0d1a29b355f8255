/**
 * Authorization codes are single-use (RFC 6749 §4.1.2, §10.5; BB2-OAUTH-CODE-01: DOT deletes
 * the grant on exchange): a second exchange of the same code, or a code never issued, gets invalid_grant.
 */
import { createPkcePair } from '../../lib/oauth/pkce.js';
import { expect, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

const TAGS = ['@oauth', '@security', VERSION_INDEPENDENT_TAG];

test.describe('authorization code', () => {
  test(
    'a code exchanged once is refused the second time with 400 invalid_grant',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-CODE-01', 'RFC6749-4.1.2'), severity('critical')] },
    async ({ freshAuthorization, oauthClient }) => {
      const exchange = { code: freshAuthorization.code, codeVerifier: freshAuthorization.verifier, redirectUri: freshAuthorization.redirectUri };
      const first = await oauthClient.exchangeCode(exchange);
      expect(first.status, first.bodyText).toBe(200);
      const second = await oauthClient.exchangeCode(exchange);
      expect(second.status).toBe(400);
      expect(second.json).toEqual({ error: 'invalid_grant' });
    },
  );

  test(
    'a code that was never issued is refused with 400 invalid_grant',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-CODE-02', 'RFC6749-5.2'), severity('normal')] },
    async ({ oauthClient, target }) => {
      const result = await oauthClient.exchangeCode({
        code: 'NeverIssuedCode0000000000000000',
        codeVerifier: createPkcePair().verifier,
        redirectUri: target.client.redirectUri,
      });
      expect(result.status).toBe(400);
      expect(result.json).toEqual({ error: 'invalid_grant' });
    },
  );
});
