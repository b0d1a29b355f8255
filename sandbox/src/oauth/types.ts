/** The contract between the OAuth part (which issues tokens) and the resource servers (FHIR, userinfo). */

export interface AccessGrant {
  readonly clientId: string;
  /** The beneficiary's FHIR Patient id, e.g. "-20140000010000". */
  readonly patientId: string;
  /** The synthetic user, e.g. "BBUser29999". */
  readonly username: string;
  readonly scopes: ReadonlySet<string>;
  /** Expiry, epoch seconds. */
  readonly expiresAt: number;
  /** A stable, non-secret key for the token (a hash), for per-token rate limiting. Never the token itself. */
  readonly tokenKey: string;
}

export type AccessResult =
  | { readonly ok: true; readonly grant: AccessGrant }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid' | 'expired' };

export interface AccessResolver {
  /** Resolves an `Authorization` header value; only `Bearer <token>` is accepted (BB2-FHIR-AUTH-04). */
  resolve(authorizationHeader: string | undefined): Promise<AccessResult>;
}
