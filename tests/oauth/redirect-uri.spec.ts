/**
 * redirect_uri must match (RFC 6749 §3.1.2, §4.1.3; BB2-OAUTH-REDIRECT-01..02): an unregistered
 * one gets an error on BB2's consent step and never a code; at /token it must equal the authorize one.
 */
import { buildAuthorizeRequest } from '../../lib/oauth/authorize-request.js';
import { MedicareLoginPage } from '../../fixtures/pages/medicare-login-page.js';
import { expect, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/index.js';

const TAGS = ['@oauth', '@security', VERSION_INDEPENDENT_TAG];

test.describe('redirect_uri', () => {
  test(
    'an unregistered redirect_uri gets 400 "Mismatching redirect URI." on the consent step, and the browser is never sent there',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REDIRECT-01', 'RFC6749-3.1.2.4', 'RFC6749-10.6'), severity('critical')] },
    async ({ page, target, spareUser }) => {
      const unregistered = new URL('/not-registered-callback', target.client.redirectUri).toString();
      const { url } = buildAuthorizeRequest({
        endpoints: target.endpoints,
        clientId: target.client.clientId,
        redirectUri: unregistered,
      });
      const sentThere: string[] = [];
      page.on('request', (request) => {
        if (request.url().startsWith(unregistered)) sentThere.push(request.url().split('?')[0] as string);
      });
      const consentStep = page.waitForResponse((response) => /\/o\/authorize\/[0-9a-f-]{36}\//i.test(response.url()));
      await page.goto(url);
      await new MedicareLoginPage(page).logIn(spareUser());
      const response = await consentStep;
      expect(response.status()).toBe(400);
      await expect(page.locator('body')).toContainText('Mismatching redirect URI.');
      expect(sentThere).toEqual([]);
    },
  );

  test(
    'a token request whose redirect_uri differs from the authorize one is refused with 400 invalid_request',
    { tag: TAGS, annotation: [requirement('BB2-OAUTH-REDIRECT-02', 'RFC6749-4.1.3'), severity('critical')] },
    async ({ freshAuthorization, oauthClient }) => {
      const different = new URL('/other-callback', freshAuthorization.redirectUri).toString();
      const result = await oauthClient.exchangeCode({
        code: freshAuthorization.code,
        codeVerifier: freshAuthorization.verifier,
        redirectUri: different,
      });
      expect(result.status).toBe(400);
      expect(result.json).toEqual({ error: 'invalid_request', error_description: 'Mismatching redirect URI.' });
    },
  );
});
