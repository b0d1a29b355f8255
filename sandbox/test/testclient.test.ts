/**
 * The built-in test client (/testclient/, BB2-TESTCLIENT-*) end to end with fetch, as a browser
 * would use it: authorization link, Medicare login and consent, callback, token page, result pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { claimCountsForUser, CLAIM_TYPES, findUserByUsername } from '../src/data/index.js';
import { startSandbox, type RunningSandbox } from '../src/server.js';
import { CookieJar, walkAuthorization, type BeneficiaryChoice } from '../src/login-walker.js';

let sandbox: RunningSandbox;

before(async () => {
  sandbox = await startSandbox({ port: 0, logLevel: 'silent' });
});

after(async () => {
  await sandbox.close();
});

function decode(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function preById(html: string, id: string): string {
  const match = new RegExp(`<pre id="${id}">([\\s\\S]*?)</pre>`).exec(html);
  assert.ok(match, `no pre#${id}`);
  return decode(match[1] as string);
}

function linksByText(html: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const match of html.matchAll(/<a [^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)) links.set((match[2] as string).trim(), decode(match[1] as string));
  return links;
}

async function page(jar: CookieJar, path: string): Promise<{ response: Response; html: string }> {
  const response = await jar.fetch(`${sandbox.url}${path}`);
  return { response, html: await response.text() };
}

/** Authorization link -> login -> consent -> callback; returns the callback's response. */
async function authorize(jar: CookieJar, choice: BeneficiaryChoice, link = '/testclient/authorize-link-v2'): Promise<Response> {
  const { html } = await page(jar, link);
  const authUrl = preById(html, 'auth-url');
  const landed = await walkAuthorization(jar, `${authUrl}&lang=en`, `${sandbox.url}/testclient/callback`, choice);
  return jar.fetch(landed.href);
}

describe('testclient without a token', () => {
  it('shows Step 1 with the v2 authorization link', async () => {
    const { response, html } = await page(new CookieJar(), '/testclient/');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(html, /Blue Button API Test Client/);
    assert.match(html, /<h2>Step 1: Sample Authorization<\/h2>/);
    assert.match(html, /<a id="auth_link_v2" href="\/testclient\/authorize-link-v2"[^>]*>Get a Sample Authorization Token<\/a>/);
    assert.doesNotMatch(html, /Success! You have a token\./);
  });
  it('adds the slash Django would add', async () => {
    const response = await fetch(`${sandbox.url}/testclient`, { redirect: 'manual' });
    assert.equal(response.status, 301);
    assert.equal(response.headers.get('location'), '/testclient/');
  });
  it('sends result pages home', async () => {
    for (const path of ['/testclient/Patient', '/testclient/ExplanationOfBenefit', '/testclient/metadata?format=json', '/testclient/openidConfig', '/testclient/PatientV2', '/testclient/metadataV2?format=json']) {
      const { response } = await page(new CookieJar(), path);
      assert.equal(response.status, 301, path);
      assert.equal(response.headers.get('location'), '/testclient/');
    }
  });
});

describe('authorization link', () => {
  for (const [path, version] of [
    ['/testclient/authorize-link-v2', 2],
    ['/testclient/authorize-link', 1],
  ] as const) {
    it(`${path} shows a PKCE authorization URL for API version ${version}`, async () => {
      const jar = new CookieJar();
      const { response, html } = await page(jar, path);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('set-cookie') ?? '', /HttpOnly/i);
      assert.match(html, new RegExp(`<h2>API version: ${version}</h2>`));
      const url = new URL(preById(html, 'auth-url'));
      assert.equal(`${url.origin}${url.pathname}`, `${sandbox.url}/v${version}/o/authorize/`);
      assert.equal(url.searchParams.get('response_type'), 'code');
      assert.match(url.searchParams.get('client_id') ?? '', /^[A-Za-z0-9]{40}$/);
      assert.equal(url.searchParams.get('redirect_uri'), `${sandbox.url}/testclient/callback`);
      assert.ok((url.searchParams.get('state') ?? '').length >= 16);
      // Padded, as BB2's test client sends it (Python's urlsafe_b64encode keeps the "=").
      assert.match(url.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}=$/);
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
      assert.doesNotMatch(html, /code_verifier|client_secret/);
      const links = linksByText(html);
      assert.equal(links.get('Authorize as a Beneficiary'), `${url.href}&lang=en`);
      assert.equal(links.get('Authorize as a Beneficiary (Spanish)'), `${url.href}&lang=es`);
      assert.match(html, /BBUser00000/);
    });
  }
});

describe('testclient with a token', () => {
  const jar = new CookieJar();

  before(async () => {
    const callback = await authorize(jar, { username: 'BBUser29999' });
    assert.equal(callback.status, 301);
    assert.equal(callback.headers.get('location'), '/testclient/');
  });

  it('shows the token and the v2 API call links', async () => {
    const { html } = await page(jar, '/testclient/');
    assert.match(html, /Success! You have a token\./);
    assert.match(html, /<h2><strong>API version: 2<\/strong><\/h2>/);
    const tokenRepr = decode(/<pre>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? '');
    assert.match(tokenRepr, /^\{'access_token': '[^']+', /);
    assert.match(tokenRepr, /'token_type': 'Bearer'/);
    assert.match(tokenRepr, /'scope': \['[^\]]*'patient\/ExplanationOfBenefit\.rs'/);
    assert.match(tokenRepr, /'patient': '-20140000010000'/);
    assert.match(tokenRepr, /'expires_at': \d+(\.\d+)?\}$/);
    assert.match(html, /<h2>Step 2: API Calls<\/h2>/);
    const links = linksByText(html);
    assert.equal(links.get('ExplanationOfBenefit'), '/testclient/ExplanationOfBenefitV2');
    assert.equal(links.get('Patient'), '/testclient/PatientV2');
    assert.equal(links.get('Coverage'), '/testclient/CoverageV2');
    assert.equal(links.get('Profile'), '/testclient/userinfoV2');
    assert.equal(links.get('FHIR Metadata'), '/testclient/metadataV2?format=json');
    assert.equal(links.get('OIDC Discovery'), '/testclient/openidConfigV2');
    assert.equal(links.get('restart testclient'), '/testclient/restart');
    assert.equal(links.get('repeat this step if you need a new token.'), '/testclient/authorize-link-v2');
  });

  for (const version of [2, 1] as const) {
    const suffix = version === 2 ? 'V2' : '';
    it(`shows each API response of version ${version} with its heading (/testclient/…${suffix})`, async () => {
      const expectations: Array<[string, string, (body: Record<string, unknown>) => void]> = [
        [`/testclient/Patient${suffix}`, 'Patient', (body) => {
          assert.equal(body.id, '-20140000010000');
          assert.equal((body.meta as { profile?: unknown }).profile === undefined, version === 1, 'only the R4 Patient has a C4BB profile');
        }],
        [`/testclient/Coverage${suffix}`, 'Bundle of Coverage', (body) => assert.equal(body.total, 4)],
        [`/testclient/userinfo${suffix}`, 'Profile (OIDC Userinfo)', (body) => assert.equal(body.patient, '-20140000010000')],
        [`/testclient/metadata${suffix}?format=json`, 'FHIR Metadata', (body) => assert.equal(body.fhirVersion, version === 1 ? '3.0.2' : '4.0.1')],
        [`/testclient/openidConfig${suffix}`, 'OIDC Discovery', (body) => assert.equal(body.issuer, sandbox.url)],
      ];
      for (const [path, type, check] of expectations) {
        const { response, html } = await page(jar, path);
        assert.equal(response.status, 200, path);
        assert.ok(html.includes(`<h2>Response (${type}), API version: ${version}</h2>`), path);
        const text = preById(html, 'fhir-json');
        assert.match(text, /^\{\n {3}"/, 'indented as json.dumps(indent=3)');
        check(JSON.parse(text) as Record<string, unknown>);
      }
    });

    it(`pages through ExplanationOfBenefit${suffix} with first/next/last/self links into /v${version}/fhir`, async () => {
      const user = findUserByUsername('BBUser29999');
      assert.ok(user);
      const counts = claimCountsForUser(user);
      const total = CLAIM_TYPES.reduce((sum, type) => sum + counts[type], 0);
      const pages = Math.ceil(total / 10);
      const path = `/testclient/ExplanationOfBenefit${suffix}`;
      const first = await page(jar, path);
      assert.ok(first.html.includes(`<h2>Response (Bundle of ExplanationOfBenefit), API version: ${version}</h2>`));
      assert.ok(first.html.includes(`<h2>Page: 1/${pages}</h2>`), `expected Page: 1/${pages}`);
      const links = linksByText(first.html);
      for (const relation of ['first', 'next', 'last', 'self']) {
        const link = links.get(relation) ?? '';
        assert.ok(link.startsWith(`${path}?nav_link=`), relation);
        assert.equal(new URL(new URLSearchParams(link.slice(link.indexOf('?'))).get('nav_link') ?? '').pathname.startsWith(`/v${version}/fhir/ExplanationOfBenefit`), true, relation);
      }
      assert.equal(links.has('previous'), false);

      const last = await page(jar, links.get('last') as string);
      assert.equal(last.response.status, 200);
      assert.ok(last.html.includes(`<h2>Page: ${pages}/${pages}</h2>`));
      const lastBody = JSON.parse(preById(last.html, 'fhir-json')) as { entry: unknown[] };
      assert.equal(lastBody.entry.length, total - (pages - 1) * 10);
      assert.ok(linksByText(last.html).has('previous'));
    });
  }

  it('refuses nav_link URLs outside the page\'s own FHIR endpoint', async () => {
    const eobV1 = `${sandbox.url}/v1/fhir/ExplanationOfBenefit/`;
    const eobV2 = `${sandbox.url}/v2/fhir/ExplanationOfBenefit/`;
    for (const [path, target] of [
      ['/testclient/ExplanationOfBenefit', 'http://169.254.169.254/latest/meta-data'],
      ['/testclient/ExplanationOfBenefit', `${sandbox.url}/v1/fhir/Patient/`],
      ['/testclient/ExplanationOfBenefit', 'not a url'],
      ['/testclient/ExplanationOfBenefit', eobV2],
      ['/testclient/ExplanationOfBenefitV2', eobV1],
      ['/testclient/CoverageV2', eobV2],
    ]) {
      const { response } = await page(jar, `${path}?nav_link=${encodeURIComponent(target as string)}`);
      assert.equal(response.status, 400, `${path} -> ${target}`);
    }
    assert.equal((await page(jar, `/testclient/ExplanationOfBenefitV2?nav_link=${encodeURIComponent(`${eobV2}?startIndex=10&_count=10`)}`)).response.status, 200);
  });

  it('restart drops the token', async () => {
    const restarted = await page(jar, '/testclient/restart');
    assert.equal(restarted.response.status, 200);
    assert.match(restarted.html, /Get a Sample Authorization Token/);
    const home = await page(jar, '/testclient/');
    assert.doesNotMatch(home.html, /Success! You have a token\./);
    assert.equal((await page(jar, '/testclient/Patient')).response.status, 301);
    assert.equal((await page(jar, '/testclient/PatientV2')).response.status, 301);
  });
});

describe('testclient authorized on v1', () => {
  it('links the v1 result pages, which call /v1', async () => {
    const jar = new CookieJar();
    assert.equal((await authorize(jar, { username: 'BBUser00012' }, '/testclient/authorize-link')).status, 301);
    const { html } = await page(jar, '/testclient/');
    assert.match(html, /<h2><strong>API version: 1<\/strong><\/h2>/);
    const links = linksByText(html);
    assert.equal(links.get('Patient'), '/testclient/Patient');
    assert.equal(links.get('FHIR Metadata'), '/testclient/metadata?format=json');
    assert.equal(links.get('repeat this step if you need a new token.'), '/testclient/authorize-link');
    const patient = await page(jar, '/testclient/Patient');
    assert.ok(patient.html.includes('<h2>Response (Patient), API version: 1</h2>'));
    // A v1 token reads v2 as well (BB2 §4.1): the v2 pages stay reachable by their URLs.
    const v2 = await page(jar, '/testclient/PatientV2');
    assert.ok(v2.html.includes('<h2>Response (Patient), API version: 2</h2>'));
  });
});

describe('callback edge cases', () => {
  it('an error from the authorization server drops the token and goes home', async () => {
    const jar = new CookieJar();
    await authorize(jar, { username: 'BBUser00010' });
    assert.match((await page(jar, '/testclient/')).html, /Success! You have a token\./);
    const denied = await authorize(jar, { username: 'BBUser00010', approve: false });
    assert.equal(denied.status, 301);
    assert.equal(denied.headers.get('location'), '/testclient/');
    assert.doesNotMatch((await page(jar, '/testclient/')).html, /Success! You have a token\./);
  });
  it('a callback with a state this session did not issue is not exchanged', async () => {
    const jar = new CookieJar();
    await page(jar, '/testclient/authorize-link-v2');
    const response = await jar.fetch(`${sandbox.url}/testclient/callback?code=abc&state=not-the-issued-state-0000`);
    assert.equal(response.status, 301);
    assert.doesNotMatch((await page(jar, '/testclient/')).html, /Success! You have a token\./);
  });
  it('a callback without a session is the JSON error BB2 returns', async () => {
    const response = await fetch(`${sandbox.url}/testclient/callback?code=abc&state=xyz`);
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), {
      error: 'Missing API version in callback session',
      code: 'MissingCallbackVersion',
      help: 'Try authorizing again',
    });
  });
  it('with Personal Information withheld, Patient and Profile show the 403 message', async () => {
    const jar = new CookieJar();
    assert.equal((await authorize(jar, { username: 'BBUser00011', shareDemographics: false }, '/testclient/authorize-link')).status, 301);
    for (const path of ['/testclient/Patient', '/testclient/userinfo']) {
      const { html } = await page(jar, path);
      assert.match(preById(html, 'fhir-json'), /You do not have permission to perform this action\./, path);
    }
    const coverage = await page(jar, '/testclient/Coverage');
    assert.equal((JSON.parse(preById(coverage.html, 'fhir-json')) as { total: number }).total, 4);
  });
});
