/**
 * Token, revocation, introspection and the sandbox's "expire user" endpoint (BB2-OAUTH-TOKEN-*,
 * -TOKENAUTH-*, -REFRESH-*, -REVOKE-*, -INTROSPECT-*, -EXPIRE-01). Each runs BB2's application checks first (`validate_app_is_active`), then replays the
 * request to oidc-provider and reshapes its answer into BB2's bodies, statuses and headers.
 */
import { createHash } from 'node:crypto';
import type Koa from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { findUserByPatientId, findUserByUsername } from '../data/users.js';
import { formatIsoSeconds } from '../screens/dates.js';
import { secretEquals } from '../secret-equality.js';
import { applicationErrorJson, basicCredentials, lookUpApplication, NO_APPLICATION, type BasicCredentials } from './applications.js';
import { endDataAccess } from './authorize.js';
import type { RegisteredClient } from './clients.js';
import type { OAuthDeps } from './deps.js';
import { htmlReply, jsonReply, Params, readForm, sendReply, type Reply } from './http.js';
import { PROVIDER_ROUTES, type ProviderResponse } from './provider.js';

/** Django's answer to a method a class-based view does not implement. */
function methodNotAllowed(koa: Koa.Context, allowed: string): void {
  koa.status = 405;
  koa.set('Allow', allowed);
  koa.set('Content-Type', 'text/html; charset=utf-8');
  koa.body = '';
}

interface ClientRequest {
  readonly form: Params;
  /** The fields replayed to the library (form-encoded). */
  readonly raw: string;
  readonly basic: BasicCredentials | undefined;
  readonly authorization: string | undefined;
}

async function clientRequest(koa: Koa.Context, params?: Params): Promise<ClientRequest> {
  const authorization = koa.get('authorization') || undefined;
  const basic = basicCredentials(authorization);
  const form = params ?? (await readForm(koa)).params;
  const forwarded = new URLSearchParams(form.entries);
  // DOT authenticates with the Basic header when there is one; the library would refuse two mechanisms.
  if (basic) forwarded.delete('client_secret');
  return { form, raw: forwarded.toString(), basic, authorization };
}

/** BB2's application lookup for these endpoints: Basic header, then client_id. */
function application(deps: OAuthDeps, request: ClientRequest): { client: RegisteredClient | undefined } | { reply: Reply } {
  const lookup = lookUpApplication(deps, { basicClientId: request.basic?.clientId, clientIdParam: request.form.get('client_id') });
  return lookup.ok ? { client: lookup.client } : { reply: applicationErrorJson(lookup.failure) };
}

/** RFC 6749 §2.3.1: Basic credentials are form-encoded before base64. */
function basicHeader(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

function authorizationHeader(request: ClientRequest): Record<string, string> {
  return request.authorization === undefined ? {} : { authorization: request.authorization };
}

interface TokenOutcome {
  readonly accountId: string | undefined;
  readonly clientId: string | undefined;
  readonly grantId: string | undefined;
  readonly accessTokenId: string | undefined;
  readonly refreshTokenId: string | undefined;
  readonly rotatedRefreshTokenId: string | undefined;
  readonly exchangedCode: { destroy(): Promise<void>; save(): Promise<string>; consumed?: unknown } | undefined;
}

/** `POST /v{n}/o/token[/]` (BB2-OAUTH-TOKEN-*, BB2-OAUTH-TOKENAUTH-*, BB2-OAUTH-REFRESH-*). */
export async function tokenEndpoint(deps: OAuthDeps, koa: Koa.Context): Promise<void> {
  if (koa.method !== 'POST') return methodNotAllowed(koa, 'POST, OPTIONS');
  const { bridge, records } = deps;
  const oauth = deps.ctx.behaviour.oauth;
  const request = await clientRequest(koa);
  const found = application(deps, request);
  if ('reply' in found) return sendReply(koa, found.reply);
  const form = new URLSearchParams(request.raw);
  // oauthlib's default grant type is authorization_code.
  if (!form.has('grant_type')) form.set('grant_type', 'authorization_code');
  const grantType = form.get('grant_type');

  let client = found.client;
  if (grantType === 'refresh_token') {
    const checked = await checkRefreshToken(deps, request, client);
    if ('reply' in checked) return sendReply(koa, checked.reply);
    client = checked.client;
  }
  if (!client) return sendReply(koa, applicationErrorJson(NO_APPLICATION));

  if (grantType === 'authorization_code') {
    // DOT falls back to the application's first redirect URI when the request names none.
    const fallback = oauth.defaultRedirectUri(client.redirectUris);
    if (!form.get('redirect_uri') && fallback !== undefined) form.set('redirect_uri', fallback);
    await applyCodePolicies(deps, form);
  }

  let headers = authorizationHeader(request);
  if (!oauth.verifyClientSecretAtToken) {
    // Whatever secret came (or none), the library is shown the registered one.
    form.delete('client_secret');
    headers = { authorization: basicHeader(client.id, client.secret) };
  }

  const { response, inspected, notes } = await bridge.call(koa.req, {
    method: 'POST',
    url: PROVIDER_ROUTES.token,
    headers,
    form: form.toString(),
    inspect: (providerContext: KoaContextWithOIDC): TokenOutcome => {
      const { entities } = providerContext.oidc;
      return {
        accountId: entities.Account?.accountId,
        clientId: entities.Client?.clientId,
        grantId: entities.Grant?.jti,
        accessTokenId: entities.AccessToken?.jti,
        refreshTokenId: entities.RefreshToken?.jti,
        rotatedRefreshTokenId: entities.RotatedRefreshToken?.jti,
        exchangedCode: entities.AuthorizationCode,
      };
    },
  });
  if (response.status !== 200 || !inspected) return sendReply(koa, tokenErrorReply(response, notes.error));

  await recordIssuedTokens(deps, inspected);
  const issued = response.body as { access_token: string; expires_in: number; token_type: string; scope?: string; refresh_token?: string };
  const accountId = inspected.accountId ?? '';
  const grant = records.dataAccessGrant(client.id, accountId);
  const body = oauth.shapeTokenResponse({
    accessToken: issued.access_token,
    expiresIn: issued.expires_in,
    tokenType: issued.token_type,
    scope: issued.scope ?? '',
    refreshToken: issued.refresh_token,
    patient: findUserByUsername(accountId)?.patientId ?? '',
    accessGrantExpiration: grant ? formatIsoSeconds(grant.expiresAt) : '',
  });
  sendReply(koa, jsonReply(200, body, oauth.tokenResponseHeaders()));
}

/**
 * BB2's refresh checks before oauthlib (BB2-OAUTH-REFRESH-04..06): the refresh token must be one it knows, and the
 * app/bene DataAccessGrant must exist and be current.
 */
async function checkRefreshToken(
  deps: OAuthDeps,
  request: ClientRequest,
  named: RegisteredClient | undefined,
): Promise<{ client: RegisteredClient } | { reply: Reply }> {
  const token = request.form.get('refresh_token');
  const remembered = token ? deps.records.refreshToken(token) : undefined;
  const live = token ? await deps.bridge.provider.RefreshToken.find(token, { ignoreExpiration: true }) : undefined;
  const known = live ? { clientId: live.clientId, accountId: live.accountId } : remembered?.state === 'deleted' ? undefined : remembered;
  if (!known) {
    // Which of BB2's two lookups fails first depends on whether the body named the client.
    const description = request.form.get('client_id') ? 'Missing refresh token parameter' : 'Refresh token not found.';
    return { reply: jsonReply(400, { status_code: 400, error: 'invalid_request', error_description: description }) };
  }
  const client = named ?? (known.clientId === undefined ? undefined : deps.clients.get(known.clientId));
  if (!client) return { reply: applicationErrorJson(NO_APPLICATION) };
  const reply = deps.ctx.behaviour.oauth.checkDataAccessGrantOnRefresh(deps.records.dataAccessGrant(client.id, known.accountId ?? ''), new Date(deps.ctx.now()));
  return reply ? { reply } : { client };
}

/**
 * The code rules oidc-provider enforces itself stay its checks; only a behaviour that turns one off
 * changes what the library is given.
 */
async function applyCodePolicies(deps: OAuthDeps, form: URLSearchParams): Promise<void> {
  const oauth = deps.ctx.behaviour.oauth;
  if (oauth.tokenRedirectUriMustMatch && oauth.verifyCodeVerifier) return;
  const value = form.get('code');
  const code = value ? await deps.bridge.provider.AuthorizationCode.find(value, { ignoreExpiration: true }) : undefined;
  if (!code) return;
  if (!oauth.tokenRedirectUriMustMatch && code.redirectUri) form.set('redirect_uri', code.redirectUri);
  const verifier = form.get('code_verifier');
  if (!oauth.verifyCodeVerifier && verifier) {
    code.codeChallenge = createHash('sha256').update(verifier).digest('base64url');
    code.codeChallengeMethod = 'S256';
    await code.save();
  }
}

/** DOT's bookkeeping after a token response (BB2-OAUTH-REFRESH-01, BB2-OAUTH-REFRESH-03). */
async function recordIssuedTokens(deps: OAuthDeps, outcome: TokenOutcome): Promise<void> {
  const { bridge, records } = deps;
  const oauth = deps.ctx.behaviour.oauth;
  if (outcome.exchangedCode) {
    // DOT deletes the code, so a second exchange is a plain invalid_grant (the library would revoke).
    if (oauth.codeIsSingleUse) await outcome.exchangedCode.destroy();
    else {
      delete outcome.exchangedCode.consumed;
      await outcome.exchangedCode.save();
    }
  }
  if (outcome.rotatedRefreshTokenId !== undefined) {
    const rotated = records.refreshToken(outcome.rotatedRefreshTokenId);
    // Destroyed rather than left "consumed": reuse is then invalid_grant without revoking the new pair.
    await bridge.provider.RefreshToken.adapter.destroy(outcome.rotatedRefreshTokenId);
    if (rotated) {
      rotated.state = 'revoked';
      if (oauth.revokeAccessTokenWithRotatedRefreshToken) await bridge.provider.AccessToken.adapter.destroy(rotated.accessTokenId);
    }
  }
  if (outcome.refreshTokenId !== undefined && outcome.accessTokenId !== undefined && outcome.grantId !== undefined) {
    records.rememberRefreshToken(outcome.refreshTokenId, {
      grantId: outcome.grantId,
      clientId: outcome.clientId ?? '',
      accountId: outcome.accountId ?? '',
      accessTokenId: outcome.accessTokenId,
      state: 'live',
    });
  }
}

interface LibraryError {
  readonly error?: unknown;
  readonly error_description?: unknown;
}

/**
 * Client authentication that failed in the library. oauthlib answers all of these with 401
 * invalid_client (an undecodable Basic header simply authenticates nobody); the library calls some
 * of them invalid_request.
 */
function isClientAuthenticationFailure(out: LibraryError): boolean {
  if (out.error === 'invalid_client') return true;
  const description = typeof out.error_description === 'string' ? out.error_description : '';
  return out.error === 'invalid_request' && /authorization header|client authentication|client_secret must be provided/.test(description);
}

function detailOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const detail = (error as { error_detail?: unknown }).error_detail;
  return typeof detail === 'string' ? detail : '';
}

/** oidc-provider's token errors in oauthlib's words (BB2-OAUTH-PKCE-03..04, BB2-OAUTH-CODE-01..02, BB2-OAUTH-REDIRECT-02, BB2-OAUTH-TOKENAUTH-03..04). */
function tokenErrorReply(response: ProviderResponse, error: unknown): Reply {
  const out = (response.body ?? {}) as LibraryError;
  const code = typeof out.error === 'string' ? out.error : 'server_error';
  const description = typeof out.error_description === 'string' ? out.error_description : '';
  const detail = detailOf(error);
  if (isClientAuthenticationFailure(out)) return jsonReply(401, { error: 'invalid_client' });
  if (code === 'invalid_grant') {
    if (detail === 'code_verifier must be provided') {
      return jsonReply(400, { error: 'invalid_request', error_description: 'Code verifier required.' });
    }
    if (detail === 'authorization code redirect_uri mismatch') {
      return jsonReply(400, { error: 'invalid_request', error_description: 'Mismatching redirect URI.' });
    }
    return jsonReply(400, { error: 'invalid_grant' });
  }
  // The library checks the verifier's format; oauthlib just finds it does not match.
  if (code === 'invalid_request' && description.startsWith('code_verifier')) return jsonReply(400, { error: 'invalid_grant' });
  if (code === 'unsupported_grant_type') return jsonReply(400, { error: 'unsupported_grant_type' });
  if (code === 'invalid_request' && description.includes('missing required parameter') && description.includes('code')) {
    return jsonReply(400, { error: 'invalid_request', error_description: 'Missing code parameter.' });
  }
  if (code === 'server_error' || response.status >= 500) return jsonReply(500, { error: 'Server Error (500)' });
  return jsonReply(response.status >= 400 ? response.status : 400, { error: code, ...(description ? { error_description: description } : {}) });
}

/** Replies of the two revocation endpoints and introspection for errors of the library. */
function revocationErrorReply(response: ProviderResponse): Reply {
  const out = (response.body ?? {}) as LibraryError;
  if (isClientAuthenticationFailure(out)) return jsonReply(401, { error: 'invalid_client' });
  if (out.error === 'invalid_request' && typeof out.error_description === 'string' && out.error_description.includes("'token'")) {
    return jsonReply(400, { error: 'invalid_request', error_description: 'Missing token parameter.' });
  }
  if (response.status >= 500) return jsonReply(500, { error: 'Server Error (500)' });
  return jsonReply(response.status, { error: out.error ?? 'invalid_request', ...(out.error_description ? { error_description: out.error_description } : {}) });
}

const FOREIGN_TOKEN: Reply = jsonReply(403, { status_code: 403, description: 'Application did not have access to the provided token.' });

/** `POST /v{n}/o/revoke_token/`: RFC 7009 by the library (BB2-OAUTH-REVOKE-03..05). */
export async function revokeTokenEndpoint(deps: OAuthDeps, koa: Koa.Context): Promise<void> {
  if (koa.method !== 'POST') return methodNotAllowed(koa, 'POST, OPTIONS');
  const request = await clientRequest(koa);
  const found = application(deps, request);
  if ('reply' in found) return sendReply(koa, found.reply);
  const { response, notes } = await deps.bridge.call(koa.req, {
    method: 'POST',
    url: PROVIDER_ROUTES.revocation,
    headers: authorizationHeader(request),
    form: request.raw,
  });
  if (response.status !== 200) return sendReply(koa, revocationErrorReply(response));
  if (notes.foreignToken) return sendReply(koa, FOREIGN_TOKEN);
  sendReply(koa, htmlReply(200, ''));
}

/**
 * `POST /v{n}/o/revoke/`: BB2's revocation that also deletes the app/bene DataAccessGrant, which
 * revokes every token of the pair (BB2-OAUTH-REVOKE-02). The grant goes only once the library has authenticated the
 * client (BB2 deletes it before authenticating; an emulator should not let that through).
 */
export async function revokeGrantEndpoint(deps: OAuthDeps, koa: Koa.Context): Promise<void> {
  if (koa.method !== 'POST') return methodNotAllowed(koa, 'POST, OPTIONS');
  const request = await clientRequest(koa);
  const found = application(deps, request);
  if ('reply' in found) return sendReply(koa, found.reply);
  const value = request.form.get('token');
  const accessToken = value ? await deps.bridge.provider.AccessToken.find(value, { ignoreExpiration: true }) : undefined;
  const owner = accessToken ? { clientId: accessToken.clientId, accountId: accessToken.accountId } : undefined;
  const { response, notes } = await deps.bridge.call(koa.req, {
    method: 'POST',
    url: PROVIDER_ROUTES.revocation,
    headers: authorizationHeader(request),
    form: request.raw,
  });
  if (response.status !== 200) return sendReply(koa, revocationErrorReply(response));
  if (notes.foreignToken) return sendReply(koa, FOREIGN_TOKEN);
  if (owner?.clientId && owner.accountId) await endDataAccess(deps, owner.clientId, owner.accountId, 'revoked');
  sendReply(koa, htmlReply(200, ''));
}

/** `GET|POST /v{n}/o/introspect/` (BB2-OAUTH-INTROSPECT-01..02): DOT's body shape. */
export async function introspectEndpoint(deps: OAuthDeps, koa: Koa.Context): Promise<void> {
  if (koa.method !== 'POST' && koa.method !== 'GET') return methodNotAllowed(koa, 'GET, POST, OPTIONS');
  const request = await clientRequest(koa, koa.method === 'GET' ? Params.fromQuery(koa.querystring) : undefined);
  const found = application(deps, request);
  if ('reply' in found) return sendReply(koa, found.reply);
  const { response } = await deps.bridge.call(koa.req, {
    method: 'POST',
    url: PROVIDER_ROUTES.introspection,
    headers: authorizationHeader(request),
    form: request.raw,
  });
  if (response.status !== 200) return sendReply(koa, revocationErrorReply(response));
  const body = (response.body ?? {}) as { active?: boolean; scope?: string; exp?: number; client_id?: string; sub?: string; token_type?: string };
  // DOT introspects access tokens only.
  if (!body.active || body.token_type === undefined) return sendReply(koa, jsonReply(200, { active: false }));
  sendReply(koa, jsonReply(200, { active: true, scope: body.scope ?? '', exp: body.exp, client_id: body.client_id, username: body.sub }));
}

/**
 * `POST /v{n}/o/expire_authenticated_user/<patient>/` (BB2-OAUTH-EXPIRE-01): deletes the DataAccessGrant of the
 * calling application and the patient, as if the beneficiary had revoked access. Client
 * authentication is checked here because no library endpoint matches DOT's ClientProtectedResourceView.
 */
export async function expireAuthenticatedUser(deps: OAuthDeps, koa: Koa.Context, patientId: string): Promise<void> {
  if (koa.method !== 'POST') return methodNotAllowed(koa, 'POST, OPTIONS');
  const { params } = await readForm(koa);
  const basic = basicCredentials(koa.get('authorization'));
  const clientId = basic?.clientId ?? params.get('client_id');
  const secret = basic?.secret ?? params.get('client_secret');
  const client = clientId === undefined ? undefined : deps.clients.get(clientId);
  if (!client || secret === undefined || !secretEquals(secret, client.secret)) return sendReply(koa, htmlReply(403, ''));
  const user = findUserByPatientId(patientId);
  // BB2 knows a beneficiary (its Crosswalk) only after a first login.
  if (!user || !deps.records.firstLogin.has(user.username)) {
    return sendReply(koa, htmlReply(404, 'Patient was Not Found. Please check the id number and try again.'));
  }
  const existed = await endDataAccess(deps, client.id, user.username, 'revoked');
  sendReply(koa, existed ? htmlReply(200, 'success') : htmlReply(404, 'Data Access Grant was Not Found.'));
}
