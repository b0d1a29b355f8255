/**
 * Page objects of BB2's sandbox test client, /testclient/ (bb2-sandbox-facts.md §5). Element ids, link
 * texts and headings are the ones BB2's own Selenium tests use (§6.1), so they fit the real sandbox and
 * the embedded one alike.
 *
 * The home page shows the token in a <pre>: nothing here returns or prints that text; only the
 * patient id is read out of it.
 */
import type { Locator, Page } from '@playwright/test';
import type { SyntheticUserCredentials } from '../../lib/config.js';
import { ConsentPage, type ConsentDecision } from '../../fixtures/pages/consent-page.js';
import { CredentialProviderChooser } from '../../fixtures/pages/credential-provider-chooser.js';
import { MedicareLoginPage } from '../../fixtures/pages/medicare-login-page.js';

export const TESTCLIENT_HOME = '/testclient/';

/** The result pages of API version 1 (STU3), the version this suite checks (§5). */
export const V1_RESULT_PATHS = {
  Patient: '/testclient/Patient',
  Coverage: '/testclient/Coverage',
  ExplanationOfBenefit: '/testclient/ExplanationOfBenefit',
} as const;
export type ApiCall = keyof typeof V1_RESULT_PATHS;

export class TestClientHome {
  readonly getTokenLink: Locator;
  readonly successMessage: Locator;

  constructor(readonly page: Page, readonly baseUrl: string) {
    this.getTokenLink = page.getByRole('link', { name: 'Get a Sample Authorization Token', exact: true });
    this.successMessage = page.getByText(/Success! You have a token/);
  }

  async goto(): Promise<void> {
    await this.page.goto(`${this.baseUrl}${TESTCLIENT_HOME}`);
  }

  apiCallLink(name: ApiCall): Locator {
    return this.page.getByRole('link', { name, exact: true });
  }

  /** The `patient` of the token shown on the home page (a Python dict repr), without reading out anything else. */
  async tokenPatient(): Promise<string | undefined> {
    const texts = await this.page.locator('pre').allTextContents();
    for (const text of texts) {
      const match = /['"]patient['"]\s*:\s*['"](-?\d+)['"]/.exec(text);
      if (match) return match[1];
    }
    return undefined;
  }
}

export class TestClientAuthorizeLink {
  readonly authorizationUrl: Locator;
  readonly authorizeButton: Locator;

  constructor(readonly page: Page) {
    this.authorizationUrl = page.locator('pre#auth-url');
    this.authorizeButton = page.getByRole('link', { name: 'Authorize as a Beneficiary', exact: true });
  }
}

/** Medicare.gov login (after an optional credential-provider chooser) and BB2's consent screen. */
export async function logInAndDecide(page: Page, user: SyntheticUserCredentials, decision: ConsentDecision): Promise<void> {
  const login = new MedicareLoginPage(page);
  const chooser = new CredentialProviderChooser(page);
  const consent = new ConsentPage(page);
  await login.usernameField.or(chooser.medicareOption).first().waitFor({ state: 'visible' });
  if (await chooser.medicareOption.isVisible()) await chooser.chooseMedicare();
  await login.logIn(user);
  await consent.approveButton.waitFor({ state: 'visible' });
  if (decision === 'connect') await consent.setSharePersonalInfo(true);
  await consent.decide(decision);
}

export class TestClientResult {
  readonly heading: Locator;
  readonly json: Locator;
  readonly pageInfo: Locator;

  constructor(readonly page: Page) {
    this.heading = page.locator('h2').filter({ hasText: /^\s*Response \(/ });
    this.json = page.locator('pre#fhir-json');
    this.pageInfo = page.locator('h2').filter({ hasText: /^\s*Page:/ });
  }

  navLink(relation: 'first' | 'next' | 'previous' | 'last' | 'self'): Locator {
    return this.page.getByRole('link', { name: relation, exact: true });
  }

  /** "Response (Bundle of Coverage), API version: 1" → { type: 'Bundle of Coverage', version: 1 }. */
  async describe(): Promise<{ type: string; version: number } | undefined> {
    const text = (await this.heading.first().textContent()) ?? '';
    const match = /Response \((.+)\), API version: (\d+)/.exec(text.replace(/\s+/g, ' '));
    return match ? { type: match[1] as string, version: Number(match[2]) } : undefined;
  }

  /** The JSON shown in `<pre id="fhir-json">`; undefined when it does not parse. */
  async body(): Promise<unknown> {
    const text = (await this.json.textContent()) ?? '';
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  /** "Page: 2/15" → [2, 15]. */
  async pagePosition(): Promise<[number, number] | undefined> {
    const match = /Page:\s*(\d+)\s*\/\s*(\d+)/.exec((await this.pageInfo.first().textContent()) ?? '');
    return match ? [Number(match[1]), Number(match[2])] : undefined;
  }
}
