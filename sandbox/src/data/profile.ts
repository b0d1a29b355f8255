/**
 * Per-user facts that several resources must agree on (birth date, Medicare entitlement, state, Part C/D
 * plans, dual status...), drawn once from the user's own random stream.
 */
import { FIRST_SERVICE_DAY, LAST_DATA_DAY, dayOf, firstOfMonth, isoDate, yearOf } from './calendar.js';
import { RACES, STATES, type CodeWithDisplay } from './code-pools.js';
import { SeededRandom } from './random.js';
import type { SyntheticUser } from './users.js';

/** Given names in users.ts that are female; the others are male. */
const FEMALE_GIVEN_NAMES = new Set(['Jane', 'Maria', 'Linda', 'Patricia', 'Barbara', 'Susan', 'Dorothy', 'Margaret']);
const MIDDLE_INITIALS = 'ABCDEFGHJKLMNPRSTW';

export interface UserProfile {
  readonly gender: 'female' | 'male';
  readonly middleInitial: string;
  readonly birthDate: string;
  /** Entitled through disability (under 65) rather than age. */
  readonly disabled: boolean;
  /** First day of Medicare Part A/B entitlement (Coverage.period.start). */
  readonly entitlementDay: number;
  readonly state: string;
  readonly postalCode: string;
  readonly race: CodeWithDisplay;
  /** Dual Medicare/Medicaid eligible (drives dual_NN, buy-in and Part D cost-sharing codes). */
  readonly dualEligible: boolean;
  readonly partATerminated: boolean;
  /** Part C (Medicare Advantage) contract and plan, when enrolled. */
  readonly medicareAdvantage: { readonly contract: string; readonly plan: string } | undefined;
  /** Part D contract, plan and segment, when enrolled; only enrolled users have PDE claims. */
  readonly partD: { readonly contract: string; readonly plan: string; readonly retireeSubsidy: boolean } | undefined;
  /** Day and time of Patient/Coverage meta.lastUpdated. */
  readonly recordDay: number;
  readonly recordMillisecond: number;
  /** Year of the enrollment record (rfrnc_yr). */
  readonly referenceYear: number;
  /** Start of the MBI-hash identifier's period (MBIs replaced HICNs 2018-2019). */
  readonly mbiSince: string;
  /** Whether the beneficiary has died; the date follows their last claim (see patient.ts). */
  readonly deceased: boolean;
  /** Six synthetic NPIs: the doctors, suppliers and facilities this person sees again and again. */
  readonly providerNpis: readonly string[];
}

/**
 * A valid NPI: 9 digits + the Luhn check digit computed over "80840" + those digits (the CMS NPI
 * check-digit rule). Hand-written: it is a few lines and no maintained package does only this.
 */
export function npiWithCheckDigit(nineDigits: string): string {
  const digits = `80840${nineDigits}`;
  let sum = 0;
  for (let index = digits.length - 1, double = true; index >= 0; index -= 1, double = !double) {
    let digit = Number(digits[index]);
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${nineDigits}${(10 - (sum % 10)) % 10}`;
}

const ENTITLEMENT_AGE_YEARS = 65;
/** Users whose facts are pinned because public sources describe them (see claim-plan.ts). */
const ALWAYS_PART_D = new Set([28_324, 29_999]);

export function profileFor(user: SyntheticUser): UserProfile {
  const random = new SeededRandom('profile', user.number);
  const disabled = random.chance(0.08);
  // Ages 65-95 in 2026 for most; the disabled are 30-64 and entitled since 2000-2020.
  const birthDay = disabled
    ? random.int(dayOf('1962-01-01'), dayOf('1996-12-31'))
    : random.int(dayOf('1931-01-01'), dayOf('1959-12-31'));
  const birthDate = isoDate(birthDay);
  // Entitlement by age starts on the first of the month of the 65th birthday.
  const sixtyFifthMonth = dayOf(`${Number(birthDate.slice(0, 4)) + ENTITLEMENT_AGE_YEARS}-${birthDate.slice(5, 7)}-01`);
  const entitlementDay = disabled
    ? firstOfMonth(Math.max(birthDay + 18 * 365, random.int(dayOf('2000-01-01'), dayOf('2020-12-31'))))
    : sixtyFifthMonth;
  const [state, firstZip3, lastZip3] = random.pick(STATES);
  const postalCode = `${String(random.int(firstZip3, lastZip3)).padStart(3, '0')}${random.digits(2)}`;
  const race = random.weighted(RACES);
  const dualEligible = random.chance(0.15);
  const partATerminated = random.chance(0.02);
  const medicareAdvantage = random.chance(0.25) ? { contract: `H${random.int(1000, 9999)}`, plan: `0${random.digits(2)}` } : undefined;
  const partD =
    ALWAYS_PART_D.has(user.number) || random.chance(0.8)
      ? { contract: `${random.pick(['S', 'Z'])}${random.int(1000, 9999)}`, plan: `0${random.digits(2)}`, retireeSubsidy: random.chance(0.1) }
      : undefined;
  const recordDay = random.int(Math.max(FIRST_SERVICE_DAY, dayOf('2021-01-01')), LAST_DATA_DAY);
  const recordMillisecond = random.int(0, 86_399_999);
  const providerNpis = Array.from({ length: 6 }, () => npiWithCheckDigit(`${random.int(1, 2)}${random.digits(8)}`));
  return {
    gender: FEMALE_GIVEN_NAMES.has(user.givenName) ? 'female' : 'male',
    middleInitial: random.pick([...MIDDLE_INITIALS]),
    birthDate,
    disabled,
    entitlementDay,
    state,
    postalCode,
    race,
    dualEligible,
    partATerminated,
    medicareAdvantage,
    partD,
    recordDay,
    recordMillisecond,
    referenceYear: yearOf(recordDay),
    mbiSince: isoDate(random.int(dayOf('2018-04-01'), dayOf('2020-01-01'))),
    deceased: random.chance(0.03),
    providerNpis,
  };
}
