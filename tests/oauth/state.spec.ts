/**
 * `state` (RFC 6749 §4.1.1, §10.12), required by BB2 with at least 16 characters since 2025-12
 * (BB2-OAUTH-STATE-01..03), and returned unchanged on the redirect (BB2-OAUTH-STATE-04).
 */
import { buildAuthorizeRequest } from '../../lib/oauth/authorize-request.js';
import { expect, requestAuthorize, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

const TAGS = ['@oauth', '@security', VERSION_INDEPENDENT_TAG];

test.describe('state', () => {
  test(
    'an authorize request without state is refused with 400 before any login',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-STATE-01', 'RFC6749-10.12'), severity('critical')] },
    async ({ request, target }) => {
      const { url } = buildAuthorizeRequest({
        endpoints: target.endpoints,
        clientId: target.client.clientId,
        redirectUri: target.client.redirectUri,
        overrides: { state: null },
      });
      const response = await requestAuthorize(request, url);
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ status_code: 400, message: 'Missing Required Parameter(s): state' });
    },
  );

  test(
    'a POST /authorize/ without state in its body is refused with 401 before any login',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-STATE-03'), severity('critical')] },
    async ({ request, target }) => {
      const { url } = buildAuthorizeRequest({
        endpoints: target.endpoints,
        clientId: target.client.clientId,
        redirectUri: target.client.redirectUri,
        overrides: { state: null },
      });
      const response = await requestAuthorize(request, url, 'POST');
      expect(response.status, response.bodyText.slice(0, 200)).toBe(401);
      expect(response.json).toEqual({ status_code: 401, message: 'State required in POST body.' });
    },
  );

  test(
    'a state of 15 characters is refused with 400',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-STATE-02'), severity('critical')] },
    async ({ request, target }) => {
      const { url } = buildAuthorizeRequest({
        endpoints: target.endpoints,
        clientId: target.client.clientId,
        redirectUri: target.client.redirectUri,
        overrides: { state: 'a'.repeat(15) },
      });
      const response = await requestAuthorize(request, url);
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ status_code: 400, message: 'State parameter should have a minimum of 16 characters' });
    },
  );

  test(
    'a state of exactly 16 characters is accepted: the request goes on to the Medicare login',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-STATE-02', 'BB2-OAUTH-AUTHORIZE-01'), severity('normal')] },
    async ({ request, target }) => {
      const { url } = buildAuthorizeRequest({
        endpoints: target.endpoints,
        clientId: target.client.clientId,
        redirectUri: target.client.redirectUri,
        overrides: { state: 'b'.repeat(16) },
      });
      const response = await requestAuthorize(request, url);
      expect(response.status, response.bodyText.slice(0, 200)).toBe(302);
      expect(response.location).toContain('/mymedicare/login');
    },
  );

  test(
    'the state comes back unchanged on the redirect with the code',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-STATE-04', 'RFC6749-4.1.2'), severity('critical')] },
    async ({ authorizeAsBeneficiary }) => {
      const state = 'state-with.unreserved~chars_0123456789';
      const authorization = await authorizeAsBeneficiary({ authorizeParams: { state } });
      expect(authorization.kind).toBe('code');
      expect(authorization.state).toBe(state);
    },
  );
});
