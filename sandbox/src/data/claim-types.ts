/** The eight BB2/BFD claim types, in the lower-case form used in EOB ids and the `type` search parameter. */
export const CLAIM_TYPES = ['carrier', 'dme', 'hha', 'hospice', 'inpatient', 'outpatient', 'pde', 'snf'] as const;

export type ClaimType = (typeof CLAIM_TYPES)[number];

export function isClaimType(value: string): value is ClaimType {
  return (CLAIM_TYPES as readonly string[]).includes(value);
}
