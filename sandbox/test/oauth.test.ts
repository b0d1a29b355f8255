/**
 * The embedded sandbox's OAuth server against the BB2-OAUTH-* requirements (requirements/bb2.json), driven over HTTP like a
 * browser (manual redirects, a cookie jar) and like an app's back end (token, revoke, introspect).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createBehaviour } from '../src/behaviour.js';
import type { SandboxContext } from '../src/context.js';
import { createLogger } from '../src/log.js';
import { createOAuth, TEST_CLIENT } from '../src/oauth/index.js';
import { startSandbox, type RunningSandbox } from '../src/server.js';
import { parseSandboxSettings } from '../src/settings.js';

// ---------------------------------------------------------------------------------------------
// A small browser: follows nothing by itself, keeps cookies per origin-path like a browser would.

class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(new URL(url, this.base), { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) this.cookies.set(name.trim(), value.join('='));
    }
    return response;
  }

  get cookieCount(): number {
    return this.cookies.size;
  }
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function post(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { ...FORM, ...headers }, body: new URLSearchParams(fields).toString() };
}

function basic(id: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` };
}

function location(response: Response): string {
  const value = response.headers.get('location');
  assert.ok(value, `expected a Location header (status ${response.status})`);
  return value;
}

interface Client {
  readonly id: string;
  readonly secret: string;
  readonly redirectUri: string;
  readonly name: string;
}

interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
}

function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeQuery(client: Client, challenge: string, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    client_id: client.id,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    state: `state-${randomBytes(12).toString('hex')}`,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
}

interface FlowOptions {
  readonly version?: 1 | 2;
  readonly username?: string;
  readonly extra?: Record<string, string>;
  readonly shareDemographics?: boolean;
  readonly allow?: boolean;
}

/** Anything serving the sandbox's OAuth routes at `url`. */
interface Target {
  readonly url: string;
}

interface ConsentStep {
  readonly browser: Browser;
  readonly consentUrl: string;
  readonly query: URLSearchParams;
  readonly pkce: Pkce;
}

/** /authorize -> /mymedicare/login -> the Medicare login -> sls-callback; stops at the consent URL. */
async function loginToConsent(sb: Target, client: Client, options: FlowOptions = {}): Promise<ConsentStep> {
  const browser = new Browser(sb.url);
  const codes = pkce();
  const query = authorizeQuery(client, codes.challenge, options.extra);
  const version = options.version ?? 2;
  let response = await browser.request(`/v${version}/o/authorize/?${query}`);
  assert.equal(response.status, 302);
  response = await browser.request(location(response));
  assert.equal(response.status, 302);
  const loginUrl = new URL(location(response));
  response = await browser.request(loginUrl.href);
  assert.equal(response.status, 200);
  const username = options.username ?? 'BBUser29999';
  const hidden = { relay: loginUrl.searchParams.get('relay') ?? '', redirect_uri: loginUrl.searchParams.get('redirect_uri') ?? '', lang: 'en' };
  response = await browser.request('/mock-medicare/login', post({ ...hidden, step: 'username', username }));
  assert.equal(response.status, 200);
  response = await browser.request('/mock-medicare/login', post({ ...hidden, step: 'password', username, password: `PW${username.slice(6)}!` }));
  assert.equal(response.status, 302);
  response = await browser.request(location(response));
  assert.equal(response.status, 302);
  return { browser, consentUrl: location(response), query, pkce: codes };
}

interface Authorized extends ConsentStep {
  readonly redirect: URL;
}

/** The whole browser part: ends at the redirect to the app with code (or error) and state. */
async function authorize(sb: Target, client: Client, options: FlowOptions = {}): Promise<Authorized> {
  const step = await loginToConsent(sb, client, options);
  let response = await step.browser.request(step.consentUrl);
  assert.equal(response.status, 200);
  await response.text();
  const fields: Record<string, string> = { share_demographic_scopes: 'False' };
  const form = new URLSearchParams(fields);
  if (options.shareDemographics ?? true) form.append('share_demographic_scopes', 'True');
  if (options.allow ?? true) form.append('allow', 'Connect');
  response = await step.browser.request(step.consentUrl, { method: 'POST', headers: FORM, body: form.toString() });
  assert.equal(response.status, 302);
  return { ...step, redirect: new URL(location(response)) };
}

interface TokenBody {
  access_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
  refresh_token: string;
  patient: string;
  access_grant_expiration: string;
}

async function exchange(sb: Target, client: Client, flow: Authorized, overrides: Record<string, string> = {}, version = 2): Promise<Response> {
  const fields = {
    grant_type: 'authorization_code',
    code: flow.redirect.searchParams.get('code') ?? '',
    redirect_uri: client.redirectUri,
    code_verifier: flow.pkce.verifier,
    ...overrides,
  };
  return fetch(`${sb.url}/v${version}/o/token/`, post(fields, basic(client.id, client.secret)));
}

async function tokensFor(sb: Target, client: Client, options: FlowOptions = {}): Promise<TokenBody> {
  const flow = await authorize(sb, client, options);
  const response = await exchange(sb, client, flow);
  assert.equal(response.status, 200);
  return (await response.json()) as TokenBody;
}

async function refresh(sb: Target, client: Client, refreshToken: string): Promise<Response> {
  return fetch(`${sb.url}/v2/o/token`, post({ grant_type: 'refresh_token', refresh_token: refreshToken }, basic(client.id, client.secret)));
}

async function resolves(sb: Target, accessToken: string): Promise<boolean> {
  const response = await fetch(`${sb.url}/v2/connect/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  return response.status === 200;
}

async function jsonOf(response: Response): Promise<unknown> {
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  return response.json();
}

// ---------------------------------------------------------------------------------------------

let sb: RunningSandbox;
let app: Client;
let testApp: Client;

before(async () => {
  sb = await startSandbox({ port: 0, logLevel: 'silent' });
  const configured = sb.context.settings.client;
  app = { id: configured.id, secret: configured.secret, redirectUri: configured.redirectUris[0] as string, name: configured.name };
  const test = TEST_CLIENT(sb.url);
  testApp = { id: test.id, secret: test.secret, redirectUri: test.redirectUri, name: test.name };
});

after(async () => {
  await sb.close();
});

describe('/authorize: BB2 checks before any login (BB2-OAUTH-CLIENT-*, -PKCE-*, -STATE-*)', () => {
  const get = (query: string) => fetch(`${sb.url}/v2/o/authorize/?${query}`, { redirect: 'manual' });

  it('answers a missing client_id with the 401 app page', async () => {
    const response = await get(new URLSearchParams({ state: 'x'.repeat(16) }).toString());
    assert.equal(response.status, 401);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const html = await response.text();
    assert.match(html, /<title>401 - Unauthorized<\/title>/);
    assert.match(html, /401 - Unauthorized/);
    assert.match(html, /invalid_client : App id failed/);
  });

  it('answers an unknown client_id with 400 "Application does not exist (client_id)"', async () => {
    const response = await get(authorizeQuery({ ...app, id: 'Z'.repeat(40) }, pkce().challenge).toString());
    assert.equal(response.status, 400);
    assert.match(await response.text(), /invalid_client : Application does not exist \(client_id\)/);
  });

  it('answers a malformed client_id with 400 "Invalid client_id format"', async () => {
    const response = await get(authorizeQuery({ ...app, id: 'short' }, pkce().challenge).toString());
    assert.equal(response.status, 400);
    assert.match(await response.text(), /invalid_client : Invalid client_id format/);
  });

  it('refuses a client_secret in the query with 400 text/plain', async () => {
    const query = authorizeQuery(app, pkce().challenge, { client_secret: 'anything' });
    const response = await get(query.toString());
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await response.text(), 'Illegal query parameter [client_secret] detected');
  });

  it('refuses a code_challenge_method other than S256', async () => {
    const response = await get(authorizeQuery(app, pkce().challenge, { code_challenge_method: 'plain' }).toString());
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { status_code: 400, error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
  });

  it('refuses a state shorter than 16 characters', async () => {
    const response = await get(authorizeQuery(app, pkce().challenge, { state: 'fifteen-chars-x' }).toString());
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { status_code: 400, message: 'State parameter should have a minimum of 16 characters' });
  });

  it('names exactly the missing PKCE/state parameters, in BB2 order', async () => {
    let response = await get(new URLSearchParams({ client_id: app.id, response_type: 'code' }).toString());
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), {
      status_code: 400,
      message: 'Missing Required Parameter(s): code_challenge, code_challenge_method, state',
    });
    const query = authorizeQuery(app, pkce().challenge);
    query.delete('code_challenge_method');
    response = await get(query.toString());
    assert.deepEqual(await jsonOf(response), { status_code: 400, message: 'Missing Required Parameter(s): code_challenge_method' });
  });

  it('refuses v3-only AuditEvent scopes on v1/v2', async () => {
    const response = await get(authorizeQuery(app, pkce().challenge, { scope: 'patient/AuditEvent.rs' }).toString());
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { status_code: 400, message: 'Invalid scopes.' });
  });

  it('sends a valid request to /mymedicare/login with next = the original path and query', async () => {
    const query = authorizeQuery(app, pkce().challenge);
    const response = await get(query.toString());
    assert.equal(response.status, 302);
    const target = location(response);
    assert.match(target, /^\/mymedicare\/login\?next=\/v2\/o\/authorize\/%3F/);
    assert.equal(new URL(target, sb.url).searchParams.get('next'), `/v2/o/authorize/?${query}`);
  });

  it('accepts POST /authorize/ (authorize-post) only with state in the body', async () => {
    const query = authorizeQuery(app, pkce().challenge);
    let response = await fetch(`${sb.url}/v2/o/authorize/?state=${query.get('state')}`, { ...post({ client_id: app.id }), redirect: 'manual' });
    assert.equal(response.status, 401);
    assert.deepEqual(await jsonOf(response), { status_code: 401, message: 'State required in POST body.' });
    response = await fetch(`${sb.url}/v1/o/authorize/`, { ...post(Object.fromEntries(query)), redirect: 'manual' });
    assert.equal(response.status, 302);
    const next = new URL(location(response), sb.url).searchParams.get('next') ?? '';
    assert.equal(next, `/v1/o/authorize/?${query}`);
  });

  it('redirects the slash-less path like Django APPEND_SLASH', async () => {
    const response = await fetch(`${sb.url}/v2/o/authorize?client_id=x`, { redirect: 'manual' });
    assert.equal(response.status, 301);
    assert.equal(location(response), '/v2/o/authorize/?client_id=x');
  });
});

describe('Medicare login hop and login page (BB2-OAUTH-AUTHORIZE-01, BB2-OAUTH-LOGIN-01)', () => {
  it('sends /mymedicare/login to the login page with bb2api, a 26-digit relay and the callback', async () => {
    const response = await fetch(`${sb.url}/mymedicare/login?next=${encodeURIComponent('/v2/o/authorize/?a=b')}`, { redirect: 'manual' });
    assert.equal(response.status, 302);
    const target = location(response);
    assert.match(target, /\/mock-medicare\/sso\/authorize\?client_id=bb2api&relay=\d{26}&redirect_uri=http%3A\/\//);
    assert.equal(new URL(target).searchParams.get('redirect_uri'), `${sb.url}/mymedicare/sls-callback`);
  });

  it('is the two-step form: username + Continue, then password + "Log in" (#login-button)', async () => {
    const browser = new Browser(sb.url);
    let response = await browser.request(`/mymedicare/login?next=${encodeURIComponent('/v2/o/authorize/?a=b')}`);
    const loginUrl = new URL(location(response));
    response = await browser.request(loginUrl.href);
    const step1 = await response.text();
    assert.match(step1, /<input[^>]*name="username"/);
    assert.match(step1, /<button[^>]*type="submit"[^>]*>Continue<\/button>/);
    assert.doesNotMatch(step1, /name="password"/);
    const hidden = { relay: loginUrl.searchParams.get('relay') ?? '', redirect_uri: `${sb.url}/mymedicare/sls-callback`, lang: 'en' };
    response = await browser.request('/mock-medicare/login', post({ ...hidden, step: 'username', username: 'BBUser00001' }));
    const step2 = await response.text();
    assert.match(step2, /<input[^>]*name="password"/);
    assert.match(step2, /<button id="login-button" type="submit">Log in<\/button>/);
    response = await browser.request('/mock-medicare/login', post({ ...hidden, step: 'password', username: 'BBUser00001', password: 'PW00002!' }));
    assert.equal(response.status, 200);
    assert.match(await response.text(), /Your username or password doesn(?:'|&#x27;)t match/);
    assert.equal(browser.cookieCount, 0, 'the login keeps no session: every authorization logs in afresh');
  });

  it('shows "Entrar" on the Spanish login button', async () => {
    const response = await fetch(`${sb.url}/mock-medicare/login`, post({
      relay: '1'.repeat(26),
      redirect_uri: `${sb.url}/mymedicare/sls-callback`,
      lang: 'es-mx',
      step: 'username',
      username: 'BBUser00001',
    }));
    assert.match(await response.text(), /<button id="login-button" type="submit">Entrar<\/button>/);
  });

  it('answers sls-callback errors with BB2 bodies', async () => {
    const callback = (query: string) => fetch(`${sb.url}/mymedicare/sls-callback?${query}`, { redirect: 'manual' });
    let response = await callback('relay=123');
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { error: 'An error occurred connecting to medicare.gov account' });
    response = await callback('req_token=not-issued&relay=123');
    assert.equal(response.status, 502);

    // A real request token, from a real login.
    const loginToken = async (): Promise<string> => {
      const hidden = { relay: '9'.repeat(26), redirect_uri: `${sb.url}/mymedicare/sls-callback`, lang: 'en' };
      const answer = await fetch(`${sb.url}/mock-medicare/login`, {
        ...post({ ...hidden, step: 'password', username: 'BBUser00003', password: 'PW00003!' }),
        redirect: 'manual',
      });
      return new URL(location(answer)).searchParams.get('req_token') ?? '';
    };
    response = await callback(`req_token=${await loginToken()}`);
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { error: 'The state parameter is required' });
    response = await callback(`req_token=${await loginToken()}&relay=${'9'.repeat(26)}`);
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { error: 'The requested state was not found' });
  });

  it('continues to /v{n}/o/authorize/<uuid v4>/ with the original query', async () => {
    const step = await loginToConsent(sb, app, { version: 1 });
    const target = new URL(step.consentUrl, sb.url);
    assert.match(target.pathname, /^\/v1\/o\/authorize\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\/$/);
    assert.equal(target.search.slice(1), step.query.toString());
  });
});

describe('consent screen (BB2-OAUTH-CONSENT-*, BB2-OAUTH-SCOPE-03)', () => {
  it('has the current DOM: title, heading, form, checkbox, hidden fields, expiry text, buttons', async () => {
    const step = await loginToConsent(sb, app);
    const response = await step.browser.request(step.consentUrl);
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /<title>Blue Button 2\.0 Sandbox<\/title>/);
    assert.ok(html.includes(`<span id="connect_app">Connect your Medicare claims data to </span>${app.name}?</h1>`));
    assert.match(html, /<form id="authorizationForm" method="post">/);
    const hiddenShare = html.indexOf('<input type="hidden" name="share_demographic_scopes" value="False">');
    const checkbox = html.search(/<input class="ds-c-choice" id="radio_1" name="share_demographic_scopes" type="checkbox" value="True" checked/);
    assert.ok(hiddenShare > 0 && checkbox > hiddenShare, 'hidden False comes before the checkbox');
    assert.match(html, /<label class="ds-c-label" for="radio_1"><span>Personal Information/);
    const order = ['redirect_uri', 'scope', 'client_id', 'state', 'response_type', 'code_challenge', 'code_challenge_method'];
    const positions = order.map((name) => html.indexOf(`<input type="hidden" name="${name}"`));
    assert.ok(positions.every((position, index) => position > 0 && (index === 0 || position > (positions[index - 1] as number))));
    assert.ok(html.includes(`name="state" value="${step.query.get('state')}"`));
    const expiry = /<span id="permission_expire_info">(.*?) will have access to your data for 13 months, until <span id="permission_end_date">((?:\w{3,4}\.|\w+) \d{1,2}, \d{4})\.<\/span><\/span>/.exec(html);
    assert.ok(expiry, 'permission_expire_info with the end date');
    assert.equal(expiry[1], app.name);
    const end = new Date(`${(expiry[2] as string).replace('Sept.', 'Sep').replace('.', '')} UTC`);
    const expected = new Date();
    expected.setUTCMonth(expected.getUTCMonth() + 13);
    assert.ok(Math.abs(end.getTime() - expected.getTime()) < 3 * 24 * 3600 * 1000, `end date ${expiry[2]}`);
    assert.match(html, /<input class="ds-c-button" id="deny" type="submit" value="Cancel">/);
    assert.match(html, /<input class="ds-c-button ds-c-button--solid" id="approve" type="submit" name="allow" value="Connect">/);
  });

  it('speaks Spanish with lang=es: login button "Entrar", heading, buttons and date (BB2-OAUTH-CONSENT-04)', async () => {
    const browser = new Browser(sb.url);
    const query = authorizeQuery(app, pkce().challenge, { lang: 'es' });
    let response = await browser.request(`/v2/o/authorize/?${query}`);
    response = await browser.request(location(response));
    const loginUrl = new URL(location(response));
    assert.equal(loginUrl.searchParams.get('lang'), 'es-mx');
    const hidden = { relay: loginUrl.searchParams.get('relay') ?? '', redirect_uri: loginUrl.searchParams.get('redirect_uri') ?? '', lang: 'es-mx' };
    response = await browser.request('/mock-medicare/login', post({ ...hidden, step: 'username', username: 'BBUser00005' }));
    assert.match(await response.text(), /id="login-button" type="submit">Entrar</);
    response = await browser.request('/mock-medicare/login', post({ ...hidden, step: 'password', username: 'BBUser00005', password: 'PW00005!' }));
    response = await browser.request(location(response));
    response = await browser.request(location(response));
    const html = await response.text();
    assert.match(html, /<span id="connect_app">¿Desea compartir sus datos de Medicare con <\/span>/);
    assert.match(html, /id="deny" type="submit" value="Cancelar"/);
    assert.match(html, /id="approve" type="submit" name="allow" value="Conectar"/);
    assert.match(html, /<span id="permission_end_date">\d{1,2} de [a-z]+ de \d{4}\.<\/span>/);
    const toggle = /<a id="lang_toggle" href="([^"]+)">Change to English<\/a>/.exec(html);
    assert.ok(toggle, 'language toggle');
    response = await browser.request((toggle[1] as string).replaceAll('&amp;', '&'));
    assert.match(await response.text(), /<a id="lang_toggle" href="[^"]+">Cambiar a español<\/a>/);
  });

  it('answers a non-UUID instance with 404 JSON', async () => {
    const response = await fetch(`${sb.url}/v2/o/authorize/not-a-uuid/?client_id=${app.id}`);
    assert.equal(response.status, 404);
    assert.deepEqual(await jsonOf(response), { status_code: 404, message: 'Not found.' });
  });

  it('asks an unknown (or expired) approval to log in again, as BB2 does', async () => {
    const query = authorizeQuery(app, pkce().challenge);
    const path = `/v2/o/authorize/3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b/?${query}`;
    const response = await fetch(`${sb.url}${path}`, { redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.equal(new URL(location(response), sb.url).searchParams.get('next'), path);
  });

  it('renders the error block for a redirect_uri that is not registered', async () => {
    const step = await loginToConsent(sb, app, { extra: { redirect_uri: 'https://attacker.invalid/cb' } });
    const response = await step.browser.request(step.consentUrl);
    assert.equal(response.status, 400);
    const html = await response.text();
    assert.match(html, /<h3>Error: invalid_request<\/h3>\s*<p>Mismatching redirect URI\.<\/p>/);
    assert.doesNotMatch(html, /authorizationForm/);
  });

  it('answers a scope outside the available set with "Invalid scopes."', async () => {
    const step = await loginToConsent(sb, app, { extra: { scope: 'patient/Patient.rs patient/Observation.read' } });
    const response = await step.browser.request(step.consentUrl);
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { status_code: 400, message: 'Invalid scopes.' });
  });

  it('redirects Cancel with error=access_denied and the state', async () => {
    const flow = await authorize(sb, app, { allow: false });
    assert.equal(`${flow.redirect.origin}${flow.redirect.pathname}`, app.redirectUri);
    assert.deepEqual([...flow.redirect.searchParams.keys()].sort(), ['error', 'state']);
    assert.equal(flow.redirect.searchParams.get('error'), 'access_denied');
    assert.equal(flow.redirect.searchParams.get('state'), flow.query.get('state'));
  });

  it('redirects Connect with exactly code and state', async () => {
    const flow = await authorize(sb, app);
    assert.deepEqual([...flow.redirect.searchParams.keys()].sort(), ['code', 'state']);
    assert.match(flow.redirect.searchParams.get('code') ?? '', /^[\w-]{30}$/);
    assert.equal(flow.redirect.searchParams.get('state'), flow.query.get('state'));
  });

  it('drops the demographic scopes when Personal Information is unticked', async () => {
    const tokens = await tokensFor(sb, app, { shareDemographics: false, username: 'BBUser00010' });
    const scopes = new Set(tokens.scope.split(' '));
    for (const demographic of ['profile', 'patient/Patient.read', 'patient/Patient.rs', 'patient/Patient.r', 'patient/Patient.s']) {
      assert.ok(!scopes.has(demographic), `${demographic} withheld`);
    }
    for (const kept of ['openid', 'launch/patient', 'patient/Coverage.rs', 'patient/ExplanationOfBenefit.rs']) assert.ok(scopes.has(kept), kept);
    assert.equal(tokens.patient, '-19990000000011');
    const info = await fetch(`${sb.url}/v2/connect/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(info.status, 403);
    assert.deepEqual(await jsonOf(info), { detail: 'You do not have permission to perform this action.' });
  });

  it('gives all default scopes, condensed, when no scope is requested', async () => {
    const tokens = await tokensFor(sb, app);
    assert.deepEqual(new Set(tokens.scope.split(' ')), new Set([
      'profile',
      'openid',
      'launch/patient',
      'patient/Patient.read',
      'patient/Patient.rs',
      'patient/Coverage.read',
      'patient/Coverage.rs',
      'patient/ExplanationOfBenefit.read',
      'patient/ExplanationOfBenefit.rs',
    ]));
  });

  it('condenses requested .r + .s into .rs', async () => {
    const tokens = await tokensFor(sb, app, { extra: { scope: 'patient/Coverage.r patient/Coverage.s openid' } });
    assert.deepEqual(new Set(tokens.scope.split(' ')), new Set(['patient/Coverage.rs', 'openid']));
  });

  it('accepts a padded code_challenge (BB2 strips the "=")', async () => {
    const codes = pkce();
    const flow = await authorize(sb, app, { extra: { code_challenge: `${codes.challenge}=` } });
    const response = await exchange(sb, app, flow, { code_verifier: codes.verifier });
    assert.equal(response.status, 200);
  });
});

describe('token endpoint (BB2-OAUTH-TOKEN-*, -TOKENAUTH-*, -CODE-*, -REFRESH-*)', () => {
  it('answers in BB2 shape: key order, types, headers, no id_token', async () => {
    const flow = await authorize(sb, app, { username: 'BBUser29999' });
    const response = await exchange(sb, app, flow);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['access_token', 'expires_in', 'token_type', 'scope', 'refresh_token', 'patient', 'access_grant_expiration']);
    assert.equal(body.expires_in, 3600);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.patient, '-20140000010000');
    assert.match(String(body.access_grant_expiration), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const grantEnd = new Date(String(body.access_grant_expiration));
    const expected = new Date();
    expected.setUTCMonth(expected.getUTCMonth() + 13);
    assert.ok(Math.abs(grantEnd.getTime() - expected.getTime()) < 3 * 24 * 3600 * 1000);
    assert.ok(String(body.scope).includes('openid'));
    assert.equal(body.id_token, undefined);
  });

  it('accepts client_secret_post as well as Basic, on /token without a slash, on v1', async () => {
    const flow = await authorize(sb, app, { version: 1 });
    const response = await fetch(`${sb.url}/v1/o/token`, post({
      grant_type: 'authorization_code',
      code: flow.redirect.searchParams.get('code') ?? '',
      redirect_uri: app.redirectUri,
      code_verifier: flow.pkce.verifier,
      client_id: app.id,
      client_secret: app.secret,
    }));
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as TokenBody).patient, '-20140000010000', 'v1 and v2 share the patient id');
  });

  it('answers a wrong secret with 401 {"error": "invalid_client"}', async () => {
    const flow = await authorize(sb, app);
    const response = await fetch(`${sb.url}/v2/o/token/`, post({
      grant_type: 'authorization_code',
      code: flow.redirect.searchParams.get('code') ?? '',
      redirect_uri: app.redirectUri,
      code_verifier: flow.pkce.verifier,
    }, basic(app.id, `${app.secret}x`)));
    assert.equal(response.status, 401);
    assert.deepEqual(await jsonOf(response), { error: 'invalid_client' });
  });

  it('answers an unknown client_id in the body with BB2 400', async () => {
    const response = await fetch(`${sb.url}/v2/o/token/`, post({ grant_type: 'authorization_code', code: 'x', client_id: 'Q'.repeat(40), client_secret: 's' }));
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { status_code: 400, error: 'invalid_client', error_description: 'Application does not exist (client_id)' });
  });

  it('makes codes single use without revoking the tokens of the first exchange', async () => {
    const flow = await authorize(sb, app);
    const first = await exchange(sb, app, flow);
    assert.equal(first.status, 200);
    const tokens = (await first.json()) as TokenBody;
    const second = await exchange(sb, app, flow);
    assert.equal(second.status, 400);
    assert.deepEqual(await jsonOf(second), { error: 'invalid_grant' });
    assert.ok(await resolves(sb, tokens.access_token), 'the first access token still works');
  });

  it('checks PKCE: wrong verifier invalid_grant, missing verifier "Code verifier required."', async () => {
    const flow = await authorize(sb, app);
    let response = await exchange(sb, app, flow, { code_verifier: pkce().verifier });
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { error: 'invalid_grant' });
    const fields = new URLSearchParams({ grant_type: 'authorization_code', code: flow.redirect.searchParams.get('code') ?? '', redirect_uri: app.redirectUri });
    response = await fetch(`${sb.url}/v2/o/token/`, { method: 'POST', headers: { ...FORM, ...basic(app.id, app.secret) }, body: fields.toString() });
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { error: 'invalid_request', error_description: 'Code verifier required.' });
    response = await exchange(sb, app, flow);
    assert.equal(response.status, 200, 'failed attempts do not use up the code');
  });

  it('answers a redirect_uri that differs from the authorization one', async () => {
    const flow = await authorize(sb, app);
    const response = await exchange(sb, app, flow, { redirect_uri: sb.context.settings.client.redirectUris[1] as string });
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { error: 'invalid_request', error_description: 'Mismatching redirect URI.' });
  });

  it('answers an unsupported grant type', async () => {
    const response = await fetch(`${sb.url}/v2/o/token/`, post({ grant_type: 'password', username: 'u', password: 'p' }, basic(app.id, app.secret)));
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { error: 'unsupported_grant_type' });
  });

  it('rotates refresh tokens: the old one and its access token stop working, the new ones work', async () => {
    const tokens = await tokensFor(sb, app, { username: 'BBUser00020' });
    const response = await refresh(sb, app, tokens.refresh_token);
    assert.equal(response.status, 200);
    const renewed = (await response.json()) as TokenBody;
    assert.deepEqual(Object.keys(renewed), ['access_token', 'expires_in', 'token_type', 'scope', 'refresh_token', 'patient', 'access_grant_expiration']);
    assert.notEqual(renewed.refresh_token, tokens.refresh_token);
    assert.equal(renewed.patient, tokens.patient);
    assert.equal(renewed.access_grant_expiration, tokens.access_grant_expiration);
    const reuse = await refresh(sb, app, tokens.refresh_token);
    assert.equal(reuse.status, 400);
    assert.deepEqual(await jsonOf(reuse), { error: 'invalid_grant' });
    assert.equal(await resolves(sb, tokens.access_token), false, 'the access token issued with the old refresh token is revoked');
    assert.ok(await resolves(sb, renewed.access_token));
    const again = await refresh(sb, app, renewed.refresh_token);
    assert.equal(again.status, 200, 'the reuse attempt did not revoke the new refresh token');
  });

  it('answers a refresh token it never issued with BB2 400', async () => {
    const response = await refresh(sb, app, 'never-issued-refresh-token-xxxxxx');
    assert.equal(response.status, 400);
    assert.deepEqual(await jsonOf(response), { status_code: 400, error: 'invalid_request', error_description: 'Refresh token not found.' });
  });

  it('refuses an expired code', async () => {
    const short = await startSandbox({ port: 0, logLevel: 'silent', codeLifetimeSeconds: 1 });
    try {
      const flow = await authorize(short, app);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const response = await exchange(short, app, flow);
      assert.equal(response.status, 400);
      assert.deepEqual(await jsonOf(response), { error: 'invalid_grant' });
    } finally {
      await short.close();
    }
  });
});

describe('a new consent revokes the earlier tokens of the pair (BB2-OAUTH-CONSENT-02)', () => {
  it('kills the first access and refresh tokens, not another user\'s', async () => {
    const first = await tokensFor(sb, app, { username: 'BBUser00030' });
    const other = await tokensFor(sb, app, { username: 'BBUser00031' });
    const second = await tokensFor(sb, app, { username: 'BBUser00030' });
    assert.equal(await resolves(sb, first.access_token), false);
    const response = await refresh(sb, app, first.refresh_token);
    assert.equal(response.status, 400);
    assert.ok(await resolves(sb, second.access_token));
    assert.ok(await resolves(sb, other.access_token));
  });
});

describe('revocation, introspection, expiry (BB2-OAUTH-REVOKE-*, -INTROSPECT-*, -EXPIRE-01)', () => {
  it('revoke_token: revokes an access token only, 200 for unknown tokens', async () => {
    const tokens = await tokensFor(sb, app, { username: 'BBUser00040' });
    let response = await fetch(`${sb.url}/v2/o/revoke_token/`, post({ token: tokens.access_token }, basic(app.id, app.secret)));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '');
    assert.equal(await resolves(sb, tokens.access_token), false);
    response = await refresh(sb, app, tokens.refresh_token);
    assert.equal(response.status, 200, 'DOT revokes just the access token');
    response = await fetch(`${sb.url}/v2/o/revoke_token/`, post({ token: 'unknown-token-value' }, basic(app.id, app.secret)));
    assert.equal(response.status, 200);
  });

  it('revoke_token: refuses another application\'s token with BB2 403', async () => {
    const tokens = await tokensFor(sb, testApp, { username: 'BBUser00041' });
    const response = await fetch(`${sb.url}/v2/o/revoke_token/`, post({ token: tokens.access_token }, basic(app.id, app.secret)));
    assert.equal(response.status, 403);
    assert.deepEqual(await jsonOf(response), { status_code: 403, description: 'Application did not have access to the provided token.' });
    assert.ok(await resolves(sb, tokens.access_token));
  });

  it('revoke_token of a refresh token ends it: a later refresh is invalid_grant', async () => {
    const tokens = await tokensFor(sb, app, { username: 'BBUser00042' });
    const response = await fetch(`${sb.url}/v1/o/revoke_token/`, post({ token: tokens.refresh_token, token_type_hint: 'refresh_token' }, basic(app.id, app.secret)));
    assert.equal(response.status, 200);
    const again = await refresh(sb, app, tokens.refresh_token);
    assert.equal(again.status, 400);
    assert.deepEqual(await jsonOf(again), { error: 'invalid_grant' });
  });

  it('revoke/: deletes the grant, so every token of the pair dies', async () => {
    const tokens = await tokensFor(sb, app, { username: 'BBUser00043' });
    const renewed = (await (await refresh(sb, app, tokens.refresh_token)).json()) as TokenBody;
    const response = await fetch(`${sb.url}/v2/o/revoke/`, post({ token: renewed.access_token }, basic(app.id, app.secret)));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '');
    assert.equal(await resolves(sb, renewed.access_token), false);
    const again = await refresh(sb, app, renewed.refresh_token);
    assert.equal(again.status, 403);
    assert.deepEqual(await jsonOf(again), {
      status_code: 403,
      error: 'invalid_grant',
      error_description: 'User access cannot be found. To refresh Medicare data, end user must re-authenticate and consent to share their data.',
    });
  });

  it('introspect: DOT shape for live tokens, {"active": false} otherwise, GET and POST', async () => {
    const tokens = await tokensFor(sb, app, { username: 'BBUser00044' });
    let response = await fetch(`${sb.url}/v2/o/introspect/`, post({ token: tokens.access_token }, basic(app.id, app.secret)));
    assert.equal(response.status, 200);
    const body = (await jsonOf(response)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['active', 'scope', 'exp', 'client_id', 'username']);
    assert.equal(body.active, true);
    assert.equal(body.client_id, app.id);
    assert.equal(body.username, 'BBUser00044');
    assert.equal(body.scope, tokens.scope);
    assert.equal(typeof body.exp, 'number');
    response = await fetch(`${sb.url}/v1/o/introspect/?token=nope&client_id=${app.id}&client_secret=${encodeURIComponent(app.secret)}`);
    assert.deepEqual(await jsonOf(response), { active: false });
    response = await fetch(`${sb.url}/v2/o/introspect/`, post({ token: tokens.access_token }, basic(app.id, 'wrong')));
    assert.equal(response.status, 401);
  });

  it('expire_authenticated_user: success, then 404 once the grant is gone, 403 without client auth', async () => {
    const tokens = await tokensFor(sb, app, { username: 'BBUser00045' });
    const url = `${sb.url}/v2/o/expire_authenticated_user/${tokens.patient}/`;
    let response = await fetch(url, { method: 'POST', headers: basic(app.id, 'wrong') });
    assert.equal(response.status, 403);
    response = await fetch(url, { method: 'POST', headers: basic(app.id, app.secret) });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'success');
    assert.equal(await resolves(sb, tokens.access_token), false);
    response = await fetch(url, { method: 'POST', headers: basic(app.id, app.secret) });
    assert.equal(response.status, 404);
    assert.equal(await response.text(), 'Data Access Grant was Not Found.');
    response = await fetch(`${sb.url}/v2/o/expire_authenticated_user/-20000000009999/`, { method: 'POST', headers: basic(app.id, app.secret) });
    assert.equal(response.status, 404);
    assert.equal(await response.text(), 'Patient was Not Found. Please check the id number and try again.');
  });
});

describe('access resolver (oauth/types.ts)', () => {
  /** createOAuth alone on a Koa app, to reach its resolver directly. */
  async function oauthOnly(settings: Parameters<typeof parseSandboxSettings>[0]) {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const context: SandboxContext = { settings: parseSandboxSettings(settings), baseUrl: url, log: createLogger('silent'), now: Date.now, behaviour: createBehaviour() };
    const oauth = await createOAuth(context);
    const koa = new Koa();
    koa.use(oauth.routes);
    server.on('request', koa.callback());
    return {
      url,
      access: oauth.access,
      close: () => new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    };
  }

  it('resolves a live token to its grant and refuses missing, unknown, revoked and rotated tokens', async () => {
    const target = await oauthOnly({});
    try {
      const { access } = target;
      assert.deepEqual(await access.resolve(undefined), { ok: false, reason: 'missing' });
      assert.deepEqual(await access.resolve(`Basic ${Buffer.from('a:b').toString('base64')}`), { ok: false, reason: 'missing' });
      assert.deepEqual(await access.resolve('Bearer a b'), { ok: false, reason: 'missing' });
      assert.deepEqual(await access.resolve('Bearer not-a-token'), { ok: false, reason: 'invalid' });

      const tokens = await tokensFor(target, app, { username: 'BBUser10000' });
      const result = await access.resolve(`bearer ${tokens.access_token}`);
      assert.ok(result.ok);
      assert.equal(result.grant.clientId, app.id);
      assert.equal(result.grant.patientId, '-20000000000001');
      assert.equal(result.grant.username, 'BBUser10000');
      assert.deepEqual(result.grant.scopes, new Set(tokens.scope.split(' ')));
      assert.ok(Math.abs(result.grant.expiresAt - (Math.floor(Date.now() / 1000) + 3600)) <= 5);
      assert.equal(result.grant.tokenKey, createHash('sha256').update(tokens.access_token).digest('hex'));
      assert.ok(!result.grant.tokenKey.includes(tokens.access_token));

      const renewed = (await (await refresh(target, app, tokens.refresh_token)).json()) as TokenBody;
      assert.deepEqual(await access.resolve(`Bearer ${tokens.access_token}`), { ok: false, reason: 'invalid' }, 'rotated away');
      assert.ok((await access.resolve(`Bearer ${renewed.access_token}`)).ok);
      await fetch(`${target.url}/v2/o/revoke_token/`, post({ token: renewed.access_token }, basic(app.id, app.secret)));
      assert.deepEqual(await access.resolve(`Bearer ${renewed.access_token}`), { ok: false, reason: 'invalid' }, 'revoked');
    } finally {
      await target.close();
    }
  });

  it('reports an expired token as expired', async () => {
    // Two seconds: token expiry is whole seconds, so one second could end right after issuance.
    const target = await oauthOnly({ tokenLifetimeSeconds: 2 });
    try {
      const tokens = await tokensFor(target, app, { username: 'BBUser00050' });
      assert.ok((await target.access.resolve(`Bearer ${tokens.access_token}`)).ok);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      assert.deepEqual(await target.access.resolve(`Bearer ${tokens.access_token}`), { ok: false, reason: 'expired' });
      const response = await fetch(`${target.url}/v2/connect/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="api",error="invalid_token",error_description="The access token has expired."');
    } finally {
      await target.close();
    }
  });
});

describe('userinfo (BB2-OAUTH-USERINFO-*)', () => {
  it('answers 401 without a token, with the DRF body and the Bearer challenge', async () => {
    let response = await fetch(`${sb.url}/v2/connect/userinfo`);
    assert.equal(response.status, 401);
    assert.deepEqual(await jsonOf(response), { detail: 'Authentication credentials were not provided.' });
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="api"');
    response = await fetch(`${sb.url}/v1/connect/userinfo/`, { headers: { authorization: 'Bearer unknown' } });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="api",error="invalid_token",error_description="The access token is invalid."');
  });

  it('gives the seven keys for a token with profile, on v1 and v2 (trailing slash tolerated)', async () => {
    const tokens = await tokensFor(sb, app, { username: 'BBUser29999' });
    for (const path of ['/v1/connect/userinfo', '/v2/connect/userinfo/']) {
      const response = await fetch(`${sb.url}${path}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(response.status, 200);
      const body = (await jsonOf(response)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['sub', 'name', 'given_name', 'family_name', 'email', 'iat', 'patient']);
      assert.equal(body.sub, '-20140000010000');
      assert.equal(body.patient, '-20140000010000');
      assert.equal(body.name, `${body.given_name} ${body.family_name}`);
      assert.match(String(body.iat), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
  });
});

describe('discovery (BB2-DISCOVERY-OIDC-*, BB2-DISCOVERY-SMART-*)', () => {
  it('serves the same v2 OpenID configuration on all four paths, keys in BB2 order', async () => {
    const bodies = [];
    for (const path of ['/.well-known/openid-configuration', '/.well-known/openid-configuration-v2', '/v1/connect/.well-known/openid-configuration', '/v2/connect/.well-known/openid-configuration']) {
      const response = await fetch(`${sb.url}${path}`);
      assert.equal(response.status, 200, path);
      bodies.push(await jsonOf(response));
    }
    for (const body of bodies) assert.deepEqual(body, bodies[0]);
    const body = bodies[0] as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), [
      'issuer', 'authorization_endpoint', 'revocation_endpoint', 'token_endpoint', 'userinfo_endpoint', 'ui_locales_supported',
      'service_documentation', 'op_tos_uri', 'grant_types_supported', 'response_types_supported', 'fhir_metadata_uri',
    ]);
    assert.equal(body.issuer, sb.url);
    assert.equal(body.token_endpoint, `${sb.url}/v2/o/token`);
    assert.equal(body.authorization_endpoint, `${sb.url}/v2/o/authorize`);
  });

  it('serves the SMART configuration on v1 and v2', async () => {
    for (const version of [1, 2]) {
      const response = await fetch(`${sb.url}/v${version}/fhir/.well-known/smart-configuration`);
      const body = (await jsonOf(response)) as Record<string, unknown>;
      assert.deepEqual(body.code_challenge_methods_supported, ['S256']);
      assert.ok((body.capabilities as string[]).includes('authorize-post'));
      assert.equal(body.issuer, undefined);
    }
  });
});

describe('robustness', () => {
  it('keeps hostile input to clear 4xx answers', async () => {
    // Huge state: still a normal redirect (BB2 has no upper bound on state).
    let response = await fetch(`${sb.url}/v2/o/authorize/?${authorizeQuery(app, pkce().challenge, { state: 's'.repeat(8000) })}`, { redirect: 'manual' });
    assert.equal(response.status, 302);
    // Broken percent-encoding is taken literally, as Django does.
    response = await fetch(`${sb.url}/v2/o/authorize/?client_id=%E0%A4%A&state=%%%`, { redirect: 'manual' });
    assert.equal(response.status, 400);
    response = await fetch(`${sb.url}/mymedicare/sls-callback?req_token=%ZZ&relay=%`, { redirect: 'manual' });
    assert.equal(response.status, 502);
    // A JSON body is no form: the token endpoint sees no parameters at all.
    response = await fetch(`${sb.url}/v2/o/token/`, { method: 'POST', headers: { 'content-type': 'application/json', ...basic(app.id, app.secret) }, body: '{"grant_type":' });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    // Oversized bodies are refused before parsing.
    response = await fetch(`${sb.url}/v2/o/token/`, post({ grant_type: 'x'.repeat(100_000) }));
    assert.equal(response.status, 413);
    // Wrong methods.
    response = await fetch(`${sb.url}/v2/o/token/`);
    assert.equal(response.status, 405);
    response = await fetch(`${sb.url}/v2/connect/userinfo`, { method: 'POST' });
    assert.equal(response.status, 405);
    assert.deepEqual(await jsonOf(response), { detail: 'Method "POST" not allowed.' });
    response = await fetch(`${sb.url}/v2/o/revoke_token/`, post({ token: 'x' }, { authorization: 'Basic %%%' }));
    assert.equal(response.status, 401);
    // Paths the OAuth part does not own fall through (the library's own routes are not exposed).
    response = await fetch(`${sb.url}/oidc/token`, { method: 'POST' });
    assert.equal(response.status, 404);
    response = await fetch(`${sb.url}/.well-known/jwks.json`);
    assert.equal(response.status, 404);
  });

  it('never logs codes, tokens, secrets or passwords', async () => {
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const noisy = await startSandbox({ port: 0, logLevel: 'debug' });
    process.stderr.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let tokens: TokenBody;
    let flow: Authorized;
    try {
      flow = await authorize(noisy, app, { username: 'BBUser00060' });
      const response = await exchange(noisy, app, flow);
      tokens = (await response.json()) as TokenBody;
      await refresh(noisy, app, tokens.refresh_token);
    } finally {
      process.stderr.write = write;
      await noisy.close();
    }
    const log = lines.join('');
    assert.ok(log.includes('/v2/o/token/'), 'the sandbox did log the requests');
    for (const secret of [tokens.access_token, tokens.refresh_token, flow.redirect.searchParams.get('code') ?? '-', flow.pkce.verifier, app.secret, 'PW00060!', flow.query.get('state') ?? '-']) {
      assert.ok(!log.includes(secret), 'a secret value reached the log');
    }
  });
});

describe('concurrency', () => {
  it('runs three authorizations at once without mixing them up', async () => {
    const users = ['BBUser00070', 'BBUser10071', 'BBUser20072'];
    const results = await Promise.all(users.map((username) => tokensFor(sb, app, { username })));
    assert.deepEqual(results.map((tokens) => tokens.patient), ['-19990000000071', '-20000000000072', '-20140000000073']);
    for (const tokens of results) assert.ok(await resolves(sb, tokens.access_token));
  });
});
