/**
 * The Medicare login hop (BB2-OAUTH-AUTHORIZE-01, BB2-OAUTH-LOGIN-01; BB2's
 * apps/mymedicare_cb/views.py) and the sandbox's stand-in for the
 * Medicare.gov login itself (the two-step form BB2's Selenium tests drive, apps/integration_tests/selenium_generic.py).
 *
 * `/mymedicare/login?next=…` remembers `next` under a 26-digit relay and sends the browser to the
 * login page; the login page (served here, because the real one is outside BB2) checks the synthetic
 * user's password and returns to `/mymedicare/sls-callback?req_token=…&relay=…`, which creates the
 * Approval and continues to the consent screen. No Medicare login session is kept, so every
 * authorization needs a fresh login, as BB2's sign-out after each login makes it on the real sandbox.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type Koa from 'koa';
import { verifyPassword } from '../data/users.js';
import {
  BAD_CREDENTIALS_MESSAGE,
  loginRequestErrorPage,
  passwordStepPage,
  usernameStepPage,
  type LoginFormContext,
  type LoginLanguage,
} from '../screens/medicare-login.js';
import type { OAuthDeps } from './deps.js';
import { htmlReply, jsonReply, Params, quotePlus, readForm, sendRedirect, sendReply } from './http.js';

export const MOCK_LOGIN_PATH = '/mock-medicare/sso/authorize';
export const MOCK_LOGIN_SUBMIT_PATH = '/mock-medicare/login';
export const SLS_CALLBACK_PATH = '/mymedicare/sls-callback';
/** The client id BB2 is registered with at Medicare.gov (`MEDICARE_SLSX_LOGIN_URI` default). */
const SLSX_CLIENT_ID = 'bb2api';
/** settings.MEDICARE_ERROR_MSG */
const MEDICARE_ERROR_MESSAGE = 'An error occurred connecting to medicare.gov account';

/** BB2's `generate_nonce(26)`. */
function relayNonce(): string {
  let out = '';
  for (let index = 0; index < 26; index += 1) out += String(randomInt(10));
  return out;
}

/** The `lang` of the authorization request, forwarded to Medicare.gov as BB2 does (en-us / es-mx). */
function loginLanguageOf(next: string): string | undefined {
  const query = next.includes('?') ? next.slice(next.indexOf('?') + 1).split('#', 1)[0] : '';
  const lang = new URLSearchParams(query).get('lang');
  return lang === 'es' ? 'es-mx' : lang === 'en' ? 'en-us' : undefined;
}

/** `GET /mymedicare/login?next=…` (BB2's mymedicare_login). */
export function medicareLogin(deps: OAuthDeps, koa: Koa.Context): void {
  const next = Params.fromQuery(koa.querystring).get('next') ?? '';
  const relay = relayNonce();
  deps.records.relays.set(relay, next);
  const callback = `${deps.ctx.baseUrl}${SLS_CALLBACK_PATH}`;
  const lang = loginLanguageOf(next);
  sendRedirect(
    koa,
    `${deps.ctx.baseUrl}${MOCK_LOGIN_PATH}?client_id=${SLSX_CLIENT_ID}&relay=${relay}&redirect_uri=${quotePlus(callback)}${lang ? `&lang=${lang}` : ''}`,
  );
}

/** Checks what Medicare.gov would check about the relying party: our client id and our callback. */
function loginContext(deps: OAuthDeps, params: Params): LoginFormContext | undefined {
  const relay = params.get('relay');
  const redirectUri = params.get('redirect_uri');
  if (!relay || redirectUri !== `${deps.ctx.baseUrl}${SLS_CALLBACK_PATH}`) return undefined;
  const lang = params.get('lang');
  const language: LoginLanguage = lang === 'es-mx' || lang === 'es' ? 'es' : 'en';
  return { action: MOCK_LOGIN_SUBMIT_PATH, relay, redirectUri, language };
}

/** `GET /mock-medicare/sso/authorize`: the login page, step 1. */
export function mockLoginPage(deps: OAuthDeps, koa: Koa.Context): void {
  const params = Params.fromQuery(koa.querystring);
  const context = params.get('client_id') === SLSX_CLIENT_ID ? loginContext(deps, params) : undefined;
  if (!context) {
    return sendReply(koa, htmlReply(400, loginRequestErrorPage('This login link is not valid: it must come from the Blue Button sandbox.')));
  }
  sendReply(koa, htmlReply(200, usernameStepPage(context)));
}

/** `POST /mock-medicare/login`: step 1 shows the password step, step 2 checks the credentials. */
export async function mockLoginSubmit(deps: OAuthDeps, koa: Koa.Context): Promise<void> {
  const { params } = await readForm(koa);
  const context = loginContext(deps, params);
  if (!context) {
    return sendReply(koa, htmlReply(400, loginRequestErrorPage('This login form is not valid: start again from the application.')));
  }
  const username = (params.get('username') ?? '').trim();
  if (params.get('step') !== 'password') {
    return sendReply(koa, htmlReply(200, username ? passwordStepPage(context, username) : usernameStepPage(context)));
  }
  const user = verifyPassword(username, params.get('password') ?? '');
  if (!user) {
    return sendReply(koa, htmlReply(200, usernameStepPage(context, { username, error: BAD_CREDENTIALS_MESSAGE })));
  }
  const requestToken = randomBytes(32).toString('base64url');
  deps.records.requestTokens.set(requestToken, user.username);
  const target = new URL(context.redirectUri);
  target.searchParams.set('req_token', requestToken);
  target.searchParams.set('relay', context.relay);
  sendRedirect(koa, target.href);
}

/** Query and fragment of a URL, the parts BB2 keeps from `next` (Python's urlsplit). */
function queryAndFragment(url: string): { path: string; query: string; fragment: string } {
  const hash = url.indexOf('#');
  const fragment = hash >= 0 ? url.slice(hash + 1) : '';
  const beforeHash = hash >= 0 ? url.slice(0, hash) : url;
  const question = beforeHash.indexOf('?');
  const query = question >= 0 ? beforeHash.slice(question + 1) : '';
  let path = question >= 0 ? beforeHash.slice(0, question) : beforeHash;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  return { path, query, fragment };
}

/** `GET /mymedicare/sls-callback?req_token=…&relay=…` (BB2's callback; BB2-OAUTH-LOGIN-01). */
export function medicareCallback(deps: OAuthDeps, koa: Koa.Context): void {
  const params = Params.fromQuery(koa.querystring);
  // BB2 authenticates with Medicare.gov first (req_token), then looks at its own relay.
  const requestToken = params.get('req_token');
  if (!requestToken) return sendReply(koa, jsonReply(400, { error: MEDICARE_ERROR_MESSAGE }));
  const username = deps.records.requestTokens.take(requestToken);
  if (!username) return sendReply(koa, jsonReply(502, { error: MEDICARE_ERROR_MESSAGE }));
  const relay = params.get('relay');
  if (!relay) return sendReply(koa, jsonReply(400, { error: 'The state parameter is required' }));
  const next = deps.records.relays.get(relay);
  if (next === undefined) return sendReply(koa, jsonReply(400, { error: 'The requested state was not found' }));

  if (!deps.records.firstLogin.has(username)) deps.records.firstLogin.set(username, new Date());
  const uuid = randomUUID();
  deps.records.approvals.set(uuid, { uuid, username });
  // BB2 keeps next's query and fragment and swaps in the consent path; the version follows next's path.
  // Unlike BB2 it drops any scheme and host in `next`, so the hop cannot redirect off the sandbox.
  const { path, query, fragment } = queryAndFragment(next);
  const version = path.startsWith('/v2/o/authorize/') ? 2 : 1;
  sendRedirect(koa, `/v${version}/o/authorize/${uuid}/${query ? `?${query}` : ''}${fragment ? `#${fragment}` : ''}`);
}
