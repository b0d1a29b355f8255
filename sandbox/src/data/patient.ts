/**
 * The STU3 Patient as BB2 v1 serves it, built on BFD's v1 Patient read (templates/patient.json):
 * us-core-sex, race, rfrnc_yr and dual_01..12 extensions, bene_id and hashed MBI/HICN identifiers,
 * usual name with a middle initial, and an address cut down to state and ZIP (BB2 asks BFD to leave out
 * street and city, BB2-FHIR-DATA-01).
 */
import { LAST_DATA_DAY, instant, isoDate } from './calendar.js';
import type { PlannedClaim } from './claim-plan.js';
import { VARIABLES } from './code-systems.js';
import { identityHash } from './identity-hash.js';
import { children, child, setExtensionCoding, type JsonObject } from './json.js';
import type { UserProfile } from './profile.js';
import { SeededRandom } from './random.js';
import { patientTemplate } from './templates.js';
import type { SyntheticUser } from './users.js';

const US_CORE_SEX = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex';
/** SNOMED CT codes BFD puts in us-core-sex. */
const SEX_CODES = { female: '248152002', male: '248153007' } as const;

/** dual_NN code and display: the two values the samples show ("**" in BFD's, "AA" in the sandbox's). */
export function dualStatus(profile: UserProfile): readonly [string, string | undefined] {
  return profile.dualEligible
    ? ['AA', undefined]
    : ['**', "Enrolled in Medicare A and/or B, but no Part D enrollment data for the beneficiary. (This status was indicated as 'XX' for 2006-2009)"];
}

/** The day of death for the few deceased users: some weeks after their last claim, or any day if they had none. */
export function deathDay(user: SyntheticUser, claims: readonly PlannedClaim[]): number {
  const random = new SeededRandom('death', user.number);
  const lastClaimEnd = claims.reduce((latest, claim) => Math.max(latest, claim.endDay), 0);
  const earliest = lastClaimEnd > 0 ? lastClaimEnd + 5 : LAST_DATA_DAY - 3650;
  return Math.min(LAST_DATA_DAY, random.int(earliest, earliest + 60));
}

/**
 * Sets the extensions BFD derives from the beneficiary record, in place: us-core-sex, race, rfrnc_yr
 * and dual_01..12. BFD's v1 and v2 Patient carry them alike (templates/patient.json, r4/patient.json).
 */
export function setBeneficiaryExtensions(patient: JsonObject, profile: UserProfile): void {
  const extensions = children(patient, 'extension');
  const sex = extensions.find((extension) => extension.url === US_CORE_SEX);
  if (!sex) throw new TypeError('patient template has no us-core-sex extension');
  sex.valueCode = SEX_CODES[profile.gender];
  setExtensionCoding(extensions, `${VARIABLES}race`, ...profile.race);
  const referenceYear = extensions.find((extension) => extension.url === `${VARIABLES}rfrnc_yr`);
  if (!referenceYear) throw new TypeError('patient template has no rfrnc_yr extension');
  referenceYear.valueDate = String(profile.referenceYear);
  const [dualCode, dualDisplay] = dualStatus(profile);
  for (let month = 1; month <= 12; month += 1) {
    setExtensionCoding(extensions, `${VARIABLES}dual_${String(month).padStart(2, '0')}`, dualCode, dualDisplay);
  }
}

export function buildPatient(user: SyntheticUser, profile: UserProfile, claims: readonly PlannedClaim[]): JsonObject {
  const patient = patientTemplate();
  patient.id = user.patientId;
  child(patient, 'meta').lastUpdated = instant(profile.recordDay, profile.recordMillisecond);
  setBeneficiaryExtensions(patient, profile);

  // BB2's own v1 fixture lists bene_id first, then the MBI hash with its period; the HICN hash follows.
  patient.identifier = [
    { system: `${VARIABLES}bene_id`, value: user.patientId },
    { system: 'https://bluebutton.cms.gov/resources/identifier/mbi-hash', value: identityHash(user.mbi), period: { start: profile.mbiSince } },
    { system: 'https://bluebutton.cms.gov/resources/identifier/hicn-hash', value: identityHash(user.hicn) },
  ];
  patient.name = [{ use: 'usual', family: user.familyName, given: [user.givenName, profile.middleInitial] }];
  patient.gender = profile.gender;
  patient.birthDate = profile.birthDate;
  if (profile.deceased) patient.deceasedDateTime = isoDate(deathDay(user, claims));
  else delete patient.deceasedDateTime;
  patient.address = [{ state: profile.state, postalCode: profile.postalCode }];
  return patient;
}
