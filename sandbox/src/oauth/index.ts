/**
 * The embedded sandbox's OAuth 2.0 server, shaped to BB2 (the BB2-OAUTH-* requirements of requirements/bb2.json): the
 * authorization endpoint and consent screen, the Medicare login hop and its stand-in login page,
 * token, revocation, introspection, userinfo and discovery, for both /v1 and /v2 path families.
 * oidc-provider is the engine (see provider.ts); this module routes BB2's paths to the handlers.
 */
import type Koa from 'koa';
import type { SandboxContext } from '../context.js';
import { consentScreen, startAuthorization } from './authorize.js';
import { createAccessResolver } from './access.js';
import { registeredClients, type RegisteredClient } from './clients.js';
import type { ApiVersion, OAuthDeps } from './deps.js';
import { openidConfiguration, smartConfiguration } from './discovery.js';
import { jsonReply, sendRedirect, sendReply } from './http.js';
import { medicareCallback, medicareLogin, mockLoginPage, mockLoginSubmit, MOCK_LOGIN_PATH, MOCK_LOGIN_SUBMIT_PATH, SLS_CALLBACK_PATH } from './medicare.js';
import { ProviderBridge, type RevocationPolicy } from './provider.js';
import { Bb2Records } from './state.js';
import { expireAuthenticatedUser, introspectEndpoint, revokeGrantEndpoint, revokeTokenEndpoint, tokenEndpoint } from './token.js';
import type { AccessResolver } from './types.js';
import { userinfo } from './userinfo.js';

export { TEST_CLIENT } from './clients.js';
export type { AccessGrant, AccessResolver, AccessResult } from './types.js';

type Handler = (koa: Koa.Context, match: RegExpExecArray) => Promise<void> | void;

interface Route {
  readonly pattern: RegExp;
  readonly handle: Handler;
}

const versionOf = (match: RegExpExecArray): ApiVersion => (match[1] === '2' ? 2 : 1);

/** Django's APPEND_SLASH: a 301 to the same URL with the slash the route requires. */
function appendSlash(koa: Koa.Context): void {
  const query = koa.querystring ? `?${koa.querystring}` : '';
  sendRedirect(koa, `${koa.path}/${query}`, 301);
}

function routesFor(deps: OAuthDeps, access: AccessResolver): Route[] {
  const { baseUrl } = deps.ctx;
  const json = (body: Record<string, unknown>) => (koa: Koa.Context) => sendReply(koa, jsonReply(200, body));
  const openid = openidConfiguration(baseUrl);
  const smart = smartConfiguration(baseUrl);
  // Matched in order against the path only; the query string never takes part in routing.
  return [
    { pattern: /^\/v([12])\/o\/authorize\/$/, handle: (koa) => startAuthorization(deps, koa) },
    { pattern: /^\/v([12])\/o\/authorize\/([^/]+)\/$/, handle: (koa, match) => consentScreen(deps, koa, versionOf(match), match[2] as string) },
    { pattern: /^\/v([12])\/o\/token\/?$/, handle: (koa) => tokenEndpoint(deps, koa) },
    { pattern: /^\/v([12])\/o\/revoke_token\/$/, handle: (koa) => revokeTokenEndpoint(deps, koa) },
    { pattern: /^\/v([12])\/o\/revoke\/$/, handle: (koa) => revokeGrantEndpoint(deps, koa) },
    { pattern: /^\/v([12])\/o\/introspect\/$/, handle: (koa) => introspectEndpoint(deps, koa) },
    {
      pattern: /^\/v([12])\/o\/expire_authenticated_user\/([-0-9]+)\/$/,
      handle: (koa, match) => expireAuthenticatedUser(deps, koa, match[2] as string),
    },
    {
      pattern: /^\/v([12])\/o\/(?:authorize|authorize\/[^/]+|revoke_token|revoke|introspect|expire_authenticated_user\/[-0-9]+)$/,
      handle: appendSlash,
    },
    // BB2's route regex has no end anchor, so a trailing slash (or more) is tolerated.
    { pattern: /^\/v([12])\/connect\/userinfo/, handle: (koa) => userinfo(deps, access, koa) },
    { pattern: /^\/\.well-known\/openid-configuration(?:-v2)?$/, handle: json(openid) },
    { pattern: /^\/v([12])\/connect\/\.well-known\/openid-configuration$/, handle: json(openid) },
    { pattern: /^\/v([12])\/fhir\/\.well-known\/smart-configuration$/, handle: json(smart) },
    { pattern: /^\/mymedicare\/login$/, handle: (koa) => medicareLogin(deps, koa) },
    { pattern: new RegExp(`^${SLS_CALLBACK_PATH}$`), handle: (koa) => medicareCallback(deps, koa) },
    {
      pattern: new RegExp(`^${MOCK_LOGIN_PATH}$`),
      handle: (koa) => (koa.method === 'GET' || koa.method === 'HEAD' ? mockLoginPage(deps, koa) : notAllowed(koa, 'GET')),
    },
    {
      pattern: new RegExp(`^${MOCK_LOGIN_SUBMIT_PATH}$`),
      handle: (koa) => (koa.method === 'POST' ? mockLoginSubmit(deps, koa) : notAllowed(koa, 'POST')),
    },
  ];
}

function notAllowed(koa: Koa.Context, allowed: string): void {
  koa.status = 405;
  koa.set('Allow', allowed);
  koa.body = '';
}

/**
 * oidc-provider's revocation policy, carrying two BB2 rules: another application's token is refused
 * with BB2's 403 (noted for the route), and revoking an access token revokes only that token, as DOT
 * does, where the library would revoke the whole grant.
 */
function revocationPolicy(ctx: SandboxContext, getBridge: () => ProviderBridge, records: Bb2Records): RevocationPolicy {
  return async (providerContext, client, token) => {
    const notes = getBridge().notesFor(providerContext);
    if (!ctx.behaviour.oauth.mayRevokeToken(token.clientId ?? '', client.clientId)) {
      if (notes) notes.foreignToken = true;
      return false;
    }
    if (token.kind === 'AccessToken') {
      await token.destroy();
      return false;
    }
    if (token.kind === 'RefreshToken') {
      const record = records.refreshToken(token.jti);
      if (record) record.state = 'revoked';
    }
    return true;
  };
}

export async function createOAuth(ctx: SandboxContext): Promise<{ routes: Koa.Middleware; access: AccessResolver }> {
  const clients = registeredClients(ctx.settings, ctx.baseUrl);
  const byId = new Map<string, RegisteredClient>();
  for (const client of clients) {
    if (byId.has(client.id)) throw new Error(`client id ${client.id} is registered twice (the configured client may not reuse TestApp's id)`);
    byId.set(client.id, client);
  }
  const records = new Bb2Records({ approvalLifetimeSeconds: ctx.settings.approvalLifetimeSeconds });
  const bridge: ProviderBridge = new ProviderBridge(ctx, clients, { revocationAllowed: revocationPolicy(ctx, () => bridge, records) });
  const deps: OAuthDeps = { ctx, bridge, records, clients: byId };
  const access = createAccessResolver(deps);
  const table = routesFor(deps, access);

  const routes: Koa.Middleware = async (koa, next) => {
    for (const route of table) {
      const match = route.pattern.exec(koa.path);
      if (match) {
        await route.handle(koa, match);
        return;
      }
    }
    await next();
  };
  return { routes, access };
}
