/**
 * BB2's authorization endpoint and consent screen (BB2-OAUTH-AUTHORIZE-*, -CLIENT-*, -PKCE-01..02, -STATE-*, -CONSENT-*, -REDIRECT-01 in
 * requirements/bb2.json; the screen is templates/design_system/new_authorize_v2.html).
 *
 * `/v{n}/o/authorize/` runs BB2's checks, all before any login, then sends the browser to the Medicare
 * login. After the login, `/v{n}/o/authorize/<uuid>/` shows the consent screen: there oidc-provider's
 * authorization endpoint validates the request (client, redirect_uri, response_type, PKCE) and opens
 * an interaction, which the screen completes with the beneficiary's choice. The interaction's cookies
 * are kept with the Approval on the server, since BB2 identifies the beneficiary by the uuid alone.
 */
import type Koa from 'koa';
import type { InteractionResults, KoaContextWithOIDC } from 'oidc-provider';
import { applicationErrorPage } from '../screens/app-error.js';
import { consentErrorPage, consentPage, CONSENT_HIDDEN_FIELDS, type ConsentHiddenField, type ConsentLanguage } from '../screens/consent.js';
import { formatApDate, formatSpanishDate } from '../screens/dates.js';
import { lookUpApplication, NO_APPLICATION, basicCredentials } from './applications.js';
import type { ParamLookup } from './behaviour.js';
import type { RegisteredClient } from './clients.js';
import type { ApiVersion, OAuthDeps } from './deps.js';
import { htmlReply, jsonReply, Params, quotePlus, readForm, sendRedirect, sendReply, type Reply } from './http.js';
import { cookieHeaderFrom, PROVIDER_ROUTES } from './provider.js';
import type { Approval } from './state.js';
import { revokeProviderGrants } from './grants.js';

const LOGIN_PATH = '/mymedicare/login';
const UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const EMPTY = new Params(new URLSearchParams());

/** Like Python's uuid.UUID(): any case, hyphens optional; stored approvals use the canonical form. */
function canonicalUuid(value: string): string {
  const hex = value.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** GET first, then POST: BB2's `_get_param`. */
class MergedParams implements ParamLookup {
  constructor(private readonly sources: readonly Params[]) {}
  get(name: string): string | undefined {
    for (const source of this.sources) {
      const value = source.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  }
  has(name: string): boolean {
    return this.sources.some((source) => source.has(name));
  }
}

/** Django's `redirect_to_login`: a 302 to the login hop, `next` = where to come back to. */
function redirectToLogin(koa: Koa.Context, next: string): void {
  sendRedirect(koa, `${LOGIN_PATH}?next=${quotePlus(next)}`);
}

/** The `next` of a POST: path plus existing query plus the posted fields (BB2's authorize-post). */
function nextForPost(koa: Koa.Context, body: Params): string {
  const posted = body.toString();
  const existing = koa.querystring;
  const query = existing && posted ? `${existing}&${posted}` : existing || posted;
  return query ? `${koa.path}?${query}` : koa.path;
}

/**
 * The first of BB2's `AuthorizationView.dispatch` checks (`validate_app_is_active`): the application
 * the request names, or BB2's HTML error page for a missing, malformed or unknown one
 * (BB2-OAUTH-CLIENT-01..03).
 */
function lookUpClient(deps: OAuthDeps, koa: Koa.Context, params: MergedParams): { client: RegisteredClient } | { reply: Reply } {
  const lookup = lookUpApplication(deps, {
    basicClientId: basicCredentials(koa.get('authorization'))?.clientId,
    clientIdParam: params.get('client_id'),
  });
  if (lookup.ok && lookup.client) return { client: lookup.client };
  const shown = lookup.ok ? NO_APPLICATION : lookup.failure;
  return { reply: htmlReply(shown.status, applicationErrorPage(shown.error, shown.description)) };
}

/** The rest of BB2's checks before any login (AuditEvent scopes, client_secret, PKCE and state), shared by /authorize/ and the consent screen. */
function checkParams(deps: OAuthDeps, params: MergedParams): Reply | undefined {
  const oauth = deps.ctx.behaviour.oauth;
  return oauth.rejectUnavailableScopesBeforeLogin(params) ?? oauth.rejectIllegalQueryParameters(params) ?? oauth.requirePkceAndState(params);
}

/** `GET|POST /v{n}/o/authorize/`: BB2's checks, then the redirect to the Medicare login (BB2-OAUTH-AUTHORIZE-01). */
export async function startAuthorization(deps: OAuthDeps, koa: Koa.Context): Promise<void> {
  const query = Params.fromQuery(koa.querystring);
  const body = koa.method === 'POST' ? (await readForm(koa)).params : EMPTY;
  if (koa.method === 'POST') {
    // BB2 checks this in a decorator around dispatch, so it comes first.
    const reply = deps.ctx.behaviour.oauth.requirePostState(body);
    if (reply) return sendReply(koa, reply);
  }
  const params = new MergedParams([query, body]);
  const application = lookUpClient(deps, koa, params);
  if ('reply' in application && deps.ctx.behaviour.oauth.checkApplicationBeforeLogin) return sendReply(koa, application.reply);
  const reply = checkParams(deps, params);
  if (reply) return sendReply(koa, reply);
  redirectToLogin(koa, koa.method === 'POST' ? nextForPost(koa, body) : koa.originalUrl);
}

/** `GET|POST /v{n}/o/authorize/<uuid>/`: the consent screen and its answer. */
export async function consentScreen(deps: OAuthDeps, koa: Koa.Context, version: ApiVersion, uuid: string): Promise<void> {
  if (!UUID_PATTERN.test(uuid)) return sendReply(koa, jsonReply(404, { status_code: 404, message: 'Not found.' }));
  const query = Params.fromQuery(koa.querystring);
  const body = koa.method === 'POST' ? (await readForm(koa)).params : EMPTY;
  const params = new MergedParams([query, body]);
  const checked = lookUpClient(deps, koa, params);
  if ('reply' in checked) return sendReply(koa, checked.reply);
  const reply = checkParams(deps, params);
  if (reply) return sendReply(koa, reply);

  // An unknown, expired or other-application uuid leaves the request anonymous: BB2 then asks for a login.
  const approval = deps.records.approvals.get(canonicalUuid(uuid));
  if (!approval || (approval.clientId !== undefined && approval.clientId !== checked.client.id)) {
    return redirectToLogin(koa, koa.method === 'POST' ? nextForPost(koa, body) : koa.originalUrl);
  }
  if (koa.method === 'POST') return decide(deps, koa, version, approval, checked.client, query, body);
  const opened = await openInteraction(deps, koa, approval, checked.client, query);
  if ('reply' in opened) return sendReply(koa, opened.reply);
  const language = consentLanguage(koa, query);
  const toggled = new URLSearchParams(koa.querystring);
  toggled.set('lang', language === 'es' ? 'en' : 'es');
  const end = deps.ctx.behaviour.oauth.accessGrantExpiration(new Date(deps.ctx.now()));
  sendReply(
    koa,
    htmlReply(
      200,
      consentPage({
        applicationName: checked.client.name,
        hiddenFields: opened.hiddenFields,
        permissionEndDate: language === 'es' ? formatSpanishDate(end) : formatApDate(end),
        language,
        languageToggleHref: `${koa.path}?${toggled}`,
      }),
    ),
  );
}

/**
 * The screen's language (BB2-OAUTH-CONSENT-04): the request's `lang` (en/es), else the `django_language`
 * cookie BB2's toggle sets, else Accept-Language.
 */
function consentLanguage(koa: Koa.Context, query: Params): ConsentLanguage {
  const requested = query.get('lang') ?? koa.cookies.get('django_language');
  if (requested === 'es' || requested === 'en') return requested;
  return koa.acceptsLanguages('en', 'es') === 'es' ? 'es' : 'en';
}

interface OpenedInteraction {
  readonly uid: string;
  readonly cookieHeader: string;
  readonly hiddenFields: Record<ConsentHiddenField, string>;
}

/**
 * Hands the authorization request to oidc-provider, which validates it and opens an interaction for
 * the beneficiary's decision. BB2 checks the scopes only after DOT accepted the request, so an
 * unavailable scope is reported once the library found nothing wrong.
 */
async function openInteraction(
  deps: OAuthDeps,
  koa: Koa.Context,
  approval: Approval,
  client: RegisteredClient,
  query: Params,
): Promise<OpenedInteraction | { reply: Reply }> {
  const oauth = deps.ctx.behaviour.oauth;
  const scopes = oauth.resolveRequestedScopes(query.get('scope'));
  const fields: Record<ConsentHiddenField, string> = {
    redirect_uri: query.get('redirect_uri') || (oauth.defaultRedirectUri(client.redirectUris) ?? ''),
    scope: (scopes ?? oauth.resolveRequestedScopes(undefined) ?? []).join(' '),
    client_id: client.id,
    state: query.get('state') ?? '',
    response_type: query.get('response_type') ?? '',
    code_challenge: query.get('code_challenge') ?? '',
    code_challenge_method: query.get('code_challenge_method') ?? '',
  };
  // Only the parameters BB2's form carries reach the library (DOT ignores the rest).
  const forwarded = new URLSearchParams();
  for (const name of CONSENT_HIDDEN_FIELDS) {
    const value = name === 'code_challenge' ? oauth.normalizeCodeChallenge(fields[name]) : fields[name];
    if (value !== '' || query.has(name)) forwarded.set(name, value);
  }
  const { response, inspected } = await deps.bridge.call(koa.req, {
    method: 'GET',
    url: `${PROVIDER_ROUTES.authorization}?${forwarded}`,
    inspect: (providerContext: KoaContextWithOIDC) => providerContext.oidc.entities.Interaction?.uid,
  });

  if (response.status === 303 && inspected !== undefined) {
    const cookieHeader = cookieHeaderFrom(response.headers['set-cookie']);
    if (!scopes) {
      await deps.bridge.provider.Interaction.adapter.destroy(inspected);
      return { reply: invalidScopes() };
    }
    approval.clientId = client.id;
    approval.interaction = { uid: inspected, cookieHeader };
    return { uid: inspected, cookieHeader, hiddenFields: fields };
  }
  return { reply: authorizationErrorReply(deps, client, response.status, response.headers.location, response.body) };
}

function invalidScopes(): Reply {
  return jsonReply(400, { status_code: 400, message: 'Invalid scopes.' });
}

/**
 * How an authorization error reaches the browser: errors DOT redirects with go to redirect_uri
 * (an invalid_scope one becomes BB2's JSON), errors that cannot be redirected render the consent
 * template with DOT's error block (BB2-OAUTH-REDIRECT-01).
 */
function authorizationErrorReply(
  deps: OAuthDeps,
  client: RegisteredClient,
  status: number,
  location: unknown,
  body: unknown,
): Reply {
  if (status === 303 && typeof location === 'string') {
    const target = new URL(location);
    if (target.searchParams.get('error') === 'invalid_scope') return invalidScopes();
    return { status: 302, contentType: 'text/html; charset=utf-8', body: '', headers: { Location: cleanRedirect(deps, target) } };
  }
  const out = (body ?? {}) as { error?: unknown; error_description?: unknown };
  const [error, description] =
    out.error === 'invalid_redirect_uri'
      ? ['invalid_request', 'Mismatching redirect URI.']
      : [String(out.error ?? 'server_error'), String(out.error_description ?? '')];
  const shownStatus = status >= 400 && status < 500 ? 400 : status >= 500 ? 500 : 400;
  return htmlReply(shownStatus, consentErrorPage(client.name, error, description));
}

/** The library adds `iss` (RFC 9207) and descriptions BB2 does not send; BB2 returns code/error and state. */
function cleanRedirect(deps: OAuthDeps, target: URL): string {
  target.searchParams.delete('iss');
  if (target.searchParams.get('error') === 'access_denied') target.searchParams.delete('error_description');
  if (!deps.ctx.behaviour.oauth.returnStateOnRedirect) target.searchParams.delete('state');
  return target.href;
}

/** The consent form's answer (BB2-OAUTH-STATE-04, BB2-OAUTH-CONSENT-01): Connect gives a code, Cancel gives access_denied. */
async function decide(
  deps: OAuthDeps,
  koa: Koa.Context,
  version: ApiVersion,
  approval: Approval,
  client: RegisteredClient,
  query: Params,
  form: Params,
): Promise<void> {
  const { bridge } = deps;
  const oauth = deps.ctx.behaviour.oauth;
  let interaction = approval.interaction;
  let details = interaction ? await bridge.interactionDetails(interaction.cookieHeader).catch(() => undefined) : undefined;
  if (!interaction || !details) {
    // The screen was not shown in this flow (or its interaction was used): open one as the GET would.
    const opened = await openInteraction(deps, koa, approval, client, query);
    if ('reply' in opened) return sendReply(koa, opened.reply);
    interaction = { uid: opened.uid, cookieHeader: opened.cookieHeader };
    details = await bridge.interactionDetails(interaction.cookieHeader);
  }
  const accountId = approval.username;
  const requested = String(details.params.scope ?? '').split(' ').filter((scope) => scope.length > 0);
  // Django's QueryDict.get: the checkbox, when ticked, posts "True" after the hidden "False".
  const shareDemographics = form.get('share_demographic_scopes') !== 'False';
  const allow = form.has('allow');

  let result: InteractionResults;
  let grantId: string | undefined;
  if (!allow) {
    result = { error: 'access_denied' };
  } else {
    const withheld = new Set(oauth.withheldScopes(requested, shareDemographics));
    const granted = requested.filter((scope) => !withheld.has(scope));
    if (granted.length === 0) {
      // BB2 treats "nothing left to share" as a denial and removes the pair's grant and tokens.
      await endDataAccess(deps, client.id, accountId, 'deleted');
      result = { error: 'access_denied' };
    } else {
      const grant = new bridge.provider.Grant({ accountId, clientId: client.id });
      grant.addOIDCScope(granted.join(' '));
      if (withheld.size > 0) grant.rejectOIDCScope([...withheld].join(' '));
      grantId = await grant.save();
      result = { login: { accountId }, consent: { grantId } };
    }
  }
  await bridge.interactionResult(interaction.cookieHeader, result);
  approval.interaction = undefined; // the library consumes the interaction when it resumes

  const { response } = await bridge.call(koa.req, {
    method: 'GET',
    url: `${PROVIDER_ROUTES.authorization}/${encodeURIComponent(interaction.uid)}`,
    headers: { cookie: interaction.cookieHeader },
    // BB2 signs the beneficiary out after every login (BB2-OAUTH-LOGIN-01): no session survives.
    inspect: async (providerContext: KoaContextWithOIDC) => {
      await providerContext.oidc.entities.Session?.destroy();
    },
  });
  const location = response.headers.location;
  if (response.status !== 303 || typeof location !== 'string') {
    return sendReply(koa, authorizationErrorReply(deps, client, response.status, location, response.body));
  }
  const target = new URL(location);
  if (grantId !== undefined && target.searchParams.has('code')) await recordConsent(deps, client.id, accountId, grantId);
  deps.ctx.log.debug(`consent v${version}: ${allow ? 'connect' : 'cancel'} -> ${target.searchParams.has('code') ? 'code' : target.searchParams.get('error') ?? 'redirect'}`);
  sendRedirect(koa, cleanRedirect(deps, target));
}

/**
 * After a successful consent BB2 deletes the pair's earlier access and refresh tokens and creates or
 * renews the 13-month DataAccessGrant (BB2-OAUTH-CONSENT-02, BB2-OAUTH-TOKEN-06).
 */
async function recordConsent(deps: OAuthDeps, clientId: string, accountId: string, grantId: string): Promise<void> {
  const { records } = deps;
  const oauth = deps.ctx.behaviour.oauth;
  if (oauth.revokeEarlierTokensOnConsent) {
    await revokeProviderGrants(deps, records.takeProviderGrants(clientId, accountId, grantId), 'deleted');
  }
  records.addProviderGrant(clientId, accountId, grantId);
  const now = new Date(deps.ctx.now());
  records.putDataAccessGrant(clientId, accountId, { grantedAt: now, expiresAt: oauth.accessGrantExpiration(now) });
}

/** Deletes the DataAccessGrant and every token of the pair (BB2's `remove_application_user_pair_tokens_data_access`). */
export async function endDataAccess(
  deps: OAuthDeps,
  clientId: string,
  accountId: string,
  refreshTokenState: 'revoked' | 'deleted',
): Promise<boolean> {
  const existed = deps.records.deleteDataAccessGrant(clientId, accountId);
  await revokeProviderGrants(deps, deps.records.takeProviderGrants(clientId, accountId), refreshTokenState);
  return existed;
}
