/**
 * The test client's deny path (BB2-TESTCLIENT-DENY-01; BB2's Selenium test_auth_deny_fhir_calls_v2): Cancel on
 * BB2's consent screen brings the beneficiary back to the test client's home, without a token, with
 * "Get a Sample Authorization Token" offered again. No API is called, so whatever the version under
 * test this is the same check: it runs once (@version-independent).
 */
import { expect, requirement, severity, test, VERSION_INDEPENDENT_TAG } from '../../fixtures/fhir.js';
import { logInAndDecide, TestClientAuthorizeLink, TestClientHome } from '../../fixtures/pages/testclient-pages.js';

test(
  'Cancel on the consent screen returns to the test client home with "Get a Sample Authorization Token" and no token',
  { tag: ['@testclient', VERSION_INDEPENDENT_TAG], annotation: [requirement('BB2-TESTCLIENT-DENY-01'), severity('critical')] },
  async ({ page, target, spareUser }) => {
    const home = new TestClientHome(page, target.baseUrl);
    await home.goto();
    await home.getTokenLink.click();
    await new TestClientAuthorizeLink(page).authorizeButton.click();
    await logInAndDecide(page, spareUser(), 'cancel');
    await expect(home.getTokenLink).toBeVisible();
    expect(new URL(page.url()).pathname).toBe('/testclient/');
    await expect(home.successMessage).toHaveCount(0);
  },
);
