/**
 * The sandbox test client's first way in (BB2-TESTCLIENT-*; BB2's Selenium test_auth_grant_fhir_calls_v2):
 * /testclient/ → "Get a Sample Authorization Token" → "Authorize as a Beneficiary" → Medicare.gov
 * login → Connect → back on /testclient/ with a token → the Patient, Coverage and ExplanationOfBenefit
 * pages, whose JSON must be valid STU3 following BB2's rules, and the `last` link of each Bundle page.
 *
 * One browser context walks through in order (serial), as a person would. The test client's pages
 * call API version 1 on the embedded sandbox; where the target's links call another version (the real
 * sandbox's v2 pages), the v1 page of the same name is opened by its URL, since the suite checks STU3.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { bundleResources, bundleTotal, DEFAULT_PAGE_SIZE, linkUrl, resourceId } from '../../lib/fhir/bundle.js';
import { expect, requirement, severity, test } from '../../fixtures/fhir.js';
import { logInAndDecide, TestClientAuthorizeLink, TestClientHome, TestClientResult, V1_RESULT_PATHS, type ApiCall } from '../../fixtures/pages/testclient-pages.js';

const TAGS = ['@testclient'];

test.describe.configure({ mode: 'serial' });

test.describe('testclient: authorize as a beneficiary, then call the API', () => {
  let context: BrowserContext;
  let page: Page;
  let home: TestClientHome;
  let patient: string | undefined;

  test.beforeAll(async ({ browser, target }) => {
    // Screenshots stay off: the home page shows the token (the page fixture is not used here).
    context = await browser.newContext();
    context.setDefaultTimeout(target.timeouts.requestMs);
    context.setDefaultNavigationTimeout(target.timeouts.navigationMs);
    page = await context.newPage();
    home = new TestClientHome(page, target.baseUrl);
  });

  test.afterAll(async () => {
    await context?.close();
  });

  /** Opens an API call from the home page and returns its result page, on API version 1. */
  async function openApiCall(name: ApiCall): Promise<TestClientResult> {
    await home.goto();
    await home.apiCallLink(name).click();
    const result = new TestClientResult(page);
    await expect(result.heading).toBeVisible();
    const shown = await result.describe();
    if (shown?.version !== 1) {
      test.info().annotations.push({ type: 'note', description: `the ${name} link calls API version ${shown?.version ?? '?'}; opened ${V1_RESULT_PATHS[name]}` });
      await page.goto(`${home.baseUrl}${V1_RESULT_PATHS[name]}`);
      await expect(result.heading).toBeVisible();
    }
    return result;
  }

  test(
    '"Get a Sample Authorization Token" shows an authorization URL with a PKCE S256 challenge',
    { tag: TAGS, annotation: [requirement('BB2-TESTCLIENT-LINK-01'), severity('critical')] },
    async () => {
      await home.goto();
      await home.getTokenLink.click();
      const authorizeLink = new TestClientAuthorizeLink(page);
      await expect(authorizeLink.authorizationUrl).toContainText('code_challenge=');
      await expect(authorizeLink.authorizationUrl).toContainText('code_challenge_method=S256');
      await expect(authorizeLink.authorizeButton).toBeVisible();
    },
  );

  test(
    '"Authorize as a Beneficiary", the Medicare.gov login and Connect lead back to the test client with a token',
    { tag: TAGS, annotation: [requirement('BB2-TESTCLIENT-CALLBACK-01'), severity('blocker')] },
    async ({ spareUser }) => {
      await new TestClientAuthorizeLink(page).authorizeButton.click();
      await logInAndDecide(page, spareUser(), 'connect');
      await expect(page).toHaveURL(new RegExp(`^${home.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/testclient/?$`));
      await expect(home.successMessage).toBeVisible();
      patient = await home.tokenPatient();
      expect(patient, "the token's synthetic patient id").toMatch(/^-\d+$/);
    },
  );

  test(
    "the Patient page shows the beneficiary's Patient as valid STU3 following BB2's rules",
    { tag: [...TAGS, '@fhir'], annotation: [requirement('BB2-TESTCLIENT-RESULTS-01', 'BB2-FHIR-STU3-01', 'BB2-FHIR-ID-01', 'BB2-FHIR-IDENTIFIER-01', 'BB2-FHIR-IDENTIFIER-02', 'BB2-FHIR-IDENTIFIER-03', 'BB2-FHIR-DATA-01'), severity('critical')] },
    async () => {
      const result = await openApiCall('Patient');
      expect(await result.describe()).toEqual({ type: 'Patient', version: 1 });
      const body = await result.body();
      expect(body).toBeValidStu3('Patient');
      expect(body).toFollowBb2Rules({ patientId: patient, synthetic: true });
      expect(resourceId(body)).toBe(patient);
    },
  );

  for (const [name, type] of [
    ['Coverage', 'Bundle of Coverage'],
    ['ExplanationOfBenefit', 'Bundle of ExplanationOfBenefit'],
  ] as const) {
    test(
      `the ${name} page shows a valid STU3 Bundle, and its "last" link shows the last page`,
      { tag: [...TAGS, '@fhir'], annotation: [requirement('BB2-TESTCLIENT-RESULTS-02', 'BB2-FHIR-STU3-01', 'BB2-FHIR-DATA-05'), severity('critical')] },
      async () => {
        const result = await openApiCall(name);
        expect(await result.describe()).toEqual({ type, version: 1 });
        const first = await result.body();
        expect(first).toBeValidStu3('Bundle');
        expect(first).toFollowBb2Rules({ patientId: patient, synthetic: true });
        const total = bundleTotal(first) ?? Number.NaN;
        const pages = Math.max(1, Math.ceil(total / DEFAULT_PAGE_SIZE));
        expect(await result.pagePosition(), 'the page position shown').toEqual([1, pages]);

        await result.navLink('last').click();
        await expect(result.pageInfo).toContainText(`${pages}/${pages}`);
        const last = await result.body();
        expect(last).toBeValidStu3('Bundle');
        expect(last).toFollowBb2Rules({ patientId: patient, synthetic: true });
        expect(linkUrl(last, 'next'), 'the last page has no next link').toBeUndefined();
        expect(bundleResources(last), 'entries on the last page').toHaveLength(total - (pages - 1) * DEFAULT_PAGE_SIZE);
      },
    );
  }
});
