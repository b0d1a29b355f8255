/**
 * Not a conformance check: the redaction test's (../redaction.e2e.test.ts) deliberately failing test client
 * check. With BB2_REDACTION_PROBE=1 it authorizes through the test client, whose home page then prints the
 * token response, and fails on purpose while that page is open: the failure's screenshot and Playwright's
 * page snapshot (error-context.md) are taken of a page that showed a live token. Run only by
 * redaction.config.ts.
 */
import { expect, test } from '../../../fixtures/index.js';
import { logInAndDecide, TestClientAuthorizeLink, TestClientHome } from '../../../fixtures/pages/testclient-pages.js';

test('redaction probe: a test client check fails while the page shows a token', async ({ page, target, spareUser }) => {
  test.skip(process.env.BB2_REDACTION_PROBE !== '1', 'runs only inside the redaction test');
  const home = new TestClientHome(page, target.baseUrl);
  await home.goto();
  await home.getTokenLink.click();
  await new TestClientAuthorizeLink(page).authorizeButton.click();
  await logInAndDecide(page, spareUser(), 'connect');
  await expect(home.successMessage).toBeVisible();
  // Fails on purpose, on the page that prints the token (not a locator assertion, so Playwright takes its own page snapshot).
  expect(await page.title(), 'the testclient redaction probe fails on purpose').toBe('not the title of the test client');
});
