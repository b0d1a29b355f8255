/** `GET /v{n}/connect/userinfo` (BB2-OAUTH-USERINFO-01..03): BB2's profile view, not OIDC's. */
import type Koa from 'koa';
import { findUserByUsername } from '../data/users.js';
import type { OAuthDeps } from './deps.js';
import { jsonReply, sendReply } from './http.js';
import type { AccessResolver } from './types.js';

const NOT_AUTHENTICATED = { detail: 'Authentication credentials were not provided.' };
const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };

/** DOT's `WWW-Authenticate` for DRF (BB2-FHIR-AUTH-01). */
const CHALLENGES = {
  missing: 'Bearer realm="api"',
  invalid: 'Bearer realm="api",error="invalid_token",error_description="The access token is invalid."',
  expired: 'Bearer realm="api",error="invalid_token",error_description="The access token has expired."',
} as const;

export async function userinfo(deps: OAuthDeps, access: AccessResolver, koa: Koa.Context): Promise<void> {
  if (koa.method !== 'GET' && koa.method !== 'HEAD') {
    return sendReply(koa, jsonReply(405, { detail: `Method "${koa.method}" not allowed.` }, { Allow: 'GET, HEAD, OPTIONS' }));
  }
  const result = await access.resolve(koa.get('authorization') || undefined);
  if (!result.ok) return sendReply(koa, jsonReply(401, NOT_AUTHENTICATED, { 'WWW-Authenticate': CHALLENGES[result.reason] }));
  if (!deps.ctx.behaviour.oauth.canReadUserinfo(result.grant.scopes)) return sendReply(koa, jsonReply(403, FORBIDDEN));
  const user = findUserByUsername(result.grant.username);
  if (!user) return sendReply(koa, jsonReply(401, NOT_AUTHENTICATED, { 'WWW-Authenticate': CHALLENGES.invalid }));
  // `iat` is BB2's date_joined: the beneficiary's first login to this sandbox.
  const joined = deps.records.firstLogin.get(user.username) ?? new Date();
  sendReply(
    koa,
    jsonReply(200, {
      sub: user.patientId,
      name: `${user.givenName} ${user.familyName}`,
      given_name: user.givenName,
      family_name: user.familyName,
      email: user.email,
      iat: joined.toISOString(),
      patient: user.patientId,
    }),
  );
}
