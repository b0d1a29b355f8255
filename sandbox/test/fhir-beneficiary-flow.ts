/**
 * Test support for the FHIR and testclient tests: walks BB2's authorization chain with fetch, the way a
 * browser would (authorize -> Medicare login hop -> login page, two steps -> consent -> redirect),
 * and exchanges codes for tokens. It reads the sandbox's own forms by their ids (login-form,
 * authorizationForm); regular expressions suffice for markup the sandbox itself renders.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A minimal cookie jar: name=value per cookie name, enough for one sandbox origin. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** fetch without following redirects, sending and keeping cookies. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('Cookie', this.header());
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(response);
    return response;
  }
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decodeEntities(match[1] as string) : undefined;
}

interface Form {
  readonly action: string | undefined;
  readonly hidden: Array<[string, string]>;
}

function formById(html: string, id: string): Form | undefined {
  const start = html.search(new RegExp(`<form[^>]*\\sid="${id}"`));
  if (start === -1) return undefined;
  const end = html.indexOf('</form>', start);
  const markup = html.slice(start, end === -1 ? undefined : end);
  const openTag = /<form[^>]*>/.exec(markup)?.[0] ?? '';
  const hidden: Array<[string, string]> = [];
  for (const tag of markup.match(/<input[^>]*>/g) ?? []) {
    const name = attribute(tag, 'name');
    if (attribute(tag, 'type') === 'hidden' && name !== undefined) hidden.push([name, attribute(tag, 'value') ?? '']);
  }
  return { action: attribute(openTag, 'action'), hidden };
}

export interface BeneficiaryChoice {
  readonly username: string;
  /** Defaults to the synthetic convention PW#####!. */
  readonly password?: string;
  /** Tick "Personal Information" on the consent screen (default true). */
  readonly shareDemographics?: boolean;
  /** Press Connect (default) or Cancel. */
  readonly approve?: boolean;
}

/**
 * Follows the chain from an authorize URL until the sandbox redirects to `redirectUri`, and returns
 * that final URL (with code and state, or error).
 */
export async function authorizeAsBeneficiary(jar: CookieJar, authorizeUrl: string, redirectUri: string, choice: BeneficiaryChoice): Promise<URL> {
  const password = choice.password ?? `PW${choice.username.replace(/^BBUser/, '')}!`;
  let url = authorizeUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 20; hop += 1) {
    const response = await jar.fetch(url, init);
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location') ?? '', url).href;
      if (location.startsWith(redirectUri)) return new URL(location);
      url = location;
      init = {};
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`authorization chain: ${response.status} at ${new URL(url).pathname}: ${html.slice(0, 300)}`);
    const login = formById(html, 'login-form');
    const consent = formById(html, 'authorizationForm');
    let fields: Array<[string, string]>;
    let action: string | undefined;
    if (login) {
      fields = login.hidden.filter(([name]) => name !== 'username');
      const step = login.hidden.find(([name]) => name === 'step')?.[1];
      fields.push(['username', choice.username]);
      if (step === 'password') fields.push(['password', password]);
      action = login.action;
    } else if (consent) {
      fields = consent.hidden.filter(([name]) => name !== 'share_demographic_scopes');
      fields.push(['share_demographic_scopes', 'False']);
      if (choice.shareDemographics !== false) fields.push(['share_demographic_scopes', 'True']);
      if (choice.approve !== false) fields.push(['allow', 'Connect']);
      action = consent.action;
    } else {
      throw new Error(`authorization chain: no form to fill at ${new URL(url).pathname}`);
    }
    url = new URL(action ?? url, url).href;
    init = { method: 'POST', body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('authorization chain: too many hops');
}

export interface ClientCredentials {
  readonly id: string;
  readonly secret: string;
  readonly redirectUri: string;
}

export interface TokenResponse {
  readonly access_token: string;
  readonly patient: string;
  readonly scope: string;
  readonly [key: string]: unknown;
}

/** A full authorization-code flow with PKCE for `client`; returns the token response. */
export async function obtainToken(
  baseUrl: string,
  client: ClientCredentials,
  choice: BeneficiaryChoice & { readonly scope?: string; readonly version?: 1 | 2 },
): Promise<TokenResponse> {
  const version = choice.version ?? 1;
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(24).toString('base64url');
  const query = new URLSearchParams({
    client_id: client.id,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  if (choice.scope !== undefined) query.set('scope', choice.scope);
  const landed = await authorizeAsBeneficiary(new CookieJar(), `${baseUrl}/v${version}/o/authorize/?${query}`, client.redirectUri, choice);
  const code = landed.searchParams.get('code');
  if (code === null) throw new Error(`authorization ended without a code: ${landed.searchParams.get('error') ?? 'no error'}`);
  const response = await fetch(`${baseUrl}/v${version}/o/token/`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier }),
  });
  const body = (await response.json()) as TokenResponse;
  if (!response.ok || typeof body.access_token !== 'string') throw new Error(`token exchange failed with ${response.status}`);
  return body;
}
