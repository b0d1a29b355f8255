/**
 * The sandbox test client's first way in (BB2-TESTCLIENT-*; BB2's Selenium test_auth_grant_fhir_calls_v2):
 * /testclient/ → "Get a Sample Authorization Token" → "Authorize as a Beneficiary" → Medicare.gov
 * login → Connect → back on /testclient/ with a token → the Patient, Coverage and ExplanationOfBenefit
 * result pages of the API version under test, whose JSON must be valid FHIR of that version's release
 * following BB2's rules, and the `last` link of each Bundle page.
 *
 * The home page authorizes on v2 and links the v2 pages (PatientV2, …), as BB2's does: the v2 project
 * follows those links. BB2 keeps the v1 pages (/testclient/Patient, …) reachable with the same token:
 * the v1 project opens them by their URL.
 *
 * One browser context walks through in order (serial), as a person would.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { bundleResources, bundleTotal, DEFAULT_PAGE_SIZE, linkUrl, resourceId } from '../../lib/fhir/bundle.js';
import { expect, requirement, requirementsPerVersion, severity, test, type ApiUnderTest } from '../../fixtures/fhir.js';
import { logInAndDecide, resultPagePath, TestClientAuthorizeLink, TestClientHome, TestClientResult, type ApiCall } from '../../fixtures/pages/testclient-pages.js';

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

  /** Opens the result page of an API call for the version under test: by the home page's link where it links that version's pages, else by its URL. */
  async function openApiCall(name: ApiCall, api: ApiUnderTest): Promise<TestClientResult> {
    if (api.testClient.linkedFromHome) {
      await home.goto();
      await home.apiCallLink(name).click();
    } else {
      await page.goto(`${home.baseUrl}${resultPagePath(name, api)}`);
    }
    const result = new TestClientResult(page);
    await expect(result.heading).toBeVisible();
    expect(new URL(page.url()).pathname, `the ${name} page of API ${api.name}`).toBe(resultPagePath(name, api));
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
    "the version's Patient page shows the beneficiary's Patient, valid FHIR of the version's release, following BB2's rules",
    {
      tag: [...TAGS, '@fhir'],
      annotation: [requirement('BB2-TESTCLIENT-RESULTS-01', 'BB2-TESTCLIENT-RESULTS-03', 'BB2-FHIR-ID-01', 'BB2-FHIR-DATA-01'), ...requirementsPerVersion('validResource', 'patientIdentifiers'), severity('critical')],
    },
    async ({ api }) => {
      const result = await openApiCall('Patient', api);
      expect(await result.describe()).toEqual({ type: 'Patient', version: api.testClient.version });
      const body = await result.body();
      expect(body).toBeValidFhir(api, 'Patient');
      expect(body).toFollowBb2Rules(api, { patientId: patient, synthetic: true });
      expect(resourceId(body)).toBe(patient);
    },
  );

  for (const [name, type] of [
    ['Coverage', 'Bundle of Coverage'],
    ['ExplanationOfBenefit', 'Bundle of ExplanationOfBenefit'],
  ] as const) {
    test(
      `the version's ${name} page shows a Bundle, valid FHIR of the version's release, and its "last" link shows the last page`,
      {
        tag: [...TAGS, '@fhir'],
        annotation: [requirement('BB2-TESTCLIENT-RESULTS-02', 'BB2-TESTCLIENT-RESULTS-03', 'BB2-FHIR-DATA-05'), ...requirementsPerVersion('validResource'), severity('critical')],
      },
      async ({ api }) => {
        const result = await openApiCall(name, api);
        expect(await result.describe()).toEqual({ type, version: api.testClient.version });
        const first = await result.body();
        expect(first).toBeValidFhir(api, 'Bundle');
        expect(first).toFollowBb2Rules(api, { patientId: patient, synthetic: true });
        const total = bundleTotal(first) ?? Number.NaN;
        const pages = Math.max(1, Math.ceil(total / DEFAULT_PAGE_SIZE));
        expect(await result.pagePosition(), 'the page position shown').toEqual([1, pages]);

        await result.navLink('last').click();
        await expect(result.pageInfo).toContainText(`${pages}/${pages}`);
        const last = await result.body();
        expect(last).toBeValidFhir(api, 'Bundle');
        expect(last).toFollowBb2Rules(api, { patientId: patient, synthetic: true });
        expect(linkUrl(last, 'next'), 'the last page has no next link').toBeUndefined();
        expect(bundleResources(last), 'entries on the last page').toHaveLength(total - (pages - 1) * DEFAULT_PAGE_SIZE);
      },
    );
  }
});
