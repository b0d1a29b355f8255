/**
 * The BB2-side records the sandbox keeps next to oidc-provider's own: the login relay
 * (`AnonUserState`), the Medicare login's request tokens, consent screen instances (`Approval`),
 * DataAccessGrants, and what DOT would still know about retired refresh tokens. All in memory.
 */

/** A map whose entries disappear after a fixed lifetime; expired entries are swept lazily. */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(private readonly lifetimeMs: number) {}

  set(key: K, value: V): void {
    this.sweep();
    this.entries.set(key, { value, expiresAt: Date.now() + this.lifetimeMs });
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Returns and removes the value: for single-use secrets. */
  take(key: K): V | undefined {
    const value = this.get(key);
    this.entries.delete(key);
    return value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  private sweep(): void {
    // Amortised: look at a few of the oldest entries on every insert (Map keeps insertion order).
    let looked = 0;
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (looked++ >= 8 || entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}

/** A consent screen instance, BB2's `Approval` (uuid v4, valid `approvalLifetimeSeconds`). */
export interface Approval {
  readonly uuid: string;
  /** The beneficiary who logged in at Medicare.gov, e.g. "BBUser00042". */
  readonly username: string;
  /** Bound to the application on the first consent-screen view, as BB2 does. */
  clientId?: string;
  /** oidc-provider's interaction for this screen: its id and the cookies that select it. */
  interaction?: { readonly uid: string; readonly cookieHeader: string };
}

/** `DataAccessGrant`: the beneficiary's consent for one application, valid 13 months. */
export interface DataAccessGrant {
  readonly grantedAt: Date;
  readonly expiresAt: Date;
}

/** What DOT's database would still say about a refresh token the sandbox has issued. */
export type RefreshTokenState = 'live' | 'revoked' | 'deleted';

export interface RefreshTokenRecord {
  readonly grantId: string;
  readonly clientId: string;
  readonly accountId: string;
  /** The access token issued in the same response (DOT links the pair). */
  readonly accessTokenId: string;
  state: RefreshTokenState;
}

/**
 * Upper bound on remembered refresh tokens. Past it the oldest are forgotten, and a forgotten token
 * gets "Refresh token not found." instead of invalid_grant: both are 400s.
 */
const REFRESH_TOKEN_MEMORY = 200_000;

const pairKey = (clientId: string, accountId: string) => `${clientId}\u0000${accountId}`;

export class Bb2Records {
  /** `AnonUserState`: relay -> the `next` URL given to /mymedicare/login. */
  readonly relays: ExpiringMap<string, string>;
  /** The Medicare login's request tokens (single use) -> username. */
  readonly requestTokens: ExpiringMap<string, string>;
  readonly approvals: ExpiringMap<string, Approval>;
  /** When each beneficiary first logged in here: the `iat` of userinfo (BB2's `date_joined`). */
  readonly firstLogin = new Map<string, Date>();

  private readonly grants = new Map<string, DataAccessGrant>();
  /** oidc-provider grant ids per app/bene pair, one per consent. */
  private readonly providerGrants = new Map<string, Set<string>>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly refreshTokensByGrant = new Map<string, Set<string>>();

  constructor(options: { approvalLifetimeSeconds: number }) {
    // BB2 keeps AnonUserState rows indefinitely; an hour covers any login and bounds memory.
    this.relays = new ExpiringMap(60 * 60 * 1000);
    this.requestTokens = new ExpiringMap(5 * 60 * 1000);
    this.approvals = new ExpiringMap(options.approvalLifetimeSeconds * 1000);
  }

  dataAccessGrant(clientId: string, accountId: string): DataAccessGrant | undefined {
    return this.grants.get(pairKey(clientId, accountId));
  }

  putDataAccessGrant(clientId: string, accountId: string, grant: DataAccessGrant): void {
    this.grants.set(pairKey(clientId, accountId), grant);
  }

  deleteDataAccessGrant(clientId: string, accountId: string): boolean {
    return this.grants.delete(pairKey(clientId, accountId));
  }

  addProviderGrant(clientId: string, accountId: string, grantId: string): void {
    const key = pairKey(clientId, accountId);
    const ids = this.providerGrants.get(key) ?? new Set<string>();
    ids.add(grantId);
    this.providerGrants.set(key, ids);
  }

  /** Removes and returns the pair's oidc-provider grant ids except `keep`. */
  takeProviderGrants(clientId: string, accountId: string, keep?: string): string[] {
    const ids = this.providerGrants.get(pairKey(clientId, accountId));
    if (!ids) return [];
    const taken = [...ids].filter((id) => id !== keep);
    for (const id of taken) ids.delete(id);
    return taken;
  }

  rememberRefreshToken(token: string, record: RefreshTokenRecord): void {
    if (this.refreshTokens.size >= REFRESH_TOKEN_MEMORY) {
      const oldest = this.refreshTokens.entries().next();
      if (!oldest.done) {
        const [oldToken, oldRecord] = oldest.value;
        this.refreshTokens.delete(oldToken);
        this.refreshTokensByGrant.get(oldRecord.grantId)?.delete(oldToken);
      }
    }
    this.refreshTokens.set(token, record);
    const tokens = this.refreshTokensByGrant.get(record.grantId) ?? new Set<string>();
    tokens.add(token);
    this.refreshTokensByGrant.set(record.grantId, tokens);
  }

  refreshToken(token: string): RefreshTokenRecord | undefined {
    return this.refreshTokens.get(token);
  }

  /** Marks every remembered refresh token of the given oidc-provider grants. */
  markRefreshTokens(grantIds: readonly string[], state: RefreshTokenState): void {
    for (const grantId of grantIds) {
      for (const token of this.refreshTokensByGrant.get(grantId) ?? []) {
        const record = this.refreshTokens.get(token);
        if (record && record.state !== 'deleted') record.state = state;
      }
    }
  }
}
