/**
 * Walks the embedded sandbox's own authorization chain with fetch, as a browser would: authorize ->
 * Medicare.gov login hop -> the two-step login -> consent -> the redirect to the app. It fills the
 * sandbox's forms by their ids (login-form, authorizationForm); regular expressions suffice for markup
 * the sandbox itself renders.
 *
 * Not part of the server: it is how code that already stands on the sandbox's side (its unit tests,
 * the suite's private sandboxes, whose checks are about tokens, not about the login) gets a code
 * without a browser. Checks of the login and consent screens drive Chromium (fixtures/browser-authorization.ts).
 */

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
  /** Sent with every request of the chain (the self-test's scope header, fixtures/check-scopes.ts). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Follows the chain from an authorize URL until the sandbox redirects to `redirectUri`, and returns
 * that final URL (with code and state, or error).
 */
export async function walkAuthorization(jar: CookieJar, authorizeUrl: string, redirectUri: string, choice: BeneficiaryChoice): Promise<URL> {
  const password = choice.password ?? `PW${choice.username.replace(/^BBUser/, '')}!`;
  let url = authorizeUrl;
  let init: { method?: string; body?: URLSearchParams; headers?: Record<string, string> } = {};
  for (let hop = 0; hop < 20; hop += 1) {
    const response = await jar.fetch(url, { ...init, headers: { ...choice.headers, ...init.headers } });
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
