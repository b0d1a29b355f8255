/**
 * Resolves `Authorization: Bearer <token>` to the grant behind it, for the resource servers (FHIR,
 * userinfo). Tokens are oidc-provider's; revoked and rotated-away tokens are gone from its store, so
 * only live ones resolve.
 */
import { createHash } from 'node:crypto';
import { findUserByUsername } from '../data/users.js';
import type { OAuthDeps } from './deps.js';
import type { AccessResolver, AccessResult } from './types.js';

/** oauthlib's header parsing: exactly two parts, the first "Bearer" in any case. */
function bearerToken(header: string | undefined): string | undefined {
  const parts = (header ?? '').trim().split(/\s+/);
  return parts.length === 2 && parts[0]?.toLowerCase() === 'bearer' ? parts[1] : undefined;
}

export function createAccessResolver(deps: OAuthDeps): AccessResolver {
  return {
    async resolve(authorizationHeader): Promise<AccessResult> {
      const token = bearerToken(authorizationHeader);
      if (token === undefined) return { ok: false, reason: 'missing' };
      const stored = await deps.bridge.provider.AccessToken.find(token, { ignoreExpiration: true });
      if (!stored?.accountId || !stored.clientId) return { ok: false, reason: 'invalid' };
      const expiresAt = stored.exp ?? 0;
      if (!deps.ctx.behaviour.oauth.isAccessTokenUsable({ expiresAt }, Math.floor(deps.ctx.now() / 1000))) {
        return { ok: false, reason: 'expired' };
      }
      const user = findUserByUsername(stored.accountId);
      if (!user) return { ok: false, reason: 'invalid' };
      return {
        ok: true,
        grant: {
          clientId: stored.clientId,
          patientId: user.patientId,
          username: user.username,
          scopes: new Set((stored.scope ?? '').split(' ').filter((scope) => scope.length > 0)),
          expiresAt,
          tokenKey: createHash('sha256').update(token).digest('hex'),
        },
      };
    },
  };
}
