/**
 * The client side of BB2's token, revoke, introspect and userinfo endpoints (BB2-OAUTH-TOKEN-*, -REFRESH-*, -REVOKE-*, -INTROSPECT-*, -USERINFO-*), over
 * Playwright's APIRequestContext so every call shows up as a step in the test report.
 *
 * Hand-written instead of openid-client/oauth4webapi: those validate and normalise responses, and a
 * conformance suite must see exactly what the server sent (status, headers, raw JSON types, error
 * bodies) and must be able to send deliberately wrong requests (wrong secret, reused code, no verifier).
 *
 * Secrets stay wrapped: results expose bodies with secret fields redacted; the tokens themselves
 * come out only as `Secret`s via `TokenResult.tokens()`.
 */
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { z } from 'zod';
import { responseBody } from '../http/response-body.js';
import type { Bb2Endpoints } from './endpoints.js';
import { redactJson, revealValue, Secret } from './secret.js';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: Secret;
}

/** How the client authenticates at the token endpoint: HTTP Basic, form fields (both BB2-OAUTH-TOKENAUTH-01..02), or not at all. */
export type ClientAuthMethod = 'basic' | 'body' | 'none';

export interface HttpResult {
  readonly url: string;
  readonly status: number;
  /** Response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  /**
   * The JSON body; undefined when the body is not JSON. In results of the OAuth endpoints (token,
   * revoke, introspect, userinfo) secret fields are redacted, so it is safe to print.
   */
  readonly json: unknown;
  /** The body as text; for JSON bodies the (redacted, for OAuth endpoints) JSON. */
  readonly bodyText: string;
}

export interface TokenSet {
  readonly accessToken: Secret;
  readonly refreshToken: Secret | undefined;
  readonly tokenType: string;
  readonly expiresIn: number;
  /** BB2 builds the scope string from a set, so its order is not stable (BB2-OAUTH-SCOPE-02): compare as a set. */
  readonly scopes: ReadonlySet<string>;
  readonly patient: string;
  readonly accessGrantExpiration: string | undefined;
  readonly receivedAt: Date;
}

export interface TokenResult extends HttpResult {
  /** The tokens of a successful (200) response; throws a message without any secret otherwise. */
  tokens(): TokenSet;
  /**
   * The body exactly as parsed, secrets included. Only for the one place that shows a token on
   * purpose, to the person who asked for it (scripts/token.ts); never for tests.
   */
  revealBody(): unknown;
}

export class OAuthResponseError extends Error {
  override name = 'OAuthResponseError';
}

const tokenBodySchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string(),
  expires_in: z.number(),
  scope: z.string(),
  patient: z.string(),
  access_grant_expiration: z.string().optional(),
});

/**
 * Reads a response once. With `redact`, the raw JSON stays private to this module and only the
 * redacted view leaves it. (Not for FHIR bodies: there `code` is an ordinary element, not a secret.)
 */
async function read(response: APIResponse, redact: boolean): Promise<{ result: HttpResult; raw: unknown }> {
  const headers = response.headers();
  const { text, json: parsed } = await responseBody(response);
  const raw = parsed?.value;
  const json = parsed === undefined ? undefined : redact ? redactJson(raw) : raw;
  return {
    raw,
    result: {
      url: response.url(),
      status: response.status(),
      headers,
      contentType: headers['content-type'],
      json,
      // A redacted body is shown as its redacted JSON; any other as the server sent it.
      bodyText: parsed !== undefined && redact ? JSON.stringify(json) : text,
    },
  };
}

/** An HttpResult for any response (authorize errors, FHIR calls, discovery documents); `redact` for OAuth bodies. */
export async function readResult(response: APIResponse, options: { redact?: boolean } = {}): Promise<HttpResult> {
  return (await read(response, options.redact ?? false)).result;
}

function basicAuthorization(credentials: ClientCredentials): string {
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before base64.
  const pair = `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret.reveal())}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

export function bearerAuthorization(accessToken: Secret | string): { Authorization: string } {
  return { Authorization: `Bearer ${revealValue(accessToken)}` };
}

export interface ClientCallOptions {
  readonly auth?: ClientAuthMethod;
  /** Other credentials than the configured ones, e.g. a wrong secret. */
  readonly credentials?: ClientCredentials;
  /** Extra form fields, or `null` to drop a field the helper would send. */
  readonly form?: Readonly<Record<string, string | null>>;
}

export interface CodeExchange {
  readonly code: Secret | string;
  /** Omitted = no `code_verifier` field (the "PKCE verifier missing" case). */
  readonly codeVerifier?: Secret | string;
  /** Omitted = no `redirect_uri` field. */
  readonly redirectUri?: string;
}

export interface Bb2OAuthClient {
  readonly endpoints: Bb2Endpoints;
  readonly credentials: ClientCredentials;
  exchangeCode(exchange: CodeExchange, options?: ClientCallOptions): Promise<TokenResult>;
  refresh(refreshToken: Secret | string, options?: ClientCallOptions & { scope?: string }): Promise<TokenResult>;
  /** BB2's `/o/revoke/`: revokes the token and deletes the app/beneficiary grant (BB2-OAUTH-REVOKE-02). */
  revoke(token: Secret | string, options?: ClientCallOptions): Promise<HttpResult>;
  /** RFC 7009 `/o/revoke_token/`. */
  revokeToken(token: Secret | string, options?: ClientCallOptions & { tokenTypeHint?: string }): Promise<HttpResult>;
  introspect(token: Secret | string, options?: ClientCallOptions): Promise<HttpResult>;
  userinfo(accessToken: Secret | string): Promise<HttpResult>;
}

export function createOAuthClient(request: APIRequestContext, endpoints: Bb2Endpoints, credentials: ClientCredentials): Bb2OAuthClient {
  async function post(url: string, fields: Record<string, string>, options: ClientCallOptions = {}): Promise<APIResponse> {
    const auth = options.auth ?? 'basic';
    const client = options.credentials ?? credentials;
    const form: Record<string, string> = { ...fields };
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (auth === 'basic') headers.Authorization = basicAuthorization(client);
    if (auth === 'body') {
      form.client_id = client.clientId;
      form.client_secret = client.clientSecret.reveal();
    }
    for (const [name, value] of Object.entries(options.form ?? {})) {
      if (value === null) delete form[name];
      else form[name] = value;
    }
    return request.post(url, { form, headers, maxRedirects: 0, failOnStatusCode: false });
  }

  async function tokenCall(fields: Record<string, string>, options?: ClientCallOptions): Promise<TokenResult> {
    const { result, raw } = await read(await post(endpoints.token, fields, options), true);
    const receivedAt = new Date();
    return {
      ...result,
      revealBody: () => raw,
      tokens(): TokenSet {
        if (result.status !== 200) {
          throw new OAuthResponseError(`the token endpoint answered ${result.status}, not 200: ${result.bodyText.slice(0, 300)}`);
        }
        const parsed = tokenBodySchema.safeParse(raw);
        if (!parsed.success) {
          const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
          throw new OAuthResponseError(`the token response is not a BB2 token response (${problems.join('; ')})`);
        }
        const body = parsed.data;
        return {
          accessToken: new Secret(body.access_token, 'access token'),
          refreshToken: body.refresh_token === undefined ? undefined : new Secret(body.refresh_token, 'refresh token'),
          tokenType: body.token_type,
          expiresIn: body.expires_in,
          scopes: new Set(body.scope.split(' ').filter((scope) => scope.length > 0)),
          patient: body.patient,
          accessGrantExpiration: body.access_grant_expiration,
          receivedAt,
        };
      },
    };
  }

  return {
    endpoints,
    credentials,
    exchangeCode(exchange, options) {
      const fields: Record<string, string> = { grant_type: 'authorization_code', code: revealValue(exchange.code) };
      if (exchange.redirectUri !== undefined) fields.redirect_uri = exchange.redirectUri;
      if (exchange.codeVerifier !== undefined) fields.code_verifier = revealValue(exchange.codeVerifier);
      return tokenCall(fields, options);
    },
    refresh(refreshToken, options = {}) {
      const fields: Record<string, string> = { grant_type: 'refresh_token', refresh_token: revealValue(refreshToken) };
      if (options.scope !== undefined) fields.scope = options.scope;
      return tokenCall(fields, options);
    },
    async revoke(token, options) {
      return (await read(await post(endpoints.revoke, { token: revealValue(token) }, options), true)).result;
    },
    async revokeToken(token, options = {}) {
      const fields: Record<string, string> = { token: revealValue(token) };
      if (options.tokenTypeHint !== undefined) fields.token_type_hint = options.tokenTypeHint;
      return (await read(await post(endpoints.revokeToken, fields, options), true)).result;
    },
    async introspect(token, options) {
      return (await read(await post(endpoints.introspect, { token: revealValue(token) }, options), true)).result;
    },
    async userinfo(accessToken) {
      const response = await request.get(endpoints.userinfo, {
        headers: { ...bearerAuthorization(accessToken), Accept: 'application/json' },
        maxRedirects: 0,
        failOnStatusCode: false,
      });
      return readResult(response, { redact: true });
    },
  };
}
