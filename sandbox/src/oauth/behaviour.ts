/**
 * The OAuth rules of BB2 the embedded sandbox enforces, one named seam each (the BB2-OAUTH-* requirements of requirements/bb2.json).
 * The normal code path calls every rule through `ctx.behaviour.oauth`; a fault mode swaps exactly one.
 * Where oidc-provider enforces a rule itself (PKCE verification, single-use codes, redirect_uri
 * equality, refresh rotation), the seam is a policy the library configuration or a step around the
 * library is derived from, so with the defaults the library's own check is what runs.
 */
import { jsonReply, textReply, type Reply } from './http.js';
import { addMonthsUtc } from '../screens/dates.js';
import { AVAILABLE_SCOPES, DEMOGRAPHIC_SCOPES, condenseScopes, isAuditEventScope, splitScopes } from './scopes.js';

/** Read access to request parameters (query, form body, or both merged). */
export interface ParamLookup {
  get(name: string): string | undefined;
  has(name: string): boolean;
}

/** The values a token response is built from (BB2-OAUTH-TOKEN-02). */
export interface TokenResponseFields {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly tokenType: string;
  readonly scope: string;
  readonly refreshToken: string | undefined;
  readonly patient: string;
  /** `%Y-%m-%dT%H:%M:%SZ`, or "" when there is no grant. */
  readonly accessGrantExpiration: string;
}

export interface OAuthBehaviour {
  /** BB2-OAUTH-CLIENT-02: outside local environments BB2 accepts only 40-alphanumeric client ids. */
  clientIdFormatIsValid(clientId: string): boolean;
  /**
   * BB2-OAUTH-CLIENT-01..03: /authorize answers a missing, malformed or unknown application with BB2's
   * error page before any login (otherwise only the consent step, after the login, would notice).
   */
  readonly checkApplicationBeforeLogin: boolean;
  /** BB2-OAUTH-AUTHORIZE-03: AuditEvent scopes are v3-only, so v1/v2 answer "Invalid scopes." before any login. */
  rejectUnavailableScopesBeforeLogin(params: ParamLookup): Reply | undefined;
  /** BB2-OAUTH-CLIENT-05: a client secret must never travel through the browser. */
  rejectIllegalQueryParameters(params: ParamLookup): Reply | undefined;
  /** BB2-OAUTH-PKCE-01..02, BB2-OAUTH-STATE-01..02: PKCE with S256 and a state of at least 16 characters are required. */
  requirePkceAndState(params: ParamLookup): Reply | undefined;
  /** BB2-OAUTH-STATE-03: POST /authorize/ must carry `state` in its body. */
  requirePostState(body: ParamLookup): Reply | undefined;
  /** oidc-provider's `pkce.required`: authorization requests without a code_challenge are refused. */
  readonly pkceRequired: boolean;
  /** BB2 stores the code_challenge with trailing '=' stripped, so padded challenges work. */
  normalizeCodeChallenge(challenge: string): string;
  /** DOT uses the application's first registered redirect URI when the request names none. */
  defaultRedirectUri(registered: readonly string[]): string | undefined;
  /** BB2-OAUTH-SCOPE-01..02: the scopes an authorization request covers (defaults, condensed), or undefined for "Invalid scopes.". */
  resolveRequestedScopes(scope: string | undefined): string[] | undefined;
  /** BB2-OAUTH-SCOPE-03: the scopes withheld when the beneficiary unticks "Personal Information". */
  withheldScopes(scopes: readonly string[], shareDemographics: boolean): string[];
  /** BB2-OAUTH-CONSENT-02: a successful consent removes every earlier access and refresh token of the app/bene pair. */
  readonly revokeEarlierTokensOnConsent: boolean;
  /** BB2-OAUTH-TOKEN-06: the DataAccessGrant end of a THIRTEEN_MONTH application. */
  accessGrantExpiration(consentedAt: Date): Date;
  /** BB2-OAUTH-STATE-04: the redirect after consent carries `state` back unchanged. */
  readonly returnStateOnRedirect: boolean;
  /** BB2-OAUTH-PKCE-03: the code_verifier must match the code_challenge (oidc-provider's PKCE check). */
  readonly verifyCodeVerifier: boolean;
  /** BB2-OAUTH-CODE-01: a code can be exchanged once (DOT deletes it). */
  readonly codeIsSingleUse: boolean;
  /** BB2-OAUTH-REDIRECT-02: the token request's redirect_uri must equal the authorization request's (oidc-provider's check). */
  readonly tokenRedirectUriMustMatch: boolean;
  /**
   * BB2-OAUTH-REDIRECT-01: an authorization request's redirect_uri must be exactly one the application registered
   * (DOT's exact match; it replaces oidc-provider's `redirectUriAllowed`, which is the same for web clients).
   */
  redirectUriIsRegistered(redirectUri: string | undefined, registered: readonly string[]): boolean;
  /** BB2-OAUTH-TOKENAUTH-03..04: a confidential client's secret is checked at /token (the library's client authentication). */
  readonly verifyClientSecretAtToken: boolean;
  /** BB2-OAUTH-REFRESH-01..02: every refresh returns a new refresh token and retires the old one. */
  readonly rotateRefreshToken: boolean;
  /** BB2-OAUTH-REFRESH-03: retiring a refresh token also revokes the access token issued with it. */
  readonly revokeAccessTokenWithRotatedRefreshToken: boolean;
  /**
   * BB2-OAUTH-REFRESH-04..05: a refresh needs the app/bene DataAccessGrant: 403 when it is gone (revoked, expired by the
   * sandbox endpoint), 401 when its 13 months are over.
   */
  checkDataAccessGrantOnRefresh(grant: { readonly expiresAt: Date } | undefined, now: Date): Reply | undefined;
  /** BB2-OAUTH-REVOKE-05: an application may revoke only its own tokens (BB2's 403 otherwise). */
  mayRevokeToken(tokenClientId: string, callerClientId: string): boolean;
  /** BB2-OAUTH-TOKEN-02: the success body, keys in BB2's order. */
  shapeTokenResponse(fields: TokenResponseFields): Record<string, unknown>;
  /** BB2-OAUTH-TOKEN-01: headers of the token response. */
  tokenResponseHeaders(): Readonly<Record<string, string>>;
  /** BB2-FHIR-AUTH-05: an access token is usable until it expires. */
  isAccessTokenUsable(token: { readonly expiresAt: number }, nowSeconds: number): boolean;
  /** BB2-OAUTH-USERINFO-03: userinfo needs the `profile` scope. */
  canReadUserinfo(scopes: ReadonlySet<string>): boolean;
}

const CLIENT_ID_PATTERN = /^[a-zA-Z0-9]{40}$/;
const ACCESS_NOT_FOUND =
  'User access cannot be found. To refresh Medicare data, end user must re-authenticate and consent to share their data.';
const ACCESS_TIMED_OUT =
  'User access has timed out. To refresh Medicare data, end user must re-authenticate and consent to share their data.';
const AVAILABLE = new Set(AVAILABLE_SCOPES);
const THIRTEEN_MONTHS = 13;

export const defaultOAuthBehaviour: OAuthBehaviour = {
  clientIdFormatIsValid: (clientId) => CLIENT_ID_PATTERN.test(clientId),

  checkApplicationBeforeLogin: true,

  rejectUnavailableScopesBeforeLogin(params) {
    return splitScopes(params.get('scope')).some(isAuditEventScope)
      ? jsonReply(400, { status_code: 400, message: 'Invalid scopes.' })
      : undefined;
  },

  rejectIllegalQueryParameters(params) {
    return params.has('client_secret') ? textReply(400, 'Illegal query parameter [client_secret] detected') : undefined;
  },

  requirePkceAndState(params) {
    const method = params.get('code_challenge_method');
    if (method && method !== 'S256') {
      return jsonReply(400, { status_code: 400, error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
    }
    // BB2's order: the short-state answer wins over the missing list, which names only what is absent.
    const missing: string[] = [];
    if (!params.get('code_challenge')) missing.push('code_challenge');
    if (!method) missing.push('code_challenge_method');
    const state = params.get('state');
    if (!state) missing.push('state');
    else if (state.length < 16) {
      return jsonReply(400, { status_code: 400, message: 'State parameter should have a minimum of 16 characters' });
    }
    return missing.length > 0
      ? jsonReply(400, { status_code: 400, message: `Missing Required Parameter(s): ${missing.join(', ')}` })
      : undefined;
  },

  requirePostState(body) {
    return body.get('state') ? undefined : jsonReply(401, { status_code: 401, message: 'State required in POST body.' });
  },

  pkceRequired: true,

  normalizeCodeChallenge: (challenge) => challenge.replace(/=+$/, ''),

  defaultRedirectUri: (registered) => registered[0],

  resolveRequestedScopes(scope) {
    const requested = splitScopes(scope);
    if (requested.length === 0) return condenseScopes(AVAILABLE_SCOPES);
    return requested.every((item) => AVAILABLE.has(item)) ? condenseScopes(requested) : undefined;
  },

  withheldScopes: (scopes, shareDemographics) => (shareDemographics ? [] : scopes.filter((scope) => DEMOGRAPHIC_SCOPES.has(scope))),

  revokeEarlierTokensOnConsent: true,

  accessGrantExpiration: (consentedAt) => addMonthsUtc(consentedAt, THIRTEEN_MONTHS),

  returnStateOnRedirect: true,

  verifyCodeVerifier: true,

  codeIsSingleUse: true,

  tokenRedirectUriMustMatch: true,

  redirectUriIsRegistered: (redirectUri, registered) => redirectUri !== undefined && registered.includes(redirectUri),

  verifyClientSecretAtToken: true,

  rotateRefreshToken: true,

  revokeAccessTokenWithRotatedRefreshToken: true,

  checkDataAccessGrantOnRefresh(grant, now) {
    if (!grant) return jsonReply(403, { status_code: 403, error: 'invalid_grant', error_description: ACCESS_NOT_FOUND });
    return grant.expiresAt.getTime() <= now.getTime()
      ? jsonReply(401, { status_code: 401, error: 'invalid_grant', error_description: ACCESS_TIMED_OUT })
      : undefined;
  },

  mayRevokeToken: (tokenClientId, callerClientId) => tokenClientId === callerClientId,

  shapeTokenResponse(fields) {
    return {
      access_token: fields.accessToken,
      expires_in: fields.expiresIn,
      token_type: fields.tokenType,
      scope: fields.scope,
      ...(fields.refreshToken === undefined ? {} : { refresh_token: fields.refreshToken }),
      patient: fields.patient,
      access_grant_expiration: fields.accessGrantExpiration,
    };
  },

  tokenResponseHeaders: () => ({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' }),

  isAccessTokenUsable: (token, nowSeconds) => token.expiresAt > nowSeconds,

  canReadUserinfo: (scopes) => scopes.has('profile'),
};
