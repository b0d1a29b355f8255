/** Revocation of a set of oidc-provider grants, with the trace DOT's database would keep. */
import type { OAuthDeps } from './deps.js';
import type { RefreshTokenState } from './state.js';

/**
 * Revokes every access and refresh token of the given oidc-provider grants. `refreshTokenState` is
 * what DOT would still know about the refresh tokens: 'deleted' rows (a new consent) or 'revoked'
 * rows (the DataAccessGrant was deleted), which decides the error a later refresh gets (BB2-OAUTH-REFRESH-04 versus -06).
 */
export async function revokeProviderGrants(deps: OAuthDeps, grantIds: readonly string[], refreshTokenState: RefreshTokenState): Promise<void> {
  const { provider } = deps.bridge;
  deps.records.markRefreshTokens(grantIds, refreshTokenState);
  for (const grantId of grantIds) {
    await provider.AccessToken.revokeByGrantId(grantId);
    await provider.RefreshToken.revokeByGrantId(grantId);
  }
}
