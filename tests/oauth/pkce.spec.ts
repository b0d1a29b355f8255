/**
 * PKCE (RFC 7636), required by BB2 since 2025-12 (BB2-OAUTH-PKCE-01..04): the authorize
 * request must carry an S256 challenge, and the token request the matching verifier.
 *
 * The matching verifier is what the worker's login sent with its code (fixtures/base.ts `exchange`): that
 * check reads the exchange (`loginTokenResponse`, attached to it) rather than authorize again in the browser.
 */
import { buildAuthorizeRequest } from '../../lib/oauth/authorize-request.js';
import { createDifferentVerifier, createPkcePair } from '../../lib/oauth/pkce.js';
import { expect, requestAuthorize, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

const TAGS = ['@oauth', '@security', VERSION_INDEPENDENT_TAG];

test.describe('PKCE at /authorize', () => {
  test(
    'an authorize request without code_challenge and code_challenge_method is refused with 400 before any login',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-PKCE-01', 'RFC7636-4.4.1'), severity('critical')] },
    async ({ request, target }) => {
      const { url } = buildAuthorizeRequest({
        endpoints: target.endpoints,
        clientId: target.client.clientId,
        redirectUri: target.client.redirectUri,
        overrides: { code_challenge: null, code_challenge_method: null },
      });
      const response = await requestAuthorize(request, url);
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ status_code: 400, message: 'Missing Required Parameter(s): code_challenge, code_challenge_method' });
    },
  );

  test(
    'an authorize request with a challenge but no method is refused with 400 naming code_challenge_method',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-PKCE-01'), severity('normal')] },
    async ({ request, target }) => {
      const { url } = buildAuthorizeRequest({
        endpoints: target.endpoints,
        clientId: target.client.clientId,
        redirectUri: target.client.redirectUri,
        overrides: { code_challenge_method: null },
      });
      const response = await requestAuthorize(request, url);
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ status_code: 400, message: 'Missing Required Parameter(s): code_challenge_method' });
    },
  );

  test(
    'code_challenge_method=plain is refused with 400 invalid_request',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-PKCE-02', 'RFC7636-4.2'), severity('critical')] },
    async ({ request, target }) => {
      const plainVerifier = 'plain-verifier-that-is-also-the-challenge-000000000';
      const { url } = buildAuthorizeRequest({
        endpoints: target.endpoints,
        clientId: target.client.clientId,
        redirectUri: target.client.redirectUri,
        overrides: { code_challenge: plainVerifier, code_challenge_method: 'plain' },
      });
      const response = await requestAuthorize(request, url);
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ status_code: 400, error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
    },
  );
});

test.describe('PKCE at /token', () => {
  test(
    'a wrong code_verifier is refused with 400 invalid_grant',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-PKCE-03', 'RFC7636-4.6'), severity('critical')] },
    async ({ freshAuthorization, oauthClient }) => {
      const result = await oauthClient.exchangeCode({
        code: freshAuthorization.code,
        codeVerifier: createDifferentVerifier(freshAuthorization.verifier),
        redirectUri: freshAuthorization.redirectUri,
      });
      expect(result.status).toBe(400);
      expect(result.json).toEqual({ error: 'invalid_grant' });
    },
  );

  test(
    'a missing code_verifier is refused with 400 invalid_request "Code verifier required."',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-PKCE-04', 'RFC7636-4.5'), severity('critical')] },
    async ({ freshAuthorization, oauthClient }) => {
      const result = await oauthClient.exchangeCode({ code: freshAuthorization.code, redirectUri: freshAuthorization.redirectUri });
      expect(result.status).toBe(400);
      expect(result.json).toEqual({ error: 'invalid_request', error_description: 'Code verifier required.' });
    },
  );

  test(
    'a challenge sent with base64 padding ("=") is accepted with its verifier, as BB2\'s own test client sends it',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-PKCE-05', 'BB2-OAUTH-PKCE-03'), severity('normal')] },
    async ({ authorizeAsBeneficiary, oauthClient }) => {
      const pkce = createPkcePair();
      // A SHA-256 digest is 32 bytes: base64 with padding is the 43 characters of the challenge and one "=".
      const authorization = await authorizeAsBeneficiary({ pkce, authorizeParams: { code_challenge: `${pkce.challenge}=` } });
      expect(authorization.kind).toBe('code');
      if (authorization.kind !== 'code') return;
      const result = await oauthClient.exchangeCode({ code: authorization.code, codeVerifier: authorization.verifier, redirectUri: authorization.redirectUri });
      expect(result.status, result.bodyText).toBe(200);
    },
  );

  test(
    'the matching code_verifier is accepted',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-PKCE-03', 'RFC7636-4.6'), severity('critical')] },
    async ({ loginTokenResponse: result }) => {
      expect(result.status, result.bodyText).toBe(200);
    },
  );
});
