/**
 * BB2's scopes for v1/v2 (BB2-OAUTH-SCOPE-01..04): the capabilities every application gets by
 * default, the demographic ("personal information") subset, and BB2's condensing of SMART scopes.
 */

const RESOURCES = ['Patient', 'Coverage', 'ExplanationOfBenefit'] as const;
const SMART_SUFFIXES = ['read', 'rs', 'r', 's'] as const;

/** Every default capability (`ProtectedCapability.default` is True for all of these). */
export const AVAILABLE_SCOPES: readonly string[] = [
  'profile',
  'openid',
  'launch/patient',
  ...RESOURCES.flatMap((resource) => SMART_SUFFIXES.map((suffix) => `patient/${resource}.${suffix}`)),
];

/** `BENE_PERSONAL_INFO_SCOPES`: what unticking "Personal Information" withholds. */
export const DEMOGRAPHIC_SCOPES: ReadonlySet<string> = new Set([
  'patient/Patient.read',
  'patient/Patient.r',
  'patient/Patient.s',
  'patient/Patient.rs',
  'profile',
]);

/** v3-only scopes; on v1/v2 they are "Invalid scopes." already at /authorize (BB2-OAUTH-AUTHORIZE-03). */
export function isAuditEventScope(scope: string): boolean {
  return /^patient\/AuditEvent\.(?:read|rs|r|s)$/.test(scope);
}

/** Splits a `scope` parameter the way oauthlib does: on spaces, dropping empties and repeats. */
export function splitScopes(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter((item) => item.length > 0))];
}

/**
 * BB2's `condense_scopes`: `X.r` + `X.s`, or `X.rs`, collapse to `X.rs` alone; `.read` stays as it is.
 * Order follows the input, with `X.rs` taking the place of the first of its parts.
 */
export function condenseScopes(scopes: readonly string[]): string[] {
  const present = new Set(scopes);
  const out: string[] = [];
  for (const scope of scopes) {
    const match = /^(patient\/[A-Za-z]+)\.(rs|r|s)$/.exec(scope);
    if (!match) {
      out.push(scope);
      continue;
    }
    const base = match[1] as string;
    const combined = present.has(`${base}.rs`) || (present.has(`${base}.r`) && present.has(`${base}.s`));
    const kept = combined ? `${base}.rs` : scope;
    if (!out.includes(kept)) out.push(kept);
  }
  return out;
}
