/**
 * Builds BB2 authorize URLs (BB2-OAUTH-AUTHORIZE-01). Every request gets a fresh PKCE pair and state; a test changes or
 * removes single parameters through `overrides` to probe one rule at a time.
 */
import type { Bb2Endpoints } from './endpoints.js';
import { createPkcePair, createState, type PkcePair } from './pkce.js';

/** A parameter's new value, or `null` to leave the parameter out of the URL. */
export type AuthorizeParamOverrides = Readonly<Record<string, string | null>>;

export interface AuthorizeRequestOptions {
  readonly endpoints: Bb2Endpoints;
  readonly clientId: string;
  readonly redirectUri: string;
  /** Space-separated scopes; omitted = BB2 grants every default scope (BB2-OAUTH-SCOPE-01). */
  readonly scope?: string;
  readonly overrides?: AuthorizeParamOverrides;
  /** Use this pair instead of a fresh one (e.g. to send a challenge and later a different verifier). */
  readonly pkce?: PkcePair;
}

export interface AuthorizeRequest {
  readonly url: string;
  /** The state actually sent (after overrides); undefined if the request carries none. */
  readonly state: string | undefined;
  readonly pkce: PkcePair;
  /** The redirect_uri actually sent (after overrides); undefined if left out. */
  readonly redirectUri: string | undefined;
  /** The authorize parameters, in the order BB2's own test client sends them (apps/testclient in BB2). */
  readonly params: Readonly<Record<string, string>>;
}

export function buildAuthorizeRequest(options: AuthorizeRequestOptions): AuthorizeRequest {
  const pkce = options.pkce ?? createPkcePair();
  const base: Record<string, string> = {
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    state: createState(),
    code_challenge: pkce.challenge,
    code_challenge_method: pkce.method,
  };
  if (options.scope !== undefined) base.scope = options.scope;

  const params: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(options.overrides ?? {})) {
    if (value === null) delete params[name];
    else params[name] = value;
  }
  const url = new URL(options.endpoints.authorize);
  for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  return { url: url.toString(), state: params.state, pkce, redirectUri: params.redirect_uri, params };
}
