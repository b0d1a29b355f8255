/**
 * The R4 Patient as BB2 v2 serves it, built on BFD's v2 Patient read (templates/r4/patient.json) with
 * the same person as the v1 Patient: C4BB-Patient profile, the beneficiary extensions (sex, race, the
 * us-core-race BFD always sends as "Unknown", rfrnc_yr, dual_01..12), the bene_id identifier (type
 * MB) and the current unhashed MBI (us-mbi, type MC with BFD's identifier-currency extension, and the
 * MBI's start date). BFD v2 no longer sends the HICN or the hashes. The address is cut down to state
 * and ZIP, as the real sandbox's v2 Patient shows (bb2-r4-samples/sandbox-bbuser29999).
 *
 * Identifier order follows BFD's BeneficiaryTransformerV2 (bene_id, then the current MBI, then any
 * historic ones; synthetic users have none), which the real sandbox capture agrees with; BFD's golden
 * file lists them in another order. A living beneficiary gets `deceasedBoolean: false` where BFD's
 * transformer sets it.
 */
import { instant, isoDate } from '../calendar.js';
import type { PlannedClaim } from '../claim-plan.js';
import { child, children, type JsonObject } from '../json.js';
import { deathDay, setBeneficiaryExtensions } from '../patient.js';
import type { UserProfile } from '../profile.js';
import type { SyntheticUser } from '../users.js';
import { r4PatientTemplate } from './templates.js';

const BENE_ID_SYSTEM = 'https://bluebutton.cms.gov/resources/variables/bene_id';
const MBI_SYSTEM = 'http://hl7.org/fhir/sid/us-mbi';
const CURRENCY_EXTENSION = 'https://bluebutton.cms.gov/resources/codesystem/identifier-currency';

/** The template identifier of this system whose type coding carries this currency (or none). */
function identifierShape(identifiers: readonly JsonObject[], system: string, currency?: string): JsonObject {
  const found = identifiers.find((identifier) => {
    if (identifier.system !== system) return false;
    if (currency === undefined) return true;
    const coding = children(child(identifier, 'type'), 'coding')[0];
    const extension = coding === undefined ? undefined : children(coding, 'extension').find((candidate) => candidate.url === CURRENCY_EXTENSION);
    return extension !== undefined && child(extension, 'valueCoding').code === currency;
  });
  if (!found) throw new TypeError(`R4 patient template has no ${system} identifier${currency ? ` (${currency})` : ''}`);
  return found;
}

/** A copy of `object` with one key replaced by another at the same position. */
function replaceKey(object: JsonObject, oldKey: string, newKey: string, value: JsonObject[string]): JsonObject {
  return Object.fromEntries(Object.entries(object).map(([key, current]) => (key === oldKey ? [newKey, value] : [key, current])));
}

export function buildR4Patient(user: SyntheticUser, profile: UserProfile, claims: readonly PlannedClaim[]): JsonObject {
  const patient = r4PatientTemplate();
  patient.id = user.patientId;
  child(patient, 'meta').lastUpdated = instant(profile.recordDay, profile.recordMillisecond);
  setBeneficiaryExtensions(patient, profile);

  const identifiers = children(patient, 'identifier');
  const beneId = identifierShape(identifiers, BENE_ID_SYSTEM);
  const mbi = identifierShape(identifiers, MBI_SYSTEM, 'current');
  beneId.value = user.patientId;
  mbi.value = user.mbi;
  mbi.period = { start: profile.mbiSince };
  patient.identifier = [beneId, mbi];

  patient.name = [{ use: 'usual', family: user.familyName, given: [user.givenName, profile.middleInitial] }];
  patient.gender = profile.gender;
  patient.birthDate = profile.birthDate;
  patient.address = [{ state: profile.state, postalCode: profile.postalCode }];
  return profile.deceased
    ? replaceKey(patient, 'deceasedDateTime', 'deceasedDateTime', isoDate(deathDay(user, claims)))
    : replaceKey(patient, 'deceasedDateTime', 'deceasedBoolean', false);
}
