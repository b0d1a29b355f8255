/**
 * oidc-provider, configured as the engine of the sandbox's OAuth server, and the bridge that hands it
 * requests. The library's routes live under /oidc/ and are never exposed directly: the BB2-shaped
 * routes (index.ts) check what BB2 checks first, then replay the request to the library through
 * `ProviderBridge.call` and reshape its answer. The library keeps the OAuth state: interactions,
 * grants, codes (single use, PKCE S256), access and refresh tokens (rotation), revocation, introspection.
 */
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Configuration, InteractionResults, KoaContextWithOIDC } from 'oidc-provider';
import { Provider } from './oidc-provider.js';
import type { SandboxContext } from '../context.js';
import { findUserByUsername } from '../data/users.js';
import type { RegisteredClient } from './clients.js';
import { MemoryStore } from './memory-adapter.js';
import { AVAILABLE_SCOPES } from './scopes.js';

/** The library's own routes; reachable only through the bridge. */
export const PROVIDER_ROUTES = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  revocation: '/oidc/revoke',
  introspection: '/oidc/introspect',
  jwks: '/oidc/jwks',
} as const;

/** Per-request notes the library's callbacks and events leave for the bridge's caller. */
export interface CallNotes {
  /** The error a library route answered with (from its `*.error` event). */
  error?: unknown;
  /** Set by the revocation policy: the token belongs to another application. */
  foreignToken?: boolean;
  /** Set by the revocation policy: the refresh token revoked (its id), for BB2's bookkeeping. */
  revokedRefreshToken?: string;
}

export interface ProviderResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: unknown;
}

export interface ProviderCall<T> {
  readonly method: 'GET' | 'POST';
  /** Path under PROVIDER_ROUTES, with query string. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** application/x-www-form-urlencoded body, replayed byte for byte. */
  readonly form?: string;
  /** Runs inside the library once its route has answered; reads the library's context (entities, params). */
  readonly inspect?: (providerContext: KoaContextWithOIDC, response: ProviderResponse) => T | Promise<T>;
}

export interface ProviderResult<T> {
  readonly response: ProviderResponse;
  readonly inspected: T | undefined;
  readonly notes: CallNotes;
}

interface PendingCall {
  readonly inspect: ((providerContext: KoaContextWithOIDC, response: ProviderResponse) => unknown) | undefined;
  readonly notes: CallNotes;
  response?: ProviderResponse;
  inspected?: unknown;
  failure?: unknown;
}

/** Lifetimes that are not sandbox settings. */
const SESSION_TTL_SECONDS = 60; // sessions are destroyed right after each authorization (BB2 keeps no login)
const ID_TOKEN_TTL_SECONDS = 3600; // never handed out: BB2 returns no id_token (BB2-DISCOVERY-OIDC-04)
/** 13 months and a day, in seconds: grants and refresh tokens are bounded by the DataAccessGrant anyway. */
const GRANT_TTL_SECONDS = 396 * 24 * 60 * 60;

export class ProviderBridge {
  readonly provider: Provider;
  readonly store = new MemoryStore();
  private readonly pending = new WeakMap<IncomingMessage, PendingCall>();
  private readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;

  constructor(
    private readonly ctx: SandboxContext,
    clients: readonly RegisteredClient[],
    configurationHooks: { readonly revocationAllowed: RevocationPolicy },
  ) {
    this.provider = new Provider(ctx.baseUrl, this.configuration(clients, configurationHooks.revocationAllowed));
    this.provider.proxy = ctx.settings.publicBaseUrl !== undefined;
    // The library's one redirect_uri check at /authorize, made a behaviour seam (DOT matches exactly).
    const clientModel = this.provider.Client.prototype as { redirectUriAllowed(value: string | undefined): boolean; redirectUris?: string[] };
    clientModel.redirectUriAllowed = function (this: { redirectUris?: string[] }, value: string | undefined): boolean {
      return ctx.behaviour.oauth.redirectUriIsRegistered(value, this.redirectUris ?? []);
    };
    this.provider.use(async (providerContext, next) => {
      const call = this.pending.get(providerContext.req);
      if (!call) {
        // Only the bridge builds requests for this app, so this cannot come from a client.
        providerContext.status = 404;
        return;
      }
      try {
        await next();
        const response: ProviderResponse = {
          status: providerContext.status,
          headers: { ...providerContext.response.headers },
          body: providerContext.body,
        };
        call.response = response;
        if (call.inspect) call.inspected = await call.inspect(providerContext as KoaContextWithOIDC, response);
      } catch (error) {
        call.failure = error;
      }
      providerContext.respond = false; // the BB2 route answers; nothing is written for the library
    });
    const noteError = (providerContext: KoaContextWithOIDC, error: unknown) => {
      const call = this.pending.get(providerContext.req);
      if (call) call.notes.error = error;
    };
    this.provider.on('authorization.error', noteError);
    this.provider.on('grant.error', noteError);
    this.provider.on('revocation.error', noteError);
    this.provider.on('introspection.error', noteError);
    this.provider.on('server_error', (providerContext, error) => {
      noteError(providerContext, error);
      ctx.log.error(`oidc-provider: ${describe(error)}`);
    });
    // Koa's own error event (an exception outside the library's handlers); Koa would print it otherwise.
    (this.provider as unknown as NodeJS.EventEmitter).on('error', (error: unknown) => ctx.log.error(`oidc-provider: ${describe(error)}`));
    this.handle = this.provider.callback();
  }

  /** The notes of the library request being handled, for configuration callbacks. */
  notesFor(providerContext: KoaContextWithOIDC): CallNotes | undefined {
    return this.pending.get(providerContext.req)?.notes;
  }

  /**
   * Replays a request to the library and returns its answer without sending anything. The request is
   * synthetic (its own stream holding `form`), so the client's connection is never touched.
   */
  async call<T>(source: IncomingMessage, call: ProviderCall<T>): Promise<ProviderResult<T>> {
    const request = new IncomingMessage(new Socket());
    request.method = call.method;
    request.url = call.url;
    const body = call.form === undefined ? undefined : Buffer.from(call.form, 'utf8');
    request.headers = {
      ...forwardedHeaders(source),
      ...lowerCaseKeys(call.headers ?? {}),
      ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) }),
    };
    if (body !== undefined) request.push(body);
    request.push(null);
    const pending: PendingCall = { inspect: call.inspect as PendingCall['inspect'], notes: {} };
    this.pending.set(request, pending);
    await this.handle(request, new ServerResponse(request));
    if (pending.failure !== undefined) throw pending.failure;
    if (!pending.response) throw new Error(`oidc-provider gave no answer for ${call.method} ${call.url.split('?')[0]}`);
    return { response: pending.response, inspected: pending.inspected as T | undefined, notes: pending.notes };
  }

  /** The library's interaction selected by `cookieHeader` (cookies the library set when it began). */
  async interactionDetails(cookieHeader: string): Promise<InteractionDetails> {
    const { request, response } = this.cookieCarrier(cookieHeader);
    return this.provider.interactionDetails(request, response);
  }

  /** Stores the outcome of an interaction, as oidc-provider's `interactionResult`. */
  async interactionResult(cookieHeader: string, result: InteractionResults): Promise<void> {
    const { request, response } = this.cookieCarrier(cookieHeader);
    await this.provider.interactionResult(request, response, result, { mergeWithLastSubmission: false });
  }

  private cookieCarrier(cookieHeader: string): { request: IncomingMessage; response: ServerResponse } {
    const request = new IncomingMessage(new Socket());
    request.method = 'GET';
    request.url = '/';
    request.headers = { host: new URL(this.ctx.baseUrl).host, cookie: cookieHeader };
    request.push(null);
    return { request, response: new ServerResponse(request) };
  }

  private configuration(clients: readonly RegisteredClient[], revocationAllowed: RevocationPolicy): Configuration {
    const { settings, behaviour } = this.ctx;
    // A fresh signing key per start: needed by the library, but no id_token ever leaves the sandbox.
    const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    return {
      adapter: (model: string) => this.store.adapterFor(model),
      clients: clients.map((client) => ({
        client_id: client.id,
        client_secret: client.secret,
        client_name: client.name,
        redirect_uris: [...client.redirectUris],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        // The library accepts client_secret_basic and client_secret_post for either registration.
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
      })),
      jwks: { keys: [signingKey] },
      cookies: {
        keys: [randomBytes(32).toString('base64url')],
        long: { httpOnly: true, sameSite: 'lax' },
        short: { httpOnly: true, sameSite: 'lax' },
      },
      features: {
        devInteractions: { enabled: false },
        userinfo: { enabled: false }, // BB2's userinfo differs (profile scope, patient ids): served by userinfo.ts
        rpInitiatedLogout: { enabled: false },
        resourceIndicators: { enabled: false },
        dPoP: { enabled: false },
        pushedAuthorizationRequests: { enabled: false },
        introspection: { enabled: true, allowedPolicy: () => true }, // DOT introspects any live token
        revocation: { enabled: true, allowedPolicy: revocationAllowed },
      },
      routes: { ...PROVIDER_ROUTES },
      scopes: [...AVAILABLE_SCOPES],
      claims: { openid: ['sub'] },
      responseTypes: ['code'],
      pkce: { required: () => behaviour.oauth.pkceRequired },
      rotateRefreshToken: () => behaviour.oauth.rotateRefreshToken,
      issueRefreshToken: async (_providerContext, client) => client.grantTypeAllowed('refresh_token'),
      // Tokens must outlive the login session, which BB2 ends right after each authorization.
      expiresWithSession: () => false,
      ttl: {
        AccessToken: settings.tokenLifetimeSeconds,
        AuthorizationCode: settings.codeLifetimeSeconds,
        Interaction: settings.approvalLifetimeSeconds,
        Session: SESSION_TTL_SECONDS,
        Grant: GRANT_TTL_SECONDS,
        RefreshToken: GRANT_TTL_SECONDS,
        IdToken: ID_TOKEN_TTL_SECONDS,
      },
      // BB2's tokens and codes are 30 characters (oauthlib's generate_token default); 180 bits of randomness give 30 symbols.
      formats: { bitsOfOpaqueRandomness: 180 },
      findAccount: async (_providerContext, accountId) =>
        findUserByUsername(accountId) ? { accountId, claims: async () => ({ sub: accountId }) } : undefined,
      interactions: { url: async (_providerContext, interaction) => `/oidc/interaction/${interaction.uid}` },
      // Errors are reshaped by the BB2 routes; the library only reports them as data.
      renderError: async (providerContext, out) => {
        providerContext.type = 'json';
        providerContext.body = out;
      },
      clientBasedCORS: () => false,
    };
  }
}

export type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/** `name=value` pairs of Set-Cookie headers, joined as a Cookie request header. */
export function cookieHeaderFrom(setCookie: string | string[] | number | undefined): string {
  const lines = Array.isArray(setCookie) ? setCookie : typeof setCookie === 'string' ? [setCookie] : [];
  return lines.map((line) => line.split(';', 1)[0]?.trim() ?? '').filter((pair) => pair.length > 0).join('; ');
}

export type RevocationPolicy = NonNullable<NonNullable<NonNullable<Configuration['features']>['revocation']>['allowedPolicy']>;

/** Headers that tell the library which host and scheme the client used (needed behind a proxy). */
function forwardedHeaders(source: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['host', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-for']) {
    const value = source.headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
