/**
 * The sandbox's built-in test client (/testclient/, the BB2-TESTCLIENT-* requirements): a small OAuth client
 * app, as BB2 runs one, that walks through authorization with PKCE and shows what each endpoint
 * returns. Like BB2's, it talks to the API over HTTP (fetch to ctx.baseUrl), exchanges the code on the
 * server with its client secret, and keeps the verifier and token in a server-side session.
 *
 * As in BB2's apps/testclient (urls.py, views.py, home.html): the home page's "Get a Sample
 * Authorization Token" authorizes on v2; after the callback its API links lead to the result pages of
 * the version authorized (v2: PatientV2, CoverageV2, …, calling /v2/…; v1: Patient, Coverage, …,
 * calling /v1/…). The v1 authorization link and every v1 page stay reachable with any token, since
 * v1 and v2 tokens are interchangeable (both use fhir_id_v2 in BB2's apps/dot_ext/views/authorization.py).
 */
import { createHash, randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type { SandboxContext } from '../context.js';
import { TEST_CLIENT } from '../oauth/index.js';
import { authorizePage, errorPage, homeWithToken, homeWithoutToken, resultPage, resultPath, RESULT_PAGES, type NavLink, type ResultPage } from './pages.js';
import { pythonDictRepr } from './python-repr.js';
import { SessionStore, type ApiVersion, type TestClientSession, type TokenRecord, type TokenValue } from './session.js';

const HOME = '/testclient/';
const FETCH_TIMEOUT_MS = 15_000;

/** The result page at a path, with the API version it calls (BB2: `Patient` is v1, `PatientV2` v2). */
function resultPageAt(path: string): { page: ResultPage; version: ApiVersion } | undefined {
  for (const page of RESULT_PAGES) {
    for (const version of [1, 2] as const) if (resultPath(page, version) === path) return { page, version };
  }
  return undefined;
}

/** PKCE verifier: 43 base64url characters (RFC 7636 §4.1). */
function createVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * BB2's test client sends its challenge padded: Python's urlsafe_b64encode of the SHA-256 digest, 44
 * characters ending in "=" (apps/testclient/utils.py), which BB2 accepts because it strips the padding
 * before storing the challenge (BB2-OAUTH-PKCE-05).
 */
function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** Python's json.dumps(value, indent=3), the layout BB2's result pages show (ASCII only). */
function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 3).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function html(koa: Koa.Context, status: number, body: string): void {
  koa.status = status;
  koa.type = 'text/html; charset=utf-8';
  koa.body = body;
  // Pages carry per-session content (BB2 marks its views never_cache).
  koa.set('Cache-Control', 'max-age=0, no-cache, no-store, must-revalidate, private');
}

function redirectHome(koa: Koa.Context): void {
  // BB2 uses redirect(..., permanent=True) for these hops; Koa keeps a redirect status set beforehand.
  koa.status = 301;
  koa.redirect(HOME);
}

function jsonError(koa: Koa.Context, status: number, error: string, code: string, help = 'Try authorizing again'): void {
  koa.status = status;
  koa.body = JSON.stringify({ error, code, help });
  koa.set('Content-Type', 'application/json');
}

/** The token as requests-oauthlib stores it: response fields in order, scope split, expires_at added. */
function tokenRecord(response: Record<string, unknown>, receivedAt: number): TokenRecord {
  const record: Array<readonly [string, TokenValue]> = [];
  for (const [key, value] of Object.entries(response)) {
    if (key === 'scope' && typeof value === 'string') record.push([key, value.split(' ').filter((scope) => scope !== '')]);
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) record.push([key, value as TokenValue]);
  }
  const expiresIn = response.expires_in;
  if (typeof expiresIn === 'number') record.push(['expires_at', { float: receivedAt / 1000 + expiresIn }]);
  return record;
}

export function createTestClient(ctx: SandboxContext): Koa.Middleware {
  const sessions = new SessionStore();
  const client = TEST_CLIENT(ctx.baseUrl);

  async function callApi(url: string, accessToken: string | undefined): Promise<unknown> {
    try {
      const response = await fetch(url, {
        headers: { ...ctx.onwardHeaders?.(), ...(accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` }) },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        redirect: 'manual',
      });
      const text = await response.text();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return { error: response.status };
      }
    } catch (error) {
      ctx.log.warn(`testclient: call to ${new URL(url).pathname} failed: ${(error as Error).name}`);
      return { error: 'The sandbox API did not answer.' };
    }
  }

  function authorizeLink(koa: Koa.Context, version: ApiVersion): void {
    const session = sessions.open(koa);
    session.apiVersion = version;
    session.codeVerifier = createVerifier();
    session.state = randomBytes(24).toString('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: client.id,
      redirect_uri: client.redirectUri,
      state: session.state,
      code_challenge: s256(session.codeVerifier),
      code_challenge_method: 'S256',
    });
    html(koa, 200, authorizePage(version, `${ctx.baseUrl}/v${version}/o/authorize/?${query}`));
  }

  async function callback(koa: Koa.Context): Promise<void> {
    const session = sessions.find(koa);
    const query = new URLSearchParams(koa.querystring);
    if (query.has('error')) {
      if (session) forgetToken(session);
      return redirectHome(koa);
    }
    const version = session?.apiVersion;
    if (session === undefined || version === undefined) {
      return jsonError(koa, 500, 'Missing API version in callback session', 'MissingCallbackVersion');
    }
    const tokenUri = `${ctx.baseUrl}/v${version}/o/token/`;
    const code = query.get('code');
    const verifier = session.codeVerifier;
    if (query.get('state') !== session.state || verifier === undefined) {
      // BB2's client does not compare state; a client should, and an unexpected callback gets no exchange.
      ctx.log.warn('testclient: callback with an unknown state ignored');
      forgetToken(session);
      return redirectHome(koa);
    }
    session.state = undefined;
    session.codeVerifier = undefined;
    if (code === null) return jsonError(koa, 500, `Failed to get token from ${tokenUri}`, 'MissingTokenError');

    let response: Record<string, unknown> | undefined;
    try {
      const reply = await fetch(tokenUri, {
        method: 'POST',
        headers: {
          ...ctx.onwardHeaders?.(),
          Authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier }),
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      const body = (await reply.json()) as unknown;
      if (reply.ok && typeof body === 'object' && body !== null && typeof (body as { access_token?: unknown }).access_token === 'string') {
        response = body as Record<string, unknown>;
      } else {
        ctx.log.warn(`testclient: token exchange answered ${reply.status}`);
      }
    } catch (error) {
      ctx.log.warn(`testclient: token exchange failed: ${(error as Error).name}`);
    }
    if (response === undefined) return jsonError(koa, 500, `Failed to get token from ${tokenUri}`, 'MissingTokenError');

    const patient = response.patient;
    if (typeof patient !== 'string') {
      return jsonError(koa, 500, 'No patient found in token; only synthetic beneficiaries can be used.', 'MissingPatientError');
    }
    if (!/^-\d+$/.test(patient)) {
      forgetToken(session);
      return jsonError(koa, 403, `Failed token is for a non-synthetic patient_id = ${patient}`, 'NonSyntheticTokenError', 'Try authorizing again.');
    }
    session.token = tokenRecord(response, Date.now());
    session.accessToken = response.access_token as string;
    // BB2 reads the patient from userinfo when it can, else from the token response.
    const userinfo = await callApi(`${ctx.baseUrl}/v${version}/connect/userinfo`, session.accessToken);
    const fromUserinfo = (userinfo as { patient?: unknown }).patient;
    session.patient = typeof fromUserinfo === 'string' ? fromUserinfo : patient;
    redirectHome(koa);
  }

  function forgetToken(session: TestClientSession): void {
    session.token = undefined;
    session.accessToken = undefined;
    session.patient = undefined;
  }

  function home(koa: Koa.Context): void {
    const session = sessions.find(koa);
    if (session?.token !== undefined && session.apiVersion !== undefined) {
      html(koa, 200, homeWithToken(session.apiVersion, pythonDictRepr(session.token)));
    } else {
      html(koa, 200, homeWithoutToken());
    }
  }

  /** Paging for the two bundle pages: BB2 links each relation to `?nav_link={url}`. */
  function pagingRequest(koa: Koa.Context, resourceType: 'Coverage' | 'ExplanationOfBenefit', version: ApiVersion): { startIndex: string; count: string } | string {
    const query = new URLSearchParams(koa.querystring);
    const navLink = query.get('nav_link');
    let fromLink = new URLSearchParams();
    if (navLink !== null) {
      let target: URL;
      try {
        target = new URL(navLink);
      } catch {
        return 'nav_link is not a URL.';
      }
      // Only this sandbox's own FHIR endpoint for the page's resource type and version may be followed.
      const allowed = [`${ctx.baseUrl}/v${version}/fhir/${resourceType}`, `${ctx.baseUrl}/v${version}/fhir/${resourceType}/`];
      if (!allowed.includes(`${target.origin}${target.pathname}`)) return `nav_link must point to ${allowed[0]}.`;
      fromLink = target.searchParams;
    }
    // BB2's own links put the URL in unescaped, so its startIndex and _count arrive as top-level parameters.
    const startIndex = query.get('startIndex') ?? fromLink.get('startIndex') ?? '0';
    const count = query.get('_count') ?? fromLink.get('_count') ?? '10';
    return { startIndex, count };
  }

  function navigation(body: unknown, path: string, startIndex: string, count: string): { nav: NavLink[]; pageInfo: string } {
    const links = (body as { link?: unknown }).link;
    if (!Array.isArray(links)) return { nav: [], pageInfo: '' };
    const nav: NavLink[] = [];
    let last: string | undefined;
    for (const link of links as Array<{ relation?: unknown; url?: unknown }>) {
      if (typeof link.relation !== 'string' || typeof link.url !== 'string') return { nav: [], pageInfo: '' };
      if (link.relation === 'last') last = link.url;
      nav.push({ relation: link.relation, href: `${path}?nav_link=${encodeURIComponent(link.url)}` });
    }
    const size = Number(count);
    const current = Number(startIndex);
    const lastIndex = last === undefined ? NaN : Number(new URL(last).searchParams.get('startIndex'));
    const known = [size, current, lastIndex].every(Number.isInteger) && size > 0;
    return {
      nav,
      pageInfo: known ? `${Math.floor(current / size) + 1}/${Math.floor(lastIndex / size) + 1}` : 'No pagination info from backend',
    };
  }

  async function result(koa: Koa.Context, path: string, page: ResultPage, version: ApiVersion): Promise<void> {
    const session = sessions.find(koa);
    // BB2 sends anyone without a token home, the no-token pages (metadata, discovery) included.
    if (session?.accessToken === undefined) return redirectHome(koa);
    const token = session.accessToken;
    const api = `${ctx.baseUrl}/v${version}`;
    let body: unknown;
    let paging: { startIndex: string; count: string } | undefined;
    switch (page.call) {
      case 'Patient':
        body = await callApi(`${api}/fhir/Patient/${encodeURIComponent(session.patient ?? '')}?_format=json`, token);
        break;
      case 'Coverage':
      case 'ExplanationOfBenefit': {
        const request = pagingRequest(koa, page.call, version);
        if (typeof request === 'string') return html(koa, 400, errorPage(request));
        paging = request;
        const query = new URLSearchParams({ _format: 'json' });
        if (new URLSearchParams(koa.querystring).has('nav_link')) {
          query.set('_count', request.count);
          query.set('startIndex', request.startIndex);
        }
        body = await callApi(`${api}/fhir/${page.call}/?${query}`, token);
        break;
      }
      case 'userinfo':
        body = await callApi(`${api}/connect/userinfo`, token);
        break;
      case 'metadata':
        body = await callApi(`${api}/fhir/metadata`, undefined);
        break;
      case 'openidConfig':
        // BB2's openid_configuration_v1 and _v2 views; every discovery path serves the same document.
        body = await callApi(version === 1 ? `${ctx.baseUrl}/.well-known/openid-configuration` : `${api}/connect/.well-known/openid-configuration`, undefined);
        break;
    }
    const view = { responseType: page.responseType, apiVersion: version, json: prettyJson(body) };
    if (paging === undefined) return html(koa, 200, resultPage(view));
    html(koa, 200, resultPage({ ...view, ...navigation(body, path, paging.startIndex, paging.count) }));
  }

  return async (koa, next) => {
    const path = koa.path;
    if (path !== '/testclient' && !path.startsWith('/testclient/')) return next();
    if (koa.method !== 'GET' && koa.method !== 'HEAD') {
      koa.status = 405;
      koa.set('Allow', 'GET, HEAD');
      koa.body = 'Method Not Allowed';
      return;
    }
    switch (path) {
      case '/testclient':
        // Django's APPEND_SLASH.
        return redirectHome(koa);
      case HOME:
        return home(koa);
      case '/testclient/authorize-link':
        return authorizeLink(koa, 1);
      case '/testclient/authorize-link-v2':
        return authorizeLink(koa, 2);
      case '/testclient/callback':
        return callback(koa);
      case '/testclient/restart': {
        const session = sessions.find(koa);
        if (session) forgetToken(session);
        return html(koa, 200, homeWithoutToken());
      }
      default: {
        const found = resultPageAt(path);
        if (found !== undefined) return result(koa, path, found.page, found.version);
        return next();
      }
    }
  };
}

