/**
 * Client authentication (RFC 6749 §2.3.1; BB2-OAUTH-TOKENAUTH-01..04, BB2-OAUTH-CLIENT-05): BB2 apps are confidential
 * clients; /token takes HTTP Basic or form-field credentials and refuses a wrong or missing secret,
 * and /authorize refuses a client_secret in the URL.
 *
 * HTTP Basic is how the worker's login exchanged its code (fixtures/base.ts `exchange`): that check reads
 * the exchange (`loginTokenResponse`, attached to it) rather than authorize again in the browser.
 */
import { buildAuthorizeRequest } from '../../lib/oauth/authorize-request.js';
import { Secret } from '../../lib/oauth/secret.js';
import { expect, requestAuthorize, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

const TAGS = ['@oauth', '@security', VERSION_INDEPENDENT_TAG];

test.describe('client authentication', () => {
  test(
    'HTTP Basic client credentials are accepted at /token',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-TOKENAUTH-01', 'RFC6749-2.3.1'), severity('critical')] },
    async ({ loginTokenResponse: result }) => {
      expect(result.status, result.bodyText).toBe(200);
    },
  );

  test(
    'client_id and client_secret as form fields are accepted at /token',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-TOKENAUTH-02', 'RFC6749-2.3.1'), severity('normal')] },
    async ({ freshAuthorization, oauthClient }) => {
      const result = await oauthClient.exchangeCode(
        { code: freshAuthorization.code, codeVerifier: freshAuthorization.verifier, redirectUri: freshAuthorization.redirectUri },
        { auth: 'body' },
      );
      expect(result.status, result.bodyText).toBe(200);
    },
  );

  test(
    'a wrong client secret is refused with 401 invalid_client',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-TOKENAUTH-03', 'RFC6749-5.2'), severity('critical')] },
    async ({ freshAuthorization, oauthClient, target }) => {
      const result = await oauthClient.exchangeCode(
        { code: freshAuthorization.code, codeVerifier: freshAuthorization.verifier, redirectUri: freshAuthorization.redirectUri },
        { auth: 'basic', credentials: { clientId: target.client.clientId, clientSecret: new Secret('wrong-secret-0000000000000000', 'wrong client secret') } },
      );
      expect(result.status).toBe(401);
      expect(result.json).toEqual({ error: 'invalid_client' });
    },
  );

  test(
    'a token request with the client id but no secret is refused with 401 invalid_client',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-TOKENAUTH-04', 'RFC6749-3.2.1'), severity('critical')] },
    async ({ freshAuthorization, oauthClient, target }) => {
      const result = await oauthClient.exchangeCode(
        { code: freshAuthorization.code, codeVerifier: freshAuthorization.verifier, redirectUri: freshAuthorization.redirectUri },
        { auth: 'none', form: { client_id: target.client.clientId } },
      );
      expect(result.status).toBe(401);
      expect(result.json).toEqual({ error: 'invalid_client' });
    },
  );

  test(
    'a client_secret in the authorize URL is refused with 400 "Illegal query parameter [client_secret] detected"',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-CLIENT-05', 'RFC6749-2.3.1'), severity('critical')] },
    async ({ request, target }) => {
      // A stand-in value: the real secret must never travel in a URL, not even in a test.
      const { url } = buildAuthorizeRequest({
        endpoints: target.endpoints,
        clientId: target.client.clientId,
        redirectUri: target.client.redirectUri,
        overrides: { client_secret: 'not-the-real-secret' },
      });
      const response = await requestAuthorize(request, url);
      expect(response.status).toBe(400);
      expect(response.contentType).toMatch(/^text\/plain\b/);
      expect(response.bodyText).toBe('Illegal query parameter [client_secret] detected');
    },
  );
});
