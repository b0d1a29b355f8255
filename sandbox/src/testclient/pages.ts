/**
 * The testclient's HTML pages. Element ids, link texts and headings follow BB2's testclient
 * (apps/testclient/templates in BB2, BB2-TESTCLIENT-*), because BB2's own Selenium and synthetic tests find them by those; the
 * explanatory text is the sandbox's own. Every dynamic value goes through escapeHtml.
 */
import { escapeHtml } from '../screens/html.js';
import type { ApiVersion } from './session.js';

export const SITE_TITLE = 'Blue Button API Test Client';

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; }
header { background: #0b4778; color: #fff; padding: 1.5rem 2rem; }
header h1 { margin: 0 0 .5rem; }
main { padding: 1.5rem 2rem; }
pre { background: #f0f0f0; padding: 1rem; overflow: auto; white-space: pre-wrap; word-break: break-all; }
.ds-c-button { display: inline-block; margin: .5rem .5rem .5rem 0; padding: .6rem 1rem; background: #0071bc; color: #fff; border-radius: 4px; text-decoration: none; }
.bb-nav a { margin-right: 1rem; }
.bb-copy-button { margin: .5rem 0; }
`;

/**
 * The page frame. The three nested divs put content at //*[@id='main-content']/div/div/div, the
 * XPath BB2's Selenium test reads the token from.
 */
function page(title: string, content: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - ${SITE_TITLE}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${SITE_TITLE}</h1>
<p>Walk through what an app and a Medicare beneficiary do to share claims data, using this sandbox's synthetic beneficiaries, and see what each API endpoint returns.</p>
</header>
<main id="main-content"><div class="container"><div class="ds-l-row"><div class="ds-l-lg-col--11">
${content}
</div></div></div></main>
</body>
</html>
`;
}

function authorizeLinkPath(version: ApiVersion): string {
  return version === 1 ? '/testclient/authorize-link' : '/testclient/authorize-link-v2';
}

export function homeWithoutToken(): string {
  return page(
    'Home',
    `<h2>Step 1: Sample Authorization</h2>
<p>First get a sample authorization token. The next page shows the authorization URL an app builds; following it, you sign in as a synthetic beneficiary and approve access, as a beneficiary would.</p>
<a id="auth_link_v2" href="/testclient/authorize-link-v2" class="ds-c-button">Get a Sample Authorization Token</a>`,
  );
}

/** A result page: what it calls, what BB2 calls the response, and its link on the home page. */
export interface ResultPage {
  readonly call: 'ExplanationOfBenefit' | 'Patient' | 'Coverage' | 'userinfo' | 'metadata' | 'openidConfig';
  readonly responseType: string;
  readonly linkText: string;
  readonly linkNote: string;
  /** Added to the home page's link (BB2 asks the metadata page for ?format=json). */
  readonly linkQuery: string;
}

/** In the order of BB2's home page list. */
export const RESULT_PAGES: readonly ResultPage[] = [
  { call: 'ExplanationOfBenefit', responseType: 'Bundle of ExplanationOfBenefit', linkText: 'ExplanationOfBenefit', linkNote: '', linkQuery: '' },
  { call: 'Patient', responseType: 'Patient', linkText: 'Patient', linkNote: '', linkQuery: '' },
  { call: 'Coverage', responseType: 'Bundle of Coverage', linkText: 'Coverage', linkNote: '', linkQuery: '' },
  { call: 'userinfo', responseType: 'Profile (OIDC Userinfo)', linkText: 'Profile', linkNote: ' (OIDC Userinfo)', linkQuery: '' },
  { call: 'metadata', responseType: 'FHIR Metadata', linkText: 'FHIR Metadata', linkNote: ' (no token needed)', linkQuery: '?format=json' },
  { call: 'openidConfig', responseType: 'OIDC Discovery', linkText: 'OIDC Discovery', linkNote: ' (no token needed)', linkQuery: '' },
];

/** BB2's testclient URLs: `/testclient/Patient` calls v1, `/testclient/PatientV2` calls v2. */
export function resultPath(page: ResultPage, version: ApiVersion): string {
  return `/testclient/${page.call}${version === 1 ? '' : `V${version}`}`;
}

/** The home page's API call links for the version the token was obtained on. */
export function apiCallLinks(version: ApiVersion): ReadonlyArray<{ readonly text: string; readonly href: string; readonly note: string }> {
  return RESULT_PAGES.map((page) => ({ text: page.linkText, href: `${resultPath(page, version)}${page.linkQuery}`, note: page.linkNote }));
}

const FHIR_RELEASE: Readonly<Record<ApiVersion, string>> = { 1: 'FHIR STU3', 2: 'FHIR R4' };

export function homeWithToken(version: ApiVersion, tokenRepr: string): string {
  const links = apiCallLinks(version)
    .map((link) => `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a>${escapeHtml(link.note)}</li>`)
    .join('\n');
  return page(
    'Home',
    `<h2><strong>API version: ${version}</strong></h2>
<h2>Step 1: Sample Authorization</h2>
<p>Success! You have a token. Make API calls with it below, or <a href="${authorizeLinkPath(version)}">repeat this step if you need a new token.</a> To start over, <a href="/testclient/restart">restart testclient</a>.</p>
<pre>${escapeHtml(tokenRepr)}</pre>
<h2>Step 2: API Calls</h2>
<p>Each link calls one endpoint of this sandbox with the token above and shows the response. The FHIR calls use API version ${version} (${FHIR_RELEASE[version]}), the version the token was obtained on.</p>
<ul>
${links}
</ul>`,
  );
}

export function authorizePage(version: ApiVersion, authorizationUrl: string): string {
  const url = escapeHtml(authorizationUrl);
  return page(
    'Sample API Call',
    `<h2>Sample API Call</h2>
<p>An app sends the beneficiary's browser to an authorization URL like the one below. The beneficiary signs in with Medicare credentials and chooses what to share; the app then receives a code to exchange for a token.</p>
<h2>API version: ${version}</h2>
<h3>Authorization Link</h3>
<pre id="auth-url">${url}</pre>
<div class="ds-c-alert">
<h3>Sign in as a synthetic beneficiary</h3>
<p>Usernames run from <strong>BBUser00000</strong> (password <strong>PW00000!</strong>) to <strong>BBUser29999</strong> (password <strong>PW29999!</strong>). The trailing ! belongs to the password.</p>
</div>
<div class="action-container">
<a href="${url}&amp;lang=en" class="ds-c-button">Authorize as a Beneficiary</a>
<a href="${url}&amp;lang=es" class="ds-c-button">Authorize as a Beneficiary (Spanish)</a>
</div>`,
  );
}

export interface NavLink {
  readonly relation: string;
  readonly href: string;
}

export interface ResultView {
  readonly responseType: string;
  readonly apiVersion: ApiVersion;
  readonly json: string;
  readonly pageInfo?: string;
  readonly nav?: readonly NavLink[];
}

export function resultPage(view: ResultView): string {
  const nav =
    view.nav && view.nav.length > 0
      ? `<h2>Page: ${escapeHtml(view.pageInfo ?? '')}</h2>
<div class="bb-nav"><h2>${view.nav.map((link) => `<a href="${escapeHtml(link.href)}">${escapeHtml(link.relation)}</a>`).join('\n')}</h2></div>`
      : '';
  return page(
    view.responseType,
    `<h2>Response (${escapeHtml(view.responseType)}), API version: ${view.apiVersion}</h2>
${nav}
<button type="button" class="bb-copy-button" onclick="navigator.clipboard.writeText(document.getElementById('fhir-json').textContent)">Copy to Clipboard</button>
<pre id="fhir-json">${escapeHtml(view.json)}</pre>
<p><a href="/testclient/">Back to the test client</a></p>`,
  );
}

export function errorPage(message: string): string {
  return page('Error', `<h2>Error</h2>\n<p>${escapeHtml(message)}</p>\n<p><a href="/testclient/">Back to the test client</a></p>`);
}
